"""Les avenants : modèle, règles de cls validate (cas faits main, positifs et négatifs)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

FICHE_12 = "actions/12-contribuer-ameliorer-sante-habitants-actions-prevention.yaml"

AVENANT_1 = """\
    # yaml-language-server: $schema=../../../schemas/avenant.schema.json
    numero: 1
    date: 2022-03-10
    signe: true
    decision: COPIL restreint du 10 février 2022
    motif: Deux actions nouvelles
    changements:
      - type: fiche_ajoutee
        fiche: 55
      - type: fiche_ajoutee
        fiche: 56
    """

AVENANT_2 = """\
    numero: 2
    date: 2023-06-01
    signe: true
    decision: COPIL restreint du 12 mai 2023
    motif: Bilan à mi-parcours
    changements:
      - type: fiche_retiree
        fiche: 40
        motif: Action reprise par la préfecture
      - type: fiche_modifiee
        fiche: 12
        quoi: cible
        indicateur: etablissements
        avant: 60
        apres: 80
    """


def ecrire(data: Path, nom: str, texte: str) -> Path:
    dossier = data / "avenants"
    dossier.mkdir(exist_ok=True)
    chemin = dossier / nom
    chemin.write_text(textwrap.dedent(texte), encoding="utf-8")
    return chemin


def valider(cls, data: Path):  # type: ignore[no-untyped-def]
    return cls("validate", "--data", data)


def test_deux_avenants_valides(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(copie_demo, "2.yaml", AVENANT_2)
    resultat = valider(cls, copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.endswith("0 erreur, 1 avertissement\n")


def _un_probleme(cls, data: Path, regle: str) -> str:  # type: ignore[no-untyped-def]
    resultat = valider(cls, data)
    lignes = [ligne for ligne in resultat.output.splitlines() if f"({regle})" in ligne]
    assert len(lignes) == 1, resultat.output
    assert "Traceback" not in resultat.output
    return lignes[0]


def test_date_hors_contrat(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1.replace("2022-03-10", "2019-12-01"))
    ligne = _un_probleme(cls, copie_demo, "avenant-date")
    assert ligne.startswith("demo/avenants/1.yaml:3:1: ")
    assert "daté du 2019-12-01, hors du contrat (du 2020-02-17 au 2025-12-31)" in ligne


def test_date_avant_l_avenant_precedent(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(copie_demo, "2.yaml", AVENANT_2.replace("2023-06-01", "2021-01-05"))
    ligne = _un_probleme(cls, copie_demo, "avenant-ordre")
    assert ligne.startswith("demo/avenants/2.yaml:2:1: ")
    assert "l'avenant n° 2 (2021-01-05) est antérieur à l'avenant n° 1 (2022-03-10)" in ligne


def test_fiche_ajoutee_par_deux_avenants(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(
        copie_demo,
        "2.yaml",
        AVENANT_2.replace("fiche_retiree", "fiche_ajoutee")
        .replace("fiche: 40", "fiche: 56")
        .replace("        motif: Action reprise par la préfecture\n", ""),
    )
    ligne = _un_probleme(cls, copie_demo, "avenant-fiche-double")
    assert ligne.startswith("demo/avenants/2.yaml:8:5: ")
    assert "la fiche 56 est déjà ajoutée par l'avenant n° 1" in ligne


def test_fiche_retiree_qui_recoit_une_mesure_posterieure(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    # La fiche 12 retirée en 2021 a encore des mesures en 2022 et 2023.
    ecrire(
        copie_demo,
        "2.yaml",
        AVENANT_2.replace("2023-06-01", "2022-06-01").replace("fiche: 40", "fiche: 12"),
    )
    resultat = valider(cls, copie_demo)
    assert resultat.exit_code == 1
    lignes = [ligne for ligne in resultat.output.splitlines() if "(fiche-retiree)" in ligne]
    assert [ligne.split(" ", 1)[0] for ligne in lignes] == [
        f"demo/{FICHE_12}:{n}:9:" for n in (47, 64, 79, 97)
    ] + [f"demo/{FICHE_12}:109:5:"]
    assert "mesure 2023 de « etablissements » après le retrait de la fiche (2022)" in lignes[0]
    assert "point de suivi 2023 après le retrait de la fiche (2022)" in lignes[-1]


def test_fiche_renumerotee(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1.replace("fiche: 56", "fiche: 57"))
    ligne = _un_probleme(cls, copie_demo, "avenant-fiche")
    assert ligne.startswith("demo/avenants/1.yaml:11:5: ")
    assert "la fiche 57 n'existe pas dans actions/ (renumérotée ou supprimée ?)" in ligne


def test_reunion_absente_puis_presente(cls, copie_demo: Path) -> None:
    ecrire(
        copie_demo,
        "1.yaml",
        AVENANT_1.replace("signe: true", "signe: true\n    instance: 2022-02-10-copil"),
    )
    ligne = _un_probleme(cls, copie_demo, "avenant-instance")
    assert ligne.startswith("demo/avenants/1.yaml:5:1: ")
    assert "la réunion « 2022-02-10-copil » est introuvable (instances/2022-02-10-copil.yaml)" in (
        ligne
    )
    (copie_demo / "instances").mkdir()
    (copie_demo / "instances" / "2022-02-10-copil.yaml").write_text("type: copil\n")
    assert valider(cls, copie_demo).exit_code == 0


def test_fichier_d_avenant_supprime(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(copie_demo, "3.yaml", AVENANT_2.replace("numero: 2", "numero: 3"))
    ligne = _un_probleme(cls, copie_demo, "avenant-manquant")
    assert ligne.startswith("demo/avenants/3.yaml:1:1: ")
    assert "l'avenant n° 2 manque entre le n° 1 et le n° 3" in ligne


def test_numero_reutilise(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(copie_demo, "2.yaml", AVENANT_2.replace("numero: 2", "numero: 1"))
    resultat = valider(cls, copie_demo)
    assert "demo/avenants/2.yaml:1:1: [erreur] le numéro d'avenant 1 est déjà pris par 1.yaml" in (
        resultat.output
    )
    assert "l'avenant n° 1 est dans le fichier « 2.yaml »" in resultat.output


def test_cible_qui_ne_correspond_pas_a_la_fiche(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ecrire(copie_demo, "2.yaml", AVENANT_2.replace("apres: 80", "apres: 70"))
    ligne = _un_probleme(cls, copie_demo, "avenant-cible")
    assert ligne.startswith("demo/avenants/2.yaml:15:5: ")
    assert "vaut 80 dans la fiche, pas 70" in ligne


def test_indicateur_inconnu(cls, copie_demo: Path) -> None:
    ecrire(
        copie_demo, "2.yaml", AVENANT_2.replace("indicateur: etablissements", "indicateur: ecoles")
    )
    ecrire(copie_demo, "1.yaml", AVENANT_1)
    ligne = _un_probleme(cls, copie_demo, "avenant-indicateur")
    assert "la fiche 12 n'a pas d'indicateur « ecoles »" in ligne


@pytest.mark.parametrize(
    ("remplacer", "par", "attendu"),
    [
        (
            "type: fiche_ajoutee\n    fiche: 55",
            "type: fiche_ajoutée\n    fiche: 55",
            "8:5: [erreur] valeur « fiche_ajoutée » non autorisée pour « changements[1].type »",
        ),
        (
            "fiche: 55",
            "fiche: 55\n    motif: inutile",
            "8:5: [erreur] changements[1] : la clé « motif » n'a pas de sens pour un changement "
            "« fiche_ajoutee »",
        ),
        ("signe: true\n", "", "1:1: [erreur] la clé obligatoire « signe » manque (signe)"),
    ],
)
def test_forme_refusee(cls, copie_demo: Path, remplacer: str, par: str, attendu: str) -> None:
    texte = textwrap.dedent(AVENANT_1)
    assert remplacer in texte
    (copie_demo / "avenants").mkdir()
    (copie_demo / "avenants" / "1.yaml").write_text(texte.replace(remplacer, par))
    resultat = valider(cls, copie_demo)
    assert resultat.exit_code == 1
    assert f"demo/avenants/1.yaml:{attendu}" in resultat.output, resultat.output


def test_avenant_sans_changement_averti(cls, copie_demo: Path) -> None:
    ecrire(copie_demo, "1.yaml", AVENANT_1.split("    changements:")[0])
    ligne = _un_probleme(cls, copie_demo, "avenant-vide")
    assert "[avertissement] l'avenant n° 1 ne liste aucun changement" in ligne
