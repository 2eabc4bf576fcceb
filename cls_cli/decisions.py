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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cls_cli.calculs import NON_RENSEIGNEE, etat_action, statut_a
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
)


def decisions(fiches: Sequence[Fiche], annee: int) -> list[Decision]:
    """Les décisions à proposer pour ``annee``, dans l'ordre de :data:`MOTIFS` puis par fiche."""
    resultat = []
    for f in sorted(fiches, key=lambda f: f.numero):
        etat = etat_action(f, annee)
        if etat.hors_delai:
            resultat.append(Decision(f.numero, "calendrier_echu", f.calendrier.texte))
        if etat.statut == "a_lancer" and etat.en_retard:
            resultat.append(Decision(f.numero, "a_lancer_en_retard", f.calendrier.texte))
        if etat.statut == "abandonnee":
            suivi = statut_a(f, annee)
            resultat.append(
                Decision(f.numero, "abandon_a_formaliser", str(suivi.annee) if suivi else "")
            )
        if etat.statut != "abandonnee":
            for porteur in f.porteurs:
                if PORTEUR_NON_NOMME.search(porteur):
                    resultat.append(Decision(f.numero, "porteur_non_nomme", porteur))
        if etat.statut == NON_RENSEIGNEE:
            resultat.append(Decision(f.numero, "non_renseignee", ""))
        elif annee in f.priorites and not any(s.annee == annee for s in f.suivi):
            resultat.append(Decision(f.numero, "priorite_sans_nouvelles", str(annee)))
    return sorted(resultat, key=lambda d: (MOTIFS.index(d.motif), d.numero))
