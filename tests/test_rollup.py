"""cls rollup (ticket 22) : totaux recalculés depuis le YAML sans le cœur, vue par thème,
année commune, contrat hors période, formats md, html et json (golden)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests import golden_rollup

STATUTS = ["non_renseignee", "a_lancer", "en_cours", "realisee", "reportee", "abandonnee"]


def _yaml(chemin: Path) -> Any:
    return YAML(typ="safe").load(chemin.read_text(encoding="utf-8"))


def _en_vigueur(data: Path, annee: int) -> set[int] | None:
    """Les fiches ajoutées après ``annee`` ou retirées avant, d'après data/avenants/."""
    hors: set[int] = set()
    for chemin in (data / "avenants").glob("*.yaml") if (data / "avenants").is_dir() else []:
        avenant = _yaml(chemin)
        for ch in avenant["changements"]:
            if ch["type"] == "fiche_ajoutee" and avenant["date"].year > annee:
                hors.add(ch["fiche"])
            if ch["type"] == "fiche_retiree" and avenant["date"].year < annee:
                hors.add(ch["fiche"])
    return hors


def recalcul(data: Path, annee: int) -> dict[str, Any]:
    """Les comptes d'un contrat en ``annee``, relus dans les fichiers YAML avec les règles
    du README (sans cls_cli) : statut du dernier point de suivi, avancement déclaré, sinon
    100 (réalisée) ou 0 (à lancer), sinon le dernier déclaré avant ; complétude des
    actions en cours, réalisées ou non renseignées ; thème de la fiche, sinon de l'axe."""
    theme_axe = {a["code"]: a.get("theme") for a in _yaml(data / "axes.yaml")["axes"]}
    hors = _en_vigueur(data, annee)
    r: dict[str, Any] = {
        "fiches": 0,
        "statuts": Counter(),
        "en_retard": 0,
        "mesures": 0,
        "attendus": 0,
        "somme": 0.0,
        "actions": 0,
        "themes": Counter(),
    }
    for chemin in (data / "actions").glob("*.yaml"):
        f = _yaml(chemin)
        if f["numero"] in (hors or set()):
            continue
        r["fiches"] += 1
        points = sorted(
            (s for s in f.get("suivi", []) if s["annee"] <= annee), key=lambda s: s["annee"]
        )
        statut = points[-1]["statut"] if points else "non_renseignee"
        r["statuts"][statut] += 1
        avancement = None
        if points and statut != "abandonnee":
            dernier = points[-1]
            if dernier.get("avancement") is not None:
                avancement = dernier["avancement"]
            elif statut in ("realisee", "a_lancer"):
                avancement = 100 if statut == "realisee" else 0
            else:
                declares = [s["avancement"] for s in points[:-1] if s.get("avancement") is not None]
                avancement = declares[-1] if declares else None
        if avancement is not None:
            r["somme"] += avancement
            r["actions"] += 1
        debut = f["calendrier"].get("debut")
        if debut is not None and debut <= annee and statut in ("a_lancer", "non_renseignee"):
            r["en_retard"] += 1
        if statut in ("en_cours", "realisee", "non_renseignee"):
            for ind in f.get("indicateurs", []):
                r["attendus"] += 1
                r["mesures"] += any(m["annee"] == annee for m in ind.get("mesures", []))
        r["themes"][f.get("theme") or theme_axe[f["objectif"].split(".")[0]] or "sans-theme"] += 1
    return r


def _rollup_json(cls: Any, *args: Any) -> dict[str, Any]:
    resultat = cls("rollup", *args, "-f", "json")
    assert resultat.exit_code == 0, resultat.output
    return json.loads(resultat.stdout)


@pytest.mark.parametrize("annee", [2021, 2023])
def test_totaux_recalcules_depuis_le_yaml(cls, tmp_path: Path, annee: int) -> None:
    copies = golden_rollup.copies(tmp_path)
    r = _rollup_json(cls, *copies, "--year", str(annee))
    attendus = [recalcul(c, annee) for c in copies]
    t = r["totaux"]
    assert t["contrats"] == 3
    assert t["fiches"] == sum(a["fiches"] for a in attendus)
    assert t["statuts"] == {s: sum(a["statuts"][s] for a in attendus) for s in STATUTS}
    assert t["en_retard"] == sum(a["en_retard"] for a in attendus)
    mesures, attendues = sum(a["mesures"] for a in attendus), sum(a["attendus"] for a in attendus)
    assert t["completude_detail"] == {"mesures": mesures, "attendus": attendues}
    assert t["completude"] == pytest.approx(100 * mesures / attendues)
    somme, actions = sum(a["somme"] for a in attendus), sum(a["actions"] for a in attendus)
    assert t["avancement"] == pytest.approx(somme / actions)
    themes = sum((a["themes"] for a in attendus), Counter())
    assert {x["code"]: x["total"]["fiches"] for x in r["themes"]} == dict(themes)
    assert themes["nutrition"] == 12 and themes["sante-mentale"] == 12  # thèmes des fiches


def test_contrats_tries_et_cote_a_cote_par_theme(cls, tmp_path: Path) -> None:
    copies = golden_rollup.copies(tmp_path)
    r = _rollup_json(cls, *copies, "--year", "2023")
    assert [c["titre"] for c in r["contrats"]] == sorted(golden_rollup.TITRES)
    themes_axes = [a["theme"] for a in r["contrats"][0]["axes"]]
    assert themes_axes == ["prevention", "acces-aux-soins", "vieillissement", "coordination"]
    un = recalcul(copies[0], 2023)
    for theme in r["themes"]:
        assert [c["fiches"] for c in theme["par_contrat"]] == [un["themes"][theme["code"]]] * 3


def test_annee_commune_par_defaut_dite_en_tete(cls, tmp_path: Path) -> None:
    copies = golden_rollup.copies(tmp_path)
    resultat = cls("rollup", *copies)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.stdout.startswith("# Consolidation des contrats locaux de santé — 2023\n")
    assert "l'année la plus récente renseignée dans tous les contrats" in resultat.stdout
    avec = cls("rollup", *copies, "--year", "2022")
    assert "la plus récente" not in avec.stdout and "— 2022\n" in avec.stdout


def test_contrat_d_une_autre_periode_hors_periode(cls, tmp_path: Path) -> None:
    copies = golden_rollup.copies(tmp_path)[:2]
    depot = tmp_path / "dreux"
    init = cls("init", depot, "--nom", "CLS de Dreux", "--debut", "2026", "--fin", "2031")
    assert init.exit_code == 0, init.output
    arbres = [*copies, depot / "data"]
    r = _rollup_json(cls, *arbres, "--year", "2023")
    dreux = next(c for c in r["contrats"] if c["titre"] == "CLS de Dreux")
    assert dreux["periode"] == {"debut": 2026, "fin": 2031}
    assert dreux["dans_la_periode"] is False and "fiches" not in dreux  # pas de 0 inventé
    assert r["totaux"]["contrats"] == 2
    assert r["totaux"]["fiches"] == 2 * recalcul(copies[0], 2023)["fiches"]
    rang = [c["titre"] for c in r["contrats"]].index("CLS de Dreux")
    assert all(t["par_contrat"][rang] is None for t in r["themes"])
    md = cls("rollup", *arbres, "--year", "2023")
    ligne = next(x for x in md.stdout.splitlines() if x.startswith("| CLS de Dreux | 2026-2031 |"))
    assert "hors période" in ligne and "| 0 |" not in ligne
    # sans --year : aucune année n'est renseignée dans les trois contrats
    sans = cls("rollup", *arbres)
    assert sans.exit_code == 2
    assert "--year" in sans.output


def test_arbre_invalide_nomme_dans_le_rendu_partiel(cls, tmp_path: Path) -> None:
    bon, mauvais = golden_rollup.copies(tmp_path)[:2]
    (mauvais / "axes.yaml").write_text("axes: []\n", encoding="utf-8")
    assert cls("rollup", bon, mauvais, "-y", "2021").exit_code == 1
    resultat = cls("rollup", bon, mauvais, "-y", "2021", "--partial")
    assert resultat.exit_code == 0, resultat.output
    assert "Consolidation partielle : 1 arbre(s) invalide(s)" in resultat.stdout
    assert str(mauvais).replace("_", "\\_") in resultat.stdout
    assert "Total (1 contrat)" in resultat.stdout


def test_html_echappe_et_format_d_apres_l_extension(cls, tmp_path: Path) -> None:
    copies = golden_rollup.copies(tmp_path)[:1]
    contrat = copies[0] / "contrat.yaml"
    texte = contrat.read_text(encoding="utf-8")
    contrat.write_text(texte.replace("titre: CLS fictif de Brou", 'titre: "<b>Brou</b>"'), "utf-8")
    sortie = tmp_path / "region.html"
    resultat = cls("rollup", *copies, "-y", "2023", "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    html = sortie.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "size: A4" in html
    assert "&lt;b&gt;Brou&lt;/b&gt;" in html and "<b>Brou" not in html
    assert cls("rollup", *copies, "-y", "2023", "-o", sortie).exit_code == 2  # sans --force


def test_format_inconnu_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("rollup", *golden_rollup.copies(tmp_path)[:1], "-f", "xls")
    assert resultat.exit_code == 2
    assert "md, html, json ou sqlite" in resultat.output


@pytest.mark.parametrize("format_", golden_rollup.FORMATS)
def test_golden(format_: str) -> None:
    attendu = (golden_rollup.DOSSIER / golden_rollup.nom(format_)).read_text(encoding="utf-8")
    assert golden_rollup.rendus()[format_] == attendu, (
        "la consolidation a changé : si c'est voulu, lancez « make golden » et relisez le diff"
    )
