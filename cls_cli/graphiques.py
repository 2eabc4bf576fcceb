"""Le petit graphique d'un indicateur dans le rapport HTML : ses valeurs retenues, année par
année, et la ligne de sa cible (SVG).

Écrit en Python plutôt qu'en macro Jinja : un rapport de 5 000 fiches en dessine 20 000,
et la macro (ses filtres, ses échappements un à un) en prenait le tiers du rendu. Le texte
est, au caractère près, celui qu'écrivait la macro de ``rapport.html.j2``.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Number
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markupsafe import Markup

    from cls_cli.modele_rapport import Indicateur

#: La hauteur des barres (la plus haute valeur, ou la cible).
HAUT = 60


def graphique_indicateur(
    ind: Indicateur, valeur: Callable[[Any, Indicateur], str], traduire: Callable[..., str]
) -> Markup:
    """Le SVG de ``ind`` (qui a une ``serie``) ; ``valeur`` met une valeur en forme,
    ``traduire`` est le ``_`` des gabarits."""
    from markupsafe import Markup, escape

    cible = ind.cible
    cible_nombre = isinstance(cible, Number)
    trace_cible = cible_nombre and cible is not True and cible is not False
    valeurs: list[Any] = [cible] if trace_cible else []
    maximum = max(valeurs + [p.valeur for p in ind.serie])
    echelle = HAUT / maximum if maximum > 0 else 0
    largeur = 70 * len(ind.serie) + 130
    libelle = escape(ind.libelle)
    lignes = [
        f'<svg class="mini" role="img" aria-label="{libelle}" viewBox="0 0 {largeur} '
        f'{HAUT + 36}" width="{largeur}">\n',
        f"<title>{libelle}"
        + (f" : {traduire('valeurs et cible')}" if cible_nombre else "")
        + "</title>\n",
    ]
    for i, p in enumerate(ind.serie):
        h = round(max(p.valeur, 0) * echelle, 1)
        x = 70 * i
        lignes.append(
            f'  <rect x="{x}" y="{HAUT + 14 - h}" width="54" height="{h}" fill="#6f8499"/>\n'
            f'  <text x="{x + 27}" y="{HAUT + 10 - h}" font-size="11" text-anchor="middle">'
            f"{escape(valeur(p.valeur, ind))}</text>\n"
            f'  <text x="{x + 27}" y="{HAUT + 30}" font-size="11" text-anchor="middle">'
            f"{p.annee}</text>\n"
        )
    if trace_cible:
        yc = round(HAUT + 14 - cible * echelle, 1)  # type: ignore[operator]
        fin = 70 * len(ind.serie)
        lignes.append(
            f'  <line x1="0" y1="{yc}" x2="{fin}" y2="{yc}" stroke="#1d2733" '
            'stroke-width="1.5" stroke-dasharray="5 3"/>\n'
            f'  <text x="{fin + 6}" y="{yc + 4}" font-size="11">{traduire("cible")} '
            f"{escape(valeur(cible, ind))}</text>\n"
        )
    lignes.append("</svg>")
    return Markup("".join(lignes))
