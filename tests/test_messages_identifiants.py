"""Les phrases du cœur nomment la fiche par son identifiant tel que le contrat l'écrit
(« B7 »), pas par son rang interne (ticket 22) ; sans identifiant, le numéro (Chartres)."""

from __future__ import annotations

from pathlib import Path

from tests.test_identifiants import nommer
from tests.test_references import AVENANT_2, remplacer

RETIREE_40 = (
    "retiree:\n  avenant: 2\n  annee: 2023\n"
    "  motif: Action reprise par l'auto-école sociale du territoire (fictif)\n"
)


def fiche_40(racine: Path) -> Path:
    (chemin,) = (racine / "actions").glob("40-*.yaml")
    return Path("actions") / chemin.name


def validate(cls, racine: Path) -> str:
    resultat = cls("validate", "--data", racine)
    return " ".join(str(resultat.output).split())


# --- regles_avenants ---------------------------------------------------------------------


def test_avenant_fiche_double_nommee_par_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    remplacer(
        copie_demo,
        AVENANT_2,
        "  - type: fiche_modifiee\n",
        "  - type: fiche_retiree\n    fiche: 40\n    motif: encore\n  - type: fiche_modifiee\n",
    )
    sortie = validate(cls, copie_demo)
    assert "la fiche B7 est déjà retirée par l'avenant n° 2" in sortie


def test_avenant_indicateur_inconnu_nomme_la_fiche(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {12: "B7"})
    remplacer(copie_demo, AVENANT_2, "indicateur: etablissements\n", "indicateur: inconnu\n")
    assert "la fiche B7 n'a pas d'indicateur « inconnu »" in validate(cls, copie_demo)


def test_avenant_cible_nomme_la_fiche(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {12: "B7"})
    remplacer(copie_demo, AVENANT_2, "    apres: 80\n", "    apres: 90\n")
    assert "la cible de « etablissements » (fiche B7) vaut" in validate(cls, copie_demo)


# --- regles_retraits ---------------------------------------------------------------------


def test_retiree_manquante_nommee_par_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    remplacer(copie_demo, fiche_40(copie_demo), RETIREE_40, "")
    sortie = validate(cls, copie_demo)
    assert "la fiche B7 est retirée par l'avenant n° 2 (avenants/2.yaml) mais ne le dit pas" in (
        sortie
    )


def test_retiree_sans_retrait_propose_cls_withdraw_par_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    remplacer(copie_demo, AVENANT_2, "    fiche: 40\n", "    fiche: 39\n")
    sortie = validate(cls, copie_demo)
    assert "l'avenant n° 2 ne retire pas la fiche B7" in sortie
    assert "« cls withdraw B7 --avenant N --motif … »" in sortie


# --- en_vigueur ----------------------------------------------------------------------------


def test_raison_hors_vigueur_nomme_la_fiche_par_son_identifiant() -> None:
    from cls_cli.avenants import avenants_surs
    from cls_cli.en_vigueur import bornes, raison_hors_vigueur
    from tests.conftest import DEMO

    b = bornes(avenants_surs(DEMO))
    assert raison_hors_vigueur(b[40], 40, 2024, {40: "B7"}) == (
        "la fiche B7 est retirée du contrat par l'avenant n° 2 (2023-06-15, avenants/2.yaml) : "
        "elle ne reçoit plus de saisie après 2023"
    )
    assert raison_hors_vigueur(b[55], 55, 2021, {55: "B7"}) == (
        "la fiche B7 n'entre au contrat qu'avec l'avenant n° 1 (2022-03-10) : pas de saisie "
        "pour 2021"
    )
    # Sans table (ou fiche absente de la table) : le numéro, comme avant.
    assert str(raison_hors_vigueur(b[40], 40, 2024)).startswith("la fiche 40 est retirée")
    assert str(raison_hors_vigueur(b[40], 40, 2024, {12: "B7"})).startswith("la fiche 40 ")
    assert raison_hors_vigueur(b[40], 40, 2023, {40: "B7"}) is None


# --- plan_avenants (cls withdraw, cls new --avenant) ---------------------------------------


def test_withdraw_deja_retiree_nomme_la_fiche(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    resultat = cls("withdraw", "B7", "--avenant", "2", "--motif", "x", "--data", copie_demo)
    assert resultat.exit_code == 2, resultat.output
    assert "la fiche B7 est déjà retirée par l'avenant n° 2 (2023-06-15)" in resultat.output


def test_withdraw_fiche_qui_porte_un_autre_retrait_nommee(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    remplacer(
        copie_demo,
        AVENANT_2,
        "  - type: fiche_retiree\n    fiche: 40\n"
        "    motif: Action reprise par l'auto-école sociale du territoire (fictif)\n",
        "",
    )
    resultat = cls("withdraw", "B7", "--avenant", "1", "--motif", "x", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "la fiche B7 porte déjà « retiree » (avenant n° 2, 2023)" in sortie


def test_withdraw_incoherent_nomme_la_fiche(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {30: "B7"})
    resultat = cls("withdraw", "B7", "--avenant", "1", "--motif", "Fin", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "retirer la fiche B7 par l'avenant n° 1 (2022-03-10) rendrait l'arbre incohérent" in (
        sortie
    )


def test_new_avenant_fiche_deja_annoncee_nommee(copie_demo: Path, cls) -> None:
    remplacer(copie_demo, Path("avenants") / "1.yaml", "fiche: 56\n", "fiche: 57\n")
    resultat = cls("amend", "new", "--date", "2023-09-01", "--motif", "Bilan", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    resultat = cls(
        "new",
        "--objectif",
        "1.1.1",
        "--titre",
        "Essai",
        "--identifiant",
        "B7",
        "--avenant",
        "3",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 1, resultat.output
    assert "l'avenant n° 1 ajoute déjà une fiche B7, qui n'existe pas encore" in " ".join(
        resultat.output.split()
    )


# --- campagne ------------------------------------------------------------------------------


def test_index_de_campagne_nomme_les_fiches_par_identifiant(
    copie_demo: Path, cls, tmp_path: Path
) -> None:
    import csv

    nommer(copie_demo, {30: "B7"})
    dossier = tmp_path / "campagne"
    prepare = cls("campaign", "prepare", "--year", "2024", "--data", copie_demo, "-o", dossier)
    assert prepare.exit_code == 0, prepare.output
    with (dossier / "index.csv").open(encoding="utf-8-sig") as flux:
        index = {ligne["porteur"]: ligne for ligne in csv.DictReader(flux, delimiter=";")}
    assert index["adapei-28"]["fiches"] == "B7"
    # Un porteur de plusieurs fiches : les identifiants, dans l'ordre des numéros.
    plusieurs = [ligne["fiches"].split() for ligne in index.values() if " " in ligne["fiches"]]
    assert plusieurs
    assert all(noms == sorted(noms, key=int) for noms in plusieurs if "B7" not in noms)


# --- regles_evaluations --------------------------------------------------------------------


def test_evaluation_indicateur_inconnu_nomme_la_fiche(copie_demo: Path, cls) -> None:
    from tests.test_references import EVALUATION

    nommer(copie_demo, {30: "B7"})
    remplacer(copie_demo, EVALUATION, "- 30/consultations-services-medicaux\n", "- 30/inconnu\n")
    assert "la fiche B7 n'a pas d'indicateur « inconnu »" in validate(cls, copie_demo)


# --- commandes/consulter (cls show) --------------------------------------------------------


def test_show_fiche_invalide_nommee_par_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    remplacer(copie_demo, fiche_40(copie_demo), "nature: existante\n", "nature: inventee\n")
    resultat = cls("show", "B7", "--data", copie_demo)
    assert resultat.exit_code == 2, resultat.output
    assert "la fiche B7 n'existe pas ou n'est pas valide" in " ".join(resultat.output.split())
    # Désignée par son numéro, elle est nommée par son identifiant ; sans identifiant
    # (Chartres), par son numéro.
    resultat = cls("show", "40", "--data", copie_demo)
    assert "la fiche B7 n'existe pas ou n'est pas valide" in " ".join(resultat.output.split())
    resultat = cls("show", "41", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    (chemin,) = (copie_demo / "actions").glob("41-*.yaml")
    texte = chemin.read_text("utf-8")
    chemin.write_text(texte.replace("nature: ", "nature: inventee\nx: ", 1), "utf-8")
    resultat = cls("show", "41", "--data", copie_demo)
    assert "la fiche 41 n'existe pas ou n'est pas valide" in " ".join(resultat.output.split())
