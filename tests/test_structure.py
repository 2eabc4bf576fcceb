"""La structure des autres contrats (ticket 22) : un à trois niveaux au-dessus des fiches,
codes tels que le contrat les écrit, ordre naturel, ``nature`` facultative et
``non_precise``.

Les arbres faits main sont dans tests/cas/structures/ : ``valides/`` (chaque arbre passe
``cls validate --strict``, ``cls report``, ``cls stats``, ``cls list``) et ``invalides/``
(chaque arbre a un ``attendu.txt`` : ``FICHIER:LIGNE (regle) texte``). Les données et
rapports de Chartres, eux, ne changent pas : voir les fichiers de référence (tests/golden).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from cls_cli.chargement import charger
from cls_cli.modeles import NON_PRECISE_LIBELLE
from cls_cli.porteurs import porteurs_des_fiches
from cls_cli.structure import cle_naturelle, tri_naturel
from tests.conftest import CAS

STRUCTURES = CAS / "structures"
UN_NIVEAU = STRUCTURES / "valides" / "un-niveau"
DEUX_NIVEAUX = STRUCTURES / "valides" / "deux-niveaux"
ANNEES = {"un-niveau": "2013", "deux-niveaux": "2023"}


def _arbres(dossier: str) -> list[Path]:
    return sorted(p for p in (STRUCTURES / dossier).iterdir() if p.is_dir())


# --- Ordre naturel des codes -----------------------------------------------------------------


def test_tri_naturel_morceaux_numeriques() -> None:
    assert tri_naturel(["10", "2", "1"]) == ["1", "2", "10"]
    assert tri_naturel(["1.10", "1.2", "1.1"]) == ["1.1", "1.2", "1.10"]
    assert tri_naturel(["II-10", "II-2", "I-1"]) == ["I-1", "II-2", "II-10"]
    assert tri_naturel(["B", "a", "A2", "A10"]) == ["a", "A2", "A10", "B"]
    # un ordre total : deux écritures d'un même code gardent un ordre stable
    assert tri_naturel(["A", "a"]) == ["A", "a"]


def test_cle_naturelle_compare_les_nombres_comme_des_nombres() -> None:
    assert cle_naturelle("3.1") < cle_naturelle("3.10") < cle_naturelle("30")


# --- L'arbre : le parent d'un code se lit dans l'arbre ----------------------------------------


def test_arbre_deux_niveaux_chemins() -> None:
    ref = charger(DEUX_NIVEAUX).referentiel
    arbre = ref.arbre
    assert arbre.structure == ("axe", "objectif")
    assert arbre.chemin("II-10") == ("II", "II-10")
    assert arbre.axe("II-10") == "II" and arbre.axe("I-1") == "I"
    assert arbre.feuilles() == ["II-2", "II-10", "I-1"]
    assert arbre.axe("inconnu") is None and arbre.chemin("inconnu") == ()
    assert [ref.axe_de(f) for f in ref.fiches_valides()] == ["II", "II", "I"]


def test_arbre_un_niveau_la_fiche_est_sous_l_axe() -> None:
    ref = charger(UN_NIVEAU).referentiel
    assert ref.arbre.feuilles() == ["A", "B"]
    assert [ref.axe_de(f) for f in ref.fiches_valides()] == ["A", "B"]


def test_arbre_de_chartres_trois_niveaux_sans_structure_declaree() -> None:
    """data/contrat.yaml ne dit pas sa structure : la valeur par défaut, trois niveaux."""
    from tests.conftest import DATA

    ref = charger(DATA).referentiel
    assert ref.contrat is not None and ref.contrat.structure == [
        "axe",
        "objectif_strategique",
        "objectif_operationnel",
    ]
    assert ref.arbre.chemin("2.2.3") == ("2", "2.2", "2.2.3")


# --- Les arbres valides : validate, report, stats, list --------------------------------------


@pytest.mark.parametrize("arbre", _arbres("valides"), ids=lambda p: p.name)
def test_arbre_valide_passe_toutes_les_commandes(cls, arbre: Path) -> None:
    annee = ANNEES[arbre.name]
    valide = cls("validate", "--strict", "--data", arbre)
    assert valide.exit_code == 0, valide.output
    assert valide.output.strip().endswith("0 erreur, 0 avertissement")
    for format_ in ("md", "json", "html"):
        rapport = cls("report", "--data", arbre, "--year", annee, "--format", format_)
        assert rapport.exit_code == 0, rapport.output
        assert "Traceback" not in rapport.output
    stats = cls("stats", "--data", arbre, "--year", annee)
    assert stats.exit_code == 0, stats.output
    liste = cls("list", "--data", arbre)
    assert liste.exit_code == 0, liste.output


def _rapport_json(cls, arbre: Path) -> dict:
    resultat = cls("report", "--data", arbre, "--year", ANNEES[arbre.name], "--format", "json")
    assert resultat.exit_code == 0, resultat.output
    return json.loads(resultat.stdout)


def test_rapport_un_niveau_fiches_sous_l_axe(cls) -> None:
    r = _rapport_json(cls, UN_NIVEAU)
    assert [a["code"] for a in r["axes"]] == ["A", "B"]
    # le rapport garde trois niveaux : ceux que le contrat n'a pas sont sans code
    for axe, numero in zip(r["axes"], (1, 2), strict=True):
        [objectif] = axe["objectifs"]
        assert objectif["code"] is None and objectif["libelle"] is None
        [operationnel] = objectif["objectifs"]
        assert operationnel["code"] is None and operationnel["actions"] == [numero]
    assert [a["axe"] for a in r["actions"]] == ["A", "B"]
    texte = cls("report", "--data", UN_NIVEAU, "--year", "2013", "--format", "md").stdout
    assert "#### " not in texte  # aucun titre d'objectif vide
    assert "### Axe A – Prévention" in texte


def test_rapport_deux_niveaux_objectifs_dans_l_ordre_du_fichier(cls) -> None:
    r = _rapport_json(cls, DEUX_NIVEAUX)
    assert [a["code"] for a in r["axes"]] == ["II", "I"]
    objectifs = r["axes"][0]["objectifs"]
    assert [o["code"] for o in objectifs] == ["II-2", "II-10"]
    assert [o["objectifs"][0]["actions"] for o in objectifs] == [[1], [2]]
    assert objectifs[0]["objectifs"][0]["code"] is None
    # avancement de l'axe II : (100 + 20) / 2
    assert r["axes"][0]["avancement"] == pytest.approx(60.0)
    texte = cls("report", "--data", DEUX_NIVEAUX, "--year", "2023", "--format", "md").stdout
    assert "#### II-10 Former les professionnels" in texte
    assert "##### " not in texte


def test_non_precise_montre_et_jamais_compte_comme_porteur(cls) -> None:
    r = _rapport_json(cls, UN_NIVEAU)
    fiche = next(a for a in r["actions"] if a["numero"] == 2)
    assert fiche["porteurs"] == []
    assert fiche["description"] == NON_PRECISE_LIBELLE
    assert fiche["calendrier"] == NON_PRECISE_LIBELLE
    assert [p["porteur"] for p in r["completude_porteurs"]] == ["Ville de Valbourg"]
    texte = cls("report", "--data", UN_NIVEAU, "--year", "2013", "--format", "md").stdout
    assert f"Porteurs : {NON_PRECISE_LIBELLE}" in texte
    assert "non_precise" not in texte
    html = cls("report", "--data", UN_NIVEAU, "--year", "2013", "--format", "html").stdout
    assert "non_precise" not in html
    # le registre des porteurs (campagne) n'en fait pas un organisme
    fiches = charger(UN_NIVEAU).referentiel.fiches_valides()
    assert [p.nom for p in porteurs_des_fiches(fiches)] == ["Ville de Valbourg"]


def test_show_dit_non_precise_et_le_chemin_de_l_arbre(cls) -> None:
    sortie = cls("show", "2", "--data", UN_NIVEAU).output
    assert "Axe B – Accès aux soins" in sortie
    assert sortie.count(NON_PRECISE_LIBELLE) == 7
    assert "Action nouvelle" not in sortie and "non_precise" not in sortie
    sortie = cls("show", "2", "--data", DEUX_NIVEAUX).output
    assert "Axe II – Santé mentale" in sortie
    assert "Objectif II-10 : Former les professionnels" in sortie


def test_list_filtre_par_axe_lu_dans_l_arbre(cls) -> None:
    sortie = cls("list", "--data", DEUX_NIVEAUX, "--axe", "II").output
    assert "2 fiche(s)" in sortie and "Cantines" not in sortie


def test_export_sqlite_un_niveau_cles_etrangeres_respectees(cls, tmp_path: Path) -> None:
    base = tmp_path / "x.sqlite"
    resultat = cls("export", "--data", UN_NIVEAU, "-o", base)
    assert resultat.exit_code == 0, resultat.output
    with sqlite3.connect(base) as connexion:
        assert connexion.execute("PRAGMA foreign_key_check").fetchall() == []
        lignes = connexion.execute("SELECT numero, objectif, axe FROM fiches ORDER BY numero")
        assert lignes.fetchall() == [(1, None, "A"), (2, None, "B")]
        assert connexion.execute("SELECT date_signature FROM contrats").fetchall() == [(None,)]
        noms = connexion.execute("SELECT nom FROM porteurs").fetchall()
        assert noms == [("Ville de Valbourg",)]


def test_export_sqlite_deux_niveaux(cls, tmp_path: Path) -> None:
    base = tmp_path / "x.sqlite"
    assert cls("export", "--data", DEUX_NIVEAUX, "-o", base).exit_code == 0
    with sqlite3.connect(base) as connexion:
        objectifs = connexion.execute("SELECT code, niveau, axe, parent, rang FROM objectifs")
        assert objectifs.fetchall() == [
            ("II-2", "objectif", "II", None, 1),
            ("II-10", "objectif", "II", None, 2),
            ("I-1", "objectif", "I", None, 1),
        ]
        assert connexion.execute("PRAGMA foreign_key_check").fetchall() == []


# --- Les arbres invalides : chaque erreur dit où --------------------------------------------


@pytest.mark.parametrize("arbre", _arbres("invalides"), ids=lambda p: p.name)
def test_arbre_invalide_erreur_situee(cls, arbre: Path) -> None:
    attendu = (arbre / "attendu.txt").read_text(encoding="utf-8").strip()
    m = re.match(r"(\S+):(\d+) \((\S+)\) (.+)$", attendu)
    assert m, attendu
    fichier, ligne, regle, texte = m.groups()
    resultat = cls("validate", "--data", arbre)
    sortie = resultat.output
    assert resultat.exit_code == 1, sortie
    assert "Traceback" not in sortie
    erreurs = [x for x in sortie.splitlines() if "[erreur]" in x]
    assert any(f"{fichier}:{ligne}:" in x and f"({regle})" in x and texte in x for x in erreurs), (
        sortie
    )
    assert len(erreurs) == 1, sortie  # une cause, une erreur : pas de cascade


# --- nature facultative, date de signature non précisée -------------------------------------


def test_nature_absente_acceptee_et_valeur_inconnue_refusee(cls, tmp_path: Path) -> None:
    arbre = Path(shutil.copytree(DEUX_NIVEAUX, tmp_path / "d"))
    fiche = arbre / "actions" / "01-reperage.yaml"
    fiche.write_text(
        fiche.read_text(encoding="utf-8").replace("nature: nouvelle", "nature: ancienne"),
        encoding="utf-8",
    )
    sortie = cls("validate", "--data", arbre).output
    assert "01-reperage.yaml:4:" in sortie and "ancienne" in sortie


def test_avenant_date_signature_non_precise_borne_au_debut_de_periode() -> None:
    """Sans date de signature, un avenant se date dans la période du contrat (1er janvier
    de la première année), jamais par rapport à une date inventée."""
    ref = charger(UN_NIVEAU).referentiel
    assert ref.contrat is not None
    assert ref.contrat.date_signature == "non_precise"
    assert ref.contrat.premier_jour.isoformat() == "2012-01-01"


@pytest.mark.parametrize("niveaux", ["1", "2", "3"])
def test_init_selon_le_nombre_de_niveaux(cls, tmp_path: Path, niveaux: str) -> None:
    depot = tmp_path / "x"
    options = ("--nom", "CLS de Dreux", "--debut", "2026", "--fin", "2031")
    resultat = cls("init", depot, *options, "--niveaux", niveaux)
    assert resultat.exit_code == 0, resultat.output
    contrat = (depot / "data" / "contrat.yaml").read_text(encoding="utf-8")
    assert "date_signature: non_precise" in contrat
    assert "2026-01-01" not in contrat  # plus de date inventée
    ref = charger(depot / "data").referentiel
    assert ref.arbre.profondeur == int(niveaux)
    valide = cls("validate", "--data", depot / "data")
    assert valide.exit_code == 0, valide.output
    feuille = ref.arbre.feuilles()[0]
    assert f"cls new --objectif {feuille} " in valide.output
    nouvelle = cls("new", "--data", depot / "data", "--objectif", feuille, "--titre", "Agir")
    assert nouvelle.exit_code == 0, nouvelle.output


def test_init_niveaux_hors_bornes_refuse(cls, tmp_path: Path) -> None:
    options = ("--nom", "CLS", "--debut", "2026", "--fin", "2031", "--niveaux", "4")
    resultat = cls("init", tmp_path / "x", *options)
    assert resultat.exit_code == 2 and "--niveaux 4" in resultat.output


def test_new_refuse_un_code_qui_n_est_pas_au_niveau_le_plus_bas(cls, tmp_path: Path) -> None:
    arbre = Path(shutil.copytree(DEUX_NIVEAUX, tmp_path / "d"))
    resultat = cls("new", "--data", arbre, "--objectif", "II", "--titre", "X")
    assert resultat.exit_code == 2
    assert "n'existe pas au niveau le plus bas" in resultat.output
    assert "II-2" in resultat.output
    assert cls("new", "--data", arbre, "--objectif", "II-10", "--titre", "X").exit_code == 0


def test_cls_diff_lit_les_axes_par_leur_rang_et_non_par_leur_code() -> None:
    """cls diff compare le contenu brut de axes.yaml : un axe est un bloc du premier niveau,
    même si son code a un point ou un tiret ; les objectifs d'un contrat à deux niveaux
    sont lus."""
    from cls_cli.changements import comparer_axes
    from cls_cli.structure import codes_axes, libelles_axes

    avant = {"axes": [{"code": "II", "libelle": "Santé mentale", "objectifs": []}]}
    apres = {
        "axes": [
            {
                "code": "II",
                "libelle": "Santé mentale",
                "objectifs": [{"code": "II-2", "libelle": "Repérer"}],
            },
            {"code": "3.1", "libelle": "Un axe codé avec un point"},
        ]
    }
    assert libelles_axes(apres) == {
        "II": "Santé mentale",
        "II-2": "Repérer",
        "3.1": "Un axe codé avec un point",
    }
    assert codes_axes(apres) == {"II", "3.1"}
    genres = {(c.genre, c.champ) for c in comparer_axes(avant, apres)}
    assert genres == {("objectif-ajoute", "II-2"), ("axe-ajoute", "3.1")}


@pytest.mark.parametrize("format_", ["md", "html"])
def test_contrat_consolide_sans_date_de_signature_ni_porteur(cls, format_: str) -> None:
    resultat = cls("contract", "--at", "2014-01-01", "--data", UN_NIVEAU, "-f", format_)
    assert resultat.exit_code == 0, resultat.output
    assert "Date de signature non précisée par le contrat. 2 fiches en vigueur." in resultat.stdout
    assert f"Porteurs : {NON_PRECISE_LIBELLE}" in resultat.stdout
    assert "non_precise" not in resultat.stdout
    deux = cls("contract", "--at", "2024-01-01", "--data", DEUX_NIVEAUX, "-f", format_)
    assert deux.exit_code == 0, deux.output
    assert "II-10 Former les professionnels" in deux.stdout


def test_axe_sans_objectif_avertit(cls, tmp_path: Path) -> None:
    """Les listes d'objectifs sont facultatives dans le modèle (un contrat à un niveau n'en a
    pas) : un axe vide dans un contrat à deux niveaux est donc signalé par un avertissement."""
    arbre = Path(shutil.copytree(DEUX_NIVEAUX, tmp_path / "d"))
    axes = arbre / "axes.yaml"
    axes.write_text(
        axes.read_text(encoding="utf-8") + '  - code: "III"\n    libelle: Oubli\n',
        encoding="utf-8",
    )
    resultat = cls("validate", "--data", arbre)
    assert resultat.exit_code == 0, resultat.output
    assert "axes.yaml:14:" in resultat.output and "(branche-vide)" in resultat.output
    assert "l'axe III n'a aucun objectif" in resultat.output
    assert cls("validate", "--strict", "--data", arbre).exit_code == 1


def test_portee_d_une_question_d_evaluation_lue_dans_l_arbre() -> None:
    """Une question qui porte sur l'objectif II-10 couvre sa fiche, et touche l'axe II
    (trouvé dans l'arbre : « II-10 » ne se découpe pas sur un point)."""
    from cls_cli.evaluations import Portee
    from cls_cli.rapport_evaluation import axes_de, fiches_de

    ref = charger(DEUX_NIVEAUX).referentiel
    fiches = ref.fiches_valides()
    portee = Portee(objectifs=["II-10"])
    assert [f.numero for f in fiches_de(portee, fiches, ref.arbre)] == [2]
    assert axes_de(portee, fiches, ref.arbre) == {"II"}
    par_axe = Portee(axes=["I"], fiches=[1])
    assert [f.numero for f in fiches_de(par_axe, fiches, ref.arbre)] == [1, 3]
    assert axes_de(par_axe, fiches, ref.arbre) == {"I", "II"}
