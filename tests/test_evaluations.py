"""Les évaluations (data/evaluations/) et les réunions des instances (data/instances/) :
forme, références vérifiées par cls validate, situées à la ligne fautive."""

from __future__ import annotations

from pathlib import Path

import pytest

from cls_cli.erreurs import Probleme
from cls_cli.verification import valider

EVALUATION = """\
type: mi-parcours
periode:
  debut: 2020
  fin: 2022
date: 2023-03-01
pilotage:
  - Coordination du CLS
questions:
  - code: EFF-1
    critere: efficacite
    question: Les actions de l'axe 1 ont-elles progressé ?
    portee:
      axes: ["1"]
      objectifs: ["1.1.2"]
      fiches: [5]
    indicateurs:
      - 1/personnes-sensibilisees
    jugement: satisfaisant
  - code: GOU-1
    critere: gouvernance
    question: Le COPIL s'est-il réuni chaque année ?
preconisations:
  - code: P1
    texte: Réunir le COPIL chaque année.
    questions: [GOU-1]
    fiches: [1]
    priorite: haute
"""

INSTANCE = """\
date: 2021-06-15
type: copil
participants:
  - Chartres métropole
decisions:
  - texte: Rapport 2020 validé.
    fiches: [1]
    valide: rapport_annuel
    annee: 2020
"""


def _ecrire(data: Path, nom: str, texte: str) -> Path:
    chemin = data / nom
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(texte, encoding="utf-8")
    return chemin


def _problemes(data: Path, sous: str) -> list[Probleme]:
    return [p for p in valider(data).problemes if f"/{sous}/" in p.chemin.replace("\\", "/")]


@pytest.fixture
def data(copie_demo: Path) -> Path:
    """L'exemple fictif (des fiches avec indicateurs), sans évaluation ni instance."""
    for sous in ("evaluations", "instances"):
        for chemin in (copie_demo / sous).glob("*.yaml") if (copie_demo / sous).is_dir() else []:
            chemin.unlink()
    return copie_demo


def test_evaluation_et_instance_valides(data: Path) -> None:
    _ecrire(data, "evaluations/mi-parcours-2022.yaml", EVALUATION)
    _ecrire(data, "instances/2021-06-15-copil.yaml", INSTANCE)
    assert _problemes(data, "evaluations") == []
    assert _problemes(data, "instances") == []


@pytest.mark.parametrize(
    ("avant", "apres", "ligne", "attendu"),
    [
        ('axes: ["1"]', 'axes: ["9"]', 13, "l'axe « 9 » n'existe pas"),
        ("fiches: [5]", "fiches: [500]", 15, "la fiche 500 n'existe pas"),
        ('objectifs: ["1.1.2"]', 'objectifs: ["1.9.9"]', 14, "l'objectif « 1.9.9 » n'existe pas"),
        (
            "- 1/personnes-sensibilisees",
            "- 1/inconnu",
            17,
            "la fiche 1 n'a pas d'indicateur « inconnu »",
        ),
        ("- 1/personnes-sensibilisees", "- 99/x", 17, "désigne la fiche 99, qui n'existe pas"),
        (
            "jugement: satisfaisant",
            "jugement: excellent",
            18,
            "valeur « excellent » non autorisée pour « questions[1].jugement »",
        ),
        ("  fin: 2022", "  fin: 2027", 4, "l'année 2027 est hors de la période du contrat"),
        ("questions: [GOU-1]", "questions: [GOU-9]", 25, "renvoie à la question « GOU-9 »"),
        ("questions: [GOU-1]", "questions: []", 25, "« preconisations[1].questions » ne doit"),
        ("code: EFF-1", "code: GOU-1", 19, "le code de question « GOU-1 » est déjà utilisé"),
        ("critere: gouvernance", "critere: notoriete", 20, "valeur « notoriete » non autorisée"),
    ],
)
def test_evaluation_erronee(data: Path, avant: str, apres: str, ligne: int, attendu: str) -> None:
    assert avant in EVALUATION
    _ecrire(data, "evaluations/mi-parcours-2022.yaml", EVALUATION.replace(avant, apres, 1))
    problemes = _problemes(data, "evaluations")
    assert len(problemes) == 1, problemes
    p = problemes[0]
    assert attendu in p.message, p.message
    assert (p.chemin.endswith("mi-parcours-2022.yaml"), p.ligne) == (True, ligne)
    assert p.correction


def test_evaluation_sans_question(data: Path) -> None:
    texte = EVALUATION.split("questions:\n  - code: EFF-1")[0] + "questions: []\n"
    _ecrire(data, "evaluations/vide.yaml", texte)
    (p,) = _problemes(data, "evaluations")
    assert "« questions » ne doit pas être vide" in p.message and p.ligne == 8


@pytest.mark.parametrize(
    ("nom", "avant", "apres", "ligne", "attendu"),
    [
        ("2031-06-15-copil.yaml", "2021-06-15", "2031-06-15", 1, "hors de la période du contrat"),
        ("2021-06-15-copil.yaml", "type: copil", "type: conseil", 2, "« conseil » non autorisée"),
        ("2021-06-15-copil.yaml", "fiches: [1]", "fiches: [404]", 7, "la fiche 404 n'existe pas"),
        ("2021-06-16-copil.yaml", "", "", 1, "ne correspond pas à la réunion décrite"),
        ("2021-06-15-copil-restreint.yaml", "", "", 1, "ne correspond pas à la réunion"),
    ],
)
def test_instance_erronee(
    data: Path, nom: str, avant: str, apres: str, ligne: int, attendu: str
) -> None:
    _ecrire(data, f"instances/{nom}", INSTANCE.replace(avant, apres, 1) if avant else INSTANCE)
    problemes = _problemes(data, "instances")
    assert len(problemes) == 1, problemes
    assert attendu in problemes[0].message and problemes[0].ligne == ligne


def test_deux_fichiers_pour_la_meme_reunion(data: Path) -> None:
    _ecrire(data, "instances/2021-06-15-copil.yaml", INSTANCE)
    _ecrire(data, "instances/2021-06-15-copil-bis.yaml", INSTANCE)
    (p,) = _problemes(data, "instances")
    assert "déjà décrite dans 2021-06-15-copil.yaml" in p.message
    assert p.chemin.endswith("2021-06-15-copil-bis.yaml")


def test_copil_restreint_bien_nomme(data: Path) -> None:
    texte = INSTANCE.replace("type: copil", "type: copil_restreint")
    _ecrire(data, "instances/2021-06-15-copil-restreint.yaml", texte)
    _ecrire(data, "instances/2021-06-15-copil.yaml", INSTANCE)  # autre instance, même jour
    assert _problemes(data, "instances") == []


def test_validate_cli_code_1_et_position(cls, data: Path) -> None:
    _ecrire(data, "evaluations/mi-parcours-2022.yaml", EVALUATION.replace("[5]", "[500]"))
    resultat = cls("validate", "--data", data)
    assert resultat.exit_code == 1
    assert "mi-parcours-2022.yaml:15:" in resultat.output
    assert "la fiche 500 n'existe pas" in " ".join(resultat.output.split())


# --- cls show : les décisions des instances sur la fiche -----------------------------------


def _decisions_affichees(sortie: str) -> str:
    """Ce que cls show écrit après « Décisions des instances : », espaces normalisés."""
    return " ".join(sortie.split("Décisions des instances :", 1)[1].split())


def test_show_decisions_de_la_fiche_demo(cls) -> None:
    from tests.conftest import DEMO

    resultat = cls("show", "28", "--data", DEMO)
    assert resultat.exit_code == 0
    assert _decisions_affichees(resultat.output) == (
        "- 2022-09-20, COPIL restreint : L'étude sur la livraison de médicaments est "
        "abandonnée. - 2023-03-15, COPIL : Un avenant remplacera la fiche 28 par une action "
        "sur la mobilité vers les soins. (valide un avenant)"
    )
    groupe = cls("show", "44", "--data", DEMO).output
    assert _decisions_affichees(groupe) == (
        "- 2022-10-04, groupe de travail « Aidants » : Un troisième café des aidants ouvrira "
        "en 2023."
    )
    assert _decisions_affichees(cls("show", "5", "--data", DEMO).output) == "aucune"


def test_show_decisions_par_date_et_fichier_invalide_signale(cls, data: Path) -> None:
    _ecrire(data, "instances/2021-06-15-copil.yaml", INSTANCE)
    plus_tot = INSTANCE.replace("2021-06-15", "2020-12-01").replace(
        "Rapport 2020 validé.", "Lancement."
    )
    _ecrire(
        data,
        "instances/2020-12-01-copil.yaml",
        plus_tot.replace("    valide: rapport_annuel\n    annee: 2020\n", ""),
    )
    resultat = cls("show", "1", "--data", data)
    assert resultat.exit_code == 0 and "Avertissement" not in resultat.output
    assert _decisions_affichees(resultat.output) == (
        "- 2020-12-01, COPIL : Lancement. "
        "- 2021-06-15, COPIL : Rapport 2020 validé. (valide le rapport annuel 2020)"
    )
    # Un fichier invalide n'est pas lu : cls show le dit au lieu de taire ses décisions.
    _ecrire(data, "instances/2022-01-10-copil.yaml", INSTANCE.replace("type: copil", "type: x"))
    resultat = cls("show", "1", "--data", data)
    assert resultat.exit_code == 0
    assert "1 fichier(s) de instances/ ignoré(s)" in " ".join(resultat.output.split())


# --- Gouvernance : réunions par an, participation (JSON de cls evaluate report) ---------


def test_gouvernance_cas_connus() -> None:
    import datetime as dt

    from cls_cli.chargement import charger
    from cls_cli.evaluations import Instance
    from cls_cli.instances import gouvernance
    from tests.conftest import DEMO

    modele = charger(DEMO).referentiel.fiches_valides()[0]
    fiches = [
        modele.model_copy(update={"numero": 1, "porteurs": ["CCAS de Chartres", "MDA"]}),
        modele.model_copy(update={"numero": 2, "porteurs": ["ccas  de CHARTRES"]}),
    ]
    instances = [
        Instance(date=dt.date(2021, 3, 2), type="copil", participants=["CCAS DE CHARTRES"]),
        Instance(date=dt.date(2022, 5, 1), type="cotech", participants=["Autre"]),
        Instance(date=dt.date(2024, 1, 1), type="copil"),  # hors période : ignorée
    ]
    g = gouvernance(instances, None, fiches, 2021, 2022)
    assert [
        (a["annee"], a["copil"], a["cotech"], a["conforme"]) for a in g["reunions_par_annee"]
    ] == [
        (2021, 1, 0, True),
        (2022, 0, 1, False),
    ]
    assert g["annees_sans_copil"] == [2022]
    # Le CCAS écrit de deux façons est un seul porteur, présent ; la MDA est absente.
    assert g["participation"]["porteurs"] == {"presents": 1, "total": 2, "absents": ["MDA"]}
    assert g["participation"]["signataires"] == {"presents": 0, "total": 0, "absents": []}
    assert len(g["reunions"]) == 2
