"""Le tableau de collecte en .xlsx, prêt à imprimer et à remplir : A4 paysage, en-tête
répété, cellules à remplir en couleur avec une légende, le reste verrouillé, nombres à la
française (voir ``cls template``)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.chargement import Referentiel
from cls_cli.colonnes_collecte import A_REMPLIR, COLONNES, LIGNE_STATUT
from cls_cli.modeles import STATUTS

FOND_A_REMPLIR = "FFF2CC"
FOND_ENTETE_A_REMPLIR = "FFD966"
FOND_ENTETE = "DDE6EE"
LEGENDE = "Cellules jaunes : à remplir par le porteur. Les autres sont verrouillées."
#: Largeur (en caractères) de chaque colonne : au plus, le texte passe à la ligne au-delà ;
#: au moins, de quoi lire l'en-tête mot à mot.
LARGEURS_MAX = {
    "action": 34,
    "porteurs": 22,
    "libelle": 34,
    "derniere": 16,
    "valeur": 16,
    "manquante": 20,
    "source": 18,
    "commentaire": 26,
}
LARGEUR_MAX = 11
LARGEUR_MIN = 6
_DECIMAL = re.compile(r"^(-?\d+)\.(\d+)\b")


def _nombre(texte: str) -> int | float | str:
    """Un nombre recopié d'une fiche (cible) en nombre Excel : affiché à la française
    (« 74,9 ») par le tableur ; un texte reste un texte."""
    if re.fullmatch(r"-?\d+", texte):
        return int(texte)
    if re.fullmatch(r"-?\d+\.\d+", texte):
        return float(texte)
    return texte


def _largeurs(lignes: Sequence[dict[str, str]]) -> dict[str, float]:
    """La largeur de chaque colonne d'après son contenu, bornée (voir ``LARGEURS_MAX``)."""
    largeurs = {}
    for cle, entete in COLONNES:
        contenu = max((len(lg.get(cle, "")) for lg in lignes), default=0)
        mot = max(len(m) for m in entete.split())
        plafond = LARGEURS_MAX.get(cle, LARGEUR_MAX)
        largeurs[cle] = float(max(LARGEUR_MIN, mot + 1, min(contenu + 1, plafond)))
    return largeurs


def classeur(lignes: Sequence[dict[str, str]], ref: Referentiel) -> bytes:
    """Le classeur : une feuille par axe, prête à imprimer (A4 paysage ajusté à la largeur,
    en-tête répété sur chaque page, numéros de page, légende), cellules à remplir en jaune
    et seules déverrouillées, cibles en nombres."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    classeur = Workbook()
    classeur.remove(classeur.active)
    axes = [(a.code, a.libelle) for a in ref.axes.axes] if ref.axes else [("", "Actions")]
    statuts = ",".join(LIBELLES_STATUT[s] for s in STATUTS)
    a_remplir = PatternFill("solid", fgColor=FOND_A_REMPLIR)
    retour = Alignment(wrap_text=True, vertical="top")
    for code, _libelle in axes:
        feuille = classeur.create_sheet(f"Axe {code}" if code else "Actions")
        feuille.append([entete for _, entete in COLONNES])
        for (cle, _), cellule in zip(COLONNES, feuille[1], strict=True):
            cellule.font = Font(bold=True)
            cellule.alignment = retour
            cellule.fill = PatternFill(
                "solid", fgColor=FOND_ENTETE_A_REMPLIR if cle in A_REMPLIR else FOND_ENTETE
            )
            if cle in A_REMPLIR:
                cellule.comment = Comment("À remplir par le porteur (cellules jaunes).", "cls")
        feuille.freeze_panes = "A2"
        liste_statuts = DataValidation(type="list", formula1=f'"{statuts}"', allow_blank=True)
        liste_oui_non = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
        feuille.add_data_validation(liste_statuts)
        feuille.add_data_validation(liste_oui_non)
        colonne_valeur = [cle for cle, _ in COLONNES].index("valeur") + 1
        lignes_axe = [lg for lg in lignes if not code or lg["axe"] == code]
        for ligne in lignes_axe:
            valeurs: list[Any] = [ligne.get(cle, "") for cle, _ in COLONNES]
            feuille.append(valeurs)
            rang = feuille.max_row
            for i, (cle, _) in enumerate(COLONNES, start=1):
                cellule = feuille.cell(rang, i)
                if cle == "cible" and cellule.value:
                    cellule.value = _nombre(str(cellule.value))
                elif cle == "derniere" and cellule.value:
                    cellule.value = _DECIMAL.sub(r"\1,\2", str(cellule.value))
                if isinstance(cellule.value, str):
                    cellule.data_type = "s"  # jamais une formule, même « =… »
                cellule.alignment = retour
                cellule.protection = Protection(locked=cle not in A_REMPLIR)
                if cle in A_REMPLIR:
                    cellule.fill = a_remplir
            adresse = feuille.cell(rang, colonne_valeur).coordinate
            if ligne["ligne"] == LIGNE_STATUT:
                liste_statuts.add(adresse)
            elif ligne["type"] == "booleen":
                liste_oui_non.add(adresse)
        largeurs = _largeurs(lignes_axe)
        for i, (cle, _) in enumerate(COLONNES, start=1):
            feuille.column_dimensions[feuille.cell(1, i).column_letter].width = largeurs[cle]
        feuille.protection.sheet = True
        feuille.protection.formatColumns = False
        feuille.protection.formatRows = False
        # Impression : A4 paysage, une page de large, en-tête répété, légende et pages.
        feuille.page_setup.orientation = "landscape"
        feuille.page_setup.paperSize = feuille.PAPERSIZE_A4
        feuille.page_setup.fitToWidth = 1
        feuille.page_setup.fitToHeight = 0
        feuille.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        feuille.print_title_rows = "1:1"
        feuille.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        feuille.oddHeader.left.text = "&A"
        feuille.oddFooter.left.text = LEGENDE
        feuille.oddFooter.right.text = "Page &P / &N"
    flux = io.BytesIO()
    classeur.save(flux)
    return flux.getvalue()


# --- Lecture ---------------------------------------------------------------------------
