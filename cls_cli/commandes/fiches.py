"""``cls import-fiches`` : créer les axes, objectifs et fiches d'un contrat depuis un tableau."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurDonnees, ErreurUsage


def import_fiches(
    tableau: Path | None = typer.Argument(
        None,
        metavar="[TABLEAU]",
        help="Le tableau des fiches, .xlsx ou .csv : une ligne par fiche.",
    ),
    modele: bool = typer.Option(
        False,
        "--template",
        help="Écrire le modèle vide du tableau (avec son mode d'emploi), avec une colonne "
        "par niveau que déclare contrat.yaml.",
    ),
    sortie: Path = typer.Option(
        Path("fiches.xlsx"), "--output", "-o", help="Avec --template : le classeur à écrire."
    ),
    force: bool = typer.Option(
        False, "--force", help="Avec --template : remplacer un fichier existant."
    ),
    simulation: bool = typer.Option(
        False, "--dry-run", help="Tout vérifier et dire ce qui serait créé, sans rien écrire."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Crée les axes, objectifs et fiches d'un contrat qui commence, depuis un tableau.

    Tout ou rien : au moindre problème (dit avec sa feuille et sa cellule), rien n'est écrit.
    """
    racine = racine_designee(data)
    if modele:
        from cls_cli.ecriture import ecrire_sortie
        from cls_cli.modele_fiches import modele_xlsx
        from cls_cli.niveaux_tableau import en_mots, structure_declaree

        structure = structure_declaree(racine)
        ecrire_sortie(sortie, modele_xlsx(structure), racine, force, "modele-fiches")
        console.compte_rendu(
            f"Modèle du tableau des fiches écrit dans {console.propre(sortie)} "
            f"(le contrat déclare {en_mots(structure)} : {', '.join(structure)})"
        )
        return
    if tableau is None:
        raise ErreurUsage("donnez le tableau des fiches (ou --template pour en écrire le modèle)")
    from cls_cli.import_fiches import planifier_import
    from cls_cli.plan import appliquer, session

    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        resultat = planifier_import(tableau, racine)
        for avertissement in resultat.avertissements:
            console.avertissement(avertissement)
        if resultat.erreurs or resultat.plan is None:
            for erreur in resultat.erreurs:
                console.erreur(erreur)
            raise ErreurDonnees(
                tableau,
                1,
                1,
                f"{len(resultat.erreurs)} problème(s) dans le tableau : rien n'a été écrit",
                "corrigez ces cellules puis relancez cls import-fiches",
                "import-fiches",
            )
        if not simulation:
            appliquer(racine, resultat.plan)
    for deduit in resultat.deduits:
        console.note(deduit)
    for phrase in resultat.phrases_non_precises():
        console.note(phrase)
    verbe = "seraient créées" if simulation else "créées"
    console.compte_rendu(
        f"{resultat.fiches} fiches {verbe}, et axes.yaml ; relisez ce qui a été tiré des "
        "libellés (ci-dessus), puis lancez cls validate"
    )
