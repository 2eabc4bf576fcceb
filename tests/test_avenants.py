"""Les avenants : modèle, règles de cls validate (cas faits main, positifs et négatifs)."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from cls_cli.avenants import Avenant, charger_avenants
from cls_cli.chargement import charger
from cls_cli.en_vigueur import en_vigueur, en_vigueur_le, mouvements
from cls_cli.modeles import Fiche
from tests.conftest import DEMO
from tests.golden import CAS_CONTRAT, DOSSIER, nom_contrat

FICHE_12 = "actions/12-contribuer-ameliorer-sante-habitants-actions-prevention.yaml"

AVENANT_1 = """\
    # yaml-language-server: $schema=../../../schemas/avenant.schema.json
    numero: 1
    date: 2022-03-10
    signe: true
    decision: COPIL restreint du 10 février 2022
    motif: Deux actions nouvelles
    changements:
      - type: fiche_ajoutee
        fiche: 55
      - type: fiche_ajoutee
        fiche: 56
    """

AVENANT_2 = """\
    numero: 2
    date: 2023-06-01
    signe: true
    decision: COPIL restreint du 12 mai 2023
    motif: Bilan à mi-parcours
    changements:
      - type: fiche_retiree
        fiche: 40
        motif: Action reprise par la préfecture
      - type: fiche_modifiee
        fiche: 12
        quoi: cible
        indicateur: etablissements
        avant: 60
        apres: 80
    """


FICHE_40 = "actions/40-prodiguer-mise-niveau-seniors-code-route.yaml"
RETRAIT_40 = (
    "retiree:\n  avenant: 2\n  annee: 2023\n"
    "  motif: Action reprise par l'auto-école sociale du territoire (fictif)\n"
)
#: ``retiree`` de la fiche 40, d'accord avec AVENANT_2.
RETRAIT_40_AVENANT_2 = RETRAIT_40.replace(
    "l'auto-école sociale du territoire (fictif)", "la préfecture"
)


@pytest.fixture
def demo(copie_demo: Path) -> Path:
    """Une copie de l'exemple fictif sans ses avenants (chaque test écrit les siens) ni,
    donc, le retrait de la fiche 40."""
    shutil.rmtree(copie_demo / "avenants", ignore_errors=True)
    fiche = copie_demo / FICHE_40
    texte = fiche.read_text(encoding="utf-8")
    assert RETRAIT_40 in texte
    fiche.write_text(texte.replace(RETRAIT_40, ""), encoding="utf-8")
    return copie_demo


def inscrire_retrait_40(data: Path, retrait: str = RETRAIT_40_AVENANT_2) -> None:
    """La fiche 40 porte ``retrait`` (par défaut, celui d'AVENANT_2), après son numéro."""
    fiche = data / FICHE_40
    texte = fiche.read_text(encoding="utf-8")
    fiche.write_text(texte.replace("numero: 40\n", "numero: 40\n" + retrait), encoding="utf-8")


def ecrire(data: Path, nom: str, texte: str) -> Path:
    dossier = data / "avenants"
    dossier.mkdir(exist_ok=True)
    chemin = dossier / nom
    chemin.write_text(textwrap.dedent(texte), encoding="utf-8")
    return chemin


def ecrire_avenant_2(data: Path, texte: str = AVENANT_2) -> None:
    """L'avenant 2 (qui retire la fiche 40) et, dans la fiche 40, le ``retiree`` qui le cite."""
    ecrire(data, "2.yaml", texte)
    inscrire_retrait_40(data)


def valider(cls, data: Path):  # type: ignore[no-untyped-def]
    return cls("validate", "--data", data)


def test_deux_avenants_valides(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire_avenant_2(demo)
    resultat = valider(cls, demo)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.endswith("0 erreur, 1 avertissement\n")


def _un_probleme(cls, data: Path, regle: str) -> str:  # type: ignore[no-untyped-def]
    resultat = valider(cls, data)
    lignes = [ligne for ligne in resultat.output.splitlines() if f"({regle})" in ligne]
    assert len(lignes) == 1, resultat.output
    assert "Traceback" not in resultat.output
    return lignes[0]


Probleme = Callable[[str, dict[int, str]], str]


@pytest.fixture
def probleme(cls, demo: Path) -> Probleme:
    """Écrit les avenants donnés (numéro du fichier -> texte) dans la copie de la démo,
    lance cls validate et rend la seule ligne de la règle demandée."""

    def trouver(regle: str, avenants: dict[int, str]) -> str:
        for numero, texte in avenants.items():
            ecrire(demo, f"{numero}.yaml", texte)
        return _un_probleme(cls, demo, regle)

    return trouver


def test_date_hors_contrat(probleme: Probleme) -> None:
    ligne = probleme("avenant-date", {1: AVENANT_1.replace("2022-03-10", "2019-12-01")})
    assert ligne.startswith("demo/avenants/1.yaml:3:1: ")
    assert "daté du 2019-12-01, hors du contrat (du 2020-02-17 au 2025-12-31)" in ligne


def test_date_avant_l_avenant_precedent(probleme: Probleme) -> None:
    deux = AVENANT_2.replace("2023-06-01", "2021-01-05")
    ligne = probleme("avenant-ordre", {1: AVENANT_1, 2: deux})
    assert ligne.startswith("demo/avenants/2.yaml:2:1: ")
    assert "l'avenant n° 2 (2021-01-05) est antérieur à l'avenant n° 1 (2022-03-10)" in ligne


def test_fiche_ajoutee_par_deux_avenants(probleme: Probleme) -> None:
    deux = (
        AVENANT_2.replace("fiche_retiree", "fiche_ajoutee")
        .replace("fiche: 40", "fiche: 56")
        .replace("        motif: Action reprise par la préfecture\n", "")
    )
    ligne = probleme("avenant-fiche-double", {1: AVENANT_1, 2: deux})
    assert ligne.startswith("demo/avenants/2.yaml:8:5: ")
    assert "la fiche 56 est déjà ajoutée par l'avenant n° 1" in ligne


def test_fiche_retiree_qui_recoit_une_mesure_posterieure(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    # La fiche 12 retirée en 2021 a encore des mesures en 2022 et 2023.
    ecrire(
        demo,
        "2.yaml",
        AVENANT_2.replace("2023-06-01", "2022-06-01").replace("fiche: 40", "fiche: 12"),
    )
    resultat = valider(cls, demo)
    assert resultat.exit_code == 1
    lignes = [ligne for ligne in resultat.output.splitlines() if "(fiche-retiree)" in ligne]
    assert [ligne.split(" ", 1)[0] for ligne in lignes] == [
        f"demo/{FICHE_12}:{n}:9:" for n in (47, 64, 79, 97)
    ] + [f"demo/{FICHE_12}:109:5:"]
    assert "mesure 2023 de « etablissements » après le retrait de la fiche (2022)" in lignes[0]
    assert "point de suivi 2023 après le retrait de la fiche (2022)" in lignes[-1]


def test_fiche_renumerotee(probleme: Probleme) -> None:
    ligne = probleme("avenant-fiche", {1: AVENANT_1.replace("fiche: 56", "fiche: 57")})
    assert ligne.startswith("demo/avenants/1.yaml:11:5: ")
    assert "la fiche 57 n'existe pas dans actions/ (renumérotée ou supprimée ?)" in ligne


def test_reunion_absente_puis_presente(cls, demo: Path) -> None:
    ecrire(
        demo,
        "1.yaml",
        AVENANT_1.replace("signe: true", "signe: true\n    instance: 2022-02-10-copil"),
    )
    ligne = _un_probleme(cls, demo, "avenant-instance")
    assert ligne.startswith("demo/avenants/1.yaml:5:1: ")
    assert "la réunion « 2022-02-10-copil » est introuvable (instances/2022-02-10-copil.yaml)" in (
        ligne
    )
    (demo / "instances").mkdir(exist_ok=True)
    (demo / "instances" / "2022-02-10-copil.yaml").write_text(
        "date: 2022-02-10\ntype: copil\nparticipants:\n  - Chartres métropole\n",
        encoding="utf-8",
    )
    assert valider(cls, demo).exit_code == 0


def test_fichier_d_avenant_supprime(probleme: Probleme) -> None:
    trois = AVENANT_2.replace("numero: 2", "numero: 3")
    ligne = probleme("avenant-manquant", {1: AVENANT_1, 3: trois})
    assert ligne.startswith("demo/avenants/3.yaml:1:1: ")
    assert "l'avenant n° 2 manque entre le n° 1 et le n° 3" in ligne


def test_numero_reutilise(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire(demo, "2.yaml", AVENANT_2.replace("numero: 2", "numero: 1"))
    resultat = valider(cls, demo)
    assert "demo/avenants/2.yaml:1:1: [erreur] le numéro d'avenant 1 est déjà pris par 1.yaml" in (
        resultat.output
    )
    assert "l'avenant n° 1 est dans le fichier « 2.yaml »" in resultat.output


def test_cible_qui_ne_correspond_pas_a_la_fiche(probleme: Probleme) -> None:
    deux = AVENANT_2.replace("apres: 80", "apres: 70")
    ligne = probleme("avenant-cible", {1: AVENANT_1, 2: deux})
    assert ligne.startswith("demo/avenants/2.yaml:15:5: ")
    assert "vaut 80 dans la fiche, pas 70" in ligne


def test_indicateur_inconnu(probleme: Probleme) -> None:
    deux = AVENANT_2.replace("indicateur: etablissements", "indicateur: ecoles")
    ligne = probleme("avenant-indicateur", {2: deux, 1: AVENANT_1})
    assert "la fiche 12 n'a pas d'indicateur « ecoles »" in ligne


@pytest.mark.parametrize(
    ("remplacer", "par", "attendu"),
    [
        (
            "type: fiche_ajoutee\n    fiche: 55",
            "type: fiche_ajoutée\n    fiche: 55",
            "8:5: [erreur] valeur « fiche_ajoutée » non autorisée pour « changements[1].type »",
        ),
        (
            "fiche: 55",
            "fiche: 55\n    motif: inutile",
            "8:5: [erreur] changements[1] : la clé « motif » n'a pas de sens pour un changement "
            "« fiche_ajoutee »",
        ),
        ("signe: true\n", "", "1:1: [erreur] la clé obligatoire « signe » manque (signe)"),
    ],
)
def test_forme_refusee(cls, demo: Path, remplacer: str, par: str, attendu: str) -> None:
    texte = textwrap.dedent(AVENANT_1)
    assert remplacer in texte
    (demo / "avenants").mkdir()
    (demo / "avenants" / "1.yaml").write_text(texte.replace(remplacer, par))
    resultat = valider(cls, demo)
    assert resultat.exit_code == 1
    assert f"demo/avenants/1.yaml:{attendu}" in resultat.output, resultat.output


def test_avenant_sans_changement_averti(probleme: Probleme) -> None:
    ligne = probleme("avenant-vide", {1: AVENANT_1.split("    changements:")[0]})
    assert "[avertissement] l'avenant n° 1 ne liste aucun changement" in ligne


# --- Fiches en vigueur (fonctions pures) -------------------------------------------------


def _avenants_demo() -> list[Avenant]:
    return [
        Avenant.model_validate(yaml_simple(AVENANT_1)),
        Avenant.model_validate(yaml_simple(AVENANT_2)),
    ]


def yaml_simple(texte: str) -> object:
    from cls_cli.chargement import en_python
    from cls_cli.yamlio import charger_texte

    return en_python(charger_texte(textwrap.dedent(texte), Path("avenant.yaml")))


def _fiches() -> list[Fiche]:
    ref = charger(DEMO).referentiel
    return [f for f in ref.fiches_valides() if f.numero in (12, 40, 54, 55, 56)]


@pytest.mark.parametrize(
    ("annee", "attendues"),
    [
        (2021, [12, 40, 54]),  # 55 et 56 arrivent en 2022
        (2022, [12, 40, 54, 55, 56]),
        (2023, [12, 40, 54, 55, 56]),  # 40 retirée en 2023 : elle compte encore en 2023
        (2024, [12, 54, 55, 56]),
    ],
)
def test_en_vigueur_par_annee(annee: int, attendues: list[int]) -> None:
    assert [f.numero for f in en_vigueur(_fiches(), _avenants_demo(), annee)] == attendues


@pytest.mark.parametrize(
    ("jour", "attendues"),
    [
        (dt.date(2022, 3, 9), [12, 40, 54]),
        (dt.date(2022, 3, 10), [12, 40, 54, 55, 56]),  # le jour de l'avenant, il s'applique
        (dt.date(2023, 5, 31), [12, 40, 54, 55, 56]),
        (dt.date(2023, 6, 1), [12, 54, 55, 56]),
    ],
)
def test_en_vigueur_le(jour: dt.date, attendues: list[int]) -> None:
    assert [f.numero for f in en_vigueur_le(_fiches(), _avenants_demo(), jour)] == attendues


def _cible(fiches: list[Fiche], numero: int, code: str) -> object:
    fiche = next(f for f in fiches if f.numero == numero)
    return next(i.cible for i in fiche.indicateurs if i.code == code)


def test_cible_d_avant_l_avenant_pour_les_annees_passees() -> None:
    avenants = _avenants_demo()
    assert _cible(en_vigueur(_fiches(), avenants, 2022), 12, "etablissements") == 60
    assert _cible(en_vigueur(_fiches(), avenants, 2023), 12, "etablissements") == 80
    assert (
        _cible(en_vigueur_le(_fiches(), avenants, dt.date(2023, 5, 31)), 12, "etablissements") == 60
    )
    # Les autres indicateurs et les autres fiches ne changent pas.
    assert _cible(en_vigueur(_fiches(), avenants, 2022), 12, "ateliers") == 48


def test_sans_avenant_rien_ne_change() -> None:
    fiches = _fiches()
    assert en_vigueur(fiches, [], 2021) == fiches


def test_mouvements_de_l_annee() -> None:
    ajoutees, retirees = mouvements(_avenants_demo(), 2022)
    assert [(m.fiche, m.avenant) for m in ajoutees] == [(55, 1), (56, 1)] and retirees == []
    ajoutees, retirees = mouvements(_avenants_demo(), 2023)
    assert ajoutees == [] and [(m.fiche, m.motif) for m in retirees] == [
        (40, "Action reprise par la préfecture")
    ]


# --- Rapports ------------------------------------------------------------------------------


def _rapport(cls, data: Path, annee: int) -> str:  # type: ignore[no-untyped-def]
    resultat = cls("report", "--year", annee, "--date", "2024-01-15", "--data", data)
    assert resultat.exit_code == 0, resultat.output
    return str(resultat.output)


def test_rapport_2021_inchange_par_un_avenant_de_2023(cls, demo: Path) -> None:
    """Le rapport 2021 relu après l'avenant de 2023 dit ce qu'il disait en 2021."""
    ecrire(demo, "1.yaml", AVENANT_1)
    avant = {a: _rapport(cls, demo, a) for a in (2021, 2022)}
    fiche = demo / FICHE_12
    fiche.write_text(fiche.read_text().replace("    cible: 80\n", "    cible: 95\n", 1))
    ecrire_avenant_2(
        demo, AVENANT_2.replace("avant: 60", "avant: 80").replace("apres: 80", "apres: 95")
    )
    assert valider(cls, demo).exit_code == 0
    assert _rapport(cls, demo, 2021) == avant[2021]
    apres_2023 = _rapport(cls, demo, 2023)
    assert "| Nombre d'établissements | 95 (départ 20) |" in apres_2023
    assert "| Nombre d'établissements | 80 (départ 20) |" in avant[2022]
    assert "- Fiche 40 retirée en 2023 (avenant n° 2) : elle ne compte plus à partir de 2024." in (
        apres_2023
    )


# --- Commandes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("date", "format_"), CAS_CONTRAT)
def test_contrat_a_une_date_reference(cls, date: str, format_: str) -> None:
    resultat = cls("contract", "--at", date, "--format", format_, "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    attendu = (DOSSIER / nom_contrat(date, format_)).read_text(encoding="utf-8")
    assert resultat.output == attendu, "relancez « make golden » et relisez le diff"


def test_amend_new_list_show(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    resultat = cls(
        "amend",
        "new",
        "--date",
        "2023-06-01",
        "--motif",
        "Bilan : « mi-parcours »",
        "--data",
        demo,
    )
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.startswith("Avenant n° 2 commencé : ")
    texte = (demo / "avenants" / "2.yaml").read_text(encoding="utf-8")
    assert "numero: 2\ndate: 2023-06-01\nsigne: false\n" in texte
    assert 'motif: "Bilan : « mi-parcours »"\n' in texte
    assert texte.endswith("changements: []\n")
    # La décision reste à compléter : cls validate le dit, à la bonne ligne.
    ligne = _un_probleme(cls, demo, "a-completer")
    assert ligne.startswith("demo/avenants/2.yaml:5:1: [erreur] décision à compléter")
    resultat = cls("amend", "list", "--data", demo)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output == (
        "Avenant n° 1 du 2022-03-10 (signé) : Deux actions nouvelles\n"
        "Décision : COPIL restreint du 10 février 2022\n"
        "- Ajoute la fiche 55 « Etablir un kit d'informations pour les élus des communes ».\n"
        "- Ajoute la fiche 56 « Désigner un référent mairie dans les 66 communes de "
        "l'agglomération ».\n"
        "\n"
        "Avenant n° 2 du 2023-06-01 (décidé, pas encore signé) : Bilan : « mi-parcours »\n"
        "Décision : À COMPLÉTER\n"
        "Aucun changement n'est encore inscrit.\n"
    )


def test_amend_show_phrases(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire(demo, "2.yaml", AVENANT_2)
    resultat = cls("amend", "show", "2", "--data", demo)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.splitlines()[2:] == [
        "- Retire la fiche 40 « Prodiguer une mise à niveau des seniors au code de la route et "
        "à la conduite » (motif : Action reprise par la préfecture).",
        "- Change la cible de l'indicateur « etablissements » de la fiche 12 « Contribuer à "
        "améliorer la santé des habitants par des actions de prévention afin de maintenir un "
        "état de bien-être mental et physique (compétences psychosociales) » : 60 devient 80.",
    ]
    resultat = cls("amend", "show", "7", "--data", demo)
    assert resultat.exit_code == 2
    assert "pas d'avenant n° 7 (avenants : 1, 2)" in resultat.output


@pytest.mark.parametrize(
    ("arguments", "attendu"),
    [
        (["--date", "2019-05-01"], "la date 2019-05-01 est hors du contrat"),
        (["--date", "2022-01-01"], "précède celle de l'avenant n° 1 (2022-03-10)"),
        (["--date", "1er mars"], "date invalide « 1er mars » pour --date"),
    ],
)
def test_amend_new_refuse(cls, demo: Path, arguments: list[str], attendu: str) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    resultat = cls("amend", "new", *arguments, "--motif", "x", "--data", demo)
    assert resultat.exit_code == 2, resultat.output
    assert attendu in resultat.output
    assert not (demo / "avenants" / "2.yaml").exists()


def test_amend_fichier_invalide_code_1(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1.replace("signe: true", "signe: peut-être"))
    resultat = cls("amend", "list", "--data", demo)
    assert resultat.exit_code == 1
    assert "avenants/1.yaml:4:1: « signe » doit valoir true ou false" in resultat.output


def test_contract_format_inconnu(cls) -> None:
    resultat = cls("contract", "--at", "2021-01-01", "--format", "pdf", "--data", DEMO)
    assert resultat.exit_code == 2
    assert "format inconnu « pdf » : choisissez parmi md, html" in resultat.output


def test_contract_ecrit_un_fichier(cls, tmp_path: Path) -> None:
    sortie = tmp_path / "contrat.html"
    resultat = cls("contract", "--at", "2021-06-30", "-f", "html", "-o", sortie, "--data", DEMO)
    assert resultat.exit_code == 0, resultat.output
    assert sortie.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- L'exemple fictif : avancement par axe recalculé à la main -------------------------------


def _avancement_a_la_main(annee: int) -> dict[str, float]:
    """Moyenne par axe des avancements des fiches en vigueur, recalculée sans cls_cli.calculs :
    fiches 55 et 56 ajoutées en 2022, fiche 40 retirée en 2023 (elle compte encore en 2023).
    Avancement : celui déclaré, sinon 100 réalisée / 0 à lancer, sinon le dernier déclaré
    d'une année antérieure, sinon aucun (hors de la moyenne)."""
    from ruamel.yaml import YAML

    par_statut = {"a_lancer": 0, "realisee": 100}
    sommes: dict[str, list[float]] = {}
    for chemin in sorted((DEMO / "actions").glob("*.yaml")):
        fiche = YAML(typ="safe").load(chemin.read_text(encoding="utf-8"))
        numero = fiche["numero"]
        if (numero in (55, 56) and annee < 2022) or (numero == 40 and annee > 2023):
            continue
        points = [s for s in fiche.get("suivi", []) if s["annee"] <= annee]
        if not points:
            continue
        dernier = max(points, key=lambda s: s["annee"])
        if dernier["statut"] == "abandonnee":
            continue
        valeur = dernier.get("avancement", par_statut.get(dernier["statut"]))
        if valeur is None:
            anterieurs = [p for p in points if "avancement" in p]
            if not anterieurs:
                continue  # avancement non déclaré
            valeur = max(anterieurs, key=lambda s: s["annee"])["avancement"]
        sommes.setdefault(fiche["objectif"].split(".")[0], []).append(valeur)
    return {axe: sum(v) / len(v) for axe, v in sommes.items()}


@pytest.mark.parametrize("annee", [2021, 2023, 2024])
def test_avancement_par_axe_de_l_exemple(annee: int) -> None:
    from cls_cli.depot import Origine
    from cls_cli.rapport import construire

    rapport = construire(
        charger(DEMO).referentiel,
        annee,
        dt.date(2024, 3, 15),
        Origine(None, False),
        avenants=charger_avenants(DEMO).valides(),
    )
    calcule = {a.code: a.avancement for a in rapport.axes}
    attendu = _avancement_a_la_main(annee)
    assert calcule == pytest.approx(attendu)
    numeros = [a.numero for a in rapport.actions]
    assert (55 in numeros, 40 in numeros) == {
        2021: (False, True),
        2023: (True, True),
        2024: (True, False),
    }[annee]


def test_campagne_de_collecte_fiches_en_vigueur() -> None:
    from cls_cli.tableur import lignes_modele

    ref = charger(DEMO).referentiel
    avenants = charger_avenants(DEMO).valides()

    def fiches(annee: int) -> set[int]:
        return {int(ligne["fiche"]) for ligne in lignes_modele(ref, annee, avenants)}

    assert 55 not in fiches(2021) and 40 in fiches(2021)
    assert {40, 55, 56} <= fiches(2023)
    assert 40 not in fiches(2024) and 55 in fiches(2024)


AVENANT_3 = """\
    numero: 3
    date: 2023-09-01
    signe: false
    decision: COPIL restreint du 1er septembre 2023
    motif: Objectif élargi
    changements:
      - type: objectif_reformule
        code: "1.1.1"
        avant: Améliorer le cadre de vie et l'environnement
        apres: Améliorer le cadre de vie, l'environnement et le logement
    """


def _reformuler(demo: Path) -> None:
    axes = demo / "axes.yaml"
    axes.write_text(
        axes.read_text(encoding="utf-8").replace(
            "libelle: Améliorer le cadre de vie et l'environnement",
            "libelle: Améliorer le cadre de vie, l'environnement et le logement",
        ),
        encoding="utf-8",
    )
    ecrire(demo, "3.yaml", AVENANT_3)


def test_objectif_reformule_rapports_et_contrat(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire_avenant_2(demo)
    avant = _rapport(cls, demo, 2022)
    _reformuler(demo)
    assert valider(cls, demo).exit_code == 0
    assert _rapport(cls, demo, 2022) == avant  # le rapport 2022 garde l'ancien libellé
    assert "##### 1.1.1 Améliorer le cadre de vie, l'environnement et le logement" in (
        _rapport(cls, demo, 2023)
    )
    ancien = cls("contract", "--at", "2023-08-31", "--data", demo).output
    nouveau = cls("contract", "--at", "2023-09-01", "--data", demo).output
    assert "#### 1.1.1 Améliorer le cadre de vie et l'environnement\n" in ancien
    assert (
        "#### 1.1.1 Améliorer le cadre de vie, l'environnement et le logement "
        "*(reformulé par l'avenant n° 3)*\n"
    ) in nouveau
    assert "Avenant n° 3 du 1 septembre 2023 (décidé, pas encore signé)" in nouveau


def test_libelle_qui_ne_correspond_pas_a_axes(probleme: Probleme) -> None:
    # axes.yaml n'a pas été mis à jour
    ligne = probleme("avenant-libelle", {1: AVENANT_1, 2: AVENANT_2, 3: AVENANT_3})
    assert ligne.startswith("demo/avenants/3.yaml:10:5: [erreur] le libellé de 1.1.1")


def test_fiche_ajoutee_saisie_avant_son_ajout(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1.replace("2022-03-10", "2023-03-10"))
    resultat = valider(cls, demo)
    assert resultat.exit_code == 0  # un avertissement seulement
    lignes = [x for x in resultat.output.splitlines() if "(fiche-avant-ajout)" in x]
    assert len(lignes) == 6  # les mesures et points de suivi 2022 des fiches 55 et 56
    assert "[avertissement] mesure 2022 de « " in lignes[0]
    assert "avant l'ajout de la fiche (2023)" in lignes[0]


def test_objectif_retire_avec_des_fiches(cls, demo: Path) -> None:
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire(
        demo,
        "2.yaml",
        AVENANT_2.rstrip(" ")
        + '      - type: objectif_retire\n        code: "4.2.4"\n        motif: Fondu dans 4.2.1\n',
    )
    resultat = valider(cls, demo)
    lignes = [x for x in resultat.output.splitlines() if "(avenant-objectif-retire)" in x]
    assert [x.split(":")[0].split("/")[-1][:3] for x in lignes] == ["54-", "55-", "56-"]
    assert "la fiche 55 est rangée sous 4.2.4, retiré par l'avenant n° 2" in lignes[1]


@pytest.mark.parametrize(
    ("arguments", "attendu"),
    [
        (
            ["record", "40", "participants", "12", "--year", "2024"],
            "la fiche 40 est retirée du contrat par l'avenant n° 2 (2023-06-15, "
            "avenants/2.yaml) : elle ne reçoit plus de saisie après 2023",
        ),
        (
            ["status", "40", "en_cours", "--year", "2024"],
            "la fiche 40 est retirée du contrat par l'avenant n° 2",
        ),
        (
            ["status", "55", "en_cours", "--year", "2021"],
            "la fiche 55 n'entre au contrat qu'avec l'avenant n° 1 (2022-03-10) : pas de "
            "saisie pour 2021",
        ),
    ],
)
def test_saisie_refusee_hors_vigueur(
    cls, copie_demo: Path, arguments: list[str], attendu: str
) -> None:
    avant = {c.name: c.read_bytes() for c in (copie_demo / "actions").iterdir()}
    resultat = cls(*arguments, "--data", copie_demo)
    assert resultat.exit_code == 2, resultat.output
    assert attendu in " ".join(resultat.output.split())
    assert {c.name: c.read_bytes() for c in (copie_demo / "actions").iterdir()} == avant


def test_saisie_acceptee_l_annee_du_retrait(cls, copie_demo: Path) -> None:
    resultat = cls("status", "40", "realisee", "--year", "2023", "--replace", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output


def test_stats_dit_les_mouvements_de_l_annee(cls) -> None:
    sortie = cls("stats", "--year", "2023", "--data", DEMO).output
    assert sortie.endswith("Fiche 40 retirée en 2023 par l'avenant n° 2\n")
    sortie = cls("stats", "--year", "2022", "--data", DEMO).output
    assert sortie.endswith(
        "Fiche 55 ajoutée en 2022 par l'avenant n° 1\nFiche 56 ajoutée en 2022 par l'avenant n° 1\n"
    )


def test_diff_nomme_les_avenants_de_la_version(cls, tmp_path: Path) -> None:
    from tests.scenarios_git import depot_initial, enregistrer

    data = depot_initial(tmp_path)
    ecrire(data, "1.yaml", AVENANT_1)
    resultat = cls("diff", "--data", data)
    assert resultat.exit_code == 0, resultat.output
    assert resultat.output.endswith(
        "\nAvenants de cette version :\n"
        "  Avenant n° 1 du 2022-03-10 (signé) : Deux actions nouvelles\n"
        "    - Ajoute la fiche 55 « Etablir un kit d'informations pour les élus des communes ».\n"
        "    - Ajoute la fiche 56 « Désigner un référent mairie dans les 66 communes de "
        "l'agglomération ».\n"
    )
    enregistrer(data, "Avenant 1")
    ecrire(data, "2.yaml", AVENANT_2)
    enregistrer(data, "Avenant 2")
    sortie = cls("diff", "HEAD~1", "HEAD", "-f", "md", "--data", data).output
    assert "## Avenants de cette version\n\n- **Avenant n° 2 du 2023-06-01 (signé)" in sortie
    assert "Avenant n° 1" not in sortie
    assert "  - Retire la fiche 40 « " in sortie
    assert "Avenant" not in cls("diff", "HEAD~1", "HEAD", "-f", "json", "--data", data).output
    assert "Avenant" not in cls("diff", "--data", data).output  # rien de nouveau sur le disque


AVENANT_3_CIBLE = """\
    numero: 3
    date: 2024-02-01
    signe: true
    decision: COPIL restreint de janvier 2024
    motif: Cible relevée encore
    changements:
      - type: fiche_modifiee
        fiche: 12
        quoi: cible
        indicateur: etablissements
        avant: 80
        apres: 90
    """


def test_deux_changements_de_cible_successifs(cls, demo: Path) -> None:
    fiche = demo / FICHE_12
    fiche.write_text(fiche.read_text().replace("    cible: 80\n", "    cible: 90\n", 1))
    ecrire(demo, "1.yaml", AVENANT_1)
    ecrire_avenant_2(demo)
    ecrire(demo, "3.yaml", AVENANT_3_CIBLE)
    assert valider(cls, demo).exit_code == 0
    ref = charger(demo).referentiel
    avenants = charger_avenants(demo).valides()
    fiches = ref.fiches_valides()
    cibles = [
        _cible(en_vigueur(fiches, avenants, a), 12, "etablissements") for a in (2022, 2023, 2024)
    ]
    assert cibles == [60, 80, 90]
    # Une valeur « avant » qui ne suit pas l'avenant précédent fausserait les rapports passés.
    ecrire(demo, "3.yaml", AVENANT_3_CIBLE.replace("avant: 80", "avant: 75"))
    ligne = _un_probleme(cls, demo, "avenant-cible")
    assert ligne.startswith("demo/avenants/3.yaml:11:5: [erreur] la cible « avant » de ")
    assert "vaut 75, mais l'avenant n° 2 l'avait fixée à 80" in ligne
