"""cls list --year et cls show tiennent compte des avenants (exemple fictif : l'avenant n° 1
ajoute les fiches 55 et 56 le 2022-03-10 ; le n° 2 retire la 40 le 2023-06-15)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import DEMO


def _numeros(sortie: str) -> list[int]:
    """Les numéros de la première colonne du tableau de cls list."""
    return [int(m) for m in re.findall(r"^│ *(\d+) *│", sortie, re.MULTILINE)]


def _texte(sortie: str) -> str:
    return " ".join(sortie.split())


@pytest.mark.parametrize(
    ("annee", "absentes", "phrase"),
    [
        (
            "2021",
            [55, 56],
            "2 fiches hors vigueur en 2021, non listées : 55 (ajoutée par l'avenant n° 1 du "
            "2022-03-10), 56 (ajoutée par l'avenant n° 1 du 2022-03-10).",
        ),
        ("2023", [], ""),
        (
            "2024",
            [40],
            "1 fiche hors vigueur en 2024, non listée : 40 (retirée par l'avenant n° 2 du "
            "2023-06-15).",
        ),
    ],
)
def test_list_year_ne_liste_que_les_fiches_en_vigueur(
    cls, annee: str, absentes: list[int], phrase: str
) -> None:
    resultat = cls("list", "--year", annee, "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    numeros = _numeros(resultat.output)
    assert sorted(set(range(1, 57)) - set(numeros)) == absentes
    assert f"{56 - len(absentes)} fiche(s)" in resultat.output
    if phrase:
        assert _texte(resultat.output).endswith(phrase)
    else:
        assert "hors vigueur" not in resultat.output


def test_list_year_ne_compte_que_les_fiches_du_filtre(cls) -> None:
    """Les fiches 55 et 56 sont de l'axe 4 : la liste de l'axe 3 n'en parle pas."""
    resultat = cls("list", "--year", "2021", "--axe", "3", "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    assert "hors vigueur" not in resultat.output
    resultat = cls("list", "--year", "2021", "--axe", "4", "--data", DEMO)
    assert "2 fiches hors vigueur en 2021" in _texte(resultat.output)


def test_list_sans_annee_signale_la_fiche_retiree(cls) -> None:
    resultat = cls("list", "--data", DEMO, env={"COLUMNS": "400"})  # une ligne par fiche
    assert resultat.exit_code == 0, resultat.output
    assert _numeros(resultat.output) == list(range(1, 57))
    assert "hors vigueur" not in resultat.output
    lignes = [x for x in resultat.output.splitlines() if "retirée (avenant" in x]
    assert len(lignes) == 1
    assert re.match(r"^│ 40 │.*│ *réalisée ; retirée \(avenant n° 2\) *│$", lignes[0])


@pytest.mark.parametrize(
    ("numero", "attendu"),
    [
        (
            "40",
            "Avenants : Avenant n° 2 du 2023-06-15 : retire la fiche 40 (motif : Action reprise "
            "par l'auto-école sociale du territoire (fictif)).",
        ),
        ("55", "Avenants : Avenant n° 1 du 2022-03-10 : ajoute la fiche 55."),
        (
            "12",
            "Avenants : Avenant n° 2 du 2023-06-15 : change la cible de l'indicateur "
            "« etablissements » de la fiche 12 : 60 devient 80.",
        ),
    ],
)
def test_show_dit_les_avenants_de_la_fiche(cls, numero: str, attendu: str) -> None:
    resultat = cls("show", numero, "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    assert attendu in _texte(resultat.output)


def test_show_sans_avenant(cls) -> None:
    resultat = cls("show", "1", "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    assert "Avenants" not in resultat.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["list", "--year", "2024"],
        ["show", "40"],
        ["report", "--year", "2024"],
        ["stats", "--year", "2024"],
        ["contract", "--at", "2024-01-01"],
        ["record", "40", "participants", "12", "--year", "2024"],
        ["status", "40", "en_cours", "--year", "2024"],
    ],
)
def test_avenant_invalide_rien_n_est_calcule(cls, copie_demo: Path, arguments: list[str]) -> None:
    """Ignorer l'avenant n° 2 (invalide) ferait compter la fiche 40, retirée, en 2024."""
    chemin = copie_demo / "avenants" / "2.yaml"
    chemin.write_text(chemin.read_text("utf-8").replace("signe: true", "signe: oui"), "utf-8")
    avant = {c: c.read_bytes() for c in copie_demo.rglob("*.yaml")}
    resultat = cls(*arguments, "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "demo/avenants/2.yaml:5:1: avenant invalide : « signe » doit valoir true ou false" in (
        sortie
    )
    assert "rien n'a été calculé ni écrit" in sortie
    assert {c: c.read_bytes() for c in copie_demo.rglob("*.yaml")} == avant
