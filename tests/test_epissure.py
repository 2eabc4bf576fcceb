"""L'épissure (cls_cli.epissure) écrit exactement ce qu'écrirait l'aller-retour ruamel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from cls_cli.chargement import lire
from cls_cli.epissure import NonEpissable, Pose, episser
from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi
from cls_cli.suivi import en_yaml, poser_mesure, poser_suivi
from cls_cli.yamlio import charger_rapide, charger_texte, vers_texte

RACINE = Path(__file__).resolve().parent.parent
FICHES = sorted((RACINE / "data" / "actions").glob("*.yaml")) + sorted(
    (RACINE / "examples" / "demo" / "data" / "actions").glob("*.yaml")
)

#: Des mesures variées : textes à guillemets, deux-points, dièse, mots que YAML lit
#: autrement, nombres à virgule, dates, raisons de manque.
MESURES = [
    SaisieMesure(2025, 7),
    SaisieMesure(2025, 0, source="Bilan: annuel # porteur"),
    SaisieMesure(2025, 12.5, date=dt.date(2025, 3, 1), commentaire="yes"),
    SaisieMesure(2025, True, source="'cité' \"double\""),
    SaisieMesure(2025, "- texte", commentaire="1.5"),
    SaisieMesure(2025, manquante="non transmis : le porteur a changé"),
    SaisieMesure(2025, 100, source="oui", commentaire="null"),
]
SUIVIS = [
    SaisieSuivi(2025, "en_cours", 40),
    SaisieSuivi(2025, "realisee", 100, "Terminé : bilan « positif »"),
    SaisieSuivi(2025, "a_lancer"),
]


def _aller_retour(texte: str, code: str | None, saisie: Any, remplacer: bool) -> str:
    doc = charger_texte(texte, Path("x.yaml"))
    if code is None:
        poser_suivi(doc, saisie, remplacer)
    else:
        poser_mesure(doc, code, saisie, remplacer)
    return vers_texte(doc)


def _comparer(texte: str, code: str | None, saisie: Any) -> bool:
    """Vrai si l'épissure a été faite (et alors égale à l'aller-retour)."""
    donnees = lire(texte, Path("x.yaml")).valeurs
    try:
        nouveau, _ = episser(texte, donnees, [Pose(code, en_yaml(saisie))], True)
    except NonEpissable:
        return False
    assert nouveau == _aller_retour(texte, code, saisie, True)
    assert lire(nouveau, Path("x.yaml")).valeurs == donnees  # données modifiées de même
    return True


@pytest.mark.parametrize("chemin", FICHES, ids=lambda c: f"{c.parent.parent.parent.name}/{c.name}")
def test_epissure_egale_aller_retour(chemin: Path) -> None:
    texte = chemin.read_text("utf-8")
    if vers_texte(charger_texte(texte, chemin)) != texte:
        pytest.skip("l'aller-retour refuse ce fichier")
    donnees = lire(texte, chemin).valeurs
    faites = 0
    for i, ind in enumerate(donnees.get("indicateurs") or []):
        annees = [m["annee"] for m in ind.get("mesures") or []]
        for annee in [2025, *annees[:1], *annees[-1:]]:  # ajout, remplacements
            saisie = MESURES[(i + annee) % len(MESURES)]
            saisie = SaisieMesure(annee, saisie.valeur, saisie.manquante, saisie.date,
                                  saisie.source, saisie.commentaire)  # fmt: skip
            faites += _comparer(texte, ind["code"], saisie)
    suivis = [s["annee"] for s in donnees.get("suivi") or []]
    for j, annee in enumerate([2025, *suivis[:1], *suivis[-1:]]):
        s = SUIVIS[j % len(SUIVIS)]
        faites += _comparer(texte, None, SaisieSuivi(annee, s.statut, s.avancement, s.commentaire))
    assert faites >= 1 + bool(donnees.get("indicateurs"))  # au moins un ajout de chaque


def test_plusieurs_poses_dans_une_fiche_egalent_l_aller_retour() -> None:
    chemin = next(c for c in FICHES if "demo" in str(c) and c.name.startswith("30-"))
    texte = chemin.read_text("utf-8")
    donnees = charger_rapide(texte, chemin)
    codes = [ind["code"] for ind in donnees["indicateurs"]]
    poses = [(code, MESURES[k % len(MESURES)]) for k, code in enumerate(codes)]
    nouveau, effets = episser(
        texte, donnees, [Pose(c, en_yaml(s)) for c, s in poses] + [Pose(None, en_yaml(SUIVIS[1]))],
        True,
    )  # fmt: skip
    doc = charger_texte(texte, chemin)
    for code, saisie in poses:
        poser_mesure(doc, code, saisie, True)
    poser_suivi(doc, SUIVIS[1], True)
    assert nouveau == vers_texte(doc)
    assert [e for e, _ in effets] == ["ajoutee"] * (len(codes) + 1)


def _fiche(mesures: str) -> str:
    return f"numero: 1\nindicateurs:\n  - code: a\n    mesures:{mesures}\n  - code: b\n"


@pytest.mark.parametrize(
    "mesures",
    [
        "\n      - annee: 2025\n        valeur: 1  # note",  # commentaire dans l'entrée
        "\n      # avant\n      - annee: 2024\n        valeur: 1",  # commentaire avant
        "\n      - annee: 2025\n        valeur: 1\n\n",  # ligne vide après l'entrée remplacée
        " [{annee: 2024, valeur: 1}]",  # liste en flux
        "\n      - annee: 2024\n        commentaire: |\n          long",  # bloc littéral
        "\n    - annee: 2024\n      valeur: 1",  # tiret sous la clé
    ],
)
def test_cas_laisses_a_l_aller_retour(mesures: str) -> None:
    texte = _fiche(mesures)
    with pytest.raises(NonEpissable):
        episser(texte, charger_rapide(texte, Path("x")), [Pose("a", en_yaml(MESURES[0]))], True)


def test_conflit_sans_remplacer_laisse_a_l_aller_retour() -> None:
    texte = _fiche("\n      - annee: 2025\n        valeur: 1")
    with pytest.raises(NonEpissable):
        episser(texte, charger_rapide(texte, Path("x")), [Pose("a", en_yaml(MESURES[0]))], False)


def test_entree_identique_inchangee() -> None:
    texte = _fiche("\n      - annee: 2025\n        valeur: 7")
    nouveau, effets = episser(
        texte, charger_rapide(texte, Path("x")), [Pose("a", en_yaml(MESURES[0]))], False
    )
    assert nouveau == texte
    assert effets == [("inchangee", {"annee": 2025, "valeur": 7})]


def test_premiere_mesure_d_une_liste_vide() -> None:
    texte = "numero: 1\nindicateurs:\n  - code: a\n    mesures: []\n  - code: b\nsuivi: []\n"
    donnees = charger_rapide(texte, Path("x"))
    nouveau, effets = episser(
        texte, donnees, [Pose("a", en_yaml(MESURES[0])), Pose(None, en_yaml(SUIVIS[2]))], False
    )
    assert nouveau == (
        "numero: 1\nindicateurs:\n  - code: a\n    mesures:\n      - annee: 2025\n"
        "        valeur: 7\n  - code: b\nsuivi:\n  - annee: 2025\n    statut: a_lancer\n"
    )
    assert effets == [("ajoutee", None), ("ajoutee", None)]
    assert charger_rapide(nouveau, Path("x")) == donnees


def test_import_par_epissure_sans_aller_retour(cls, copie_demo: Path, monkeypatch) -> None:
    # Le cas courant ne relit ni ne réécrit la fiche par ruamel.
    from cls_cli import plan

    def interdit(*args: object) -> None:
        raise AssertionError("aller-retour ruamel dans le cas courant")

    monkeypatch.setattr(plan, "ouvrir", interdit)
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 0, resultat.output


def test_epissure_garde_la_bom(cls, copie_demo: Path) -> None:
    chemin = next((copie_demo / "actions").glob("30-*.yaml"))
    texte = chemin.read_text("utf-8")
    chemin.write_bytes(b"\xef\xbb\xbf" + texte.encode())
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 0, resultat.output
    octets = chemin.read_bytes()
    ajout = "      - annee: 2024\n        valeur: 5\n"
    assert octets.startswith(b"\xef\xbb\xbf")
    assert octets[3:].decode().replace(ajout, "", 1) == texte


def test_ligne_de_contenu() -> None:
    from cls_cli.epissure import _contenu

    assert _contenu("  valeur: 1\n") and _contenu("a")
    assert not _contenu("   \n") and not _contenu("  # note\n") and not _contenu("")


def test_liste_vide_suivie_d_un_commentaire_en_derniere_ligne() -> None:
    # L'aller-retour sait où mettre le commentaire qui suit « suivi: [] ».
    texte = "numero: 1\nsuivi: []\n# fin\n"
    with pytest.raises(NonEpissable):
        episser(texte, charger_rapide(texte, Path("x")), [Pose(None, en_yaml(SUIVIS[0]))], True)


def test_ligne_distingue_vrai_de_un() -> None:
    from cls_cli.epissure import _ligne

    # True == 1 == 1.0 pour Python : la ligne mise en cache dépend aussi du type.
    assert _ligne("cle_de_test_du_cache", True) == "cle_de_test_du_cache: true\n"
    assert _ligne("cle_de_test_du_cache", 1.0) == "cle_de_test_du_cache: 1.0\n"
    assert _ligne("cle_de_test_du_cache", 1) == "cle_de_test_du_cache: 1\n"
