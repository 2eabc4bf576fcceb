"""La saisie du suivi : cls record, status, template et import, sans perdre un octet."""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cls_cli.saisie import ecrire_nombre, lire_avancement, lire_nombre, lire_statut, lire_valeur
from cls_cli.suivi import SaisieMesure, poser_mesure
from cls_cli.yamlio import charger_texte, vers_texte

FICHE_30 = "30-developper-dispositifs-telemedecine-legers-structures-sociales.yaml"
FICHE_13 = "13-promouvoir-vaccination-aupres-population.yaml"


def _instantane(dossier: Path) -> dict[str, bytes]:
    """Les fichiers de l'arbre, hors du dossier de travail .cls/ (ignoré par git)."""
    return {
        str(p.relative_to(dossier)): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file() and p.relative_to(dossier).parts[0] != ".cls"
    }


def _seulement_ajouts(avant: str, apres: str) -> list[str]:
    """Les lignes ajoutées ; échoue si une ligne existante a été modifiée ou supprimée
    (seule exception : une liste vide « cle: [] » devient « cle: » quand on la remplit)."""
    ajouts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(
        None, avant.splitlines(True), apres.splitlines(True), autojunk=False
    ).get_opcodes():
        anciennes = avant.splitlines(True)[a1:a2]
        nouvelles = apres.splitlines(True)[b1:b2]
        if op == "replace" and all(a.endswith(": []\n") for a in anciennes):
            remplies = [a.replace(" []", "") for a in anciennes]
            assert all(r in nouvelles for r in remplies), (anciennes, nouvelles)
            ajouts += [n for n in nouvelles if n not in remplies]
            continue
        assert op in ("equal", "insert"), (op, anciennes)
        if op == "insert":
            ajouts += nouvelles
    return ajouts


@pytest.fixture
def demo_commentee(copie_demo: Path) -> Path:
    """La fiche 30 de l'exemple, avec des commentaires ajoutés à la main."""
    chemin = copie_demo / "actions" / FICHE_30
    texte = chemin.read_text(encoding="utf-8")
    texte = texte.replace("        valeur: 78\n", "        valeur: 78  # chiffre provisoire\n")
    texte = texte.replace("suivi:\n", "# Le suivi annuel, saisi par la coordination :\nsuivi:\n")
    texte = texte.replace(
        "  - code: consultations-services-medicaux\n",
        "  # Indicateur qui doit baisser\n  - code: consultations-services-medicaux\n",
    )
    texte += "# fin de la fiche\n"
    chemin.write_text(texte, encoding="utf-8")
    return copie_demo


# --- Lecture des valeurs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("1 500", 1500),
        ("12,5", 12.5),
        ("1\u202f500", 1500),
        ("1\u00a0234,5", 1234.5),
        ("1\u2009234", 1234),
        ("1 234", 1234),
        ("1 234,5", 1234.5),
        ("12 345 678", 12345678),
        ("1 234,567", 1234.567),  # les espaces font les milliers : la virgule est décimale
        ("1 234.5", 1234.5),
        ("7", 7),
        ("0", 0),
        ("100", 100),
        ("-3", -3),
        ("\u22123", -3),  # le signe moins typographique
        ("+4", 4),
        ("1.5", 1.5),
        ("0,123", 0.123),  # un zéro devant : pas un millier
        ("1234,567", 1234.567),  # quatre chiffres devant : pas un millier
        (",5", 0.5),
        ("1,2340", 1.234),
        ("12,0", 12),
        ("  8  ", 8),
        (12.0, 12),
        (0.6, 0.6),
        (1234, 1234),
    ],
)
def test_nombres_a_la_francaise(texte: str, attendu: float) -> None:
    lu = lire_nombre(texte)
    assert lu == attendu and type(lu) is type(attendu)


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ("1.234", "« 1.234 » est ambigu : 1,234 (décimal) ou 1234 (milliers) ?"),
        ("1,234", "« 1,234 » est ambigu : 1,234 (décimal) ou 1234 (milliers) ?"),
        ("100,000", "« 100,000 » est ambigu : 100,000 (décimal) ou 100000 (milliers) ?"),
        ("-1,234", "-1,234 (décimal) ou -1234 (milliers)"),
        ("inf", "« inf » n'est pas un nombre"),
        ("nan", "« nan » n'est pas un nombre"),
        ("-inf", "« -inf » n'est pas un nombre"),
        ("Infinity", "n'est pas un nombre"),
        ("1e3", "n'est pas un nombre"),
        ("1.234.567", "n'est pas un nombre"),
        ("1 2", "n'est pas un nombre"),  # groupe de milliers incomplet
        ("12 %", "n'est pas un nombre"),
        ("", "n'est pas un nombre"),
        (",", "n'est pas un nombre"),
        ("9" * 16, "trop grand"),
        ("9" * 41, "trop long"),
        (float("inf"), "n'est pas un nombre fini"),
        (float("nan"), "n'est pas un nombre fini"),
        (1e300, "trop grand"),
        (True, "n'est pas un nombre"),
    ],
)
def test_nombres_refuses(texte: object, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        lire_nombre(texte)  # type: ignore[arg-type]
    assert message in str(exc.value)


@settings(max_examples=300)
@given(st.integers(-(10**15) + 1, 10**15 - 1), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_entiers_ecrits_a_la_francaise_relus_exactement(nombre: int, espace: str) -> None:
    texte = f"{nombre:,}".replace(",", espace)
    assert lire_nombre(texte) == nombre
    assert lire_nombre(str(nombre)) == nombre


@settings(max_examples=300)
@given(st.integers(0, 10**9), st.integers(0, 99_999).map(lambda d: f"{d:05d}".rstrip("0") or "0"))
def test_decimaux_ecrits_a_la_francaise_relus_exactement(entier: int, decimales: str) -> None:
    attendu = float(f"{entier}.{decimales}")
    texte = f"{entier:,}".replace(",", " ") + "," + decimales
    if len(decimales) == 3 and 0 < entier < 1000:
        with pytest.raises(ValueError, match="est ambigu"):
            lire_nombre(texte)
    else:
        assert lire_nombre(texte) == attendu


def test_messages_exacts() -> None:
    cas = [
        (lambda: lire_nombre("9" * 16), "« 9999999999999999 » est trop grand (plus de 15 chiffres)"
         " pour être exact"),
        (lambda: lire_nombre(float("inf")), "« inf » n'est pas un nombre fini"),
        (lambda: lire_nombre(1e300), "« 1e+300 » est trop grand (plus de 15 chiffres) pour être"
         " exact"),
        (lambda: lire_nombre("1" * 41), f"« {'1' * 40}… » est trop long pour être un nombre"),
        (lambda: lire_nombre("x"), "« x » n'est pas un nombre (exemples : 1 500, 12,5 ou 0,75)"),
        (lambda: lire_valeur(" ", "nombre"), "la valeur est vide"),
        (lambda: lire_valeur(0.5, "nombre", pourcent=True), "« 50 % » est au format pourcentage :"
         " un nombre est attendu (retirez le format % de la cellule)"),
        (lambda: lire_valeur("0,6", "taux"), "taux « 0,6 » : 0,6 % ou 60 % ? Écrivez-le avec le"
         " signe % (par exemple « 60 % »)"),
        (lambda: lire_valeur("3 %", "nombre"), "« 3 % » est un pourcentage : un nombre est"
         " attendu"),
        (lambda: lire_valeur("-1", "nombre"), "« -1 » est négatif : un nombre positif ou nul est"
         " attendu"),
        (lambda: lire_avancement("101"), "avancement « 101 » hors de 0-100"),
        (lambda: lire_statut("fini"), "statut inconnu « fini » : choisissez parmi à lancer, en"
         " cours, réalisée, reportée, abandonnée"),
    ]  # fmt: skip
    for appel, message in cas:
        with pytest.raises(ValueError) as exc:
            appel()
        assert str(exc.value) == message


def test_bornes() -> None:
    assert lire_nombre("0" * 40) == 0  # 40 caractères : encore un nombre
    assert lire_nombre(str(10**15 - 1)) == 10**15 - 1
    with pytest.raises(ValueError, match="trop grand"):
        lire_nombre(str(10**15))
    with pytest.raises(ValueError, match="trop grand"):
        lire_nombre(-(10**15))
    assert lire_nombre("12,") == 12 and lire_nombre("1.") == 1
    assert lire_valeur(0.005, "taux", pourcent=True) == 0.5  # 0,5 % affiché : pas de doute
    for unite in ("%", "pour cent", "Pour Cent", "% des habitants"):
        with pytest.raises(ValueError, match="0,6 % ou 60 % ?"):
            lire_valeur("0,6", "taux", unite=unite)
    for unite in ("‰", "pour mille", "points"):
        assert lire_valeur("0,6", "taux", unite=unite) == 0.6


def test_valeurs_selon_le_type() -> None:
    assert lire_valeur("85 %", "taux") == 85
    assert lire_valeur("12,5 %", "taux") == 12.5
    assert lire_valeur("12,5\u00a0%", "taux") == 12.5
    assert lire_valeur("0", "taux") == 0 and lire_valeur("100", "taux") == 100
    assert lire_valeur("100 %", "taux") == 100 and lire_valeur("0 %", "taux") == 0
    assert lire_valeur("0,6 %", "taux") == 0.6  # le signe % lève le doute
    assert lire_valeur("1", "taux") == 1
    assert lire_valeur("0,6", "taux", unite="‰") == 0.6  # l'unité dit autre chose que %
    assert lire_valeur(0.6, "taux", pourcent=True) == 60
    assert lire_valeur(0.825, "taux", pourcent=True) == 82.5
    assert lire_valeur(1, "taux", pourcent=True) == 100
    assert lire_valeur(82.5, "taux") == 82.5
    assert lire_valeur("0", "nombre") == 0 and lire_valeur("1 500", "nombre") == 1500
    assert lire_valeur(12.0, "nombre") == 12
    assert lire_valeur("Bilan : 1.234 ok", "texte") == "Bilan : 1.234 ok"
    assert lire_valeur(12.5, "texte") == "12,5"
    for texte, type_, message in (
        ("douze", "nombre", "n'est pas un nombre"),
        ("-3", "nombre", "est négatif"),
        ("12 %", "nombre", "est un pourcentage : un nombre est attendu"),
        ("120", "taux", "taux « 120 » hors de 0-100"),
        ("-1 %", "taux", "hors de 0-100"),
        ("100,5", "taux", "hors de 0-100"),
        ("0,6", "taux", "taux « 0,6 » : 0,6 % ou 60 % ?"),
        ("0,825", "taux", "0,825 % ou 82,5 % ?"),
        ("0,6", "taux", "Écrivez-le avec le signe %"),
        ("1.234", "taux", "ambigu"),
        ("inf", "taux", "n'est pas un nombre"),
        ("nan %", "taux", "n'est pas un nombre"),
        ("peut-être", "booleen", "répondez oui ou non"),
        ("  ", "texte", "la valeur est vide"),
        ("", "nombre", "la valeur est vide"),
    ):
        with pytest.raises(ValueError) as exc:
            lire_valeur(texte, type_)  # type: ignore[arg-type]
        assert message in str(exc.value), (texte, type_)
    with pytest.raises(ValueError, match=r"taux « 0,6 » : 0,6 % ou 60 % \?"):
        lire_valeur(0.6, "taux")  # une cellule 0,6 sans format pourcentage
    with pytest.raises(ValueError, match="« 60 % » est au format pourcentage"):
        lire_valeur(0.6, "nombre", pourcent=True)
    with pytest.raises(ValueError, match=r"taux « 6000 % » hors de 0-100"):
        lire_valeur(60, "taux", pourcent=True)  # 60 au format % : le tableur montre 6000 %


@pytest.mark.parametrize(
    "mot", ["oui", "OUI", "Oui", "o", "vrai", "true", "yes", "1", "x", "X", "réalisé", "realise",
            "fait", " oui "]
)  # fmt: skip
def test_synonymes_de_oui(mot: str) -> None:
    assert lire_valeur(mot, "booleen") is True


@pytest.mark.parametrize(
    "mot", ["non", "NON", "n", "faux", "false", "no", "0", "non réalisé", "non realise",
            "pas fait"]
)  # fmt: skip
def test_synonymes_de_non(mot: str) -> None:
    assert lire_valeur(mot, "booleen") is False


@pytest.mark.parametrize("mot", ["2", "ok", "nn", "oui non", "réalisée", "-"])
def test_ni_oui_ni_non(mot: str) -> None:
    with pytest.raises(ValueError, match="répondez oui ou non"):
        lire_valeur(mot, "booleen")


@pytest.mark.parametrize(
    ("texte", "statut"),
    [
        ("a_lancer", "a_lancer"),
        ("à lancer", "a_lancer"),
        ("a lancer", "a_lancer"),
        ("A LANCER", "a_lancer"),
        ("en_cours", "en_cours"),
        ("En cours", "en_cours"),
        ("en  cours", "en_cours"),
        ("realisee", "realisee"),
        ("réalisée", "realisee"),
        ("Réalisée", "realisee"),
        ("reportee", "reportee"),
        ("reportée", "reportee"),
        ("abandonnee", "abandonnee"),
        ("abandonnée", "abandonnee"),
        (" ABANDONNÉE ", "abandonnee"),
    ],
)
def test_statuts_avec_ou_sans_accents(texte: str, statut: str) -> None:
    assert lire_statut(texte) == statut


@pytest.mark.parametrize("texte", ["fini", "en-cours", "realise", "", "non renseignée"])
def test_statut_inconnu(texte: str) -> None:
    with pytest.raises(ValueError, match="statut inconnu .* choisissez parmi à lancer, en cours"):
        lire_statut(texte)


def test_avancement() -> None:
    assert lire_avancement("0") == 0 and lire_avancement("100") == 100
    assert lire_avancement("60 %") == 60 and lire_avancement("12,5") == 12.5
    assert lire_avancement(0.6, pourcent=True) == 60
    assert lire_avancement("0,5 %") == 0.5
    for brut, message in (
        ("0,6", "avancement « 0,6 » : 0,6 % ou 60 % ?"),
        (0.6, "avancement « 0,6 » : 0,6 % ou 60 % ?"),
        ("101", "avancement « 101 » hors de 0-100"),
        ("-5", "hors de 0-100"),
        ("inf", "n'est pas un nombre"),
    ):
        with pytest.raises(ValueError) as exc:
            lire_avancement(brut)
        assert message in str(exc.value), brut


# --- cls record et cls status ------------------------------------------------------------


def test_record_n_ajoute_que_des_lignes(cls, demo_commentee: Path) -> None:
    chemin = demo_commentee / "actions" / FICHE_30
    avant = chemin.read_text(encoding="utf-8")
    resultat = cls(
        "record",
        "30",
        "consultations-services-medicaux",
        "1 500",
        "--year",
        "2024",
        "--source",
        "Rapport SAMU",
        "--data",
        demo_commentee,
    )
    assert resultat.exit_code == 0, resultat.output
    apres = chemin.read_text(encoding="utf-8")
    assert _seulement_ajouts(avant, apres) == [
        "      - annee: 2024\n",
        "        valeur: 1500\n",
        "        source: Rapport SAMU\n",
    ]
    # La mesure est à sa place : avant le commentaire qui ouvre le suivi.
    assert apres.index("valeur: 1500") < apres.index("# Le suivi annuel")
    assert cls("validate", "--data", demo_commentee).exit_code == 0


def test_status_n_ajoute_que_des_lignes(cls, demo_commentee: Path) -> None:
    chemin = demo_commentee / "actions" / FICHE_30
    avant = chemin.read_text(encoding="utf-8")
    resultat = cls(
        "status",
        "30",
        "realisee",
        "--year",
        "2024",
        "--comment",
        "Fin du projet",
        "--data",
        demo_commentee,
    )
    assert resultat.exit_code == 0, resultat.output
    apres = chemin.read_text(encoding="utf-8")
    assert _seulement_ajouts(avant, apres) == [
        "  - annee: 2024\n",
        "    statut: realisee\n",
        "    commentaire: Fin du projet\n",
    ]
    assert apres.endswith("    commentaire: Fin du projet\n# fin de la fiche\n")


def test_premiere_mesure_d_une_liste_vide(cls, copie_demo: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_13
    resultat = cls(
        "record",
        "13",
        "personnes-rencontrees",
        "40",
        "--year",
        "2022",
        "--source",
        "CCAS",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 0, resultat.output
    assert "    mesures:\n      - annee: 2022\n        valeur: 40\n" in chemin.read_text("utf-8")
    assert cls("validate", "--data", copie_demo).exit_code == 0


def test_record_valeur_manquante(cls, copie_demo: Path) -> None:
    resultat = cls(
        "record",
        "13",
        "personnes-rencontrees",
        "--missing",
        "non collectée",
        "--year",
        "2022",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 0, resultat.output
    texte = (copie_demo / "actions" / FICHE_13).read_text("utf-8")
    assert "      - annee: 2022\n        manquante: non collectée\n" in texte


def test_record_jamais_d_ecrasement_silencieux(cls, copie_demo: Path) -> None:
    avant = _instantane(copie_demo)
    resultat = cls(
        "record",
        "30",
        "consultations-services-medicaux",
        "70",
        "--year",
        "2023",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 1
    assert "a déjà une mesure pour 2023 : 78" in resultat.output
    assert "--replace" in resultat.output
    assert _instantane(copie_demo) == avant
    resultat = cls(
        "record",
        "30",
        "consultations-services-medicaux",
        "70",
        "--year",
        "2023",
        "--replace",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 0
    assert "valeur: 70" in (copie_demo / "actions" / FICHE_30).read_text("utf-8")


def test_status_conflit(cls, copie_demo: Path) -> None:
    avant = _instantane(copie_demo)
    resultat = cls("status", "30", "realisee", "--year", "2023", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert "déjà un point de suivi pour 2023 : en_cours, avancement 90 %" in resultat.output
    assert _instantane(copie_demo) == avant


def test_status_identique_ne_change_rien(cls, copie_demo: Path) -> None:
    avant = _instantane(copie_demo)
    resultat = cls(
        "status", "30", "en_cours", "--year", "2023", "--progress", "90", "--data", copie_demo
    )
    assert resultat.exit_code == 0
    assert "inchangée" in resultat.output
    assert _instantane(copie_demo) == avant


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("99", "x", "1", "--year", "2022"), 2, "la fiche 99 n'existe pas"),
        (("30", "inconnu", "1", "--year", "2022"), 2, "pas d'indicateur « inconnu »"),
        (("30", "personnes-concernees", "1", "--year", "2027"), 2, "hors de la période"),
        (("30", "personnes-concernees", "douze", "--year", "2024"), 2, "n'est pas un nombre"),
        (("30", "personnes-concernees", "--year", "2024"), 2, "soit une valeur"),
        (("30", "personnes-concernees", "inf", "--year", "2024"), 2, "« inf » n'est pas un"),
        (("30", "personnes-concernees", "nan", "--year", "2024"), 2, "« nan » n'est pas un"),
        (("30", "personnes-concernees", "1.234", "--year", "2024"), 2, "est ambigu"),
        (("30", "personnes-concernees", "1" + "0" * 400, "--year", "2024"), 2, "trop long"),
    ],
)
def test_record_refus_sans_rien_changer(cls, copie_demo: Path, args, code, message) -> None:
    avant = _instantane(copie_demo)
    resultat = cls("record", *args, "--data", copie_demo)
    assert resultat.exit_code == code, resultat.output
    assert message in resultat.output
    assert "Traceback" not in resultat.output
    assert _instantane(copie_demo) == avant


def test_ecriture_interrompue_laisse_l_original(cls, copie_demo: Path, monkeypatch) -> None:
    avant = _instantane(copie_demo)

    def panne(*_args: object) -> None:
        raise OSError("processus tué avant le renommage (simulé)")

    monkeypatch.setattr(os, "replace", panne)
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code != 0
    assert _instantane(copie_demo) == avant  # ni fichier changé, ni temporaire laissé


def test_ecriture_refusee_si_le_resultat_est_invalide(cls, copie_demo: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_30
    texte = chemin.read_text("utf-8").replace('objectif: "2.2.4"', 'objectif: "9.9.9"')
    chemin.write_text(texte, encoding="utf-8")
    avant = _instantane(copie_demo)
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 1
    assert "rendrait la fiche invalide, rien n'a été écrit" in resultat.output
    assert _instantane(copie_demo) == avant


def test_verrou_tenu_trop_longtemps(cls, copie_demo: Path, monkeypatch) -> None:
    """Une commande qui attend en vain le verrou d'une autre abandonne sans rien écrire,
    et dit qui le tient."""
    from cls_cli import transaction

    monkeypatch.setattr(transaction, "DELAI_VERROU", 0.2)
    dossier = transaction.dossier_cls(copie_demo)
    (dossier / "detenteur").write_text("processus 4242 de marie sur poste-7\n", "utf-8")
    tenant = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import filelock, time; v = filelock.FileLock({str(dossier / 'lock')!r}); "
            "v.acquire(); print('pris', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert tenant.stdout is not None and tenant.stdout.readline().strip() == b"pris"
        avant = _instantane(copie_demo)
        resultat = cls(
            "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
        )
        assert resultat.exit_code == 2
        assert "en cours de modification par une autre commande cls" in resultat.output
        assert "processus 4242 de marie sur poste-7" in resultat.output
        assert _instantane(copie_demo) == avant
    finally:
        tenant.kill()
        tenant.wait()


def test_record_ne_situe_pas_les_avertissements(cls, copie_demo: Path, monkeypatch) -> None:
    """La fiche modifiée n'est vérifiée que pour ses erreurs : un avertissement (ici une
    mesure sans source) n'y est pas situé, ce qui obligerait à relire la fiche avec ruamel."""
    from cls_cli import verification

    situes: list[str] = []
    situer = verification.Constat.situer

    def espion(constat: verification.Constat, racine: Path) -> object:
        situes.append(constat.regle)
        return situer(constat, racine)

    monkeypatch.setattr(verification.Constat, "situer", espion)
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 0, resultat.output
    assert situes == []
    assert cls("validate", "--data", copie_demo).exit_code == 0
    assert "mesure-sans-source" in situes  # cls validate, lui, montre l'avertissement


def test_ecritures_concurrentes_ne_perdent_rien(copie_demo: Path) -> None:
    commandes = [
        [
            sys.executable,
            "-m",
            "cls_cli",
            "record",
            "30",
            code,
            str(v),
            "--year",
            "2024",
            "--source",
            "S",
            "--data",
            str(copie_demo),
        ]
        for code, v in (("personnes-concernees", 5), ("consultations-services-medicaux", 70))
    ] * 1
    commandes += [
        [
            sys.executable,
            "-m",
            "cls_cli",
            "status",
            "30",
            "en_cours",
            "--year",
            "2024",
            "--data",
            str(copie_demo),
        ]
    ]
    processus = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commandes
    ]
    for p in processus:
        assert p.wait(timeout=60) == 0, p.stderr.read() if p.stderr else ""
    texte = (copie_demo / "actions" / FICHE_30).read_text("utf-8")
    assert texte.count("- annee: 2024") == 3


def test_commentaire_de_fin_de_liste_reste_en_place() -> None:
    texte = (
        "indicateurs:\n  - code: a\n    mesures:\n      - annee: 2021\n        valeur: 1  # note\n"
        "    # avant b\n  - code: b\n    mesures: []\n"
    )
    doc = charger_texte(texte, Path("x.yaml"))
    poser_mesure(doc, "a", SaisieMesure(2022, 2), remplacer=False)
    assert vers_texte(doc) == (
        "indicateurs:\n  - code: a\n    mesures:\n      - annee: 2021\n        valeur: 1  # note\n"
        "      - annee: 2022\n        valeur: 2\n    # avant b\n  - code: b\n    mesures: []\n"
    )


def test_fichier_au_format_inhabituel_seules_les_nouvelles_lignes(cls, copie_demo: Path) -> None:
    # L'épissure (cas courant) n'ajoute que les lignes de la mesure : le reste du fichier,
    # même dans une mise en forme que l'aller-retour ne saurait pas garder, reste tel quel.
    chemin = copie_demo / "actions" / FICHE_30
    texte = chemin.read_text("utf-8").replace("porteurs:\n  - ", "porteurs:\n- ")
    chemin.write_text(texte, encoding="utf-8")
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 0, resultat.output
    ajout = "      - annee: 2024\n        valeur: 5\n"
    apres = chemin.read_text("utf-8")
    assert ajout in apres and apres.replace(ajout, "", 1) == texte


def test_fichier_au_format_inhabituel_refuse(cls, copie_demo: Path) -> None:
    # Un commentaire dans la liste des mesures : pas d'épissure, l'aller-retour refuse.
    chemin = copie_demo / "actions" / FICHE_30
    chemin.write_text(
        chemin.read_text("utf-8")
        .replace("porteurs:\n  - ", "porteurs:\n- ")
        .replace("      - annee: 2022\n", "      # note\n      - annee: 2022\n", 1),
        encoding="utf-8",
    )
    avant = _instantane(copie_demo)
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 1
    assert "mise en forme de ce fichier ne peut pas être conservée" in resultat.output
    assert _instantane(copie_demo) == avant


# --- cls template et cls import ------------------------------------------------------------


def test_template_csv(cls, copie_demo: Path, tmp_path: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_30
    chemin.write_text(
        re.sub(r"(?m)^titre: .*$", "titre: '=HYPERLINK(\"x\")'", chemin.read_text("utf-8")),
        encoding="utf-8",
    )
    sortie = tmp_path / "t.csv"
    resultat = cls("template", "--year", "2024", "-o", sortie, "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    octets = sortie.read_bytes()
    assert octets.startswith("\ufeffFiche;Action;Porteurs;Année".encode())
    texte = octets.decode("utf-8-sig")
    rangees = list(csv.reader(io.StringIO(texte), delimiter=";"))
    titres = {r[1] for r in rangees if r[0] == "30"}
    assert titres == {'\'=HYPERLINK("x")'}
    assert "\r\n28;" not in texte  # fiche 28 abandonnée : absente
    assert cls("template", "--year", "2024", "-o", sortie, "--data", copie_demo).exit_code == 2


def test_template_csv_nombres_a_la_francaise_relus_a_l_identique(
    cls, copie_demo: Path, tmp_path: Path
) -> None:
    """Cible et dernière valeur écrites « 74,9 » ; recopiées telles quelles dans la colonne
    Valeur, ``cls import`` relit les valeurs exactes (1.234 s'écrit « 1,2340 », jamais
    « 1,234 » ou « 1.234 », refusés comme ambigus)."""
    chemin = copie_demo / "actions" / FICHE_30
    texte = chemin.read_text("utf-8").replace("    cible: 60\n", "    cible: 74.9\n")
    texte = texte.replace(
        "      - annee: 2023\n        valeur: 78\n", "      - annee: 2023\n        valeur: 1.234\n"
    )
    chemin.write_text(texte, encoding="utf-8")
    modele, rempli = tmp_path / "t.csv", tmp_path / "rempli.csv"
    assert cls("template", "--year", "2024", "-o", modele, "--data", copie_demo).exit_code == 0
    rangees = list(csv.reader(io.StringIO(modele.read_text("utf-8-sig")), delimiter=";"))
    entetes = rangees[0]
    colonne = {titre: entetes.index(titre) for titre in entetes}
    (ligne,) = [r for r in rangees if r[0] == "30" and r[5] == "consultations-services-medicaux"]
    assert ligne[colonne["Cible"]] == "74,9"
    assert ligne[colonne["Dernière valeur connue"]] == "1,2340 (2023)"
    assert "74.9" not in modele.read_text("utf-8-sig")
    # Le porteur recopie la cible et la dernière valeur telles qu'affichées.
    for rangee in rangees:
        if rangee[0] == "30" and rangee[4] == "indicateur":
            source = ligne[colonne["Cible"]] if rangee is ligne else "1,2340"
            rangee[colonne["Valeur (ou statut)"]] = source
            rangee[colonne["Source"]] = "Tableau du porteur"
    flux = io.StringIO(newline="")
    csv.writer(flux, delimiter=";", lineterminator="\r\n").writerows(rangees)
    rempli.write_bytes(("\ufeff" + flux.getvalue()).encode("utf-8"))
    resultat = cls("import", rempli, "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    relu = chemin.read_text("utf-8")
    assert "      - annee: 2024\n        valeur: 74.9\n" in relu
    assert "      - annee: 2024\n        valeur: 1.234\n" in relu


@given(
    st.floats(min_value=-1e14, max_value=1e14).map(lambda x: round(x, 6))
    | st.integers(min_value=-(10**14), max_value=10**14)
)
def test_nombres_ecrits_pour_le_tableau_relus_exactement(nombre: float) -> None:
    ecrit = ecrire_nombre(nombre)
    assert "." not in ecrit and "e" not in ecrit
    assert lire_nombre(ecrit) == nombre


def test_template_xlsx(cls, copie_demo: Path, tmp_path: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_30
    chemin.write_text(
        re.sub(r"(?m)^titre: .*$", "titre: '=1+1'", chemin.read_text("utf-8")), encoding="utf-8"
    )
    sortie = tmp_path / "t.xlsx"
    assert cls("template", "--year", "2024", "-o", sortie, "--data", copie_demo).exit_code == 0
    classeur = load_workbook(sortie)
    assert classeur.sheetnames == ["Axe 1", "Axe 2", "Axe 3", "Axe 4"]
    feuille = classeur["Axe 2"]
    assert feuille.freeze_panes == "A2" and feuille.protection.sheet
    assert feuille["A1"].protection.locked
    titres = [c.value for c in feuille["B"]]
    cellule = next(c for c in feuille["B"] if str(c.value).startswith("=1+1"))
    assert cellule.data_type == "s", titres
    validations = [dv.formula1 for dv in feuille.data_validations.dataValidation]
    assert any("en cours" in f for f in validations) and any("oui,non" in f for f in validations)


def _remplir(modele: Path, rempli: Path) -> None:
    """Ce que ferait un porteur : une valeur par indicateur chiffré, un statut par action."""
    classeur = load_workbook(modele)
    for feuille in classeur.worksheets:
        entetes = [c.value for c in feuille[1]]
        for rangee in feuille.iter_rows(min_row=2):
            cellule = dict(zip(entetes, rangee, strict=True))
            if cellule["Ligne"].value == "indicateur" and cellule["Type"].value == "nombre":
                cellule["Valeur (ou statut)"].value = 12
                cellule["Source"].value = "Tableau du porteur"
            elif cellule["Ligne"].value == "statut":
                cellule["Valeur (ou statut)"].value = "en cours"
                cellule["Avancement (%)"].value = 60
    classeur.save(rempli)


def test_aller_retour_template_import(cls, demo_commentee: Path, tmp_path: Path) -> None:
    copie_demo = demo_commentee  # la fiche 30 porte des commentaires ajoutés à la main
    subprocess.run(["git", "init", "-q", str(copie_demo)], check=True)
    modele, rempli = tmp_path / "t.xlsx", tmp_path / "rempli.xlsx"
    assert cls("template", "--year", "2024", "-o", modele, "--data", copie_demo).exit_code == 0
    _remplir(modele, rempli)
    avant = _instantane(copie_demo)
    simulation = cls("import", rempli, "--dry-run", "--data", copie_demo)
    assert simulation.exit_code == 0, simulation.output
    assert "rien n'a été écrit" in simulation.output
    assert _instantane(copie_demo) == avant
    resultat = cls("import", rempli, "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "Fiche 30 : 2 mesures ajoutées, 1 statut ajouté" in resultat.output
    assert cls("validate", "--data", copie_demo).exit_code == 0
    for nom, ancien in avant.items():
        if nom.startswith("actions/"):
            _seulement_ajouts(ancien.decode(), (copie_demo / nom).read_text("utf-8"))
    texte = (copie_demo / "actions" / FICHE_30).read_text("utf-8")
    assert "      - annee: 2024\n        valeur: 12\n        source: Tableau du porteur\n" in texte
    # Un second import identique ne change rien.
    apres = _instantane(copie_demo)
    resultat = cls("import", rempli, "--data", copie_demo)
    assert resultat.exit_code == 0
    assert "2 mesures inchangées, 1 statut inchangé" in resultat.output
    assert _instantane(copie_demo) == apres


def _csv(tmp_path: Path, lignes: list[str], encodage: str = "utf-8-sig") -> Path:
    entete = (
        "Fiche;Action;Porteurs;Année;Ligne;Code indicateur;Libellé de l'indicateur;Type;"
        "Cible;Dernière valeur connue;Valeur (ou statut);Si pas de valeur : pourquoi;"
        "Avancement (%);Source;Commentaire"
    )
    chemin = tmp_path / "rempli.csv"
    chemin.write_bytes(("\r\n".join([entete, *lignes]) + "\r\n").encode(encodage))
    return chemin


BONNE = "30;T;P;2024;indicateur;personnes-concernees;L;nombre;;;1 500;;;Source;"


@pytest.mark.parametrize(
    ("lignes", "encodage", "message"),
    [
        (
            [BONNE, "30;T;P;2024;indicateur;personnes-concernees;L;nombre;;;douze;;;S;"],
            "utf-8-sig",
            "rempli.csv:3: fiche 30 : « douze » n'est pas un nombre",
        ),
        (
            [BONNE, "99;T;P;2024;indicateur;x;L;nombre;;;3;;;S;"],
            "utf-8-sig",
            "rempli.csv:3: la fiche 99 n'existe pas",
        ),
        (
            [BONNE, "30;T;P;2024;indicateur;inconnu;L;nombre;;;3;;;S;"],
            "utf-8-sig",
            "rempli.csv:3: fiche 30 : la fiche 30 n'a pas d'indicateur « inconnu »",
        ),
        (
            [BONNE, "30;T;P;2031;statut;;;statut;;;en cours;;;;"],
            "utf-8-sig",
            "rempli.csv:3: l'année 2031 est hors de la période",
        ),
        (
            [BONNE, "30;T;P;2023;indicateur;personnes-concernees;L;nombre;;;9;;;S;"],
            "utf-8-sig",
            "rempli.csv:3: fiche 30 : l'indicateur « personnes-concernees » a déjà une mesure",
        ),
        ([BONNE.replace("1 500", "1 500 é")], "latin-1", "n'est pas en UTF-8"),
    ],
)
def test_import_refuse_tout_au_moindre_probleme(
    cls, copie_demo, tmp_path, lignes, encodage, message
) -> None:
    avant = _instantane(copie_demo)
    resultat = cls("import", _csv(tmp_path, lignes, encodage), "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    assert message in resultat.output
    assert "Traceback" not in resultat.output
    assert _instantane(copie_demo) == avant


@pytest.mark.parametrize("simulation", [[], ["--dry-run"]])
def test_import_refuse_une_fiche_qu_il_rendrait_invalide(
    cls, copie_demo: Path, tmp_path: Path, simulation: list[str]
) -> None:
    """Chaque fiche modifiée est vérifiée avant toute écriture (et en simulation aussi :
    --dry-run dit que l'import serait refusé)."""
    chemin = copie_demo / "actions" / FICHE_30
    texte = chemin.read_text("utf-8").replace('objectif: "2.2.4"', 'objectif: "9.9.9"')
    chemin.write_text(texte, encoding="utf-8")
    avant = _instantane(copie_demo)
    resultat = cls("import", _csv(tmp_path, [BONNE]), *simulation, "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    assert "rendrait la fiche invalide, rien n'a été écrit" in resultat.output
    assert "objectif « 9.9.9 » n'existe pas" in resultat.output
    assert _instantane(copie_demo) == avant


def test_index_fiches_comme_la_recherche_fiche_par_fiche(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.regles_saisie import chemin_fiche, index_fiches

    actions = tmp_path / "actions"
    actions.mkdir()
    for nom in ("07-a.yaml", "123-b.yaml", "005-c.yaml", "08-d.yaml", "08-e.yaml", "9-f.yml"):
        (actions / nom).write_text("", encoding="utf-8")
    index = index_fiches(tmp_path)
    for numero in (7, 123, 5, 8, 9, 42):
        try:
            attendu: object = chemin_fiche(tmp_path, numero)
        except ErreurUsage as exc:
            attendu = str(exc)
        try:
            obtenu: object = chemin_fiche(tmp_path, numero, index)
        except ErreurUsage as exc:
            obtenu = str(exc)
        assert obtenu == attendu
    assert chemin_fiche(tmp_path, 7, index).name == "07-a.yaml"
    with pytest.raises(ErreurUsage, match="la fiche 7 n'existe pas"):
        chemin_fiche(tmp_path / "sans-dossier-actions", 7)


def test_import_colonnes_renommees(cls, copie_demo: Path, tmp_path: Path) -> None:
    chemin = _csv(tmp_path, [BONNE])
    chemin.write_bytes(chemin.read_bytes().replace(b"Source", b"Origine", 1))
    avant = _instantane(copie_demo)
    resultat = cls("import", chemin, "--data", copie_demo)
    assert resultat.exit_code == 1
    assert "colonnes absentes ou renommées : « Source »" in resultat.output
    assert _instantane(copie_demo) == avant


def test_import_csv_et_lignes_vides(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [BONNE, "30;T;P;2024;indicateur;consultations-services-medicaux;L;nombre;;;;;;;"]
    resultat = cls("import", _csv(tmp_path, lignes), "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "1 mesure ajoutée" in resultat.output and "1 ligne(s) vide(s)" in resultat.output
    assert "valeur: 1500" in (copie_demo / "actions" / FICHE_30).read_text("utf-8")


def test_aucun_fichier_de_verrou_dans_le_depot(cls, copie_demo: Path) -> None:
    cls("record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo)
    assert not [p for p in copie_demo.parent.rglob("*.lock")]
    assert not [p for p in copie_demo.rglob(".*.tmp")]
    shutil.rmtree(copie_demo)


@pytest.mark.parametrize(
    ("progression", "message"),
    [("0,6", "0,6 % ou 60 % ?"), ("inf", "« inf » n'est pas un nombre"), ("nan", "nombre")],
)
def test_status_avancement_douteux_refuse(cls, copie_demo: Path, progression, message) -> None:
    avant = _instantane(copie_demo)
    resultat = cls(
        "status", "30", "en_cours", "--year", "2024", "--progress", progression,
        "--data", copie_demo,
    )  # fmt: skip
    assert resultat.exit_code == 2, resultat.output
    assert message in resultat.output
    assert _instantane(copie_demo) == avant
