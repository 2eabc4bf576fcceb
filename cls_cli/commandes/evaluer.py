"""``cls evaluate new`` et ``cls evaluate report`` : l'évaluation du contrat lui-même."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cls_cli import console, typer_fr
from cls_cli.commandes.communs import OPTION_DATA, format_et_racine, racine_designee
from cls_cli.erreurs import ErreurUsage
from cls_cli.formats_rapport import AIDE_FORMAT, liste_formats

PERIODE = re.compile(r"^(\d{4})-(\d{4})$")


def _date(texte: str | None) -> dt.date:
    if texte is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def new(
    type_: str = typer.Option(
        ..., "--type", "-t", help="Type d'évaluation : mi-parcours, finale ou thematique."
    ),
    periode: str = typer.Option(
        ..., "--periode", "-p", help="Première et dernière année évaluées (ex. 2020-2022)."
    ),
    date: str | None = typer.Option(
        None, "--date", help="Date de l'évaluation, AAAA-MM-JJ (par défaut : aujourd'hui)."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Écrit la grille de départ d'une évaluation (questions types par critère) dans evaluations/"""
    from cls_cli.chargement import charger
    from cls_cli.grille import grille, identifiant
    from cls_cli.plan import appliquer, planifier_creation, session
    from cls_cli.regles_evaluations import DOSSIER_EVALUATIONS

    m = PERIODE.match(periode)
    if m is None:
        raise ErreurUsage(f"période invalide « {periode} » : écrivez-la AAAA-AAAA (ex. 2020-2022)")
    debut, fin = int(m.group(1)), int(m.group(2))
    racine = racine_designee(data)
    ref = charger(racine).referentiel
    if ref.axes is None:
        raise ErreurUsage("axes.yaml est illisible : lancez cls validate et corrigez-le d'abord")
    try:
        texte = grille(ref.axes, ref.contrat, type_, debut, fin, _date(date))
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    chemin = racine / DOSSIER_EVALUATIONS / f"{identifiant(type_, fin)}.yaml"
    # Écrite par le chemin unique des écritures : sous le verrou de l'arbre, tout ou rien.
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        if chemin.exists():
            raise ErreurUsage(
                f"{console.propre(chemin)} existe déjà : modifiez-le, ou supprimez-le pour "
                "repartir de la grille"
            )
        chemin.parent.mkdir(parents=True, exist_ok=True)
        appliquer(racine, planifier_creation(chemin, texte))
    console.compte_rendu(
        f"Grille d'évaluation écrite dans {console.propre(chemin)} : complétez constats, "
        "jugements et préconisations, puis lancez cls validate"
    )


def report(
    ident: str = typer.Argument(
        ..., metavar="ID", help="L'évaluation : nom du fichier de evaluations/ sans .yaml."
    ),
    format_: str | None = typer.Option(
        None, "--format", "-f", help=AIDE_FORMAT.format(formats=liste_formats())
    ),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Fichier à écrire (sinon : sortie standard)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Remplacer -o même s'il n'a pas été produit par cette commande."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Produit le rapport d'une évaluation : méthode, résultats, synthèse, préconisations,
    et les avenants signés ou décidés pendant sa période."""
    from cls_cli.avenants import avenants_surs
    from cls_cli.chargement import charger
    from cls_cli.ecriture import ecrire_sortie
    from cls_cli.rapport_evaluation import construire_evaluation, rendre_evaluation
    from cls_cli.regles_evaluations import charger_gouvernance, evaluation_verifiee

    format_, racine = format_et_racine(format_, sortie, data, force, "evaluation")
    ref = charger(racine).referentiel
    gouvernance = charger_gouvernance(racine)
    evaluation = evaluation_verifiee(ref, gouvernance, ident)
    contenu = construire_evaluation(
        ref, gouvernance, ident, evaluation.modele, avenants_surs(racine)
    )
    texte = rendre_evaluation(contenu, format_)
    if sortie is None:
        console.ecrire(texte)
        return
    ecrire_sortie(sortie, texte, racine, force, "evaluation")
    console.compte_rendu(f"Rapport d'évaluation ({format_}) écrit dans {console.propre(sortie)}")


def enregistrer(app: typer.Typer, proteger: Callable[[Any], Any]) -> None:
    """Ajoute ``cls evaluate new|report`` et ``cls bulletin`` à l'application."""
    from cls_cli.commandes import bulletin

    groupe = typer.Typer(
        help="Évaluer le contrat : grille de départ, rapport d'évaluation.",
        no_args_is_help=True,
        subcommand_metavar=typer_fr.METAVAR_COMMANDE,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    groupe.command("new")(proteger(new))
    groupe.command("report")(proteger(report))
    app.add_typer(groupe, name="evaluate")
    app.command("bulletin")(proteger(bulletin.bulletin))
