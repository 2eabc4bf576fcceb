"""Les deux lecteurs YAML lisent chaque valeur de la même façon.

Le lecteur rapide (yaml-rs) sert à valider et à rapporter ; ruamel (aller-retour) fait
autorité et sert à écrire et à situer les problèmes. Ces tests prouvent que le lecteur
rapide rend exactement ce que rend ruamel, ou passe la main (RepliAllerRetour) — jamais
une autre valeur — et que validate et report donnent les mêmes résultats par les deux
chemins.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cls_cli import yamlio
from cls_cli.chargement import charger, en_python, lire
from cls_cli.depot import Origine
from cls_cli.erreurs import ErreurDonnees
from cls_cli.rapport import construire
from cls_cli.verification import valider
from cls_cli.yamlio import RepliAllerRetour, charger_rapide, charger_texte
from tests.conftest import CAS, DATA, DEMO

X = Path("x.yaml")


def par_ruamel(texte: str) -> object:
    return en_python(charger_texte(texte, X))


def accord(texte: str) -> str:
    """« rapide » si le lecteur rapide a lu (et rendu la même chose que ruamel), « repli »
    s'il a passé la main. Échoue si les deux lecteurs diffèrent."""
    try:
        rapide = charger_rapide(texte, X)
    except RepliAllerRetour:
        return "repli"
    try:
        reference = par_ruamel(texte)
    except ErreurDonnees as exc:  # ruamel refuse ce que le lecteur rapide a accepté
        pytest.fail(f"lecteur rapide : {rapide!r} ; ruamel : {exc}")
    rapide = en_python(rapide)  # clés non textuelles : voir charger_rapide
    assert rapide == reference, texte
    assert json.dumps(rapide, default=str, sort_keys=True) == json.dumps(
        reference, default=str, sort_keys=True
    ), texte  # mêmes types (1 et 1.0, True et 1 sont égaux en Python)
    return "rapide"


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        # Ce que YAML 1.1 lit comme booléen : ruamel garde le texte et la règle
        # piege-booleen le signale ; seul ruamel sait s'il y avait des guillemets.
        ("reponse: NO\n", "repli"),
        ("reponse: yes\n", "repli"),
        ("- on\n- off\n", "repli"),
        ("liste: [y, n]\n", "repli"),
        ('reponse: "no"\n', "repli"),  # entre guillemets : ruamel dira que tout va bien
        # Nombres : 012 vaut 12 pour ruamel (YAML 1.2), 10 pour un lecteur YAML 1.1.
        ("nb: 012\n", "rapide"),
        ("nb: 0o12\n", "rapide"),
        ("nb: 0x1A\n", "rapide"),
        ("nb: 1_000\n", "repli"),  # « _0 » : prudence
        ("nb: +12\n", "rapide"),
        ("nb: -1.5e3\n", "rapide"),
        ("nb: .inf\n", "rapide"),
        ("nb: 1:20\n", "rapide"),
        ("nb: _1\n", "repli"),  # yaml-rs lirait 1, ruamel « _1 »
        ("nb: =\n", "repli"),
        ("nb: <<\n", "repli"),
        # Clés en double : ruamel les refuse (clé-double), le lecteur rapide passe la main.
        ("a: 1\na: 2\n", "repli"),
        ("a:\n  b: 1\n  b: 1\n", "repli"),
        # Dates.
        ("d: 2021-03-15\n", "rapide"),
        ("d: 2021-13-45\n", "repli"),
        ("d: 2021-02-30\n", "repli"),
        ("d: 2021-03-15 10:00:00\n", "repli"),
        ('d: "2021-03-15"\n', "repli"),
        # Ce que cls refuse ou que les lecteurs traitent différemment.
        ("a: &x 1\nb: *x\n", "repli"),
        ("a: !!str 12\n", "repli"),
        ("%YAML 1.1\n---\na: no\n", "repli"),
        ("a: 1\n---\nb: 2\n", "repli"),
        ("a: b\u2028c\n", "repli"),
        ("1: un\n", "rapide"),
        ("? [a, b]\n: 1\n", "repli"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "repli"),
        # Textes ordinaires des fiches.
        ("t: Santé & social\n", "rapide"),
        ("t: |\n  ligne 1\n  ligne 2\n", "rapide"),
        ("t: >-\n  un\n  deux\n", "rapide"),
        ("t: 'l''eau'\n", "rapide"),
        ('t: "\\u00e9t\\u00e9"\n', "rapide"),
        ("objectif: 1.1.2\n", "rapide"),
        ("objectif: 1.1\n", "rapide"),
        ("vide:\n", "rapide"),
        ("# rien\n", "rapide"),
        ("", "rapide"),
        ("a: 1\r\nb: deux\r\n", "rapide"),
    ],
)
def test_les_deux_lecteurs_sont_d_accord(texte: str, attendu: str) -> None:
    assert accord(texte) == attendu


def test_lire_rend_la_lecture_de_ruamel_quand_le_lecteur_rapide_passe_la_main() -> None:
    document = lire("reponse: NO\nn: 012\n", X)
    assert document.lu_en_aller_retour
    assert document.valeurs == {"reponse": "NO", "n": 12}


MOTS = st.sampled_from(
    ["a", "titre", "no", "NO", "yes", "on", "Off", "y", "N", "_x", "=", "<<", "1", "012",
     "0o7", "0x1F", "1_0", "+3", "-2.5", ".5", "1e3", ".inf", "~", "null", "True", "FALSE",
     "2021-03-15", "2021-13-01", "2021-3-5", "2021-03-15 10:00", "1:20", "1.1.2", "é", "a b",
     "a: b", "a #c", "-", "- a", "'q'", '"d"', "[1, 2]", "{a: 1}", "[]", "&a x", "*a", "!t x",
     "|", ">", "Santé & social", "12 %", "48 900 €"]
)  # fmt: skip
CLES = st.sampled_from(["a", "b", "titre", "no", "1", "_c", "numero", "a b"])


@st.composite
def documents(draw: st.DrawFn, profondeur: int = 0) -> str:
    lignes = []
    retrait = "  " * profondeur
    for _ in range(draw(st.integers(1, 4))):
        cle = draw(CLES)
        genre = draw(
            st.sampled_from(["scalaire", "liste", "bloc"] if profondeur < 2 else ["scalaire"])
        )
        if genre == "scalaire":
            lignes.append(f"{retrait}{cle}: {draw(MOTS)}")
        elif genre == "liste":
            lignes.append(f"{retrait}{cle}:")
            lignes += [f"{retrait}  - {draw(MOTS)}" for _ in range(draw(st.integers(1, 3)))]
        else:
            lignes.append(f"{retrait}{cle}:")
            lignes.append(draw(documents(profondeur + 1)))
    return "\n".join(lignes) + "\n"


@settings(max_examples=400)
@given(documents())
def test_documents_au_hasard_les_deux_lecteurs_sont_d_accord(texte: str) -> None:
    try:
        charger_rapide(texte, X)
    except RepliAllerRetour:
        return
    except ErreurDonnees:
        return  # tabulation ou fins de ligne : même erreur par les deux chemins (yamlio)
    accord(texte)


# --- validate et report, par l'un ou l'autre chemin --------------------------------------------


def _resultats(racine: Path) -> tuple[list[tuple[object, ...]], dict[str, object]]:
    resultat = valider(racine)
    problemes = [
        (p.chemin, p.ligne, p.colonne, str(p.niveau), p.message, p.correction, p.regle)
        for p in resultat.problemes
    ]
    rapport = construire(
        charger(racine).referentiel, 2023, dt.date(2024, 1, 15), Origine(None, False), 2020
    )
    return problemes, rapport


@pytest.mark.parametrize("racine", [DATA, DEMO], ids=["data", "demo"])
def test_validate_et_report_identiques_par_les_deux_chemins(
    racine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rapide = _resultats(racine)
    with monkeypatch.context() as m:
        m.setattr("cls_cli.documents.charger_rapide", _toujours_repli)
        lent = _resultats(racine)
    assert rapide == lent


def _toujours_repli(texte: str, chemin: Path) -> object:
    yamlio.verifier_tabulations(texte, chemin)
    yamlio.verifier_fins_de_ligne(texte, chemin)
    raise RepliAllerRetour


@pytest.mark.parametrize("fichier", sorted((CAS).rglob("*.yaml")), ids=lambda p: p.name)
def test_cas_de_test_memes_problemes_par_les_deux_chemins(
    fichier: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chaque fichier piège du corpus tests/cas/, placé dans un arbre : mêmes problèmes."""
    import shutil

    data = tmp_path / "data"
    (data / "actions").mkdir(parents=True)
    shutil.copy(DATA / "axes.yaml", data / "axes.yaml")
    shutil.copy(DATA / "contrat.yaml", data / "contrat.yaml")
    shutil.copy(fichier, data / "actions" / fichier.name)
    rapide = _resultats(data)
    with monkeypatch.context() as m:
        m.setattr("cls_cli.documents.charger_rapide", _toujours_repli)
        lent = _resultats(data)
    assert rapide == lent


def test_le_lecteur_rapide_lit_toutes_les_donnees_livrees() -> None:
    """Pas de repli silencieux : les fiches livrées et l'exemple passent par yaml-rs."""
    for fichier in [*DATA.rglob("*.yaml"), *DEMO.rglob("*.yaml")]:
        charger_rapide(fichier.read_text(encoding="utf-8-sig"), fichier)
