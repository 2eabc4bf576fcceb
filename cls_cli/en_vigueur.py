"""Les fiches en vigueur à une date ou une année, d'après les avenants.

Les règles (reprises dans le README, section « Avenants ») :

- une fiche du contrat de base est en vigueur dès la signature ; une fiche ajoutée par un
  avenant, dès la date de cet avenant ; une fiche retirée, jusqu'à la date de l'avenant qui
  la retire (exclue : ce jour-là, elle n'est plus en vigueur) ;
- une fiche compte pour l'année Y si elle a été en vigueur à un moment de Y (pas de
  prorata) : la fiche retirée en 2023 compte en 2023, plus en 2024 ; elle n'est pas
  « abandonnée » et ses chiffres passés restent dans les années passées ;
- une cible changée par un avenant daté de l'année Y vaut sa valeur « avant » pour les
  années antérieures à Y et sa valeur « après » (celle de la fiche) à partir de Y ; de même
  à une date, pour ``cls contract --at``.

Fonctions pures : des fiches et des avenants en entrée, des fiches en sortie.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cls_cli.avenants import DOSSIER_AVENANTS, Avenant, Changement, avenants_surs
from cls_cli.chargement import Referentiel
from cls_cli.identifiants import nommer
from cls_cli.modeles import Fiche, Indicateur


@dataclass(frozen=True)
class Bornes:
    """Quand une fiche entre et sort du contrat (None : contrat de base, ou jamais retirée)."""

    ajout: Avenant | None = None
    retrait: Avenant | None = None

    def en_vigueur_le(self, date: dt.date) -> bool:
        return (self.ajout is None or self.ajout.date <= date) and (
            self.retrait is None or date < self.retrait.date
        )

    def en_vigueur_en(self, annee: int) -> bool:
        return (self.ajout is None or self.ajout.date.year <= annee) and (
            self.retrait is None or annee <= self.retrait.date.year
        )


def bornes(avenants: Sequence[Avenant]) -> dict[int, Bornes]:
    """Numéro de fiche -> ses bornes, pour les fiches qu'un avenant ajoute ou retire
    (le premier avenant qui le fait compte ; ``cls validate`` refuse les doublons)."""
    resultat: dict[int, Bornes] = {}
    for av in sorted(avenants, key=lambda a: a.numero):
        for ch in av.changements:
            if ch.fiche is None or ch.type not in ("fiche_ajoutee", "fiche_retiree"):
                continue
            b = resultat.get(ch.fiche, Bornes())
            if ch.type == "fiche_ajoutee" and b.ajout is None:
                resultat[ch.fiche] = Bornes(av, b.retrait)
            elif ch.type == "fiche_retiree" and b.retrait is None:
                resultat[ch.fiche] = Bornes(b.ajout, av)
    return resultat


def _cibles(fiche: Fiche, avenants: Sequence[Avenant], apres: dt.date) -> Fiche:
    """La fiche avec les cibles d'avant les avenants datés après ``apres`` (la fiche elle-même
    si aucun ne change ses cibles)."""
    anciennes: dict[str, Indicateur] = {}
    for av in sorted(avenants, key=lambda a: a.numero, reverse=True):  # le plus ancien gagne
        if av.date <= apres:
            continue
        for ch in av.changements:
            if ch.fiche == fiche.numero and ch.quoi == "cible" and ch.indicateur is not None:
                ind = next((i for i in fiche.indicateurs if i.code == ch.indicateur), None)
                if ind is not None:
                    anciennes[ind.code] = ind.model_copy(update={"cible": ch.avant})
    if not anciennes:
        return fiche
    return fiche.model_copy(
        update={"indicateurs": [anciennes.get(i.code, i) for i in fiche.indicateurs]}
    )


def en_vigueur(fiches: Sequence[Fiche], avenants: Sequence[Avenant], annee: int) -> list[Fiche]:
    """Les fiches en vigueur à un moment de ``annee``, avec les cibles de cette année-là."""
    if not avenants:
        return list(fiches)
    b = bornes(avenants)
    fin_annee = dt.date(annee, 12, 31)  # un changement de l'année vaut pour toute l'année
    return [
        _cibles(f, avenants, fin_annee)
        for f in fiches
        if b.get(f.numero, Bornes()).en_vigueur_en(annee)
    ]


def en_vigueur_le(
    fiches: Sequence[Fiche], avenants: Sequence[Avenant], date: dt.date
) -> list[Fiche]:
    """Les fiches en vigueur le jour ``date``, avec les cibles de ce jour-là."""
    b = bornes(avenants)
    return [
        _cibles(f, avenants, date) for f in fiches if b.get(f.numero, Bornes()).en_vigueur_le(date)
    ]


def selon_annee(
    fiches: Sequence[Fiche], avenants: Sequence[Avenant], annee: int | None
) -> tuple[list[Fiche], list[Fiche]]:
    """(fiches en vigueur à un moment de ``annee``, fiches hors vigueur cette année-là) ;
    sans année, toutes les fiches sont gardées (``cls list``). Les fiches gardent leurs
    cibles actuelles : seule la sélection change."""
    if annee is None or not avenants:
        return list(fiches), []
    b = bornes(avenants)
    dedans = [f for f in fiches if b.get(f.numero, Bornes()).en_vigueur_en(annee)]
    numeros = {f.numero for f in dedans}
    return dedans, [f for f in fiches if f.numero not in numeros]


def changements_de_la_fiche(
    numero: int, avenants: Sequence[Avenant]
) -> list[tuple[Avenant, Changement]]:
    """Les changements d'avenants qui portent sur la fiche ``numero``, dans l'ordre."""
    return [
        (av, ch)
        for av in sorted(avenants, key=lambda a: a.numero)
        for ch in av.changements
        if ch.fiche == numero
    ]


@dataclass(frozen=True)
class Mouvement:
    """Une fiche ajoutée ou retirée par un avenant."""

    fiche: int
    avenant: int
    date: dt.date
    motif: str | None = None


def mouvements(avenants: Sequence[Avenant], annee: int) -> tuple[list[Mouvement], list[Mouvement]]:
    """Les fiches ajoutées et les fiches retirées par les avenants datés de ``annee``."""
    ajoutees, retirees = [], []
    for av in sorted(avenants, key=lambda a: a.numero):
        if av.date.year != annee:
            continue
        for ch in av.changements:
            if ch.fiche is not None and ch.type == "fiche_ajoutee":
                ajoutees.append(Mouvement(ch.fiche, av.numero, av.date))
            elif ch.fiche is not None and ch.type == "fiche_retiree":
                retirees.append(Mouvement(ch.fiche, av.numero, av.date, ch.motif))
    return ajoutees, retirees


def _avenant(a: Avenant) -> dict[str, Any]:
    return {"numero": a.numero, "date": a.date.isoformat(), "signe": a.signe, "motif": a.motif}


def resume_avenants(avenants: Sequence[Avenant], annee: int) -> dict[str, Any]:
    """Pour le rapport de ``annee`` : les avenants en vigueur (datés de ``annee`` ou avant)
    et les fiches ajoutées ou retirées dans l'année."""
    ajoutees, retirees = mouvements(avenants, annee)
    return {
        "en_vigueur": [
            _avenant(a) for a in sorted(avenants, key=lambda a: a.numero) if a.date.year <= annee
        ],
        "ajoutees": [{"fiche": m.fiche, "avenant": m.avenant} for m in ajoutees],
        "retirees": [{"fiche": m.fiche, "avenant": m.avenant, "motif": m.motif} for m in retirees],
    }


def avenants_de_la_periode(
    avenants: Sequence[Avenant], debut: int, fin: int
) -> list[dict[str, Any]]:
    """Pour l'évaluation des années ``debut`` à ``fin`` : les avenants signés ou décidés
    pendant la période (datés de ces années), chacun avec les fiches qu'il ajoute et celles
    qu'il retire (les mêmes :func:`mouvements` que le rapport annuel)."""
    resultat = []
    for annee in range(debut, fin + 1):
        ajoutees, retirees = mouvements(avenants, annee)
        for a in sorted(avenants, key=lambda a: a.numero):
            if a.date.year != annee:
                continue
            resultat.append(
                _avenant(a)
                | {
                    "ajoutees": [m.fiche for m in ajoutees if m.avenant == a.numero],
                    "retirees": [
                        {"fiche": m.fiche, "motif": m.motif}
                        for m in retirees
                        if m.avenant == a.numero
                    ],
                }
            )
    return sorted(resultat, key=lambda r: r["numero"])


def libelles_arbre(ref: Referentiel) -> dict[str, str]:
    """Code -> libellé de chaque axe et objectif (stratégique et opérationnel) de axes.yaml."""
    return ref.arbre.libelles()


def libelles_le(
    libelles: dict[str, str], avenants: Sequence[Avenant], date: dt.date
) -> dict[str, str | None]:
    """Code -> libellé de chaque axe et objectif le jour ``date`` : ``libelles`` (ceux de
    axes.yaml, les plus récents) avec les avenants postérieurs défaits ; None pour un axe
    ou un objectif pas encore ajouté ou déjà retiré ce jour-là."""
    resultat: dict[str, str | None] = dict(libelles)
    tries = sorted(avenants, key=lambda a: a.numero)
    for av in reversed([a for a in tries if a.date > date]):  # défaire, du plus récent
        for ch in av.changements:
            if ch.code is not None and ch.type.endswith("_reformule"):
                resultat[ch.code] = str(ch.avant)
            elif ch.code is not None and ch.type.endswith("_ajoute"):
                resultat[ch.code] = None
    for av in tries:
        for ch in av.changements:
            if ch.code is not None and ch.type.endswith("_retire") and av.date <= date:
                resultat[ch.code] = None
    return resultat


def libelles_annee(ref: Referentiel, avenants: Sequence[Avenant], annee: int) -> dict[str, str]:
    """Pour le rapport de ``annee`` : les libellés reformulés par un avenant postérieur à
    ``annee`` (valeur « avant ») ; les autres restent ceux de axes.yaml (absents ici)."""
    if not avenants:
        return {}
    actuels = libelles_arbre(ref)
    return {
        code: libelle
        for code, libelle in libelles_le(actuels, avenants, dt.date(annee, 12, 31)).items()
        if libelle is not None and libelle != actuels.get(code)
    }


def bornes_du_dossier(racine: Path) -> dict[int, Bornes]:
    """Les bornes de vigueur des fiches que les avenants valides de ``racine`` ajoutent ou
    retirent (aucune sans dossier ``avenants/``)."""
    if not (racine / DOSSIER_AVENANTS).is_dir():
        return {}
    return bornes(avenants_surs(racine))


def raison_hors_vigueur(
    b: Bornes | None, numero: int, annee: int, identifiants: Mapping[int, str] | None = None
) -> str | None:
    """Pourquoi la fiche ``numero`` ne reçoit pas de saisie pour ``annee`` (après l'année de
    son retrait, avant celle de son ajout), ou None si elle est en vigueur cette année-là.
    La phrase nomme la fiche par son identifiant quand ``identifiants`` (numéro ->
    identifiant, :func:`cls_cli.identifiants.table`) le donne, sinon par son numéro."""
    if b is None or b.en_vigueur_en(annee):
        return None
    nom = nommer(numero, identifiants or {})
    if b.retrait is not None and annee > b.retrait.date.year:
        return (
            f"la fiche {nom} est retirée du contrat par l'avenant n° {b.retrait.numero} "
            f"({b.retrait.date.isoformat()}, {DOSSIER_AVENANTS}/{b.retrait.numero}.yaml) : "
            f"elle ne reçoit plus de saisie après {b.retrait.date.year}"
        )
    if b.ajout is not None:
        return (
            f"la fiche {nom} n'entre au contrat qu'avec l'avenant n° {b.ajout.numero} "
            f"({b.ajout.date.isoformat()}) : pas de saisie pour {annee}"
        )
    return None
