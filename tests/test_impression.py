"""Le rapport HTML imprimé (A4, tableaux à la largeur de la page) et lu sur un téléphone
(pas de défilement de côté), vérifiés dans Chromium headless sur l'exemple : 2021, 2023
avec l'évolution depuis 2020, et le mi-parcours 2022."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from cls_cli.avenants import charger_avenants
from cls_cli.chargement import charger
from cls_cli.modele_rapport import Rapport
from cls_cli.rapport import construire
from cls_cli.regles_evaluations import instances_enregistrees
from cls_cli.rendu import css, rendre
from tests import golden
from tests.conftest import DEMO
from tests.navigateur import Navigateur, texte_pdf, verifier_a4

#: La largeur d'un téléphone courant, en pixels CSS.
TELEPHONE = 390
PX_PAR_MM = 96 / 25.4


def _rapport(annee: int, debut: int | None) -> Rapport:
    return construire(
        charger(DEMO).referentiel,
        annee,
        golden.DATE,
        golden.ORIGINE,
        debut,
        avenants=charger_avenants(DEMO).valides(),
        instances=instances_enregistrees(DEMO),
    )


CAS = {"2021": (2021, None), "2023-depuis-2020": (2023, 2020), "mi-parcours-2022": (2022, 2020)}


def _largeur_utile(html: str) -> int:
    """La largeur imprimable en pixels CSS : A4 (210 mm) moins les marges de ``@page``."""
    marges = re.search(r"@page\s*\{[^}]*?margin:\s*([\d.]+mm(?:\s+[\d.]+mm){0,3});", html)
    assert marges, "le rapport HTML ne fixe pas les marges de sa page (@page { margin: … })"
    valeurs = [float(v[:-2]) for v in marges.group(1).split()]
    droite = valeurs[1] if len(valeurs) > 1 else valeurs[0]
    gauche = valeurs[3] if len(valeurs) > 3 else droite
    return int((210 - droite - gauche) * PX_PAR_MM)


@pytest.fixture(scope="module")
def navigateur(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with Navigateur(tmp_path_factory.mktemp("profil")) as nav:
        yield nav


@pytest.mark.parametrize("cas", CAS)
def test_impression_a4_tableaux_dans_la_page(
    cas: str, navigateur: Navigateur, tmp_path: Path
) -> None:
    rapport = _rapport(*CAS[cas])
    html = rendre(rapport, "html")
    assert re.search(r"@page\s*\{\s*size:\s*A4;", html)
    fichier = tmp_path / "rapport.html"
    fichier.write_text(html, encoding="utf-8")
    navigateur.ouvrir(fichier)

    # Média « print » émulé à la largeur imprimable : aucun tableau ne déborde.
    largeur = _largeur_utile(html)
    navigateur.largeur(largeur, "print")
    debordements = navigateur.evaluer(
        """[...document.querySelectorAll('table')]
             .filter(t => t.getBoundingClientRect().right > innerWidth + 0.5)
             .map(t => (t.closest('[id]') || {}).id + ' : ' + t.getBoundingClientRect().width)"""
    )
    assert debordements == [], f"tableaux plus larges que la page ({largeur} px)"
    assert navigateur.evaluer("document.documentElement.scrollWidth") <= largeur

    # Le PDF : pages A4, chaque titre d'axe et chaque fiche dans le texte.
    lecteur = verifier_a4(navigateur.pdf())
    assert len(lecteur.pages) > 5
    texte = texte_pdf(lecteur)
    for axe in rapport.axes:
        assert f"Axe {axe.code} – {axe.libelle}" in texte, axe.libelle
    for action in rapport.actions:
        assert f"Fiche {action.numero} — " in texte, action.numero
    # la couverture : le contrat, l'année et la date ; puis les numéros de page
    premiere = " ".join((lecteur.pages[0].extract_text() or "").split())
    assert rapport.titre in premiere and str(rapport.annee) in premiere
    assert "15 mars 2024" in premiere
    assert f"2 / {len(lecteur.pages)}" in " ".join(lecteur.pages[1].extract_text().split())


@pytest.mark.parametrize("cas", CAS)
def test_telephone_sans_defilement_de_cote(
    cas: str, navigateur: Navigateur, tmp_path: Path
) -> None:
    fichier = tmp_path / "rapport.html"
    fichier.write_text(rendre(_rapport(*CAS[cas]), "html"), encoding="utf-8")
    navigateur.ouvrir(fichier)
    navigateur.largeur(TELEPHONE, "screen", mobile=True)
    assert navigateur.evaluer("document.documentElement.scrollWidth") <= TELEPHONE
    assert navigateur.evaluer("document.body.scrollWidth") <= TELEPHONE
    # les tableaux d'indicateurs en cartes : aucun ne défile de côté dans son cadre
    assert (
        navigateur.evaluer(
            """[...document.querySelectorAll('table.cartes')]
             .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
             .length"""
        )
        == 0
    )
    assert (
        navigateur.evaluer("getComputedStyle(document.querySelector('table.cartes thead')).display")
        == "none"
    )


def test_le_controle_de_largeur_voit_un_debordement(navigateur: Navigateur, tmp_path: Path) -> None:
    """La mesure peut échouer : un tableau trop large est vu, en impression comme au téléphone."""
    fichier = tmp_path / "large.html"
    cellule = "<td style='white-space:nowrap'>" + "x" * 400 + "</td>"
    fichier.write_text(f"<!DOCTYPE html><table><tr>{cellule}</tr></table>", encoding="utf-8")
    navigateur.ouvrir(fichier)
    navigateur.largeur(600, "print")
    assert navigateur.evaluer("document.querySelector('table').getBoundingClientRect().right") > 600
    navigateur.largeur(TELEPHONE, "screen", mobile=True)
    assert navigateur.evaluer("document.documentElement.scrollWidth") > TELEPHONE


def test_css_echappe_les_textes_des_marges() -> None:
    assert str(css('a"b\\c</style>\n')) == "a\\22 b\\5C c\\3C /style\\3E \\A "
    assert str(css("Contrat Local de Santé")) == "Contrat Local de Santé"


def test_l_assertion_a4_voit_une_page_letter() -> None:
    """L'assertion partagée (tests/navigateur.py) refuse une page US Letter, même seconde."""
    from pypdf import PdfWriter

    def pdf(*tailles: tuple[float, float]) -> bytes:
        ecrivain = PdfWriter()
        for largeur, hauteur in tailles:
            ecrivain.add_blank_page(largeur, hauteur)
        tampon = io.BytesIO()
        ecrivain.write(tampon)
        return tampon.getvalue()

    assert len(verifier_a4(pdf((595.28, 841.89), (595, 842))).pages) == 2
    with pytest.raises(AssertionError, match="page 2 : 612 × 792 points, pas A4"):
        verifier_a4(pdf((595.28, 841.89), (612, 792)))
