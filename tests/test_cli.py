"""La CLI vue de l'utilisateur : codes de sortie, sorties exactes, aide en français."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer

from cls_cli.cli import app
from tests.conftest import CAS, DATA

SORTIE_DATA = (
    "data/actions/27-ameliorer-mobilite-publics-fragiles-vers-lieux.yaml:30:1: [avertissement] "
    "la fiche 27 n'a aucun indicateur d'évaluation ; correction : ajoutez au moins un "
    "indicateur sous « indicateurs: » (sans-indicateur)\n"
    "56 fiches vérifiées : 0 erreur, 1 avertissement\n"
)


def _commandes() -> list[str]:
    return [c.name for c in typer.main.get_command(app).commands.values()]  # type: ignore[attr-defined]


def test_validate_data_livrees(cls, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA.parent)
    resultat = cls("validate")
    assert resultat.exit_code == 0
    assert resultat.stdout == SORTIE_DATA
    assert resultat.stderr == "Dossier de données : data\n"  # trouvé en remontant : annoncé


def test_validate_trouve_data_depuis_un_sous_dossier(cls, monkeypatch) -> None:
    monkeypatch.chdir(DATA / "actions")
    assert cls("validate").exit_code == 0


def test_validate_sans_donnees_code_2(cls, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    resultat = cls("validate")
    assert resultat.exit_code == 2
    assert "aucun dossier de données" in resultat.output
    assert "Traceback" not in resultat.output


def test_validate_format_inconnu_code_2(cls) -> None:
    resultat = cls("validate", "--data", DATA, "--format", "xml")
    assert resultat.exit_code == 2
    assert "format inconnu" in resultat.output


def test_validate_json(cls) -> None:
    resultat = cls("validate", "--data", DATA, "--format", "json")
    donnees = json.loads(resultat.output)
    assert donnees["fiches"] == 56 and donnees["erreurs"] == 0
    assert donnees["problemes"][0]["regle"] == "sans-indicateur"
    assert donnees["problemes"][0]["ligne"] == 30


def test_validate_github(cls, arbre_vide: Path) -> None:
    shutil.copy(CAS / "invalides" / "01-cle-inconnue.yaml", arbre_vide / "actions")
    resultat = cls("validate", "--data", arbre_vide, "--format", "github")
    assert resultat.exit_code == 1
    lignes = resultat.output.splitlines()
    assert all(ligne.startswith("::error file=data/actions/01-") for ligne in lignes[:-1])
    assert any(",line=6,col=1,title=modele::clé inconnue « porteur »" in ligne for ligne in lignes)


def test_validate_github_automatique(cls, arbre_vide: Path, monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    shutil.copy(CAS / "invalides" / "01-cle-inconnue.yaml", arbre_vide / "actions")
    assert cls("validate", "--data", arbre_vide).output.startswith("::error ")


def test_tous_les_problemes_d_un_coup(cls, arbre_vide: Path) -> None:
    for nom in ("01-cle-inconnue.yaml", "01-objectif-inconnu.yaml"):
        shutil.copy(
            CAS / "invalides" / nom,
            arbre_vide / "actions" / nom.replace("01-", "0" + str(len(nom) % 9) + "-"),
        )
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert resultat.output.count("[erreur]") >= 2


def test_numero_double(cls, arbre_vide: Path) -> None:
    base = CAS / "valides" / "01-complete.yaml"
    shutil.copy(base, arbre_vide / "actions" / "01-a.yaml")
    shutil.copy(base, arbre_vide / "actions" / "01-b.yaml")
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "data/actions/01-b.yaml:2:1: [erreur] le numéro 1 est déjà pris par 01-a.yaml" in (
        resultat.output
    )


@pytest.mark.parametrize("commande", _commandes())
def test_chaque_commande_a_une_aide_en_francais(cls, commande: str) -> None:
    resultat = cls(commande, "--help")
    assert resultat.exit_code == 0
    commande_obj = typer.main.get_command(app).commands[commande]  # type: ignore[attr-defined]
    assert commande_obj.help, f"la commande {commande} n'a pas d'aide"
    assert any(mot in commande_obj.help for mot in (" les ", " la ", " le ", " une ", " des "))


def test_show_28(cls) -> None:
    resultat = cls("show", "28", "--data", DATA)
    assert resultat.exit_code == 0
    sortie = " ".join(resultat.output.split())
    for attendu in (
        "FICHE ACTION N° 28",
        "Axe 2 – Offre de soins et accès aux droits",
        "2.2.3 Favoriser la mobilité des personnes en difficulté",
        "Réaliser une étude sur le besoin de livraison des médicaments",
        "Action existante",
        "Porteur du projet : Chambre de commerce et d'industrie",
        "Territoire : Agglomération chartraine",
        "Nombre de pharmaciens partenaires",
    ):
        assert attendu in sortie, attendu


def test_show_inconnue_code_2(cls) -> None:
    resultat = cls("show", "99", "--data", DATA)
    assert resultat.exit_code == 2
    assert "la fiche 99 n'existe pas" in resultat.output


def test_list_filtres(cls) -> None:
    sortie = cls("list", "--data", DATA, "--axe", "4").output
    assert "11 fiche(s)" in sortie
    sortie = cls("list", "--data", DATA, "--priorite", "2020").output
    assert "9 fiche(s)" in sortie
    sortie = cls("list", "--data", DATA, "--statut", "non_renseignee").output
    assert "56 fiche(s)" in sortie
    assert cls("list", "--data", DATA, "--statut", "fini").exit_code == 2


def test_balisage_rich_des_donnees_affiche_tel_quel(cls, arbre_vide: Path) -> None:
    texte = (CAS / "valides" / "01-complete.yaml").read_text(encoding="utf-8")
    texte = texte.replace("titre: Action de test", 'titre: "[red]Action[/red] \\e[31mrouge"')
    (arbre_vide / "actions" / "01-x.yaml").write_text(texte, encoding="utf-8")
    sortie = cls("show", "1", "--data", arbre_vide).output
    assert "[red]Action[/red]" in sortie
    assert "\x1b[31m" not in sortie


def test_validate_demo(cls) -> None:
    from tests.conftest import DEMO

    resultat = cls("validate", "--data", DEMO)
    assert resultat.exit_code == 0
    assert resultat.output.endswith("56 fiches vérifiées : 0 erreur, 1 avertissement\n")


def test_le_demarrage_n_importe_que_le_necessaire() -> None:
    """cls validate démarre sans rich, jinja2, babel, openpyxl, filelock ni ruamel : ils sont
    importés par les commandes qui s'en servent (voir benchmarks/RESULTS.md)."""
    import subprocess
    import sys

    code = (
        "import sys, cls_cli.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('rich', 'jinja2', 'babel', 'openpyxl', 'filelock', 'ruamel', 'markdown_it')))"
    )
    sortie = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert sortie.strip() == "[]"


def test_demarrage_reprend_le_ramasse_miettes(monkeypatch) -> None:
    """Le point d'entrée suspend le ramasse-miettes pendant les imports seulement : la
    commande tourne avec lui, et les objets du démarrage sont mis à part (gc.freeze)."""
    import gc

    from cls_cli import cli, demarrage

    vu: dict[str, object] = {}

    def commande() -> None:
        vu["actif"], vu["geles"] = gc.isenabled(), gc.get_freeze_count()

    monkeypatch.setattr(cli, "main", commande)
    try:
        demarrage.main()
    finally:
        gc.unfreeze()
        gc.enable()
    assert vu["actif"] is True
    assert isinstance(vu["geles"], int) and vu["geles"] > 0
