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
