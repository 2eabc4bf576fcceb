"""Le plan d'écriture (cls_cli.plan) : l'épissure et l'aller-retour ruamel donnent le même
plan, octet pour octet, et chacun rend le bilan attendu (tests à réponse connue, écrits
pour tuer les mutants de ``make mutation``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from cls_cli import plan
from cls_cli.epissure import NonEpissable
from cls_cli.plan import Demande, Detail, MesureTexte, Refus, planifier
from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi
from cls_cli.suivi import Contexte

DEMANDES = [
    Demande(
        30,
        MesureTexte(2024, "1 200", None, dt.date(2024, 5, 2), "Bilan: porteur", "note"),
        "personnes-concernees",
        "t.csv:2",
    ),
    Demande(
        30, MesureTexte(2023, None, "non transmis"), "consultations-services-medicaux", "t.csv:3"
    ),
    Demande(30, SaisieSuivi(2023, "realisee", 100, "fin"), "", "t.csv:4"),
    Demande(31, SaisieSuivi(2024, "en_cours"), "", "t.csv:5"),
]


def _fiche(racine: Path, numero: int) -> Path:
    return next((racine / "actions").glob(f"{numero}-*.yaml"))


def _interdit(nom: str) -> Callable[..., object]:
    def refuse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError(f"{nom} ne devait pas servir")

    return refuse


def _sans_epissure(*_args: object, **_kwargs: object) -> object:
    raise NonEpissable


def _attendus(racine: Path) -> list[Detail]:
    f30, f31 = _fiche(racine, 30), _fiche(racine, 31)
    return [
        Detail(30, f30, "mesure", "personnes-concernees", 2024, "ajoutee", None, "1200"),
        Detail(30, f30, "mesure", "consultations-services-medicaux", 2023, "remplacee", "78",
               "manquante (non transmis)"),
        Detail(30, f30, "statut", "", 2023, "remplacee", "en_cours, avancement 90 %",
               "realisee, avancement 100 %"),
        Detail(31, f31, "statut", "", 2024, "ajoutee", None, "en_cours"),
    ]  # fmt: skip


@pytest.mark.parametrize("chemin", ["epissure", "aller-retour"])
def test_plan_des_deux_chemins(copie_demo: Path, monkeypatch, chemin: str) -> None:
    if chemin == "epissure":
        monkeypatch.setattr(plan, "ouvrir", _interdit("l'aller-retour"))
    else:
        monkeypatch.setattr(plan, "_episser", _sans_epissure)
    le_plan = planifier(copie_demo, Contexte.lire(copie_demo), DEMANDES, remplacer=True)
    assert le_plan.bilan.refus == []
    assert le_plan.bilan.details == _attendus(copie_demo)
    f30, f31 = _fiche(copie_demo, 30), _fiche(copie_demo, 31)
    assert [c.chemin for c in le_plan.changements] == [f30, f31]
    assert [c.ancien for c in le_plan.changements] == [f30.read_bytes(), f31.read_bytes()]
    texte = le_plan.changements[0].nouveau.decode()
    avant = f30.read_text("utf-8")
    assert texte == avant.replace(
        "        source: Bilan annuel du porteur (fictif)\n  - code: consultations",
        "        source: Bilan annuel du porteur (fictif)\n      - annee: 2024\n"
        "        valeur: 1200\n        date: 2024-05-02\n        source: 'Bilan: porteur'\n"
        "        commentaire: note\n  - code: consultations",
    ).replace(
        "      - annee: 2023\n        valeur: 78\n        source: Bilan annuel du porteur (fictif)"
        "\n",
        "      - annee: 2023\n        manquante: non transmis\n",
    ).replace(
        "    statut: en_cours\n    avancement: 90\n",
        "    statut: realisee\n    avancement: 100\n    commentaire: fin\n",
    )
    # le point de suivi 2024 ferme la liste « suivi » (la fiche 31 de la démo a ensuite ses
    # dépenses déclarées : la fin du fichier n'est pas la fin de la liste)
    assert (
        "  - annee: 2024\n    statut: en_cours\ndepenses:\n"
        in le_plan.changements[1].nouveau.decode()
    )


@pytest.mark.parametrize("chemin", ["epissure", "aller-retour"])
def test_plan_sans_remplacer_refuse_le_conflit(copie_demo: Path, monkeypatch, chemin) -> None:
    if chemin == "aller-retour":
        monkeypatch.setattr(plan, "_episser", _sans_epissure)
    le_plan = planifier(copie_demo, Contexte.lire(copie_demo), DEMANDES, remplacer=False)
    f30 = _fiche(copie_demo, 30)
    assert le_plan.changements == ()  # le moindre refus : rien n'est écrit
    assert le_plan.bilan.refus == [
        Refus("t.csv:3", 30, "l'indicateur « consultations-services-medicaux » a déjà une "
              "mesure pour 2023 : 78", f30, 58, True),
        Refus("t.csv:4", 30, "la fiche a déjà un point de suivi pour 2023 : en_cours, "
              "avancement 90 %", f30, 69, True),
    ]  # fmt: skip


def test_plan_d_une_saisie_deja_typee_et_identique(copie_demo: Path) -> None:
    # Une mesure déjà lue (SaisieMesure) identique à l'existante : rien à écrire.
    demande = Demande(30, SaisieMesure(2023, 32, source="Bilan annuel du porteur (fictif)"),
                      "personnes-concernees")  # fmt: skip
    le_plan = planifier(copie_demo, Contexte.lire(copie_demo), [demande], remplacer=False)
    assert le_plan.changements == ()
    f30 = _fiche(copie_demo, 30)
    assert le_plan.bilan.details == [
        Detail(30, f30, "mesure", "personnes-concernees", 2023, "inchangee", "32", "32")
    ]


@pytest.mark.parametrize("chemin", ["epissure", "aller-retour"])
def test_tous_les_refus_sont_dits_fiche_par_fiche(copie_demo: Path, monkeypatch, chemin) -> None:
    """Fiches inconnues, fiche retirée, fiche que l'aller-retour ne sait pas réécrire : chaque
    demande refusée est dite, avec sa position, et rien n'est écrit (la fiche 31, acceptée,
    non plus)."""
    f30 = _fiche(copie_demo, 30)
    f30.write_text(
        f30.read_text("utf-8")
        .replace("porteurs:\n  - ", "porteurs:\n- ")
        .replace("      - annee: 2022\n", "      # note\n      - annee: 2022\n", 1),
        encoding="utf-8",
    )
    if chemin == "aller-retour":
        monkeypatch.setattr(plan, "_episser", _sans_epissure)
    demandes = [
        Demande(99, SaisieSuivi(2024, "en_cours"), "", "t.csv:2"),
        Demande(40, SaisieSuivi(2024, "en_cours"), "", "t.csv:3"),
        Demande(98, SaisieSuivi(2024, "en_cours"), "", "t.csv:4"),
        Demande(99, SaisieSuivi(2023, "en_cours"), "", "t.csv:5"),
        Demande(30, SaisieSuivi(2024, "en_cours"), "", "t.csv:6"),
        Demande(31, SaisieSuivi(2024, "en_cours"), "", "t.csv:7"),
    ]
    le_plan = planifier(copie_demo, Contexte.lire(copie_demo), demandes, remplacer=False)
    assert le_plan.changements == ()

    def absente(n: int) -> str:
        return (
            f"la fiche {n} n'existe pas dans {copie_demo / 'actions'} (cls list affiche les fiches)"
        )

    relatif = Path("demo") / "actions" / f30.name
    format_30 = [
        Refus(str(relatif), 30, "la mise en forme de ce fichier ne peut pas être conservée à "
              "l'identique (indentation, guillemets ou sauts de ligne différents du format des "
              "fiches) ; correction : remettez-le au format des fiches livrées (2 espaces par "
              "niveau, tiret des listes à 2 espaces) puis relancez ; rien n'a été modifié",
              relatif, 1),
    ]  # fmt: skip
    assert le_plan.bilan.refus == [
        *(format_30 if chemin == "aller-retour" else []),  # l'épissure, elle, sait l'écrire
        Refus("t.csv:3", 40, "la fiche 40 est retirée du contrat par l'avenant n° 2 (2023-06-15, "
              "avenants/2.yaml) : elle ne reçoit plus de saisie après 2023", usage=True),
        Refus("t.csv:4", 98, absente(98), usage=True),
        Refus("t.csv:2", 99, absente(99), usage=True),
        Refus("t.csv:5", 99, absente(99), usage=True),
    ]  # fmt: skip


@pytest.mark.parametrize("chemin", ["epissure", "aller-retour"])
def test_annee_close_refusee_sauf_si_rouverte(copie_demo: Path, monkeypatch, chemin) -> None:
    (copie_demo / "clotures.yaml").write_text(
        "clotures:\n  - annee: 2024\n    date: 2025-02-01\n    decision: COPIL 2025\n", "utf-8"
    )
    if chemin == "aller-retour":
        monkeypatch.setattr(plan, "_episser", _sans_epissure)
    demandes = [Demande(31, SaisieSuivi(2024, "en_cours"), "", "t.csv:2")]
    contexte = Contexte.lire(copie_demo)
    refuse = planifier(copie_demo, contexte, demandes, remplacer=False)
    assert refuse.changements == ()
    assert refuse.bilan.refus == [
        Refus("t.csv:2", 31, "l'année 2024 est close (COPIL 2025, le 2025-02-01) : ses chiffres "
              "ont été validés ; ajoutez --reopen pour la modifier quand même", usage=True)
    ]  # fmt: skip
    rouvert = planifier(copie_demo, contexte, demandes, remplacer=False, rouvrir=True)
    assert rouvert.bilan.refus == []
    assert [c.chemin for c in rouvert.changements] == [_fiche(copie_demo, 31)]
