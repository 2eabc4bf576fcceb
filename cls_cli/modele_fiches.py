"""Le modèle vide du tableau des fiches (``cls import-fiches --template``) : une feuille
« Fiches » (une ligne par fiche, les en-têtes de :mod:`cls_cli.colonnes_fiches`, une
colonne par niveau du contrat) et une feuille « Mode d'emploi » qui explique chaque
colonne, avec un exemple fictif, et dit les niveaux du contrat."""

from __future__ import annotations

import io
from collections.abc import Sequence

from cls_cli.colonnes_fiches import (
    AIDE_INDICATEURS,
    FEUILLE_AIDE,
    FEUILLE_FICHES,
    TROIS_NIVEAUX,
    colonnes_du_modele,
    obligatoires,
)
from cls_cli.emplacements import FICHIER_CONTRAT
from cls_cli.modeles import NiveauArbre
from cls_cli.niveaux_tableau import en_mots

#: Une ligne d'exemple (fictive), montrée dans le mode d'emploi, jamais dans « Fiches ».
EXEMPLE = {
    "axe": "1 – Promotion de la santé",
    "objectif": "1.1 Promouvoir la santé des habitants",
    "objectif_strategique": "1.1 Promouvoir la santé des habitants",
    "objectif_operationnel": "1.1.2 Favoriser une alimentation saine",
    "numero": "A2",
    "titre": "Ateliers cuisine dans les quartiers (exemple fictif)",
    "nature": "nouvelle",
    "porteurs": "Centre social (fictif)",
    "indicateurs": "Nombre d'ateliers | agrégation: somme\nTaux de satisfaction | cible: 80",
}


def aide_niveaux(structure: Sequence[NiveauArbre]) -> str:
    """La remarque du mode d'emploi sur les colonnes des niveaux du contrat."""
    entetes = ", ".join(f"« {c.entete} »" for c in colonnes_du_modele(structure)[: len(structure)])
    return (
        f"Le contrat déclare {en_mots(structure)} au-dessus des fiches ({FICHIER_CONTRAT}, "
        f"structure: [{', '.join(structure)}]) : le tableau a une colonne par niveau "
        f"({entetes}), et chaque fiche se range sous le plus bas. Pour en changer, modifiez "
        "structure: dans contrat.yaml, puis réécrivez ce modèle (cls import-fiches --template)."
    )


def modele_xlsx(structure: Sequence[NiveauArbre] = TROIS_NIVEAUX) -> bytes:
    """Le classeur du modèle d'un contrat de cette structure, en octets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    classeur = Workbook()
    fiches = classeur.active
    fiches.title = FEUILLE_FICHES
    colonnes = colonnes_du_modele(structure)
    fiches.append([c.entete for c in colonnes])
    for i, colonne in enumerate(colonnes, start=1):
        cellule = fiches.cell(1, i)
        cellule.font = Font(bold=True)
        cellule.alignment = Alignment(wrap_text=True, vertical="top")
        lettre = cellule.column_letter
        fiches.column_dimensions[lettre].width = 40 if colonne.cle in _LARGES else 16
    fiches.freeze_panes = "A2"
    aide = classeur.create_sheet(FEUILLE_AIDE)
    aide.append(["Colonne", "Obligatoire", "Ce qu'on y écrit", "Exemple (fictif)"])
    for colonne in colonnes:
        aide.append(
            [
                colonne.entete,
                "oui" if colonne.cle in obligatoires(structure) else "non",
                colonne.aide,
                EXEMPLE.get(colonne.cle, ""),
            ]
        )
    aide.append([])
    aide.append(["Niveaux", "", aide_niveaux(structure), ""])
    aide.append(["Indicateurs", "", AIDE_INDICATEURS, ""])
    aide.append(
        [
            "Remarques",
            "",
            "Une ligne par fiche, dans la feuille « Fiches ». Les en-têtes peuvent être "
            "écrits autrement (accents, majuscules, synonymes courants : « N° », « Pilote »…). "
            "Une ligne sans numéro ni intitulé déclare seulement un objectif. Rien n'est écrit "
            "si une cellule pose problème : le compte rendu dit laquelle.",
            "",
        ]
    )
    for lettre, largeur in (("A", 22), ("B", 12), ("C", 90), ("D", 50)):
        aide.column_dimensions[lettre].width = largeur
    for rangee in aide.iter_rows():
        for cellule in rangee:
            cellule.alignment = Alignment(wrap_text=True, vertical="top")
    flux = io.BytesIO()
    classeur.save(flux)
    return flux.getvalue()


_LARGES = {"titre", "description", "porteurs", "partenaires", "indicateurs", "calendrier"}
