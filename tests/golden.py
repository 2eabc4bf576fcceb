"""Les sorties de référence (golden files) : rendus de examples/demo pour 2021 et 2023,
et sorties de ``cls diff`` de chaque scénario de tests/scenarios_git.py.

``make golden`` (``python -m tests.golden``) les régénère ; relisez le diff avant de
valider. Les tests (tests/test_rapport.py) comparent le rendu courant à ces fichiers.
La date et l'origine sont fixées pour que les fichiers ne changent qu'avec les données,
les calculs ou les gabarits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cls_cli.chargement import charger
from cls_cli.rapport import Origine, construire
from cls_cli.rendu import rendre
from tests import golden_evaluations, scenarios_git

DOSSIER = Path(__file__).resolve().parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "data"
DATE = dt.date(2024, 3, 15)
ORIGINE = Origine(commit="0123456789ab", modifie=False)
CAS = [(annee, format_) for annee in (2021, 2023) for format_ in ("md", "html", "json")]


def nom(annee: int, format_: str) -> str:
    return f"rapport-{annee}.{format_}"


def rendu(annee: int, format_: str) -> str:
    referentiel = charger(DEMO).referentiel
    debut = 2020 if annee == 2023 else None  # 2023 : avec l'évolution depuis 2020
    return rendre(construire(referentiel, annee, DATE, ORIGINE, debut), format_)


def main() -> None:
    DOSSIER.mkdir(exist_ok=True)
    for annee, format_ in CAS:
        (DOSSIER / nom(annee, format_)).write_text(rendu(annee, format_), encoding="utf-8")
        print(f"écrit : tests/golden/{nom(annee, format_)}")
    scenarios_git.main()
    golden_evaluations.main()  # évaluation et bulletins de l'exemple


if __name__ == "__main__":
    main()
