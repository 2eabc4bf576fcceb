"""Chargement de l'arbre ``data/`` : fichiers YAML -> modèles, avec les problèmes situés.

Fonctions pures à l'exception de la lecture des fichiers : elles prennent un chemin et
rendent un :class:`Chargement` (le référentiel et la liste des problèmes), sans rien
afficher. Les erreurs de pydantic sont traduites ici en messages français situés à la
ligne de la clé fautive (voir :func:`probleme_depuis_pydantic`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau, Probleme
from cls_cli.modeles import A_COMPLETER, Axes, Contrat, Fiche
from cls_cli.yamlio import charger_texte, decoder

FICHIER_AXES = "axes.yaml"
FICHIER_CONTRAT = "contrat.yaml"
DOSSIER_FICHES = "actions"
#: Au-delà, l'arbre n'est pas lu (un contrat en a une soixantaine ; voir SECURITY.md).
NOMBRE_MAX_FICHES = 20_000

M = TypeVar("M", bound=BaseModel)


@dataclass
class FicheChargee:
    """Un fichier de fiche : chemin, contenu brut (positions) et modèle s'il est valide."""

    chemin: Path
    brut: Any
    fiche: Fiche | None


@dataclass
class Referentiel:
    """L'arbre de données chargé : axes, contrat et fiches."""

    racine: Path
    axes: Axes | None = None
    contrat: Contrat | None = None
    fiches: list[FicheChargee] = field(default_factory=list)
    brut_axes: Any = None

    def fiches_valides(self) -> list[Fiche]:
        """Les fiches dont le fichier est valide, triées par numéro."""
        return sorted((f.fiche for f in self.fiches if f.fiche), key=lambda f: f.numero)

    def fiche(self, numero: int) -> FicheChargee | None:
        return next((f for f in self.fiches if f.fiche and f.fiche.numero == numero), None)


@dataclass
class Chargement:
    referentiel: Referentiel
    problemes: list[Probleme]


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


def probleme_depuis_pydantic(
    erreur: dict[str, Any], brut: Any, chemin: str, modele: type[BaseModel]
) -> Probleme:
    """Traduit une erreur pydantic en :class:`Probleme` français, situé dans le fichier."""
    loc = tuple(c for c in erreur["loc"] if not (isinstance(c, str) and c in _MEMBRES_UNION))
    loc = tuple(c for c in loc if not (isinstance(c, str) and c.startswith("function-")))
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
        if nom == "objectif":
            correction = 'écrivez le code de l\'objectif opérationnel entre guillemets, ex. "1.1.2"'
        elif nom == "code":
            correction = "utilisez des minuscules sans accents, des chiffres et des tirets"
        else:
            correction = "respectez la forme attendue"
    elif type_ in ("string_too_short", "too_short"):
        message = f"« {cle} » ne doit pas être vide"
        correction = "renseignez une valeur"
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
) -> tuple[Any, M | None, list[Probleme]]:
    """Lit un fichier et le valide contre ``modele`` ; renvoie (brut, modèle ou None, problèmes)."""
    return analyser_octets(chemin.read_bytes(), chemin, modele, racine)


def analyser_octets(
    octets: bytes, chemin: Path, modele: type[M], racine: Path
) -> tuple[Any, M | None, list[Probleme]]:
    try:
        texte = decoder(octets, chemin)
    except ErreurDonnees as exc:
        return None, None, [_relocaliser(exc.probleme, chemin_affiche(chemin, racine))]
    return analyser(texte, chemin, modele, racine)


def _relocaliser(p: Probleme, chemin: str) -> Probleme:
    return Probleme(chemin, p.ligne, p.colonne, p.niveau, p.message, p.correction, p.regle)


def analyser(
    texte: str, chemin: Path, modele: type[M], racine: Path
) -> tuple[Any, M | None, list[Probleme]]:
    """Comme :func:`charger_modele`, sur un texte déjà lu (``chemin`` sert aux messages)."""
    affiche = chemin_affiche(chemin, racine)
    try:
        brut = charger_texte(texte, chemin)
    except ErreurDonnees as exc:
        return None, None, [_relocaliser(exc.probleme, affiche)]
    if brut is None:
        return (
            None,
            None,
            [
                Probleme(
                    affiche,
                    1,
                    1,
                    Niveau.ERREUR,
                    "le fichier est vide",
                    "remplissez-le ou supprimez-le",
                    "vide",
                )
            ],
        )
    problemes = pieges_yaml(brut, affiche)
    try:
        objet = modele.model_validate(en_python(brut))
    except ValidationError as exc:
        vus = set()
        for erreur in exc.errors():
            p = probleme_depuis_pydantic(dict(erreur), brut, affiche, modele)
            if (p.ligne, p.colonne) not in vus:
                vus.add((p.ligne, p.colonne))
                problemes.append(p)
        return brut, None, problemes
    if problemes:
        return brut, None, problemes
    return brut, objet, problemes


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


def fichiers_fiches(racine: Path) -> list[Path]:
    """Les fichiers ``*.yaml`` de ``data/actions/``, triés."""
    dossier = racine / DOSSIER_FICHES
    if not dossier.is_dir():
        return []
    return sorted(p for p in dossier.iterdir() if p.suffix in (".yaml", ".yml"))


def _refus_fichier(chemin: Path, racine: Path) -> Probleme | None:
    """Un fichier de fiche qu'on ne lit pas : lien hors de l'arbre, ou pas un fichier."""
    affiche = chemin_affiche(chemin, racine)
    if chemin.is_symlink() and not chemin.resolve().is_relative_to(racine.resolve()):
        return Probleme(
            affiche,
            1,
            1,
            Niveau.ERREUR,
            "lien symbolique vers un fichier hors du dossier de données : non lu",
            "remplacez le lien par le fichier lui-même",
            "lien-externe",
        )
    if not chemin.is_file():
        return Probleme(
            affiche,
            1,
            1,
            Niveau.ERREUR,
            "ce n'est pas un fichier ordinaire",
            "supprimez-le du dossier actions/",
            "pas-un-fichier",
        )
    return None


def charger(racine: Path) -> Chargement:
    """Charge tout l'arbre de données du disque : le référentiel et les problèmes de forme."""
    refus: list[Probleme] = []
    fiches: list[tuple[Path, bytes]] = []
    chemins = fichiers_fiches(racine)
    if len(chemins) <= NOMBRE_MAX_FICHES:
        for chemin in chemins:
            probleme = _refus_fichier(chemin, racine)
            if probleme is not None:
                refus.append(probleme)
            else:
                fiches.append((chemin, chemin.read_bytes()))
    return assembler(
        racine,
        _lire_si_present(racine / FICHIER_AXES),
        _lire_si_present(racine / FICHIER_CONTRAT),
        fiches,
        nombre_fiches=len(chemins),
        refus=refus,
    )


def _lire_si_present(chemin: Path) -> bytes | None:
    return chemin.read_bytes() if chemin.is_file() else None


def assembler(
    racine: Path,
    axes: bytes | None,
    contrat: bytes | None,
    fiches: Sequence[tuple[Path, bytes]],
    nombre_fiches: int | None = None,
    refus: Sequence[Probleme] = (),
) -> Chargement:
    """Le référentiel d'un arbre dont on a déjà lu les octets (disque ou révision git).

    ``fiches`` donne, pour chaque fichier de ``actions/``, son chemin (pour les messages)
    et son contenu ; ``refus``, les problèmes des fichiers qu'on n'a pas voulu lire.
    """
    referentiel = Referentiel(racine=racine)
    problemes: list[Probleme] = list(refus)
    chemin_axes = racine / FICHIER_AXES
    if axes is not None:
        referentiel.brut_axes, referentiel.axes, p = analyser_octets(
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
    nombre = len(fiches) if nombre_fiches is None else nombre_fiches
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
    for chemin, octets in fiches:
        brut, fiche, p = analyser_octets(octets, chemin, Fiche, racine)
        referentiel.fiches.append(FicheChargee(chemin, brut, fiche))
        problemes += p
    return Chargement(referentiel, problemes)
