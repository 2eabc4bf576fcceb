"""cls evaluate new (grille de départ) et cls evaluate report (rapport d'évaluation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from cls_cli.evaluations import CRITERES
from tests import golden_evaluations
from tests.conftest import DEMO
from tests.navigateur import imprimer_pdf, texte_pdf, verifier_a4
from tests.test_cli import SORTIE_DATA


def test_new_ecrit_une_grille_que_validate_accepte(cls, copie_data: Path) -> None:
    resultat = cls(
        "evaluate", "new", "--type", "mi-parcours", "--periode", "2020-2022",
        "--date", "2023-01-10", "--data", copie_data,
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    chemin = copie_data / "evaluations" / "mi-parcours-2022.yaml"
    grille = YAML(typ="safe").load(chemin.read_text(encoding="utf-8"))
    criteres = [q["critere"] for q in grille["questions"]]
    assert set(criteres) == set(CRITERES)  # au moins une question par critère
    efficacite = [q for q in grille["questions"] if q["critere"] == "efficacite"]
    assert [q["portee"] for q in efficacite] == [{"axes": [c]} for c in "1234"]
    assert all(q["jugement"] is None and q["constats"] is None for q in grille["questions"])
    validation = cls("validate", "--data", copie_data)
    assert validation.exit_code == 0
    assert validation.output.split("\n")[-2] == SORTIE_DATA.split("\n")[-2]  # 0 erreur


@pytest.mark.parametrize(
    ("options", "attendu"),
    [
        (["--type", "annuelle", "--periode", "2020-2022"], "type d'évaluation inconnu"),
        (["--type", "finale", "--periode", "2020"], "période invalide"),
        (["--type", "finale", "--periode", "2022-2020"], "finit avant de commencer"),
        (["--type", "finale", "--periode", "2019-2026"], "sort de celle du contrat"),
    ],
)
def test_new_usages_invalides(cls, copie_data: Path, options: list[str], attendu: str) -> None:
    resultat = cls("evaluate", "new", *options, "--data", copie_data)
    assert resultat.exit_code == 2
    assert attendu in " ".join(resultat.output.split())
    assert not (copie_data / "evaluations").exists()


def test_new_ne_remplace_pas_une_evaluation(cls, copie_demo: Path) -> None:
    chemin = copie_demo / "evaluations" / "mi-parcours-2022.yaml"
    avant = chemin.read_text(encoding="utf-8")
    resultat = cls(
        "evaluate", "new", "--type", "mi-parcours", "--periode", "2020-2022", "--data", copie_demo
    )
    assert resultat.exit_code == 2 and "existe déjà" in resultat.output
    assert chemin.read_text(encoding="utf-8") == avant


@pytest.mark.parametrize("format_", golden_evaluations.FORMATS)
def test_rapport_evaluation_de_reference(format_: str) -> None:
    attendu = (golden_evaluations.DOSSIER / golden_evaluations.nom(format_)).read_text("utf-8")
    assert golden_evaluations.rendu(format_) == attendu, (
        "le rapport d'évaluation a changé : si c'est voulu, lancez « make golden » et relisez"
    )


def _json(cls, *args: object) -> dict:
    resultat = cls(*args)
    assert resultat.exit_code == 0, resultat.output
    return json.loads(resultat.output)


def test_preuves_egales_au_rapport_annuel(cls) -> None:
    """Les chiffres d'une question valent ceux de cls report --year 2022 pour la même portée."""
    ev = _json(cls, "evaluate", "report", "mi-parcours-2022", "-f", "json", "--data", DEMO)
    annuel = _json(cls, "report", "--year", "2022", "--format", "json", "--data", DEMO)
    questions = {q["code"]: q for c in ev["criteres"] for q in c["questions"]}
    contrat, axe1 = questions["PER-1"]["preuves"], questions["EFF-1"]["preuves"]
    for cle in ("avancement", "couverture", "abandonnees", "non_renseignees", "completude"):
        assert contrat[cle] == annuel["contrat"][cle], cle
        assert axe1[cle] == annuel["axes"][0][cle], cle
    for cle in ("statuts", "en_retard", "hors_delai", "completude_detail"):
        assert contrat[cle] == annuel["contrat"][cle], cle
    assert contrat["evolution"][-1]["avancement"] == annuel["contrat"]["avancement"]
    actions = {a["numero"]: a for a in annuel["actions"]}
    for question in ("EFF-1", "EFF-2", "EFF-3"):
        for ind in questions[question]["preuves"]["indicateurs"]:
            dans_annuel = next(
                i for i in actions[ind["fiche"]]["indicateurs"] if i["code"] == ind["code"]
            )
            assert (ind["valeur"], ind["atteinte"]) == (
                dans_annuel["valeur"],
                dans_annuel["atteinte"],
            )
    # Le cas connu de l'exemple : fiche 1, 450 + 600 + 650 = 1 700 pour une cible de 1 200.
    (ind1,) = questions["EFF-1"]["preuves"]["indicateurs"]
    # 1 700 pour une cible de 1 200 : l'atteinte n'est pas bornée (ticket 18).
    assert (ind1["valeur"], ind1["atteinte"]) == (1700, pytest.approx(1700 / 1200 * 100))


@pytest.mark.parametrize("annee", [2020, 2021, 2022])
def test_preuves_de_chaque_annee_egales_au_rapport_de_l_annee(cls, annee: int) -> None:
    """Chaque année de la période, les preuves ne comptent que les fiches en vigueur cette
    année-là, comme cls report --year : les fiches 55 et 56, ajoutées par l'avenant n° 1
    (10 mars 2022), ne pèsent pas sur 2020 ni 2021."""
    ev = _json(cls, "evaluate", "report", "mi-parcours-2022", "-f", "json", "--data", DEMO)
    annuel = _json(cls, "report", "--year", str(annee), "--format", "json", "--data", DEMO)
    questions = {q["code"]: q for c in ev["criteres"] for q in c["questions"]}
    axes = {a["code"]: a for a in annuel["axes"]}
    comparees = [(q, annuel["contrat"]) for q in questions.values() if q["portee"]["contrat"]]
    comparees += [
        (q, axes[q["portee"]["axes"][0]])
        for q in questions.values()
        if q["portee"] == {"contrat": False, "axes": q["portee"]["axes"][:1], "objectifs": [],
                           "fiches": []} and q["portee"]["axes"]
    ]  # fmt: skip
    assert {q["code"] for q, _ in comparees} >= {"PER-1", "EFF-1", "EFF-4"}
    for question, attendu in comparees:
        code = question["code"]
        (point,) = (p for p in question["preuves"]["evolution"] if p["annee"] == annee)
        assert point["avancement"] == attendu["avancement"], (code, annee)
        assert point["completude"] == attendu["completude"], (code, annee)
    if annee == 2022:
        assert {55, 56} <= set(questions["PER-1"]["preuves"]["fiches"])


def test_questions_sans_jugement_listees(cls, copie_demo: Path) -> None:
    chemin = copie_demo / "evaluations" / "mi-parcours-2022.yaml"
    texte = chemin.read_text(encoding="utf-8")
    chemin.write_text(texte.replace("    jugement: insuffisant\n", ""), encoding="utf-8")
    ev = _json(cls, "evaluate", "report", "mi-parcours-2022", "-f", "json", "--data", copie_demo)
    assert ev["sans_jugement"] == ["EFF-4", "EFN-1", "GOU-2"]
    md = cls("evaluate", "report", "mi-parcours-2022", "--data", copie_demo).output
    assert "**Questions sans jugement (3) : EFF-4, EFN-1, GOU-2.**" in md
    assert "#### EFN-1 — " in md  # la question reste dans le rapport


def test_report_erreurs(cls, copie_demo: Path, tmp_path: Path) -> None:
    inconnue = cls("evaluate", "report", "finale-2025", "--data", copie_demo)
    assert inconnue.exit_code == 2
    assert "disponibles : mi-parcours-2022" in " ".join(inconnue.output.split())
    assert cls("evaluate", "report", "mi-parcours-2022", "-f", "pdf", "--data", DEMO).exit_code == 2
    chemin = copie_demo / "evaluations" / "mi-parcours-2022.yaml"
    texte = chemin.read_text(encoding="utf-8").replace("fiches: [28]", "fiches: [280]")
    chemin.write_text(texte, encoding="utf-8")
    fausse = cls("evaluate", "report", "mi-parcours-2022", "--data", copie_demo)
    assert fausse.exit_code == 1 and "Traceback" not in fausse.output
    assert "mi-parcours-2022.yaml:" in fausse.output and "la fiche 280" in fausse.output
    chemin.write_text("type: mi-parcours\nquestions: 3\n", encoding="utf-8")
    illisible = cls("evaluate", "report", "mi-parcours-2022", "--data", copie_demo)
    assert illisible.exit_code == 1 and "mi-parcours-2022.yaml:" in illisible.output
    sortie = tmp_path / "ev.html"
    ecrit = cls("evaluate", "report", "mi-parcours-2022", "-o", sortie, "--data", DEMO)
    assert ecrit.exit_code == 0 and sortie.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_synthese_lisible_en_noir_et_blanc() -> None:
    html = golden_evaluations.rendu("html")
    assert '<span class="j j-insuffisant">✘ insuffisant</span>' in html
    assert "Faits de gouvernance (2020-2022)" in html


def test_html_evaluation_imprime_en_pdf_a4(tmp_path: Path) -> None:
    lecteur = verifier_a4(imprimer_pdf(golden_evaluations.rendu("html"), tmp_path))
    texte = texte_pdf(lecteur)
    for titre in ("1. Méthode et calendrier", "3. Synthèse", "4. Préconisations"):
        assert titre in texte


def test_report_liste_les_avenants_de_la_periode(cls) -> None:
    """L'évaluation 2020-2022 de l'exemple cite l'avenant n° 1 (10 mars 2022, fiches 55 et
    56 ajoutées), pas l'avenant n° 2 (15 juin 2023), en JSON, Markdown et HTML."""
    ev = _json(cls, "evaluate", "report", "mi-parcours-2022", "-f", "json", "--data", DEMO)
    assert [(a["numero"], a["date"], a["ajoutees"], a["retirees"]) for a in ev["avenants"]] == [
        (1, "2022-03-10", [55, 56], [])
    ]
    for format_ in ("md", "html"):
        texte = cls("evaluate", "report", "mi-parcours-2022", "-f", format_, "--data", DEMO).output
        assert "Avenant n° 1 du 10 mars 2022" in texte and "55, 56" in texte, format_
        assert "Avenant n° 2" not in texte, format_


def test_avenants_de_la_periode_bornes_et_retraits() -> None:
    """Cas fait main : seuls les avenants datés de la période comptent (bornes comprises),
    avec leurs fiches retirées et leur motif ; un avenant décidé garde signe: false."""
    import datetime as dt

    from cls_cli.avenants import Avenant, Changement
    from cls_cli.en_vigueur import avenants_de_la_periode

    def avenant(numero: int, date: str, signe: bool, *changements: Changement) -> Avenant:
        return Avenant(
            numero=numero, date=dt.date.fromisoformat(date), signe=signe,
            decision="COPIL", motif=f"motif {numero}", changements=list(changements),
        )  # fmt: skip

    avenants = [
        avenant(1, "2019-12-31", True, Changement(type="fiche_ajoutee", fiche=7)),
        avenant(2, "2020-01-01", True, Changement(type="fiche_ajoutee", fiche=8)),
        avenant(3, "2022-12-31", False, Changement(type="fiche_retiree", fiche=3, motif="fini")),
        avenant(4, "2023-01-01", True, Changement(type="fiche_retiree", fiche=4, motif="x")),
    ]
    assert avenants_de_la_periode(avenants, 2020, 2022) == [
        {"numero": 2, "date": "2020-01-01", "signe": True, "motif": "motif 2",
         "ajoutees": [8], "retirees": []},
        {"numero": 3, "date": "2022-12-31", "signe": False, "motif": "motif 3",
         "ajoutees": [], "retirees": [{"fiche": 3, "motif": "fini"}]},
    ]  # fmt: skip
    assert avenants_de_la_periode([], 2020, 2022) == []
