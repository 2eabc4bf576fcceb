"""Les formats de sortie des rapports, au seul endroit où ils sont écrits.

Chaque commande qui produit un rapport (``cls report``, ``cls evaluate report``,
``cls bulletin``) choisit son format par :func:`format_sortie` *avant* de charger les
données, et tire son aide de :func:`liste_formats`. Module léger (aucune dépendance) :
les commandes l'importent au démarrage pour écrire leur aide.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from cls_cli.erreurs import ErreurUsage

#: Le nom donné à ``--format`` -> les extensions de ``-o`` qui le désignent.
FORMATS: dict[str, tuple[str, ...]] = {
    "md": ("md", "markdown"),
    "html": ("html", "htm"),
    "json": ("json",),
}
#: Les formats des documents sans version JSON (bulletin, contrat consolidé).
FORMATS_TEXTE = ("md", "html")
#: Les langues des rapports (``--lang``) : le français des gabarits et leur traduction.
LANGUES = ("fr", "en")
#: L'aide de l'option ``--format`` (``{formats}`` : « md, html ou json »).
AIDE_FORMAT = "{formats} (par défaut : d'après l'extension de -o, sinon md)."


def liste_formats(permis: Sequence[str] = tuple(FORMATS)) -> str:
    """« md, html ou json » : pour l'aide et les messages d'erreur."""
    if len(permis) == 1:
        return permis[0]
    return ", ".join(permis[:-1]) + " ou " + permis[-1]


def format_sortie(
    format_: str | None, sortie: PurePath | None, permis: Sequence[str] = tuple(FORMATS)
) -> str:
    """Le format d'un rapport : ``--format`` s'il est donné, sinon l'extension de ``-o``,
    sinon ``md`` ; une valeur hors de ``permis`` est une erreur d'usage (code 2)."""
    if format_ is None and sortie is not None and sortie.suffix:
        extension = sortie.suffix.lstrip(".").lower()
        format_ = next((f for f, ext in FORMATS.items() if extension in ext), extension)
    format_ = format_ or "md"
    if format_ not in permis:
        ou = "l'option --format ou l'extension du fichier -o"
        raise ErreurUsage(
            f"format inconnu « {format_} » : choisissez parmi {liste_formats(permis)} ({ou})"
        )
    return format_


def langue_rapport(langue: str) -> str:
    """``langue`` si un rapport sait s'y écrire ; une erreur d'usage (code 2) sinon."""
    if langue not in LANGUES:
        raise ErreurUsage(
            f"langue inconnue « {langue} » : choisissez parmi {liste_formats(LANGUES)} "
            "(option --lang)"
        )
    return langue
