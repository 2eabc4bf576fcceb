"""Les tables de :mod:`cls_cli.export` en base SQLite (module ``sqlite3`` de Python, clés
étrangères déclarées et vérifiées) ou en fichiers CSV, un par table. (Parquet :
:mod:`cls_cli.export_parquet`.)"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol


class Table(Protocol):
    """Ce que ce module lit d'une :class:`cls_cli.export.Table` (sans l'importer : c'est
    :mod:`cls_cli.export` qui appelle ce module)."""

    @property
    def nom(self) -> str: ...

    @property
    def colonnes(self) -> tuple[tuple[str, str], ...]: ...

    def creer(self) -> str: ...


def base_sqlite(contenu: Iterable[tuple[Table, list[tuple[Any, ...]]]]) -> bytes:
    """Une base SQLite qui contient ``contenu`` (clés étrangères vérifiées), en octets."""
    base = sqlite3.connect(":memory:")
    try:
        base.execute("PRAGMA foreign_keys = ON")
        with base:
            for table, lignes in contenu:
                base.execute(table.creer())
                marques = ", ".join("?" * len(table.colonnes))
                base.executemany(f"INSERT INTO {table.nom} VALUES ({marques})", lignes)
        return base.serialize()
    finally:
        base.close()


def _cellule(valeur: Any) -> Any:
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    return "" if valeur is None else valeur


def fichiers_csv(contenu: Iterable[tuple[Table, list[tuple[Any, ...]]]]) -> dict[str, str]:
    """Un texte CSV (en-tête puis lignes) par table : ``nom.csv`` -> texte."""
    resultat = {}
    for table, lignes in contenu:
        flux = io.StringIO(newline="")
        ecrivain = csv.writer(flux, lineterminator="\n")
        ecrivain.writerow(nom for nom, _ in table.colonnes)
        ecrivain.writerows([_cellule(v) for v in ligne] for ligne in lignes)
        resultat[f"{table.nom}.csv"] = flux.getvalue()
    return resultat
