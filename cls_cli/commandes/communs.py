"""Options partagées par les commandes."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import dossier_designe, trouver_donnees

OPTION_DATA = typer.Option(
    None,
    "--data",
    help="Dossier de données, qui contient axes.yaml (par défaut : le dossier « data/ » "
    "contenant axes.yaml le plus proche, en remontant depuis le dossier courant ; le dossier "
    "trouvé est alors indiqué sur la sortie d'erreur).",
    file_okay=False,
)


def dossier_donnees(data: Path | None) -> Path:
    """Le dossier désigné par --data (tel quel), ou trouvé en remontant depuis le dossier
    courant : ce dernier est alors annoncé sur la sortie d'erreur, pour qu'on sache quel
    arbre a été lu."""
    if data is not None:
        return dossier_designe(data)
    dossier = trouver_donnees(Path.cwd())
    console.note(f"Dossier de données : {console.propre(console.chemin_lisible(dossier))}")
    return dossier
