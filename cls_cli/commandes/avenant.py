"""``cls new`` : créer une fiche-action (avenant au contrat)."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import charger, emplacement
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.modeles import A_COMPLETER


def new(
    objectif: str = typer.Option(
        ..., "--objectif", help="Code de l'objectif opérationnel de la fiche (ex. 1.1.2)."
    ),
    titre: str = typer.Option(..., "--titre", help="Intitulé de l'action."),
    identifiant: str | None = typer.Option(
        None,
        "--identifiant",
        help="Identifiant de la fiche tel que le contrat l'écrit (ex. A3, 3.1) ; "
        "sans lui, la fiche est désignée par son numéro.",
    ),
    avenant: int | None = typer.Option(
        None,
        "--avenant",
        help="Numéro de l'avenant qui ajoute la fiche : le changement y est inscrit "
        "(la fiche est en vigueur à partir de sa date).",
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Crée une fiche-action avec le prochain numéro libre.

    Chaque champ obligatoire vaut « À COMPLÉTER » : cls validate le signale tant qu'il
    n'est pas rempli. Avec --avenant N, la fiche est aussi inscrite dans
    data/avenants/N.yaml (les deux fichiers sont écrits, ou aucun) ; sans --avenant,
    aucun fichier existant n'est modifié.
    """
    from cls_cli.avenants import charger_avenants, fiches_citees
    from cls_cli.creation import nouvelle_fiche
    from cls_cli.plan import appliquer, planifier_creation, session
    from cls_cli.plan_avenants import planifier_ajout
    from cls_cli.schema import schema_manquant

    racine = racine_designee(data)
    # Le numéro est choisi et le fichier créé sous le même verrou : deux cls new lancés
    # en même temps ne prennent jamais le même numéro.
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        cites = fiches_citees(charger_avenants(racine).valides())
        fiche = nouvelle_fiche(charger(racine).referentiel, objectif, titre, identifiant, cites)
        if avenant is None:
            plan = planifier_creation(fiche.chemin, fiche.texte)
        else:
            plan = planifier_ajout(racine, avenant, fiche)
        appliquer(racine, plan)
    inscrite = ""
    if avenant is not None:  # le plan écrit la fiche, puis l'avenant
        avenant_lieu = console.propre(emplacement(plan.changements[-1].chemin, racine))
        inscrite = (
            f"Inscrite dans l'avenant n° {avenant} ({avenant_lieu}) : elle est en vigueur "
            "à partir de sa date.\n"
        )
    a_remplir = fiche.texte.count(A_COMPLETER) - 1  # la ligne d'en-tête le cite une fois
    lieu = console.lieu(emplacement(fiche.chemin, racine))
    nom = f"{fiche.identifiant} (n° {fiche.numero})" if fiche.identifiant else fiche.numero
    console.compte_rendu(
        f"Fiche {nom} créée : {console.propre(lieu)}\n"
        + inscrite
        + f"Remplacez les {a_remplir} « {A_COMPLETER} » (titre et objectif sont déjà "
        "remplis), puis lancez « cls validate »."
    )
    manquant = schema_manquant(racine, "fiche.schema.json")
    if manquant is not None:
        console.compte_rendu(
            f"Aide à la saisie dans l'éditeur : la fiche désigne le schéma "
            f"{console.propre(console.chemin_lisible(manquant))}, absent ; "
            "« cls schema --install » l'écrit."
        )
