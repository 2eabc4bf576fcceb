"""Relire un tableau de collecte rempli : chaque piège est refusé (situé) ou signalé.

Chaque test part du modèle de « cls template » sur l'exemple fictif, le remplit comme le
ferait un porteur (openpyxl, ou LibreOffice pour la fixture enregistrée) et importe.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl import load_workbook

from cls_cli.erreurs import ErreurDonnees
from cls_cli.lecture_tableur import Limites, NombreLu, lire_tableau
from cls_cli.lecture_types import Entetes, en_entier, en_mo, texte_date
from cls_cli.lecture_xlsx import _cause
from cls_cli.tableur import COLONNES, OBLIGATOIRES, lire
from tests.test_saisie import _csv, _instantane

FICHE_11 = "11-prevenir-informer-aupres-services-publics-entreprises.yaml"
TABLEURS = Path(__file__).resolve().parent / "tableurs"
ENTETES = [entete for _, entete in COLONNES]


def _modele(cls: Any, donnees: Path, dossier: Path) -> Path:
    modele = dossier / "modele.xlsx"
    resultat = cls("template", "--year", "2024", "-o", modele, "--data", donnees)
    assert resultat.exit_code == 0, resultat.output
    return modele


def _cellule(classeur: Any, fiche: str, ligne: str, colonne: str) -> Any:
    """La cellule ``colonne`` de la ligne (fiche, code indicateur ou « statut »)."""
    for feuille in classeur.worksheets:
        for rangee in feuille.iter_rows(min_row=2):
            cellules = dict(zip(ENTETES, rangee, strict=False))
            code = cellules["Code indicateur"].value or cellules["Ligne"].value
            if str(cellules["Fiche"].value) == fiche and code == ligne:
                return cellules[colonne]
    raise AssertionError(f"pas de ligne {fiche} / {ligne}")


@pytest.fixture
def rempli(cls: Any, copie_demo: Path, tmp_path: Path) -> Callable[..., Path]:
    """Remplit le modèle par ``remplir(classeur)`` et rend le chemin du classeur rempli."""

    def fabriquer(remplir: Callable[[Any], None], nom: str = "rempli.xlsx") -> Path:
        classeur = load_workbook(_modele(cls, copie_demo, tmp_path))
        remplir(classeur)
        chemin = tmp_path / nom
        classeur.save(chemin)
        return chemin

    return fabriquer


def _importer(cls: Any, chemin: Path, donnees: Path, *options: str) -> Any:
    return cls("import", chemin, *options, "--data", donnees)


def _refuse(cls: Any, chemin: Path, donnees: Path, *messages: str) -> str:
    avant = _instantane(donnees)
    resultat = _importer(cls, chemin, donnees)
    assert resultat.exit_code == 1, resultat.output
    assert "Traceback" not in resultat.output
    for message in messages:
        assert message in resultat.output, resultat.output
    assert _instantane(donnees) == avant
    return str(resultat.output)


def _texte_fiche(donnees: Path, nom: str = FICHE_11) -> str:
    return (donnees / "actions" / nom).read_text("utf-8")


# --- Pourcentages ---------------------------------------------------------------------------


def test_cellules_au_format_pourcentage(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        taux = _cellule(classeur, "11", "enquete-satisfaction", "Valeur (ou statut)")
        taux.value, taux.number_format = 0.825, "0.0%"  # le porteur a tapé « 82,5 % »
        _cellule(classeur, "11", "enquete-satisfaction", "Source").value = "Enquête"
        statut = _cellule(classeur, "11", "statut", "Valeur (ou statut)")
        statut.value = "en cours"
        avancement = _cellule(classeur, "11", "statut", "Avancement (%)")
        avancement.value, avancement.number_format = 0.6, "0%"  # « 60 % »

    resultat = _importer(cls, rempli(remplir), copie_demo)
    assert resultat.exit_code == 0, resultat.output
    texte = _texte_fiche(copie_demo)
    assert "      - annee: 2024\n        valeur: 82.5\n        source: Enquête\n" in texte
    assert "  - annee: 2024\n    statut: en_cours\n    avancement: 60\n" in texte


@pytest.mark.parametrize(
    ("ligne", "colonne", "message"),
    [
        ("enquete-satisfaction", "Valeur (ou statut)", "taux « 0,6 » : 0,6 % ou 60 % ?"),
        ("statut", "Avancement (%)", "avancement « 0,6 » : 0,6 % ou 60 % ?"),
    ],
)
def test_fraction_sans_format_pourcentage_refusee(
    cls, copie_demo: Path, rempli, ligne: str, colonne: str, message: str
) -> None:
    def remplir(classeur: Any) -> None:
        _cellule(classeur, "11", ligne, colonne).value = 0.6
        _cellule(classeur, "11", ligne, "Source").value = "S"
        if ligne == "statut":
            _cellule(classeur, "11", ligne, "Valeur (ou statut)").value = "en cours"

    sortie = _refuse(cls, rempli(remplir), copie_demo, message)
    lettre = "K" if colonne.startswith("Valeur") else "M"
    assert re.search(rf"rempli\.xlsx:Axe 1:(\d+): fiche 11 : .*\(cellule {lettre}\1\)", sortie), (
        sortie
    )


@pytest.mark.parametrize(
    ("format_nombre", "pourcent"),
    [
        ("0%", True),
        ("0.0%", True),
        ("0.00 %", True),
        ("#,##0.0%;[Red]-#,##0.0%", True),
        ('0" %"', False),  # le signe est du texte : 60 s'affiche « 60 % »
        ("0\\%", False),
        ('0" pour cent"', False),
        ("[$%-40C]0", False),
        ("General", False),
        ("0.00", False),
    ],
)
def test_format_pourcentage(format_nombre: str, pourcent: bool) -> None:
    from cls_cli.lecture_xlsx import format_pourcent

    assert format_pourcent(format_nombre) is pourcent


def test_signe_pourcent_en_texte_dans_le_format(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        taux = _cellule(classeur, "11", "enquete-satisfaction", "Valeur (ou statut)")
        taux.value, taux.number_format = 60, '0" %"'  # 60 affiché « 60 % »
        _cellule(classeur, "11", "enquete-satisfaction", "Source").value = "S"

    resultat = _importer(cls, rempli(remplir), copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "      - annee: 2024\n        valeur: 60\n        source: S\n" in _texte_fiche(
        copie_demo
    )


def test_nombre_au_format_pourcentage_refuse(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        cellule = _cellule(classeur, "11", "interventions-information", "Valeur (ou statut)")
        cellule.value, cellule.number_format = 0.12, "0%"

    _refuse(cls, rempli(remplir), copie_demo, "« 12 % » est au format pourcentage")


def test_fixture_enregistree_par_libreoffice(cls, copie_demo: Path) -> None:
    """Le classeur rempli puis enregistré par LibreOffice (tests/tableurs/README.md) :
    formats pourcentage écrits par LibreOffice, formule calculée par LibreOffice."""
    resultat = _importer(cls, TABLEURS / "libreoffice-2024.xlsx", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    texte = _texte_fiche(copie_demo)
    assert "      - annee: 2024\n        valeur: 82.5\n        source: Enquête LO\n" in texte
    assert "      - annee: 2024\n        valeur: 60\n        source: Formule LO\n" in texte
    assert "  - annee: 2024\n    statut: en_cours\n    avancement: 60\n" in texte


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        (
            "11;T;P;2024;indicateur;interventions-information;L;nombre;;;3;;50;S;",
            "l'avancement se saisit sur la ligne « statut »",
        ),
        (
            "11;T;P;2024;statut;;;statut;;;en cours;parce que;;;",
            "« Si pas de valeur : pourquoi » ne s'emploie que pour un indicateur",
        ),
        (
            "11;T;P;2024;indicateur;interventions-information;L;nombre;;;1.234;;;S;",
            "« 1.234 » est ambigu : 1,234 (décimal) ou 1234 (milliers) ? Écrivez 1,2340 pour "
            "le décimal, 1234 pour le nombre entier (colonne « Valeur (ou statut) »)",
        ),
        (
            "11;T;P;2024;statut;;;statut;;;en cours;;0,5;;",
            "avancement « 0,5 » : 0,5 % ou 50 % ? Écrivez-le avec le signe % (par exemple "
            "« 60 % ») (colonne « Avancement (%) »)",
        ),
    ],
)
def test_cellules_contradictoires_ou_douteuses(
    cls, copie_demo: Path, tmp_path: Path, ligne: str, message: str
) -> None:
    _refuse(cls, _csv(tmp_path, [ligne]), copie_demo, "rempli.csv:2: fiche 11 : " + message)


# --- Pièges d'Excel -------------------------------------------------------------------------


def test_formule_sans_valeur_calculee(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        cellule = _cellule(classeur, "11", "interventions-information", "Valeur (ou statut)")
        cellule.value = "=10+2"  # openpyxl n'enregistre pas de valeur calculée

    _refuse(
        cls,
        rempli(remplir),
        copie_demo,
        "feuille « Axe 1 », cellule K",
        "formule « =10+2 » sans valeur calculée",
    )


def test_cellule_en_erreur_refusee(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        cellule = _cellule(classeur, "11", "enquete-satisfaction", "Commentaire")
        cellule.value, cellule.data_type = "#DIV/0!", "e"

    _refuse(cls, rempli(remplir), copie_demo, "cellule O", "erreur de calcul « #DIV/0! »")


def test_feuille_en_plus_ignoree_avec_un_avertissement(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        notes = classeur.create_sheet("Notes")
        notes["A1"], notes["B3"] = "Remarques du porteur", "à relire"
        classeur.create_sheet("Vide")
        _cellule(classeur, "11", "interventions-information", "Valeur (ou statut)").value = 9
        _cellule(classeur, "11", "interventions-information", "Source").value = "S"

    resultat = _importer(cls, rempli(remplir), copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "feuille « Notes » ignorée : ce n'est pas un tableau de collecte" in resultat.output
    assert "Vide" not in resultat.output  # une feuille vide ne cache rien
    assert "valeur: 9\n" in _texte_fiche(copie_demo)


def test_en_tete_descendu_refuse(cls, copie_demo: Path, rempli) -> None:
    """Une ligne de titre insérée au-dessus de l'en-tête : la feuille n'est pas ignorée."""

    def remplir(classeur: Any) -> None:
        feuille = classeur["Axe 3"]
        feuille.insert_rows(1)
        feuille["A1"] = "Collecte 2024 — à rendre avant le 31 janvier"

    _refuse(
        cls,
        rempli(remplir),
        copie_demo,
        "feuille « Axe 3 » : l'en-tête du tableau est à la ligne 2, pas à la ligne 1",
    )


def test_feuille_au_tableau_incomplet_refusee(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        classeur["Axe 2"]["N1"] = "Origine"  # l'en-tête « Source » renommé

    _refuse(cls, rempli(remplir), copie_demo, "feuille « Axe 2 » : colonnes absentes ou renommées")


def test_colonne_en_plus_signalee(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        feuille = classeur["Axe 1"]
        feuille["P1"], feuille["P2"] = "Remarques", "note"

    resultat = _importer(cls, rempli(remplir), copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "Axe 1:1: colonne « Remarques » (P) ignorée" in resultat.output


def test_valeur_hors_des_colonnes_refusee(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        classeur["Axe 1"]["R4"] = 12

    _refuse(
        cls,
        rempli(remplir),
        copie_demo,
        "feuille « Axe 1 », cellule R4 : « 12 » est hors des colonnes du tableau",
    )


def test_cellules_fusionnees_refusees(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        classeur["Axe 1"].merge_cells("K2:K3")

    _refuse(cls, rempli(remplir), copie_demo, "feuille « Axe 1 », cellules K2:K3 fusionnées")


def test_fusion_dans_l_en_tete_toleree(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        classeur["Axe 1"].merge_cells("P1:Q1")

    assert _importer(cls, rempli(remplir), copie_demo).exit_code == 0


def test_lignes_au_dela_de_la_dimension_declaree(cls, copie_demo: Path, rempli) -> None:
    """Une feuille dont <dimension> annonce moins de lignes qu'elle n'en a : tout est lu."""

    def remplir(classeur: Any) -> None:
        feuille = classeur["Axe 1"]
        ligne = [c.value for c in feuille[2]]
        ligne[ENTETES.index("Valeur (ou statut)")] = 5
        ligne[ENTETES.index("Source")] = "Hors dimension"
        feuille.append([None] * len(ENTETES))
        feuille.append(ligne)

    chemin = rempli(remplir)
    with zipfile.ZipFile(chemin) as source:
        parties = {nom: source.read(nom) for nom in source.namelist()}
    feuille = "xl/worksheets/sheet1.xml"
    parties[feuille] = re.sub(
        rb'<dimension ref="[^"]*"', b'<dimension ref="A1:O2"', parties[feuille]
    )
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as cible:
        for nom, octets in parties.items():
            cible.writestr(nom, octets)
    assert load_workbook(chemin, read_only=True)["Axe 1"].max_row == 2
    resultat = _importer(cls, chemin, copie_demo, "--replace")
    assert resultat.exit_code == 0, resultat.output
    assert "source: Hors dimension" in "".join(
        p.read_text("utf-8") for p in (copie_demo / "actions").iterdir()
    )


def test_dates_lues_comme_des_dates(tmp_path: Path) -> None:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.append(ENTETES)
    quand = dt.datetime(2024, 3, 15, 14, 30)
    feuille.append(["11", "T", "P", 2024, "indicateur", "x", "L", "texte", None, None,
                    dt.date(2024, 3, 15), None, None, "S", quand])  # fmt: skip
    chemin = tmp_path / "dates.xlsx"
    classeur.save(chemin)
    (ligne,) = lire(chemin).lignes
    assert ligne.valeurs["valeur"] == "2024-03-15"
    assert ligne.valeurs["commentaire"] == "2024-03-15 14:30:00"
    assert ligne.valeurs["annee"] == "2024" and ligne.nombres["annee"].valeur == 2024


def test_lignes_vides_tolerees(cls, copie_demo: Path, rempli) -> None:
    def remplir(classeur: Any) -> None:
        feuille = classeur["Axe 1"]
        feuille.insert_rows(3, 2)  # deux lignes vides au milieu du tableau
        _cellule(classeur, "11", "interventions-information", "Valeur (ou statut)").value = 9
        _cellule(classeur, "11", "interventions-information", "Source").value = "S"

    resultat = _importer(cls, rempli(remplir), copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "valeur: 9\n" in _texte_fiche(copie_demo)


# --- Classeurs hostiles ---------------------------------------------------------------------


def test_openpyxl_lit_le_xml_par_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


BOMBE = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&i;</t></si></sst>'
)


def _remplacer_partie(chemin: Path, nom: str, octets: bytes) -> None:
    with zipfile.ZipFile(chemin) as source:
        parties = {n: source.read(n) for n in source.namelist()}
    parties[nom] = octets
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as cible:
        for n, o in parties.items():
            cible.writestr(n, o)


@pytest.mark.parametrize("partie", ["xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"])
def test_classeur_a_entites_xml_refuse(cls, copie_demo: Path, rempli, partie: str) -> None:
    chemin = rempli(lambda _classeur: None)
    _remplacer_partie(chemin, partie, BOMBE)
    _refuse(cls, chemin, copie_demo, "classeur Excel illisible ou dangereux")


@pytest.mark.parametrize(
    "contenu",
    [b"PK\x03\x04 tronque", b"pas du tout un zip", b""],
    ids=["zip-tronque", "texte", "vide"],
)
def test_classeur_corrompu_refuse(cls, copie_demo: Path, tmp_path: Path, contenu: bytes) -> None:
    chemin = tmp_path / "abime.xlsx"
    chemin.write_bytes(contenu)
    _refuse(cls, chemin, copie_demo, "ce n'est pas un classeur .xlsx lisible")


def test_chaines_partagees_a_entites_xml_refusees(cls, copie_demo: Path, tmp_path: Path) -> None:
    """Le classeur de LibreOffice range ses textes dans xl/sharedStrings.xml."""
    chemin = tmp_path / "lo.xlsx"
    chemin.write_bytes((TABLEURS / "libreoffice-2024.xlsx").read_bytes())
    _remplacer_partie(chemin, "xl/sharedStrings.xml", BOMBE)
    _refuse(cls, chemin, copie_demo, "classeur Excel illisible ou dangereux")


def test_classeur_aux_parties_manquantes_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    chemin = tmp_path / "incomplet.xlsx"
    with zipfile.ZipFile(chemin, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    _refuse(cls, chemin, copie_demo, "classeur Excel illisible ou dangereux")


def test_bombe_zip_refusee_avant_decompression(tmp_path: Path) -> None:
    chemin = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"\0" * 5_000_000)
    assert chemin.stat().st_size < 100_000
    with pytest.raises(ErreurDonnees, match="anormalement gros une fois décompressé"):
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(decompresse=1_000_000))


def test_limite_de_lignes_xlsx(rempli) -> None:
    chemin = rempli(lambda _classeur: None)
    with pytest.raises(ErreurDonnees, match="plus de 3 lignes au total"):
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(lignes=3))


def test_limite_de_champ_xlsx(rempli) -> None:
    def remplir(classeur: Any) -> None:
        classeur["Axe 1"]["O2"] = "x" * 600

    with pytest.raises(ErreurDonnees, match=r"cellule O2 : 600 caractères \(au plus 500\)"):
        lire_tableau(rempli(remplir), COLONNES, OBLIGATOIRES, Limites(champ=500))


# --- CSV strict -----------------------------------------------------------------------------

LIGNE = "11;T;P;2024;indicateur;interventions-information;L;nombre;;;{};;;Source;{}"


def test_guillemet_egare_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    """Le guillemet ouvrant de la ligne 3 avalerait les lignes suivantes dans un champ."""
    lignes = [
        LIGNE.format("1", ""),
        LIGNE.format("2", '"Note du porteur'),
        LIGNE.format("3", ""),
        LIGNE.format("4", 'fin"'),
    ]
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:3:", "guillemet")


def test_guillemet_jamais_ferme_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [LIGNE.format("1", ""), LIGNE.format("2", '"Note'), LIGNE.format("3", "")]
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:3:", "guillemet")


def test_champ_multiligne_qui_avale_des_lignes(cls, copie_demo: Path, tmp_path: Path) -> None:
    """Même nombre de champs, par hasard : le champ étendu sur 3 lignes est refusé."""
    lignes = [LIGNE.format("1", '"a'), "11;T;P;2024;x", 'b"']
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:2:", "lignes 2 à 4")


def test_commentaire_sur_deux_lignes_accepte(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [LIGNE.format("7", '"première ligne\r\nseconde ligne"')]
    resultat = _importer(cls, _csv(tmp_path, lignes), copie_demo)
    assert resultat.exit_code == 0, resultat.output


@pytest.mark.parametrize("ecart", [";", ";;;", ""])
def test_nombre_de_champs_different_refuse(cls, copie_demo: Path, tmp_path: Path, ecart) -> None:
    ligne = LIGNE.format("1", "") + ecart if ecart else LIGNE.format("1", "").rsplit(";", 1)[0]
    lignes = [LIGNE.format("5", ""), ligne]
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:3:", "champs, l'en-tête 15")


def test_champ_de_200_ko_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [LIGNE.format("1", ""), LIGNE.format("2", "x" * 200_000)]
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:3:", "caractères")


def test_champ_de_40_ko_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [LIGNE.format("2", "x" * 40_000)]
    _refuse(cls, _csv(tmp_path, lignes), copie_demo, "rempli.csv:2:", "au plus 32 767")


def test_limite_de_lignes_csv(tmp_path: Path) -> None:
    chemin = _csv(tmp_path, [LIGNE.format(i, "") for i in range(5)])
    with pytest.raises(ErreurDonnees, match="plus de 3 lignes"):
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(lignes=3))


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_fichier_de_50_mo_refuse_sans_etre_lu(
    cls, copie_demo: Path, tmp_path: Path, extension: str
) -> None:
    chemin = tmp_path / f"enorme.{extension}"
    with chemin.open("wb") as flux:
        flux.write(_csv(tmp_path, [LIGNE.format("1", "")]).read_bytes())
        flux.write(b"x" * 1_000)
        flux.truncate(50_000_000)  # 50 Mo (creux : rien n'est écrit sur le disque)
    tracemalloc.start()
    try:
        avant = _instantane(copie_demo)
        resultat = _importer(cls, chemin, copie_demo)
        _courante, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert resultat.exit_code == 1, resultat.output
    assert "fichier trop gros (50 Mo ; un tableau de collecte fait au plus 20 Mo)" in (
        resultat.output
    )
    assert pic < 100_000_000
    assert _instantane(copie_demo) == avant


def test_csv_vide_refuse(tmp_path: Path) -> None:
    chemin = tmp_path / "vide.csv"
    chemin.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(ErreurDonnees, match="le fichier est vide"):
        lire(chemin)


def test_csv_non_utf8_nomme_sa_ligne(tmp_path: Path) -> None:
    chemin = _csv(tmp_path, [LIGNE.format(i, "") for i in range(3000)])
    with chemin.open("ab") as flux:
        flux.write(LIGNE.format("1", "é").encode("latin-1"))
    with pytest.raises(ErreurDonnees) as exc:
        lire(chemin)
    assert exc.value.probleme.ligne == 3002


def test_en_tete_seul(tmp_path: Path) -> None:
    assert lire(_csv(tmp_path, [])).lignes == []
    flux = io.BytesIO()
    classeur = openpyxl.Workbook()
    classeur.active.append(ENTETES)
    classeur.save(flux)
    (tmp_path / "seul.xlsx").write_bytes(flux.getvalue())
    assert lire(tmp_path / "seul.xlsx").lignes == []


# --- Chaque refus, exact : où, quoi, comment corriger -----------------------------------------

_L = "11;T;P;2024;indicateur;x;L;nombre;;;{};;;S;{}"
_GUILL = (
    "un guillemet (\") ouvre un champ qui n'est jamais fermé : retirez-le, ou doublez-le "
    '("") s\'il fait partie du texte'
)
_SEP = "un « ; » en trop ou en moins, ou " + _GUILL
_COURT = "raccourcissez ce texte"
_GRAND = "un tableau de collecte en compte quelques centaines : vérifiez le fichier"
_MODELE = "repartez du modèle produit par « cls template » sans renommer ses colonnes"


def _ecrit(dossier: Path, nom: str, octets: bytes) -> Path:
    (dossier / nom).write_bytes(octets)
    return dossier / nom


def _csv_brut(dossier: Path, lignes: list[str], fin: bytes = b"") -> Path:
    texte = "\ufeff" + "\r\n".join([";".join(ENTETES), *lignes]) + "\r\n"
    return _ecrit(dossier, "t.csv", texte.encode() + fin)


def _xlsx(dossier: Path, remplir: Callable[[Any], object]) -> Path:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "Axe 1"
    feuille.append(ENTETES)
    feuille.append([11, "T", "P", 2024, "indicateur", "x", "L", "nombre", None, None, 3, None,
                    None, "S", None])  # fmt: skip
    remplir(feuille)
    classeur.save(dossier / "t.xlsx")
    return dossier / "t.xlsx"


def _erreur_k2(feuille: Any) -> None:
    feuille["K2"] = "#N/A"
    feuille["K2"].data_type = "e"


def _entites(dossier: Path) -> Path:
    chemin = _xlsx(dossier, lambda _f: None)
    _remplacer_partie(
        chemin,
        "xl/workbook.xml",
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]><w>&a;</w>',
    )
    return chemin


CAS_REFUSES: dict[str, tuple[Callable[[Path], Path], Limites, tuple[object, ...]]] = {
    "csv-vide": (
        lambda d: _ecrit(d, "t.csv", b"\xef\xbb\xbf\r\n"),
        Limites(),
        (1, 1, "le fichier est vide", "repartez du modèle", "vide"),
    ),
    "csv-latin1": (
        lambda d: _csv_brut(d, [_L.format(1, "")], _L.format(2, "é").encode("latin-1")),
        Limites(),
        (
            3,
            1,
            "le fichier n'est pas en UTF-8 (sans doute en Latin-1/Windows)",
            "dans le tableur, « Enregistrer sous » > « CSV UTF-8 (délimité par des "
            "points-virgules) »",
            "encodage",
        ),
    ),
    "csv-court": (
        lambda d: _csv_brut(d, [_L.format(1, ""), "11;T"]),
        Limites(),
        (3, 1, "la ligne a 2 champs, l'en-tête 15", _SEP, "csv"),
    ),
    "csv-long": (
        lambda d: _csv_brut(d, [_L.format(1, "") + ";;"]),
        Limites(),
        (2, 1, "la ligne a 17 champs, l'en-tête 15", _SEP, "csv"),
    ),
    "csv-avale": (
        lambda d: _csv_brut(d, [_L.format(1, '"a'), "11;T;P", 'b"']),
        Limites(),
        (
            2,
            1,
            "le champ n° 15 s'étend sur les lignes 2 à 4 et contient des « ; » : des lignes y "
            "ont été avalées",
            _GUILL,
            "csv",
        ),
    ),
    "csv-avale-court": (
        lambda d: _csv_brut(d, [_L.format(1, '"a'), "11;T;P", 'b";']),
        Limites(),
        (2, 1, "la ligne a 16 champs, l'en-tête 15 (elle s'étend jusqu'à la ligne 4)", _SEP, "csv"),
    ),  # fmt: skip
    "csv-ouvert": (
        lambda d: _csv_brut(d, [_L.format(1, ""), _L.format(2, '"a')]),
        Limites(),
        (3, 1, "guillemet jamais fermé : le fichier se termine dans ce champ", _GUILL, "csv"),
    ),
    "csv-mal-place": (
        lambda d: _csv_brut(d, [_L.format(1, '"a"b')]),
        Limites(),
        (
            2,
            1,
            "guillemet mal placé : du texte suit le guillemet qui ferme un champ",
            _GUILL,
            "csv",
        ),
    ),
    "csv-champ": (
        lambda d: _csv_brut(d, [_L.format(1, "x" * 11)]),
        Limites(champ=10),
        (2, 1, "le champ n° 15 fait 11 caractères (au plus 10)", _COURT, "csv"),
    ),
    "csv-champ-limite": (
        lambda d: _csv_brut(d, [_L.format(1, ""), _L.format(1, "x" * 140_000)]),
        Limites(),
        (3, 1, "un champ dépasse 32 767 caractères", _COURT, "csv"),
    ),
    "csv-lignes": (
        lambda d: _csv_brut(d, [_L.format(i, "") for i in range(4)]),
        Limites(lignes=3),
        (5, 1, "plus de 3 lignes", _GRAND, "csv"),
    ),
    "csv-gros": (
        lambda d: _csv_brut(d, [_L.format(1, "x" * 2_000)]),
        Limites(octets=1_000),
        (
            1,
            1,
            "fichier trop gros (2 ko ; un tableau de collecte fait au plus 1 ko)",
            "vérifiez que c'est bien le tableau de collecte ; sinon, découpez-le en plusieurs "
            "fichiers importés l'un après l'autre",
            "limite-taille",
        ),
    ),
    "csv-renomme": (
        lambda d: _ecrit(d, "t.csv", ";".join(ENTETES).replace("Source", "Origine").encode()),
        Limites(),
        (1, 1, "colonnes absentes ou renommées : « Source »", _MODELE, "colonnes"),
    ),
    "xlsx-formule": (
        lambda d: _xlsx(d, lambda f: f.__setitem__("K2", "=1+2")),
        Limites(),
        (
            2,
            11,
            "feuille « Axe 1 », cellule K2 : formule « =1+2 » sans valeur calculée",
            "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le (le tableur calcule "
            "alors la formule), ou tapez la valeur à la place de la formule",
            "xlsx",
        ),
    ),
    "xlsx-fusion": (
        lambda d: _xlsx(d, lambda f: f.merge_cells("N2:O3")),
        Limites(),
        (
            2,
            14,
            "feuille « Axe 1 », cellules N2:O3 fusionnées dans la zone de saisie",
            "défusionnez-les (une valeur par ligne et par colonne)",
            "xlsx",
        ),
    ),
    "xlsx-hors-colonnes": (
        lambda d: _xlsx(d, lambda f: f.__setitem__("Q2", "note")),
        Limites(),
        (
            2,
            17,
            "feuille « Axe 1 », cellule Q2 : « note » est hors des colonnes du tableau",
            "déplacez cette valeur dans sa colonne (un commentaire va dans « Commentaire ») ou "
            "effacez-la",
            "xlsx",
        ),
    ),
    "xlsx-erreur": (
        lambda d: _xlsx(d, _erreur_k2),
        Limites(),
        (
            2,
            11,
            "feuille « Axe 1 », cellule K2 : erreur de calcul « #N/A »",
            "corrigez la formule ou tapez la valeur dans le tableur",
            "xlsx",
        ),
    ),
    "xlsx-en-tete-descendu": (
        lambda d: _xlsx(d, lambda f: f.insert_rows(1)),
        Limites(),
        (
            2,
            1,
            "feuille « Axe 1 » : l'en-tête du tableau est à la ligne 2, pas à la ligne 1",
            "supprimez les lignes au-dessus de l'en-tête (le modèle de « cls template » commence "
            "à la ligne 1)",
            "xlsx",
        ),
    ),
    "xlsx-incomplet": (
        lambda d: _xlsx(d, lambda f: f.__setitem__("N1", "Origine")),
        Limites(),
        (
            1,
            1,
            "feuille « Axe 1 » : colonnes absentes ou renommées : « Source »",
            _MODELE,
            "colonnes",
        ),
    ),
    "xlsx-lignes": (
        lambda d: _xlsx(d, lambda f: f.append([1])),
        Limites(lignes=1),
        (3, 1, "feuille « Axe 1 » : plus de 1 lignes au total", _GRAND, "xlsx"),
    ),
    "xlsx-champ": (
        lambda d: _xlsx(d, lambda f: None),
        Limites(champ=5),
        (2, 5, "feuille « Axe 1 », cellule E2 : 10 caractères (au plus 5)", _COURT, "xlsx"),
    ),
    "xlsx-abime": (
        lambda d: _ecrit(d, "t.xlsx", b"PK\x03\x04abc"),
        Limites(),
        (
            1,
            1,
            "ce n'est pas un classeur .xlsx lisible (archive abîmée ou d'un autre format)",
            "ouvrez-le dans votre tableur et enregistrez-le au format .xlsx",
            "xlsx",
        ),
    ),
    "xlsx-entites": (
        _entites,
        Limites(),
        (
            1,
            1,
            "classeur Excel illisible ou dangereux (XML à entités ou DTD refusé : "
            "EntitiesForbidden)",
            "ouvrez-le dans votre tableur et enregistrez-le au format .xlsx, ou repartez du "
            "modèle de « cls template »",
            "xlsx",
        ),
    ),
}


@pytest.mark.parametrize("cas", CAS_REFUSES)
def test_refus_exacts(tmp_path: Path, cas: str) -> None:
    fabriquer, limites, attendu = CAS_REFUSES[cas]
    chemin = fabriquer(tmp_path)
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, limites)
    p = exc.value.probleme
    assert p.chemin == str(chemin)
    assert (p.ligne, p.colonne, p.message, p.correction, p.regle) == attendu


def test_bombe_zip_message_exact(tmp_path: Path) -> None:
    chemin = tmp_path / "t.xlsx"
    with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", b"\0" * 2_000_000)
        archive.writestr("b.xml", b"\0" * 600_000)
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(decompresse=2_000_000))
    p = exc.value.probleme
    assert p.message == (
        "classeur anormalement gros une fois décompressé (3 Mo, 2 parties ; au plus 2 Mo)"
    )
    assert (p.chemin, p.ligne, p.colonne, p.regle) == (str(chemin), 1, 1, "xlsx")
    assert p.correction == (
        "vérifiez que c'est bien le tableau de collecte, enregistré depuis votre tableur"
    )
    with pytest.raises(ErreurDonnees, match="illisible ou dangereux"):  # limite tenue : openpyxl
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(decompresse=2_600_000))


@pytest.mark.parametrize(
    ("nom", "message"),
    [("absent.csv", "le fichier {} n'existe pas"), ("t.ods", "extension « .ods » non gérée")],
)
def test_fichier_absent_ou_autre_format(tmp_path: Path, nom: str, message: str) -> None:
    from cls_cli.erreurs import ErreurUsage

    chemin = tmp_path / nom
    if nom.endswith(".ods"):
        chemin.write_bytes(b"x")
    with pytest.raises(ErreurUsage) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert str(exc.value).startswith(message.format(chemin))


def test_limites_par_defaut() -> None:
    assert Limites() == Limites(
        octets=20_000_000, lignes=100_000, champ=32_767, decompresse=200_000_000
    )


def test_avertissements_exacts(tmp_path: Path) -> None:
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "Axe 1"
    feuille.append([*ENTETES, "Remarques"])
    feuille.append([11, "T", "P", 2024, "indicateur", "x", "L", "nombre", None, None, 0.6, None,
                    None, "S", None, "à voir"])  # fmt: skip
    feuille["K2"].number_format = "0%"
    classeur.create_sheet("Notes")["B2"] = "x"
    classeur.create_sheet("Vide")
    chemin = tmp_path / "t.xlsx"
    classeur.save(chemin)
    lecture = lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert lecture.avertissements == [
        f"{chemin}:Axe 1:1: colonne « Remarques » (P) ignorée : elle n'appartient pas au modèle",
        f"{chemin}: feuille « Notes » ignorée : ce n'est pas un tableau de collecte (aucune "
        "colonne du modèle dans ses premières lignes)",
    ]
    (ligne,) = lecture.lignes
    assert ligne.position == f"{chemin}:Axe 1:2"
    assert ligne.nombres == {
        "fiche": NombreLu(11, False),
        "annee": NombreLu(2024, False),
        "valeur": NombreLu(0.6, True),
    }
    assert ligne.valeurs["valeur"] == "0.6" and ligne.valeurs["fiche"] == "11"
    assert ligne.adresses["valeur"] == "K2" and ligne.adresses["source"] == "N2"
    assert "remarques" not in ligne.valeurs and "manquante" not in ligne.valeurs


@pytest.mark.parametrize("separateur", [";", ",", "\t"])
def test_separateurs_csv(tmp_path: Path, separateur: str) -> None:
    """Le séparateur est celui de l'en-tête ; un champ entre guillemets garde ses retours
    à la ligne (\\r\\n compris) ou ses séparateurs (les deux à la fois : voir csv-avale)."""
    valeurs = ["11", "T", "P", "2024", "indicateur", "x", "L", "nombre", "", "", "1 500", "",
               "", '"S; a, b"', '"ligne 1\r\nligne 2"']  # fmt: skip
    texte = separateur.join(ENTETES) + "\r\n" + separateur.join(valeurs) + "\r\n"
    chemin = _ecrit(tmp_path, "t.csv", ("\ufeff" + texte).encode())
    (ligne,) = lire(chemin).lignes
    assert ligne.position == f"{chemin}:2"
    assert ligne.valeurs["valeur"] == "1 500" and ligne.valeurs["fiche"] == "11"
    assert ligne.valeurs["commentaire"] == "ligne 1\r\nligne 2"
    assert ligne.valeurs["source"] == "S; a, b"
    assert ligne.nombres == {} and ligne.adresses == {}


def _feuille_notes(feuille: Any, ligne_entete: int) -> None:
    """Une feuille « Notes » dont l'en-tête du tableau est à ``ligne_entete``."""
    notes = feuille.parent.create_sheet("Notes")
    for ligne in range(1, ligne_entete):
        notes.cell(ligne, 1, f"note {ligne}")
    for colonne, entete in enumerate(ENTETES, start=1):
        notes.cell(ligne_entete, colonne, entete)


def test_en_tete_cherche_sur_vingt_lignes_seulement(tmp_path: Path) -> None:
    """Un en-tête descendu jusqu'à la ligne 21 (20 lignes sous la ligne 1) est retrouvé et
    refusé ; plus bas, la feuille n'est plus un tableau de collecte : ignorée, signalée."""
    chemin = _xlsx(tmp_path, lambda f: _feuille_notes(f, 21))
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert "feuille « Notes » : l'en-tête du tableau est à la ligne 21, pas à la ligne 1" in str(
        exc.value
    )
    chemin = _xlsx(tmp_path, lambda f: _feuille_notes(f, 22))
    lecture = lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert lecture.avertissements == [
        f"{chemin}: feuille « Notes » ignorée : ce n'est pas un tableau de collecte (aucune "
        "colonne du modèle dans ses premières lignes)",
    ]
    assert [ligne.position for ligne in lecture.lignes] == [f"{chemin}:Axe 1:2"]


def test_tailles_en_ko_et_en_mo() -> None:
    """Les tailles citées dans les refus : le ko sous le mégaoctet, arrondies à l'unité."""
    assert en_mo(2_501) == "3 ko"
    assert en_mo(999_999) == "1000 ko"
    assert en_mo(1_000_000) == "1 Mo"
    assert en_mo(2_500_001) == "3 Mo"
    assert en_entier(100_000) == "100 000"


def test_duree_d_une_cellule_en_texte() -> None:
    """Une cellule au format durée (openpyxl rend un timedelta) est écrite telle quelle."""
    assert texte_date(dt.timedelta(hours=1, minutes=30)) == "1:30:00"
    assert texte_date(dt.datetime(2024, 3, 1, 0, 0)) == "2024-03-01"
    assert texte_date(dt.datetime(2024, 3, 1, 8, 15)) == "2024-03-01 08:15:00"
    assert texte_date(dt.time(8, 15)) == "08:15:00"


def test_cause_nomme_l_erreur_d_origine() -> None:
    """Le refus d'un classeur illisible nomme l'erreur d'origine : la cause explicite,
    sinon celle qui était en cours de traitement, sinon l'erreur elle-même."""
    assert _cause(ValueError("v")) == "ValueError"
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise ValueError("v")  # noqa: B904 - le contexte est ce qu'on veut lire
    except ValueError as exc:
        assert _cause(exc) == "KeyError"
    try:
        try:
            raise KeyError("k")
        except KeyError:
            raise ValueError("v") from OSError("o")
    except ValueError as exc:
        assert _cause(exc) == "OSError"  # la cause explicite passe avant le contexte


def test_guillemet_non_ferme_dans_l_en_tete(tmp_path: Path) -> None:
    """Un guillemet jamais fermé dès la ligne d'en-tête : refus à la ligne 1 (pas une trace)."""
    chemin = _ecrit(tmp_path, "t.csv", ('\ufeff"' + ";".join(ENTETES) + "\r\n").encode())
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    p = exc.value.probleme
    assert (p.ligne, p.regle) == (1, "csv")
    assert p.message == "guillemet jamais fermé : le fichier se termine dans ce champ"


def test_ligne_vide_au_milieu_d_un_csv(tmp_path: Path) -> None:
    """Une ligne vide entre deux lignes remplies est sautée : la suivante est lue, à sa ligne."""
    rangee = ";".join(["11", "T", "P", "2024", "indicateur", "x", "L", "nombre", "", "", "3", "",
                       "", "S", ""])  # fmt: skip
    chemin = _csv_brut(tmp_path, [rangee, "", rangee.replace(";3;", ";4;")])
    lignes = lire_tableau(chemin, COLONNES, OBLIGATOIRES).lignes
    assert [(ligne.position, ligne.valeurs["valeur"]) for ligne in lignes] == [
        (f"{chemin}:2", "3"),
        (f"{chemin}:4", "4"),
    ]


def test_valeur_sous_un_en_tete_vide_refusee(tmp_path: Path) -> None:
    """Un en-tête vide (« ») n'est pas une colonne du modèle : la valeur écrite dessous est
    refusée, nommée, comme sous une cellule d'en-tête absente, jamais ignorée en silence."""

    chemin = _xlsx(tmp_path, lambda feuille: feuille.cell(2, 16, "perdue ?"))
    # openpyxl n'écrit pas une cellule vide : l'en-tête P1 « » est posé dans le XML, comme
    # l'enregistre un tableur quand une cellule contient un texte vide.
    with zipfile.ZipFile(chemin) as source:
        xml = source.read("xl/worksheets/sheet1.xml").decode()
    vide = '<c r="P1" t="inlineStr"><is><t></t></is></c></row>'
    _remplacer_partie(chemin, "xl/worksheets/sheet1.xml", xml.replace("</row>", vide, 1).encode())
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    p = exc.value.probleme
    assert (p.ligne, p.colonne) == (2, 16)
    assert "cellule P2 : « perdue ? » est hors des colonnes du tableau" in p.message
    # Sans rien dessous, l'en-tête vide n'est pas une colonne à signaler.
    chemin_vide = _xlsx(tmp_path, lambda _f: None)
    with zipfile.ZipFile(chemin_vide) as source:
        xml = source.read("xl/worksheets/sheet1.xml").decode()
    _remplacer_partie(
        chemin_vide, "xl/worksheets/sheet1.xml", xml.replace("</row>", vide, 1).encode()
    )
    assert lire_tableau(chemin_vide, COLONNES, OBLIGATOIRES).avertissements == []


def test_refus_citent_le_debut_d_une_longue_valeur(tmp_path: Path) -> None:
    """Un refus cite les 40 premiers caractères d'une valeur hors colonnes, les 60 premiers
    d'une formule sans valeur calculée : assez pour la retrouver, sans noyer le message."""
    texte = "0123456789" * 5
    chemin = _xlsx(tmp_path, lambda feuille: feuille.cell(2, 17, texte))
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert f"cellule Q2 : « {texte[:40]} » est hors" in exc.value.probleme.message
    formule = "=" + "+".join(["1"] * 40)

    def remplir(feuille: Any) -> None:
        feuille["K2"] = formule

    chemin = _xlsx(tmp_path, remplir)
    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(chemin, COLONNES, OBLIGATOIRES)
    assert f"cellule K2 : formule « {formule[:60]} » sans valeur" in exc.value.probleme.message


def test_cellules_vrai_faux_lues_oui_non(tmp_path: Path) -> None:
    """Une case VRAI/FAUX du tableur (booléen) est lue « oui »/« non », pas comme un nombre."""

    def remplir(feuille: Any) -> None:
        feuille["K2"] = True
        feuille.append([11, "T", "P", 2024, "indicateur", "y", "L", "booleen", None, None, False])

    lignes = lire_tableau(_xlsx(tmp_path, remplir), COLONNES, OBLIGATOIRES).lignes
    assert [ligne.valeurs["valeur"] for ligne in lignes] == ["oui", "non"]
    assert all("valeur" not in ligne.nombres for ligne in lignes)
    assert [ligne.adresses["valeur"] for ligne in lignes] == ["K2", "K3"]


def test_nombre_entier_stocke_en_virgule_flottante(tmp_path: Path) -> None:
    """Un tableur stocke souvent 3 comme 3.0 : le texte lu est « 3 », le nombre reste exact."""

    def remplir(feuille: Any) -> None:
        feuille.append([11, "T", "P", 2024, "indicateur", "y", "L", "nombre", None, None, 2.5])

    chemin = _xlsx(tmp_path, remplir)
    # openpyxl écrit 3 ; un autre tableur peut écrire 3.0, qu'openpyxl relit en float.
    with zipfile.ZipFile(chemin) as source:
        xml = source.read("xl/worksheets/sheet1.xml").decode()
    xml, remplacees = re.subn(r'(<c r="K2"[^>]*><v>)3(</v>)', r"\g<1>3.0\2", xml)
    assert remplacees == 1
    _remplacer_partie(chemin, "xl/worksheets/sheet1.xml", xml.encode())
    lignes = lire_tableau(chemin, COLONNES, OBLIGATOIRES).lignes
    assert isinstance(lignes[0].nombres["valeur"].valeur, float)  # bien lu comme 3.0
    assert [ligne.valeurs["valeur"] for ligne in lignes] == ["3", "2.5"]


def test_texte_de_la_longueur_limite_accepte(tmp_path: Path) -> None:
    """La limite de longueur d'une cellule est atteinte, pas dépassée : « indicateur » (10
    caractères) passe avec une limite de 10, pas de 9."""
    chemin = _xlsx(tmp_path, lambda _f: None)
    assert lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(champ=10)).lignes
    with pytest.raises(ErreurDonnees, match="10 caractères"):
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(champ=9))


def test_fusions_de_la_premiere_colonne_refusees_hors_tableau_tolerees(tmp_path: Path) -> None:
    """Une fusion dans la colonne A (« Fiche ») est dans la zone de saisie ; une fusion dans
    une colonne hors du tableau (P) n'y est pas."""

    def fusion(zone: str) -> Callable[[Any], None]:
        def remplir(feuille: Any) -> None:
            feuille.append([11, "T", "P", 2024, "indicateur", "y", "L", "nombre"])
            feuille.merge_cells(zone)

        return remplir

    with pytest.raises(ErreurDonnees) as exc:
        lire_tableau(_xlsx(tmp_path, fusion("A2:A3")), COLONNES, OBLIGATOIRES)
    assert (exc.value.probleme.ligne, exc.value.probleme.colonne) == (2, 1)
    assert "cellules A2:A3 fusionnées" in exc.value.probleme.message
    lecture = lire_tableau(_xlsx(tmp_path, fusion("P2:P3")), COLONNES, OBLIGATOIRES)
    assert len(lecture.lignes) == 2
    # Une fusion sur la seule ligne 2 (B2:C2) est déjà dans la zone de saisie.
    with pytest.raises(ErreurDonnees, match="cellules B2:C2 fusionnées"):
        lire_tableau(_xlsx(tmp_path, fusion("B2:C2")), COLONNES, OBLIGATOIRES)


def test_archive_de_dix_mille_parties_au_plus(tmp_path: Path) -> None:
    """10 000 parties passent la vérification de l'archive (openpyxl la refuse ensuite :
    ce n'est pas un classeur) ; 10 001 sont refusées avant toute lecture."""
    for nombre, message in ((10_000, "illisible ou dangereux"), (10_001, "10 001 parties")):
        chemin = tmp_path / f"{nombre}.xlsx"
        with zipfile.ZipFile(chemin, "w") as archive:
            for i in range(nombre):
                archive.writestr(f"p{i}", b"")
        with pytest.raises(ErreurDonnees, match=message):
            lire_tableau(chemin, COLONNES, OBLIGATOIRES)


@pytest.mark.parametrize("premiere", ["Notes", "Mode d'emploi"])
def test_feuille_etrangere_ou_annexe_avant_le_tableau(tmp_path: Path, premiere: str) -> None:
    """Une feuille étrangère (signalée) ou annexe (passée) placée avant le tableau n'arrête
    pas la lecture : les feuilles suivantes sont lues."""
    chemin = _xlsx(tmp_path, lambda f: f.parent.create_sheet(premiere, 0).append(["texte"]))
    lecture = lire_tableau(chemin, COLONNES, OBLIGATOIRES, feuilles_annexes=("Mode d'emploi",))
    assert [ligne.position for ligne in lecture.lignes] == [f"{chemin}:Axe 1:2"]
    assert len(lecture.avertissements) == (premiere == "Notes")


def test_colonnes_manquantes_toutes_nommees() -> None:
    """Le refus d'un en-tête incomplet nomme chaque colonne manquante, séparées par « , »."""
    entetes = Entetes(Path("t.csv"), [("a", "Alpha"), ("b", "Bêta"), ("c", "Gamma")], {"a", "b"})
    with pytest.raises(ErreurDonnees) as exc:
        entetes.cles(["Gamma"], "feuille « X » : ")
    p = exc.value.probleme
    assert p.message == "feuille « X » : colonnes absentes ou renommées : « Alpha », « Bêta »"
    assert entetes.cles([" alpha ", "BÊTA", None]) == ["a", "b", None]


def test_fichier_de_la_taille_limite_accepte(tmp_path: Path) -> None:
    """La limite de taille est atteinte, pas dépassée : un fichier de N octets passe avec
    une limite de N, pas de N - 1."""
    chemin = _csv_brut(tmp_path, [])
    taille = chemin.stat().st_size
    assert lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(octets=taille)).lignes == []
    with pytest.raises(ErreurDonnees, match="fichier trop gros"):
        lire_tableau(chemin, COLONNES, OBLIGATOIRES, Limites(octets=taille - 1))


def test_fusion_dans_une_colonne_etrangere_entre_deux_colonnes_du_modele(tmp_path: Path) -> None:
    """Une colonne ajoutée au milieu du tableau (F) est hors modèle : y fusionner des
    cellules ne touche pas la zone de saisie, même si la colonne suivante en fait partie."""
    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "Axe 1"
    feuille.append([*ENTETES[:5], "Remarques", *ENTETES[5:]])
    feuille.append([11, "T", "P", 2024, "indicateur", None, "x", "L", "nombre", None, None, 3])
    feuille.append([11, "T", "P", 2024, "indicateur", None, "y", "L", "nombre", None, None, 4])
    feuille.merge_cells("F2:F3")
    classeur.save(tmp_path / "t.xlsx")
    lecture = lire_tableau(tmp_path / "t.xlsx", COLONNES, OBLIGATOIRES)
    assert [ligne.valeurs["valeur"] for ligne in lecture.lignes] == ["3", "4"]
