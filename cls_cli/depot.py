"""Ce que git dit du dépôt qui contient les données (commit, modifications en cours)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from cls_cli.rapport import Origine


def _git(dossier: Path, *args: str) -> str | None:
    try:
        sortie = subprocess.run(
            ["git", *args], cwd=dossier, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return sortie.stdout


def origine(dossier: Path) -> Origine:
    """Le commit courant du dépôt de ``dossier`` et s'il y a des modifications non validées."""
    commit = _git(dossier, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return Origine(commit=None, modifie=False)
    etat = _git(dossier, "status", "--porcelain", "--", ".")
    return Origine(commit=commit.strip(), modifie=bool(etat and etat.strip()))
