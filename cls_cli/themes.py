"""Les thèmes de santé partagés par tous les contrats (``cls rollup`` les met côte à côte).

Le vocabulaire est une donnée du paquet (``cls_cli/donnees/themes.yaml``) : un code stable
(``sante-mentale``) et son libellé. Un axe de ``axes.yaml`` ou une fiche peut porter
``theme: CODE`` ; une fiche sans thème prend celui de son axe (:func:`theme_fiche`).
:func:`regle_themes` refuse un code hors du vocabulaire, avec le fichier, la ligne et la
liste des thèmes admis.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

from cls_cli.chargement import Referentiel, emplacement, position
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.modeles import Axes, Fiche

#: Le thème des fiches qui n'en ont pas (ni elles ni leur axe), dans la vue par thème.
SANS_THEME = "sans-theme"
LIBELLE_SANS_THEME = "Sans thème"


@cache
def vocabulaire() -> dict[str, str]:
    """Les thèmes admis, dans l'ordre du fichier : code -> libellé."""
    from ruamel.yaml import YAML

    texte = resources.files("cls_cli").joinpath("donnees/themes.yaml").read_text("utf-8")
    themes = YAML(typ="safe").load(texte)["themes"]
    return {str(code): str(libelle) for code, libelle in themes.items()}


def libelle(code: str) -> str:
    """Le libellé d'un thème (« Sans thème » pour les fiches sans thème)."""
    return LIBELLE_SANS_THEME if code == SANS_THEME else vocabulaire()[code]


def themes_des_axes(axes: Axes | None) -> dict[str, str | None]:
    """Le thème de chaque axe (code d'axe -> thème ou None)."""
    return {axe.code: axe.theme for axe in axes.axes} if axes else {}


def theme_fiche(fiche: Fiche, par_axe: dict[str, str | None], axe: str | None) -> str:
    """Le thème d'une fiche : le sien, sinon celui de son axe, sinon :data:`SANS_THEME`."""
    return fiche.theme or (par_axe.get(axe) if axe else None) or SANS_THEME


def _probleme(chemin: str, arbre_yaml: object, loc: tuple[int | str, ...], code: str) -> Probleme:
    admis = vocabulaire()
    proches = difflib.get_close_matches(code, list(admis), n=1)
    conseil = f"vouliez-vous dire « {proches[0]} » ? " if proches else ""
    ligne, colonne = position(arbre_yaml, loc)
    return Probleme(
        chemin,
        ligne,
        colonne,
        Niveau.ERREUR,
        f"thème inconnu « {code} »",
        f"{conseil}choisissez un thème parmi : {', '.join(admis)} (ou retirez « theme »)",
        "theme-inconnu",
    )


def regle_themes(ref: Referentiel) -> Iterable[Probleme]:
    """Un thème d'axe ou de fiche hors du vocabulaire est une erreur située."""
    admis = vocabulaire()
    if ref.axes is not None:
        chemin = emplacement(ref.racine / "axes.yaml", ref.racine)
        for i, axe in enumerate(ref.axes.axes):
            if axe.theme is not None and axe.theme not in admis:
                yield _probleme(chemin, ref.arbre_yaml_axes, ("axes", i, "theme"), axe.theme)
    for fc in ref.fiches:
        if fc.fiche and fc.fiche.theme is not None and fc.fiche.theme not in admis:
            yield _probleme(
                emplacement(fc.chemin, ref.racine), fc.arbre_yaml, ("theme",), fc.fiche.theme
            )


def ordre(codes: Iterable[str]) -> Iterator[str]:
    """Les thèmes présents dans l'ordre du vocabulaire, « sans thème » en dernier."""
    presents = set(codes)
    yield from (c for c in [*vocabulaire(), SANS_THEME] if c in presents)
