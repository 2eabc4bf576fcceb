"""Les règles de ``cls validate`` qui croisent les avenants et les fiches : une fiche ne
reçoit de saisie que pendant qu'elle est en vigueur, n'est pas rangée sous un axe ou un
objectif retiré, et une fiche retirée porte ``retiree`` (avenant, année, motif) d'accord avec
l'avenant qui la retire. (Les autres règles des avenants : :mod:`cls_cli.regles_avenants`.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cls_cli.avenants import DOSSIER_AVENANTS, Avenant, Avenants
from cls_cli.chargement import FicheChargee, Referentiel, emplacement, position
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.identifiants import identifiant

Loc = tuple[int | str, ...]


def ici(
    racine: Path,
    chemin: Path,
    arbre_yaml: Any,
    loc: Loc,
    message: str,
    correction: str,
    regle: str,
    niveau: Niveau = Niveau.ERREUR,
) -> Probleme:
    ligne, colonne = position(arbre_yaml, loc)
    return Probleme(emplacement(chemin, racine), ligne, colonne, niveau, message, correction, regle)


def apres_retrait(
    ref: Referentiel, avenants: Avenants, fiches: dict[int, FicheChargee]
) -> Iterator[Probleme]:
    """Une fiche retirée ne reçoit plus de mesure ni de point de suivi après l'année du retrait."""
    for av in avenants.valides():
        for ch in av.changements:
            if ch.type != "fiche_retiree" or ch.fiche not in fiches:
                continue
            fc = fiches[ch.fiche]
            fiche = fc.fiche
            if fiche is None:
                continue
            annee = av.date.year
            correction = (
                f"la fiche {identifiant(fiche)} est retirée par l'avenant n° {av.numero} "
                f"({av.date.isoformat()}) : supprimez cette saisie ou corrigez l'année"
            )
            for i, ind in enumerate(fiche.indicateurs):
                for j, m in enumerate(ind.mesures):
                    if m.annee > annee:
                        yield ici(
                            ref.racine,
                            fc.chemin,
                            fc.arbre_yaml,
                            ("indicateurs", i, "mesures", j, "annee"),
                            f"mesure {m.annee} de « {ind.code} » après le retrait de la fiche "
                            f"({annee})",
                            correction,
                            "fiche-retiree",
                        )
            for j, s in enumerate(fiche.suivi):
                if s.annee > annee:
                    yield ici(
                        ref.racine,
                        fc.chemin,
                        fc.arbre_yaml,
                        ("suivi", j, "annee"),
                        f"point de suivi {s.annee} après le retrait de la fiche ({annee})",
                        correction,
                        "fiche-retiree",
                    )


def avant_ajout(
    ref: Referentiel, avenants: Avenants, fiches: dict[int, FicheChargee]
) -> Iterator[Probleme]:
    """Une fiche ajoutée par un avenant n'a ni mesure ni point de suivi avant l'année de son
    ajout (les rapports de ces années ne la comptent pas : la saisie serait perdue de vue)."""
    for av in avenants.valides():
        for ch in av.changements:
            if ch.type != "fiche_ajoutee" or ch.fiche not in fiches:
                continue
            fc = fiches[ch.fiche]
            if fc.fiche is None:
                continue
            annee = av.date.year
            correction = (
                f"la fiche {identifiant(fc.fiche)} n'est en vigueur qu'à partir de l'avenant "
                f"n° {av.numero} ({av.date.isoformat()}) : supprimez cette saisie, ou la valeur "
                "de départ va sous « reference: »"
            )
            for i, ind in enumerate(fc.fiche.indicateurs):
                for j, m in enumerate(ind.mesures):
                    if m.annee < annee:
                        yield ici(
                            ref.racine,
                            fc.chemin,
                            fc.arbre_yaml,
                            ("indicateurs", i, "mesures", j, "annee"),
                            f"mesure {m.annee} de « {ind.code} » avant l'ajout de la fiche "
                            f"({annee})",
                            correction,
                            "fiche-avant-ajout",
                            Niveau.AVERTISSEMENT,
                        )
            for j, s in enumerate(fc.fiche.suivi):
                if s.annee < annee:
                    yield ici(
                        ref.racine,
                        fc.chemin,
                        fc.arbre_yaml,
                        ("suivi", j, "annee"),
                        f"point de suivi {s.annee} avant l'ajout de la fiche ({annee})",
                        correction,
                        "fiche-avant-ajout",
                        Niveau.AVERTISSEMENT,
                    )


def objectifs_retires(ref: Referentiel, avenants: Avenants) -> Iterator[Probleme]:
    """Aucune fiche encore en vigueur après le retrait d'un axe ou d'un objectif n'y est rangée."""
    from cls_cli.en_vigueur import bornes

    valides = avenants.valides()
    b = bornes(valides)
    for av in valides:
        for ch in av.changements:
            if ch.code is None or not ch.type.endswith("_retire"):
                continue
            for fc in ref.fiches:
                f = fc.fiche
                if f is None or ch.code not in ref.arbre.chemin(f.objectif):
                    continue
                retrait = b[f.numero].retrait if f.numero in b else None
                if retrait is None or retrait.date > av.date:
                    yield ici(
                        ref.racine,
                        fc.chemin,
                        fc.arbre_yaml,
                        ("objectif",),
                        f"la fiche {identifiant(f)} est rangée sous {ch.code}, retiré par "
                        f"l'avenant n° {av.numero}",
                        "rangez-la sous un autre objectif (fiche_modifiee, quoi: objectif) ou "
                        "retirez-la par le même avenant",
                        "avenant-objectif-retire",
                    )


def _mots(texte: str) -> str:
    return " ".join(texte.split())


def retrait_attendu(av: Avenant, motif: str) -> dict[str, int | str]:
    """La valeur de ``retiree`` qu'une fiche retirée par ``av`` (avec ``motif``) doit porter."""
    return {"avenant": av.numero, "annee": av.date.year, "motif": _mots(motif)}


def _en_yaml(attendu: dict[str, int | str]) -> str:
    return (
        f"retiree: {{avenant: {attendu['avenant']}, annee: {attendu['annee']}, "
        f"motif: {json.dumps(attendu['motif'], ensure_ascii=False)}}}"
    )


def retraits_inscrits(
    ref: Referentiel, avenants: Avenants, fiches: dict[int, FicheChargee]
) -> Iterator[Probleme]:
    """Une fiche retirée par un avenant porte ``retiree`` qui cite cet avenant, avec l'année
    de sa date et le même motif ; une fiche qui porte ``retiree`` est bien retirée par
    l'avenant qu'elle cite."""
    retraits: dict[int, tuple[Avenant, str]] = {}
    for av in avenants.valides():
        for ch in av.changements:
            if ch.type == "fiche_retiree" and ch.fiche is not None and ch.motif is not None:
                retraits.setdefault(ch.fiche, (av, ch.motif))  # un doublon : avenant-fiche-double
    numeros = {a.numero for a in avenants.valides()}
    numeros |= {int(n) for f in avenants.fichiers if (n := f.chemin.stem).isdigit()}
    for numero, fc in sorted(fiches.items()):
        fiche = fc.fiche
        if fiche is None:
            continue
        nom = identifiant(fiche)
        if numero in retraits:
            av, motif = retraits[numero]
            attendu = retrait_attendu(av, motif)
            origine = f"l'avenant n° {av.numero} ({DOSSIER_AVENANTS}/{av.numero}.yaml)"
            if fiche.retiree is None:
                yield ici(
                    ref.racine,
                    fc.chemin,
                    fc.arbre_yaml,
                    ("numero",),
                    f"la fiche {nom} est retirée par {origine} mais ne le dit pas "
                    "(pas de clé « retiree »)",
                    f"ajoutez à la fiche la ligne « {_en_yaml(attendu)} »",
                    "retiree-manquante",
                )
                continue
            porte = {
                "avenant": fiche.retiree.avenant,
                "annee": fiche.retiree.annee,
                "motif": _mots(fiche.retiree.motif),
            }
            for cle in ("avenant", "annee", "motif"):
                if porte[cle] != attendu[cle]:
                    quoi = {"avenant": "le numéro", "annee": "l'année", "motif": "le motif"}[cle]
                    yield ici(
                        ref.racine,
                        fc.chemin,
                        fc.arbre_yaml,
                        ("retiree", cle),
                        f"« retiree » de la fiche {nom} ne donne pas {quoi} de {origine}, "
                        f"qui la retire : {porte[cle]!r} au lieu de {attendu[cle]!r}",
                        f"recopiez-le de l'avenant : « {_en_yaml(attendu)} »",
                        "retiree-discordante",
                    )
                    break  # un seul problème par fiche : la correction donne tout
        elif fiche.retiree is not None:
            cite = fiche.retiree.avenant
            if cite in numeros:
                message = f"l'avenant n° {cite} ne retire pas la fiche {nom}"
            else:
                message = (
                    f"la fiche {nom} se dit retirée par l'avenant n° {cite}, introuvable "
                    f"({DOSSIER_AVENANTS}/{cite}.yaml)"
                )
            yield ici(
                ref.racine,
                fc.chemin,
                fc.arbre_yaml,
                ("retiree", "avenant"),
                message,
                f"inscrivez le retrait dans l'avenant (« cls withdraw {nom} --avenant N "
                "--motif … » écrit les deux fichiers) ou, si la fiche est en vigueur, "
                "supprimez « retiree » de la fiche",
                "retiree-sans-retrait",
            )
