# ruff: noqa: E501  (la macro de référence est recopiée telle quelle, lignes longues comprises)
"""Le petit graphique d'un indicateur (cls_cli/graphiques.py) écrit, au caractère près, ce
qu'écrivait la macro Jinja qu'il remplace (recopiée ici comme référence)."""

from __future__ import annotations

from typing import Any

import pytest

from cls_cli.graphiques import graphique_indicateur
from cls_cli.modele_rapport import Indicateur
from cls_cli.rendu import environnement

MACRO = """{% macro graphique_indicateur(ind) -%}
{% set haut = 60 %}
{% set maximum = ([ind.cible] if ind.cible is number and ind.cible is not boolean else [])|list + ind.serie|map(attribute="valeur")|list %}
{% set echelle = haut / (maximum|max) if maximum|max > 0 else 0 %}
{% set largeur = 70 * ind.serie|length + 130 %}
<svg class="mini" role="img" aria-label="{{ ind.libelle }}" viewBox="0 0 {{ largeur }} {{ haut + 36 }}" width="{{ largeur }}">
<title>{{ ind.libelle }}{% if ind.cible is number %} : {{ _("valeurs et cible") }}{% endif %}</title>
{% for p in ind.serie %}
  {% set h = ([p.valeur, 0]|max * echelle)|round(1) %}
  <rect x="{{ 70 * loop.index0 }}" y="{{ haut + 14 - h }}" width="54" height="{{ h }}" fill="#6f8499"/>
  <text x="{{ 70 * loop.index0 + 27 }}" y="{{ haut + 10 - h }}" font-size="11" text-anchor="middle">{{ p.valeur|valeur(ind) }}</text>
  <text x="{{ 70 * loop.index0 + 27 }}" y="{{ haut + 30 }}" font-size="11" text-anchor="middle">{{ p.annee }}</text>
{% endfor %}
{% if ind.cible is number and ind.cible is not boolean %}
  {% set yc = (haut + 14 - ind.cible * echelle)|round(1) %}
  <line x1="0" y1="{{ yc }}" x2="{{ 70 * ind.serie|length }}" y2="{{ yc }}" stroke="#1d2733" stroke-width="1.5" stroke-dasharray="5 3"/>
  <text x="{{ 70 * ind.serie|length + 6 }}" y="{{ yc + 4 }}" font-size="11">{{ _("cible") }} {{ ind.cible|valeur(ind) }}</text>
{% endif %}
</svg>
{%- endmacro %}[{{ graphique_indicateur(ind) }}]"""


def _indicateur(cible: Any, serie: list[tuple[int, float]], **autres: Any) -> Indicateur:
    return Indicateur.model_validate(
        {
            "code": "i",
            "libelle": autres.get("libelle", "Personnes reçues <CPAM> & “co”"),
            "type": autres.get("type", "nombre"),
            "unite": autres.get("unite", "pers. & co"),
            "agregation": "somme",
            "cible": cible,
            "reference": None,
            "mesures": [],
            "valeur": None,
            "annee_valeur": None,
            "atteinte": None,
            "serie": [{"annee": a, "valeur": v} for a, v in serie],
        }
    )


CAS = {
    "cible entière": _indicateur(120, [(2021, 40), (2022, 95.5), (2023, 130)]),
    "cible flottante": _indicateur(33.3, [(2022, 12.25)]),
    "sans cible": _indicateur(None, [(2021, 3), (2022, 0)]),
    "cible oui/non": _indicateur(True, [(2021, 1)]),
    "cible texte": _indicateur("baisse", [(2021, 7)]),
    "valeurs négatives": _indicateur(10, [(2021, -5), (2022, -0.5)]),
    "tout à zéro": _indicateur(0, [(2021, 0), (2022, 0)]),
    "taux": _indicateur(80, [(2021, 12.5), (2022, 64.04)], type="taux", unite="%"),
}


@pytest.mark.parametrize("langue", ["fr", "en"])
@pytest.mark.parametrize("cas", CAS)
def test_meme_texte_que_la_macro(cas: str, langue: str) -> None:
    env = environnement("html", langue)
    attendu = env.from_string(MACRO).render(ind=CAS[cas])
    valeur, traduire = env.filters["valeur"], env.globals["_"]
    assert f"[{graphique_indicateur(CAS[cas], valeur, traduire)}]" == attendu  # type: ignore[arg-type]
