"""Le rendu de ``cls rollup`` : la :class:`~cls_cli.rollup.Consolidation` en Markdown ou
HTML (gabarits ``rollup.md.j2`` et ``rollup.html.j2``, mêmes filtres que les rapports :
:func:`cls_cli.rendu.environnement`) ou en JSON (:func:`cls_cli.rollup.en_json`)."""

from __future__ import annotations

import json

from cls_cli.formats_rapport import format_sortie
from cls_cli.rollup import Consolidation, en_json

#: Les formats de ``cls rollup`` : les trois des rapports, et toutes les tables en SQLite.
FORMATS_ROLLUP = ("md", "html", "json", "sqlite")


def rendre_rollup(r: Consolidation, format_: str) -> str:
    """La consolidation dans ``format_`` (``md``, ``html`` ou ``json``)."""
    format_ = format_sortie(format_, None)
    if format_ == "json":
        return json.dumps(en_json(r), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    from cls_cli.rendu import environnement

    return environnement(format_, "fr").get_template(f"rollup.{format_}.j2").render(r=r)
