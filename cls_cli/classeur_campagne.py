"""Le classeur d'un porteur pour la campagne : écriture (openpyxl) et relecture.

Trois feuilles : « Mode d'emploi » (ce qu'il faut faire, l'échéance, qui joindre),
« Saisie » (une ligne par indicateur et une ligne « statut » par action ; seules les
cellules jaunes se remplissent, le reste est protégé sans mot de passe : un guide, pas un
mur) et « cls », cachée, qui porte les :class:`~cls_cli.campagne.Metadonnees`.

La relecture passe par :func:`cls_cli.lecture_tableur.lire_tableau` (qui refuse les pièges
des tableurs) ; les métadonnées sont lues à part dans la feuille cachée.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.campagne import FORMAT, Envoi, Metadonnees
from cls_cli.erreurs import ErreurDonnees
from cls_cli.lecture_tableur import Lecture, lire_tableau
from cls_cli.modeles import STATUTS
from cls_cli.tableur import LIGNE_STATUT, OBLIGATOIRES

FEUILLE_SAISIE = "Saisie"
FEUILLE_META = "cls"
FEUILLE_AIDE = "Mode d'emploi"
A_REMPLIR = ("valeur", "manquante", "avancement", "source", "commentaire")
_DEBUT = (
    ("fiche", "Fiche"),
    ("action", "Action"),
    ("annee", "Année"),
    ("ligne", "Ligne"),
    ("indicateur", "Code indicateur"),
    ("libelle", "Libellé de l'indicateur"),
    ("unite", "Unité"),
    ("type", "Type"),
    ("cible", "Cible"),
)
_FIN = (
    ("valeur", "Valeur (ou statut)"),
    ("manquante", "Si pas de valeur : pourquoi"),
    ("avancement", "Avancement (%)"),
    ("source", "Source"),
    ("commentaire", "Commentaire"),
)
_FORMATS = {"taux": "0%", "nombre": "General", "texte": "@", "booleen": "@"}
_LARGEURS = {"action": 45, "libelle": 45, "manquante": 28, "source": 24, "commentaire": 40}


def colonnes(annees: list[int]) -> tuple[tuple[str, str], ...]:
    """(clé, en-tête) des colonnes de la feuille de saisie ; une par année passée."""
    return (*_DEBUT, *((str(a), f"Valeur {a}") for a in annees), *_FIN)


def lettre(colonnes_: tuple[tuple[str, str], ...], cle: str) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter([c for c, _ in colonnes_].index(cle) + 1))


def ecrire(envoi: Envoi, annees: list[int], echeance: str | None, contact: str) -> bytes:
    """Le classeur .xlsx de ``envoi``."""
    from openpyxl import Workbook

    classeur = Workbook()
    _aide(classeur.active, envoi, echeance, contact)
    _saisie(classeur.create_sheet(FEUILLE_SAISIE), envoi, colonnes(annees))
    _meta(classeur.create_sheet(FEUILLE_META), envoi.metadonnees)
    classeur.active = 0
    flux = io.BytesIO()
    classeur.save(flux)
    return flux.getvalue()


def _aide(feuille: Any, envoi: Envoi, echeance: str | None, contact: str) -> None:
    from openpyxl.styles import Font

    meta = envoi.metadonnees
    feuille.title = FEUILLE_AIDE
    lignes = [
        f"Campagne de suivi {meta.annee} du {meta.contrat}",
        "",
        f"Ce classeur est destiné à : {meta.nom}.",
        f"Il contient les {len(meta.empreintes)} action(s) dont vous êtes porteur : "
        + ", ".join(f"fiche {n}" for n in sorted(meta.empreintes))
        + ".",
        "",
        "Ce qu'il faut faire, dans la feuille « Saisie » :",
        f"  1. Pour chaque indicateur, tapez la valeur {meta.annee} dans la cellule jaune "
        "« Valeur (ou statut) ».",
        "     Un taux se tape en pourcentage (par exemple 45 %) ; "
        "oui/non se choisit dans la liste.",
        "  2. Si vous n'avez pas la valeur, laissez-la vide et dites pourquoi dans "
        "« Si pas de valeur : pourquoi ».",
        "  3. Pour chaque action, choisissez son statut dans la liste (ligne « statut ») et,"
        " si elle est en cours, son avancement en %.",
        "  4. « Source » et « Commentaire » sont libres.",
        "Les autres cellules (et les valeurs des années passées) sont protégées pour servir"
        " de guide : n'ajoutez ni ne supprimez de ligne.",
        "Ne renommez pas les feuilles ; le nom du fichier, lui, peut changer.",
        "",
        f"À renvoyer avant le : {echeance}" if echeance else "À renvoyer dès que possible.",
        f"Contact : {contact}",
    ]
    for i, texte in enumerate(lignes, start=1):
        cellule = feuille.cell(i, 1, texte)
        cellule.data_type = "s"
    feuille["A1"].font = Font(bold=True, size=14)
    feuille.column_dimensions["A"].width = 110


def _saisie(feuille: Any, envoi: Envoi, cols: tuple[tuple[str, str], ...]) -> None:
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    jaune = PatternFill("solid", fgColor="FFF2A8")
    feuille.append([entete for _, entete in cols])
    for cellule in feuille[1]:
        cellule.font = Font(bold=True)
        cellule.fill = PatternFill("solid", fgColor="DDE6EE")
    feuille.freeze_panes = "A2"
    statuts = ",".join(LIBELLES_STATUT[s] for s in STATUTS)
    liste_statuts = DataValidation(type="list", formula1=f'"{statuts}"', allow_blank=True)
    liste_oui_non = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
    feuille.add_data_validation(liste_statuts)
    feuille.add_data_validation(liste_oui_non)
    for rang, ligne in enumerate(envoi.lignes, start=2):
        statut = ligne["ligne"] == LIGNE_STATUT
        for i, (cle, _) in enumerate(cols, start=1):
            cellule = feuille.cell(rang, i)
            if cle not in A_REMPLIR:
                cellule.value = ligne.get(cle, "")
                cellule.data_type = "s"  # jamais une formule, même « =… »
                continue
            cellule.protection = Protection(locked=False)
            cellule.fill = jaune
            if cle == "valeur":
                cellule.number_format = "@" if statut else _FORMATS[ligne["type"]]
                if statut:
                    liste_statuts.add(cellule.coordinate)
                elif ligne["type"] == "booleen":
                    liste_oui_non.add(cellule.coordinate)
            elif cle == "avancement":
                cellule.number_format = "0%" if statut else "@"
                if not statut:  # un avancement ne concerne que l'action
                    cellule.protection = Protection(locked=True)
                    cellule.fill = PatternFill()
            else:
                cellule.number_format = "@"
    for i, (cle, _) in enumerate(cols, start=1):
        lettre_ = feuille.cell(1, i).column_letter
        feuille.column_dimensions[lettre_].width = _LARGEURS.get(cle, 14)
    feuille.protection.sheet = True
    feuille.protection.formatColumns = False
    feuille.protection.formatRows = False


def _meta(feuille: Any, meta: Metadonnees) -> None:
    feuille.sheet_state = "hidden"
    feuille.append(["format", FORMAT])
    feuille.append(["contrat", meta.contrat])
    feuille.append(["annee", meta.annee])
    feuille.append(["porteur", meta.porteur])
    feuille.append(["nom", meta.nom])
    feuille.append(["prepare_le", meta.prepare_le])
    for numero, empreinte in sorted(meta.empreintes.items()):
        feuille.append(["fiche", numero, empreinte])
    for fiche, genre, code in meta.lignes:
        feuille.append(["ligne", fiche, genre, code])
    for ligne in feuille.iter_rows():
        for cellule in ligne:
            if isinstance(cellule.value, str):
                cellule.data_type = "s"
    feuille.protection.sheet = True


# --- Relecture -------------------------------------------------------------------------


@dataclass(frozen=True)
class Retour:
    """Un classeur revenu : son chemin, ses métadonnées, ses lignes, sa date d'enregistrement."""

    chemin: Path
    metadonnees: Metadonnees
    lecture: Lecture
    date: dt.date
    colonnes: tuple[tuple[str, str], ...]


def _refus_meta(chemin: Path, message: str) -> ErreurDonnees:
    return ErreurDonnees(
        chemin,
        1,
        1,
        f"feuille cachée « {FEUILLE_META} » : {message}",
        "ce n'est pas un classeur préparé par « cls campaign prepare » (ou il a été abîmé) :"
        " renvoyez au porteur son classeur d'origine",
        "campagne",
    )


def lire_metadonnees(chemin: Path) -> tuple[Metadonnees, dt.date]:
    """Les métadonnées de la feuille cachée et la date du dernier enregistrement du
    classeur (ErreurDonnees si ce n'est pas un classeur de campagne)."""
    from openpyxl import load_workbook

    try:
        classeur = load_workbook(chemin, read_only=True, data_only=True)
    except Exception as exc:  # archive abîmée, XML hostile : refusé, jamais une trace
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"classeur illisible ({exc.__class__.__name__})",
            "renvoyez au porteur son classeur d'origine, enregistré au format .xlsx",
            "campagne",
        ) from None
    try:
        return _meta_du_classeur(classeur, chemin)
    finally:
        classeur.close()


def _meta_du_classeur(classeur: Any, chemin: Path) -> tuple[Metadonnees, dt.date]:
    if FEUILLE_META not in classeur.sheetnames:
        raise _refus_meta(chemin, "absente")
    rangs = [list(r) for r in classeur[FEUILLE_META].iter_rows(values_only=True)]
    return _analyser_meta(chemin, rangs), _date(classeur.properties.modified, chemin)


def _date(modifie: Any, chemin: Path) -> dt.date:
    if isinstance(modifie, dt.datetime):
        return modifie.date()
    return dt.datetime.fromtimestamp(chemin.stat().st_mtime, dt.UTC).date()


def _analyser_meta(chemin: Path, rangs: list[list[Any]]) -> Metadonnees:
    simples: dict[str, str] = {}
    empreintes: dict[int, str] = {}
    lignes: list[tuple[int, str, str]] = []
    try:
        for rang in rangs:
            cle = str(rang[0]) if rang and rang[0] is not None else ""
            if cle == "fiche":
                empreintes[int(rang[1])] = str(rang[2])
            elif cle == "ligne":
                lignes.append((int(rang[1]), str(rang[2]), str(rang[3] or "")))
            elif cle:
                simples[cle] = "" if rang[1] is None else str(rang[1])
        if simples.get("format") != FORMAT:
            raise _refus_meta(chemin, f"format « {simples.get('format')} » inconnu")
        return Metadonnees(
            simples["contrat"],
            int(simples["annee"]),
            simples["porteur"],
            simples["nom"],
            simples["prepare_le"],
            empreintes,
            tuple(lignes),
        )
    except (KeyError, ValueError, TypeError, IndexError):
        raise _refus_meta(chemin, "contenu incomplet ou modifié") from None


def lire_retour(chemin: Path, annees: list[int]) -> Retour:
    """Relit un classeur revenu (ouvert une seule fois : le tableau, puis les
    métadonnées) ; ``annees`` : les années passées de la campagne."""
    cols = colonnes(annees)
    lues: list[tuple[Metadonnees, dt.date]] = []
    lecture = lire_tableau(
        chemin,
        cols,
        OBLIGATOIRES,
        feuilles_annexes=(FEUILLE_META, FEUILLE_AIDE),
        avec_classeur=lambda classeur: lues.append(_meta_du_classeur(classeur, chemin)),
    )
    if not lues:  # un .csv : pas un classeur de campagne
        raise _refus_meta(chemin, "absente")
    meta, date = lues[0]
    lecture.avertissements[:] = [
        a
        for a in lecture.avertissements
        if f"« {FEUILLE_META} »" not in a and f"« {FEUILLE_AIDE} »" not in a
    ]
    return Retour(chemin, meta, lecture, date, cols)


def fichiers_campagne(
    envois: list[Envoi], annees: list[int], echeance: str | None, contact: str
) -> list[tuple[str, bytes]]:
    """(nom, contenu) de chaque fichier du dossier de campagne : les classeurs, l'index."""
    from cls_cli.campagne import index_csv

    fichiers = [(e.fichier, ecrire(e, annees, echeance, contact)) for e in envois]
    return [*fichiers, ("index.csv", index_csv(envois))]
