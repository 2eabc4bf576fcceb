"""Recalcul indépendant : les chiffres du rapport de l'exemple, refaits à la main.

Ce test ne prend au cœur de cls que le rapport JSON qu'il vérifie. Les règles de la
section « Méthode » y sont réécrites directement sur le YAML brut de examples/demo/data
(lu par ruamel.yaml, sans les modèles ni les fonctions de cls_cli.calculs), pour chaque
année de 2020 à 2023 : une erreur de calcul du cœur ne peut pas se retrouver des deux
côtés.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import DEMO

ANNEES = (2020, 2021, 2022, 2023)


def _fiches() -> list[dict[str, Any]]:
    yaml = YAML(typ="safe")
    return [yaml.load(p.read_text(encoding="utf-8")) for p in sorted(DEMO.glob("actions/*.yaml"))]


def _rapport(annee: int) -> dict[str, Any]:
    from cls_cli.chargement import charger
    from cls_cli.depot import Origine
    from cls_cli.rapport import construire
    from cls_cli.rendu import rendre

    contenu = construire(
        charger(DEMO).referentiel, annee, dt.date(2024, 1, 1), Origine(None, False)
    )
    return json.loads(rendre(contenu, "json"))


def _statut(f: dict[str, Any], annee: int) -> tuple[str, float | None, bool]:
    """(statut, avancement, repris) selon les règles, écrites ici sans le cœur."""
    points = sorted(
        (s for s in f.get("suivi") or [] if s["annee"] <= annee), key=lambda s: s["annee"]
    )
    if not points:
        return "non_renseignee", None, False
    dernier = points[-1]
    statut = dernier["statut"]
    if statut == "abandonnee":
        return statut, None, False
    if dernier.get("avancement") is not None:
        return statut, dernier["avancement"], False
    if statut == "realisee":
        return statut, 100, False
    if statut == "a_lancer":
        return statut, 0, False
    declares = [s["avancement"] for s in points[:-1] if s.get("avancement") is not None]
    return (statut, declares[-1], True) if declares else (statut, None, False)


def _moyenne(fiches: list[dict[str, Any]], annee: int) -> tuple[float | None, int, int]:
    valeurs = [v for f in fiches if (v := _statut(f, annee)[1]) is not None]
    repris = sum(1 for f in fiches if _statut(f, annee)[1] is not None and _statut(f, annee)[2])
    return (sum(valeurs) / len(valeurs) if valeurs else None), len(valeurs), repris


def _completude(fiches: list[dict[str, Any]], annee: int) -> tuple[int, int]:
    mesures = attendus = 0
    for f in fiches:
        if _statut(f, annee)[0] in ("en_cours", "realisee", "non_renseignee"):
            for ind in f.get("indicateurs") or []:
                attendus += 1
                mesures += any(m["annee"] == annee for m in ind.get("mesures") or [])
    return mesures, attendus


def _valeur(ind: dict[str, Any], annee: int) -> Any:
    valeurs = [
        (m["annee"], m["valeur"])
        for m in ind.get("mesures") or []
        if m["annee"] <= annee and m.get("valeur") is not None
    ]
    if not valeurs:
        return None
    if ind.get("agregation") == "somme" and ind["type"] == "nombre":
        return sum(v for _, v in valeurs)
    return max(valeurs)[1]


def _atteinte(ind: dict[str, Any], annee: int) -> float | None:
    valeur, cible = _valeur(ind, annee), ind.get("cible")
    if valeur is None or cible is None:
        return None
    if ind["type"] == "booleen":
        return 100.0 if valeur == cible else 0.0
    if ind["type"] not in ("nombre", "taux"):
        return None
    depart = (ind.get("reference") or {}).get("valeur", 0)
    return None if cible == depart else (valeur - depart) / (cible - depart) * 100


def _approx(attendu: float | None) -> Any:
    return None if attendu is None else pytest.approx(attendu)


@pytest.mark.parametrize("annee", ANNEES)
def test_les_chiffres_du_rapport_egalent_un_recalcul_independant(annee: int) -> None:
    fiches = _fiches()
    r = _rapport(annee)
    assert len(r["actions"]) == len(fiches) == 56

    actions = {a["numero"]: a for a in r["actions"]}
    for f in fiches:
        statut, avancement, repris = _statut(f, annee)
        a = actions[f["numero"]]
        assert (a["statut"], a["avancement"], a["avancement_repris"]) == (
            statut,
            avancement,
            repris,
        ), f["numero"]
        for ind, calcule in zip(f.get("indicateurs") or [], a["indicateurs"], strict=True):
            assert calcule["valeur"] == _valeur(ind, annee), (f["numero"], ind["code"])
            assert calcule["atteinte"] == _approx(_atteinte(ind, annee)), (f["numero"], ind["code"])

    groupes = [(r["contrat"], fiches)] + [
        (axe, [f for f in fiches if f["objectif"].split(".")[0] == axe["code"]])
        for axe in r["axes"]
    ]
    for groupe, membres in groupes:
        moyenne, dans_la_moyenne, repris = _moyenne(membres, annee)
        assert groupe["avancement"] == _approx(moyenne)
        assert groupe["couverture"] == {"renseignees": dans_la_moyenne, "total": len(membres)}
        assert len(groupe["reprises"]) == repris
        assert groupe["fragile"] == (moyenne is not None and dans_la_moyenne < 3)
        mesures, attendus = _completude(membres, annee)
        assert groupe["completude_detail"] == {"mesures": mesures, "attendus": attendus}
        en_vigueur = [f for f in membres if _statut(f, annee)[0] != "abandonnee"]
        cibles = [i for f in en_vigueur for i in f.get("indicateurs") or [] if "cible" in i]
        atteintes = [a for i in cibles if (a := _atteinte(i, annee)) is not None]
        assert groupe["resultats"] == {
            "avec_cible": len(cibles),
            "mesures": len(atteintes),
            "atteints": sum(a >= 100 for a in atteintes),
            "mediane": _approx(statistics.median(atteintes) if atteintes else None),
        }

    for objectif in (
        oo for axe in r["axes"] for os_ in axe["objectifs"] for oo in os_["objectifs"]
    ):
        membres = [f for f in fiches if f["objectif"] == objectif["code"]]
        moyenne, dans_la_moyenne, _ = _moyenne(membres, annee)
        assert objectif["avancement"] == _approx(moyenne), objectif["code"]
        assert objectif["fragile"] == (moyenne is not None and dans_la_moyenne < 3)

    porteurs: dict[str, list[dict[str, Any]]] = {}  # même porteur à la casse près
    for f in fiches:
        for p in {" ".join(p.lower().split()) for p in f["porteurs"]}:
            porteurs.setdefault(p, []).append(f)
    attendu = {
        p: {"mesures": m, "attendus": t}
        for p, groupe in porteurs.items()
        for m, t in [_completude(groupe, annee)]
        if t
    }
    obtenu = {
        " ".join(p["porteur"].lower().split()): p["completude_detail"]
        for p in r["completude_porteurs"]
    }
    assert len(obtenu) == len(r["completude_porteurs"])  # aucun porteur en double
    assert obtenu == attendu
    contradictions = []
    for f in fiches:
        statut = _statut(f, annee)[0]
        atteintes = [
            a for i in f.get("indicateurs") or [] if (a := _atteinte(i, annee)) is not None
        ]
        if atteintes and (
            (statut == "realisee" and all(a < 50 for a in atteintes))
            or (statut == "a_lancer" and any(a >= 100 for a in atteintes))
        ):
            contradictions.append(f["numero"])
    assert [c["numero"] for c in r["contradictions"]] == contradictions
    taux = [p["completude"] for p in r["completude_porteurs"]]
    assert taux == sorted(taux)  # du plus bas au plus haut


def test_le_recalcul_sait_trouver_une_difference() -> None:
    """Le recalcul n'est pas complaisant : les chiffres de 2023 ne sont pas ceux de 2022."""
    fiches = _fiches()
    assert _moyenne(fiches, 2022)[0] != _moyenne(fiches, 2023)[0]
    assert _rapport(2023)["contrat"]["avancement"] == pytest.approx(_moyenne(fiches, 2023)[0])
