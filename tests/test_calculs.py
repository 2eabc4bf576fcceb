"""Les règles de calcul, sur de petits cas faits à la main dont on connaît la réponse."""

from __future__ import annotations

from typing import Any

import pytest

from cls_cli.calculs import (
    atteinte,
    completion,
    completude,
    etat_action,
    valeur_indicateur,
)
from cls_cli.modeles import Fiche, Indicateur


def fiche(numero: int = 1, suivi: list[dict[str, Any]] | None = None, **autres: Any) -> Fiche:
    donnees: dict[str, Any] = {
        "numero": numero,
        "titre": "Action",
        "objectif": "1.1.1",
        "nature": "nouvelle",
        "porteurs": ["Porteur"],
        "partenaires": [],
        "description": "Texte",
        "public_cible": [],
        "territoire": "Chartres métropole",
        "calendrier": {"texte": "Durée du CLS", "debut": 2020, "fin": 2025},
        "ressources": {"texte": "—"},
        "suivi": suivi or [],
    }
    donnees.update(autres)
    return Fiche.model_validate(donnees)


def indicateur(mesures: list[tuple[int, Any]], **autres: Any) -> Indicateur:
    donnees: dict[str, Any] = {"code": "i", "libelle": "Indicateur", "type": "nombre"}
    donnees.update(autres)
    donnees["mesures"] = [
        {"annee": a, "manquante": v[1]} if isinstance(v, tuple) else {"annee": a, "valeur": v}
        for a, v in mesures
    ]
    return Indicateur.model_validate(donnees)


def test_sans_suivi_non_renseignee_et_pas_a_lancer() -> None:
    etat = etat_action(fiche(), 2021)
    assert etat.statut == "non_renseignee"
    assert etat.avancement is None
    assert etat.en_retard  # calendrier commencé en 2020


def test_dernier_suivi_avant_l_annee() -> None:
    f = fiche(
        suivi=[
            {"annee": 2020, "statut": "a_lancer"},
            {"annee": 2022, "statut": "en_cours", "avancement": 30},
        ]
    )
    assert etat_action(f, 2021).statut == "a_lancer"
    assert etat_action(f, 2021).avancement == 0
    assert etat_action(f, 2023).avancement == 30
    assert etat_action(f, 2019).statut == "non_renseignee"


@pytest.mark.parametrize(
    ("statut", "attendu"), [("a_lancer", 0), ("en_cours", 50), ("reportee", 0), ("realisee", 100)]
)
def test_avancement_par_defaut(statut: str, attendu: float) -> None:
    assert etat_action(fiche(suivi=[{"annee": 2021, "statut": statut}]), 2021).avancement == attendu


def test_completion_sans_abandonnee_ni_non_renseignee() -> None:
    etats = [
        etat_action(fiche(1, [{"annee": 2021, "statut": "en_cours", "avancement": 20}]), 2021),
        etat_action(fiche(2, [{"annee": 2021, "statut": "realisee"}]), 2021),
        etat_action(fiche(3, [{"annee": 2021, "statut": "abandonnee", "avancement": 80}]), 2021),
        etat_action(fiche(4), 2021),
    ]
    c = completion(etats)
    assert c.avancement == 60  # (20 + 100) / 2
    assert (c.renseignees, c.total) == (2, 4)
    assert c.abandonnees == (3,) and c.non_renseignees == (4,)


def test_completion_sans_action_restante_pas_de_chiffre() -> None:
    c = completion([etat_action(fiche(1), 2021)])
    assert c.avancement is None
    assert (c.renseignees, c.total) == (0, 1)
    assert completion([]).avancement is None


def test_valeur_somme_sans_double_compte() -> None:
    ind = indicateur([(2020, 10), (2021, 15), (2022, 20)], agregation="somme")
    assert valeur_indicateur(ind, 2021) == 25
    assert valeur_indicateur(ind, 2022) == 45
    assert valeur_indicateur(ind, 2019) is None


def test_valeur_derniere() -> None:
    ind = indicateur([(2021, 15), (2020, 10)])
    assert valeur_indicateur(ind, 2021) == 15
    assert valeur_indicateur(ind, 2020) == 10


def test_valeur_manquante_ne_compte_pas_pour_zero() -> None:
    ind = indicateur([(2020, 10), (2021, ("manquante", "non collectée"))])
    assert valeur_indicateur(ind, 2021) == 10
    ind = indicateur([(2021, ("manquante", "non collectée"))], agregation="somme")
    assert valeur_indicateur(ind, 2021) is None


def test_atteinte_simple_et_bornee() -> None:
    assert atteinte(indicateur([(2021, 5)], cible=10), 2021) == 50
    assert atteinte(indicateur([(2021, 25)], cible=10), 2021) == 100  # cible dépassée 2 fois
    assert atteinte(indicateur([(2021, 5)]), 2021) is None  # pas de cible


def test_atteinte_indicateur_a_la_baisse() -> None:
    ind = indicateur([(2021, 90), (2022, 50)], cible=60, reference={"annee": 2019, "valeur": 120})
    assert atteinte(ind, 2021) == 50  # (90 - 120) / (60 - 120)
    assert atteinte(ind, 2022) == 100
    pire = indicateur([(2021, 130)], cible=60, reference={"annee": 2019, "valeur": 120})
    assert atteinte(pire, 2021) == 0


def test_atteinte_booleen() -> None:
    ind = indicateur([(2020, False), (2021, True)], type="booleen")
    assert atteinte(ind, 2020) == 0
    assert atteinte(ind, 2021) == 100
    assert atteinte(indicateur([], type="booleen"), 2021) is None


def test_completude() -> None:
    ind_mesure = {
        "code": "a",
        "libelle": "A",
        "type": "nombre",
        "mesures": [{"annee": 2021, "valeur": 3}],
    }
    ind_absent = {
        "code": "b",
        "libelle": "B",
        "type": "nombre",
        "mesures": [{"annee": 2021, "manquante": "non applicable"}],
    }
    ind_vide = {"code": "c", "libelle": "C", "type": "nombre"}
    en_cours = [{"annee": 2021, "statut": "en_cours"}]
    fiches = [
        fiche(1, en_cours, indicateurs=[ind_mesure, ind_absent, ind_vide]),
        fiche(2, [{"annee": 2021, "statut": "a_lancer"}], indicateurs=[ind_vide]),  # ignorée
        fiche(3, indicateurs=[ind_vide]),  # non renseignée : ignorée
    ]
    c = completude(fiches, 2021)
    assert (c.mesures, c.attendus) == (2, 3)
    assert c.manquants == ((1, "c"),)
    assert c.taux == pytest.approx(200 / 3)
    assert completude([], 2021).taux is None


def test_retard_et_hors_delai() -> None:
    f = fiche(
        calendrier={"texte": "2020-2021", "debut": 2020, "fin": 2021},
        suivi=[{"annee": 2020, "statut": "a_lancer"}],
    )
    assert etat_action(f, 2020).en_retard
    assert not etat_action(f, 2021).hors_delai
    assert etat_action(f, 2022).hors_delai
    fini = fiche(
        calendrier={"texte": "2020", "debut": 2020, "fin": 2020},
        suivi=[{"annee": 2021, "statut": "realisee"}],
    )
    assert not etat_action(fini, 2022).hors_delai
    sans_dates = fiche(calendrier={"texte": "Chaque année"})
    assert not etat_action(sans_dates, 2022).en_retard
