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
    from cls_cli.ecriture import ecrire_atomique, ecrire_sortie

    for racine in racines[1:]:
        _hors_donnees(sortie, racine)
    if isinstance(contenu, bytes):
        ecrire_sortie(sortie, contenu, racines[0], force, "export")
        return [sortie]
    _hors_donnees(sortie, racines[0])
    if sortie.exists() and not sortie.is_dir():
        raise ErreurUsage(
            f"{sortie} est un fichier : les formats csv et parquet écrivent un dossier de tables"
        )
    if not sortie.parent.is_dir():
        raise ErreurUsage(
            f"le dossier {sortie.parent} n'existe pas : créez-le (mkdir -p) ou choisissez "
            "un autre chemin"
        )
    chemins = [sortie / nom for nom in contenu]
    existants = [c.name for c in chemins if c.exists()]
    if existants and not force:
        raise ErreurUsage(
            f"{sortie} contient déjà {', '.join(existants)} : choisissez un autre dossier, "
            "ou ajoutez --force pour remplacer ces tables"
        )
    sortie.mkdir(exist_ok=True)
    valeurs: list[str | bytes] = list(contenu.values())
    for chemin, texte in zip(chemins, valeurs, strict=True):
        ecrire_atomique(chemin, texte)
    return chemins


def _hors_donnees(sortie: Path, racine: Path) -> None:
    try:
        sortie.resolve().relative_to(racine.resolve())
    except ValueError:
        return
    raise ErreurUsage(
        f"{sortie} est dans le dossier de données {racine} : cls n'y écrit pas ses sorties ; "
        "choisissez un chemin hors de ce dossier"
    )
