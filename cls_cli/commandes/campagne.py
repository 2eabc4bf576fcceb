"""``cls campaign`` : la campagne annuelle de collecte auprès des porteurs.

Chaque commande lit ses options, appelle le cœur (:mod:`cls_cli.campagne`,
:mod:`cls_cli.classeur_campagne`, :mod:`cls_cli.collecte`) et affiche.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from cls_cli import console, typer_fr
from cls_cli.commandes.communs import OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurUsage

OPTION_ANNEE = typer.Option(
    ..., "--year", "-y", help="Année de la campagne (les valeurs à collecter)."
)


def porteurs(data: Path | None = OPTION_DATA) -> None:
    """Écrit un premier registre des porteurs (data/porteurs.yaml) d'après les fiches."""
    from cls_cli.chargement import charger, emplacement
    from cls_cli.plan import appliquer, planifier_creation, session
    from cls_cli.porteurs import FICHIER_PORTEURS, porteurs_des_fiches, texte_registre

    racine = racine_designee(data)
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        liste = porteurs_des_fiches(charger(racine).referentiel.fiches_valides())
        chemin = racine / FICHIER_PORTEURS
        appliquer(racine, planifier_creation(chemin, texte_registre(liste)))
    console.compte_rendu(
        f"Registre écrit dans {console.propre(emplacement(chemin, racine))} : "
        f"{len(liste)} porteurs. Fusionnez les variantes d'un même organisme et ajoutez les "
        "courriels, puis lancez cls validate."
    )


def _echeance(texte: str | None) -> str | None:
    if texte is None:
        return None
    try:
        return dt.date.fromisoformat(texte).strftime("%d/%m/%Y")
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def prepare(
    annee: int = OPTION_ANNEE,
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Dossier de la campagne (par défaut : campagne-ANNÉE)."
    ),
    echeance: str | None = typer.Option(
        None, "--deadline", help="Date limite de retour (AAAA-MM-JJ), écrite dans chaque classeur."
    ),
    contact: str = typer.Option(
        "le coordinateur du Contrat Local de Santé",
        "--contact",
        help="Qui joindre en cas de question (écrit dans chaque classeur).",
    ),
    ecraser: bool = typer.Option(
        False, "--force", help="Remplacer les classeurs d'une préparation précédente."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Prépare un classeur Excel par porteur (seulement ses fiches) et index.csv."""
    from cls_cli.campagne import annees_passees, preparer
    from cls_cli.chargement import charger
    from cls_cli.classeur_campagne import fichiers_campagne
    from cls_cli.ecriture import ecrire_dossier
    from cls_cli.porteurs import annuaire

    racine = racine_designee(data)
    dossier = sortie if sortie is not None else Path(f"campagne-{annee}")
    date_limite = _echeance(echeance)
    ref = charger(racine).referentiel
    envois = preparer(ref, annuaire(ref), annee, dt.date.today())
    fichiers = fichiers_campagne(envois, annees_passees(ref, annee), date_limite, contact)
    ecrire_dossier(
        dossier,
        fichiers,
        racine,
        ecraser,
        "une campagne",
        "choisissez un autre dossier (-o) ou ajoutez --force (les retours rangés dans "
        "retours/ ne sont jamais touchés)",
    )
    cellules = sum(e.a_remplir for e in envois)
    console.compte_rendu(
        f"Campagne {annee} préparée dans {console.propre(dossier)} : {len(envois)} classeurs "
        f"(un par porteur), {cellules} lignes à remplir ; liste des envois : index.csv."
    )


def collect(
    chemins: list[Path] = typer.Argument(
        ...,
        metavar="FICHIERS_OU_DOSSIER",
        help="Les classeurs revenus, ou le dossier qui les contient (ex. campagne-2024/retours).",
    ),
    annee: int = OPTION_ANNEE,
    remplacer: bool = typer.Option(
        False, "--replace", help="Remplacer les valeurs déjà enregistrées pour cette année."
    ),
    partiel: bool = typer.Option(
        False, "--partial", help="Importer les classeurs valides même si d'autres sont refusés."
    ),
    simulation: bool = typer.Option(
        False, "--dry-run", help="Montrer ce qui changerait, sans rien écrire."
    ),
    rouvrir: bool = typer.Option(
        False, "--reopen", help="Modifier quand même une année close (cls campaign close)."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Contrôle tous les classeurs revenus, puis importe leurs valeurs en une fois.

    Au moindre classeur refusé, rien n'est écrit (sauf --partial).
    """
    from cls_cli.bilan import phrase_detail
    from cls_cli.collecte import collecter
    from cls_cli.erreurs import ErreurDonnees

    racine = racine_designee(data)
    resultat = collecter(racine, annee, chemins, remplacer, partiel, simulation, rouvrir)
    for annonce in resultat.annonces:
        console.info(annonce)
    for avertissement in resultat.avertissements:
        console.avertissement(avertissement)
    for refus in resultat.refus:
        console.erreur(refus.message)
    if resultat.refus and not partiel:
        fichiers = len({r.fichier for r in resultat.refus})
        raise ErreurDonnees(
            chemins[0],
            1,
            1,
            f"{len(resultat.refus)} problème(s) dans {fichiers} classeur(s) : aucune donnée n'a "
            "été modifiée",
            "corrigez ou écartez ces classeurs, ou ajoutez --partial pour importer les autres",
            "collecte",
        )
    lignes = []
    if simulation:
        lignes.append("Simulation (--dry-run) : rien n'a été écrit. Voici ce qui changerait :")
    for nom, details in sorted(resultat.par_porteur.items()):
        lignes.append(f"{nom} :")
        lignes += ["  " + phrase_detail(d, resultat.noms) for d in details]
    lignes += [f"{v} : retour vide (rien de rempli)" for v in resultat.vides]
    lignes += [f"Gardée (--replace pour remplacer) : {g}" for g in resultat.gardees]
    if resultat.refus:
        lignes.append(
            f"{len({r.fichier for r in resultat.refus})} classeur(s) écarté(s) (--partial)."
        )
    total = sum(len(d) for d in resultat.par_porteur.values())
    lignes.append(f"Total : {total} saisie(s) de {len(resultat.par_porteur)} porteur(s).")
    console.compte_rendu(console.propre("\n".join(lignes)))


def _dossier(annee: int, dossier: Path | None) -> Path:
    return dossier if dossier is not None else Path(f"campagne-{annee}")


def status(
    annee: int = OPTION_ANNEE,
    dossier: Path | None = typer.Argument(
        None, metavar="[DOSSIER]", help="Dossier de la campagne (par défaut : campagne-ANNÉE)."
    ),
    autres: list[Path] = typer.Option(
        [], "--return", "-r", help="Un classeur revenu rangé ailleurs que dans DOSSIER/retours."
    ),
    format_: str = typer.Option("table", "--format", "-f", help="table, csv ou json."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Où en est la campagne : par porteur, envoyé, revenu, importé, cases remplies."""
    from cls_cli.etat_campagne import (
        csv_etat,
        etat_du_dossier,
        json_etat,
    )

    if format_ not in ("table", "csv", "json"):
        raise ErreurUsage(f"format inconnu « {format_} » : choisissez table, csv ou json")
    racine = racine_designee(data)
    etat, problemes = etat_du_dossier(racine, annee, _dossier(annee, dossier), autres)
    for probleme in problemes:
        console.avertissement(probleme)
    if format_ == "csv":
        console.ecrire(csv_etat(etat).removeprefix("\ufeff"))
        return
    if format_ == "json":
        console.ecrire(json_etat(etat))
        return
    console.tableau(
        f"Campagne {annee}",
        ("Porteur", "Envoyé", "Retour", "Importé", "Remplies"),
        [
            (
                p.porteur,
                "oui" if p.envoye else "non",
                p.retour or "-",
                p.importe or "-",
                f"{p.remplies}/{p.a_remplir}",
            )
            for p in etat.porteurs
        ],
    )
    envoyes = sum(1 for p in etat.porteurs if p.envoye)
    lignes = [
        f"{envoyes} classeur(s) envoyé(s), {etat.retournes} revenu(s), {etat.importes} importé(s) ;"
        f" {envoyes - etat.retournes} porteur(s) à relancer (cls campaign remind)."
    ]
    lignes += [f"{p.nom} : manquante, {m}" for p in etat.porteurs for m in p.manquantes]
    for axe, (n, total) in etat.taux_par_axe.items():
        lignes.append(f"Axe {axe} : {n}/{total} cases renseignées ({round(100 * n / total)} %)")
    console.compte_rendu(console.propre("\n".join(lignes)))


def remind(
    annee: int = OPTION_ANNEE,
    dossier: Path | None = typer.Argument(
        None, metavar="[DOSSIER]", help="Dossier de la campagne (par défaut : campagne-ANNÉE)."
    ),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="CSV de publipostage à écrire (sinon : sortie standard)."
    ),
    textes: bool = typer.Option(
        False, "--text", help="Afficher le texte de relance de chaque porteur au lieu du CSV."
    ),
    force: bool = typer.Option(
        False, "--force", help="Remplacer -o même s'il n'a pas été produit par cette commande."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Les porteurs à relancer : CSV pour publipostage, ou un texte par porteur (--text)."""
    from cls_cli.ecriture import ecrire_sortie, verifier_sortie
    from cls_cli.etat_campagne import csv_relances, etat_du_dossier, relances, texte_relance

    racine = racine_designee(data)
    if sortie is not None:
        verifier_sortie(sortie, racine, force, "relances")
    etat, problemes = etat_du_dossier(racine, annee, _dossier(annee, dossier), [])
    for probleme in problemes:
        console.avertissement(probleme)
    a_relancer = relances(etat)
    if textes:
        console.ecrire("\n".join(texte_relance(p, annee) for p in a_relancer))
    elif sortie is None:
        console.ecrire(csv_relances(a_relancer).removeprefix("\ufeff"))
    else:
        ecrire_sortie(sortie, csv_relances(a_relancer), racine, force, "relances")
    console.note(f"{len(a_relancer)} porteur(s) à relancer.")


def close(
    annee: int = OPTION_ANNEE,
    decision: str = typer.Option(
        ..., "--decision", help="Référence de la décision (ex. « COPIL du 12 mars 2025 »)."
    ),
    date: str | None = typer.Option(
        None, "--date", help="Date de la décision, AAAA-MM-JJ (par défaut : aujourd'hui)."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Clôt une année validée : ses chiffres ne changent plus sans --reopen."""
    from cls_cli.plan import appliquer, session
    from cls_cli.plan_clotures import planifier_cloture

    jour = dt.date.today()
    if date is not None:
        try:
            jour = dt.date.fromisoformat(date)
        except ValueError:
            raise ErreurUsage(f"date invalide « {date} » : écrivez-la AAAA-MM-JJ") from None
    racine = racine_designee(data)
    with session(racine) as contexte:
        for annonce in contexte.annonces:
            console.info(annonce)
        appliquer(racine, planifier_cloture(racine, contexte.contrat, annee, jour, decision))
    console.compte_rendu(
        f"Année {annee} close ({decision}) : cls record, status, import et campaign collect "
        "refusent désormais de la modifier sans --reopen."
    )


def enregistrer(app: typer.Typer, proteger: Callable[[Any], Any]) -> None:
    """Ajoute ``cls campaign …`` à l'application."""
    groupe = typer.Typer(
        help="La campagne annuelle de collecte : un classeur par porteur, retours suivis, "
        "import en une fois.",
        no_args_is_help=True,
        subcommand_metavar=typer_fr.METAVAR_COMMANDE,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    groupe.command("porteurs")(proteger(porteurs))
    groupe.command("prepare")(proteger(prepare))
    groupe.command("collect")(proteger(collect))
    groupe.command("status")(proteger(status))
    groupe.command("remind")(proteger(remind))
    groupe.command("close")(proteger(close))
    app.add_typer(groupe, name="campaign")
