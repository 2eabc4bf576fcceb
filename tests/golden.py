"""Les sorties de référence (golden files) : rendus de examples/demo pour 2021 et 2023,
sorties de ``cls diff`` de chaque scénario de tests/scenarios_git.py, et ``cls rollup``
de trois copies de l'exemple (tests/golden_rollup.py).

``make golden`` (``python -m tests.golden``) les régénère ; relisez le diff avant de
valider. Les tests (tests/test_rapport.py) comparent le rendu courant à ces fichiers.
La date et l'origine sont fixées pour que les fichiers ne changent qu'avec les données,
les calculs ou les gabarits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cls_cli.avenants import charger_avenants
from cls_cli.chargement import charger
from cls_cli.contrat_consolide import contrat_le
from cls_cli.depot import Origine
from cls_cli.formats_avenants import rendre_contrat
from cls_cli.rapport import construire
from cls_cli.regles_evaluations import instances_enregistrees
from cls_cli.rendu import rendre
from tests import golden_evaluations, scenarios_git

DOSSIER = Path(__file__).resolve().parent / "golden"
DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo" / "data"
DATE = dt.date(2024, 3, 15)
ORIGINE = Origine(commit="0123456789ab", modifie=False)
CAS = [(annee, format_) for annee in (2021, 2023) for format_ in ("md", "html", "json")]
#: ``cls contract --at`` : avant, entre et après les deux avenants de l'exemple.
CAS_CONTRAT = [
    ("2021-06-30", "md"),
    ("2022-06-30", "md"),
    ("2023-07-01", "md"),
    ("2023-07-01", "html"),
]


def nom(annee: int, format_: str) -> str:
    return f"rapport-{annee}.{format_}"


def rendu(annee: int, format_: str) -> str:
    referentiel = charger(DEMO).referentiel
    debut = 2020 if annee == 2023 else None  # 2023 : avec l'évolution depuis 2020
    avenants = charger_avenants(DEMO).valides()
    instances = instances_enregistrees(DEMO)
    contenu = construire(
        referentiel, annee, DATE, ORIGINE, debut, avenants=avenants, instances=instances
    )
    return rendre(contenu, format_)


def nom_contrat(date: str, format_: str) -> str:
    return f"contrat-{date}.{format_}"


def rendu_contrat(date: str, format_: str) -> str:
    contenu = contrat_le(
        charger(DEMO).referentiel, charger_avenants(DEMO).valides(), dt.date.fromisoformat(date)
    )
    return rendre_contrat(contenu, format_)


def main() -> None:
    DOSSIER.mkdir(exist_ok=True)
    for annee, format_ in CAS:
        (DOSSIER / nom(annee, format_)).write_text(rendu(annee, format_), encoding="utf-8")
        print(f"écrit : tests/golden/{nom(annee, format_)}")
    for date, format_ in CAS_CONTRAT:
        fichier = DOSSIER / nom_contrat(date, format_)
        fichier.write_text(rendu_contrat(date, format_), encoding="utf-8")
        print(f"écrit : tests/golden/{fichier.name}")
    scenarios_git.main()
    golden_evaluations.main()  # évaluation et bulletins de l'exemple
    from tests import golden_rollup

    golden_rollup.main()  # cls rollup de trois copies de l'exemple


if __name__ == "__main__":
    main()
