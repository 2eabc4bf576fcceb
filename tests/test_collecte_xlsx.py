"""Le tableau de collecte Excel à imprimer et à remplir : A4 paysage ajusté à la largeur,
en-tête répété, cellules à remplir visibles (jaune et légende) et seules déverrouillées,
nombres à la française, largeurs de colonnes d'après le contenu."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from cls_cli.colonnes_collecte import A_REMPLIR, COLONNES
from cls_cli.tableur_xlsx import FOND_A_REMPLIR, LEGENDE
from tests.conftest import DEMO

CLES = [cle for cle, _ in COLONNES]


@pytest.fixture(scope="module")
def classeur(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cls_cli.cli import app

    chemin = tmp_path_factory.mktemp("collecte") / "collecte-2022.xlsx"
    resultat = CliRunner().invoke(
        app, ["template", "--year", "2022", "--data", str(DEMO), "-o", str(chemin)]
    )
    assert resultat.exit_code == 0, resultat.output
    return load_workbook(chemin)


def test_reglages_d_impression(classeur) -> None:  # type: ignore[no-untyped-def]
    assert classeur.sheetnames == ["Axe 1", "Axe 2", "Axe 3", "Axe 4"]
    for feuille in classeur.worksheets:
        assert feuille.page_setup.orientation == "landscape"
        assert int(feuille.page_setup.paperSize) == 9  # A4
        assert feuille.sheet_properties.pageSetUpPr.fitToPage is True
        assert (feuille.page_setup.fitToWidth, feuille.page_setup.fitToHeight) == (1, 0)
        assert feuille.print_title_rows == "$1:$1"  # l'en-tête sur chaque page
        assert LEGENDE in feuille.oddFooter.left.text
        assert "&P" in feuille.oddFooter.right.text and "&N" in feuille.oddFooter.right.text


def test_cellules_a_remplir_distinctes_et_seules_deverrouillees(classeur) -> None:  # type: ignore[no-untyped-def]
    for feuille in classeur.worksheets:
        assert feuille.protection.sheet
        for rangee in feuille.iter_rows(min_row=2):
            for cle, cellule in zip(CLES, rangee, strict=False):
                if cle in A_REMPLIR:
                    assert not cellule.protection.locked, cellule.coordinate
                    assert cellule.fill.fgColor.rgb.endswith(FOND_A_REMPLIR), cellule.coordinate
                else:
                    assert cellule.protection.locked, cellule.coordinate
                    assert cellule.fill.fill_type is None, cellule.coordinate
        entetes = {c.value: c for c in feuille[1]}
        for cle, titre in COLONNES:
            assert (entetes[titre].comment is not None) == (cle in A_REMPLIR), titre


def test_nombres_a_la_francaise(classeur) -> None:  # type: ignore[no-untyped-def]
    cibles, dernieres = [], []
    for feuille in classeur.worksheets:
        for rangee in feuille.iter_rows(min_row=2, values_only=True):
            ligne = dict(zip(CLES, rangee, strict=False))
            if ligne["cible"] not in (None, ""):
                cibles.append(ligne["cible"])
            if ligne["derniere"]:
                dernieres.append(ligne["derniere"])
    # une cible numérique est un nombre Excel (affiché 74,9 par un tableur français)
    assert any(isinstance(c, int | float) and not isinstance(c, bool) for c in cibles)
    assert not any(isinstance(c, str) and c.replace(".", "", 1).isdigit() for c in cibles)
    # la dernière valeur connue est un texte (« 74,9 (2021) ») : virgule décimale
    assert any("," in d.split(" (")[0] for d in dernieres)
    assert not any(d.split(" (")[0].replace(".", "", 1).isdigit() and "." in d for d in dernieres)


def test_largeurs_d_apres_le_contenu(classeur) -> None:  # type: ignore[no-untyped-def]
    feuille = classeur.worksheets[0]
    largeurs = {
        cle: feuille.column_dimensions[feuille.cell(1, i).column_letter].width
        for i, cle in enumerate(CLES, start=1)
    }
    assert largeurs["fiche"] < largeurs["action"]
    assert largeurs["annee"] <= 8
    # A4 paysage à une page de large : la somme reste lisible (échelle d'au moins ~55 %)
    assert sum(largeurs.values()) < 260


def test_le_tableau_rempli_se_relit(classeur, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Les réglages (nombres, commentaires, pied de page) ne gênent pas la relecture."""
    from cls_cli.tableur import lire

    chemin = tmp_path / "c.xlsx"
    classeur.save(chemin)
    lecture = lire(chemin)
    assert lecture.lignes and not lecture.avertissements


def test_pages_imprimees_par_libreoffice(classeur, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Imprimé par LibreOffice (s'il est installé ; sinon les réglages ci-dessus le disent) :
    quelques pages A4 paysage (34 avant ces réglages), l'en-tête répété sur chacune."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice absent : les réglages d'impression sont vérifiés plus haut")
    chemin = tmp_path / "collecte.xlsx"
    classeur.save(chemin)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(chemin),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = PdfReader(tmp_path / "collecte.pdf").pages
    assert 4 <= len(pages) <= 8  # au moins une page par axe, une page de large
    for page in pages:
        largeur, hauteur = float(page.mediabox.width), float(page.mediabox.height)
        assert (largeur, hauteur) == (pytest.approx(841.89, abs=1), pytest.approx(595.28, abs=1))
        texte = " ".join((page.extract_text() or "").split())
        assert "Code indicateur" in texte  # l'en-tête répété
        assert "Cellules jaunes" in texte  # la légende au pied de page
