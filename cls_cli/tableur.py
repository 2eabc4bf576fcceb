"""Le tableau de collecte des porteurs : modèle à remplir (CSV ou Excel) et relecture.

- :func:`lignes_modele` (pure) : une ligne par indicateur de chaque action non abandonnée,
  et une ligne « statut » par action ;
- :func:`ecrire` : CSV (UTF-8 avec BOM, séparateur « ; », ce qu'ouvre un tableur français)
  ou Excel (openpyxl : une feuille par axe, en-tête figé, cellules du modèle verrouillées,
  listes déroulantes pour les statuts et les oui/non) selon l'extension ;
- :func:`lire` : relit un tableau rempli, quel que soit son format
  (:mod:`cls_cli.lecture_tableur`, qui refuse ses pièges) ;
- :func:`preparer` (pure) : vérifie chaque ligne et la traduit en saisies, en rendant
  toutes les erreurs au format ``FICHIER:ligne: message``.

Les textes recopiés des fiches sont protégés contre l'injection de formules : un texte
commençant par ``=``, ``+``, ``-`` ou ``@`` reste du texte dans le tableur.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cls_cli.calculs import LIBELLES_STATUT, etat_action
from cls_cli.chargement import Referentiel
from cls_cli.erreurs import ErreurUsage
from cls_cli.lecture_tableur import Lecture, LigneLue, lire_tableau
from cls_cli.modeles import STATUTS, Fiche
from cls_cli.periode import verifier_annee_de_saisie
from cls_cli.regles_saisie import (
    SaisieMesure,
    SaisieSuivi,
    mesure,
    trouver_indicateur,
)
from cls_cli.saisie import Brut, lire_avancement, lire_statut

if TYPE_CHECKING:
    from cls_cli.avenants import Avenant

#: (clé, en-tête) ; les colonnes à remplir par le porteur sont dans A_REMPLIR.
COLONNES: tuple[tuple[str, str], ...] = (
    ("fiche", "Fiche"),
    ("action", "Action"),
    ("porteurs", "Porteurs"),
    ("annee", "Année"),
    ("ligne", "Ligne"),
    ("indicateur", "Code indicateur"),
    ("libelle", "Libellé de l'indicateur"),
    ("type", "Type"),
    ("cible", "Cible"),
    ("derniere", "Dernière valeur connue"),
    ("valeur", "Valeur (ou statut)"),
    ("manquante", "Si pas de valeur : pourquoi"),
    ("avancement", "Avancement (%)"),
    ("source", "Source"),
    ("commentaire", "Commentaire"),
)
A_REMPLIR = ("valeur", "manquante", "avancement", "source", "commentaire")
OBLIGATOIRES = (
    "fiche",
    "annee",
    "ligne",
    "indicateur",
    "valeur",
    "manquante",
    "avancement",
    "source",
    "commentaire",
)
LIGNE_INDICATEUR = "indicateur"
LIGNE_STATUT = "statut"
_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def _texte(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


def _derniere_mesure(fiche: Fiche, code: str, annee: int) -> str:
    ind = trouver_indicateur(fiche.indicateurs, code, fiche.numero, lambda i: i.code)
    avant = sorted((m for m in ind.mesures if m.annee < annee), key=lambda m: m.annee)
    if not avant:
        return ""
    m = avant[-1]
    return f"{_texte(m.valeur) if m.manquante is None else 'manquante'} ({m.annee})"


def lignes_modele(
    ref: Referentiel, annee: int, avenants: Sequence[Avenant] = ()
) -> list[dict[str, str]]:
    """Les lignes du tableau de collecte de ``annee`` (actions non abandonnées, en vigueur
    cette année-là d'après les ``avenants``)."""
    from cls_cli.en_vigueur import en_vigueur

    lignes = []
    for fiche in en_vigueur(ref.fiches_valides(), avenants, annee):
        etat = etat_action(fiche, annee - 1)
        if etat.statut == "abandonnee":
            continue
        commun = {
            "fiche": str(fiche.numero),
            "action": fiche.titre,
            "porteurs": ", ".join(fiche.porteurs),
            "annee": str(annee),
            "axe": fiche.code_axe,
        }
        for ind in fiche.indicateurs:
            lignes.append(
                {
                    **commun,
                    "ligne": LIGNE_INDICATEUR,
                    "indicateur": ind.code,
                    "libelle": ind.libelle,
                    "type": ind.type,
                    "cible": _texte(ind.cible),
                    "derniere": _derniere_mesure(fiche, ind.code, annee),
                }
            )
        precedent = ""
        if etat.statut != "non_renseignee":
            precedent = LIBELLES_STATUT[etat.statut]
            if etat.avancement is not None:
                precedent += f", {_texte(etat.avancement)} %"
        lignes.append(
            {
                **commun,
                "ligne": LIGNE_STATUT,
                "indicateur": "",
                "libelle": "Statut de l'action",
                "type": "statut",
                "cible": "",
                "derniere": precedent,
            }
        )
    return lignes


def protege(texte: str) -> str:
    """Un texte recopié dans un CSV, neutralisé s'il pourrait être lu comme une formule."""
    return "'" + texte if texte.startswith(_DANGEREUX) else texte


# --- Écriture --------------------------------------------------------------------------


def ecrire(lignes: Sequence[dict[str, str]], chemin: Path, ref: Referentiel) -> bytes:
    """Le contenu du fichier de collecte (CSV ou XLSX selon l'extension de ``chemin``)."""
    extension = chemin.suffix.lower()
    if extension == ".csv":
        return _csv(lignes)
    if extension == ".xlsx":
        return _xlsx(lignes, ref)
    raise ErreurUsage(f"extension « {chemin.suffix} » non gérée : choisissez .csv ou .xlsx")


def _csv(lignes: Sequence[dict[str, str]]) -> bytes:
    flux = io.StringIO(newline="")
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([entete for _, entete in COLONNES])
    for ligne in lignes:
        ecrivain.writerow([protege(ligne.get(cle, "")) for cle, _ in COLONNES])
    return ("\ufeff" + flux.getvalue()).encode("utf-8")


#: Le fond des cellules à remplir par le porteur (jaune pâle, distinct même imprimé en gris)
#: et celui de leur en-tête ; la légende est rappelée au pied de chaque page imprimée.
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


def _xlsx(lignes: Sequence[dict[str, str]], ref: Referentiel) -> bytes:
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


def lire(chemin: Path) -> Lecture:
    """Les lignes d'un tableau de collecte rempli (.csv ou .xlsx), et ce qui a été ignoré
    (voir :mod:`cls_cli.lecture_tableur` pour les pièges refusés)."""
    return lire_tableau(chemin, COLONNES, OBLIGATOIRES)


# --- Vérification des lignes -----------------------------------------------------------


@dataclass
class Saisies:
    """Les saisies d'un tableau, par fiche, et les erreurs trouvées."""

    mesures: dict[int, list[tuple[str, str, SaisieMesure]]] = field(default_factory=dict)
    suivis: dict[int, list[tuple[str, SaisieSuivi]]] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)
    vides: int = 0


def _brut(ligne: LigneLue, cle: str) -> tuple[Brut, bool]:
    """Le nombre de la cellule tel que le tableur le stocke (et son format %), sinon le texte."""
    nombre = ligne.nombres.get(cle)
    if nombre is not None:
        return nombre.valeur, nombre.pourcent
    return ligne.valeurs[cle], False


def preparer(lignes: Iterable[LigneLue], ref: Referentiel) -> Saisies:
    """Vérifie chaque ligne et la traduit en saisie ; les lignes vides sont ignorées."""
    saisies = Saisies()
    fiches = {f.numero: f for f in ref.fiches_valides()}
    for ligne in lignes:
        v = ligne.valeurs
        if not any(v.get(c) for c in ("valeur", "manquante", "avancement")):
            saisies.vides += 1
            continue
        try:
            numero = int(v.get("fiche", ""))
            annee = int(v.get("annee", ""))
        except ValueError:
            saisies.erreurs.append(
                f"{ligne.position}: numéro de fiche ou année illisible "
                f"(« {v.get('fiche')} », « {v.get('annee')} »)"
            )
            continue
        fiche = fiches.get(numero)
        if fiche is None:
            saisies.erreurs.append(f"{ligne.position}: la fiche {numero} n'existe pas")
            continue
        try:
            verifier_annee_de_saisie(annee, ref.contrat)
        except ValueError as exc:
            saisies.erreurs.append(f"{ligne.position}: {exc}")
            continue
        try:
            if v.get("ligne") == LIGNE_STATUT:
                avancement = None
                if v.get("avancement"):
                    brut, pourcent = _brut(ligne, "avancement")
                    avancement = lire_avancement(brut, pourcent=pourcent)
                if not v.get("valeur"):
                    raise ValueError("indiquez le statut dans la colonne « Valeur (ou statut) »")
                suivi = SaisieSuivi(
                    annee, lire_statut(v["valeur"]), avancement, v.get("commentaire") or None
                )
                saisies.suivis.setdefault(numero, []).append((ligne.position, suivi))
            elif v.get("ligne") == LIGNE_INDICATEUR:
                code = v.get("indicateur", "")
                ind = trouver_indicateur(fiche.indicateurs, code, numero, lambda i: i.code)
                valeur: Brut | None = None
                pourcent = False
                if v.get("valeur"):
                    valeur, pourcent = _brut(ligne, "valeur")
                lue = mesure(
                    annee,
                    ind.type,
                    valeur,
                    v.get("manquante"),
                    None,
                    v.get("source") or None,
                    v.get("commentaire") or None,
                    pourcent=pourcent,
                    unite=ind.unite,
                )
                saisies.mesures.setdefault(numero, []).append((ligne.position, code, lue))
            else:
                raise ValueError(
                    f"colonne « Ligne » inattendue : « {v.get('ligne')} » (indicateur ou statut)"
                )
        except ValueError as exc:
            saisies.erreurs.append(f"{ligne.position}: fiche {numero} : {exc}")
    return saisies
