"""Refait tests/tableurs/libreoffice-2024.xlsx : un tableau de collecte enregistré par LibreOffice.

    .venv/bin/python -m tests.tableurs.fabriquer     # demande soffice (paquet libreoffice-calc)

Le modèle 2024 de l'exemple fictif (cls template) est rempli par openpyxl comme le ferait un
porteur (taux 82,5 % et avancement 60 % tapés dans des cellules au format pourcentage, une
formule =50+10), puis ouvert et réenregistré au format .xlsx par LibreOffice : le fichier
porte alors les formats, les chaînes partagées et la valeur calculée de la formule écrits
par LibreOffice, et non par openpyxl.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from cls_cli.cli import app

ICI = Path(__file__).resolve().parent
DEMO = ICI.parent.parent / "examples" / "demo" / "data"


def _cellule(classeur: Any, fiche: str, ligne: str, colonne: str) -> Any:
    for feuille in classeur.worksheets:
        entetes = [c.value for c in feuille[1]]
        for rangee in feuille.iter_rows(min_row=2):
            cellules = dict(zip(entetes, rangee, strict=False))
            code = cellules["Code indicateur"].value or cellules["Ligne"].value
            if str(cellules["Fiche"].value) == fiche and code == ligne:
                return cellules[colonne]
    raise LookupError((fiche, ligne))


def main() -> None:
    with tempfile.TemporaryDirectory() as dossier:
        modele = Path(dossier) / "modele.xlsx"
        resultat = CliRunner().invoke(
            app, ["template", "--year", "2024", "-o", str(modele), "--data", str(DEMO)]
        )
        assert resultat.exit_code == 0, resultat.output
        classeur = load_workbook(modele)
        taux = _cellule(classeur, "11", "enquete-satisfaction", "Valeur (ou statut)")
        taux.value, taux.number_format = 0.825, "0.0%"
        _cellule(classeur, "11", "enquete-satisfaction", "Source").value = "Enquête LO"
        formule = _cellule(classeur, "11", "interventions-information", "Valeur (ou statut)")
        formule.value = "=50+10"
        _cellule(classeur, "11", "interventions-information", "Source").value = "Formule LO"
        _cellule(classeur, "11", "statut", "Valeur (ou statut)").value = "en cours"
        avancement = _cellule(classeur, "11", "statut", "Avancement (%)")
        avancement.value, avancement.number_format = 0.6, "0%"
        rempli = Path(dossier) / "entree" / "libreoffice-2024.xlsx"
        rempli.parent.mkdir()
        classeur.save(rempli)
        sortie = Path(dossier) / "sortie"
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{dossier}/profil",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(sortie), str(rempli)],
            check=True,
        )  # fmt: skip
        shutil.copy(sortie / rempli.name, ICI / rempli.name)
    print(f"écrit : {ICI / rempli.name}")


if __name__ == "__main__":
    main()
