"""cls installé comme un outil : le paquet construit marche hors de ce dépôt.

Le paquet (sdist puis wheel, par ``python -m build``) est installé dans un environnement
virtuel neuf, hors du dépôt ; chaque commande est lancée depuis un dossier sans rapport,
sur une copie des données de démonstration dans un dépôt git neuf. Un gabarit, un
catalogue ou un schéma lu par un chemin du dépôt ferait échouer ces tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.metadata import Metadata
from trove_classifiers import classifiers

from cls_cli.schema import SCHEMAS, dossier_schemas, ligne_schema, texte
from tests.conftest import DATA, DEMO, RACINE
from tests.scenarios_git import enregistrer, git

VERSION = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"
]
RAPPORTS = [(f, langue) for f in ("md", "html", "json") for langue in ("fr", "en")]


@dataclass(frozen=True)
class Installation:
    cls: Path  # la commande cls de l'environnement neuf
    python: Path
    ailleurs: Path  # un dossier sans rapport avec le dépôt ni les données
    data: Path  # une copie des données de démonstration, dans un dépôt git neuf
    paquets: Path  # le sdist et le wheel construits
    direct: Path  # le wheel construit depuis l'arbre, comme pipx install git+… ou pip install .


def _env() -> dict[str, str]:
    """L'environnement d'un utilisateur : rien qui pointe vers ce dépôt ou son .venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(RACINE))
    )
    return env


def _lancer(commande: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(c) for c in commande], cwd=cwd, env=_env(), capture_output=True, check=False
    )


def _reussir(commande: list[str | Path], cwd: Path) -> bytes:
    resultat = _lancer(commande, cwd)
    assert resultat.returncode == 0, (
        f"{' '.join(map(str, commande))} : code {resultat.returncode}\n"
        + resultat.stdout.decode(errors="replace")
        + resultat.stderr.decode(errors="replace")
    )
    return resultat.stdout


@pytest.fixture(scope="module")
def installe(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    racine = tmp_path_factory.mktemp("paquet")
    paquets = racine / "dist"
    # Construit depuis une copie suivie par git : ni .venv, ni build/ ni fichiers locaux.
    source = racine / "source"
    archive = subprocess.run(
        ["git", "-C", str(RACINE), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    for nom in filter(None, archive.decode().split("\0")):
        origine = RACINE / nom
        cible = source / nom
        if origine.is_symlink():
            cible.parent.mkdir(parents=True, exist_ok=True)
            cible.symlink_to(os.readlink(origine))
        elif origine.is_file():
            cible.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origine, cible)
    # sdist, puis wheel construit depuis le sdist, comme pour une publication. Sans
    # isolation (setuptools est dans les outils de développement) : 5 s au lieu de 18.
    _reussir([sys.executable, "-m", "build", "--no-isolation", "-o", paquets, source], racine)
    direct = racine / "direct"
    _reussir(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", direct, source],
        racine,
    )
    # Un environnement neuf, sans pip : le pip de .venv y installe le wheel et ses
    # dépendances (deux fois plus vite que le pip d'un nouvel environnement).
    venv = racine / "venv"
    _reussir([sys.executable, "-m", "venv", "--without-pip", venv], racine)
    python = venv / "bin" / "python"
    (roue,) = paquets.glob("*.whl")
    _reussir([sys.executable, "-m", "pip", "--python", python, "install", "-q", roue], racine)
    ailleurs = racine / "ailleurs"
    ailleurs.mkdir()
    data = Path(shutil.copytree(DEMO, racine / "depot" / "data"))
    git(data.parent, "init", "-q", "-b", "main")
    enregistrer(data, "Données de démonstration")
    return Installation(venv / "bin" / "cls", python, ailleurs, data, paquets, direct)


def test_le_paquet_installe_ne_lit_rien_du_depot(installe: Installation) -> None:
    chemin = _reussir(
        [installe.python, "-c", "import cls_cli; print(cls_cli.__file__)"], installe.ailleurs
    )
    assert Path(chemin.decode().strip()).is_relative_to(installe.python.parent.parent)
    assert not Path(chemin.decode().strip()).is_relative_to(RACINE)


def test_wheel_contient_gabarits_et_catalogues(installe: Installation) -> None:
    (roue,) = installe.paquets.glob("*.whl")
    noms = set(zipfile.ZipFile(roue).namelist())
    for gabarit in (RACINE / "templates").iterdir():
        assert f"cls_cli/gabarits/{gabarit.name}" in noms
    assert "cls_cli/locale/en/LC_MESSAGES/cls.po" in noms
    assert "cls_cli/py.typed" in noms
    assert not any(n.startswith(("tests/", "data/", "examples/")) for n in noms)
    (direct,) = installe.direct.glob("*.whl")
    assert set(zipfile.ZipFile(direct).namelist()) == noms, "sdist puis wheel ≠ wheel direct"


def test_metadonnees(installe: Installation) -> None:
    (roue,) = installe.paquets.glob("*.whl")
    with zipfile.ZipFile(roue) as z:
        (nom,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        metadonnees = z.read(nom).decode()
    # Ce qu'un index de paquets vérifie : champs conformes, classifiers connus.
    valides = Metadata.from_email(metadonnees, validate=True)
    assert valides.classifiers and set(valides.classifiers) <= classifiers
    assert str(valides.license_expression) == "EUPL-1.2"
    assert f"Version: {VERSION}\n" in metadonnees
    assert "License-Expression: EUPL-1.2" in metadonnees
    assert "License-File: LICENSE" in metadonnees
    assert "Requires-Python: >=3.11" in metadonnees
    assert "Description-Content-Type: text/markdown" in metadonnees
    assert "Classifier: Natural Language :: French" in metadonnees
    (sdist,) = installe.paquets.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        membres = {m.name.split("/", 1)[-1]: m for m in archive.getmembers()}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "templates/rapport.html.j2"} <= set(membres)
    assert membres["cls_cli/gabarits"].isdir(), "le lien doit devenir un vrai dossier"
    assert membres["cls_cli/gabarits/rapport.html.j2"].isfile()
    assert not any(nom.startswith("tests/") for nom in membres)


def test_version(installe: Installation, cls) -> None:
    attendu = f"cls {VERSION}\n"
    assert _reussir([installe.cls, "--version"], installe.ailleurs).decode() == attendu
    assert cls("--version").output == attendu
    assert version("cls-cli") == VERSION


def test_validate(installe: Installation) -> None:
    _reussir([installe.cls, "validate", "--data", installe.data], installe.ailleurs)


@pytest.mark.parametrize(("format_", "langue"), RAPPORTS)
def test_rapport_identique_a_l_installation_editable(
    installe: Installation, format_: str, langue: str
) -> None:
    options = ["report", "--year", "2021", "--data", installe.data, "-f", format_]
    options += ["--lang", langue, "--date", "2024-03-15"]
    installe_sortie = _reussir([installe.cls, *options], installe.ailleurs)
    editable = _reussir([sys.executable, "-m", "cls_cli", *options], installe.ailleurs)
    assert installe_sortie == editable
    assert len(installe_sortie) > 1000
    if format_ == "json":
        json.loads(installe_sortie)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_template(installe: Installation, extension: str) -> None:
    sortie = installe.ailleurs / f"collecte.{extension}"
    options = ["template", "--year", "2022", "--data", installe.data, "-o", sortie, "--force"]
    _reussir([installe.cls, *options], installe.ailleurs)
    assert sortie.stat().st_size > 100


def test_schema(installe: Installation) -> None:
    sortie = _reussir([installe.cls, "schema"], installe.ailleurs)
    assert sortie.decode() == texte("fiche.schema.json")


def test_diff(installe: Installation) -> None:
    fiche = sorted((installe.data / "actions").iterdir())[0]
    copie = installe.data.parent.parent / "fiche.sauve"
    shutil.copy2(fiche, copie)
    try:
        fiche.write_text(
            fiche.read_text(encoding="utf-8").replace("titre: ", "titre: Nouveau ", 1), "utf-8"
        )
        sortie = _reussir([installe.cls, "diff", "--data", installe.data], installe.ailleurs)
        assert "Nouveau" in sortie.decode()
    finally:
        shutil.copy2(copie, fiche)


def test_depot_de_donnees_ailleurs_schema_resolu(installe: Installation, tmp_path: Path) -> None:
    """Un dépôt de données hors de celui-ci : cls schema --install puis cls new, et la première
    ligne de la fiche créée désigne un schéma qui existe, à jour."""
    data = tmp_path / "mon-cls" / "data"
    (data / "actions").mkdir(parents=True)
    for nom in ("axes.yaml", "contrat.yaml"):
        shutil.copy(DEMO / nom, data / nom)
    ici = installe.ailleurs
    _reussir([installe.cls, "schema", "--install", "--data", data], ici)
    _reussir([installe.cls, "new", "--objectif", "1.1.1", "--titre", "Essai", "--data", data], ici)
    (fiche,) = (data / "actions").iterdir()
    premiere = fiche.read_text(encoding="utf-8").split("\n", 1)[0]
    assert premiere.startswith("# yaml-language-server: $schema=")
    cible = (fiche.parent / premiere.split("=", 1)[1]).resolve()
    assert cible.is_relative_to(data.parent.resolve()), "le schéma doit être dans le dépôt"
    assert cible.read_text(encoding="utf-8") == texte("fiche.schema.json")
    assert sorted(p.name for p in cible.parent.iterdir()) == sorted(SCHEMAS)


# --- Sans construire le paquet ----------------------------------------------------------


def test_gabarits_du_paquet_sont_ceux_de_templates() -> None:
    """cls_cli/gabarits est le lien vers templates/ : modifier un gabarit change le rapport."""
    lien = RACINE / "cls_cli" / "gabarits"
    assert lien.is_symlink()
    assert lien.resolve() == (RACINE / "templates").resolve()


def test_premiere_ligne_des_fichiers_livres_suit_la_regle() -> None:
    """Les fichiers de data/ ont la première ligne que cls new écrirait, et elle désigne
    schemas/ à côté de data/ (le dossier qu'écrit cls schema --install)."""
    assert dossier_schemas(DATA) == (RACINE / "schemas").resolve()
    for nom, fichiers in (
        ("axes.schema.json", [DATA / "axes.yaml"]),
        ("contrat.schema.json", [DATA / "contrat.yaml"]),
        ("fiche.schema.json", sorted((DATA / "actions").glob("*.yaml"))),
    ):
        for fichier in fichiers:
            premiere = fichier.read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
            assert premiere == ligne_schema(nom), fichier
            cible = (fichier.parent / premiere.strip().split("=", 1)[1]).resolve()
            assert cible == dossier_schemas(DATA) / nom


def test_schema_install_ecrit_a_cote_de_data(cls, arbre_vide: Path) -> None:
    resultat = cls("schema", "--install", "--data", arbre_vide)
    assert resultat.exit_code == 0, resultat.output
    schemas = arbre_vide.parent / "schemas"
    assert sorted(p.name for p in schemas.iterdir()) == sorted(SCHEMAS)
    for nom in SCHEMAS:
        assert (schemas / nom).read_text(encoding="utf-8") == texte(nom)
    assert "$schema=../../schemas/fiche.schema.json" in resultat.output


def test_schema_install_trouve_data_depuis_le_dossier_courant(
    cls, arbre_vide: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(arbre_vide / "actions")
    assert cls("schema", "--install").exit_code == 0
    assert (arbre_vide.parent / "schemas" / "fiche.schema.json").is_file()


def test_schema_install_et_output_s_excluent(cls, arbre_vide: Path, tmp_path: Path) -> None:
    resultat = cls("schema", "--install", "-o", tmp_path / "x", "--data", arbre_vide)
    assert resultat.exit_code == 2
    assert "s'excluent" in resultat.output
    assert not (tmp_path / "x").exists() and not (arbre_vide.parent / "schemas").exists()


def test_schema_install_sans_donnees_code_2(
    cls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    resultat = cls("schema", "--install")
    assert resultat.exit_code == 2
    assert "aucun dossier de données" in resultat.output
    assert not (tmp_path / "schemas").exists()


def test_new_signale_le_schema_absent(cls, arbre_vide: Path) -> None:
    options = ["new", "--objectif", "1.1.1", "--data", arbre_vide, "--titre"]
    resultat = cls(*options, "Premier essai")
    assert resultat.exit_code == 0, resultat.output
    assert "schemas/fiche.schema.json, absent ; « cls schema --install » l'écrit" in (
        resultat.output
    )
    assert cls("schema", "--install", "--data", arbre_vide).exit_code == 0
    resultat = cls(*options, "Second essai")
    assert resultat.exit_code == 0, resultat.output
    assert "schema --install" not in resultat.output


def test_sortie_fermee_par_son_lecteur_sans_trace(tmp_path: Path) -> None:
    """``cls report | head`` : le lecteur ferme le tube avant la fin du rapport (100 ko,
    plus que le tampon d'un tube) ; cls s'arrête sans trace, avec le code de SIGPIPE."""
    commande = [sys.executable, "-m", "cls_cli", "report", "--year", "2021", "-f", "html"]
    with subprocess.Popen(
        [*commande, "--data", str(DEMO)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    ) as processus:
        assert processus.stdout is not None and processus.stderr is not None
        assert processus.stdout.read(100).startswith(b"<!DOCTYPE html>")
        processus.stdout.close()
        erreurs = processus.stderr.read().decode()
        code = processus.wait()
    assert "Traceback" not in erreurs and "Erreur" not in erreurs, erreurs
    assert code == 141
