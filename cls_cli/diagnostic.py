"""La collecte des problèmes de forme d'un document : erreurs pydantic traduites en
messages français situés à la ligne de la clé fautive, pièges YAML, tous à la fois.

:func:`valider_document` rend le modèle d'un document, ou tous ses problèmes (un par
clé) ; chaque conseil correspond à la règle réellement appliquée.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from cls_cli.documents import Document, chemin_cle, en_python, position, scalaires
from cls_cli.emplacements import emplacement, relocaliser
from cls_cli.erreurs import ErreurDonnees, Niveau, Probleme
from cls_cli.modeles import (
    A_COMPLETER,
    CODE,
    CODE_INDICATEUR,
    FORME_IDENTIFIANT,
    IDENTIFIANT,
)

M = TypeVar("M", bound=BaseModel)

#: Le type d'une erreur pydantic qui porte déjà son message et sa correction en français
#: (``PydanticCustomError(ERREUR_EXPLIQUEE, "{message}", {"message": …, "correction": …})``).
ERREUR_EXPLIQUEE = "erreur_expliquee"

_TYPES_LUS = {
    bool: "un booléen (vrai/faux)",
    int: "un nombre entier",
    float: "un nombre décimal",
}
_MEMBRES_UNION = {"bool", "int", "float", "str", "none", "date", "Calendrier", "Ressources"}
#: Le membre d'union des champs qui peuvent valoir « non_precise ».
_MEMBRE_NON_PRECISE = "literal['non_precise']"


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
            and (
                c in _MEMBRES_UNION
                or c.startswith(("function-", "constrained-", "list[", "literal["))
            )
        )
    )


def erreurs_utiles(erreurs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Les erreurs pydantic groupées par clé, la plus parlante d'abord : pour une valeur qui
    peut être de plusieurs types (union), une borne ou un nombre non fini dit mieux le
    problème que « doit être un booléen »."""
    groupes: dict[tuple[int | str, ...], list[dict[str, Any]]] = {}
    erreurs = list(erreurs)

    def autre_forme(erreur: dict[str, Any]) -> bool:
        """« doit valoir non_precise » n'aide pas quand l'autre forme du champ (un bloc, une
        liste) a sa propre erreur, plus précise (le schéma dit que non_precise est permis)."""
        loc = tuple(erreur["loc"])
        if not loc or loc[-1] != _MEMBRE_NON_PRECISE:
            return False
        champ = loc[:-1]
        return any(e is not erreur and tuple(e["loc"][: len(champ)]) == champ for e in erreurs)

    for erreur in erreurs:
        if not autre_forme(erreur):
            groupes.setdefault(_loc_sans_membres(tuple(erreur["loc"])), []).append(erreur)
    return [
        erreur
        for groupe in groupes.values()
        for erreur in sorted(groupe, key=lambda e: str(e["type"]).endswith("_type"))
    ]


def probleme_depuis_pydantic(
    erreur: dict[str, Any], arbre_yaml: Any, chemin: str, modele: type[BaseModel]
) -> Probleme:
    """Traduit une erreur pydantic en :class:`Probleme` français, situé dans le fichier."""
    loc = _loc_sans_membres(erreur["loc"])
    ligne, colonne = position(arbre_yaml, loc)
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
            correction = f'mettez la valeur entre guillemets : {nom}: "{_tel_qu_ecrit(entree)}"'
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
    elif type_ == ERREUR_EXPLIQUEE:  # p. ex. une fiche citée par un avenant (references.py)
        message = f"« {cle} » : {contexte['message']}"
        correction = str(contexte["correction"])
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
    CODE: (
        "un code d'axe ou d'objectif s'écrit comme dans le contrat, sans espace : lettres, "
        'chiffres, points et tirets, entre guillemets : "1", "A", "1.2", "II-2"'
    ),
    IDENTIFIANT: FORME_IDENTIFIANT,
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
    "porteurs": (
        "indiquez au moins un porteur, un par ligne précédée de « - » (ou « porteurs: "
        "non_precise » si le contrat ne le dit pas)"
    ),
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


def _tel_qu_ecrit(valeur: Any) -> str:
    import datetime as dt

    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    return str(valeur)


_BOOLEENS_YAML11 = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


def pieges_yaml(arbre_yaml: Any, chemin: str) -> list[Probleme]:
    """Les valeurs qu'un autre lecteur YAML lirait autrement (``yes``/``no`` non protégés)."""
    problemes = []
    for valeur, loc in scalaires(arbre_yaml):
        # Un scalaire sans guillemets est un ``str`` simple ; entre guillemets, une sous-classe.
        if type(valeur) is str and _BOOLEENS_YAML11.match(valeur):
            ligne, colonne = position(arbre_yaml, loc)
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


def valider_document(
    document: Document, modele: type[M], racine: Path, contexte: dict[str, Any] | None = None
) -> tuple[M | None, list[Probleme]]:
    """Le modèle d'un document lu, ou les problèmes qui l'en empêchent (situés).

    ``contexte`` est le contexte de validation : celui de :func:`cls_cli.references.contexte`
    pour un fichier qui cite des fiches par identifiant (avenant, évaluation, réunion).

    Un document lu par le lecteur rapide et valide est accepté tel quel. Sinon, tout est
    refait sur la lecture de ruamel, qui fait autorité : les problèmes sont donc les mêmes
    quel que soit le lecteur qui a lu le fichier en premier.
    """
    if not document.lu_en_aller_retour and document.valeurs is not None:
        try:
            objet = modele.model_validate(document.valeurs, context=contexte)
        except ValidationError:
            pass
        else:
            document.alleger()
            return objet, []
    affiche = emplacement(document.chemin, racine)
    try:
        arbre_yaml = document.arbre_yaml
    except ErreurDonnees as exc:
        return None, [relocaliser(exc.probleme, affiche)]
    document.prendre_valeurs_de_ruamel()
    if arbre_yaml is None:
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
    problemes = pieges_yaml(arbre_yaml, affiche)
    try:
        objet = modele.model_validate(en_python(arbre_yaml), context=contexte)
    except ValidationError as exc:
        # Un problème par clé (une valeur à plusieurs types possibles n'en donne qu'un),
        # mais tous les problèmes du fichier : huit clés manquantes, huit problèmes.
        vus = set()
        for erreur in erreurs_utiles(dict(e) for e in exc.errors()):
            loc = _loc_sans_membres(tuple(erreur["loc"]))
            if loc not in vus:
                vus.add(loc)
                problemes.append(probleme_depuis_pydantic(erreur, arbre_yaml, affiche, modele))
        return None, problemes
    if problemes:
        return None, problemes
    return objet, problemes
