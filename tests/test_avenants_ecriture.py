"""cls new --avenant et cls withdraw : le changement inscrit dans l'avenant par le chemin
d'écriture unique (tout ou rien), cas faits main."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

FICHE_30 = "actions/30-developper-dispositifs-telemedecine-legers-structures-sociales.yaml"

AVENANT_1 = """\
    numero: 1
    date: 2022-03-10
    signe: true
    decision: COPIL restreint du 10 février 2022
    motif: Deux actions nouvelles
    # Les fiches de l'axe 4
    changements:
      - type: fiche_ajoutee
        fiche: 55  # kit des élus
      # fin des changements
    """


@pytest.fixture
def demo(copie_demo: Path) -> Path:
    """L'exemple fictif avec un seul avenant (n° 1, commenté) et un n° 2 vide."""
    shutil.rmtree(copie_demo / "avenants")
    (copie_demo / "avenants").mkdir()
    (copie_demo / "avenants" / "1.yaml").write_text(textwrap.dedent(AVENANT_1), "utf-8")
    return copie_demo


def _photo(data: Path) -> dict[str, bytes]:
    """Le contenu de chaque fichier de l'arbre (hors .cls/, dossier de travail de cls)."""
    return {
        str(c.relative_to(data)): c.read_bytes()
        for c in sorted(data.rglob("*"))
        if c.is_file() and ".cls" not in c.relative_to(data).parts
    }


def _commencer(cls, data: Path, date: str = "2023-06-15") -> None:  # type: ignore[no-untyped-def]
    resultat = cls("amend", "new", "--date", date, "--motif", "Bilan", "--data", data)
    assert resultat.exit_code == 0, resultat.output


def test_new_avenant_cree_la_fiche_et_l_inscrit(cls, demo: Path) -> None:
    _commencer(cls, demo)
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "2", "--data", demo
    )
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.startswith(
        "Fiche 57 créée : demo/actions/57-essai.yaml\n"
        "Inscrite dans l'avenant n° 2 (demo/avenants/2.yaml) : elle est en vigueur à partir de "
        "sa date.\n"
    )
    assert (demo / "actions" / "57-essai.yaml").is_file()
    texte = (demo / "avenants" / "2.yaml").read_text("utf-8")
    assert texte.endswith("changements:\n  - type: fiche_ajoutee\n    fiche: 57\n")
    # Le reste de l'avenant est gardé tel quel (commentaires compris).
    assert "# Un changement par élément, par exemple :\n" in texte
    resultat = cls("amend", "show", "2", "--data", demo)
    assert resultat.output.endswith("- Ajoute la fiche 57.\n")  # fiche à compléter : sans titre


def test_new_avenant_garde_les_commentaires(cls, demo: Path) -> None:
    avant = (demo / "avenants" / "1.yaml").read_text("utf-8")
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "1", "--data", demo
    )
    assert resultat.exit_code == 0, resultat.output
    apres = (demo / "avenants" / "1.yaml").read_text("utf-8")
    assert apres == avant.replace(
        "  # fin des changements\n",
        "  - type: fiche_ajoutee\n    fiche: 57\n  # fin des changements\n",
    )


def test_new_avenant_absent_rien_n_est_ecrit(cls, demo: Path) -> None:
    photo = _photo(demo)
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "7", "--data", demo
    )
    assert resultat.exit_code == 2, resultat.output
    assert "pas d'avenant n° 7 (avenants : 1) : commencez-le avec « cls amend new" in (
        resultat.output
    )
    assert _photo(demo) == photo


def test_new_avenant_invalide_rien_n_est_ecrit(cls, demo: Path) -> None:
    chemin = demo / "avenants" / "1.yaml"
    chemin.write_text(chemin.read_text("utf-8").replace("signe: true", "signe: oui?"), "utf-8")
    photo = _photo(demo)
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "1", "--data", demo
    )
    assert resultat.exit_code == 1, resultat.output
    assert "avenants/1.yaml:3:1: l'avenant n° 1 est invalide, rien n'a été écrit" in (
        resultat.output
    )
    assert _photo(demo) == photo


def test_new_avenant_fiche_deja_annoncee(cls, demo: Path) -> None:
    """Un avenant annonce déjà la fiche 57, pas encore créée : --avenant l'inscrirait deux fois."""
    chemin = demo / "avenants" / "1.yaml"
    chemin.write_text(chemin.read_text("utf-8").replace("fiche: 55", "fiche: 57"), "utf-8")
    _commencer(cls, demo)
    photo = _photo(demo)
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "2", "--data", demo
    )
    assert resultat.exit_code == 1, resultat.output
    assert "l'avenant n° 1 ajoute déjà une fiche 57, qui n'existe pas encore" in resultat.output
    assert _photo(demo) == photo
    # Sans --avenant, la fiche prévue par l'avenant n° 1 est créée.
    resultat = cls("new", "--objectif", "1.1.1", "--titre", "Essai", "--data", demo)
    assert resultat.exit_code == 0, resultat.output


def test_withdraw_inscrit_le_retrait(cls, demo: Path) -> None:
    _commencer(cls, demo)
    fiche = (demo / FICHE_30).read_bytes()
    resultat = cls(
        "withdraw", "40", "--avenant", "2", "--motif", "Reprise : par l'ARS", "--data", demo
    )
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output == (
        "Fiche 40 retirée du contrat par l'avenant n° 2 (inscrit dans demo/avenants/2.yaml).\n"
    )
    texte = (demo / "avenants" / "2.yaml").read_text("utf-8")
    assert texte.endswith(
        'changements:\n  - type: fiche_retiree\n    fiche: 40\n    motif: "Reprise : par l\'ARS"\n'
    )
    assert (demo / FICHE_30).read_bytes() == fiche
    resultat = cls("amend", "show", "2", "--data", demo)
    assert "- Retire la fiche 40 « Prodiguer" in resultat.output
    assert "(motif : Reprise : par l'ARS)." in resultat.output
    # Après le retrait, la fiche ne reçoit plus de saisie pour 2024.
    resultat = cls("record", "40", "participants", "12", "--year", "2024", "--data", demo)
    assert resultat.exit_code == 2, resultat.output
    assert "retirée du contrat par l'avenant n° 2" in resultat.output
    # Un second retrait de la même fiche est refusé.
    photo = _photo(demo)
    resultat = cls("withdraw", "40", "--avenant", "2", "--motif", "x", "--data", demo)
    assert resultat.exit_code == 2, resultat.output
    assert "la fiche 40 est déjà retirée par l'avenant n° 2 (2023-06-15)" in resultat.output
    assert _photo(demo) == photo


def test_withdraw_avec_une_mesure_posterieure_ne_laisse_rien(cls, demo: Path) -> None:
    """La fiche 30 a une mesure 2023 : la retirer par l'avenant de 2022 est refusé."""
    photo = _photo(demo)
    resultat = cls("withdraw", "30", "--avenant", "1", "--motif", "Fin", "--data", demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert f"{FICHE_30}:38:" in sortie
    assert (
        "retirer la fiche 30 par l'avenant n° 1 (2022-03-10) rendrait l'arbre incohérent, "
        "rien n'a été écrit : mesure 2023 de" in sortie
    )
    assert _photo(demo) == photo


def test_withdraw_avant_l_ajout_ne_laisse_rien(cls, demo: Path) -> None:
    _commencer(cls, demo)
    resultat = cls(
        "new", "--objectif", "1.1.1", "--titre", "Essai", "--avenant", "2", "--data", demo
    )
    assert resultat.exit_code == 0, resultat.output
    # La fiche 57 est à compléter (invalide) : on la remplace par une copie valide de la 30.
    texte = (demo / FICHE_30).read_text("utf-8").replace("numero: 30", "numero: 57")
    (demo / "actions" / "57-essai.yaml").write_text(texte, "utf-8")
    photo = _photo(demo)
    resultat = cls("withdraw", "57", "--avenant", "1", "--motif", "Fin", "--data", demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "avenants/1.yaml:7:1:" in sortie
    assert "la fiche 57 est retirée avant d'être ajoutée (avenant n° 2)" in sortie
    assert _photo(demo) == photo


@pytest.mark.parametrize(
    ("arguments", "code", "attendu"),
    [
        (["99", "--avenant", "1", "--motif", "x"], 2, "la fiche 99 n'existe pas"),
        (["40", "--avenant", "5", "--motif", "x"], 2, "pas d'avenant n° 5 (avenants : 1)"),
        (["40", "--avenant", "1", "--motif", "  "], 2, "le motif est vide"),
        (["40", "--avenant", "0", "--motif", "x"], 2, "pas d'avenant n° 0"),
    ],
)
def test_withdraw_refuse(cls, demo: Path, arguments: list[str], code: int, attendu: str) -> None:
    photo = _photo(demo)
    resultat = cls("withdraw", *arguments, "--data", demo)
    assert resultat.exit_code == code, resultat.output
    assert attendu in resultat.output
    assert _photo(demo) == photo


def test_withdraw_garde_la_bom_et_le_reste_du_fichier(cls, demo: Path) -> None:
    """Un avenant enregistré avec une BOM (Bloc-notes de Windows) la garde ; seul le
    changement ajouté diffère."""
    _commencer(cls, demo)
    chemin = demo / "avenants" / "2.yaml"
    avant = b"\xef\xbb\xbf" + chemin.read_bytes()
    chemin.write_bytes(avant)
    resultat = cls("withdraw", "40", "--avenant", "2", "--motif", "Fin", "--data", demo)
    assert resultat.exit_code == 0, resultat.output
    assert chemin.read_bytes() == avant.replace(
        b"changements: []\n",
        b"changements:\n  - type: fiche_retiree\n    fiche: 40\n    motif: Fin\n",
    )


def test_avenant_mis_en_forme_autrement_n_est_pas_reecrit(cls, demo: Path) -> None:
    chemin = demo / "avenants" / "1.yaml"
    texte = chemin.read_text("utf-8").replace(
        "  - type: fiche_ajoutee\n    fiche: 55", "    - type: fiche_ajoutee\n      fiche: 55"
    )
    chemin.write_text(texte, "utf-8")
    photo = _photo(demo)
    resultat = cls("withdraw", "40", "--avenant", "1", "--motif", "Fin", "--data", demo)
    assert resultat.exit_code == 1, resultat.output
    assert "avenants/1.yaml:1:1: la mise en forme de cet avenant ne peut pas être conservée" in (
        " ".join(resultat.output.split())
    )
    assert _photo(demo) == photo
