"""``cls amend new|list|show`` et ``cls contract`` : les avenants et le contrat en vigueur."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurDonnees, ErreurUsage

if TYPE_CHECKING:
    from cls_cli.avenants import Avenant
    from cls_cli.modeles import Fiche

AIDE = (
    "Les avenants au contrat (data/avenants/N.yaml) : en commencer un, les lister, en montrer un."
)


def _date(texte: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » pour {option} : écrivez AAAA-MM-JJ") from None


def new(
    date: str = typer.Option(
        ..., "--date", help="Date de signature, ou de la décision du COPIL (AAAA-MM-JJ)."
    ),
    motif: str = typer.Option(..., "--motif", help="Pourquoi le contrat change."),
    decision: str = typer.Option(
        "", "--decision", help="La décision qui l'approuve (ex. « COPIL restreint du … »)."
    ),
    signe: bool = typer.Option(
        False, "--signe", help="L'avenant est déjà signé (sinon : seulement décidé)."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Commence un avenant : data/avenants/N.yaml au prochain numéro, sans changement encore.

    Ajoutez ensuite ses changements sous « changements: », puis lancez « cls validate ».
    """
    from cls_cli.avenants import charger_avenants, nouvel_avenant
    from cls_cli.chargement import charger, emplacement
    from cls_cli.plan import appliquer, planifier_creation, session

    racine = racine_designee(data)
    jour = _date(date, "--date")
    # Le numéro est choisi et le fichier créé sous le verrou de l'arbre (chemin d'écriture
    # unique) : deux « cls amend new » simultanés ne prennent pas le même numéro.
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        contrat = charger(racine).referentiel.contrat
        nouveau = nouvel_avenant(
            racine, contrat, charger_avenants(racine), jour, motif, decision, signe
        )
        nouveau.chemin.parent.mkdir(exist_ok=True)
        appliquer(racine, planifier_creation(nouveau.chemin, nouveau.texte))
    console.compte_rendu(
        f"Avenant n° {nouveau.numero} commencé : "
        f"{console.propre(emplacement(nouveau.chemin, racine))}\n"
        "Inscrivez ses changements sous « changements: », puis lancez « cls validate »."
    )


def withdraw(
    designee: str = typer.Argument(
        ...,
        metavar="fiche",
        help="La fiche retirée du contrat : numéro ou identifiant, p. ex. 12 ou A2.",
    ),
    avenant: int = typer.Option(..., "--avenant", help="Numéro de l'avenant qui retire la fiche."),
    motif: str = typer.Option(..., "--motif", help="Pourquoi la fiche est retirée."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Retire une fiche du contrat : inscrit le retrait dans data/avenants/N.yaml et
    dans la fiche (clé « retiree » : avenant, année, motif), les deux fichiers ou aucun.

    La fiche garde son fichier et ses chiffres passés ; elle n'est plus en vigueur à
    partir de la date de l'avenant (elle compte encore pour l'année du retrait) et ne
    reçoit plus de saisie pour les années suivantes. Rien n'est écrit si le retrait
    rendrait l'arbre incohérent (par exemple une mesure d'une année postérieure).
    """
    from cls_cli.chargement import charger, emplacement
    from cls_cli.plan import appliquer, session
    from cls_cli.plan_avenants import planifier_retrait
    from cls_cli.references import fiche_designee

    racine = racine_designee(data)
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        referentiel = charger(racine).referentiel
        numero, nom = fiche_designee(racine, designee, referentiel)
        plan = planifier_retrait(referentiel, numero, avenant, motif)
        appliquer(racine, plan)
    lieux = [console.propre(emplacement(ch.chemin, racine)) for ch in plan.changements]
    fiche = f" et dans la fiche, clé « retiree » : {lieux[1]}" if len(lieux) > 1 else ""
    console.compte_rendu(
        f"Fiche {nom} retirée du contrat par l'avenant n° {avenant} (inscrit dans "
        f"{lieux[0]}{fiche})."
    )


def _lire(racine: Path) -> tuple[list[Avenant], dict[int, Fiche]]:
    from cls_cli.avenants import charger_avenants
    from cls_cli.chargement import charger

    avenants = charger_avenants(racine)
    if avenants.problemes:
        p = avenants.problemes[0]
        raise ErreurDonnees(p.chemin, p.ligne, p.colonne, p.message, p.correction, p.regle)
    fiches = {f.numero: f for f in charger(racine).referentiel.fiches_valides()}
    return list(avenants.valides()), fiches


def lister(data: Path | None = OPTION_DATA) -> None:
    """Liste les avenants et ce que chacun change, en phrases."""
    from cls_cli.formats_avenants import fiche_avenant

    avenants, fiches = _lire(racine_designee(data))
    if not avenants:
        console.info("Aucun avenant (dossier data/avenants/ vide ou absent).")
        return
    blocs = ["\n".join(fiche_avenant(av, fiches)) for av in avenants]
    console.ecrire("\n\n".join(blocs) + "\n")


def show(
    numero: int = typer.Argument(..., help="Numéro de l'avenant."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Montre un avenant : sa date, sa décision, son motif et ses changements, en phrases."""
    from cls_cli.formats_avenants import fiche_avenant

    avenants, fiches = _lire(racine_designee(data))
    trouve = next((a for a in avenants if a.numero == numero), None)
    if trouve is None:
        numeros = ", ".join(str(a.numero) for a in avenants) or "aucun"
        raise ErreurUsage(f"pas d'avenant n° {numero} (avenants : {numeros})")
    console.ecrire("\n".join(fiche_avenant(trouve, fiches)) + "\n")


def contract(
    date: str = typer.Option(
        ..., "--at", help="Date (AAAA-MM-JJ) : le contrat en vigueur ce jour-là."
    ),
    format_: str = typer.Option("md", "--format", "-f", help="md (par défaut) ou html."),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Fichier à écrire (sinon : sortie standard)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Remplacer -o même s'il n'a pas été produit par cette commande."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Affiche le contrat en vigueur à une date : axes, objectifs, fiches, avenants marqués.

    Avec --format html, une version consolidée à imprimer pour la signature.
    """
    from cls_cli.avenants import avenants_surs
    from cls_cli.chargement import charger
    from cls_cli.contrat_consolide import contrat_le
    from cls_cli.ecriture import ecrire_sortie, verifier_sortie
    from cls_cli.formats_avenants import rendre_contrat

    racine = racine_designee(data)
    if sortie is not None:
        verifier_sortie(sortie, racine, force, "contrat")
    jour = _date(date, "--at")
    contenu = contrat_le(charger(racine).referentiel, avenants_surs(racine), jour)
    texte = rendre_contrat(contenu, format_)
    if sortie is None:
        console.ecrire(texte)
        return
    ecrire_sortie(sortie, texte, racine, force, "contrat")
    console.compte_rendu(
        f"Contrat au {jour.isoformat()} ({format_}) écrit dans {console.propre(sortie)}"
    )
