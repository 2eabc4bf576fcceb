"""Refait tests/campagne/libreoffice-caarud-2024.xlsx : un retour réenregistré par LibreOffice.

    .venv/bin/python -m tests.campagne.fabriquer     # demande soffice (paquet libreoffice-calc)

Le classeur 2024 du porteur « CAARUD – Intervenants extérieurs » de l'exemple fictif
(cls campaign prepare) est rempli par openpyxl comme le ferait le porteur (taux 82 % et
avancement 50 % dans des cellules au format pourcentage), puis ouvert et réenregistré au
format .xlsx par LibreOffice :

    soffice --headless --calc --convert-to "xlsx:Calc MS Excel 2007 XML" --outdir SORTIE FICHIER

Le fichier porte alors la feuille cachée, la protection, les formats et la date
d'enregistrement écrits par LibreOffice, et non par openpyxl.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from cls_cli.cli import app

ICI = Path(__file__).resolve().parent
DEMO = ICI.parent.parent / "examples" / "demo" / "data"
NOM = "libreoffice-caarud-2024.xlsx"


def main() -> None:
    from tests.test_campagne import CAARUD, remplir

    with tempfile.TemporaryDirectory() as temp:
        dossier = Path(temp)
        args = [
            "campaign",
            "prepare",
            "--year",
            "2024",
            "--data",
            str(DEMO),
            "-o",
            str(dossier / "c"),
        ]
        resultat = CliRunner().invoke(app, args)
        assert resultat.exit_code == 0, resultat.output
        rempli = remplir(
            dossier / "c" / "caarud-intervenants-exterieurs.xlsx", dossier / NOM, CAARUD
        )
        filtre = "xlsx:Calc MS Excel 2007 XML"
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--calc",
                "--convert-to",
                filtre,
                "--outdir",
                str(dossier / "lo"),
                str(rempli),
            ],
            check=True,
        )
        shutil.copy(dossier / "lo" / NOM, ICI / NOM)


if __name__ == "__main__":
    main()
