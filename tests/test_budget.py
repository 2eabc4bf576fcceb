"""Le budget déclaré par les fiches (``ressources.budget``) et leurs dépenses annuelles
(``depenses``), sommés par objectif, axe et contrat, avec le nombre de fiches qui n'en
donnent pas ; jamais 0 inventé."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

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
        b = groupe.budget
        assert (b.montant, b.avec, b.sans) == (3500.5, 2, 1)


def test_sans_budget_declare_pas_de_montant() -> None:
    r = _rapport([None, None])
    b = r.contrat.budget
    assert (b.montant, b.avec, b.sans) == (None, 0, 2)
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
        assert f"Budget déclaré : {texte} ; dépenses : non déclarées." in lisible, format_


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
        assert (axe["budget"]["montant"], axe["budget"]["avec"], axe["budget"]["sans"]) == (
            sum(montants) if montants else None,
            len(montants),
            sans.get(axe["code"], 0),
        )


def _espaces(texte: str) -> str:
    """Le texte avec des espaces simples (les montants ont des espaces insécables)."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def _avec_depenses(depenses: list[list[dict[str, Any]]], annee: int) -> Rapport:
    fiches = [
        fiche(i, suivi=[{"annee": 2021, "statut": "en_cours"}], depenses=d)
        for i, d in enumerate(depenses, start=1)
    ]
    ref = Referentiel(
        Path("."),
        axes=AXES,
        fiches=[FicheChargee(Path(f"{f.numero:02d}.yaml"), None, f) for f in fiches],
    )
    return construire(ref, annee, dt.date(2022, 1, 1), Origine(None, False))


DEPENSES = [
    [{"annee": 2020, "montant": 100}, {"annee": 2021, "montant": 50.5}],
    [{"annee": 2021, "montant": 0}],  # zéro déclaré : compté, et écrit 0 €
    [],  # rien de déclaré : jamais compté pour zéro
    [{"annee": 2022, "montant": 7}],  # après l'année du rapport : pas encore compté
]


@pytest.mark.parametrize(
    ("annee", "attendu"),
    [
        # (cumul, fiches avec, sans, dépense de l'année, fiches sans dépense de l'année)
        (2020, (100, 1, 3, 100, 3)),
        (2021, (150.5, 2, 2, 50.5, 2)),
        (2022, (157.5, 3, 1, 7, 3)),
    ],
)
def test_depenses_cumul_et_annee(annee: int, attendu: tuple[Any, ...]) -> None:
    r = _avec_depenses(DEPENSES, annee)
    for groupe in (r.contrat, r.axes[0], r.axes[0].objectifs[0].objectifs[0]):
        b = groupe.budget
        assert (
            b.depense_cumulee, b.avec_depenses, b.sans_depenses, b.depense_annee,
            b.sans_depense_annee,
        ) == attendu  # fmt: skip
    actions = {a.numero: a for a in r.actions}
    assert actions[3].depense_cumulee is None and actions[3].depenses == []


def test_depenses_non_declarees_jamais_zero() -> None:
    r = _avec_depenses([[], []], 2021)
    assert (r.contrat.budget.depense_cumulee, r.contrat.budget.depense_annee) == (None, None)
    for format_ in ("md", "html"):
        lisible = " ".join(re.sub(r"<[^>]+>|\*\*|\|", " ", rendre(r, format_)).split())
        assert "Contrat aucune fiche ne déclare de budget non déclarées" in lisible, format_
        assert "0 €" not in lisible
    zero = _avec_depenses([[{"annee": 2021, "montant": 0}], []], 2021)
    md = _espaces(rendre(zero, "md"))
    assert "0 € jusqu'à 2021, dont 0 € en 2021 ; 1 sans dépense déclarée" in md
    assert "- Budget : non déclaré ; dépenses : 0 € jusqu'à 2021 (2021 : 0 €)" in md


def test_depenses_de_l_exemple_sur_chaque_fiche() -> None:
    """Fiche 4 : 3 000 € en 2020 et 5 500 € en 2021 ; fiche 31 : rien de déclaré en 2022."""
    md = _espaces(golden.rendu(2021, "md"))
    assert (
        "- Budget : 16 000 € ; dépenses : 8 500 € jusqu'à 2021 (2020 : 3 000 €, 2021 : 5 500 €)"
        in md
    )
    md22 = _espaces(golden.rendu(2022, "md"))
    assert (
        "- Budget : 250 000 € ; dépenses : 60 000 € jusqu'à 2022 (2021 : 60 000 €), "
        "non déclarées en 2022" in md22
    )
    r = json.loads(golden.rendu(2023, "json"))
    (f31,) = (a for a in r["actions"] if a["numero"] == 31)
    assert (f31["budget"], f31["depense_cumulee"], f31["depense_annee"]) == (250000, 155000, 95000)


@pytest.mark.parametrize("annee", [2021, 2023])
def test_depenses_de_l_exemple_recalculees_depuis_le_yaml(annee: int) -> None:
    """Les dépenses de l'exemple, relues des YAML sans le cœur, par axe et pour le contrat."""
    lecteur = YAML(typ="safe")
    r = json.loads(golden.rendu(annee, "json"))
    axes = {a["numero"]: a["axe"] for a in r["actions"]}  # les fiches en vigueur
    cumul: dict[str, float] = {}
    de_l_annee: dict[str, float] = {}
    avec: dict[str, set[int]] = {}
    for chemin in sorted((golden.DEMO / "actions").glob("*.yaml")):
        donnees = lecteur.load(chemin.read_text(encoding="utf-8"))
        if donnees["numero"] not in axes:
            continue
        axe = axes[donnees["numero"]]
        for d in donnees.get("depenses", []):
            if d["annee"] <= annee:
                cumul[axe] = cumul.get(axe, 0) + d["montant"]
                avec.setdefault(axe, set()).add(donnees["numero"])
            if d["annee"] == annee:
                de_l_annee[axe] = de_l_annee.get(axe, 0) + d["montant"]
    assert sum(cumul.values()) > 0 and sum(de_l_annee.values()) > 0  # l'exemple en déclare
    for axe in r["axes"]:
        b = axe["budget"]
        assert b["depense_cumulee"] == cumul.get(axe["code"]), axe["code"]
        assert b["depense_annee"] == de_l_annee.get(axe["code"]), axe["code"]
        assert b["avec_depenses"] == len(avec.get(axe["code"], ())), axe["code"]
    total = r["contrat"]["budget"]
    assert total["depense_cumulee"] == pytest.approx(sum(cumul.values()))
    assert total["depense_annee"] == pytest.approx(sum(de_l_annee.values()))


@pytest.mark.parametrize(
    ("depenses", "attendu"),
    [
        ("  - annee: 2021\n    montant: -5\n", "« depenses[1].montant »"),
        ("  - annee: 2021\n    montant: .nan\n", "« depenses[1].montant »"),
        ("  - annee: 2021\n    montant: .inf\n", "« depenses[1].montant »"),
        ('  - annee: 2021\n    montant: "12000"\n', "« depenses[1].montant »"),
        ("  - annee: 2021\n", "montant"),
        ("  - annee: 2030\n    montant: 10\n", "hors de la période du contrat (2020-2025)"),
        (
            "  - annee: 2021\n    montant: 10\n  - annee: 2021\n    montant: 20\n",
            "deux montants dépensés pour 2021",
        ),
    ],
)
def test_depenses_refusees(cls, copie_demo: Path, depenses: str, attendu: str) -> None:
    (chemin,) = (copie_demo / "actions").glob("16-*.yaml")
    chemin.write_text(chemin.read_text("utf-8") + "depenses:\n" + depenses, encoding="utf-8")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert chemin.name in sortie and attendu in sortie
    assert "Traceback" not in resultat.output


def test_depense_double_situee_a_sa_ligne(cls, copie_demo: Path) -> None:
    (chemin,) = (copie_demo / "actions").glob("16-*.yaml")
    texte = chemin.read_text("utf-8")
    ligne = texte.count("\n") + 4  # la seconde entrée
    depenses = "depenses:\n  - annee: 2021\n    montant: 1\n  - annee: 2021\n    montant: 2\n"
    chemin.write_text(texte + depenses, encoding="utf-8")
    sortie = cls("validate", "--data", copie_demo).output
    assert f"{chemin.name}:{ligne}:" in sortie and "(depense-double)" in sortie
