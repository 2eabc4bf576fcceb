"""Les calculs d'évaluation : statut, avancement, complétude, atteinte des cibles.

Fonctions pures, sans entrée-sortie : elles prennent des fiches et une année et rendent
des nombres, ou ``None`` quand il n'y a pas de chiffre (jamais 0 à la place). Les règles,
reprises dans la section « Méthode » des rapports et dans le README :

- le statut d'une action en fin d'année Y est celui de son dernier point de suivi d'année
  ≤ Y ; sans point de suivi, l'action est « non renseignée » (ce n'est pas « à lancer ») ;
- son avancement est l'``avancement`` de ce point s'il est donné, sinon une valeur par
  statut (:data:`AVANCEMENT_PAR_STATUT`) ;
- l'avancement d'un objectif, d'un axe ou du contrat est la moyenne simple des avancements
  des actions qu'il contient, sans les actions abandonnées ni les non renseignées (comptées
  et listées à part) ; sans action restante, il n'y a pas de chiffre ;
- la valeur d'un indicateur en Y est la somme de ses mesures jusqu'à Y (``somme``) ou sa
  dernière valeur mesurée jusqu'à Y (``derniere``) ; une valeur manquante ne compte jamais
  pour 0 ;
- l'atteinte d'une cible est (valeur − référence) / (cible − référence), bornée à 0-100 %,
  la référence valant 0 sans valeur de départ ; un booléen vrai vaut 100 % ;
- la complétude des données en Y est la part des indicateurs des actions en cours ou
  réalisées en Y qui ont une mesure (valeur ou absence motivée) pour l'année Y ;
- une action est en retard si son calendrier a commencé (``debut`` ≤ Y) et qu'elle est encore
  à lancer ou non renseignée ; hors délai si son calendrier est fini (``fin`` < Y) et qu'elle
  n'est ni réalisée ni abandonnée.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cls_cli.modeles import Fiche, Indicateur, Suivi, Valeur

NON_RENSEIGNEE = "non_renseignee"

LIBELLES_STATUT = {
    NON_RENSEIGNEE: "non renseignée",
    "a_lancer": "à lancer",
    "en_cours": "en cours",
    "realisee": "réalisée",
    "reportee": "reportée",
    "abandonnee": "abandonnée",
}

#: L'avancement d'une action dont le point de suivi ne donne pas de pourcentage.
AVANCEMENT_PAR_STATUT: dict[str, float] = {
    "a_lancer": 0,
    "en_cours": 50,
    "reportee": 0,
    "realisee": 100,
}

#: Les statuts qui sortent une action des moyennes.
HORS_MOYENNE = (NON_RENSEIGNEE, "abandonnee")


def statut_a(fiche: Fiche, annee: int | None = None) -> Suivi | None:
    """Le dernier point de suivi d'année ≤ ``annee`` (le tout dernier si ``annee`` est None)."""
    candidats = [s for s in fiche.suivi if annee is None or s.annee <= annee]
    return max(candidats, key=lambda s: s.annee, default=None)


@dataclass(frozen=True)
class EtatAction:
    """Où en est une action en fin d'année."""

    numero: int
    statut: str
    avancement: float | None
    en_retard: bool
    hors_delai: bool
    commentaire: str | None = None

    @property
    def dans_la_moyenne(self) -> bool:
        return self.statut not in HORS_MOYENNE and self.avancement is not None


def etat_action(fiche: Fiche, annee: int) -> EtatAction:
    """Statut, avancement, retard d'une action à la fin de ``annee``."""
    suivi = statut_a(fiche, annee)
    statut = suivi.statut if suivi else NON_RENSEIGNEE
    if suivi is None or statut == "abandonnee":
        avancement = None
    elif suivi.avancement is not None:
        avancement = float(suivi.avancement)
    else:
        avancement = AVANCEMENT_PAR_STATUT[statut]
    debut, fin = fiche.calendrier.debut, fiche.calendrier.fin
    en_retard = debut is not None and debut <= annee and statut in ("a_lancer", NON_RENSEIGNEE)
    hors_delai = fin is not None and fin < annee and statut not in ("realisee", "abandonnee")
    return EtatAction(
        fiche.numero,
        statut,
        avancement,
        en_retard,
        hors_delai,
        suivi.commentaire if suivi else None,
    )


@dataclass(frozen=True)
class Completion:
    """L'avancement moyen d'un ensemble d'actions, avec sa couverture."""

    avancement: float | None
    renseignees: int
    total: int
    abandonnees: tuple[int, ...] = ()
    non_renseignees: tuple[int, ...] = ()


def completion(etats: Iterable[EtatAction]) -> Completion:
    """Moyenne simple des avancements, sans les actions abandonnées ni non renseignées."""
    etats = list(etats)
    retenus = [e.avancement for e in etats if e.dans_la_moyenne and e.avancement is not None]
    return Completion(
        avancement=sum(retenus) / len(retenus) if retenus else None,
        renseignees=len(retenus),
        total=len(etats),
        abandonnees=tuple(sorted(e.numero for e in etats if e.statut == "abandonnee")),
        non_renseignees=tuple(sorted(e.numero for e in etats if e.statut == NON_RENSEIGNEE)),
    )


def _est_nombre(valeur: object) -> bool:
    return isinstance(valeur, int | float) and not isinstance(valeur, bool)


def valeur_indicateur(indicateur: Indicateur, annee: int) -> Valeur | None:
    """La valeur d'un indicateur à la fin de ``annee`` (None s'il n'y en a pas)."""
    mesurees = sorted(
        (m for m in indicateur.mesures if m.annee <= annee and m.valeur is not None),
        key=lambda m: m.annee,
    )
    if not mesurees:
        return None
    if indicateur.agregation == "somme" and indicateur.type == "nombre":
        nombres = [m.valeur for m in mesurees if _est_nombre(m.valeur)]
        return sum(nombres) if nombres else None  # type: ignore[arg-type]
    return mesurees[-1].valeur


def atteinte(indicateur: Indicateur, annee: int) -> float | None:
    """Part de la cible atteinte en fin d'``annee``, en % (0-100), ou None sans cible."""
    valeur = valeur_indicateur(indicateur, annee)
    if indicateur.type == "booleen":
        return None if valeur is None else (100.0 if valeur is True else 0.0)
    cible = indicateur.cible
    if not (_est_nombre(valeur) and _est_nombre(cible)):
        return None
    reference = indicateur.reference.valeur if indicateur.reference else 0
    if not _est_nombre(reference) or cible == reference:
        return None
    part = (valeur - reference) / (cible - reference) * 100  # type: ignore[operator]
    return float(max(0.0, min(100.0, part)))


@dataclass(frozen=True)
class Completude:
    """La part des indicateurs attendus qui ont une mesure pour l'année."""

    mesures: int
    attendus: int
    manquants: tuple[tuple[int, str], ...] = field(default=())  # (fiche, code indicateur)

    @property
    def taux(self) -> float | None:
        return self.mesures / self.attendus * 100 if self.attendus else None


def completude(fiches: Sequence[Fiche], annee: int) -> Completude:
    """Complétude des données de ``annee`` pour les actions en cours ou réalisées."""
    mesures, attendus, manquants = 0, 0, []
    for fiche in fiches:
        if etat_action(fiche, annee).statut not in ("en_cours", "realisee"):
            continue
        for ind in fiche.indicateurs:
            attendus += 1
            if any(m.annee == annee for m in ind.mesures):
                mesures += 1
            else:
                manquants.append((fiche.numero, ind.code))
    return Completude(mesures, attendus, tuple(manquants))
