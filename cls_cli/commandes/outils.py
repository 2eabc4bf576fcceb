"""``cls schema`` : les schémas JSON des fichiers, pour les éditeurs."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurUsage


def schema(
    sortie: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Dossier où écrire les schémas (sinon : le schéma d'une "
        "fiche sur la sortie standard).",
        file_okay=False,
    ),
    installer: bool = typer.Option(
        False,
        "--install",
        help="Écrire les schémas dans le dossier « schemas/ » du dépôt de données (à côté "
        "de « data/ »), celui que désigne la première ligne de chaque fichier.",
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Écrit les schémas JSON des fichiers de données (fiches, axes.yaml, contrat.yaml, avenants…)
    et du rapport JSON (cls report -f json)."""
    from cls_cli.ecriture import ecrire_atomique
    from cls_cli.schema import SCHEMAS, dossier_schemas, ligne_schema, texte

    if installer and sortie is not None:
        raise ErreurUsage(
            "--install et --output s'excluent : --install écrit dans le dossier « schemas/ » "
            "du dépôt de données ; pour un autre dossier, utilisez seulement --output"
        )
    if installer:
        sortie = dossier_schemas(racine_designee(data))
    if sortie is None:
        console.ecrire(texte("fiche.schema.json"))
        return
    sortie.mkdir(parents=True, exist_ok=True)
    for nom in SCHEMAS:
        ecrire_atomique(sortie / nom, texte(nom))
        console.compte_rendu(f"Schéma écrit : {console.propre(sortie / nom)}")
    if installer:
        console.compte_rendu(
            "Première ligne de chaque fiche (cls new l'écrit) : "
            + console.propre(ligne_schema("fiche.schema.json").strip())
        )
