"""La lecture/écriture YAML : aller-retour à l'identique et erreurs situées."""

from __future__ import annotations

from pathlib import Path

import pytest

from cls_cli.erreurs import ErreurDonnees
from cls_cli.yamlio import charger_texte, decoder, vers_texte
from tests.conftest import DATA, RACINE

FICHIERS_DONNEES = sorted(DATA.rglob("*.yaml")) + sorted((RACINE / "examples").rglob("*.yaml"))


@pytest.mark.parametrize("chemin", FICHIERS_DONNEES, ids=lambda p: str(p.relative_to(RACINE)))
def test_aller_retour_identique(chemin: Path) -> None:
    texte = chemin.read_text(encoding="utf-8")
    assert vers_texte(charger_texte(texte, chemin)) == texte


def test_texte_long_non_replie() -> None:
    texte = "titre: " + "mot " * 200 + "fin\n"
    assert vers_texte(charger_texte(texte, Path("x.yaml"))) == texte


def test_bom_acceptee() -> None:
    assert decoder("\ufeffa: 1\n".encode(), Path("x.yaml")) == "a: 1\n"


def test_latin1_refuse_avec_position() -> None:
    with pytest.raises(ErreurDonnees) as exc:
        decoder("a: 1\nb: é\n".encode("latin-1"), Path("x.yaml"))
    assert (exc.value.probleme.ligne, exc.value.probleme.colonne) == (2, 4)
    assert "UTF-8" in exc.value.probleme.message


def test_cle_double_situee() -> None:
    with pytest.raises(ErreurDonnees) as exc:
        charger_texte("a: 1\nb: 2\na: 3\n", Path("x.yaml"))
    assert exc.value.probleme.ligne == 3
    assert "« a »" in exc.value.probleme.message
