"""Les tables de :mod:`cls_cli.export` en fichiers Parquet (``cls export --format parquet``),
pour DuckDB, pandas, Polars ou un outil de BI.

pyarrow est une dépendance facultative (``pip install 'cls-cli[parquet]'``) : sans lui, le
format est refusé (code 2) avec ce qu'il faut installer. Un fichier par table, les mêmes
tables et colonnes que la base SQLite ; les types suivent ceux de SQLite (INTEGER en
entier 64 bits, REAL en flottant, TEXT en texte). Les colonnes de type libre (``valeur``,
``cible``, ``reference_valeur`` : un nombre, oui/non ou un texte) sont écrites en texte,
comme dans les CSV (``true``/``false`` pour oui/non) : une colonne Parquet n'a qu'un type,
et aucune valeur n'est convertie en un nombre qu'elle n'est pas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from cls_cli.erreurs import ErreurUsage
from cls_cli.export_formats import Table

#: Ce que dit l'erreur quand pyarrow manque.
INSTALLER = "pip install 'cls-cli[parquet]'"


def _texte(valeur: Any) -> str | None:
    if valeur is None:
        return None
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    return str(valeur)


def _colonne(type_sql: str, valeurs: list[Any]) -> tuple[Any, list[Any]]:
    """Le type Arrow d'une colonne et ses valeurs converties sans perte."""
    import pyarrow as pa

    if type_sql == "INTEGER":
        return pa.int64(), [int(v) if isinstance(v, bool) else v for v in valeurs]
    if type_sql == "REAL":
        return pa.float64(), valeurs
    return pa.string(), [_texte(v) for v in valeurs] if type_sql == "" else valeurs


def fichiers_parquet(
    contenu: Iterable[tuple[Table, Sequence[tuple[Any, ...]]]],
) -> dict[str, bytes]:
    """Un fichier Parquet par table (``contenu`` : les paires table, lignes de
    :func:`cls_cli.export.tables`) : ``nom.parquet`` -> octets. :class:`ErreurUsage` si
    pyarrow n'est pas installé."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ErreurUsage(
            f"le format parquet demande la bibliothèque pyarrow, absente : installez-la avec "
            f"« {INSTALLER} », ou choisissez --format sqlite ou csv"
        ) from None
    resultat = {}
    for table, lignes in contenu:
        champs, colonnes = [], []
        for i, (nom, type_sql) in enumerate(table.colonnes):
            type_arrow, valeurs = _colonne(type_sql, [ligne[i] for ligne in lignes])
            champs.append(pa.field(nom, type_arrow))
            colonnes.append(pa.array(valeurs, type=type_arrow))
        tampon = io.BytesIO()
        pq.write_table(pa.Table.from_arrays(colonnes, schema=pa.schema(champs)), tampon)
        resultat[f"{table.nom}.parquet"] = tampon.getvalue()
    return resultat
