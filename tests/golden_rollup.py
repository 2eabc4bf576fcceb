"""Les sorties de référence de ``cls rollup`` : trois copies de examples/demo/ aux titres
différents, consolidées sans ``--year`` (l'année commune, 2023) à la date des golden.

Les copies sont faites dans un dossier temporaire : son chemin est remplacé par
``COPIES`` dans les fichiers (le JSON donne le dossier de chaque contrat).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.golden import DATE, DEMO, DOSSIER

FORMATS = ("md", "html", "json")
#: Les titres des copies, dans un ordre qui n'est pas celui du tri (le rollup trie).
TITRES = ("CLS fictif de Brou", "CLS fictif d'Anet", "CLS fictif de Cloyes")
COPIES = "COPIES"


def copies(dossier: Path) -> list[Path]:
    """Trois copies de l'exemple dans ``dossier``, une par titre de :data:`TITRES`."""
    racines = []
    for i, titre in enumerate(TITRES, 1):
        copie = Path(shutil.copytree(DEMO, dossier / f"contrat-{i}"))
        contrat = copie / "contrat.yaml"
        lignes = contrat.read_text(encoding="utf-8").splitlines(keepends=True)
        lignes = [f"titre: {titre}\n" if x.startswith("titre: ") else x for x in lignes]
        contrat.write_text("".join(lignes), encoding="utf-8")
        racines.append(copie)
    return racines


def rendus() -> dict[str, str]:
    """Le rendu de chaque format, le dossier temporaire remplacé par :data:`COPIES`."""
    from cls_cli.formats_rollup import rendre_rollup
    from cls_cli.rollup import consolider

    with tempfile.TemporaryDirectory() as tmp:
        racines = copies(Path(tmp))
        r = consolider(racines, None, DATE)
        return {f: rendre_rollup(r, f).replace(tmp, COPIES) for f in FORMATS}


def nom(format_: str) -> str:
    return f"rollup-3-copies.{format_}"


def main() -> None:
    for format_, texte in rendus().items():
        (DOSSIER / nom(format_)).write_text(texte, encoding="utf-8")
        print(f"écrit : tests/golden/{nom(format_)}")
