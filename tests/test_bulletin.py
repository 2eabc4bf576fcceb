"""cls bulletin : le bulletin semestriel, sur l'exemple fictif (références) et cas connus."""

from __future__ import annotations

import pytest

from cls_cli.bulletin import bornes
from tests import golden_evaluations as g
from tests.conftest import DEMO


@pytest.mark.parametrize(("semestre", "format_"), g.BULLETINS, ids=str)
def test_bulletin_de_reference(semestre: str, format_: str) -> None:
    attendu = (g.DOSSIER / g.nom_bulletin(semestre, format_)).read_text(encoding="utf-8")
    assert g.rendu_bulletin(semestre, format_) == attendu, (
        "le bulletin a changé : si c'est voulu, lancez « make golden » et relisez le diff"
    )


def test_bulletin_cas_connus(cls) -> None:
    s2 = " ".join(cls("bulletin", "--semestre", "2022-S2", "--data", DEMO).output.split())
    # Fiche 28 : abandonnée en 2022 (pas « réalisée »), décision du COPIL restreint de septembre.
    assert "20 septembre 2022 — COPIL restreint" in s2
    assert "L'étude sur la livraison de médicaments est abandonnée." in s2
    assert "date exacte inconnue" in s2  # dit que les statuts ne sont datés qu'à l'année
    # Préconisations à échéance au semestre suivant, sans suite : P2 (2023-09-01) non,
    # hors horizon (2023-06-30) ; P1 a une suite : rien d'annoncé.
    assert "préconisation P1" not in s2 and "préconisation P2" not in s2
    s1 = cls("bulletin", "--semestre", "2022-S1", "--data", DEMO).output
    assert "Aucune réunion des instances ce semestre." in s1
    assert "figurent au bulletin du second semestre" in " ".join(s1.split())


def test_bulletin_usages_invalides(cls) -> None:
    for semestre in ("2021", "2021-S3", "S1-2021"):
        resultat = cls("bulletin", "--semestre", semestre, "--data", DEMO)
        assert resultat.exit_code == 2 and "semestre invalide" in resultat.output
    assert cls("bulletin", "-s", "2021-S1", "-f", "json", "--data", DEMO).exit_code == 2


def test_bornes() -> None:
    assert bornes("2021-S2")[2:] == (
        __import__("datetime").date(2021, 7, 1),
        __import__("datetime").date(2021, 12, 31),
    )
