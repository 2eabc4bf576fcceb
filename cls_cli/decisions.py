"""Les décisions à proposer au COPIL, calculées à partir des données de l'année.

Fonctions pures : des fiches et une année, une liste de :class:`Decision` (la fiche, le
motif constaté, la décision proposée). Les motifs :

- calendrier échu : la fin du calendrier est passée et l'action n'est ni réalisée ni
  abandonnée -> fixer un nouveau calendrier ou clore l'action ;
- action encore à lancer après le début de son calendrier -> la lancer ou la reporter ;
- action abandonnée -> formaliser l'abandon par avenant ;
- porteur non nommé (« à déterminer », « à recenser », « intéressés », ou un choix
  « X ou Y ») -> désigner le porteur ;
- action jamais renseignée -> demander un point au porteur ;
- priorité de l'année sans point de suivi de l'année -> demander un point au porteur.

La coordination ajoute ou fait taire des décisions dans ``decisions.yaml``, à côté des
données (lu par :func:`cls_cli.decisions_yaml.lire_reglages`, appliqué par :func:`appliquer`) ::

    ignorer:
      - fiche: 14
        motif: porteur_non_nomme   # les CCAS intéressés sont connus
    ajouter:
      - fiche: 22
        decision: Arbitrer le maintien du pôle médical au Pôle gare.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cls_cli.calculs import NON_RENSEIGNEE, etat_action, statut_a
from cls_cli.erreurs import ErreurDonnees
from cls_cli.modeles import Fiche

#: Un texte de porteur qui ne nomme pas encore un organisme, ou qui offre un choix.
PORTEUR_NON_NOMME = re.compile(r"à déterminer|à recenser|intéressés|\bou\b", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """Une décision à proposer : la fiche, le motif (un code stable) et son détail."""

    numero: int
    motif: str
    detail: str


#: Les motifs, dans l'ordre où ils sont donnés pour une fiche (les libellés et décisions
#: proposées sont dans les gabarits, traduits).
MOTIFS = (
    "calendrier_echu",
    "a_lancer_en_retard",
    "abandon_a_formaliser",
    "porteur_non_nomme",
    "non_renseignee",
    "priorite_sans_nouvelles",
    "ajout",  # une décision ajoutée par la coordination (decisions.yaml)
)

#: Le fichier des décisions ajoutées ou tues, à la racine des données.
FICHIER_REGLAGES = "decisions.yaml"


def decisions(fiches: Sequence[Fiche], annee: int) -> list[Decision]:
    """Les décisions à proposer pour ``annee``, dans l'ordre de :data:`MOTIFS` puis par fiche."""
    resultat = []
    for f in sorted(fiches, key=lambda f: f.numero):
        etat = etat_action(f, annee)
        if etat.hors_delai:
            resultat.append(Decision(f.numero, "calendrier_echu", f.texte_calendrier))
        if etat.statut == "a_lancer" and etat.en_retard:
            resultat.append(Decision(f.numero, "a_lancer_en_retard", f.texte_calendrier))
        if etat.statut == "abandonnee":
            suivi = statut_a(f, annee)
            resultat.append(
                Decision(f.numero, "abandon_a_formaliser", str(suivi.annee) if suivi else "")
            )
        if etat.statut != "abandonnee":
            for porteur in f.liste_porteurs:
                if PORTEUR_NON_NOMME.search(porteur):
                    resultat.append(Decision(f.numero, "porteur_non_nomme", porteur))
        if etat.statut == NON_RENSEIGNEE:
            resultat.append(Decision(f.numero, "non_renseignee", ""))
        elif annee in f.priorites and not any(s.annee == annee for s in f.suivi):
            resultat.append(Decision(f.numero, "priorite_sans_nouvelles", str(annee)))
    return sorted(resultat, key=lambda d: (MOTIFS.index(d.motif), d.numero))


@dataclass(frozen=True)
class Reglages:
    """Ce que la coordination a écrit dans ``decisions.yaml`` : les décisions calculées à
    taire, ``(fiche, motif)``, et les décisions à ajouter, chacune avec sa ligne."""

    chemin: Path | None = None
    ignorer: tuple[tuple[int, str, int], ...] = ()  # (fiche, motif, ligne)
    ajouts: tuple[tuple[Decision, int], ...] = field(default=())  # (décision, ligne)


def appliquer(
    calculees: Sequence[Decision], reglages: Reglages, numeros: set[int]
) -> list[Decision]:
    """Les décisions calculées moins celles tues, plus celles ajoutées ; une fiche inconnue
    (``numeros`` : les fiches du contrat) est une erreur qui dit la ligne du fichier."""
    for numero, ligne in [(n, li) for n, _, li in reglages.ignorer] + [
        (d.numero, li) for d, li in reglages.ajouts
    ]:
        if numero not in numeros:
            raise ErreurDonnees(
                reglages.chemin or FICHIER_REGLAGES,
                ligne,
                1,
                f"la fiche {numero} n'existe pas",
                "corrigez le numéro de fiche ou retirez cette entrée",
            )
    tues = {(n, m) for n, m, _ in reglages.ignorer}
    gardees = [d for d in calculees if (d.numero, d.motif) not in tues]
    return sorted(
        gardees + [d for d, _ in reglages.ajouts],
        key=lambda d: (MOTIFS.index(d.motif), d.numero),
    )
