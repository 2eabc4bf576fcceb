"""Lecture et vérification des évaluations (``data/evaluations/``) et des réunions des
instances (``data/instances/``).

:func:`charger_gouvernance` lit les fichiers (forme, via les modèles de
:mod:`cls_cli.evaluations`) ; :func:`verifier_gouvernance` applique les règles qui
croisent ces fichiers avec le référentiel (axes, objectifs, fiches, indicateurs, période
du contrat), chaque problème situé à la ligne de la valeur fautive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from cls_cli.chargement import Document, Referentiel, charger_modele, emplacement, position
from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau, Probleme
from cls_cli.evaluations import TYPES_INSTANCE, Evaluation, Instance
from cls_cli.identifiants import nommer, table
from cls_cli.references import contexte

DOSSIER_EVALUATIONS = "evaluations"
DOSSIER_INSTANCES = "instances"
NOM_EVALUATION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.yaml$")
NOM_INSTANCE = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(-[a-z0-9]+)*)\.yaml$")
#: Au-delà, le dossier n'est pas lu (même garde que pour les fiches).
NOMBRE_MAX_FICHIERS = 20_000

M = TypeVar("M", bound=BaseModel)
Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class Lu(Generic[M]):
    """Un fichier valide : son chemin, son document (positions) et son modèle."""

    chemin: Path
    document: Document
    modele: M

    @property
    def ident(self) -> str:
        return self.chemin.stem


@dataclass
class Gouvernance:
    """Les évaluations et les réunions lues, et les problèmes de forme."""

    evaluations: list[Lu[Evaluation]] = field(default_factory=list)
    instances: list[Lu[Instance]] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)

    def evaluation(self, ident: str) -> Lu[Evaluation] | None:
        return next((e for e in self.evaluations if e.ident == ident), None)


def slug_instance(type_: str) -> str:
    """Le type écrit dans un nom de fichier : ``copil_restreint`` -> ``copil-restreint``."""
    return type_.replace("_", "-")


def _fichiers(dossier: Path) -> list[Path]:
    if not dossier.is_dir():
        return []
    chemins = sorted(
        (p for p in dossier.iterdir() if p.name.endswith((".yaml", ".yml"))),
        key=lambda p: (p.stem, p.name),
    )
    return [p for p in chemins if p.is_file()][:NOMBRE_MAX_FICHIERS]


def _lire(
    dossier: Path, modele: type[M], racine: Path, g: Gouvernance, fiches: dict[str, Any]
) -> Iterator[Lu[M]]:
    for chemin in _fichiers(dossier):
        document, objet, problemes = charger_modele(chemin, modele, racine, fiches)
        g.problemes += problemes
        if document is not None and objet is not None:
            yield Lu(chemin, document, objet)


def charger_gouvernance(racine: Path) -> Gouvernance:
    """Lit ``evaluations/`` et ``instances/`` sous ``racine`` (absents : rien à lire) ; une
    fiche citée par son identifiant y est résolue en numéro (:mod:`cls_cli.references`)."""
    g = Gouvernance()
    fiches = contexte(racine)
    g.evaluations = list(_lire(racine / DOSSIER_EVALUATIONS, Evaluation, racine, g, fiches))
    g.instances = list(_lire(racine / DOSSIER_INSTANCES, Instance, racine, g, fiches))
    return g


def instances_enregistrees(racine: Path) -> list[Instance] | None:
    """Les réunions valides de ``racine/instances/`` pour le rapport annuel ; None sans ce
    dossier (aucune réunion enregistrée, ce qui n'est pas « zéro réunion »)."""
    if not (racine / DOSSIER_INSTANCES).is_dir():
        return None
    return [i.modele for i in charger_gouvernance(racine).instances]


# --- Règles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Contexte:
    racine: Path
    axes: frozenset[str]
    objectifs: frozenset[str]
    indicateurs: dict[int, frozenset[str]]  # fiche -> codes de ses indicateurs
    periode: tuple[int, int] | None
    noms: dict[int, str]  # fiche -> identifiant, pour nommer les fiches dans les messages


def _contexte(ref: Referentiel) -> _Contexte:
    noeuds = ref.arbre.noeuds.values()
    axes = {n.code for n in noeuds if n.niveau == "axe"}
    objectifs = {n.code for n in noeuds if n.niveau != "axe"}
    indicateurs = {f.numero: frozenset(i.code for i in f.indicateurs) for f in ref.fiches_valides()}
    periode = (ref.contrat.periode.debut, ref.contrat.periode.fin) if ref.contrat else None
    noms = table(ref.fiches_valides())
    return _Contexte(ref.racine, frozenset(axes), frozenset(objectifs), indicateurs, periode, noms)


def _pb(
    lu: Lu[Any], ctx: _Contexte, loc: Loc, message: str, correction: str, regle: str
) -> Probleme:
    ligne, colonne = position(lu.document.arbre_yaml, loc)
    affiche = emplacement(lu.chemin, ctx.racine)
    return Probleme(affiche, ligne, colonne, Niveau.ERREUR, message, correction, regle)


def _references(
    lu: Lu[Any], ctx: _Contexte, base: Loc, fiches: Sequence[int], objectifs: Sequence[str] = ()
) -> Iterator[Probleme]:
    """Les fiches et objectifs désignés sous ``base`` existent-ils ?"""
    for j, numero in enumerate(fiches):
        if numero not in ctx.indicateurs:
            yield _pb(
                lu,
                ctx,
                (*base, "fiches", j),
                f"la fiche {numero} n'existe pas",
                "indiquez le numéro d'une fiche de data/actions/ (cls list les affiche)",
                "fiche-inconnue",
            )
    for j, code in enumerate(objectifs):
        if code not in ctx.objectifs:
            yield _pb(
                lu,
                ctx,
                (*base, "objectifs", j),
                f"l'objectif « {code} » n'existe pas dans axes.yaml",
                "indiquez le code d'un objectif stratégique ou opérationnel de axes.yaml",
                "objectif-inconnu",
            )


def _regles_evaluation(lu: Lu[Evaluation], ctx: _Contexte) -> Iterator[Probleme]:
    ev = lu.modele
    if not NOM_EVALUATION.match(lu.chemin.name):
        yield _pb(
            lu,
            ctx,
            (),
            f"nom de fichier invalide « {lu.chemin.name} »",
            "nommez le fichier en minuscules sans accents, avec des tirets "
            "(ex. mi-parcours-2022.yaml)",
            "nom-fichier",
        )
    if ctx.periode:
        debut, fin = ctx.periode
        for cle, annee in (("debut", ev.periode.debut), ("fin", ev.periode.fin)):
            if not debut <= annee <= fin:
                yield _pb(
                    lu,
                    ctx,
                    ("periode", cle),
                    f"l'année {annee} est hors de la période du contrat ({debut}-{fin})",
                    "évaluez des années du contrat (contrat.yaml, « periode »)",
                    "annee-hors-periode",
                )
    codes: set[str] = set()
    for i, q in enumerate(ev.questions):
        base: Loc = ("questions", i)
        if q.code in codes:
            yield _pb(
                lu,
                ctx,
                (*base, "code"),
                f"le code de question « {q.code} » est déjà utilisé",
                "donnez un code différent à chaque question",
                "question-double",
            )
        codes.add(q.code)
        for j, axe in enumerate(q.portee.axes):
            if axe not in ctx.axes:
                yield _pb(
                    lu,
                    ctx,
                    (*base, "portee", "axes", j),
                    f"l'axe « {axe} » n'existe pas dans axes.yaml",
                    "indiquez le code d'un axe de axes.yaml (cls list affiche l'arbre)",
                    "axe-inconnu",
                )
        yield from _references(lu, ctx, (*base, "portee"), q.portee.fiches, q.portee.objectifs)
        for j, reference in enumerate(q.indicateurs):
            numero_texte, code = reference.split("/", 1)
            numero = int(numero_texte)
            if numero not in ctx.indicateurs:
                message = (
                    f"l'indicateur « {reference} » désigne la fiche {numero}, qui n'existe pas"
                )
            elif code not in ctx.indicateurs[numero]:
                message = f"la fiche {nommer(numero, ctx.noms)} n'a pas d'indicateur « {code} »"
            else:
                continue
            yield _pb(
                lu,
                ctx,
                (*base, "indicateurs", j),
                message,
                "écrivez fiche/code d'un indicateur existant (cls show NUMERO affiche les codes)",
                "indicateur-inconnu",
            )
    vues: set[str] = set()
    for i, p in enumerate(ev.preconisations):
        base = ("preconisations", i)
        if p.code in vues:
            yield _pb(
                lu,
                ctx,
                (*base, "code"),
                f"le code de préconisation « {p.code} » est déjà utilisé",
                "donnez un code différent à chaque préconisation",
                "preconisation-double",
            )
        vues.add(p.code)
        for j, code in enumerate(p.questions):
            if code not in codes:
                yield _pb(
                    lu,
                    ctx,
                    (*base, "questions", j),
                    f"la préconisation {p.code} renvoie à la question « {code} », qui n'existe pas",
                    "indiquez le code d'une question de cette évaluation",
                    "question-inconnue",
                )
        yield from _references(lu, ctx, base, p.fiches, p.objectifs)


def _date_et_type(nom: str) -> tuple[str, str] | None:
    """La date et le type lus dans le nom ``AAAA-MM-JJ-type[-précision].yaml``."""
    m = NOM_INSTANCE.match(nom)
    if m is None:
        return None
    reste = m.group(2)
    slugs = sorted((slug_instance(t) for t in TYPES_INSTANCE), key=len, reverse=True)
    trouve = next((s for s in slugs if reste == s or reste.startswith(s + "-")), None)
    return (m.group(1), trouve) if trouve else None


def _regles_instance(
    lu: Lu[Instance], ctx: _Contexte, vues: dict[tuple[str, str, str], Lu[Instance]]
) -> Iterator[Probleme]:
    inst = lu.modele
    attendu = f"{inst.date.isoformat()}-{slug_instance(inst.type)}"
    if _date_et_type(lu.chemin.name) != (inst.date.isoformat(), slug_instance(inst.type)):
        yield _pb(
            lu,
            ctx,
            (),
            f"le nom « {lu.chemin.name} » ne correspond pas à la réunion décrite "
            f"({inst.date.isoformat()}, {inst.type})",
            f"nommez le fichier {attendu}.yaml (ou {attendu}-precision.yaml)",
            "nom-fichier",
        )
    if ctx.periode and not ctx.periode[0] <= inst.date.year <= ctx.periode[1]:
        yield _pb(
            lu,
            ctx,
            ("date",),
            f"la date {inst.date.isoformat()} est hors de la période du contrat "
            f"({ctx.periode[0]}-{ctx.periode[1]})",
            "corrigez la date de la réunion",
            "date-hors-periode",
        )
    cle = (inst.date.isoformat(), inst.type, (inst.titre or "").casefold())
    premier = vues.setdefault(cle, lu)
    if premier is not lu:
        yield _pb(
            lu,
            ctx,
            ("date",),
            f"cette réunion ({inst.date.isoformat()}, {inst.type}) est déjà décrite dans "
            f"{premier.chemin.name}",
            "gardez un seul fichier par réunion (fusionnez-les)",
            "reunion-double",
        )
    for i, d in enumerate(inst.decisions):
        yield from _references(lu, ctx, ("decisions", i), d.fiches)


def verifier_gouvernance(ref: Referentiel, g: Gouvernance) -> list[Probleme]:
    """Les problèmes de cohérence des évaluations et réunions avec le référentiel."""
    ctx = _contexte(ref)
    problemes: list[Probleme] = []
    for ev in g.evaluations:
        problemes += _regles_evaluation(ev, ctx)
    vues: dict[tuple[str, str, str], Lu[Instance]] = {}
    for inst in g.instances:
        problemes += _regles_instance(inst, ctx, vues)
    return problemes


def problemes_gouvernance(ref: Referentiel) -> list[Probleme]:
    """Tous les problèmes (forme et cohérence) de ``evaluations/`` et ``instances/``."""
    g = charger_gouvernance(ref.racine)
    return g.problemes + verifier_gouvernance(ref, g)


def evaluation_verifiee(ref: Referentiel, g: Gouvernance, ident: str) -> Lu[Evaluation]:
    """L'évaluation ``ident``, si son fichier existe et est valide.

    Lève ErreurUsage si elle n'existe pas, ErreurDonnees (le premier problème, situé) si son
    fichier a une erreur : aucun rapport n'est produit sur une évaluation fausse.
    """
    chemin = ref.racine / DOSSIER_EVALUATIONS / f"{ident}.yaml"
    if not chemin.is_file():
        disponibles = ", ".join(e.ident for e in g.evaluations) or "aucune"
        raise ErreurUsage(
            f"évaluation « {ident} » introuvable : pas de fichier "
            f"{emplacement(chemin, ref.racine)} (disponibles : {disponibles}) ; "
            "créez-la avec cls evaluate new"
        )
    affiche = emplacement(chemin, ref.racine)
    lu = g.evaluation(ident)
    problemes = [p for p in g.problemes if p.chemin == affiche]
    if lu is not None:
        problemes += _regles_evaluation(lu, _contexte(ref))
    erreurs = sorted(p for p in problemes if p.niveau is Niveau.ERREUR)
    if erreurs or lu is None:
        p = erreurs[0]
        raise ErreurDonnees(p.chemin, p.ligne, p.colonne, p.message, p.correction, p.regle)
    return lu
