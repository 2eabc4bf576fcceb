"""cls new --avenant et cls withdraw : le changement inscrit dans l'avenant par le chemin
d'écriture unique (tout ou rien), cas faits main."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from tests.test_avenants import FICHE_40, RETRAIT_40

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
    """L'exemple fictif avec un seul avenant (n° 1, commenté), sans le retrait de la fiche 40."""
    shutil.rmtree(copie_demo / "avenants")
    fiche = copie_demo / FICHE_40
    fiche.write_text(fiche.read_text("utf-8").replace(RETRAIT_40, ""), "utf-8")
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
    fiche_40 = (demo / FICHE_40).read_bytes()
    resultat = cls(
        "withdraw", "40", "--avenant", "2", "--motif", "Reprise : par l'ARS", "--data", demo
    )
    assert resultat.exit_code == 0, resultat.output
    assert " ".join(resultat.output.split()) == (
        "Fiche 40 retirée du contrat par l'avenant n° 2 (inscrit dans demo/avenants/2.yaml "
        f"et dans la fiche, clé « retiree » : demo/{FICHE_40})."
    )
    texte = (demo / "avenants" / "2.yaml").read_text("utf-8")
    assert texte.endswith(
        'changements:\n  - type: fiche_retiree\n    fiche: 40\n    motif: "Reprise : par l\'ARS"\n'
    )
    assert (demo / FICHE_30).read_bytes() == fiche
    # La fiche 40 : le bloc « retiree » sous « numero: », le reste octet pour octet.
    assert (demo / FICHE_40).read_bytes() == fiche_40.replace(
        b"numero: 40\n",
        b'numero: 40\nretiree:\n  avenant: 2\n  annee: 2023\n  motif: "Reprise : par l\'ARS"\n',
    )
    sortie = cls("validate", "--data", demo).output
    assert "(retiree" not in sortie, sortie
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


def _retirer_40(cls, demo: Path, motif: str = "Fin"):  # type: ignore[no-untyped-def]
    return cls("withdraw", "40", "--avenant", "2", "--motif", motif, "--data", demo)


@pytest.mark.parametrize("rang", [0, 1])
def test_withdraw_en_panne_n_ecrit_ni_l_un_ni_l_autre(
    cls, demo: Path, monkeypatch: pytest.MonkeyPatch, rang: int
) -> None:
    """Le remplacement du 1er ou du 2e fichier (l'avenant, puis la fiche) échoue : les deux
    fichiers restent tels qu'avant (avant : seul l'avenant était écrit, la fiche jamais)."""
    import os

    _commencer(cls, demo)
    photo = _photo(demo)
    vrai_replace = os.replace

    def replace(source: object, cible: object) -> None:
        if str(source).endswith(f"{rang}.tmp"):
            raise OSError(28, "panne simulée")
        vrai_replace(source, cible)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    resultat = _retirer_40(cls, demo)
    monkeypatch.setattr(os, "replace", vrai_replace)
    assert resultat.exit_code == 1, resultat.output
    assert "Traceback" not in resultat.output
    assert _photo(demo) == photo
    resultat = _retirer_40(cls, demo)  # la panne passée, le retrait se fait en entier
    assert resultat.exit_code == 0, resultat.output
    assert b"retiree:" in (demo / FICHE_40).read_bytes()
    assert b"fiche_retiree" in (demo / "avenants" / "2.yaml").read_bytes()


def test_withdraw_fiche_qui_porte_deja_le_retrait(cls, demo: Path) -> None:
    """« retiree » écrit à la main d'abord (mots du motif aux espaces près) : seul
    l'avenant est écrit."""
    _commencer(cls, demo)
    chemin = demo / FICHE_40
    texte = chemin.read_text("utf-8").replace(
        "numero: 40\n",
        "numero: 40\nretiree:\n  avenant: 2\n  annee: 2023\n  motif: Fin  de\n    l'action\n",
    )
    chemin.write_text(texte, "utf-8")
    resultat = _retirer_40(cls, demo, "Fin de l'action")
    assert resultat.exit_code == 0, resultat.output
    assert " ".join(resultat.output.split()) == (
        "Fiche 40 retirée du contrat par l'avenant n° 2 (inscrit dans demo/avenants/2.yaml)."
    )
    assert chemin.read_text("utf-8") == texte
    sortie = cls("validate", "--data", demo).output
    assert "(retiree" not in sortie, sortie


def test_withdraw_fiche_qui_porte_un_autre_retrait(cls, demo: Path) -> None:
    _commencer(cls, demo)
    chemin = demo / FICHE_40
    chemin.write_text(
        chemin.read_text("utf-8").replace("numero: 40\n", "numero: 40\n" + RETRAIT_40), "utf-8"
    )
    photo = _photo(demo)
    resultat = _retirer_40(cls, demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert f"demo/{FICHE_40}:3:1: la fiche 40 porte déjà « retiree » (avenant n° 2, 2023)" in (
        sortie
    )
    assert _photo(demo) == photo


def test_withdraw_garde_la_bom_et_les_fins_de_ligne_de_la_fiche(cls, demo: Path) -> None:
    """Une fiche enregistrée sous Windows (BOM, CRLF) : le bloc prend ses fins de ligne."""
    _commencer(cls, demo)
    chemin = demo / FICHE_40
    avant = b"\xef\xbb\xbf" + chemin.read_bytes().replace(b"\n", b"\r\n")
    chemin.write_bytes(avant)
    resultat = _retirer_40(cls, demo)
    assert resultat.exit_code == 0, resultat.output
    assert chemin.read_bytes() == avant.replace(
        b"numero: 40\r\n",
        b"numero: 40\r\nretiree:\r\n  avenant: 2\r\n  annee: 2023\r\n  motif: Fin\r\n",
    )


def test_withdraw_fiche_sans_ligne_numero_ordinaire(cls, demo: Path) -> None:
    """« numero » écrit autrement (entre guillemets) : rien n'est deviné, rien n'est écrit,
    le message donne les lignes à ajouter à la main."""
    _commencer(cls, demo)
    chemin = demo / FICHE_40
    chemin.write_text(chemin.read_text("utf-8").replace("numero: 40\n", '"numero": 40\n'), "utf-8")
    photo = _photo(demo)
    resultat = _retirer_40(cls, demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "la ligne « numero: » de cette fiche n'a pas la forme attendue ; rien n'a été écrit" in (
        sortie
    )
    assert "« retiree: / avenant: 2 / annee: 2023 / motif: Fin »" in sortie
    assert _photo(demo) == photo
