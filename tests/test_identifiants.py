"""Identifiants de fiche tels que le contrat les écrit (« A2 », « 3.1 ») : le modèle, la
résolution en ligne de commande, les règles de cls validate, cls new --identifiant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from cls_cli.identifiants import (
    FicheInconnue,
    conflit,
    identifiant,
    renumerotation,
    resoudre,
)
from cls_cli.modeles import Fiche
from cls_cli.verification import valider
from tests.conftest import DEMO


@dataclass(frozen=True)
class F:
    numero: int
    identifiant: str | None = None


def nommer(demo: Path, identifiants: dict[int, str]) -> None:
    """Donne à chaque fiche ``numero`` de l'arbre ``demo`` l'identifiant voulu."""
    for numero, ident in identifiants.items():
        (chemin,) = (demo / "actions").glob(f"{numero:02d}-*.yaml")
        texte = chemin.read_text(encoding="utf-8")
        texte = texte.replace(f"numero: {numero}\n", f'numero: {numero}\nidentifiant: "{ident}"\n')
        chemin.write_text(texte, encoding="utf-8")


def garder(demo: Path, numeros: set[int]) -> None:
    """Ne garde que les fiches ``numeros`` (et retire ce qui cite les autres)."""
    import shutil

    for chemin in (demo / "actions").glob("*.yaml"):
        if int(chemin.name[:2]) not in numeros:
            chemin.unlink()
    for dossier in ("avenants", "evaluations", "instances"):
        shutil.rmtree(demo / dossier, ignore_errors=True)


# --- Le modèle ---------------------------------------------------------------------------

BASE = {
    "numero": 3,
    "titre": "t",
    "objectif": "1",
    "porteurs": ["p"],
    "partenaires": [],
    "description": "d",
    "public_cible": [],
    "territoire": "t",
    "calendrier": "non_precise",
    "ressources": "non_precise",
}


@pytest.mark.parametrize("valeur", ["A2", "3.1", "II-2", "a_1", "1/2", "Z" * 20, "7"])
def test_identifiant_valide(valeur: str) -> None:
    assert Fiche.model_validate({**BASE, "identifiant": valeur}).identifiant == valeur


@pytest.mark.parametrize("valeur", ["", "A 2", "-A", ".1", "é1", "Z" * 21, "A2!"])
def test_identifiant_invalide(valeur: str) -> None:
    with pytest.raises(ValidationError):
        Fiche.model_validate({**BASE, "identifiant": valeur})


def test_identifiant_par_defaut_le_numero() -> None:
    assert identifiant(Fiche.model_validate(BASE)) == "3"
    assert identifiant(Fiche.model_validate({**BASE, "identifiant": "B1"})) == "B1"


def test_identifiant_invalide_dit_la_forme(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {1: "A 1"})
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert "01-" in resultat.output and ":3:" in resultat.output
    assert "« identifiant » a une forme invalide ('A 1')" in resultat.output
    assert 'identifiant: "A2" ou "3.1"' in " ".join(resultat.output.split())


# --- La résolution -----------------------------------------------------------------------

FICHES = [F(1, "A1"), F(2, "A2"), F(3, "A10"), F(4)]


@pytest.mark.parametrize(
    ("texte", "numero"),
    [("A2", 2), ("a2", 2), ("  A10 ", 3), ("4", 4), ("1", 1), ("3", 3), (" 04", 4)],
)
def test_resoudre(texte: str, numero: int) -> None:
    assert resoudre(FICHES, texte) == numero


def test_resoudre_inconnu_liste_les_identifiants() -> None:
    with pytest.raises(FicheInconnue) as exc:
        resoudre(FICHES, "B7")
    assert str(exc.value) == ("la fiche « B7 » n'existe pas ; identifiants connus : 4, A1, A2, A10")
    with pytest.raises(FicheInconnue):
        resoudre(FICHES, "9")


def test_resoudre_identifiant_avant_numero() -> None:
    # « 2 » est l'identifiant de la fiche 1 (cls validate refuse que 2 soit aussi un numéro).
    assert resoudre([F(1, "2"), F(5, "B")], "2") == 1


# --- Les règles --------------------------------------------------------------------------


def test_conflits() -> None:
    assert conflit(FICHES, "B1") is None
    assert conflit(FICHES, "a10") == (
        "l'identifiant « a10 » est déjà celui de la fiche n° 3",
        "donnez à chaque fiche un identifiant unique, tel que le contrat l'écrit",
    )
    message, _ = conflit(FICHES, "4") or ("", "")
    assert message == (
        "l'identifiant « 4 » est le numéro d'une autre fiche (« 4 », n° 4) : "
        "« cls show 4 » serait ambigu"
    )
    assert conflit(FICHES, "5") is None


def test_renumerotation() -> None:
    assert renumerotation([F(1), F(2), F(3)]) == {}
    assert renumerotation([F(1, "A1"), F(2, "A2"), F(3, "A10")]) == {}
    assert renumerotation([F(1, "A1"), F(2, "A10"), F(3, "A2")]) == {2: 3, 3: 2}
    assert renumerotation([F(2, "B"), F(5, "A")]) == {2: 5, 5: 2}


def test_validate_identifiant_double_et_ambigu(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {1: "A1", 2: "a1", 3: "5"})
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    lignes = resultat.output.splitlines()
    double = next(ligne for ligne in lignes if "identifiant-double" in ligne)
    assert re.match(
        r".*02-[a-z-]+\.yaml:3:1: .*l'identifiant « a1 » est déjà celui de la fiche n° 1", double
    )
    ambigu = next(ligne for ligne in lignes if "identifiant-ambigu" in ligne)
    assert "03-" in ambigu and ":3:1:" in ambigu
    assert "l'identifiant « 5 » est le numéro d'une autre fiche (« 5 », n° 5)" in ambigu


def test_validate_ordre_naturel(copie_demo: Path, cls) -> None:
    garder(copie_demo, {1, 2, 3})
    nommer(copie_demo, {1: "A1", 2: "A2", 3: "A10"})
    resultat = cls("validate", "--strict", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    nommer_autrement = {2: "A10", 3: "A2"}
    for n in (2, 3):
        (chemin,) = (copie_demo / "actions").glob(f"{n:02d}-*.yaml")
        texte = re.sub(
            r'identifiant: "[^"]+"', f'identifiant: "{nommer_autrement[n]}"', chemin.read_text()
        )
        chemin.write_text(texte)
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 0  # un avertissement, pas une erreur
    avertis = [ligne for ligne in resultat.output.splitlines() if "identifiant-ordre" in ligne]
    assert len(avertis) == 2
    assert "02-" in avertis[0] and ":3:1:" in avertis[0]
    assert (
        "la fiche « A10 » a le n° 2, mais l'ordre naturel de son identifiant lui donne le n° 3"
        in avertis[0]
    )
    assert "renumérotez ces fiches (« A10 » : n° 2 -> 3, « A2 » : n° 3 -> 2)" in avertis[0]
    assert cls("validate", "--strict", "--data", copie_demo).exit_code == 1


def test_demo_sans_identifiant_aucun_probleme_nouveau() -> None:
    from tests.conftest import DATA

    regles = {p.regle for p in valider(DATA).problemes}
    assert not {r for r in regles if r.startswith("identifiant")}


# --- La ligne de commande ----------------------------------------------------------------


@pytest.fixture
def demo_nommee(copie_demo: Path) -> Path:
    nommer(copie_demo, {7: "A2", 12: "B-3.1"})
    return copie_demo


def test_show_par_identifiant_et_par_numero(demo_nommee: Path, cls) -> None:
    for designee in ("A2", "a2", " A2 ", "7"):
        resultat = cls("show", designee, "--data", demo_nommee)
        assert resultat.exit_code == 0, resultat.output
        assert "FICHE ACTION N° A2" in resultat.output
        assert "sport santé" in resultat.output.lower()
    assert "FICHE ACTION N° 8" in cls("show", "8", "--data", demo_nommee).output


def test_show_identifiant_inconnu(demo_nommee: Path, cls) -> None:
    resultat = cls("show", "Z9", "--data", demo_nommee)
    assert resultat.exit_code == 2
    texte = " ".join(resultat.output.split())
    assert "la fiche « Z9 » n'existe pas ; identifiants connus : 1, 2, 3" in texte
    assert ", 42 … (cls list affiche les fiches)" in texte  # 40 au plus
    assert "Traceback" not in resultat.output


def test_list_montre_les_identifiants(demo_nommee: Path, cls) -> None:
    sortie = cls("list", "--data", demo_nommee).output
    lignes = {ligne.split("│")[1].strip() for ligne in sortie.splitlines() if "│" in ligne}
    assert {"A2", "B-3.1", "8"} <= lignes
    assert "7" not in lignes and "12" not in lignes


def test_aide_dit_numero_ou_identifiant(cls) -> None:
    for commande in ("show", "record", "status", "history", "withdraw"):
        aide = " ".join(cls(commande, "--help").output.replace("│", " ").split())
        assert "{fiche}" in aide
        assert "numéro ou identifiant" in aide.lower(), commande


def test_status_et_record_par_identifiant(demo_nommee: Path, cls) -> None:
    resultat = cls("status", "a2", "en_cours", "--year", "2021", "--replace", "--data", demo_nommee)
    assert resultat.exit_code == 0, resultat.output
    (chemin,) = (demo_nommee / "actions").glob("07-*.yaml")
    assert "statut: en_cours" in chemin.read_text()
    assert "Fiche A2" in resultat.output
    resultat = cls("status", "Z9", "en_cours", "--year", "2021", "--data", demo_nommee)
    assert resultat.exit_code == 2
    assert "la fiche « Z9 » n'existe pas" in resultat.output


def test_new_identifiant(demo_nommee: Path, cls) -> None:
    resultat = cls(
        "new",
        "--objectif",
        "1.1.1",
        "--titre",
        "Essai",
        "--identifiant",
        "A3",
        "--data",
        demo_nommee,
    )
    assert resultat.exit_code == 0, resultat.output
    assert "Fiche A3 (n° 57) créée" in resultat.output
    (chemin,) = (demo_nommee / "actions").glob("57-*.yaml")
    assert 'numero: 57\nidentifiant: "A3"\n' in chemin.read_text()
    # Pas encore remplie (« À COMPLÉTER ») : désignée quand même, dite invalide.
    resultat = cls("show", "a3", "--data", demo_nommee)
    assert "la fiche A3 n'existe pas ou n'est pas valide" in resultat.output


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("a2", "l'identifiant « a2 » est déjà celui de la fiche n° 7"),
        ("9", "l'identifiant « 9 » est le numéro d'une autre fiche (« 9 », n° 9)"),
        ("A 3", "identifiant « A 3 » invalide"),
    ],
)
def test_new_identifiant_refuse(demo_nommee: Path, cls, ident: str, message: str) -> None:
    resultat = cls(
        "new",
        "--objectif",
        "1.1.1",
        "--titre",
        "Essai",
        "--identifiant",
        ident,
        "--data",
        demo_nommee,
    )
    assert resultat.exit_code == 2
    assert message in " ".join(resultat.output.split())
    assert not list((demo_nommee / "actions").glob("57-*.yaml"))


# --- Les sorties : rapport, contrat, export -----------------------------------------------


def test_rapport_md_et_html_nomment_les_fiches_par_identifiant(demo_nommee: Path, cls) -> None:
    md = cls("report", "--year", "2021", "--format", "md", "--data", demo_nommee).output
    assert "**Fiche A2 — Encourager le sport santé (sport sur ordonnance)**" in md
    assert "**Fiche 7 —" not in md
    assert "- **Fiche A2** :" in md  # les descriptifs
    html = cls("report", "--year", "2021", "--format", "html", "--data", demo_nommee).output
    assert '<article class="fiche" id="fiche-7">' in html  # l'ancre reste le numéro
    assert "<h5>Fiche A2 — Encourager le sport santé (sport sur ordonnance)</h5>" in html
    assert "<h5>Fiche B-3.1 — " in html


def test_rapport_json_identifiant_seulement_s_il_existe(demo_nommee: Path, cls) -> None:
    import json

    sortie = cls("report", "--year", "2021", "--format", "json", "--data", demo_nommee).output
    actions = {a["numero"]: a for a in json.loads(sortie)["actions"]}
    assert actions[7]["identifiant"] == "A2"
    assert actions[12]["identifiant"] == "B-3.1"
    assert "identifiant" not in actions[8]
    assert list(actions[7])[:3] == ["numero", "identifiant", "titre"]


def test_rapport_json_identifiant_egal_au_numero_absent(copie_demo: Path, cls) -> None:
    import json

    nommer(copie_demo, {8: "8"})
    sortie = cls("report", "--year", "2021", "--format", "json", "--data", copie_demo).output
    propre = cls("report", "--year", "2021", "--format", "json", "--data", DEMO).output
    assert json.loads(sortie)["actions"] == json.loads(propre)["actions"]


def test_export_colonne_identifiant(demo_nommee: Path, cls, tmp_path: Path) -> None:
    import sqlite3

    base = tmp_path / "contrat.sqlite"
    resultat = cls("export", "--format", "sqlite", "-o", base, "--data", demo_nommee)
    assert resultat.exit_code == 0, resultat.output
    with sqlite3.connect(base) as connexion:
        lignes = dict(connexion.execute("SELECT numero, identifiant FROM fiches").fetchall())
        type_ = connexion.execute(
            "SELECT type FROM pragma_table_info('fiches') WHERE name = 'identifiant'"
        ).fetchone()
    assert type_ == ("TEXT",)
    assert lignes[7] == "A2" and lignes[12] == "B-3.1" and lignes[8] == "8"
    assert all(isinstance(v, str) and v for v in lignes.values())
    assert len(lignes) == 56


# --- La campagne : la colonne fiche montre l'identifiant, la lecture accepte les deux ------


def test_campagne_identifiant_dans_le_classeur_et_la_collecte(
    copie_demo: Path, cls, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    nommer(copie_demo, {30: "C7"})
    dossier = tmp_path / "campagne"
    prepare = cls("campaign", "prepare", "--year", "2024", "--data", copie_demo, "-o", dossier)
    assert prepare.exit_code == 0, prepare.output
    classeur = load_workbook(dossier / "adapei-28.xlsx")
    feuille = classeur["Saisie"]
    entetes = [c.value for c in feuille[1]]
    fiches = {feuille.cell(r, 1).value for r in range(2, feuille.max_row + 1)}
    assert fiches == {"C7"}
    for rang in range(2, feuille.max_row + 1):
        code = feuille.cell(rang, entetes.index("Code indicateur") + 1).value
        if code == "personnes-concernees":
            feuille.cell(rang, 1).value = 30  # le numéro est accepté aussi
            feuille.cell(rang, entetes.index("Valeur (ou statut)") + 1).value = 40
        elif code is None:
            feuille.cell(rang, entetes.index("Valeur (ou statut)") + 1).value = "réalisée"
    retours = tmp_path / "retours"
    retours.mkdir()
    classeur.save(retours / "adapei.xlsx")
    collecte = cls("campaign", "collect", "--year", "2024", "--data", copie_demo, retours)
    assert collecte.exit_code == 0, collecte.output
    assert "ADAPEI 28 :\n  Fiche C7, personnes-concernees, 2024 : 40 (ajoutée)" in collecte.stdout
    assert "Fiche C7, suivi, 2024" in collecte.stdout
    (chemin,) = (copie_demo / "actions").glob("30-*.yaml")
    assert "    statut: realisee\n" in chemin.read_text()


def test_tableau_de_collecte_identifiant_ou_numero(demo_nommee: Path, cls, tmp_path: Path) -> None:
    import csv

    modele = tmp_path / "collecte.csv"
    assert cls("template", "--year", "2024", "-o", modele, "--data", demo_nommee).exit_code == 0
    with modele.open(encoding="utf-8-sig", newline="") as flux:
        lignes = list(csv.reader(flux, delimiter=";"))
    entetes = lignes[0]
    colonne_fiche = entetes.index("Fiche")
    assert {ligne[colonne_fiche] for ligne in lignes[1:]} >= {"A2", "B-3.1", "8"}
    valeur = entetes.index("Valeur (ou statut)")
    indicateur = entetes.index("Ligne")
    remplies = []
    for ligne in lignes[1:]:
        if ligne[colonne_fiche] == "A2" and ligne[indicateur] == "statut":
            remplies.append([*ligne[:valeur], "en cours", *ligne[valeur + 1 :]])
    remplies[0][colonne_fiche] = "a2"
    remplies.append(list(remplies[0]))
    remplies[1][colonne_fiche] = "Z9"
    with modele.open("w", encoding="utf-8-sig", newline="") as flux:
        csv.writer(flux, delimiter=";").writerows([entetes, *remplies])
    refuse = cls("import", modele, "--data", demo_nommee)
    assert refuse.exit_code == 1
    assert "la fiche « Z9 » n'existe pas" in refuse.output
    with modele.open("w", encoding="utf-8-sig", newline="") as flux:
        csv.writer(flux, delimiter=";").writerows([entetes, remplies[0]])
    importe = cls("import", modele, "--data", demo_nommee)
    assert importe.exit_code == 0, importe.output
    assert "Fiche A2 : 1 statut" in importe.output


def test_bulletin_et_contrat_nomment_les_fiches_par_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {3: "A-3", 8: "B8"})
    bulletin = cls("bulletin", "--semestre", "2022-S2", "--data", copie_demo).output
    assert "fiche A-3 (" in bulletin and "fiche B8 (" in bulletin
    assert "fiche 3 (" not in bulletin
    contrat = cls("contract", "--at", "2022-12-31", "--data", copie_demo)
    assert contrat.exit_code == 0, contrat.output
    assert "**Fiche A-3** –" in contrat.output and "**Fiche 8** –" not in contrat.output


def test_beaucoup_de_fiches_a_renumeroter_sans_repeter_la_liste(cls, copie_demo: Path) -> None:
    """« B7 » donné à la fiche 40 de la démo (numéros 1 à 56) : l'ordre naturel la met en
    dernier, 17 fiches sont à renuméroter ; chaque avertissement dit le numéro de sa fiche,
    sans répéter toute la liste."""
    (chemin,) = (copie_demo / "actions").glob("40-*.yaml")
    chemin.write_text(
        chemin.read_text(encoding="utf-8").replace(
            "numero: 40\n", 'numero: 40\nidentifiant: "B7"\n'
        ),
        encoding="utf-8",
    )
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    avertis = [ligne for ligne in resultat.output.splitlines() if "identifiant-ordre" in ligne]
    assert len(avertis) == 17
    assert all(
        "17 fiches à renuméroter" in a and "renumérotez ces fiches" not in a for a in avertis
    )
    assert any("la fiche « B7 » a le n° 40" in a and "donnez-lui le n° 56" in a for a in avertis)
