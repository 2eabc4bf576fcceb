"""``cls record``, ``cls status``, ``cls template`` et ``cls import`` : saisir le suivi.

Chaque commande lit ses options, demande un plan au cœur (:mod:`cls_cli.plan`), l'affiche
et l'applique : toutes les règles d'écriture sont dans le cœur.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cls_cli import console
from cls_cli.chargement import charger, emplacement
from cls_cli.commandes.communs import AIDE_FICHE, OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.saisie import lire_avancement, lire_statut

if TYPE_CHECKING:
    from cls_cli.plan import Demande

# Le cœur de la saisie (ruamel, filelock, openpyxl) est importé dans chaque commande :
# les autres commandes, cls validate d'abord, démarrent sans lui.

OPTION_REMPLACER = typer.Option(
    False, "--replace", help="Remplacer la valeur déjà saisie pour cette année."
)


def _date(texte: str | None) -> dt.date | None:
    if texte is None:
        return None
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def _une_demande(
    racine: Path,
    demande: Demande,
    remplacer: bool,
    simulation: bool,
    rouvrir: bool,
    noms: dict[int, str],
) -> None:
    """Planifie une demande seule, l'applique et dit ce qui a été fait."""
    from cls_cli.bilan import erreur_du_refus, phrase_detail
    from cls_cli.plan import appliquer, planifier, session

    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        plan = planifier(racine, contexte, [demande], remplacer, rouvrir)
        if plan.bilan.refus:
            raise erreur_du_refus(plan.bilan.refus[0], racine)
        if not simulation:
            appliquer(racine, plan)
    for detail in plan.bilan.details:
        chemin = console.propre(emplacement(detail.chemin, racine))
        prefixe = "Simulation (--dry-run), rien n'a été écrit : " if simulation else ""
        console.compte_rendu(f"{prefixe}{console.propre(phrase_detail(detail, noms))} ({chemin})")


OPTION_SIMULATION = typer.Option(
    False, "--dry-run", help="Montrer ce qui changerait, sans rien écrire."
)
OPTION_ROUVRIR = typer.Option(
    False, "--reopen", help="Modifier quand même une année close (cls campaign close)."
)


def record(
    designee: str = typer.Argument(..., metavar="fiche", help=AIDE_FICHE),
    indicateur: str = typer.Argument(..., help="Code de l'indicateur (voir cls show FICHE)."),
    valeur: str | None = typer.Argument(
        None, help="La valeur : 1 500, 12,5, oui/non ou un texte selon l'indicateur."
    ),
    annee: int = typer.Option(..., "--year", "-y", help="Année de la mesure."),
    source: str | None = typer.Option(None, "--source", help="D'où vient le chiffre."),
    date: str | None = typer.Option(None, "--date", help="Date de la mesure (AAAA-MM-JJ)."),
    commentaire: str | None = typer.Option(None, "--comment", help="Remarque libre."),
    manquante: str | None = typer.Option(
        None, "--missing", help="À la place d'une valeur : pourquoi elle manque."
    ),
    remplacer: bool = OPTION_REMPLACER,
    simulation: bool = OPTION_SIMULATION,
    rouvrir: bool = OPTION_ROUVRIR,
    data: Path | None = OPTION_DATA,
) -> None:
    """Enregistre la mesure d'un indicateur pour une année dans sa fiche."""
    from cls_cli.plan import Demande, MesureTexte
    from cls_cli.references import fiche_designee

    saisie = MesureTexte(annee, valeur, manquante, _date(date), source, commentaire)
    racine = racine_designee(data)
    numero, nom = fiche_designee(racine, designee)
    demande = Demande(numero, saisie, indicateur, f"fiche {nom}, indicateur « {indicateur} »")
    _une_demande(racine, demande, remplacer, simulation, rouvrir, {numero: nom})


def status(
    designee: str = typer.Argument(..., metavar="fiche", help=AIDE_FICHE),
    statut: str = typer.Argument(
        ..., help="a_lancer, en_cours, realisee, reportee ou abandonnee (ou « en cours »…)."
    ),
    annee: int = typer.Option(..., "--year", "-y", help="Année du point de suivi."),
    avancement: str | None = typer.Option(
        None, "--progress", help="Avancement en pourcentage (0-100)."
    ),
    commentaire: str | None = typer.Option(None, "--comment", help="Remarque libre."),
    remplacer: bool = OPTION_REMPLACER,
    simulation: bool = OPTION_SIMULATION,
    rouvrir: bool = OPTION_ROUVRIR,
    data: Path | None = OPTION_DATA,
) -> None:
    """Enregistre le statut (et l'avancement) d'une action pour une année."""
    from cls_cli.plan import Demande
    from cls_cli.references import fiche_designee
    from cls_cli.regles_saisie import SaisieSuivi

    try:
        saisie = SaisieSuivi(
            annee,
            lire_statut(statut),
            lire_avancement(avancement) if avancement else None,
            commentaire,
        )
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    racine = racine_designee(data)
    numero, nom = fiche_designee(racine, designee)
    demande = Demande(numero, saisie, "", f"fiche {nom}, suivi {annee}")
    _une_demande(racine, demande, remplacer, simulation, rouvrir, {numero: nom})


def template(
    annee: int = typer.Option(..., "--year", "-y", help="Année à collecter."),
    sortie: Path = typer.Option(..., "--output", "-o", help="Fichier à créer : .csv ou .xlsx."),
    ecraser: bool = typer.Option(
        False,
        "--force",
        help="Remplacer le fichier -o s'il existe (un tableau déjà rempli serait perdu).",
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Crée le tableau de collecte d'une année à envoyer aux porteurs (.csv ou .xlsx)."""
    from cls_cli.avenants import avenants_surs
    from cls_cli.ecriture import ecrire_sortie
    from cls_cli.periode import verifier_annee
    from cls_cli.tableur import ecrire, lignes_modele

    racine = racine_designee(data)
    referentiel = charger(racine).referentiel
    verifier_annee(annee, referentiel.contrat)
    lignes = lignes_modele(referentiel, annee, avenants_surs(racine))
    contenu = ecrire(lignes, sortie, referentiel)
    ecrire_sortie(sortie, contenu, racine, ecraser, "tableau")
    fiches = len({ligne["fiche"] for ligne in lignes})
    console.compte_rendu(
        f"Tableau de collecte {annee} écrit dans {console.propre(sortie)} : "
        f"{len(lignes)} lignes, {fiches} actions."
    )


def importer(
    fichier: Path = typer.Argument(..., help="Le tableau rempli (.csv ou .xlsx)."),
    simulation: bool = OPTION_SIMULATION,
    remplacer: bool = OPTION_REMPLACER,
    rouvrir: bool = OPTION_ROUVRIR,
    data: Path | None = OPTION_DATA,
) -> None:
    """Relit un tableau de collecte rempli et enregistre ses valeurs et statuts.

    Toutes les lignes sont vérifiées d'abord : au moindre problème, rien n'est écrit.
    """
    from cls_cli.bilan import phrases_des_refus, phrases_du_bilan
    from cls_cli.identifiants import table
    from cls_cli.plan import appliquer, demandes_du_tableau, planifier, session
    from cls_cli.tableur import lire, preparer

    racine = racine_designee(data)
    lecture = lire(fichier)
    for avertissement in lecture.avertissements:
        console.avertissement(avertissement)
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        referentiel = charger(racine).referentiel
        saisies = preparer(lecture.lignes, referentiel)
        noms = table(referentiel.fiches_valides())
        del referentiel  # l'arbre est lâché : seuls les noms des fiches restent
        plan = planifier(racine, contexte, demandes_du_tableau(saisies), remplacer, rouvrir)
        erreurs = list(saisies.erreurs) + phrases_des_refus(plan.bilan, noms)
        if erreurs:
            for erreur in erreurs:
                console.erreur(erreur)
            raise ErreurDonnees(
                fichier,
                1,
                1,
                f"{len(erreurs)} ligne(s) en erreur : aucune donnée n'a été modifiée",
                "corrigez ces lignes dans le tableau puis relancez l'import",
                "import",
            )
        if not simulation:
            appliquer(racine, plan)
    bilan = phrases_du_bilan(plan.bilan, saisies.vides, simulation, noms)
    console.compte_rendu(console.propre("\n".join(bilan)))
