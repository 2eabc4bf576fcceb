"""``cls validate`` : vérifier tout l'arbre de données."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurUsage
from cls_cli.formats import FORMATS, formater
from cls_cli.verification import valider


def validate(
    data: Path | None = OPTION_DATA,
    format_: str = typer.Option(
        None,
        "--format",
        "-f",
        help="text (par défaut), github (annotations GitHub Actions, choisi automatiquement "
        "dans GitHub Actions), gitlab (rapport Code Quality de GitLab) ou json.",
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Traiter les avertissements comme des erreurs."
    ),
) -> None:
    """Vérifie toutes les fiches, axes.yaml et contrat.yaml ; signale tous les problèmes.

    Code de sortie : 0 si les données sont saines, 1 s'il y a des erreurs (ou des
    avertissements avec --strict), 2 pour une commande mal employée.
    """
    if format_ is None:
        format_ = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if format_ not in FORMATS:
        raise ErreurUsage(f"format inconnu « {format_} » : choisissez parmi {', '.join(FORMATS)}")
    resultat = valider(racine_designee(data))
    problemes = [replace(p, chemin=console.lieu(p.chemin)) for p in resultat.problemes]
    sortie = formater(problemes, format_, len(resultat.referentiel.fiches))
    if format_ in ("json", "gitlab"):
        console.ecrire(sortie)  # du JSON : ses chaînes sont déjà échappées
    else:
        console.texte(sortie)
    raise typer.Exit(resultat.code_sortie(strict))
