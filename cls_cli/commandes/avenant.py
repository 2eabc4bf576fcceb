"""``cls new`` : créer une fiche-action (avenant au contrat)."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import charger, emplacement
from cls_cli.commandes.communs import OPTION_DATA, dossier_donnees
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import A_COMPLETER


def _relire(temporaire: Path) -> None:
    """Le fichier écrit doit se relire (sinon il n'est pas mis en place)."""
    from cls_cli.yamlio import charger_fichier

    charger_fichier(temporaire)


def new(
    objectif: str = typer.Option(
        ..., "--objectif", help="Code de l'objectif opérationnel de la fiche (ex. 1.1.2)."
    ),
    titre: str = typer.Option(..., "--titre", help="Intitulé de l'action."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Crée une fiche-action (avenant) avec le prochain numéro libre.

    Chaque champ obligatoire vaut « À COMPLÉTER » : cls validate le signale tant qu'il
    n'est pas rempli. Aucun fichier existant n'est modifié.
    """
    from cls_cli.creation import nouvelle_fiche
    from cls_cli.ecriture import remplacer, verrou

    racine = dossier_donnees(data)
    fiche = nouvelle_fiche(charger(racine).referentiel, objectif, titre)
    (racine / "actions").mkdir(exist_ok=True)
    with verrou(fiche.chemin):
        if fiche.chemin.exists():
            raise ErreurUsage(f"{fiche.chemin} existe déjà : rien n'a été écrit")
        remplacer(fiche.chemin, fiche.texte, _relire)
    a_remplir = fiche.texte.count(A_COMPLETER) - 1  # la ligne d'en-tête le cite une fois
    lieu = console.lieu(emplacement(fiche.chemin, racine))
    console.compte_rendu(
        f"Fiche {fiche.numero} créée : {console.propre(lieu)}\n"
        f"Remplacez les {a_remplir} « {A_COMPLETER} » (titre et objectif sont déjà "
        "remplis), puis lancez « cls validate »."
    )
