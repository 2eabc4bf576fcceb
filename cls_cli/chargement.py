"""Chargement de l'arbre ``data/`` : fichiers YAML -> modèles, avec les problèmes situés.

Fonctions pures à l'exception de la lecture des fichiers : elles prennent un chemin et
rendent un :class:`Chargement` (le référentiel et la liste des problèmes), sans rien
afficher. Les erreurs de pydantic sont traduites ici en messages français situés à la
ligne de la clé fautive (voir :func:`probleme_depuis_pydantic`).
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau, Probleme
from cls_cli.modeles import (
    A_COMPLETER,
    CODE_AXE,
    CODE_INDICATEUR,
    CODE_OBJECTIF_OPERATIONNEL,
    CODE_OBJECTIF_STRATEGIQUE,
    Axes,
    Contrat,
    Fiche,
)
from cls_cli.yamlio import RepliAllerRetour, charger_rapide, charger_texte, decoder

FICHIER_AXES = "axes.yaml"
FICHIER_CONTRAT = "contrat.yaml"
DOSSIER_FICHES = "actions"
#: Au-delà, l'arbre n'est pas lu (un contrat en a une soixantaine ; voir SECURITY.md).
NOMBRE_MAX_FICHES = 20_000

M = TypeVar("M", bound=BaseModel)


_A_LIRE: Any = object()


class Document:
    """Un fichier YAML lu : ses valeurs simples (``donnees``) et, à la demande seulement, le
    document aller-retour de ruamel (``brut``) qui sait à quelle ligne est chaque valeur.

    Le lecteur rapide donne ``donnees`` ; ``brut`` n'est relu (lentement) que pour situer
    un problème. Quand le lecteur rapide a refusé le texte, ``brut`` est déjà lu.
    """

    def __init__(self, texte: str, chemin: Path, donnees: Any, brut: Any = _A_LIRE) -> None:
        # Gardé en UTF-8 : deux fois plus petit qu'un texte Python qui contient « ’ » ou « € ».
        self._utf8 = texte.encode("utf-8")
        self.chemin, self._donnees, self._brut = chemin, donnees, brut

    @property
    def texte(self) -> str:
        return self._utf8.decode("utf-8")

    def contient(self, mot: str) -> bool:
        """Le texte du fichier contient-il ``mot`` ? (Sans le décoder.)"""
        return mot.encode("utf-8") in self._utf8

    @property
    def donnees(self) -> Any:
        if self._donnees is _A_LIRE:
            self._donnees = lire(self.texte, self.chemin).donnees
        return self._donnees

    def prendre_valeurs_de_ruamel(self) -> None:
        """Les valeurs simples, désormais celles de ruamel (qui fait autorité)."""
        self._donnees = en_python(self.brut)

    def alleger(self) -> None:
        """Oublie les valeurs simples (relues à la demande) : une fiche valide vit dans son
        modèle, et 5 000 fiches tiennent ainsi deux fois moins de mémoire."""
        if self._brut is _A_LIRE and self._utf8:
            self._donnees = _A_LIRE

    @property
    def brut(self) -> Any:
        if self._brut is _A_LIRE:
            self._brut = charger_texte(self.texte, self.chemin)
        return self._brut

    @property
    def lu_en_aller_retour(self) -> bool:
        return self._brut is not _A_LIRE


@dataclass
class FicheChargee:
    """Un fichier de fiche : chemin, document lu (None s'il est illisible) et modèle s'il
    est valide."""

    chemin: Path
    document: Document | None
    fiche: Fiche | None

    @property
    def brut(self) -> Any:
        """Le document aller-retour (positions), relu à la demande."""
        return self.document.brut if self.document is not None else None

    @property
    def donnees(self) -> Any:
        """Les valeurs simples du fichier (None s'il est illisible ou vide)."""
        return self.document.donnees if self.document is not None else None


@dataclass
class Referentiel:
    """L'arbre de données chargé : axes, contrat et fiches."""

    racine: Path
    axes: Axes | None = None
    contrat: Contrat | None = None
    fiches: list[FicheChargee] = field(default_factory=list)
    document_axes: Document | None = None

    @property
    def brut_axes(self) -> Any:
        return self.document_axes.brut if self.document_axes is not None else None

    def fiches_valides(self) -> list[Fiche]:
        """Les fiches dont le fichier est valide, triées par numéro."""
        return sorted((f.fiche for f in self.fiches if f.fiche), key=lambda f: f.numero)

    def fiche(self, numero: int) -> FicheChargee | None:
        return next((f for f in self.fiches if f.fiche and f.fiche.numero == numero), None)


#: Les fiches déjà lues au cours d'une commande, par chemin et empreinte (SHA-256) du
#: contenu : ``cls diff`` charge deux versions de l'arbre où presque toutes les fiches
#: sont identiques, et chacune n'est ainsi lue, validée et gardée en mémoire qu'une fois
#: (les deux référentiels partagent son document et son modèle). Un contenu différent a
#: une autre empreinte : il est toujours relu.
DejaLues = dict[tuple[Path, bytes], tuple["Document | None", "Fiche | None", list[Probleme]]]


@dataclass
class Chargement:
    """Le référentiel lu, les problèmes de forme, et les fichiers de fiches écartés (ceux
    qui ne se chargent pas : invalides, illisibles ou refusés), par emplacement."""

    referentiel: Referentiel
    problemes: list[Probleme]
    ecartees: list[str] = field(default_factory=list)


def trouver_donnees(depart: Path) -> Path:
    """Le dossier ``data/`` contenant ``axes.yaml`` le plus proche, en remontant."""
    depart = depart.resolve()
    for dossier in (depart, *depart.parents):
        for candidat in (dossier, dossier / "data"):
            if (candidat / FICHIER_AXES).is_file():
                return candidat
    raise ErreurUsage(
        f"aucun dossier de données trouvé depuis {depart} : il faut un dossier « data/ » "
        f"contenant {FICHIER_AXES}. Placez-vous dans le dépôt du contrat ou indiquez-le avec "
        "--data DOSSIER."
    )


def dossier_designe(dossier: Path) -> Path:
    """Le dossier donné par ``--data``, tel quel : il doit contenir ``axes.yaml`` (aucune
    recherche ailleurs, pour ne jamais vérifier un autre arbre que celui demandé)."""
    if not dossier.is_dir():
        raise ErreurUsage(
            f"le dossier de données « {dossier} » (--data) n'existe pas : indiquez le dossier "
            f"qui contient {FICHIER_AXES}, {FICHIER_CONTRAT} et {DOSSIER_FICHES}/"
        )
    if (dossier / FICHIER_AXES).is_file():
        return dossier
    if (dossier / "data" / FICHIER_AXES).is_file():
        correction = f"indiquez le sous-dossier qui le contient : --data {dossier / 'data'}"
    else:
        correction = (
            f"indiquez avec --data le dossier qui contient {FICHIER_AXES}, "
            f"{FICHIER_CONTRAT} et {DOSSIER_FICHES}/, ou créez-y {FICHIER_AXES}"
        )
    raise ErreurDonnees(
        dossier / FICHIER_AXES,
        1,
        1,
        f"{FICHIER_AXES} est introuvable dans le dossier de données désigné par --data ({dossier})",
        correction,
        "fichier-absent",
    )


def chemin_affiche(chemin: Path, racine: Path) -> str:
    """Le chemin tel qu'on le montre : relatif au dossier courant quand c'est possible."""
    try:
        return str(chemin.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        try:
            return str(chemin.resolve().relative_to(racine.resolve().parent))
        except ValueError:
            return str(chemin)


# --- Positions -------------------------------------------------------------------------


def position(brut: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Ligne et colonne (à partir de 1) de l'élément désigné par ``loc`` dans le document brut.

    On descend aussi loin que le document le permet : pour une clé manquante, c'est la
    position du bloc qui devait la contenir.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ligne, colonne = 0, 0
    noeud = brut
    for cle in loc:
        if isinstance(noeud, CommentedMap) and isinstance(cle, str) and cle in noeud:
            ligne, colonne = noeud.lc.key(cle)
            noeud = noeud[cle]
        elif isinstance(noeud, CommentedSeq) and isinstance(cle, int) and 0 <= cle < len(noeud):
            ligne, colonne = noeud.lc.item(cle)
            noeud = noeud[cle]
        else:
            break
    return ligne + 1, colonne + 1


def chemin_cle(loc: tuple[int | str, ...]) -> str:
    """``('indicateurs', 0, 'mesures', 1, 'valeur')`` -> ``indicateurs[1].mesures[2].valeur``."""
    texte = ""
    for cle in loc:
        if isinstance(cle, int):
            texte += f"[{cle + 1}]"
        else:
            texte += f".{cle}" if texte else cle
    return texte


# --- Traduction des erreurs pydantic ---------------------------------------------------

_TYPES_LUS = {
    bool: "un booléen (vrai/faux)",
    int: "un nombre entier",
    float: "un nombre décimal",
}
_MEMBRES_UNION = {"bool", "int", "float", "str", "none", "date"}


def _nature_valeur(valeur: Any) -> str:
    import datetime as dt

    if isinstance(valeur, dt.date):
        return "une date"
    for type_, nom in _TYPES_LUS.items():
        if isinstance(valeur, type_):
            return nom
    if isinstance(valeur, list):
        return "une liste"
    if isinstance(valeur, dict):
        return "un bloc de clés"
    if valeur is None:
        return "vide"
    return "un texte"


def _cles_du_modele(modele: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Les clés permises au niveau de ``loc`` (pour suggérer une correction de faute de frappe)."""
    courant: Any = modele
    for cle in loc:
        if isinstance(cle, int):
            continue
        champ = courant.model_fields.get(cle) if hasattr(courant, "model_fields") else None
        if champ is None:
            return []
        annotation = champ.annotation
        for candidat in (annotation, *getattr(annotation, "__args__", ())):
            for sous in (candidat, *getattr(candidat, "__args__", ())):
                if isinstance(sous, type) and issubclass(sous, BaseModel):
                    courant = sous
                    break
    return list(getattr(courant, "model_fields", {}))


def _loc_sans_membres(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Le chemin de clés d'une erreur, sans les noms des membres d'union de pydantic."""
    return tuple(
        c
        for c in loc
        if not (
            isinstance(c, str)
            and (c in _MEMBRES_UNION or c.startswith(("function-", "constrained-")))
        )
    )


def erreurs_utiles(erreurs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Les erreurs pydantic groupées par clé, la plus parlante d'abord : pour une valeur qui
    peut être de plusieurs types (union), une borne ou un nombre non fini dit mieux le
    problème que « doit être un booléen »."""
    groupes: dict[tuple[int | str, ...], list[dict[str, Any]]] = {}
    for erreur in erreurs:
        groupes.setdefault(_loc_sans_membres(tuple(erreur["loc"])), []).append(erreur)
    return [
        erreur
        for groupe in groupes.values()
        for erreur in sorted(groupe, key=lambda e: str(e["type"]).endswith("_type"))
    ]


def probleme_depuis_pydantic(
    erreur: dict[str, Any], brut: Any, chemin: str, modele: type[BaseModel]
) -> Probleme:
    """Traduit une erreur pydantic en :class:`Probleme` français, situé dans le fichier."""
    loc = _loc_sans_membres(erreur["loc"])
    ligne, colonne = position(brut, loc)
    cle = chemin_cle(loc) or "le fichier"
    nom = str(loc[-1]) if loc and isinstance(loc[-1], str) else cle
    entree = erreur.get("input")
    type_ = erreur["type"]
    contexte = erreur.get("ctx") or {}
    correction = ""
    if isinstance(entree, str) and A_COMPLETER in entree:
        # Un champ laissé tel quel par « cls new » : le même message que la règle a-completer.
        message = message_a_completer(loc)
        attendues = str(contexte.get("expected", "")).replace(" or ", " ou ").replace("'", "")
        correction = f"remplacez « {A_COMPLETER} » par le contenu de la fiche" + (
            f" (valeurs possibles : {attendues})" if attendues else ""
        )
        return Probleme(chemin, ligne, colonne, Niveau.ERREUR, message, correction, "a-completer")
    if type_ == "missing":
        message = f"la clé obligatoire « {nom} » manque ({cle})"
        correction = f"ajoutez une ligne « {nom}: … » à ce niveau"
    elif type_ == "extra_forbidden":
        message = f"clé inconnue « {nom} » ({cle})"
        permises = _cles_du_modele(modele, loc[:-1])
        proches = difflib.get_close_matches(nom, permises, n=1, cutoff=0.6)
        if proches:
            correction = f"vouliez-vous écrire « {proches[0]} » ?"
        elif permises:
            correction = "clés permises ici : " + ", ".join(permises)
        else:
            correction = "supprimez cette clé"
    elif type_ == "string_type":
        lu = _nature_valeur(entree)
        message = f"« {cle} » doit être un texte, mais YAML l'a lu comme {lu} ({entree!r})"
        if lu in ("un booléen (vrai/faux)", "une date") or lu.startswith("un nombre"):
            correction = f'mettez la valeur entre guillemets : {nom}: "{_brut(entree)}"'
        else:
            correction = "écrivez un texte simple à cet endroit"
    elif type_ in ("int_type", "int_from_float"):
        message = f"« {cle} » doit être un nombre entier (lu : {_nature_valeur(entree)})"
        correction = "écrivez un nombre entier sans guillemets, par exemple 2021"
    elif type_ in ("float_type",):
        message = f"« {cle} » doit être un nombre (lu : {_nature_valeur(entree)})"
        correction = "écrivez un nombre sans guillemets, avec un point décimal (12.5)"
    elif type_ == "finite_number":
        message = f"« {cle} » doit être un nombre fini (lu : {entree!r})"
        correction = "écrivez un nombre ordinaire : .inf et .nan ne sont pas des chiffres"
    elif type_ == "literal_error":
        message = f"valeur « {entree} » non autorisée pour « {cle} »"
        attendu = str(contexte.get("expected", "")).replace(" or ", " ou ").replace("'", "")
        correction = f"valeurs possibles : {attendu}"
    elif type_ in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        borne = contexte.get("ge", contexte.get("le", contexte.get("gt", contexte.get("lt"))))
        sens = "au moins" if type_.startswith("greater") else "au plus"
        message = f"« {cle} » vaut {entree}, il doit valoir {sens} {borne}"
        correction = "corrigez la valeur"
    elif type_ == "string_pattern_mismatch":
        message = f"« {cle} » a une forme invalide ({entree!r})"
        correction = _FORMES.get(str(contexte.get("pattern", "")), "respectez la forme attendue")
    elif type_ in ("string_too_short", "too_short"):
        message = f"« {cle} » ne doit pas être vide"
        correction = _NON_VIDES.get(nom, "renseignez une valeur")
    elif type_ == "list_type":
        message = f"« {cle} » doit être une liste (lu : {_nature_valeur(entree)})"
        correction = "écrivez un élément par ligne, précédé de « - »"
    elif type_ in ("model_type", "model_attributes_type", "dict_type"):
        message = f"« {cle} » doit être un bloc de clés (lu : {_nature_valeur(entree)})"
        correction = "écrivez les clés de ce bloc en dessous, indentées de deux espaces"
    elif type_ in ("date_type", "date_from_datetime_parsing", "date_parsing"):
        message = f"« {cle} » doit être une date (lu : {entree!r})"
        correction = "écrivez la date sous la forme AAAA-MM-JJ, par exemple 2021-03-15"
    elif type_ == "value_error":
        message = f"{cle} : {str(erreur['msg']).removeprefix('Value error, ')}"
        correction = "corrigez ce bloc"
    elif type_ == "bool_type":
        message = f"« {cle} » doit valoir true ou false (lu : {entree!r})"
        correction = "écrivez true ou false, sans guillemets"
    else:
        message = f"« {cle} » : valeur invalide ({entree!r})"
        correction = "un nombre, true/false ou un texte est attendu selon l'indicateur"
    return Probleme(chemin, ligne, colonne, Niveau.ERREUR, message, correction, "modele")


#: Le conseil pour chaque forme de code imposée par les modèles : celui de la règle
#: réellement appliquée.
_FORMES = {
    CODE_AXE: 'un code d\'axe est un numéro, entre guillemets : "1", "2"…',
    CODE_OBJECTIF_STRATEGIQUE: (
        "un code d'objectif stratégique est le numéro de l'axe, un point et un numéro, "
        'entre guillemets : "1.1", "2.3"…'
    ),
    CODE_OBJECTIF_OPERATIONNEL: (
        "un code d'objectif opérationnel a trois numéros séparés par des points, entre "
        'guillemets : "1.1.2"'
    ),
    CODE_INDICATEUR: (
        "un code d'indicateur s'écrit en minuscules sans accents, chiffres et tirets : "
        "nombre-participants"
    ),
}

#: Le conseil pour une liste vide qui ne doit pas l'être.
_NON_VIDES = {
    "axes": (
        'ajoutez au moins un axe : « - code: "1" », « libelle: … » et '
        "« objectifs_strategiques: » avec leurs objectifs opérationnels (voir "
        "schemas/axes.schema.json)"
    ),
    "objectifs_strategiques": 'ajoutez au moins un objectif : « - code: "1.1" », « libelle: … »',
    "objectifs_operationnels": 'ajoutez au moins un objectif : « - code: "1.1.1" », « libelle: … »',
    "porteurs": "indiquez au moins un porteur, un par ligne précédée de « - »",
}

#: Ce qu'il faut écrire dans un fichier vide, selon ce qu'il doit contenir.
_CONTENU_ATTENDU = {
    "Axes": (
        "écrivez-y l'arbre des axes : « axes: » puis, pour chaque axe, code, libelle et "
        "objectifs_strategiques (voir schemas/axes.schema.json)"
    ),
    "Contrat": (
        "écrivez-y titre, territoire, date_signature, periode (debut, fin), signataires et "
        "communes (voir schemas/contrat.schema.json)"
    ),
}


def message_a_completer(loc: tuple[int | str, ...]) -> str:
    return f"champ à compléter ({chemin_cle(loc)})"


def _brut(valeur: Any) -> str:
    import datetime as dt

    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    return str(valeur)


# --- Pièges YAML -----------------------------------------------------------------------

_BOOLEENS_YAML11 = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


def scalaires(
    noeud: Any, loc: tuple[int | str, ...] = ()
) -> Iterator[tuple[Any, tuple[int | str, ...]]]:
    """Chaque valeur simple d'un document, avec son chemin de clés."""
    if isinstance(noeud, dict):
        for cle, valeur in noeud.items():
            yield from scalaires(valeur, (*loc, cle))
    elif isinstance(noeud, list):
        for i, valeur in enumerate(noeud):
            yield from scalaires(valeur, (*loc, i))
    else:
        yield noeud, loc


def pieges_yaml(brut: Any, chemin: str) -> list[Probleme]:
    """Les valeurs qu'un autre lecteur YAML lirait autrement (``yes``/``no`` non protégés)."""
    problemes = []
    for valeur, loc in scalaires(brut):
        # Un scalaire sans guillemets est un ``str`` simple ; entre guillemets, une sous-classe.
        if type(valeur) is str and _BOOLEENS_YAML11.match(valeur):
            ligne, colonne = position(brut, loc)
            problemes.append(
                Probleme(
                    chemin,
                    ligne,
                    colonne,
                    Niveau.ERREUR,
                    f"« {valeur} » sans guillemets ({chemin_cle(loc)}) est lu comme vrai/faux "
                    "par beaucoup d'outils YAML",
                    f'pour un booléen écrivez true ou false ; pour un texte, "{valeur}" '
                    "entre guillemets",
                    "piege-booleen",
                )
            )
    return problemes


# --- Chargement ------------------------------------------------------------------------


def charger_modele(
    chemin: Path, modele: type[M], racine: Path
) -> tuple[Document | None, M | None, list[Probleme]]:
    """Lit un fichier et le valide contre ``modele`` ; rend (document, modèle ou None,
    problèmes)."""
    return analyser_octets(chemin.read_bytes(), chemin, modele, racine)


def analyser_octets(
    octets: bytes, chemin: Path, modele: type[M], racine: Path
) -> tuple[Document | None, M | None, list[Probleme]]:
    try:
        texte = decoder(octets, chemin)
    except ErreurDonnees as exc:
        return None, None, [_relocaliser(exc.probleme, chemin_affiche(chemin, racine))]
    return analyser(texte, chemin, modele, racine)


def _relocaliser(p: Probleme, chemin: str) -> Probleme:
    return Probleme(chemin, p.ligne, p.colonne, p.niveau, p.message, p.correction, p.regle)


def lire(texte: str, chemin: Path) -> Document:
    """Lit un texte YAML : par le lecteur rapide, ou par ruamel s'il le faut (voir
    :mod:`cls_cli.yamlio`). Lève ErreurDonnees pour un texte illisible."""
    try:
        return Document(texte, chemin, charger_rapide(texte, chemin))
    except RepliAllerRetour:
        brut = charger_texte(texte, chemin)
        return Document(texte, chemin, en_python(brut), brut)


def analyser(
    texte: str, chemin: Path, modele: type[M], racine: Path
) -> tuple[Document | None, M | None, list[Probleme]]:
    """Comme :func:`charger_modele`, sur un texte déjà lu (``chemin`` sert aux messages).

    Les positions des problèmes viennent du document aller-retour, relu seulement s'il y a
    un problème à situer.
    """
    try:
        document = lire(texte, chemin)
    except ErreurDonnees as exc:
        return None, None, [_relocaliser(exc.probleme, chemin_affiche(chemin, racine))]
    return document, *valider_document(document, modele, racine)


def valider_document(
    document: Document, modele: type[M], racine: Path
) -> tuple[M | None, list[Probleme]]:
    """Le modèle d'un document lu, ou les problèmes qui l'en empêchent (situés).

    Un document lu par le lecteur rapide et valide est accepté tel quel. Sinon, tout est
    refait sur la lecture de ruamel, qui fait autorité : les problèmes sont donc les mêmes
    quel que soit le lecteur qui a lu le fichier en premier.
    """
    if not document.lu_en_aller_retour and document.donnees is not None:
        try:
            objet = modele.model_validate(document.donnees)
        except ValidationError:
            pass
        else:
            document.alleger()
            return objet, []
    affiche = chemin_affiche(document.chemin, racine)
    try:
        brut = document.brut
    except ErreurDonnees as exc:
        return None, [_relocaliser(exc.probleme, affiche)]
    document.prendre_valeurs_de_ruamel()
    if brut is None:
        return None, [
            Probleme(
                affiche,
                1,
                1,
                Niveau.ERREUR,
                "le fichier est vide",
                _CONTENU_ATTENDU.get(modele.__name__, "remplissez-le ou supprimez-le"),
                "vide",
            )
        ]
    problemes = pieges_yaml(brut, affiche)
    try:
        objet = modele.model_validate(en_python(brut))
    except ValidationError as exc:
        # Un problème par clé (une valeur à plusieurs types possibles n'en donne qu'un),
        # mais tous les problèmes du fichier : huit clés manquantes, huit problèmes.
        vus = set()
        for erreur in erreurs_utiles(dict(e) for e in exc.errors()):
            loc = _loc_sans_membres(tuple(erreur["loc"]))
            if loc not in vus:
                vus.add(loc)
                problemes.append(probleme_depuis_pydantic(erreur, brut, affiche, modele))
        return None, problemes
    if problemes:
        return None, problemes
    return objet, problemes


def en_python(noeud: Any) -> Any:
    """Copie du document brut en types Python simples (dict, list, str…)."""
    if isinstance(noeud, dict):
        return {str(k) if not isinstance(k, str) else k: en_python(v) for k, v in noeud.items()}
    if isinstance(noeud, list):
        return [en_python(v) for v in noeud]
    if isinstance(noeud, str):
        return str(noeud)
    for type_ in (bool, int, float):  # les scalaires aller-retour de ruamel -> types simples
        if isinstance(noeud, type_):
            return type_(noeud)
    return noeud


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
            chemin_affiche(chemin, racine),
            1,
            1,
            Niveau.ERREUR,
            "lien symbolique vers un fichier hors du dossier de données : non lu",
            "remplacez le lien par le fichier lui-même",
            "lien-externe",
        )
    if not entree.is_file():
        return Probleme(
            chemin_affiche(chemin, racine),
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
                chemin_affiche(chemin_axes, racine),
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
                chemin_affiche(racine / FICHIER_CONTRAT, racine),
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
                chemin_affiche(racine / DOSSIER_FICHES, racine),
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
    if nombre == 0:
        problemes.append(
            Probleme(
                chemin_affiche(racine / DOSSIER_FICHES, racine),
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
            ecartees.append(chemin_affiche(chemin, racine))
    return Chargement(referentiel, problemes, ecartees)
