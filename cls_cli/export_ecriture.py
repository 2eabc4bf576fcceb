"""L'écriture des tables de :mod:`cls_cli.export` : une base SQLite (un fichier) ou un
dossier de fichiers CSV, sans jamais remplacer un fichier existant sans ``--force`` ni
écrire dans un dossier de données."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cls_cli.erreurs import ErreurUsage


def ecrire_export(
    sortie: Path,
    contenu: bytes | dict[str, str] | dict[str, bytes],
    racines: Sequence[Path],
    force: bool,
) -> list[Path]:
    """Écrit la base (un fichier) ou les tables CSV ou Parquet (un dossier, créé au
    besoin) ; rend les chemins écrits. Sans ``force``, refuse (code 2) de remplacer un
    fichier existant ; jamais dans un dossier de données."""
    from cls_cli.ecriture import ecrire_dossier, ecrire_sortie

    for racine in racines[1:]:
        _hors_donnees(sortie, racine)
    if isinstance(contenu, bytes):
        ecrire_sortie(sortie, contenu, racines[0], force, "export")
        return [sortie]
    return ecrire_dossier(
        sortie,
        list(contenu.items()),
        racines[0],
        force,
        "des tables",
        "choisissez un autre dossier, ou ajoutez --force pour remplacer ces tables",
    )


def _hors_donnees(sortie: Path, racine: Path) -> None:
    try:
        sortie.resolve().relative_to(racine.resolve())
    except ValueError:
        return
    raise ErreurUsage(
        f"{sortie} est dans le dossier de données {racine} : cls n'y écrit pas ses sorties ; "
        "choisissez un chemin hors de ce dossier"
    )
