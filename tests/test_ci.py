"""Les recettes d'intégration continue de docs/ci/ et le crochet pre-commit, exercés pour de bon.

Chaque commande ``cls`` des recettes est lancée par bash dans un dépôt git temporaire, avec
les variables que GitHub Actions ou GitLab CI fourniraient ; le crochet de
``.pre-commit-hooks.yaml`` est lancé par ``pre-commit try-repo``. Les lignes qui publient
un commentaire (``gh``, ``curl``) ont besoin d'un vrai serveur : elles ne sont pas lancées.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.scenarios_git import FICHE_7, RACINE, depot_initial, enregistrer, git, lancer

RECETTES = RACINE / "docs" / "ci"
OUTILS = Path(sys.executable).parent


def _yaml(chemin: Path) -> Any:
    return YAML(typ="safe", pure=True).load(chemin.read_text(encoding="utf-8"))


def commandes_github() -> list[str]:
    recette = _yaml(RECETTES / "github-actions.yml")
    lignes = [
        ligne.strip()
        for job in recette["jobs"].values()
        for etape in job["steps"]
        for ligne in str(etape.get("run", "")).splitlines()
    ]
    return [ligne for ligne in lignes if ligne.startswith("cls ")]


def commandes_gitlab() -> list[str]:
    recette = _yaml(RECETTES / "gitlab-ci.yml")
    lignes = [
        str(ligne).strip()
        for nom, job in recette.items()
        if isinstance(job, dict) and "script" in job
        for ligne in job["script"]
    ]
    return [ligne for ligne in lignes if ligne.startswith("cls ")]


def bash(depot: Path, ligne: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{OUTILS}{os.pathsep}{os.environ['PATH']}", **variables}
    env.pop("GITHUB_ACTIONS", None)
    env.update(variables)
    return subprocess.run(
        ["bash", "-c", ligne], cwd=depot, env=env, capture_output=True, text=True, check=False
    )


def demande_de_fusion(tmp_path: Path) -> Path:
    """Un dépôt : main = les données livrées ; la branche « demande » ajoute une mesure."""
    data = depot_initial(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "demande")
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "120", "--year", "2021")
    enregistrer(data, "Mesure 2021")
    return data


def casser_fiche_7(data: Path) -> None:
    fiche = data / "actions" / FICHE_7
    fiche.write_text(
        fiche.read_text(encoding="utf-8").replace("nature: existante", "nature: ancienne"),
        encoding="utf-8",
    )


def test_les_recettes_lancent_validate_et_diff() -> None:
    assert commandes_github() == [
        "cls validate",
        'cls diff "$BASE" HEAD --format md > cls-diff.md',
    ]
    assert commandes_gitlab() == [
        "cls validate --format gitlab > gl-code-quality-report.json || true",
        "cls validate",
        'cls diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD --format md > cls-diff.md',
    ]


def test_recette_github(tmp_path: Path) -> None:
    data = demande_de_fusion(tmp_path)
    depot = data.parent
    validate, diff = commandes_github()
    resultat = bash(depot, validate, GITHUB_ACTIONS="true")
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    resultat = bash(depot, diff, GITHUB_ACTIONS="true", BASE="main")
    assert resultat.returncode == 0, resultat.stderr
    commentaire = (depot / "cls-diff.md").read_text(encoding="utf-8")
    assert commentaire.startswith("### Changements des données : `main (")
    assert "- mesure 2021 de `personnes-beneficiaires-ald` ajoutée : 120\n" in commentaire
    # Une erreur devient une annotation sur la ligne fautive.
    casser_fiche_7(data)
    resultat = bash(depot, validate, GITHUB_ACTIONS="true")
    assert resultat.returncode == 1
    assert resultat.stdout.startswith(
        f"::error file=data/actions/{FICHE_7},line=5,col=1,title=modele::valeur « ancienne »"
    )


def test_recette_gitlab(tmp_path: Path) -> None:
    data = demande_de_fusion(tmp_path)
    depot = data.parent
    base = git(depot, "rev-parse", "main").strip()
    rapport, validate, diff = commandes_gitlab()
    casser_fiche_7(data)
    assert bash(depot, rapport).returncode == 0  # « || true » : le rapport est toujours écrit
    problemes = json.loads((depot / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert [(p["location"], p["severity"], p["check_name"]) for p in problemes] == [
        ({"path": f"data/actions/{FICHE_7}", "lines": {"begin": 5}}, "major", "modele"),
        (
            {
                "path": "data/actions/27-ameliorer-mobilite-publics-fragiles-vers-lieux.yaml",
                "lines": {"begin": 30},
            },
            "minor",
            "sans-indicateur",
        ),
    ]
    assert problemes[0]["description"].startswith("valeur « ancienne » non autorisée")
    assert bash(depot, validate).returncode == 1
    git(depot, "checkout", "--", ".")
    assert bash(depot, validate).returncode == 0
    resultat = bash(depot, diff, CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert resultat.returncode == 0, resultat.stderr
    commentaire = (depot / "cls-diff.md").read_text(encoding="utf-8")
    assert "- mesure 2021 de `personnes-beneficiaires-ald` ajoutée : 120\n" in commentaire


def test_crochet_pre_commit_try_repo(tmp_path: Path) -> None:
    """Le crochet, installé par pre-commit lui-même depuis ce dépôt (il faut PyPI)."""
    data = depot_initial(tmp_path / "depot")
    depot = data.parent
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache-pre-commit")}
    commande = [str(OUTILS / "pre-commit"), "try-repo", str(RACINE), "cls-validate", "--all-files"]

    def essayer() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            commande, cwd=depot, env=env, capture_output=True, text=True, check=False
        )

    resultat = essayer()
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "cls validate (Contrat Local de Santé)" in resultat.stdout
    assert "Passed" in resultat.stdout
    casser_fiche_7(data)
    git(depot, "add", "-A")
    resultat = essayer()
    assert resultat.returncode == 1
    assert "Failed" in resultat.stdout
    assert f"data/actions/{FICHE_7}:5:1: [erreur] valeur « ancienne » non autorisée" in (
        resultat.stdout
    )
