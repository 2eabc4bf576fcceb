"""cls export, cls init, cls rollup (ticket 22) : comptes recalculés depuis le YAML."""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import DEMO

RACINE = Path(__file__).resolve().parent.parent


def _yaml(chemin: Path) -> Any:
    return YAML(typ="safe").load(chemin.read_text(encoding="utf-8"))


def comptes_yaml(data: Path) -> dict[str, int]:
    """Les nombres de lignes attendus, lus directement dans les fichiers YAML."""
    fiches = [_yaml(c) for c in sorted((data / "actions").glob("*.yaml"))]
    axes = _yaml(data / "axes.yaml")["axes"]
    porteurs: set[str] = set()
    liens = 0
    for f in fiches:
        porteurs |= set(f["porteurs"]) | set(f["partenaires"])
        liens += len(set(f["porteurs"])) + len(set(f["partenaires"]))
    comptes = {
        "contrats": 1,
        "axes": len(axes),
        "objectifs": sum(
            1 + len(os_["objectifs_operationnels"])
            for axe in axes
            for os_ in axe["objectifs_strategiques"]
        ),
        "fiches": len(fiches),
        "porteurs": len(porteurs),
        "fiche_porteurs": liens,
        "indicateurs": sum(len(f.get("indicateurs", [])) for f in fiches),
        "mesures": sum(len(i.get("mesures", [])) for f in fiches for i in f.get("indicateurs", [])),
        "suivis": sum(len(f.get("suivi", [])) for f in fiches),
    }
    for dossier in ("avenants", "evaluations", "instances"):
        if (data / dossier).is_dir():
            comptes[dossier] = len(list((data / dossier).glob("*.yaml")))
    return comptes


def _comptes_base(base: Path) -> dict[str, int]:
    with sqlite3.connect(base) as connexion:
        noms = [
            n for (n,) in connexion.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {n: connexion.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in noms}


@pytest.mark.parametrize("data", [DEMO, RACINE / "data"], ids=["demo", "data"])
def test_export_sqlite_comptes_egaux_au_yaml(cls, tmp_path: Path, data: Path) -> None:
    base = tmp_path / "contrat.sqlite"
    resultat = cls("export", "--data", data, "-o", base)
    assert resultat.exit_code == 0, resultat.output
    assert _comptes_base(base) == comptes_yaml(data)
    with sqlite3.connect(base) as connexion:
        connexion.execute("PRAGMA foreign_keys = ON")
        assert connexion.execute("PRAGMA foreign_key_check").fetchall() == []
        # des clés étrangères déclarées, pas seulement des colonnes
        assert connexion.execute("PRAGMA foreign_key_list(mesures)").fetchall()


def test_export_csv_un_fichier_par_table(cls, tmp_path: Path) -> None:
    resultat = cls("export", "--data", DEMO, "--format", "csv", "-o", tmp_path / "tables")
    assert resultat.exit_code == 0, resultat.output
    attendus = comptes_yaml(DEMO)
    fichiers = {c.stem: c for c in (tmp_path / "tables").glob("*.csv")}
    assert set(fichiers) == set(attendus)
    for nom, chemin in fichiers.items():
        with chemin.open(encoding="utf-8", newline="") as flux:
            lignes = list(csv.reader(flux))
        assert len(lignes) - 1 == attendus[nom], nom
    assert fichiers["contrats"].read_text(encoding="utf-8").startswith("id,titre,territoire,")


def test_export_parquet_memes_tables_que_sqlite(cls, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")  # extra facultatif : pip install 'cls-cli[parquet]'
    resultat = cls("export", "--data", DEMO, "--format", "parquet", "-o", tmp_path / "pq")
    assert resultat.exit_code == 0, resultat.output
    assert "tables Parquet écrites" in resultat.output
    attendus = comptes_yaml(DEMO)
    fichiers = {c.stem: c for c in (tmp_path / "pq").glob("*.parquet")}
    assert set(fichiers) == set(attendus)
    for nom, chemin in fichiers.items():
        assert pq.read_table(chemin).num_rows == attendus[nom], nom
    fiches = pq.read_table(fichiers["fiches"])
    assert str(fiches.schema.field("numero").type) == "int64"
    assert str(fiches.schema.field("budget").type) == "double"
    # type libre (nombre, oui/non ou texte) : en texte, sans conversion
    mesures = pq.read_table(fichiers["mesures"]).to_pylist()
    brutes = {
        (f["numero"], i["code"], m["annee"]): m.get("valeur")
        for f in (_yaml(c) for c in (DEMO / "actions").glob("*.yaml"))
        for i in f.get("indicateurs", [])
        for m in i.get("mesures", [])
    }
    for m in mesures:
        v = brutes[(m["numero"], m["indicateur"], m["annee"])]
        attendu = (
            None if v is None else ("true" if v is True else "false" if v is False else str(v))
        )
        assert m["valeur"] == attendu


def test_export_parquet_sans_pyarrow_dit_quoi_installer(
    cls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    resultat = cls("export", "--data", DEMO, "--format", "parquet", "-o", tmp_path / "pq")
    assert resultat.exit_code == 2
    assert "pyarrow" in resultat.output and "pip install 'cls-cli[parquet]'" in resultat.output
    assert not (tmp_path / "pq").exists()


def test_export_refuse_de_remplacer_sans_force(cls, tmp_path: Path) -> None:
    base = tmp_path / "contrat.sqlite"
    base.write_text("précieux", encoding="utf-8")
    resultat = cls("export", "--data", DEMO, "-o", base)
    assert resultat.exit_code == 2
    assert "--force" in resultat.output
    assert base.read_text(encoding="utf-8") == "précieux"
    assert cls("export", "--data", DEMO, "-o", base, "--force").exit_code == 0
    assert _comptes_base(base)["fiches"] == 56


def test_export_csv_refuse_de_remplacer_une_table_sans_force(cls, tmp_path: Path) -> None:
    dossier = tmp_path / "tables"
    dossier.mkdir()
    (dossier / "fiches.csv").write_text("à moi", encoding="utf-8")
    resultat = cls("export", "--data", DEMO, "-f", "csv", "-o", dossier)
    assert resultat.exit_code == 2
    assert "fiches.csv" in resultat.output
    assert (dossier / "fiches.csv").read_text(encoding="utf-8") == "à moi"


def test_export_refuse_un_arbre_invalide(cls, copie_demo: Path, tmp_path: Path) -> None:
    fiche = next((copie_demo / "actions").glob("03-*.yaml"))
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("nature:", "natur:"), "utf-8")
    resultat = cls("export", "--data", copie_demo, "-o", tmp_path / "x.sqlite")
    assert resultat.exit_code == 1
    assert "03-" in resultat.output and "invalide" in resultat.output
    assert not (tmp_path / "x.sqlite").exists()


def test_export_format_inconnu_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("export", "--data", DEMO, "-f", "xls", "-o", tmp_path / "x")
    assert resultat.exit_code == 2
    assert "sqlite, csv, parquet" in resultat.output


def test_export_refuse_d_ecrire_dans_les_donnees(cls, copie_demo: Path) -> None:
    resultat = cls("export", "--data", copie_demo, "-o", copie_demo / "x.sqlite")
    assert resultat.exit_code == 2
    assert not (copie_demo / "x.sqlite").exists()


def _requetes_readme() -> list[str]:
    texte = (RACINE / "README.md").read_text(encoding="utf-8")
    section = texte.split("### `cls export`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_les_requetes_du_readme_repondent(cls, tmp_path: Path) -> None:
    base = tmp_path / "demo.sqlite"
    assert cls("export", "--data", DEMO, "-o", base).exit_code == 0
    requetes = _requetes_readme()
    assert len(requetes) == 3
    with sqlite3.connect(base) as connexion:
        resultats = [connexion.execute(r).fetchall() for r in requetes]
    par_axe, porteurs, sans_mesure = resultats
    assert [ligne[0] for ligne in par_axe] == ["1", "2", "3", "4"]
    assert sum(ligne[2] for ligne in par_axe) == 56
    assert porteurs and porteurs[0][1] >= porteurs[-1][1]
    # recalcul indépendant : indicateurs sans mesure 2021, depuis le YAML
    attendus = sorted(
        (f["numero"], i["code"])
        for f in (_yaml(c) for c in (DEMO / "actions").glob("*.yaml"))
        for i in f.get("indicateurs", [])
        if not any(m["annee"] == 2021 for m in i.get("mesures", []))
    )
    assert [(n, c) for n, c, _ in sans_mesure] == attendus


def test_export_plusieurs_contrats_porteurs_communs(tmp_path: Path) -> None:
    from cls_cli.arbres import lire_arbre
    from cls_cli.export import tables

    copie = Path(shutil.copytree(DEMO, tmp_path / "b"))
    contenu = {t.nom: lignes for t, lignes in tables([lire_arbre(DEMO), lire_arbre(copie)]).items()}
    assert len(contenu["contrats"]) == 2
    assert len(contenu["fiches"]) == 112
    assert len(contenu["porteurs"]) == comptes_yaml(DEMO)["porteurs"]  # mêmes noms, mêmes ids


# --- cls init ---------------------------------------------------------------------------


def _init(cls, dossier: Path, *options: str) -> Any:
    return cls(
        "init", dossier, "--nom", "CLS de Dreux", "--debut", "2026", "--fin", "2031", *options
    )


def test_init_puis_validate_sort_en_0_et_dit_quoi_remplir(cls, tmp_path: Path) -> None:
    depot = tmp_path / "x"
    resultat = _init(cls, depot)
    assert resultat.exit_code == 0, resultat.output
    valide = cls("validate", "--data", depot / "data")
    assert valide.exit_code == 0, valide.output
    assert "aucune fiche encore" in valide.output and "cls new" in valide.output
    contrat = _yaml(depot / "data" / "contrat.yaml")
    assert contrat["titre"] == "CLS de Dreux"
    assert contrat["periode"] == {"debut": 2026, "fin": 2031}
    assert "PROVISOIRE" in (depot / "data" / "contrat.yaml").read_text(encoding="utf-8")
    for chemin in (
        "README.md",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/cls.yml",
        ".gitlab-ci.yml",
    ):
        assert (depot / chemin).is_file(), chemin
    for ci in (".github/workflows/cls.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"):
        assert "cls validate" in (depot / ci).read_text(encoding="utf-8")
        _yaml(depot / ci)  # du YAML valide
    assert (depot / ".git").is_dir()
    # chaque modeline désigne un schéma écrit
    for fichier in ("contrat.yaml", "axes.yaml"):
        premiere = (depot / "data" / fichier).read_text(encoding="utf-8").splitlines()[0]
        cible = premiere.split("$schema=")[1]
        assert (depot / "data" / cible).resolve().is_file()


def test_init_puis_cls_new_puis_validate(cls, tmp_path: Path) -> None:
    depot = tmp_path / "x"
    assert _init(cls, depot, "--signature", "2026-03-02").exit_code == 0
    assert _yaml(depot / "data" / "contrat.yaml")["date_signature"].isoformat() == "2026-03-02"
    nouvelle = cls("new", "--data", depot / "data", "--objectif", "1.1.1", "--titre", "Agir")
    assert nouvelle.exit_code == 0, nouvelle.output
    valide = cls("validate", "--data", depot / "data")
    assert valide.exit_code == 1  # la fiche créée a des « À COMPLÉTER »
    assert "aucune fiche" not in valide.output


def test_actions_vide_sans_gitkeep_reste_une_erreur(cls, tmp_path: Path) -> None:
    depot = tmp_path / "x"
    assert _init(cls, depot).exit_code == 0
    (depot / "data" / "actions" / ".gitkeep").unlink()
    assert cls("validate", "--data", depot / "data").exit_code == 1


def test_init_dossier_non_vide_refuse(cls, tmp_path: Path) -> None:
    depot = tmp_path / "x"
    depot.mkdir()
    (depot / "notes.txt").write_text("à garder", encoding="utf-8")
    resultat = _init(cls, depot)
    assert resultat.exit_code == 2
    assert "--force" in resultat.output
    assert sorted(p.name for p in depot.iterdir()) == ["notes.txt"]


def test_init_force_n_ecrase_rien(cls, tmp_path: Path) -> None:
    depot = tmp_path / "x"
    (depot / "data").mkdir(parents=True)
    (depot / "data" / "contrat.yaml").write_text("titre: le mien\n", encoding="utf-8")
    (depot / "README.md").write_text("mon README", encoding="utf-8")
    resultat = _init(cls, depot, "--force")
    assert resultat.exit_code == 0, resultat.output
    assert (depot / "data" / "contrat.yaml").read_text(encoding="utf-8") == "titre: le mien\n"
    assert (depot / "README.md").read_text(encoding="utf-8") == "mon README"
    assert "laissé tel quel" in resultat.output
    assert (depot / "data" / "axes.yaml").is_file()


def test_init_dans_un_depot_existant_ne_cree_pas_de_git(cls, tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert _init(cls, tmp_path / "contrats" / "dreux").exit_code == 0
    assert not (tmp_path / "contrats" / "dreux" / ".git").exists()


@pytest.mark.parametrize(
    ("options", "attendu"),
    [(("--fin", "2020"), "précède"), (("--debut", "1800"), "entre")],
)
def test_init_annees_invalides_code_2(
    cls, tmp_path: Path, options: tuple[str, ...], attendu: str
) -> None:
    resultat = cls(
        "init", tmp_path / "x", "--nom", "CLS", "--debut", "2026", "--fin", "2031", *options
    )
    assert resultat.exit_code == 2
    assert attendu in resultat.output
    assert not (tmp_path / "x").exists()


# --- cls rollup -------------------------------------------------------------------------


def _copies(tmp_path: Path, n: int = 3) -> list[Path]:
    copies = []
    for i in range(1, n + 1):
        copie = Path(shutil.copytree(DEMO, tmp_path / f"c{i}"))
        contrat = copie / "contrat.yaml"
        texte = contrat.read_text(encoding="utf-8")
        contrat.write_text(texte.replace("titre: ", f"titre: Copie {i} — ", 1), "utf-8")
        copies.append(copie)
    return copies


def test_rollup_totaux_recalcules(cls, tmp_path: Path) -> None:
    import json

    copies = _copies(tmp_path)
    resultat = cls("rollup", *copies, "--year", "2021", "-f", "json")
    assert resultat.exit_code == 0, resultat.output
    r = json.loads(resultat.stdout)
    assert [c["titre"][:7] for c in r["contrats"]] == ["Copie 1", "Copie 2", "Copie 3"]
    # recalcul indépendant : le rapport de chaque copie, additionné ici
    rapports = [
        json.loads(cls("report", "--year", "2021", "-f", "json", "--data", c).stdout)
        for c in copies
    ]
    t = r["totaux"]
    assert t["contrats"] == 3
    assert t["fiches"] == sum(len(x["actions"]) for x in rapports)
    assert t["en_retard"] == sum(len(x["contrat"]["en_retard"]) for x in rapports)
    for statut in t["statuts"]:
        assert t["statuts"][statut] == sum(x["contrat"]["statuts"][statut] for x in rapports)
    mesures = sum(x["contrat"]["completude_detail"]["mesures"] for x in rapports)
    attendus = sum(x["contrat"]["completude_detail"]["attendus"] for x in rapports)
    assert t["completude_detail"] == {"mesures": mesures, "attendus": attendus}
    assert t["completude"] == pytest.approx(100 * mesures / attendus)
    assert sum(t["statuts"].values()) == t["fiches"]


def test_rollup_titres_en_double_refuses(cls, tmp_path: Path) -> None:
    a = Path(shutil.copytree(DEMO, tmp_path / "a"))
    b = Path(shutil.copytree(DEMO, tmp_path / "b"))
    resultat = cls("rollup", a, b, "--year", "2021")
    assert resultat.exit_code == 1
    assert "deux contrats portent le titre" in resultat.output


def test_rollup_arbre_invalide_nomme_et_partial(cls, tmp_path: Path) -> None:
    import json

    bon, mauvais = _copies(tmp_path, 2)
    (mauvais / "axes.yaml").write_text("axes: []\n", encoding="utf-8")
    resultat = cls("rollup", bon, mauvais, "--year", "2021")
    assert resultat.exit_code == 1
    assert str(mauvais) in resultat.output
    partiel = cls("rollup", bon, mauvais, "--year", "2021", "--partial", "-f", "json")
    assert partiel.exit_code == 0, partiel.output
    r = json.loads(partiel.stdout)
    assert r["totaux"]["contrats"] == 1
    assert r["arbres_invalides"][0]["dossier"] == str(mauvais)


def test_rollup_sqlite_comptes(cls, tmp_path: Path) -> None:
    copies = _copies(tmp_path)
    base = tmp_path / "region.sqlite"
    resultat = cls("rollup", *copies, "--format", "sqlite", "-o", base)
    assert resultat.exit_code == 0, resultat.output
    un = comptes_yaml(DEMO)
    attendus = {n: 3 * v for n, v in un.items()}
    attendus["porteurs"] = un["porteurs"]  # mêmes organismes dans les trois copies
    assert _comptes_base(base) == attendus


def test_rollup_sans_annee_ni_annee_commune_code_2(cls, tmp_path: Path) -> None:
    vide = cls("init", tmp_path / "x", "--nom", "CLS", "--debut", "2026", "--fin", "2031")
    assert vide.exit_code == 0, vide.output
    resultat = cls("rollup", DEMO, tmp_path / "x" / "data")
    assert resultat.exit_code == 2
    assert "--year" in resultat.output
