"""Les calculs d'évaluation : statut, avancement, complétude, atteinte des cibles.

Fonctions pures, sans entrée-sortie : elles prennent des fiches et une année et rendent
des nombres, ou ``None`` quand il n'y a pas de chiffre (jamais 0 ni une valeur inventée à
la place). Les règles, reprises mot pour mot dans la section « Méthode » des rapports et
dans le README :

- le statut d'une action en fin d'année Y est celui de son dernier point de suivi d'année
  ≤ Y ; sans point de suivi, l'action est « non renseignée » (ce n'est pas « à lancer ») ;
- son avancement est l'``avancement`` de ce point s'il est déclaré ; sinon 100 si elle est
  réalisée, 0 si elle est à lancer ; sinon (en cours, reportée) le dernier avancement
  déclaré dans un point antérieur, signalé comme repris avec son année ; sinon l'action
  est « avancement non déclaré » : hors des moyennes et comptée à part ;
- l'avancement d'un objectif, d'un axe ou du contrat est la moyenne simple des avancements
  des actions qu'il contient, sans les actions abandonnées, non renseignées ou sans
  avancement déclaré ; chaque moyenne dit sa couverture et combien de valeurs sont
  reprises d'une année antérieure ; une moyenne sur moins de :data:`SEUIL_FRAGILE` actions
  est fragile ; sans action restante, il n'y a pas de chiffre ;
- la valeur d'un indicateur en Y est la somme de ses mesures jusqu'à Y (``somme``) ou sa
  dernière valeur mesurée jusqu'à Y (``derniere``) ; une valeur manquante ne compte jamais
  pour 0 ;
- l'atteinte d'une cible est (valeur − référence) / (cible − référence), sans borne
  (200 % quand la cible est dépassée deux fois, négative quand la valeur s'éloigne de la
  cible), la référence valant 0 sans valeur de départ ; un indicateur oui/non atteint 100 %
  quand il vaut sa cible ; sans cible, ou avec une cible égale à la référence, pas
  d'atteinte ;
- la complétude des données en Y est la part des indicateurs des actions en cours,
  réalisées ou non renseignées en Y qui ont une mesure (valeur ou absence motivée) pour
  l'année Y ; par porteur, avec tous les porteurs de ces actions, même ceux qui n'ont rien
  rendu ;
- une action est en retard si son calendrier a commencé (``debut`` ≤ Y) et qu'elle est encore
  à lancer ou non renseignée ; hors délai si son calendrier est fini (``fin`` < Y) et qu'elle
  n'est ni réalisée ni abandonnée.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from cls_cli.memoire import retenue
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

#: L'avancement que le statut seul établit, quand le point de suivi n'en déclare pas.
AVANCEMENT_PAR_STATUT: dict[str, float] = {"a_lancer": 0, "realisee": 100}

#: Les statuts qui sortent une action des moyennes.
HORS_MOYENNE = (NON_RENSEIGNEE, "abandonnee")

#: Une moyenne qui repose sur moins d'actions que ce seuil est fragile.
SEUIL_FRAGILE = 3

#: Les statuts dont les actions doivent rendre leurs mesures (complétude).
STATUTS_ATTENDUS = ("en_cours", "realisee", NON_RENSEIGNEE)


def statut_a(fiche: Fiche, annee: int | None = None) -> Suivi | None:
    """Le dernier point de suivi d'année ≤ ``annee`` (le tout dernier si ``annee`` est None)."""
    dernier = None  # le premier des points de la plus grande année (comme max())
    for point in fiche.suivi:
        if (annee is None or point.annee <= annee) and (
            dernier is None or point.annee > dernier.annee
        ):
            dernier = point
    return dernier


@dataclass(frozen=True)
class EtatAction:
    """Où en est une action en fin d'année.

    ``avancement_annee`` est l'année du point de suivi d'où vient l'avancement ;
    ``avancement_repris`` dit qu'il vient d'une année antérieure (action en cours ou
    reportée dont le dernier point ne déclare pas d'avancement). ``commentaire`` est le
    dernier commentaire donné depuis que l'action a son statut (``commentaire_annee``).
    """

    numero: int
    statut: str
    avancement: float | None
    en_retard: bool
    hors_delai: bool
    commentaire: str | None = None
    avancement_annee: int | None = None
    avancement_repris: bool = False
    commentaire_annee: int | None = None

    @property
    def dans_la_moyenne(self) -> bool:
        return self.statut not in HORS_MOYENNE and self.avancement is not None

    @property
    def non_declare(self) -> bool:
        """En vigueur et suivie, mais sans avancement connu : « avancement non déclaré »."""
        return self.statut not in HORS_MOYENNE and self.avancement is None


def _avancement(fiche: Fiche, suivi: Suivi) -> tuple[float | None, int | None, bool]:
    """(avancement, année d'où il vient, repris d'une année antérieure ?)."""
    if suivi.statut == "abandonnee":
        return None, None, False
    if suivi.avancement is not None:
        return float(suivi.avancement), suivi.annee, False
    if suivi.statut in AVANCEMENT_PAR_STATUT:
        return AVANCEMENT_PAR_STATUT[suivi.statut], suivi.annee, False
    anterieurs = [s for s in fiche.suivi if s.annee < suivi.annee and s.avancement is not None]
    if not anterieurs:
        return None, None, False
    dernier = max(anterieurs, key=lambda s: s.annee)
    return float(dernier.avancement), dernier.annee, True  # type: ignore[arg-type]


def _commentaire(fiche: Fiche, suivi: Suivi) -> tuple[str | None, int | None]:
    """Le dernier commentaire des points de suivi consécutifs qui ont le statut actuel :
    la raison d'un report donnée en 2022 vaut encore en 2023 si rien n'a changé."""
    for point in sorted((s for s in fiche.suivi if s.annee <= suivi.annee), key=lambda s: -s.annee):
        if point.statut != suivi.statut:
            break
        if point.commentaire:
            return point.commentaire, point.annee
    return None, None


@retenue
def etat_action(fiche: Fiche, annee: int) -> EtatAction:
    """Statut, avancement, retard d'une action à la fin de ``annee``."""
    suivi = statut_a(fiche, annee)
    statut = suivi.statut if suivi else NON_RENSEIGNEE
    avancement, avancement_annee, repris = (
        _avancement(fiche, suivi) if suivi else (None, None, False)
    )
    commentaire, commentaire_annee = _commentaire(fiche, suivi) if suivi else (None, None)
    c = fiche.dates
    debut, fin = (c.debut, c.fin) if c else (None, None)
    en_retard = debut is not None and debut <= annee and statut in ("a_lancer", NON_RENSEIGNEE)
    hors_delai = fin is not None and fin < annee and statut not in ("realisee", "abandonnee")
    return EtatAction(
        fiche.numero,
        statut,
        avancement,
        en_retard,
        hors_delai,
        commentaire,
        avancement_annee,
        repris,
        commentaire_annee,
    )


@dataclass(frozen=True)
class AvancementMoyen:
    """L'avancement moyen d'un ensemble d'actions, avec sa couverture.

    ``renseignees`` compte les actions dans la moyenne, dont ``reprises`` (valeurs reprises
    d'une année antérieure) ; ``abandonnees``, ``non_renseignees`` et ``non_declarees``
    (avancement non déclaré) sont hors de la moyenne.
    """

    avancement: float | None
    renseignees: int
    total: int
    abandonnees: tuple[int, ...] = ()
    non_renseignees: tuple[int, ...] = ()
    non_declarees: tuple[int, ...] = ()
    reprises: tuple[int, ...] = ()

    @property
    def fragile(self) -> bool:
        """Un chiffre qui repose sur moins de :data:`SEUIL_FRAGILE` actions."""
        return self.avancement is not None and self.renseignees < SEUIL_FRAGILE


def avancement_moyen(etats: Iterable[EtatAction]) -> AvancementMoyen:
    """Moyenne simple des avancements connus, sans abandonnées, non renseignées ni non déclarées."""
    etats = list(etats)
    retenus = [e.avancement for e in etats if e.dans_la_moyenne and e.avancement is not None]
    return AvancementMoyen(
        avancement=sum(retenus) / len(retenus) if retenus else None,
        renseignees=len(retenus),
        total=len(etats),
        abandonnees=tuple(sorted(e.numero for e in etats if e.statut == "abandonnee")),
        non_renseignees=tuple(sorted(e.numero for e in etats if e.statut == NON_RENSEIGNEE)),
        non_declarees=tuple(
            sorted(e.numero for e in etats if e.non_declare and e.statut != NON_RENSEIGNEE)
        ),
        reprises=tuple(
            sorted(e.numero for e in etats if e.dans_la_moyenne and e.avancement_repris)
        ),
    )


def _est_nombre(valeur: object) -> bool:
    return isinstance(valeur, int | float) and valeur is not True and valeur is not False


_annee = attrgetter("annee")


def valeur_indicateur(indicateur: Indicateur, annee: int) -> Valeur | None:
    """La valeur d'un indicateur à la fin de ``annee`` (None s'il n'y en a pas)."""
    mesurees = [m for m in indicateur.mesures if m.annee <= annee and m.valeur is not None]
    if not mesurees:
        return None
    if indicateur.agregation == "somme" and indicateur.type == "nombre":
        mesurees.sort(key=_annee)  # l'ordre des années : celui de la somme des flottants
        nombres = [v for m in mesurees if _est_nombre(v := m.valeur)]
        return sum(nombres) if nombres else None  # type: ignore[arg-type]
    derniere = mesurees[0]  # la dernière des mesures de la plus grande année
    for mesure in mesurees:
        if mesure.annee >= derniere.annee:
            derniere = mesure
    return derniere.valeur


def annee_valeur(indicateur: Indicateur, annee: int) -> int | None:
    """L'année de la dernière mesure qui entre dans :func:`valeur_indicateur`."""
    return max(
        (m.annee for m in indicateur.mesures if m.annee <= annee and m.valeur is not None),
        default=None,
    )


@retenue
def atteinte(indicateur: Indicateur, annee: int) -> float | None:
    """Part de la cible atteinte en fin d'``annee``, en %, sans borne ; None sans cible."""
    valeur = valeur_indicateur(indicateur, annee)
    cible = indicateur.cible
    if cible is None or valeur is None:
        return None
    if indicateur.type == "booleen":
        return 100.0 if valeur == cible else 0.0
    if not (_est_nombre(valeur) and _est_nombre(cible)):
        return None
    reference = indicateur.reference.valeur if indicateur.reference else 0
    if not _est_nombre(reference) or cible == reference:
        return None
    return float((valeur - reference) / (cible - reference) * 100)  # type: ignore[operator]


@dataclass(frozen=True)
class Completude:
    """La part des indicateurs attendus qui ont une mesure pour l'année."""

    mesures: int
    attendus: int
    manquants: tuple[tuple[int, str], ...] = field(default=())  # (fiche, code indicateur)

    @property
    def taux(self) -> float | None:
        return self.mesures / self.attendus * 100 if self.attendus else None


def _attendue(fiche: Fiche, annee: int) -> bool:
    return etat_action(fiche, annee).statut in STATUTS_ATTENDUS


def completude(fiches: Sequence[Fiche], annee: int) -> Completude:
    """Complétude des données de ``annee`` : actions en cours, réalisées ou non renseignées."""
    mesures, attendus, manquants = 0, 0, []
    for fiche in fiches:
        if not _attendue(fiche, annee):
            continue
        for ind in fiche.indicateurs:
            attendus += 1
            if any(m.annee == annee for m in ind.mesures):
                mesures += 1
            else:
                manquants.append((fiche.numero, ind.code))
    return Completude(mesures, attendus, tuple(manquants))


def porteurs(fiches: Iterable[Fiche]) -> list[tuple[str, list[Fiche]]]:
    """Chaque porteur de ``fiches`` et ses fiches, dans l'ordre où il apparaît.

    Deux écritures d'un porteur qui ne diffèrent que par la casse ou les espaces sont le même
    porteur, nommé par son écriture la plus fréquente ; cité deux fois dans une fiche, il ne
    la compte qu'une fois.
    """
    fiches_porteur: dict[str, list[Fiche]] = {}
    ecritures: dict[str, Counter[str]] = {}
    for f in fiches:
        for p in f.liste_porteurs:
            cle = " ".join(p.split()).casefold()
            ecritures.setdefault(cle, Counter())[p] += 1
            groupe = fiches_porteur.setdefault(cle, [])
            if not groupe or groupe[-1] is not f:
                groupe.append(f)
    return [
        (min(ecritures[cle].items(), key=lambda e: (-e[1], e[0]))[0], groupe)
        for cle, groupe in fiches_porteur.items()
    ]


def completude_par_porteur(fiches: Sequence[Fiche], annee: int) -> list[tuple[str, Completude]]:
    """La complétude de chaque porteur (voir :func:`porteurs`) des actions attendues, même
    s'il n'a rien rendu. Un porteur de qui aucune mesure n'est attendue n'y figure pas.
    Du plus bas au plus haut taux, puis par nom (un ordre qui ne dépend que des données).
    """
    resultat = []
    for nom, groupe in porteurs(f for f in fiches if _attendue(f, annee)):
        c = completude(groupe, annee)
        if c.attendus:
            resultat.append((nom, c))
    return sorted(
        resultat, key=lambda pc: (pc[1].mesures / pc[1].attendus, pc[0].casefold(), pc[0])
    )


#: Une action réalisée dont toutes les cibles sont sous ce seuil d'atteinte contredit son statut.
SEUIL_CONTRADICTION = 50


@dataclass(frozen=True)
class Resultats:
    """Les résultats d'un ensemble d'actions : leurs indicateurs à cible et leur atteinte.

    ``avec_cible`` compte les indicateurs qui ont une cible (actions non abandonnées),
    ``mesures`` ceux dont l'atteinte se calcule, ``atteints`` ceux à 100 % ou plus.
    """

    avec_cible: int
    mesures: int
    atteints: int
    mediane: float | None


def _atteintes(fiche: Fiche, annee: int) -> list[float]:
    return [a for ind in fiche.indicateurs if (a := atteinte(ind, annee)) is not None]


def resultats(fiches: Sequence[Fiche], annee: int) -> Resultats:
    """Combien d'indicateurs à cible, combien atteints, atteinte médiane (sans les abandonnées)."""
    retenues = [f for f in fiches if etat_action(f, annee).statut != "abandonnee"]
    atteintes = sorted(a for f in retenues for a in _atteintes(f, annee))
    return Resultats(
        avec_cible=sum(1 for f in retenues for ind in f.indicateurs if ind.cible is not None),
        mesures=len(atteintes),
        atteints=sum(1 for a in atteintes if a >= 100),
        mediane=statistics.median(atteintes) if atteintes else None,
    )


@dataclass(frozen=True)
class Contradiction:
    """Une action dont le statut et les résultats se contredisent."""

    numero: int
    statut: str
    atteintes: tuple[float, ...]


def contradictions(fiches: Sequence[Fiche], annee: int) -> list[Contradiction]:
    """Les actions réalisées dont toutes les cibles mesurées sont sous
    :data:`SEUIL_CONTRADICTION` %, et les actions à lancer dont une cible est atteinte."""
    resultat = []
    for f in fiches:
        statut = etat_action(f, annee).statut
        atteintes = _atteintes(f, annee)
        if not atteintes:
            continue
        if (statut == "realisee" and max(atteintes) < SEUIL_CONTRADICTION) or (
            statut == "a_lancer" and max(atteintes) >= 100
        ):
            resultat.append(Contradiction(f.numero, statut, tuple(atteintes)))
    return sorted(resultat, key=lambda c: c.numero)
