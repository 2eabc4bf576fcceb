"""Options partagées par les commandes."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli.chargement import trouver_donnees

OPTION_DATA = typer.Option(
    None,
    "--data",
    help="Dossier de données (par défaut : le dossier « data/ » contenant axes.yaml le plus "
    "proche, en remontant depuis le dossier courant).",
    file_okay=False,
)


def dossier_donnees(data: Path | None) -> Path:
    """Le dossier de données désigné par --data, ou trouvé depuis le dossier courant
    (une écriture interrompue y est d'abord annulée, voir :mod:`cls_cli.transaction`)."""
    racine = trouver_donnees(data if data is not None else Path.cwd())
    if (racine / ".cls" / "transaction.json").exists():
        # Une écriture de cls a été interrompue : l'annuler avant de lire ou d'écrire.
        from cls_cli import console
        from cls_cli.transaction import verrou

        annonces: list[str] = []
        with verrou(racine, annonces):
            pass
        for annonce in annonces:
            console.info(annonce)
    return racine
