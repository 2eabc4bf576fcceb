"""Chargement de l'arbre ``data/`` : fichiers YAML -> modèles, avec les problèmes situés.

Fonctions pures à l'exception de la lecture des fichiers : elles prennent un chemin et
rendent un :class:`Chargement` (le référentiel, la liste des problèmes et les fiches
écartées), sans rien afficher. Les autres préoccupations vivent à côté : les documents
YAML et les positions (:mod:`cls_cli.documents`), la collecte des problèmes
(:mod:`cls_cli.diagnostic`), les emplacements du dossier (:mod:`cls_cli.emplacements`).
Les noms publics d'avant le découpage restent importables d'ici.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from cls_cli.diagnostic import (
    message_a_completer,
    pieges_yaml,
    probleme_depuis_pydantic,
    valider_document,
)
from cls_cli.documents import Document, chemin_cle, en_python, lire, position, scalaires
from cls_cli.emplacements import (
    DOSSIER_FICHES,
    FICHIER_AXES,
    FICHIER_CONTRAT,
    dossier_designe,
    emplacement,
    relocaliser,
    trouver_racine,
)
from cls_cli.erreurs import ErreurDonnees, Niveau, Probleme
from cls_cli.modeles import Axes, Contrat, Fiche
from cls_cli.structure import Arbre, arbre, structure_deduite
from cls_cli.yamlio import decoder

__all__ = [
    "DOSSIER_FICHES",
    "FICHIER_AXES",
    "FICHIER_CONTRAT",
    "NOMBRE_MAX_FICHES",
    "Chargement",
    "DejaLues",
    "Document",
    "FicheChargee",
    "Referentiel",
    "analyser",
    "analyser_octets",
    "assembler",
    "charger",
    "charger_modele",
    "emplacement",
    "chemin_cle",
    "dossier_designe",
    "en_python",
    "lire",
    "message_a_completer",
    "pieges_yaml",
    "position",
    "probleme_depuis_pydantic",
    "scalaires",
    "trouver_racine",
    "valider_document",
]

#: Au-delà, l'arbre n'est pas lu (un contrat en a une soixantaine ; voir SECURITY.md).
NOMBRE_MAX_FICHES = 20_000

M = TypeVar("M", bound=BaseModel)


@dataclass
class FicheChargee:
    """Un fichier de fiche : chemin, document lu (None s'il est illisible) et modèle s'il
    est valide."""

    chemin: Path
    document: Document | None
    fiche: Fiche | None

    @property
    def arbre_yaml(self) -> Any:
        """Le document aller-retour (positions), relu à la demande."""
        return self.document.arbre_yaml if self.document is not None else None

    @property
    def valeurs(self) -> Any:
        """Les valeurs simples du fichier (None s'il est illisible ou vide)."""
        return self.document.valeurs if self.document is not None else None


@dataclass
class Referentiel:
    """L'arbre de données chargé : axes, contrat et fiches."""

    racine: Path
    axes: Axes | None = None
    contrat: Contrat | None = None
    fiches: list[FicheChargee] = field(default_factory=list)
    document_axes: Document | None = None
    _arbre: tuple[Axes | None, Contrat | None, Arbre] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def arbre(self) -> Arbre:
        """L'arbre des axes et objectifs selon la structure du contrat (voir
        :mod:`cls_cli.structure`), construit une fois tant que axes et contrat ne changent pas."""
        memo = self._arbre
        if memo is None or memo[0] is not self.axes or memo[1] is not self.contrat:
            structure = self.contrat.structure if self.contrat else structure_deduite(self.axes)
            memo = self._arbre = (self.axes, self.contrat, arbre(self.axes, structure))
        return memo[2]

    def axe_de(self, fiche: Fiche) -> str | None:
        """Le code de l'axe d'une fiche, lu dans l'arbre (None si son objectif est inconnu)."""
        return self.arbre.axe(fiche.objectif)

    @property
    def arbre_yaml_axes(self) -> Any:
        return self.document_axes.arbre_yaml if self.document_axes is not None else None

    def fiches_valides(self) -> list[Fiche]:
        """Les fiches dont le fichier est valide, triées par numéro."""
        return sorted((f.fiche for f in self.fiches if f.fiche), key=lambda f: f.numero)

    def fiche(self, numero: int) -> FicheChargee | None:
        return next((f for f in self.fiches if f.fiche and f.fiche.numero == numero), None)


@dataclass
class Chargement:
    """Le référentiel lu, les problèmes de forme, et les fichiers de fiches écartés (ceux
    qui ne se chargent pas : invalides, illisibles ou refusés), par emplacement."""

    referentiel: Referentiel
    problemes: list[Probleme]
    ecartees: list[str] = field(default_factory=list)


#: Les fiches déjà lues au cours d'une commande, par chemin et empreinte (SHA-256) du
#: contenu : ``cls diff`` charge deux versions de l'arbre où presque toutes les fiches
#: sont identiques, et chacune n'est ainsi lue, validée et gardée en mémoire qu'une fois
#: (les deux référentiels partagent son document et son modèle). Un contenu différent a
#: une autre empreinte : il est toujours relu.
DejaLues = dict[tuple[Path, bytes], tuple["Document | None", "Fiche | None", list[Probleme]]]


def charger_modele(
    chemin: Path, modele: type[M], racine: Path, contexte: dict[str, Any] | None = None
) -> tuple[Document | None, M | None, list[Probleme]]:
    """Lit un fichier et le valide contre ``modele`` ; rend (document, modèle ou None,
    problèmes). ``contexte`` : voir :func:`cls_cli.diagnostic.valider_document`."""
    return analyser_octets(chemin.read_bytes(), chemin, modele, racine, contexte)


def analyser_octets(
    octets: bytes,
    chemin: Path,
    modele: type[M],
    racine: Path,
    contexte: dict[str, Any] | None = None,
) -> tuple[Document | None, M | None, list[Probleme]]:
    try:
        texte = decoder(octets, chemin)
    except ErreurDonnees as exc:
        return None, None, [relocaliser(exc.probleme, emplacement(chemin, racine))]
    return analyser(texte, chemin, modele, racine, contexte)


def analyser(
    texte: str,
    chemin: Path,
    modele: type[M],
    racine: Path,
    contexte: dict[str, Any] | None = None,
) -> tuple[Document | None, M | None, list[Probleme]]:
    """Comme :func:`charger_modele`, sur un texte déjà lu (``chemin`` sert aux messages).

    Les positions des problèmes viennent du document aller-retour, relu seulement s'il y a
    un problème à situer.
    """
    try:
        document = lire(texte, chemin)
    except ErreurDonnees as exc:
        return None, None, [relocaliser(exc.probleme, emplacement(chemin, racine))]
    return document, *valider_document(document, modele, racine, contexte)


def _entrees_fiches(racine: Path) -> list[os.DirEntry[str]]:
    """Les entrées ``*.yaml`` de ``data/actions/``, triées par nom (un seul parcours)."""
    dossier = racine / DOSSIER_FICHES
    if not dossier.is_dir():
        return []
    with os.scandir(dossier) as entrees:
        return sorted(
            (e for e in entrees if e.name.endswith((".yaml", ".yml"))), key=lambda e: e.name
        )


def _refus_fichier(entree: os.DirEntry[str], racine: Path) -> Probleme | None:
    """Un fichier de fiche qu'on ne lit pas : lien hors de l'arbre, ou pas un fichier."""
    chemin = Path(entree.path)
    if entree.is_symlink() and not chemin.resolve().is_relative_to(racine.resolve()):
        return Probleme(
            emplacement(chemin, racine),
            1,
            1,
            Niveau.ERREUR,
            "lien symbolique vers un fichier hors du dossier de données : non lu",
            "remplacez le lien par le fichier lui-même",
            "lien-externe",
        )
    if not entree.is_file():
        return Probleme(
            emplacement(chemin, racine),
            1,
            1,
            Niveau.ERREUR,
            "ce n'est pas un fichier ordinaire",
            "supprimez-le du dossier actions/",
            "pas-un-fichier",
        )
    return None


def charger(racine: Path, deja: DejaLues | None = None) -> Chargement:
    """Charge tout l'arbre de données du disque : le référentiel et les problèmes de forme
    (``deja`` : voir :data:`DejaLues`).

    Le ramasse-miettes cyclique est suspendu pendant la lecture : elle crée des centaines
    de milliers d'objets sans cycle, qu'il parcourrait sans rien libérer (un tiers du temps
    sur 5 000 fiches). Ces objets vivent ensuite jusqu'à la fin de la commande : ils sont
    mis hors de sa portée (``gc.freeze``) pour que le calcul du rapport ne les reparcoure pas.
    """
    with _sans_ramasse_miettes():
        return _charger(racine, deja)


@contextlib.contextmanager
def _sans_ramasse_miettes() -> Iterator[None]:
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if actif:
            gc.enable()


def _charger(racine: Path, deja: DejaLues | None) -> Chargement:
    refus: list[Probleme] = []
    chemins: list[Path] = []
    entrees = _entrees_fiches(racine)
    if len(entrees) <= NOMBRE_MAX_FICHES:
        for entree in entrees:
            probleme = _refus_fichier(entree, racine)
            if probleme is not None:
                refus.append(probleme)
            else:
                chemins.append(Path(entree.path))
    return assembler(
        racine,
        _lire_si_present(racine / FICHIER_AXES),
        _lire_si_present(racine / FICHIER_CONTRAT),
        ((chemin, chemin.read_bytes()) for chemin in chemins),  # lus un à un, au fil de l'eau
        nombre_fiches=len(entrees),
        refus=refus,
        deja=deja,
    )


def _lire_si_present(chemin: Path) -> bytes | None:
    return chemin.read_bytes() if chemin.is_file() else None


def assembler(
    racine: Path,
    axes: bytes | None,
    contrat: bytes | None,
    fiches: Iterable[tuple[Path, bytes]],
    nombre_fiches: int | None = None,
    refus: Sequence[Probleme] = (),
    deja: DejaLues | None = None,
) -> Chargement:
    """Le référentiel d'un arbre dont on a déjà lu les octets (disque ou révision git).

    ``fiches`` donne, pour chaque fichier de ``actions/``, son chemin (pour les messages)
    et son contenu (une liste, ou un générateur qui lit au fur et à mesure) ; ``refus``,
    les problèmes des fichiers qu'on n'a pas voulu lire ; ``deja``, les fiches déjà lues
    par un autre chargement de la même commande (voir :data:`DejaLues`), complété ici.
    """
    referentiel = Referentiel(racine=racine)
    problemes: list[Probleme] = list(refus)
    ecartees = [p.chemin for p in refus]
    chemin_axes = racine / FICHIER_AXES
    if axes is not None:
        referentiel.document_axes, referentiel.axes, p = analyser_octets(
            axes, chemin_axes, Axes, racine
        )
        problemes += p
    else:
        problemes.append(
            Probleme(
                emplacement(chemin_axes, racine),
                1,
                1,
                Niveau.ERREUR,
                f"{FICHIER_AXES} est introuvable",
                "créez le fichier des axes et objectifs",
                "fichier-absent",
            )
        )
    if contrat is not None:
        _, referentiel.contrat, p = analyser_octets(
            contrat, racine / FICHIER_CONTRAT, Contrat, racine
        )
        problemes += p
    else:
        problemes.append(
            Probleme(
                emplacement(racine / FICHIER_CONTRAT, racine),
                1,
                1,
                Niveau.ERREUR,
                f"{FICHIER_CONTRAT} est introuvable : sans lui, ni la période du contrat ni "
                "son titre ne sont connus",
                "créez le fichier du contrat (titre, territoire, date_signature, periode, "
                "signataires, communes)",
                "fichier-absent",
            )
        )
    if nombre_fiches is None:
        fiches = list(fiches)
        nombre_fiches = len(fiches)
    nombre = nombre_fiches
    if nombre > NOMBRE_MAX_FICHES:
        problemes.append(
            Probleme(
                emplacement(racine / DOSSIER_FICHES, racine),
                1,
                1,
                Niveau.ERREUR,
                f"{nombre} fichiers de fiches : au-delà de {NOMBRE_MAX_FICHES}, "
                "l'arbre n'est pas lu",
                "vérifiez le dossier de données",
                "trop-de-fiches",
            )
        )
        return Chargement(referentiel, problemes)
    if nombre == 0 and (racine / DOSSIER_FICHES / ".gitkeep").is_file():
        problemes.append(  # un contrat qui commence (cls init) : rien de faux, tout à faire
            Probleme(
                emplacement(racine / DOSSIER_FICHES, racine),
                1,
                1,
                Niveau.AVERTISSEMENT,
                f"aucune fiche encore dans {DOSSIER_FICHES}/ : le contrat est à remplir",
                "créez la première fiche avec « cls new --objectif "
                f"{next(iter(referentiel.arbre.feuilles()), '1.1.1')} --titre … » ; "
                "remplacez aussi l'axe exemple de axes.yaml et les valeurs PROVISOIRE de "
                "contrat.yaml, et « non_precise » par la date de signature si elle est "
                "connue (voir le README du dépôt)",
                "aucune-fiche",
            )
        )
    elif nombre == 0:
        problemes.append(
            Probleme(
                emplacement(racine / DOSSIER_FICHES, racine),
                1,
                1,
                Niveau.ERREUR,
                f"aucune fiche dans {DOSSIER_FICHES}/ : un contrat a au moins une fiche-action",
                "créez-en une avec « cls new », ou vérifiez que --data désigne le bon dossier",
                "aucune-fiche",
            )
        )
    for chemin, octets in fiches:
        cle = (chemin, hashlib.sha256(octets).digest()) if deja is not None else None
        lecture = deja.get(cle) if deja is not None and cle is not None else None
        if lecture is None:
            lecture = analyser_octets(octets, chemin, Fiche, racine)
            if deja is not None and cle is not None:
                deja[cle] = lecture
        document, fiche, p = lecture
        referentiel.fiches.append(FicheChargee(chemin, document, fiche))
        problemes += p
        if fiche is None:
            ecartees.append(emplacement(chemin, racine))
    return Chargement(referentiel, problemes, ecartees)
