"""Les sorties de référence de l'évaluation fictive (``cls evaluate report``) et des
bulletins semestriels sur examples/demo. ``make golden`` les régénère (via tests.golden)."""

from __future__ import annotations

from pathlib import Path

from cls_cli.chargement import charger
from cls_cli.rapport_evaluation import construire_evaluation, rendre_evaluation
from cls_cli.regles_evaluations import charger_gouvernance, evaluation_verifiee

DOSSIER = Path(__file__).resolve().parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "data"
EVALUATION = "mi-parcours-2022"
FORMATS = ("md", "html", "json")


def nom(format_: str) -> str:
    return f"evaluation-{EVALUATION}.{format_}"


def rendu(format_: str) -> str:
    ref = charger(DEMO).referentiel
    g = charger_gouvernance(DEMO)
    ev = evaluation_verifiee(ref, g, EVALUATION)
    return rendre_evaluation(construire_evaluation(ref, g, EVALUATION, ev.modele), format_)


def main() -> None:
    DOSSIER.mkdir(exist_ok=True)
    for format_ in FORMATS:
        (DOSSIER / nom(format_)).write_text(rendu(format_), encoding="utf-8")
        print(f"écrit : tests/golden/{nom(format_)}")


if __name__ == "__main__":
    main()
