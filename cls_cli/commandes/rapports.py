"""``cls report`` et ``cls stats`` : l'évaluation annuelle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import charger
from cls_cli.commandes.communs import (
    OPTION_DATA,
    OPTION_PARTIEL,
    bandeau_ecartees,
    format_et_racine,
    racine_designee,
)
from cls_cli.decompte import fiches_ecartees
from cls_cli.erreurs import ErreurUsage
from cls_cli.formats_rapport import AIDE_FORMAT, langue_rapport, liste_formats
from cls_cli.periode import verifier_annee


def _date(texte: str | None) -> dt.date:
    if texte is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def report(
    annee: int = typer.Option(..., "--year", "-y", help="Année évaluée (ex. 2021)."),
    format_: str | None = typer.Option(
        None, "--format", "-f", help=AIDE_FORMAT.format(formats=liste_formats())
    ),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Fichier à écrire (sinon : sortie standard)."
    ),
    debut: int | None = typer.Option(
        None, "--from", help="Première année de l'évolution présentée (ex. 2020)."
    ),
    mi_parcours: bool = typer.Option(
        False,
        "--mid-term",
        help="Évaluation à mi-parcours : l'évolution depuis le début du contrat.",
    ),
    langue: str = typer.Option("fr", "--lang", help="Langue du rapport : fr ou en."),
    force: bool = typer.Option(
        False, "--force", help="Remplacer le fichier -o même s'il n'est pas un rapport de cls."
    ),
    date: str | None = typer.Option(
        None, "--date", help="Date inscrite sur le rapport, AAAA-MM-JJ (par défaut : aujourd'hui)."
    ),
    partiel: bool = OPTION_PARTIEL,
    data: Path | None = OPTION_DATA,
) -> None:
    """Produit le rapport d'évaluation d'une année (Markdown, HTML ou JSON)."""
    from cls_cli.avenants import avenants_surs
    from cls_cli.decisions_yaml import lire_reglages
    from cls_cli.depot import origine
    from cls_cli.ecriture import ecrire_sortie
    from cls_cli.rapport import construire
    from cls_cli.regles_evaluations import instances_enregistrees
    from cls_cli.rendu import morceaux

    langue = langue_rapport(langue)
    format_, racine = format_et_racine(format_, sortie, data, force, "rapport")
    chargement = charger(racine)
    ecartees = fiches_ecartees(chargement, partiel)
    referentiel = chargement.referentiel
    del chargement
    verifier_annee(annee, referentiel.contrat)
    if referentiel.contrat and mi_parcours and debut is None:
        debut = referentiel.contrat.periode.debut
    if debut is not None:
        verifier_annee(debut, referentiel.contrat, "--from")
    if debut is not None and debut > annee:
        raise ErreurUsage(f"--from {debut} est après --year {annee}")
    avenants = avenants_surs(racine)
    contenu = construire(
        referentiel,
        annee,
        _date(date),
        origine(racine),
        debut,
        ecartees=ecartees,
        reglages=lire_reglages(racine),
        avenants=avenants,
        instances=instances_enregistrees(racine),
    )
    del referentiel  # le rendu réutilise la mémoire des fiches
    texte = morceaux(contenu, format_, langue)
    if sortie is None:
        console.flux(texte, lisible=format_ != "json")
        return
    ecrire_sortie(sortie, texte, racine, force, "rapport")
    console.compte_rendu(f"Rapport {annee} ({format_}) écrit dans {console.propre(sortie)}")


def stats(
    annee: int = typer.Option(..., "--year", "-y", help="Année évaluée (ex. 2021)."),
    partiel: bool = OPTION_PARTIEL,
    data: Path | None = OPTION_DATA,
) -> None:
    """Affiche la synthèse de l'année dans le terminal : avancement par axe, statuts, complétude."""
    from cls_cli.avenants import avenants_surs
    from cls_cli.calculs import LIBELLES_STATUT
    from cls_cli.depot import origine
    from cls_cli.modele_rapport import Couverture
    from cls_cli.rapport import construire
    from cls_cli.rendu import pourcentage

    racine = racine_designee(data)
    chargement = charger(racine)
    ecartees = fiches_ecartees(chargement, partiel)
    verifier_annee(annee, chargement.referentiel.contrat)
    r = construire(
        chargement.referentiel,
        annee,
        dt.date.today(),
        origine(racine),
        avenants=avenants_surs(racine),
    )
    bandeau_ecartees(ecartees)

    def couverture(c: Couverture) -> str:
        return f"{c.renseignees} sur {c.total}"

    lignes = [
        (
            f"{a.code}. {a.libelle}",
            pourcentage(a.avancement, "fr"),
            couverture(a.couverture),
            pourcentage(a.completude, "fr"),
        )
        for a in r.axes
    ]
    c = r.contrat
    lignes.append(
        (
            "Contrat",
            pourcentage(c.avancement, "fr"),
            couverture(c.couverture),
            pourcentage(c.completude, "fr"),
        )
    )
    console.tableau(
        f"Synthèse {annee}",
        ("Axe", "Avancement", "Actions dans la moyenne", "Complétude"),
        lignes,
    )
    console.tableau(
        "Actions par statut",
        ("Statut", "Actions"),
        [(LIBELLES_STATUT[s], str(n)) for s, n in c.statuts.items()],
    )
    if r.rien_saisi:
        console.info("Rien n'a encore été saisi : aucun point de suivi ni aucune mesure.")
    if c.non_declarees:
        console.info(
            "Avancement non déclaré (hors moyennes) : fiches "
            + ", ".join(map(str, c.non_declarees))
        )
    if c.en_retard:
        console.info(f"En retard : fiches {', '.join(map(str, c.en_retard))}")
    if c.hors_delai:
        console.info(f"Hors délai : fiches {', '.join(map(str, c.hors_delai))}")
    for cle, verbe in (("ajoutees", "ajoutée"), ("retirees", "retirée")):
        for m in getattr(r.avenants, cle):
            console.info(f"Fiche {m.fiche} {verbe} en {annee} par l'avenant n° {m.avenant}")
