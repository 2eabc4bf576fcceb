"""Les sorties de référence de l'évaluation fictive (``cls evaluate report``) et des
bulletins semestriels sur examples/demo. ``make golden`` les régénère (via tests.golden)."""

from __future__ import annotations

from pathlib import Path

from cls_cli.avenants import avenants_surs
from cls_cli.chargement import charger
from cls_cli.rapport_evaluation import construire_evaluation, rendre_evaluation
from cls_cli.regles_evaluations import charger_gouvernance, evaluation_verifiee

DOSSIER = Path(__file__).resolve().parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "data"
EVALUATION = "mi-parcours-2022"
FORMATS = ("md", "html", "json")
BULLETINS = [(semestre, f) for semestre in ("2021-S2", "2022-S2") for f in ("md", "html")]


def nom(format_: str) -> str:
    return f"evaluation-{EVALUATION}.{format_}"


def rendu(format_: str) -> str:
    ref = charger(DEMO).referentiel
    g = charger_gouvernance(DEMO)
    ev = evaluation_verifiee(ref, g, EVALUATION)
    contenu = construire_evaluation(ref, g, EVALUATION, ev.modele, avenants_surs(DEMO))
    return rendre_evaluation(contenu, format_)


def nom_bulletin(semestre: str, format_: str) -> str:
    return f"bulletin-{semestre}.{format_}"


def rendu_bulletin(semestre: str, format_: str) -> str:
    from cls_cli.bulletin import construire_bulletin, rendre_bulletin

    ref = charger(DEMO).referentiel
    g = charger_gouvernance(DEMO)
    contenu = construire_bulletin(
        ref.fiches_valides(),
        [i.modele for i in g.instances],
        [e.modele for e in g.evaluations],
        ref.contrat.titre if ref.contrat else "",
        semestre,
    )
    return rendre_bulletin(contenu, format_)


def main() -> None:
    DOSSIER.mkdir(exist_ok=True)
    for format_ in FORMATS:
        (DOSSIER / nom(format_)).write_text(rendu(format_), encoding="utf-8")
        print(f"écrit : tests/golden/{nom(format_)}")
    for semestre, format_ in BULLETINS:
        chemin = DOSSIER / nom_bulletin(semestre, format_)
        chemin.write_text(rendu_bulletin(semestre, format_), encoding="utf-8")
        print(f"écrit : tests/golden/{chemin.name}")


if __name__ == "__main__":
    main()
