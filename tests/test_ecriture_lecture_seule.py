"""Un dossier de données en lecture seule (``chmod -w``) : un message, rien d'écrit ni qui traîne.

Sous un compte ordinaire, ``chmod -w`` suffit. Sous root (conteneurs, CI), root écrit
partout : la commande tourne alors dans un sous-processus qui abandonne ses droits pour
ceux de ``nobody`` (65534) avant de lancer ``cls``. Le sous-processus charge d'abord, en
root, les modules dont ``cls`` a besoin : l'interpréteur peut vivre dans un dossier que
``nobody`` ne peut pas lire (``/root/.pyenv``), et ``subprocess.run(user=…)`` n'y pourrait
même pas le lancer.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEMO

PERSONNE = 65534  # nobody / nogroup

# Le sous-processus : charger cls (en root), abandonner les droits, lancer la commande.
ENFANT = f"""
import importlib, os, pkgutil, sys
import cls_cli
for module in pkgutil.walk_packages(cls_cli.__path__, "cls_cli."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
import encodings.utf_8_sig, filelock, rich.console  # chargés à la demande
# pydantic cherche ses greffons (importlib.metadata) au premier modèle construit, les données
# du paquet se lisent par importlib.resources : les charger
# avant de perdre les droits (l'interpréteur est sous /root, illisible pour nobody).
import importlib.metadata, importlib.readers, importlib.resources.readers
from pydantic.plugin._loader import get_plugins
list(get_plugins())
os.setgroups([])
os.setgid({PERSONNE})
os.setuid({PERSONNE})
sys.argv = ["cls", *sys.argv[1:]]
from cls_cli.demarrage import main
main()
"""

EST_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _lancer_sans_privilege(
    *args: str, maison: Path, script: str = ENFANT
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(maison), "COLUMNS": "300", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path.cwd()), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _voie() -> str | None:
    """« nobody » sous root (s'il peut abandonner ses droits), « chmod » sinon, None sans POSIX."""
    if not hasattr(os, "geteuid"):
        return None
    if not EST_ROOT:
        return "chmod"
    sonde = _lancer_sans_privilege(
        maison=Path(tempfile.gettempdir()),
        script=f"import os; os.setgroups([]); os.setgid({PERSONNE}); os.setuid({PERSONNE})",
    )
    return "nobody" if sonde.returncode == 0 else None


@pytest.fixture
def depot() -> Iterator[Path]:
    """L'exemple fictif dans un dépôt git, sous un dossier que nobody peut traverser.

    (Le ``tmp_path`` de pytest est sous ``/tmp/pytest-of-root``, fermé aux autres comptes.)
    """
    racine = Path(tempfile.mkdtemp(prefix="cls-lecture-seule-"))
    try:
        racine.chmod(0o755)
        donnees = Path(shutil.copytree(DEMO, racine / "data"))
        if shutil.which("git"):
            git = ["git", "-C", str(donnees), "-c", "user.name=t", "-c", "user.email=t@example.org"]
            subprocess.run([*git, "init", "-q"], check=True)
            subprocess.run([*git, "add", "-A"], check=True)
            subprocess.run([*git, "commit", "-q", "-m", "exemple"], check=True)
        yield donnees
    finally:
        for chemin in [racine, *racine.rglob("*")]:
            if chemin.is_dir() and not chemin.is_symlink():
                chemin.chmod(chemin.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(racine)


def _tout(dossier: Path) -> dict[str, bytes | None]:
    """Chaque chemin de l'arbre (dossiers compris, .git exclu) et le contenu des fichiers."""
    return {
        str(p.relative_to(dossier)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(dossier.rglob("*"))
        if p.relative_to(dossier).parts[0] != ".git"
    }


def _sans_ecriture(dossier: Path) -> list[Path]:
    """``chmod -w`` sur le dossier de données et ses sous-dossiers (hors .git)."""
    dossiers = [dossier, *(p for p in dossier.rglob("*") if p.is_dir() and ".git" not in p.parts)]
    for d in dossiers:
        d.chmod(d.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return dossiers


def test_dossier_de_donnees_en_lecture_seule(cls, depot: Path) -> None:
    """Avant : sauté sous root (root écrit partout), donc jamais lancé en CI ni en conteneur."""
    if _voie() is None:
        pytest.skip("ni chmod -w efficace, ni compte sans privilège")
    avant = _tout(depot)
    dossiers = _sans_ecriture(depot)
    record = ("record", "30", "personnes-concernees", "5", "-y", "2024", "--data", str(depot))
    try:
        if EST_ROOT:
            r = _lancer_sans_privilege(*record, maison=depot.parent)
            code, sortie = r.returncode, r.stdout + r.stderr
            lecture = _lancer_sans_privilege("validate", "--data", str(depot), maison=depot.parent)
            code_lecture, sortie_lecture = lecture.returncode, lecture.stdout + lecture.stderr
        else:
            r = cls(*record)
            code, sortie = r.exit_code, r.output
            lecture = cls("validate", "--data", depot)
            code_lecture, sortie_lecture = lecture.exit_code, lecture.output
    finally:
        for d in dossiers:
            d.chmod(d.stat().st_mode | stat.S_IWUSR)
    sortie = " ".join(sortie.split())  # le terminal peut couper les lignes
    assert code == 1, sortie
    assert "Traceback" not in sortie
    assert "Erreur :" in sortie and str(depot) in sortie
    assert "permission refusée" in sortie
    assert "lancez cls avec un compte qui peut y écrire" in sortie
    assert code_lecture == 0, sortie_lecture  # lire reste possible
    assert _tout(depot) == avant  # rien de changé, rien qui traîne (pas même .cls/)
    if (depot / ".git").is_dir():
        etat = subprocess.run(
            ["git", "-C", str(depot), "status", "--porcelain", "--ignored"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert etat.stdout == ""
