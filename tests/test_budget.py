"""Le budget déclaré par les fiches (``ressources.budget``), sommé par objectif, axe et
contrat, avec le nombre de fiches qui n'en donnent pas ; jamais 0 inventé."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cls_cli.chargement import FicheChargee, Referentiel
from cls_cli.modele_rapport import Rapport
from cls_cli.rapport import Origine, construire
from cls_cli.rendu import rendre
from tests import golden
from tests.test_calculs import fiche
from tests.test_sources import AXES


def _rapport(budgets: list[Any]) -> Rapport:
    fiches = [
        fiche(
            i,
            suivi=[{"annee": 2021, "statut": "en_cours"}],
            ressources={"texte": "—", **({"budget": b} if b is not None else {})},
        )
        for i, b in enumerate(budgets, start=1)
    ]
    ref = Referentiel(
        Path("."),
        axes=AXES,
        fiches=[FicheChargee(Path(f"{f.numero:02d}.yaml"), None, f) for f in fiches],
    )
    return construire(ref, 2021, dt.date(2022, 1, 1), Origine(None, False))


def test_sommes_et_fiches_sans_budget() -> None:
    r = _rapport([1000, 2500.5, None])
    for groupe in (
        r.contrat,
        r.axes[0],
        r.axes[0].objectifs[0],
        r.axes[0].objectifs[0].objectifs[0],
    ):
        assert groupe.budget.model_dump() == {"montant": 3500.5, "avec": 2, "sans": 1}


def test_sans_budget_declare_pas_de_montant() -> None:
    r = _rapport([None, None])
    assert r.contrat.budget.model_dump() == {"montant": None, "avec": 0, "sans": 2}
    for format_ in ("md", "html"):
        assert "aucune fiche ne déclare de budget" in rendre(r, format_)


@pytest.mark.parametrize(
    ("budgets", "texte"),
    [
        ([1500], "1 500 €, déclaré par 1 fiche sur 1"),
        ([1500, None], "1 500 €, déclaré par 1 fiche sur 2 ; 1 sans budget"),
        ([1500, 500, None, None], "2 000 €, déclaré par 2 fiches sur 4 ; 2 sans budget"),
    ],
)
def test_texte_du_budget(budgets: list[Any], texte: str) -> None:
    r = _rapport(budgets)
    for format_ in ("md", "html"):
        lisible = " ".join(re.sub(r"<[^>]+>|\*\*|\|", " ", rendre(r, format_)).split())
        assert f"Contrat {texte}" in lisible, format_
        assert f"Budget déclaré : {texte}." in lisible, format_  # objectifs


def test_budget_de_l_exemple_calcule_a_la_main() -> None:
    """Les budgets de l'exemple, relus des YAML sans le cœur."""
    attendu: dict[str, list[float]] = {}
    sans: dict[str, int] = {}
    numeros = {a["numero"]: a["axe"] for a in json.loads(golden.rendu(2023, "json"))["actions"]}
    for chemin in sorted((golden.DEMO / "actions").glob("*.yaml")):
        numero = int(chemin.name.split("-", 1)[0])
        if numero not in numeros:
            continue
        trouve = re.search(r"^  budget: ([\d.]+)$", chemin.read_text(encoding="utf-8"), re.M)
        axe = numeros[numero]
        if trouve:
            attendu.setdefault(axe, []).append(float(trouve.group(1)))
        else:
            sans[axe] = sans.get(axe, 0) + 1
    r = json.loads(golden.rendu(2023, "json"))
    for axe in r["axes"]:
        montants = attendu.get(axe["code"], [])
        assert axe["budget"] == {
            "montant": sum(montants) if montants else None,
            "avec": len(montants),
            "sans": sans.get(axe["code"], 0),
        }
