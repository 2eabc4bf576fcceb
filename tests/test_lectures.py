"""Les lectures jamais fausses en silence : le dossier de données, chaque fiche comptée,
les nombres finis, les années du contrat, la sortie terminal sûre (ticket 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import CAS


def test_data_explicite_sans_axes_dans_un_arbre_valide(cls, copie_data: Path) -> None:
    """--data X veut dire X : pas de recherche vers le haut qui validerait un autre arbre."""
    sous_dossier = copie_data / "actions"
    resultat = cls("validate", "--data", sous_dossier)
    assert resultat.exit_code == 1
    assert "axes.yaml est introuvable dans le dossier de données désigné par --data" in (
        resultat.output
    )
    assert "fiches vérifiées" not in resultat.output
    assert "Traceback" not in resultat.output


def test_data_explicite_propose_le_sous_dossier_data(cls, copie_data: Path) -> None:
    resultat = cls("list", "--data", copie_data.parent)
    assert resultat.exit_code == 1
    assert f"--data {copie_data}" in " ".join(resultat.output.split())


def test_data_explicite_inexistant_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("validate", "--data", tmp_path / "absent")
    assert resultat.exit_code == 2
    assert "n'existe pas" in resultat.output


def test_data_explicite_n_annonce_rien(cls, copie_data: Path) -> None:
    resultat = cls("validate", "--data", copie_data)
    assert resultat.exit_code == 0
    assert resultat.stderr == ""


def test_actions_vide_est_une_erreur(cls, arbre_vide: Path) -> None:
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "aucune fiche dans actions/" in resultat.output
    assert "(aucune-fiche)" in resultat.output


def test_contrat_absent_est_une_erreur(cls, arbre_vide: Path) -> None:
    shutil.copy(CAS / "valides" / "01-complete.yaml", arbre_vide / "actions" / "01-a.yaml")
    (arbre_vide / "contrat.yaml").unlink()
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "contrat.yaml est introuvable" in resultat.output
    assert "(fichier-absent)" in resultat.output
