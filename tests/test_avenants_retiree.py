"""Une fiche retirée porte ``retiree`` d'accord avec l'avenant qui la retire (cls validate).

Cas faits main sur une copie de l'exemple fictif, où l'avenant n° 2 (2023-06-15) retire la
fiche 40 et où la fiche 40 le dit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FICHE_40 = "actions/40-prodiguer-mise-niveau-seniors-code-route.yaml"
MOTIF = "Action reprise par l'auto-école sociale du territoire (fictif)"
RETRAIT = f"retiree:\n  avenant: 2\n  annee: 2023\n  motif: {MOTIF}\n"


def _remplacer(data: Path, avant: str, apres: str) -> None:
    fiche = data / FICHE_40
    texte = fiche.read_text(encoding="utf-8")
    assert avant in texte
    fiche.write_text(texte.replace(avant, apres, 1), encoding="utf-8")


def _problemes(cls, data: Path, regle: str) -> list[str]:  # type: ignore[no-untyped-def]
    resultat = cls("validate", "--data", data)
    assert "Traceback" not in resultat.output
    lignes = [ligne for ligne in resultat.output.splitlines() if f"({regle})" in ligne]
    if lignes:
        assert resultat.exit_code == 1, resultat.output
    return lignes


def _seul(cls, data: Path, regle: str) -> str:  # type: ignore[no-untyped-def]
    lignes = _problemes(cls, data, regle)
    assert len(lignes) == 1, lignes
    return lignes[0]


def test_l_exemple_est_coherent(cls, copie_demo: Path) -> None:
    assert RETRAIT in (copie_demo / FICHE_40).read_text(encoding="utf-8")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "retiree" not in resultat.output


def test_fiche_retiree_sans_retiree(cls, copie_demo: Path) -> None:
    _remplacer(copie_demo, RETRAIT, "")
    ligne = _seul(cls, copie_demo, "retiree-manquante")
    assert ligne.startswith(f"demo/{FICHE_40}:2:1: [erreur] ")
    assert "la fiche 40 est retirée par l'avenant n° 2 (avenants/2.yaml) mais ne le dit pas" in (
        ligne
    )
    assert f'« retiree: {{avenant: 2, annee: 2023, motif: "{MOTIF}"}} »' in ligne


def test_la_correction_proposee_suffit(cls, copie_demo: Path) -> None:
    """La ligne que propose le message, recopiée telle quelle, rend l'arbre valide."""
    _remplacer(copie_demo, RETRAIT, "")
    ligne = _seul(cls, copie_demo, "retiree-manquante")
    proposee = re.search(r"la ligne « (retiree: \{.*\}) »", ligne)
    assert proposee is not None
    _remplacer(copie_demo, "numero: 40\n", f"numero: 40\n{proposee.group(1)}\n")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output


def test_retiree_qui_cite_un_autre_numero(cls, copie_demo: Path) -> None:
    """L'avenant 2 retire la fiche 40, qui cite l'avenant 7 : le numéro cité est faux."""
    _remplacer(copie_demo, "  avenant: 2\n", "  avenant: 7\n")
    assert _seul(cls, copie_demo, "retiree-discordante") == (
        f"demo/{FICHE_40}:4:3: [erreur] « retiree » de la fiche 40 ne donne pas le numéro de "
        "l'avenant n° 2 (avenants/2.yaml), qui la retire : 7 au lieu de 2 ; correction : "
        f'recopiez-le de l\'avenant : « retiree: {{avenant: 2, annee: 2023, motif: "{MOTIF}"}} »'
        " (retiree-discordante)"
    )
    assert _problemes(cls, copie_demo, "retiree-sans-retrait") == []


def test_retiree_sans_avenant_qui_la_retire(cls, copie_demo: Path) -> None:
    """Une fiche en vigueur (la 41) qui se dit retirée par un avenant absent, puis par un
    avenant présent qui ne la retire pas."""
    fiche = next((copie_demo / "actions").glob("41-*.yaml"))
    texte = fiche.read_text(encoding="utf-8")
    fiche.write_text(texte.replace("numero: 41\n", "numero: 41\n" + RETRAIT.replace("2", "9", 1)))
    ligne = _seul(cls, copie_demo, "retiree-sans-retrait")
    assert ligne.startswith(f"demo/actions/{fiche.name}:4:3: [erreur] ")
    assert "la fiche 41 se dit retirée par l'avenant n° 9, introuvable (avenants/9.yaml)" in ligne
    assert "cls withdraw 41 --avenant N --motif" in ligne
    assert "supprimez « retiree » de la fiche" in ligne
    fiche.write_text(texte.replace("numero: 41\n", "numero: 41\n" + RETRAIT.replace("2", "1", 1)))
    ligne = _seul(cls, copie_demo, "retiree-sans-retrait")
    assert "l'avenant n° 1 ne retire pas la fiche 41" in ligne


@pytest.mark.parametrize(
    ("avant", "apres", "ligne", "attendu"),
    [
        (
            "  annee: 2023\n",
            "  annee: 2024\n",
            5,
            "l'année de l'avenant n° 2 (avenants/2.yaml), qui la retire : 2024 au lieu de 2023",
        ),
        (f"  motif: {MOTIF}\n", "  motif: Autre raison\n", 6, "le motif de l'avenant n° 2"),
        ("  avenant: 2\n", "  avenant: 1\n", 4, "le numéro de l'avenant n° 2"),
    ],
)
def test_retiree_discordante(
    cls, copie_demo: Path, avant: str, apres: str, ligne: int, attendu: str
) -> None:
    _remplacer(copie_demo, avant, apres)
    trouvee = _seul(cls, copie_demo, "retiree-discordante")
    assert trouvee.startswith(f"demo/{FICHE_40}:{ligne}:")
    assert attendu in trouvee
    assert "retiree-sans-retrait" not in cls("validate", "--data", copie_demo).output


def test_motif_aux_espaces_pres(cls, copie_demo: Path) -> None:
    """Le motif replié sur deux lignes (mêmes mots) est le même motif."""
    mots = MOTIF.split(" ")
    replie = " ".join(mots[:4]) + "\n    " + " ".join(mots[4:])
    _remplacer(copie_demo, f"  motif: {MOTIF}\n", f"  motif: {replie}\n")
    assert _problemes(cls, copie_demo, "retiree-discordante") == []


def test_retiree_mal_formee(cls, copie_demo: Path) -> None:
    _remplacer(copie_demo, "  annee: 2023\n", "")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert f"demo/{FICHE_40}:3:1: [erreur] la clé obligatoire « annee » manque (retiree.annee)" in (
        resultat.output
    )
    # L'avenant 2 cite une fiche au fichier invalide : pas de « n'existe pas » trompeur.
    assert "(avenant-fiche)" not in resultat.output
    assert "2 erreurs" not in resultat.output


def test_numero_de_fiche_retiree_non_reemploye(cls, copie_demo: Path) -> None:
    """La fiche 40, retirée par l'avenant 2, est « ajoutée » de nouveau par un avenant 3 et
    son fichier remplacé par une autre action : les deux sont signalés."""
    (copie_demo / "avenants" / "3.yaml").write_text(
        "numero: 3\ndate: 2024-03-01\nsigne: true\ndecision: COPIL\nmotif: Réemploi\n"
        "changements:\n  - type: fiche_ajoutee\n    fiche: 40\n",
        encoding="utf-8",
    )
    ligne = _seul(cls, copie_demo, "avenant-ordre")
    assert ligne.startswith("demo/avenants/2.yaml:")
    assert "la fiche 40 est retirée avant d'être ajoutée (avenant n° 3)" in ligne
    assert "un numéro de fiche retirée ne se réemploie pas" in ligne
    # Le fichier de la fiche 40 repris pour une autre action (sans « retiree ») :
    _remplacer(copie_demo, RETRAIT, "")
    _remplacer(copie_demo, "titre: Prodiguer", "titre: Autre action que")
    assert "la fiche 40 est retirée par l'avenant n° 2" in _seul(
        cls, copie_demo, "retiree-manquante"
    )


def test_diff_dit_le_retrait_de_la_fiche(cls, tmp_path: Path) -> None:
    """cls diff après cls withdraw : la clé « retiree » dite en français, l'année écrite
    « 2023 » (avant : « retiree : (vide) → avenant : 1, annee : 2 023 »)."""
    from tests.scenarios_git import depot_initial, enregistrer

    data = depot_initial(tmp_path)
    nouveau = cls("amend", "new", "--date", "2023-06-15", "--motif", "Bilan", "--data", data)
    assert nouveau.exit_code == 0, nouveau.output
    enregistrer(data, "Avenant 1")
    retrait = cls("withdraw", "40", "--avenant", "1", "--motif", "Fin", "--data", data)
    assert retrait.exit_code == 0, retrait.output
    sortie = cls("diff", "--data", data).output
    assert "  - retrait : (vide) → avenant : 1, année : 2023, motif : « Fin »\n" in sortie
    assert "    - Retire la fiche 40 « " in sortie
    enregistrer(data, "Retrait")
    _remplacer(data, "  annee: 2023\n", "  annee: 2024\n")
    assert "  - retrait, année : 2023 → 2024\n" in cls("diff", "--data", data).output
