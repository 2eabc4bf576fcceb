"""``cls record``, ``cls status``, ``cls template`` et ``cls import`` : saisir le suivi."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cls_cli import console
from cls_cli.chargement import charger, chemin_affiche
from cls_cli.commandes.communs import OPTION_DATA, dossier_donnees
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.saisie import lire_avancement, lire_statut, lire_valeur

if TYPE_CHECKING:
    from cls_cli.suivi import Conflit, Contexte, FicheOuverte

# Le cœur de la saisie (ruamel, fasteners, openpyxl) est importé dans chaque commande :
# les autres commandes, cls validate d'abord, démarrent sans lui.

OPTION_REMPLACER = typer.Option(
    False, "--replace", help="Remplacer la valeur déjà saisie pour cette année."
)
EFFETS = {"ajoutee": "ajoutée", "remplacee": "remplacée", "inchangee": "déjà présente, inchangée"}


def _annee_valide(annee: int, contexte: Contexte) -> None:
    if contexte.contrat:
        debut, fin = contexte.contrat.periode.debut, contexte.contrat.periode.fin
        if not debut <= annee <= fin:
            raise ErreurUsage(f"l'année {annee} est hors de la période du contrat ({debut}-{fin})")


def _date(texte: str | None) -> dt.date | None:
    if texte is None:
        return None
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def _conflit(fiche: FicheOuverte, contexte: Contexte, exc: Conflit) -> ErreurDonnees:
    return ErreurDonnees(
        chemin_affiche(fiche.chemin, contexte.racine),
        exc.ligne,
        1,
        f"{exc} ; rien n'a été modifié",
        "ajoutez --replace pour remplacer l'ancienne valeur",
        "conflit",
    )


def _une_fiche(fiche: FicheOuverte, contexte: Contexte, effet: str, quoi: str) -> None:
    from cls_cli.suivi import enregistrer

    enregistrer([fiche], contexte)
    chemin = chemin_affiche(fiche.chemin, contexte.racine)
    console.compte_rendu(f"{console.propre(quoi)} : {EFFETS[effet]} ({console.propre(chemin)})")


def record(
    numero: int = typer.Argument(..., help="Numéro de la fiche."),
    indicateur: str = typer.Argument(..., help="Code de l'indicateur (voir cls show NUMERO)."),
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
    data: Path | None = OPTION_DATA,
) -> None:
    """Enregistre la mesure d'un indicateur pour une année dans sa fiche."""
    from cls_cli.en_vigueur import refuser_hors_vigueur
    from cls_cli.suivi import (
        Conflit,
        SaisieMesure,
        chemin_fiche,
        ouvrir,
        poser_mesure,
        session,
    )

    if (valeur is None) == (manquante is None):
        raise ErreurUsage("donnez soit une VALEUR, soit --missing RAISON (pas les deux)")
    racine = dossier_donnees(data)
    with session(racine) as contexte:
        _annee_valide(annee, contexte)
        refuser_hors_vigueur(racine, numero, annee)
        fiche = ouvrir(chemin_fiche(racine, numero), racine)
        ind = next(
            (i for i in fiche.doc.get("indicateurs") or [] if i.get("code") == indicateur), None
        )
        if ind is None:
            codes = ", ".join(str(i.get("code")) for i in fiche.doc.get("indicateurs") or [])
            raise ErreurUsage(
                f"la fiche {numero} n'a pas d'indicateur « {indicateur} » "
                f"(indicateurs : {codes or 'aucun'})"
            )
        try:
            lue = None if valeur is None else lire_valeur(valeur, ind.get("type"))
            saisie = SaisieMesure(annee, lue, manquante, _date(date), source, commentaire)
            effet = poser_mesure(fiche.doc, indicateur, saisie, remplacer)
        except Conflit as exc:
            raise _conflit(fiche, contexte, exc) from None
        except ValueError as exc:
            raise ErreurUsage(f"fiche {numero}, indicateur « {indicateur} » : {exc}") from None
        _une_fiche(fiche, contexte, effet, f"Fiche {numero}, {indicateur}, {annee}")


def status(
    numero: int = typer.Argument(..., help="Numéro de la fiche."),
    statut: str = typer.Argument(
        ..., help="a_lancer, en_cours, realisee, reportee ou abandonnee (ou « en cours »…)."
    ),
    annee: int = typer.Option(..., "--year", "-y", help="Année du point de suivi."),
    avancement: str | None = typer.Option(
        None, "--progress", help="Avancement en pourcentage (0-100)."
    ),
    commentaire: str | None = typer.Option(None, "--comment", help="Remarque libre."),
    remplacer: bool = OPTION_REMPLACER,
    data: Path | None = OPTION_DATA,
) -> None:
    """Enregistre le statut (et l'avancement) d'une action pour une année."""
    from cls_cli.en_vigueur import refuser_hors_vigueur
    from cls_cli.suivi import Conflit, SaisieSuivi, chemin_fiche, ouvrir, poser_suivi, session

    try:
        saisie = SaisieSuivi(
            annee,
            lire_statut(statut),
            lire_avancement(avancement) if avancement else None,
            commentaire,
        )
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    racine = dossier_donnees(data)
    with session(racine) as contexte:
        _annee_valide(annee, contexte)
        refuser_hors_vigueur(racine, numero, annee)
        fiche = ouvrir(chemin_fiche(racine, numero), racine)
        try:
            effet = poser_suivi(fiche.doc, saisie, remplacer)
        except Conflit as exc:
            raise _conflit(fiche, contexte, exc) from None
        _une_fiche(fiche, contexte, effet, f"Fiche {numero}, suivi {annee}")


def template(
    annee: int = typer.Option(..., "--year", "-y", help="Année à collecter."),
    sortie: Path = typer.Option(..., "--output", "-o", help="Fichier à créer : .csv ou .xlsx."),
    ecraser: bool = typer.Option(False, "--force", help="Écraser le fichier s'il existe."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Crée le tableau de collecte d'une année à envoyer aux porteurs (.csv ou .xlsx)."""
    from cls_cli.ecriture import ecrire_atomique
    from cls_cli.tableur import ecrire, lignes_modele

    if sortie.exists() and not ecraser:
        raise ErreurUsage(f"{sortie} existe déjà : choisissez un autre nom ou ajoutez --force")
    from cls_cli.avenants import charger_avenants

    racine = dossier_donnees(data)
    referentiel = charger(racine).referentiel
    lignes = lignes_modele(referentiel, annee, charger_avenants(racine).valides())
    contenu = ecrire(lignes, sortie, referentiel)
    ecrire_atomique(sortie, contenu)
    fiches = len({ligne["fiche"] for ligne in lignes})
    console.compte_rendu(
        f"Tableau de collecte {annee} écrit dans {console.propre(sortie)} : "
        f"{len(lignes)} lignes, {fiches} actions."
    )


def importer(
    fichier: Path = typer.Argument(..., help="Le tableau rempli (.csv ou .xlsx)."),
    simulation: bool = typer.Option(
        False, "--dry-run", help="Montrer ce qui changerait, sans rien écrire."
    ),
    remplacer: bool = OPTION_REMPLACER,
    data: Path | None = OPTION_DATA,
) -> None:
    """Relit un tableau de collecte rempli et enregistre ses valeurs et statuts.

    Toutes les lignes sont vérifiées d'abord : au moindre problème, rien n'est écrit.
    """
    from cls_cli.suivi import (
        Conflit,
        Ecriture,
        chemin_fiche,
        ecrire,
        index_fiches,
        ouvrir,
        poser_mesure,
        poser_suivi,
        preparer_ecriture,
        session,
    )
    from cls_cli.tableur import lire, preparer

    racine = dossier_donnees(data)
    lignes = lire(fichier)
    with session(racine) as contexte:
        saisies = preparer(lignes, charger(racine).referentiel)  # l'arbre est lâché ensuite
        erreurs = list(saisies.erreurs)
        ecritures: list[Ecriture] = []
        invalide: ErreurDonnees | None = None  # la première fiche que l'import rendrait invalide
        compte: dict[int, Counter[str]] = defaultdict(Counter)
        index = index_fiches(racine)
        # Fiche par fiche : ouvrir, poser les saisies, vérifier le nouveau texte et ne
        # garder que lui ; rien n'est écrit avant que toutes soient prêtes.
        for numero in sorted(set(saisies.mesures) | set(saisies.suivis)):
            try:
                ouverte = ouvrir(chemin_fiche(racine, numero, index), racine)
            except ErreurDonnees as exc:
                erreurs.append(f"{exc.probleme.chemin}: {exc.probleme.texte()}")
                continue
            doc = ouverte.doc
            for position, code, mesure in saisies.mesures.get(numero, []):
                try:
                    compte[numero]["mesure " + poser_mesure(doc, code, mesure, remplacer)] += 1
                except (Conflit, KeyError) as exc:
                    erreurs.append(
                        f"{position}: fiche {numero} : {exc.args[0]}"
                        + (" (--replace pour remplacer)" if isinstance(exc, Conflit) else "")
                    )
            for position, suivi in saisies.suivis.get(numero, []):
                try:
                    compte[numero]["statut " + poser_suivi(doc, suivi, remplacer)] += 1
                except Conflit as exc:
                    erreurs.append(f"{position}: fiche {numero} : {exc} (--replace pour remplacer)")
            if not erreurs and invalide is None:
                try:
                    ecriture = preparer_ecriture(ouverte, contexte)
                except ErreurDonnees as exc:
                    invalide = exc
                else:
                    if ecriture is not None:
                        ecritures.append(ecriture)
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
        if invalide is not None:
            raise invalide
        if not simulation:
            ecrire(ecritures)
    _resume(compte, saisies.vides, simulation)


def _resume(compte: dict[int, Counter[str]], vides: int, simulation: bool) -> None:
    """Le bilan de l'import, fiche par fiche, en phrases."""
    if simulation:
        console.compte_rendu(
            "Simulation (--dry-run) : rien n'a été écrit. Voici ce qui changerait :"
        )
    noms = {
        "ajoutee": ("ajoutée", "ajouté"),
        "remplacee": ("remplacée", "remplacé"),
        "inchangee": ("inchangée", "inchangé"),
    }
    total: Counter[str] = Counter()
    for numero in sorted(compte):
        total.update(compte[numero])
        console.compte_rendu(f"Fiche {numero} : {_phrase(compte[numero], noms)}")
    console.compte_rendu(
        f"Total : {_phrase(total, noms) or 'aucune saisie'} ; {vides} ligne(s) vide(s) ignorée(s)."
    )


def _phrase(compte: Counter[str], noms: dict[str, tuple[str, str]]) -> str:
    morceaux = []
    for quoi, genre in (("mesure", 0), ("statut", 1)):
        for effet, accords in noms.items():
            n = compte[f"{quoi} {effet}"]
            if n:
                pluriel = "s" if n > 1 else ""
                morceaux.append(f"{n} {quoi}{pluriel} {accords[genre]}{pluriel}")
    return ", ".join(morceaux)
