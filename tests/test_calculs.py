"""Les règles de calcul, sur de petits cas faits à la main dont on connaît la réponse."""

from __future__ import annotations

from typing import Any

import pytest

from cls_cli.calculs import (
    EtatAction,
    annee_valeur,
    atteinte,
    avancement_moyen,
    completude,
    completude_par_porteur,
    contradictions,
    etat_action,
    resultats,
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


@pytest.mark.parametrize(("statut", "attendu"), [("a_lancer", 0), ("realisee", 100)])
def test_avancement_etabli_par_le_statut(statut: str, attendu: float) -> None:
    etat = etat_action(fiche(suivi=[{"annee": 2021, "statut": statut}]), 2021)
    assert (etat.avancement, etat.avancement_annee, etat.avancement_repris) == (
        attendu,
        2021,
        False,
    )


def test_realisee_sans_valeur_vaut_100_meme_apres_un_pourcentage() -> None:
    f = fiche(
        suivi=[
            {"annee": 2021, "statut": "en_cours", "avancement": 40},
            {"annee": 2022, "statut": "realisee"},
        ]
    )
    assert etat_action(f, 2022).avancement == 100
    assert not etat_action(f, 2022).avancement_repris


@pytest.mark.parametrize("statut", ["en_cours", "reportee"])
def test_avancement_repris_d_une_annee_anterieure(statut: str) -> None:
    f = fiche(
        suivi=[
            {"annee": 2020, "statut": "en_cours", "avancement": 30},
            {"annee": 2021, "statut": "en_cours", "avancement": 75},
            {"annee": 2022, "statut": "en_cours"},
            {"annee": 2023, "statut": statut},
        ]
    )
    etat = etat_action(f, 2023)
    assert etat.avancement == 75  # la dernière déclarée, pas 50 ni 30
    assert (etat.avancement_annee, etat.avancement_repris) == (2021, True)
    assert etat.dans_la_moyenne and not etat.non_declare
    assert etat_action(f, 2021).avancement_repris is False
    # Une déclaration postérieure à l'année du rapport n'est jamais reprise.
    plus_tard = fiche(
        suivi=[
            {"annee": 2021, "statut": "en_cours"},
            {"annee": 2022, "statut": "en_cours", "avancement": 60},
        ]
    )
    assert etat_action(plus_tard, 2021).avancement is None


@pytest.mark.parametrize("statut", ["en_cours", "reportee"])
def test_jamais_declare_hors_moyenne_et_compte_a_part(statut: str) -> None:
    jamais = fiche(2, [{"annee": 2020, "statut": "a_lancer"}, {"annee": 2021, "statut": statut}])
    etat = etat_action(jamais, 2021)
    assert etat.avancement is None and etat.avancement_annee is None
    assert etat.non_declare and not etat.dans_la_moyenne
    declaree = etat_action(
        fiche(1, [{"annee": 2021, "statut": "en_cours", "avancement": 10}]), 2021
    )
    c = avancement_moyen([declaree, etat])
    assert c.avancement == 10  # pas (10 + 50) / 2 : rien n'est inventé
    assert (c.renseignees, c.total) == (1, 2)
    assert c.non_declarees == (2,) and c.non_renseignees == ()


def test_commentaire_repris_tant_que_le_statut_ne_change_pas() -> None:
    f = fiche(
        suivi=[
            {"annee": 2020, "statut": "a_lancer", "commentaire": "Attente du financement"},
            {"annee": 2021, "statut": "reportee", "commentaire": "Chantier décalé"},
            {"annee": 2022, "statut": "reportee"},
            {"annee": 2023, "statut": "en_cours"},
        ]
    )
    assert (etat_action(f, 2022).commentaire, etat_action(f, 2022).commentaire_annee) == (
        "Chantier décalé",
        2021,
    )
    assert etat_action(f, 2023).commentaire is None  # le statut a changé : raison périmée
    assert etat_action(f, 2020).commentaire_annee == 2020


def test_moyenne_fragile_sous_trois_actions_et_valeurs_reprises() -> None:
    def en_cours(numero: int, *points: tuple[int, int | None]) -> Any:
        suivi = [
            {"annee": a, "statut": "en_cours"} | ({"avancement": v} if v is not None else {})
            for a, v in points
        ]
        return etat_action(fiche(numero, suivi), 2023)

    deux = [
        en_cours(1, (2023, 20)),
        en_cours(2, (2022, 40), (2023, None)),
        etat_action(fiche(3), 2023),
    ]
    c = avancement_moyen(deux)
    assert c.avancement == 30 and c.fragile  # 2 actions dans la moyenne sur 3
    assert c.reprises == (2,)
    trois = avancement_moyen([*deux[:2], en_cours(4, (2023, 60))])
    assert trois.avancement == 40 and not trois.fragile
    assert not avancement_moyen([]).fragile  # pas de chiffre : rien à signaler comme fragile


def test_completion_sans_abandonnee_ni_non_renseignee() -> None:
    etats = [
        etat_action(fiche(1, [{"annee": 2021, "statut": "en_cours", "avancement": 20}]), 2021),
        etat_action(fiche(2, [{"annee": 2021, "statut": "realisee"}]), 2021),
        etat_action(fiche(3, [{"annee": 2021, "statut": "abandonnee", "avancement": 80}]), 2021),
        etat_action(fiche(4), 2021),
    ]
    c = avancement_moyen(etats)
    assert c.avancement == 60  # (20 + 100) / 2
    assert (c.renseignees, c.total) == (2, 4)
    assert c.abandonnees == (3,) and c.non_renseignees == (4,)


def test_completion_ecarte_une_abandonnee_meme_avec_un_avancement() -> None:
    """La règle tient sur l'état lui-même, pas sur ce qu'en fait :func:`etat_action` :
    une action abandonnée ou non renseignée qui porte un avancement reste hors moyenne."""
    etats = [
        EtatAction(1, "en_cours", 20, False, False),
        EtatAction(2, "abandonnee", 80, False, False),
        EtatAction(3, "non_renseignee", 90, False, False),
    ]
    c = avancement_moyen(etats)
    assert c.avancement == 20
    assert (c.renseignees, c.total) == (1, 3)


def test_completion_sans_action_restante_pas_de_chiffre() -> None:
    c = avancement_moyen([etat_action(fiche(1), 2021)])
    assert c.avancement is None
    assert (c.renseignees, c.total) == (0, 1)
    assert avancement_moyen([]).avancement is None


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


def test_atteinte_non_bornee() -> None:
    assert atteinte(indicateur([(2021, 5)], cible=10), 2021) == 50
    assert atteinte(indicateur([(2021, 25)], cible=10), 2021) == 250  # dépassée : 250 %, pas 100
    assert atteinte(indicateur([(2021, 5)]), 2021) is None  # pas de cible
    assert atteinte(indicateur([], cible=10), 2021) is None  # pas de valeur
    cumul = indicateur(
        [(2020, 450), (2021, 600), (2022, 650), (2023, 700)], cible=1200, agregation="somme"
    )
    assert atteinte(cumul, 2023) == 200  # 2 400 pour 1 200


def test_atteinte_cible_egale_a_la_reference() -> None:
    ind = indicateur([(2021, 120)], cible=120, reference={"annee": 2019, "valeur": 120})
    assert atteinte(ind, 2021) is None  # aucune distance à parcourir : pas de pourcentage
    ind = indicateur([(2021, 120)], cible=120, reference={"annee": 2019, "valeur": 100})
    assert atteinte(ind, 2021) == 100


def test_atteinte_indicateur_a_la_baisse() -> None:
    ind = indicateur([(2021, 90), (2022, 50)], cible=60, reference={"annee": 2019, "valeur": 120})
    assert atteinte(ind, 2021) == 50  # (90 - 120) / (60 - 120)
    assert atteinte(ind, 2022) == pytest.approx(700 / 6)  # 50 < 60 : au-delà de la cible
    pire = indicateur([(2021, 135)], cible=60, reference={"annee": 2019, "valeur": 120})
    assert atteinte(pire, 2021) == -25  # s'éloigne de la cible : négative, pas 0


def test_atteinte_booleen() -> None:
    ind = indicateur([(2020, False), (2021, True)], type="booleen", cible=True)
    assert atteinte(ind, 2020) == 0
    assert atteinte(ind, 2021) == 100
    assert atteinte(indicateur([], type="booleen", cible=True), 2021) is None
    # Sans cible, un « oui » n'est pas une atteinte.
    assert atteinte(indicateur([(2021, True)], type="booleen"), 2021) is None


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
        fiche(3, indicateurs=[ind_vide]),  # non renseignée : comptée (rien rendu)
        fiche(4, [{"annee": 2021, "statut": "realisee"}], indicateurs=[ind_mesure]),
        fiche(5, [{"annee": 2021, "statut": "abandonnee"}], indicateurs=[ind_vide]),  # ignorée
        fiche(6, [{"annee": 2021, "statut": "reportee"}], indicateurs=[ind_vide]),  # ignorée
    ]
    c = completude(fiches, 2021)
    assert (c.mesures, c.attendus) == (3, 5)
    assert c.manquants == ((1, "c"), (3, "c"))
    assert c.taux == pytest.approx(60)
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


def test_annee_de_la_derniere_valeur() -> None:
    ind = indicateur([(2020, 10), (2021, ("manquante", "non collectée")), (2023, 4)])
    assert annee_valeur(ind, 2022) == 2020  # la manquante de 2021 n'est pas une valeur
    assert annee_valeur(ind, 2023) == 2023
    assert annee_valeur(ind, 2019) is None


def test_completude_par_porteur_avec_ceux_qui_n_ont_rien_rendu() -> None:
    ind = {"code": "a", "libelle": "A", "type": "nombre"}
    rendu = {**ind, "mesures": [{"annee": 2021, "valeur": 3}]}
    en_cours = [{"annee": 2021, "statut": "en_cours"}]
    fiches = [
        fiche(1, en_cours, porteurs=["Zeta", "Alpha", "Zeta"], indicateurs=[rendu]),
        fiche(2, porteurs=["Muet"], indicateurs=[ind]),  # non renseignée, rien rendu
        fiche(3, en_cours, porteurs=["Alpha"], indicateurs=[ind]),
        fiche(4, en_cours, porteurs=["Sans indicateur"]),
        fiche(
            5, [{"annee": 2021, "statut": "a_lancer"}], porteurs=["Pas attendu"], indicateurs=[ind]
        ),
    ]
    resultat = [(p, c.mesures, c.attendus) for p, c in completude_par_porteur(fiches, 2021)]
    assert resultat == [("Muet", 0, 1), ("Alpha", 1, 2), ("Zeta", 1, 1)]  # du plus bas au plus haut


def _avec_cibles(numero: int, statut: str, *valeurs: float | None) -> Fiche:
    """Une fiche dont chaque indicateur a une cible de 100 et la valeur donnée en 2021."""
    indicateurs = [
        {
            "code": f"i{k}",
            "libelle": "I",
            "type": "nombre",
            "cible": 100,
            "mesures": [] if v is None else [{"annee": 2021, "valeur": v}],
        }
        for k, v in enumerate(valeurs)
    ]
    return fiche(numero, [{"annee": 2021, "statut": statut}], indicateurs=indicateurs)


def test_resultats_cibles_atteintes_et_mediane() -> None:
    fiches = [
        _avec_cibles(1, "en_cours", 20, 100, None),  # une cible sans mesure
        _avec_cibles(2, "realisee", 250, 60),
        _avec_cibles(3, "abandonnee", 0),  # hors des résultats
        fiche(4, [{"annee": 2021, "statut": "en_cours"}]),  # sans indicateur
    ]
    r = resultats(fiches, 2021)
    assert (r.avec_cible, r.mesures, r.atteints) == (5, 4, 2)
    assert r.mediane == 80  # médiane de 20, 60, 100, 250
    vide = resultats([fiches[3]], 2021)
    assert (vide.avec_cible, vide.mediane) == (0, None)


def test_statut_et_resultats_qui_se_contredisent() -> None:
    fiches = [
        _avec_cibles(1, "realisee", 20, 49.9),  # réalisée, tout sous 50 % : contradiction
        _avec_cibles(2, "realisee", 20, 50),  # une cible à 50 % : pas de contradiction
        _avec_cibles(3, "a_lancer", 100),  # à lancer, cible atteinte : contradiction
        _avec_cibles(4, "a_lancer", 99),
        _avec_cibles(5, "realisee", None),  # rien de mesuré : rien à dire
        _avec_cibles(6, "en_cours", 0),
    ]
    trouvees = contradictions(fiches, 2021)
    assert [(c.numero, c.statut) for c in trouvees] == [(1, "realisee"), (3, "a_lancer")]
    assert trouvees[0].atteintes == (20, 49.9)


def test_abandonnee_n_est_jamais_hors_delai() -> None:
    f = fiche(
        calendrier={"texte": "2020", "debut": 2020, "fin": 2020},
        suivi=[{"annee": 2021, "statut": "abandonnee"}],
    )
    assert not etat_action(f, 2022).hors_delai


def test_valeurs_qui_ne_sont_pas_des_nombres() -> None:
    # Une cible écrite en texte sur un indicateur numérique : pas d'atteinte (pas d'erreur).
    assert atteinte(indicateur([(2021, 5)], cible="beaucoup"), 2021) is None
    # Un indicateur texte avec une cible : pas d'atteinte non plus.
    texte = indicateur([(2021, "fait")], type="texte", cible="fait")
    assert atteinte(texte, 2021) is None
    # Un cumul dont aucune mesure n'est un nombre n'a pas de valeur (et pas 0).
    oui = indicateur([(2021, True)], agregation="somme")
    assert valeur_indicateur(oui, 2021) is None


def test_porteurs_a_la_casse_et_aux_espaces_pres() -> None:
    ind = {"code": "a", "libelle": "A", "type": "nombre"}
    rendu = {**ind, "mesures": [{"annee": 2021, "valeur": 3}]}
    en_cours = [{"annee": 2021, "statut": "en_cours"}]
    fiches = [
        fiche(1, en_cours, porteurs=["CCAS  de Lucé"], indicateurs=[ind]),
        fiche(2, en_cours, porteurs=["ccas de lucé"], indicateurs=[rendu]),
        fiche(3, en_cours, porteurs=["CCAS de Lucé"], indicateurs=[rendu]),
        fiche(4, en_cours, porteurs=["ccas de lucé", "Bêta", "beta"], indicateurs=[rendu]),
        fiche(5, en_cours, porteurs=["Beta"], indicateurs=[rendu]),
    ]
    resultat = [(p, c.mesures, c.attendus) for p, c in completude_par_porteur(fiches, 2021)]
    # « ccas de lucé » est l'écriture la plus fréquente (2 fois contre 1 et 1) ; « beta » et
    # « Beta », à égalité : la première dans l'ordre des caractères ; « Bêta » est un autre nom.
    assert resultat == [("ccas de lucé", 3, 4), ("Beta", 2, 2), ("Bêta", 1, 1)]
