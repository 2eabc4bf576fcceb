"""Les niveaux du contrat dans le tableau des fiches (``cls import-fiches``).

Un contrat a un, deux ou trois niveaux au-dessus des fiches (``structure:`` de
``contrat.yaml``, :data:`~cls_cli.modeles.STRUCTURES`) : le tableau en a une colonne par
niveau (Axe ; Axe, Objectif ; Axe, Objectif stratégique, Objectif opérationnel), chaque
cellule « code libellé ». Ce module dit quelle structure a l'arbre cible
(:func:`structure_declaree`), lit les niveaux de chaque ligne (:func:`lire_niveaux`),
refuse une colonne remplie d'un niveau que le contrat n'a pas (:func:`hors_structure`) et
écrit ``axes.yaml`` avec l'imbrication de la structure (:func:`axes_document`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from cls_cli.chargement import charger_modele
from cls_cli.colonnes_fiches import NIVEAUX, TROIS_NIVEAUX, colonne
from cls_cli.emplacements import FICHIER_CONTRAT
from cls_cli.erreurs import ErreurDonnees, Niveau
from cls_cli.lecture_types import LigneLue
from cls_cli.modeles import CLE_DU_NIVEAU, STRUCTURES, Contrat, NiveauArbre
from cls_cli.schema import ligne_schema
from cls_cli.structure import tri_naturel
from cls_cli.yamlio import vers_texte

_PREFIXE = r"(?i:axe|objectif(?:\s+(?:strat[ée]gique|op[ée]rationnel))?|os|oo)?"
_CODE = re.compile(
    rf"^\s*{_PREFIXE}\s*(?:n°\s*)?(?P<code>[0-9]+(?:\.[0-9]+)*|[A-Z]{{1,4}}(?:[.\-][0-9A-Z]+)*)"
    r"(?:\s*[-–—:.)]\s*|\s+|$)(?P<libelle>.*)$",
    re.DOTALL,
)


def structure_declaree(racine: Path) -> tuple[NiveauArbre, ...]:
    """Les niveaux que déclare ``contrat.yaml`` (``structure:``) ; trois niveaux s'il est
    absent. Un contrat.yaml invalide est refusé (ErreurDonnees) : ses niveaux ne sont
    pas devinés."""
    chemin = racine / FICHIER_CONTRAT
    if not chemin.is_file():
        return TROIS_NIVEAUX
    _, contrat, problemes = charger_modele(chemin, Contrat, racine)
    if contrat is None:
        pb = next(p for p in problemes if p.niveau == Niveau.ERREUR)
        raise ErreurDonnees(
            pb.chemin,
            pb.ligne,
            pb.colonne,
            f"{pb.message} ; sans contrat.yaml valide, cls ne sait pas combien de niveaux "
            "(structure) lire au-dessus des fiches",
            pb.correction or "corrigez contrat.yaml (cls validate dit où), puis relancez",
            pb.regle,
        )
    return tuple(contrat.structure)


def en_mots(structure: Sequence[NiveauArbre]) -> str:
    """« 1 niveau », « 2 niveaux »…"""
    return f"{len(structure)} niveau" + ("x" if len(structure) > 1 else "")


def situer(ligne: LigneLue, cle: str) -> str:
    """Où est une cellule : « t.xlsx:Fiches, cellule B2 (Objectif stratégique) » dans un
    classeur, « t.csv:2, colonne « Objectif stratégique » » dans un CSV."""
    entete = colonne(cle).entete
    adresse = ligne.adresses.get(cle)
    if adresse:
        return f"{ligne.position.rsplit(':', 1)[0]}, cellule {adresse} ({entete})"
    return f"{ligne.position}, colonne « {entete} »"


@dataclass
class ArbreLu:
    """Les niveaux lus : code -> (libellé, où il a été lu), et le parent de chaque code."""

    libelles: dict[str, tuple[str, str]] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    ordre: dict[str, list[str]] = field(default_factory=dict)  # parent ('' : racine) -> codes


def _niveau(
    ligne: LigneLue, cle: str, parent: str | None, arbre: ArbreLu, erreurs: list[str]
) -> str | None:
    """Le code d'un niveau (axe, objectif), enregistré dans l'arbre ; None si illisible."""
    texte = ligne.valeurs.get(cle, "")
    m = _CODE.match(texte)
    if not texte or m is None or not m["libelle"].strip():
        erreurs.append(
            f"{situer(ligne, cle)} : {f'« {texte} » illisible' if texte else 'vide'} ; "
            f"écrivez {colonne(cle).aide}"
        )
        return None
    code, libelle = m["code"], " ".join(m["libelle"].split())
    if parent is not None and re.fullmatch(r"[0-9.]+", code) and not code.startswith(parent + "."):
        erreurs.append(
            f"{situer(ligne, cle)} : l'objectif {code} n'appartient pas à {parent} (sur la même "
            f"ligne) ; son code doit commencer par « {parent}. »"
        )
        return None
    connu = arbre.libelles.get(code)
    if connu is not None and (connu[0] != libelle or arbre.parents.get(code) != (parent or "")):
        erreurs.append(
            f"{situer(ligne, cle)} : {code} est « {libelle} » ici mais « {connu[0]} » "
            f"({connu[1]}) ; un code, un seul libellé et un seul parent"
        )
        return None
    if connu is None:
        arbre.libelles[code] = (libelle, situer(ligne, cle))
        arbre.parents[code] = parent or ""
        arbre.ordre.setdefault(parent or "", []).append(code)
    return code


def lire_niveaux(
    ligne: LigneLue, structure: Sequence[NiveauArbre], arbre: ArbreLu, erreurs: list[str]
) -> str | None:
    """Lit les niveaux d'une ligne, du plus haut au plus bas, et rend le code du plus bas
    (celui où se range la fiche : l'axe s'il n'y a qu'un niveau) ; None si l'un est
    illisible (l'erreur est dans ``erreurs``)."""
    parent: str | None = None
    for niveau in structure:
        parent = _niveau(ligne, niveau, parent, arbre, erreurs)
        if parent is None:
            return None
    return parent


def hors_structure(lignes: Sequence[LigneLue], structure: Sequence[NiveauArbre]) -> list[str]:
    """Une erreur par colonne remplie d'un niveau que le contrat n'a pas, à sa première
    cellule remplie."""
    erreurs = []
    for cle in NIVEAUX:
        remplies = [ligne for ligne in lignes if cle not in structure and ligne.valeurs.get(cle)]
        if remplies:
            besoin = next(s for s in STRUCTURES if cle in s)
            erreurs.append(
                f"{situer(remplies[0], cle)} : le contrat déclare {en_mots(structure)} "
                f"({FICHIER_CONTRAT}, structure) : la colonne « {colonne(cle).entete} » n'a "
                f"pas sa place ({len(remplies)} cellule(s) remplie(s)) ; videz-la, ou "
                f"déclarez {en_mots(besoin)} (structure: [{', '.join(besoin)}])"
            )
    return erreurs


def axes_document(
    arbre: ArbreLu, structure: Sequence[NiveauArbre], source: str
) -> tuple[str, CommentedMap]:
    """Le texte d'``axes.yaml`` (chaque niveau rangé sous le sien, selon la structure :
    :data:`~cls_cli.modeles.CLE_DU_NIVEAU`) et son document."""

    def bloc(code: str, rang: int) -> CommentedMap:
        doc = CommentedMap(code=DoubleQuotedScalarString(code), libelle=arbre.libelles[code][0])
        if rang + 1 < len(structure):
            enfants = tri_naturel(arbre.ordre.get(code, []))
            doc[CLE_DU_NIVEAU[structure[rang + 1]]] = CommentedSeq(
                bloc(enfant, rang + 1) for enfant in enfants
            )
        return doc

    axes = CommentedSeq(bloc(axe, 0) for axe in tri_naturel(arbre.ordre.get("", [])))
    entete = (
        f"{ligne_schema('axes.schema.json')}# Axes et objectifs du contrat, créés par "
        f"« cls import-fiches » depuis {source}.\n"
    )
    document = CommentedMap(axes=axes)
    return entete + vers_texte(document), document
