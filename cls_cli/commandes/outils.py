"""``cls schema`` : les schémas JSON des fichiers, pour les éditeurs."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console


def schema(
    sortie: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Dossier où écrire les schémas (sinon : le schéma d'une "
        "fiche sur la sortie standard).",
        file_okay=False,
    ),
) -> None:
    """Écrit les schémas JSON des fiches, de axes.yaml, de contrat.yaml et des avenants."""
    from cls_cli.ecriture import ecrire_atomique
    from cls_cli.schema import SCHEMAS, texte

    if sortie is None:
        console.brut(texte("fiche.schema.json"))
        return
    sortie.mkdir(parents=True, exist_ok=True)
    for nom in SCHEMAS:
        ecrire_atomique(sortie / nom, texte(nom))
        console.compte_rendu(f"Schéma écrit : {console.propre(sortie / nom)}")
