"""Le corpus de fiches : chaque fichier de tests/cas/ est un cas, avec son résultat attendu.

La première ligne de chaque cas dit ce qu'on attend : ``# attendu: REGLE ligne N TEXTE``
(ou ``valide``). Le cas est copié dans un arbre avec les axes et le contrat livrés, puis
``cls validate`` est lancé comme le ferait un utilisateur.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import CAS


def _cas(dossier: str) -> list[Path]:
    return sorted((CAS / dossier).iterdir())


def _attendu(chemin: Path) -> tuple[str, int | None, str]:
    entete = chemin.read_bytes().split(b"\n", 1)[0].decode()
    m = re.match(r"# attendu: (\S+)(?: ligne (\d+))?\s*(.*)$", entete)
    assert m, f"{chemin.name} : première ligne « # attendu: … » absente"
    return m.group(1), int(m.group(2)) if m.group(2) else None, m.group(3)


def _valider(cls, arbre_vide: Path, cas: Path, *options: str):
    shutil.copy(cas, arbre_vide / "actions" / cas.name)
    return cls("validate", "--data", arbre_vide, *options)


@pytest.mark.parametrize("cas", _cas("valides"), ids=lambda p: p.name)
def test_cas_valide(cls, arbre_vide: Path, cas: Path) -> None:
    resultat = _valider(cls, arbre_vide, cas, "--strict")
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.strip().endswith("0 erreur, 0 avertissement")


@pytest.mark.parametrize("cas", _cas("invalides"), ids=lambda p: p.name)
def test_cas_invalide(cls, arbre_vide: Path, cas: Path) -> None:
    regle, ligne, texte = _attendu(cas)
    resultat = _valider(cls, arbre_vide, cas)
    sortie = resultat.output
    assert resultat.exit_code == 1, sortie
    assert "Traceback" not in sortie
    assert f"actions/{cas.name}:{ligne}:" in sortie, sortie
    assert f"({regle})" in sortie, sortie
    assert "correction :" in sortie
    assert texte in sortie, sortie


@pytest.mark.parametrize("cas", _cas("avertissements"), ids=lambda p: p.name)
def test_cas_avertissement(cls, arbre_vide: Path, cas: Path) -> None:
    regle, ligne, _ = _attendu(cas)
    resultat = _valider(cls, arbre_vide, cas)
    assert resultat.exit_code == 0, resultat.output
    assert f"actions/{cas.name}:{ligne}:" in resultat.output
    assert "[avertissement]" in resultat.output and f"({regle})" in resultat.output
    strict = cls("validate", "--data", arbre_vide, "--strict")
    assert strict.exit_code == 1
