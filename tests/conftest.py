"""Outils communs des tests : arbres de données temporaires et appel de la CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cls_cli.cli import app

RACINE = Path(__file__).resolve().parent.parent
DATA = RACINE / "data"
DEMO = RACINE / "examples" / "demo" / "data"
CAS = Path(__file__).resolve().parent / "cas"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def arbre_vide(tmp_path: Path) -> Path:
    """Un arbre avec les axes et le contrat livrés, et aucune fiche."""
    data = tmp_path / "data"
    (data / "actions").mkdir(parents=True)
    shutil.copy(DATA / "axes.yaml", data / "axes.yaml")
    shutil.copy(DATA / "contrat.yaml", data / "contrat.yaml")
    return data


@pytest.fixture
def copie_data(tmp_path: Path) -> Path:
    """Une copie complète de data/."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


@pytest.fixture
def copie_demo(tmp_path: Path) -> Path:
    """Une copie complète de l'exemple fictif examples/demo/data."""
    return Path(shutil.copytree(DEMO, tmp_path / "demo"))


@pytest.fixture
def cls(runner: CliRunner) -> Callable[..., object]:
    """Appelle ``cls ARGS…`` et rend le résultat (code de sortie, sorties)."""

    def appeler(*args: str, **kwargs: object) -> object:
        return runner.invoke(app, [str(a) for a in args], **kwargs)  # type: ignore[arg-type]

    return appeler
