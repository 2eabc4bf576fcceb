"""La campagne annuelle : registre des porteurs, classeurs préparés, collecte, état."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import DEMO

ANNEE = "2024"


def _preparer(cls, demo: Path, dossier: Path, *options: str) -> object:
    resultat = cls("campaign", "prepare", "--year", ANNEE, "--data", demo, "-o", dossier, *options)
    assert resultat.exit_code == 0, resultat.output
    return resultat


@pytest.fixture(scope="module")
def preparee(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """La campagne 2024 de l'exemple fictif, préparée une fois pour le module (lecture seule)."""
    from typer.testing import CliRunner

    from cls_cli.cli import app

    dossier = tmp_path_factory.mktemp("preparee") / "campagne-2024"
    args = ["campaign", "prepare", "--year", ANNEE, "--data", str(DEMO), "-o", str(dossier)]
    resultat = CliRunner().invoke(app, args)
    assert resultat.exit_code == 0, resultat.output
    return dossier


# --- Registre des porteurs -------------------------------------------------------------


def test_porteurs_ecrit_un_premier_registre_que_validate_accepte(cls, copie_demo: Path) -> None:
    resultat = cls("campaign", "porteurs", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    texte = (copie_demo / "porteurs.yaml").read_text(encoding="utf-8")
    assert '  - id: chartres-metropole\n    nom: "Chartres métropole"\n' in texte
    assert "id: chartres-metropole-cls" in texte  # une variante : au coordinateur de fusionner
    assert cls("validate", "--data", copie_demo).exit_code == 0
    # jamais d'écrasement : le registre retravaillé par le coordinateur est gardé
    assert cls("campaign", "porteurs", "--data", copie_demo).exit_code == 2


def test_validate_signale_un_porteur_absent_du_registre(cls, copie_demo: Path) -> None:
    (copie_demo / "porteurs.yaml").write_text(
        "porteurs:\n  - id: chartres-metropole\n    nom: Chartres métropole\n"
        "    variantes: [Chartres métropole (CLS)]\n",
        encoding="utf-8",
    )
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert (
        "actions/05-encourager-mesurer-activite-physique-hygiene-vie.yaml:7:5: [erreur] le porteur "
        "« Profession Sports 28 » n'est pas dans porteurs.yaml" in resultat.output
    )
    assert "« Chartres métropole (CLS) »" not in resultat.output  # variante reconnue


def test_registre_variantes_regroupees_dans_un_classeur(cls, copie_demo: Path, tmp_path) -> None:
    assert cls("campaign", "porteurs", "--data", copie_demo).exit_code == 0
    chemin = copie_demo / "porteurs.yaml"
    texte = chemin.read_text(encoding="utf-8")
    texte = texte.replace(
        '  - id: chartres-metropole-cls\n    nom: "Chartres métropole (CLS)"\n    variantes: []\n',
        "",
    ).replace(
        '  - id: chartres-metropole\n    nom: "Chartres métropole"\n    variantes: []\n',
        '  - id: chartres-metropole\n    nom: "Chartres métropole"\n'
        '    variantes: ["Chartres métropole (CLS)"]\n    email: cls@exemple.fr\n',
    )
    chemin.write_text(texte, encoding="utf-8")
    _preparer(cls, copie_demo, tmp_path / "c")
    assert not (tmp_path / "c" / "chartres-metropole-cls.xlsx").exists()
    with (tmp_path / "c" / "index.csv").open(encoding="utf-8-sig") as flux:
        lignes = {ligne["porteur"]: ligne for ligne in csv.DictReader(flux, delimiter=";")}
    assert lignes["chartres-metropole"]["email"] == "cls@exemple.fr"
    fiches_cls = [
        f.name
        for f in (copie_demo / "actions").iterdir()
        if "Chartres métropole (CLS)" in f.read_text(encoding="utf-8")
    ]
    assert fiches_cls
    numero = str(int(fiches_cls[0].split("-")[0]))
    assert numero in lignes["chartres-metropole"]["fiches"].split()


# --- Préparation -----------------------------------------------------------------------


def test_prepare_un_classeur_par_porteur_avec_seulement_ses_fiches(cls, tmp_path: Path) -> None:
    dossier = tmp_path / "campagne"
    _preparer(cls, DEMO, dossier, "--deadline", "2025-02-15", "--contact", "Léa, 02 00 00 00 00")
    with (dossier / "index.csv").open(encoding="utf-8-sig") as flux:
        index = list(csv.DictReader(flux, delimiter=";"))
    assert {"porteur", "nom", "fichier", "email", "fiches", "a_remplir"} <= set(index[0])
    adapei = next(ligne for ligne in index if ligne["porteur"] == "adapei-28")
    assert (adapei["fichier"], adapei["fiches"], adapei["a_remplir"]) == (
        "adapei-28.xlsx",
        "30",
        "3",
    )
    classeur = load_workbook(dossier / "adapei-28.xlsx")
    assert classeur.sheetnames == ["Mode d'emploi", "Saisie", "cls"]
    aide = "\n".join(str(c.value) for c in classeur["Mode d'emploi"]["A"] if c.value)
    assert "15/02/2025" in aide and "Léa, 02 00 00 00 00" in aide and "fiche 30" in aide
    assert classeur["cls"].sheet_state == "hidden"
    saisie = classeur["Saisie"]
    assert saisie.protection.sheet and not saisie.protection.password
    entetes = [c.value for c in saisie[1]]
    assert entetes[9:13] == ["Valeur 2020", "Valeur 2021", "Valeur 2022", "Valeur 2023"]
    assert {c.value for c in saisie["A"][1:]} == {"30"}  # seulement sa fiche
    valeur = entetes.index("Valeur (ou statut)") + 1
    assert saisie.cell(3, 13).value == "78"  # 2023, lecture seule
    assert saisie.cell(3, 13).protection.locked
    assert not saisie.cell(3, valeur).protection.locked
    assert saisie.cell(3, valeur).fill.fgColor.rgb.endswith("FFF2A8")
    statuts = [dv for dv in saisie.data_validations.dataValidation if "en cours" in dv.formula1]
    assert "N4" in str(statuts[0].sqref)  # la ligne « statut » a sa liste


def test_prepare_format_pourcentage_pour_un_taux(preparee: Path) -> None:
    saisie = load_workbook(preparee / "caarud-intervenants-exterieurs.xlsx")["Saisie"]
    types = {r[7].value: r[13].number_format for r in saisie.iter_rows(min_row=2)}
    assert types["taux"] == "0%"
    assert types["statut"] == "@"


def test_prepare_refuse_d_ecraser_une_campagne(cls, tmp_path: Path) -> None:
    _preparer(cls, DEMO, tmp_path / "c")
    resultat = cls("campaign", "prepare", "--year", ANNEE, "--data", DEMO, "-o", tmp_path / "c")
    assert resultat.exit_code == 2
    assert "contient déjà une campagne" in resultat.output
    _preparer(cls, DEMO, tmp_path / "c", "--force")


def test_prepare_annee_hors_contrat_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("campaign", "prepare", "--year", "2031", "--data", DEMO, "-o", tmp_path / "c")
    assert resultat.exit_code == 2
    assert "hors de la période du contrat (2020-2025)" in resultat.output


# --- Collecte --------------------------------------------------------------------------


def remplir(
    source: Path,
    cible: Path,
    valeurs: dict[tuple[int, str], dict[str, object]],
    formats: dict[tuple[int, str], str] | None = None,
) -> Path:
    """Remplit le classeur ``source`` comme un porteur (openpyxl) et l'enregistre en ``cible``.

    ``valeurs`` : (fiche, code ou « statut ») -> {en-tête : valeur}."""
    classeur = load_workbook(source)
    feuille = classeur["Saisie"]
    entetes = [c.value for c in feuille[1]]
    for rang in range(2, feuille.max_row + 1):
        fiche = int(feuille.cell(rang, 1).value)
        cle = feuille.cell(rang, entetes.index("Code indicateur") + 1).value or "statut"
        for entete, valeur in valeurs.get((fiche, cle), {}).items():
            cellule = feuille.cell(rang, entetes.index(entete) + 1)
            cellule.value = valeur
            if formats and (fiche, cle) in formats:
                cellule.number_format = formats[(fiche, cle)]
    cible.parent.mkdir(parents=True, exist_ok=True)
    classeur.save(cible)
    return cible


VAL, POURQUOI, AV = "Valeur (ou statut)", "Si pas de valeur : pourquoi", "Avancement (%)"
CAARUD = {  # fiche 11 : un taux tapé en pourcentage (0,82 affiché « 82 % »)
    (11, "enquete-satisfaction"): {VAL: 0.82},
    (11, "statut"): {VAL: "en cours", AV: 0.5},
}
ADAPEI = {  # fiche 30 : une valeur manquante, avec sa raison
    (30, "personnes-concernees"): {VAL: 40},
    (30, "consultations-services-medicaux"): {POURQUOI: "non collectée cette année"},
    (30, "statut"): {VAL: "réalisée"},
}
SPORTS = {(5, "enfants-concernes"): {VAL: 61, "Source": "listes d'appel"}}


def _retours(dossier: Path, tmp_path: Path) -> Path:
    """Les retours remplis de trois porteurs, rangés dans un dossier ``retours``."""
    retours = tmp_path / "retours"
    remplir(dossier / "caarud-intervenants-exterieurs.xlsx", retours / "caarud.xlsx", CAARUD)
    remplir(dossier / "adapei-28.xlsx", retours / "adapei-28.xlsx", ADAPEI)
    remplir(dossier / "profession-sports-28.xlsx", retours / "sports.xlsx", SPORTS)
    return retours


def _fiches(demo: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted((demo / "actions").iterdir())}


def test_bout_en_bout_prepare_remplit_collecte_rapport(cls, copie_demo: Path, tmp_path) -> None:
    avant = _fiches(copie_demo)
    dossier = tmp_path / "campagne-2024"
    _preparer(cls, copie_demo, dossier)
    _retours(dossier, dossier)
    resultat = cls(
        "campaign", "collect", "--year", ANNEE, "--data", copie_demo, dossier / "retours"
    )
    assert resultat.exit_code == 0, resultat.output
    assert "ADAPEI 28 :\n  Fiche 30, personnes-concernees, 2024 : 40 (ajoutée)" in resultat.stdout
    apres = _fiches(copie_demo)
    changees = sorted(nom[:2] for nom in avant if avant[nom] != apres[nom])
    assert changees == ["05", "11", "30"]  # seulement les fiches des trois porteurs
    fiche11 = (copie_demo / "actions" / next(n for n in apres if n.startswith("11-"))).read_text(
        encoding="utf-8"
    )
    assert "      - annee: 2024\n        valeur: 82\n" in fiche11
    assert "source: campagne 2024, retour CAARUD – Intervenants extérieurs du " in fiche11
    assert "  - annee: 2024\n    statut: en_cours\n    avancement: 50\n" in fiche11
    fiche30 = (copie_demo / "actions" / next(n for n in apres if n.startswith("30-"))).read_text(
        encoding="utf-8"
    )
    assert "manquante: non collectée cette année" in fiche30
    fiche05 = (copie_demo / "actions" / next(n for n in apres if n.startswith("05-"))).read_text(
        encoding="utf-8"
    )
    assert " du 20" in fiche05 and " ; listes d'appel\n" in fiche05
    assert cls("validate", "--data", copie_demo).exit_code == 0
    rapport = cls("report", "--year", ANNEE, "--data", copie_demo, "--format", "json")
    assert rapport.exit_code == 0, rapport.output
    actions = {a["numero"]: a for a in json.loads(rapport.stdout)["actions"]}
    taux = next(i for i in actions[11]["indicateurs"] if i["code"] == "enquete-satisfaction")
    assert {m["annee"]: m["valeur"] for m in taux["mesures"]}[2024] == 82
    assert (actions[11]["statut"], actions[11]["avancement"]) == ("en_cours", 50)
    assert actions[30]["statut"] == "realisee"
    etat = cls("campaign", "status", "--year", ANNEE, "--data", copie_demo, dossier, "-f", "json")
    assert etat.exit_code == 0, etat.output
    donnees = json.loads(etat.stdout)
    assert (donnees["envoyes"], donnees["retournes"], donnees["importes"]) == (46, 3, 3)
    adapei = next(p for p in donnees["porteurs"] if p["porteur"] == "adapei-28")
    assert (
        adapei["manquantes"]
        == "fiche 30, consultations-services-medicaux : non collectée cette année"
    )
    assert sum(1 for p in donnees["porteurs"] if p["retour"] == "") == 43
    # relancer la même collecte ne change rien
    encore = cls("campaign", "collect", "--year", ANNEE, "--data", copie_demo, dossier / "retours")
    assert encore.exit_code == 0, encore.output
    assert "saisie déjà présente, inchangée" in encore.stdout
    assert _fiches(copie_demo) == apres


# --- Mauvaises entrées -----------------------------------------------------------------


def _collecter(cls, demo: Path, *args: object) -> object:
    return cls("campaign", "collect", "--year", ANNEE, "--data", demo, *args)


def test_classeur_de_la_campagne_de_l_an_dernier_refuse(cls, copie_demo: Path, tmp_path) -> None:
    cls("campaign", "prepare", "--year", "2023", "--data", copie_demo, "-o", tmp_path / "c23")
    vieux = remplir(tmp_path / "c23" / "adapei-28.xlsx", tmp_path / "r" / "adapei.xlsx", {})
    avant = _fiches(copie_demo)
    resultat = _collecter(cls, copie_demo, vieux)
    assert resultat.exit_code == 1
    assert "adapei.xlsx: classeur de la campagne 2023 (porteur ADAPEI 28)" in resultat.output
    assert "pas de la campagne 2024" in resultat.output
    assert "aucune donnée n'a été modifiée" in resultat.output
    assert _fiches(copie_demo) == avant


def test_retour_reenregistre_par_libreoffice(cls, copie_demo: Path) -> None:
    fixture = Path(__file__).parent / "campagne" / "libreoffice-caarud-2024.xlsx"
    resultat = _collecter(cls, copie_demo, fixture)
    assert resultat.exit_code == 0, resultat.output
    assert "Fiche 11, enquete-satisfaction, 2024 : 82 (ajoutée)" in resultat.stdout
    assert "Fiche 11, suivi, 2024 : en_cours, avancement 50 % (ajouté)" in resultat.stdout


def test_retour_renomme_reconnu_par_ses_metadonnees(
    cls, copie_demo: Path, tmp_path, preparee
) -> None:
    dossier = preparee
    renomme = remplir(dossier / "adapei-28.xlsx", tmp_path / "Copie de retour (2).xlsx", ADAPEI)
    resultat = _collecter(cls, copie_demo, renomme)
    assert resultat.exit_code == 0, resultat.output
    assert "ADAPEI 28 :" in resultat.stdout


def _modifier(source: Path, cible: Path, cellule: str, valeur: object) -> Path:
    classeur = load_workbook(source)
    classeur["Saisie"][cellule] = valeur
    classeur.save(cible)
    return cible


def test_cellule_verrouillee_modifiee_refusee(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = preparee
    rempli = remplir(dossier / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    touche = _modifier(rempli, tmp_path / "touche.xlsx", "E3", "autre-code")
    resultat = _collecter(cls, copie_demo, touche)
    assert resultat.exit_code == 1
    assert "touche.xlsx:Saisie:3: cellule E3 verrouillée modifiée : « autre-code » au lieu de" in (
        resultat.output
    )


def test_ligne_ajoutee_refusee(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = preparee
    rempli = remplir(dossier / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    ajout = _modifier(rempli, tmp_path / "ajout.xlsx", "N5", 12)
    resultat = _collecter(cls, copie_demo, ajout)
    assert resultat.exit_code == 1
    assert "ajout.xlsx:Saisie:5: ligne ajoutée après le tableau préparé" in resultat.output


def test_taux_sans_format_pourcentage_refuse(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = preparee
    douteux = remplir(
        dossier / "caarud-intervenants-exterieurs.xlsx",
        tmp_path / "douteux.xlsx",
        {(11, "enquete-satisfaction"): {VAL: 0.82}},
        {(11, "enquete-satisfaction"): "General"},
    )
    resultat = _collecter(cls, copie_demo, douteux)
    assert resultat.exit_code == 1
    assert "douteux.xlsx:Saisie:4: fiche 11 : taux « 0,82 » : 0,82 % ou 82 % ?" in resultat.output


def test_co_porteurs_en_desaccord_refuses(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = preparee
    cle = (12, "enquete-satisfaction")
    remplir(dossier / "cesel-28.xlsx", tmp_path / "r" / "cesel.xlsx", {cle: {VAL: 0.7}})
    remplir(dossier / "caarud.xlsx", tmp_path / "r" / "caarud.xlsx", {cle: {VAL: 0.75}})
    avant = _fiches(copie_demo)
    resultat = _collecter(cls, copie_demo, tmp_path / "r")
    assert resultat.exit_code == 1
    assert "cesel.xlsx:Saisie:" in resultat.output
    assert "valeur différente de celle de" in resultat.output
    assert _fiches(copie_demo) == avant
    # d'accord : une seule mesure
    remplir(dossier / "caarud.xlsx", tmp_path / "r" / "caarud.xlsx", {cle: {VAL: 0.7}})
    resultat = _collecter(cls, copie_demo, tmp_path / "r")
    assert resultat.exit_code == 0, resultat.output
    assert resultat.stdout.count("enquete-satisfaction, 2024 : 70 (ajoutée)") == 1


def test_fiche_supprimee_ou_changee_depuis_la_preparation(
    cls, copie_demo: Path, tmp_path, preparee
) -> None:
    dossier = preparee
    retour = remplir(dossier / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    fiche = next((copie_demo / "actions").glob("30-*.yaml"))
    texte = fiche.read_text(encoding="utf-8")
    fiche.write_text(texte.replace("code: personnes-concernees", "code: beneficiaires"), "utf-8")
    resultat = _collecter(cls, copie_demo, retour)
    assert resultat.exit_code == 1
    assert "r.xlsx:Saisie:" in resultat.output
    assert "la fiche 30 a changé depuis la préparation" in resultat.output
    renumerotee = fiche.with_name(fiche.name.replace("30-", "99-"))
    fiche.rename(renumerotee)
    renumerotee.write_text(texte.replace("numero: 30", "numero: 99"), "utf-8")
    resultat = _collecter(cls, copie_demo, retour)
    assert resultat.exit_code == 1
    assert "r.xlsx:Saisie:2: la fiche 30 n'existe plus (supprimée, renumérotée" in resultat.output
    assert "correction : saisissez ces valeurs avec cls record" in resultat.output


def test_fiche_supprimee_signalee_une_fois(cls, copie_demo: Path, tmp_path, preparee) -> None:
    retour = remplir(preparee / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    next((copie_demo / "actions").glob("30-*.yaml")).unlink()
    resultat = _collecter(cls, copie_demo, retour)
    assert resultat.exit_code == 1
    assert resultat.output.count("la fiche 30 n'existe plus") == 1  # pas une fois par ligne
    assert "r.xlsx:Saisie:2: la fiche 30 n'existe plus" in resultat.output


def test_ligne_supprimee_refusee(cls, copie_demo: Path, tmp_path, preparee) -> None:
    classeur = load_workbook(remplir(preparee / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI))
    classeur["Saisie"].delete_rows(4)
    classeur.save(tmp_path / "moins.xlsx")
    avant = _fiches(copie_demo)
    resultat = _collecter(cls, copie_demo, tmp_path / "moins.xlsx")
    assert resultat.exit_code == 1
    assert "moins.xlsx:Saisie:4: 1 ligne(s) supprimée(s) du tableau préparé" in resultat.output
    assert _fiches(copie_demo) == avant


def test_classeur_qui_n_est_pas_de_la_campagne_refuse(cls, copie_demo: Path, tmp_path) -> None:
    """Le tableau de « cls template » (pas de feuille de métadonnées), puis un faux .xlsx."""
    modele = tmp_path / "modele.xlsx"
    assert cls("template", "--year", ANNEE, "-o", modele, "--data", copie_demo).exit_code == 0
    resultat = _collecter(cls, copie_demo, modele)
    assert resultat.exit_code == 1
    assert "modele.xlsx:1:1:" in resultat.output
    assert "pas un classeur préparé par « cls campaign prepare »" in resultat.output
    faux = tmp_path / "faux.xlsx"
    faux.write_text("fiche;valeur\n30;40\n", encoding="utf-8")
    resultat = _collecter(cls, copie_demo, faux)
    assert resultat.exit_code == 1
    assert "faux.xlsx:1:1: ce n'est pas un classeur .xlsx lisible" in resultat.output
    assert "Traceback" not in resultat.output


def test_classeur_d_un_autre_contrat_refuse(cls, copie_demo: Path, tmp_path, preparee) -> None:
    classeur = load_workbook(remplir(preparee / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI))
    meta = classeur["cls"]
    rang = next(r for r in meta.iter_rows() if r[0].value == "contrat")
    rang[1].value = "CLS de Dreux 2020-2025"
    classeur.save(tmp_path / "dreux.xlsx")
    resultat = _collecter(cls, copie_demo, tmp_path / "dreux.xlsx")
    assert resultat.exit_code == 1
    assert "dreux.xlsx: classeur de la campagne 2024 du contrat « CLS de Dreux 2020-2025 »" in (
        resultat.output
    )


def test_deux_retours_du_meme_porteur(cls, copie_demo: Path, tmp_path, preparee) -> None:
    """Le même retour deux fois (copie) : importé une fois ; deux versions qui diffèrent :
    refusées, en disant que c'est le même porteur."""
    remplir(preparee / "adapei-28.xlsx", tmp_path / "r" / "adapei.xlsx", ADAPEI)
    shutil.copy(tmp_path / "r" / "adapei.xlsx", tmp_path / "r" / "adapei (copie).xlsx")
    resultat = _collecter(cls, copie_demo, tmp_path / "r")
    assert resultat.exit_code == 0, resultat.output
    assert resultat.stdout.count("personnes-concernees, 2024 : 40 (ajoutée)") == 1
    corrige = {**ADAPEI, (30, "personnes-concernees"): {VAL: 41}}
    remplir(preparee / "adapei-28.xlsx", tmp_path / "r" / "adapei (copie).xlsx", corrige)
    resultat = _collecter(cls, copie_demo, tmp_path / "r", "--replace")
    assert resultat.exit_code == 1
    assert "deux retours du même porteur (ADAPEI 28)" in resultat.output
    assert "gardez le plus récent et écartez l'autre" in resultat.output
    assert "deux porteurs de la même fiche" not in resultat.output


def test_retour_vide_signale_sans_erreur(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = preparee
    resultat = _collecter(cls, copie_demo, dossier / "adapei-28.xlsx")
    assert resultat.exit_code == 0, resultat.output
    assert "adapei-28.xlsx : retour vide (rien de rempli)" in resultat.stdout


def test_partial_importe_les_classeurs_valides(cls, copie_demo: Path, tmp_path, preparee) -> None:
    retours = _retours(preparee, tmp_path)
    _modifier(retours / "sports.xlsx", retours / "sports.xlsx", "A2", "99")
    resultat = _collecter(cls, copie_demo, retours)
    assert resultat.exit_code == 1
    resultat = _collecter(cls, copie_demo, retours, "--partial")
    assert resultat.exit_code == 0, resultat.output
    assert "ADAPEI 28 :" in resultat.stdout and "Profession Sports 28 :" not in resultat.stdout
    assert "1 classeur(s) écarté(s) (--partial)." in resultat.stdout


def test_valeur_deja_enregistree_gardee_sauf_replace(
    cls, copie_demo: Path, tmp_path, preparee
) -> None:
    dossier = preparee
    retour = remplir(dossier / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    enregistre = cls(
        "record", "30", "personnes-concernees", "38", "--year", ANNEE, "--data", copie_demo
    )
    assert enregistre.exit_code == 0
    resultat = _collecter(cls, copie_demo, retour)
    assert resultat.exit_code == 0, resultat.output
    assert "Gardée (--replace pour remplacer)" in resultat.stdout
    fiche = next((copie_demo / "actions").glob("30-*.yaml"))
    assert "valeur: 38" in fiche.read_text(encoding="utf-8")
    resultat = _collecter(cls, copie_demo, retour, "--replace")
    assert resultat.exit_code == 0, resultat.output
    assert "38 -> 40 (remplacée)" in resultat.stdout


# --- État et relances ------------------------------------------------------------------


def test_status_avant_import_puis_taux_par_axe(cls, copie_demo: Path, tmp_path, preparee) -> None:
    retours = _retours(preparee, tmp_path)
    resultat = cls(
        "campaign",
        "status",
        "-y",
        ANNEE,
        "--data",
        copie_demo,
        preparee,
        "-r",
        retours / "caarud.xlsx",
        "-r",
        retours / "adapei-28.xlsx",
    )
    assert resultat.exit_code == 0, resultat.output
    assert "46 classeur(s) envoyé(s), 2 revenu(s), 0 importé(s) ; 44 porteur(s) à relancer" in (
        resultat.stdout
    )
    assert "ADAPEI 28 : manquante, fiche 30, consultations-services-medicaux" in resultat.stdout
    assert "Axe 2 : 3/24 cases renseignées (12 %)" in resultat.stdout
    csv_ = cls("campaign", "status", "-y", ANNEE, "--data", copie_demo, preparee, "-f", "csv")
    lignes = list(csv.DictReader(csv_.stdout.splitlines(), delimiter=";"))
    assert len(lignes) == 46 and not any(ligne["retour"] for ligne in lignes)


def test_status_sans_campagne_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("campaign", "status", "-y", ANNEE, "--data", DEMO, tmp_path / "absente")
    assert resultat.exit_code == 2
    assert "préparez d'abord la campagne" in resultat.output


def test_remind_csv_et_textes(cls, copie_demo: Path, tmp_path, preparee) -> None:
    dossier = tmp_path / "c"
    shutil.copytree(preparee, dossier)
    remplir(dossier / "adapei-28.xlsx", dossier / "retours" / "adapei-28.xlsx", ADAPEI)
    sortie = tmp_path / "relances.csv"
    resultat = cls("campaign", "remind", "-y", ANNEE, "--data", copie_demo, dossier, "-o", sortie)
    assert resultat.exit_code == 0, resultat.output
    with sortie.open(encoding="utf-8-sig") as flux:
        lignes = list(csv.DictReader(flux, delimiter=";"))
    assert len(lignes) == 45 and "adapei-28" not in {ligne["porteur"] for ligne in lignes}
    sports = next(ligne for ligne in lignes if ligne["porteur"] == "profession-sports-28")
    assert sports["manquantes"].startswith("fiche 5, participants-reunions-sensibilisation ; ")
    textes = cls("campaign", "remind", "-y", ANNEE, "--data", copie_demo, dossier, "--text")
    assert "À : Profession Sports 28 (courriel inconnu)\n" in textes.stdout
    assert "  - fiche 5, statut\n" in textes.stdout


# --- Clôture d'une année ---------------------------------------------------------------


def test_close_puis_saisies_refusees_sauf_reopen(cls, copie_demo: Path) -> None:
    resultat = cls(
        "campaign", "close", "-y", "2023", "--decision", "COPIL du 12 mars 2024",
        "--date", "2024-03-12", "--data", copie_demo,
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    texte = (copie_demo / "clotures.yaml").read_text(encoding="utf-8")
    assert '  - annee: 2023\n    date: 2024-03-12\n    decision: "COPIL du 12 mars 2024"\n' in texte
    assert cls("validate", "--data", copie_demo).exit_code == 0
    avant = _fiches(copie_demo)
    record = cls("record", "30", "personnes-concernees", "41", "-y", "2023", "--replace",
                 "--data", copie_demo)  # fmt: skip
    assert record.exit_code == 2
    assert "l'année 2023 est close (COPIL du 12 mars 2024, le 2024-03-12)" in record.output
    statut = cls("status", "30", "realisee", "-y", "2023", "--replace", "--data", copie_demo)
    assert statut.exit_code == 2 and "est close" in statut.output
    assert _fiches(copie_demo) == avant
    rouvert = cls("record", "30", "personnes-concernees", "41", "-y", "2023", "--replace",
                  "--reopen", "--data", copie_demo)  # fmt: skip
    assert rouvert.exit_code == 0, rouvert.output
    assert cls("record", "30", "personnes-concernees", "41", "-y", "2024",
               "--data", copie_demo).exit_code == 0  # fmt: skip
    deux = cls("campaign", "close", "-y", "2023", "--decision", "x", "--data", copie_demo)
    assert deux.exit_code == 2 and "déjà close" in deux.output


def test_collect_refuse_une_annee_close(cls, copie_demo: Path, tmp_path, preparee) -> None:
    retour = remplir(preparee / "adapei-28.xlsx", tmp_path / "r.xlsx", ADAPEI)
    cls("campaign", "close", "-y", ANNEE, "--decision", "COPIL", "--data", copie_demo)
    avant = _fiches(copie_demo)
    resultat = _collecter(cls, copie_demo, retour)
    assert resultat.exit_code == 1
    assert "l'année 2024 est close" in resultat.output
    assert _fiches(copie_demo) == avant
    resultat = _collecter(cls, copie_demo, retour, "--reopen")
    assert resultat.exit_code == 0, resultat.output


def test_import_refuse_une_annee_close(cls, copie_demo: Path, tmp_path: Path) -> None:
    tableau = tmp_path / "t.csv"
    assert cls("template", "-y", ANNEE, "-o", tableau, "--data", copie_demo).exit_code == 0
    with tableau.open(encoding="utf-8-sig", newline="") as flux:
        lignes = list(csv.reader(flux, delimiter=";"))
    statut = next(ligne for ligne in lignes if ligne[4] == "statut")
    statut[10] = "en cours"
    with tableau.open("w", encoding="utf-8-sig", newline="") as flux:
        csv.writer(flux, delimiter=";").writerows(lignes)
    cls("campaign", "close", "-y", ANNEE, "--decision", "COPIL", "--data", copie_demo)
    refuse = cls("import", tableau, "--data", copie_demo)
    assert refuse.exit_code == 1 and "l'année 2024 est close" in refuse.output
    assert cls("import", tableau, "--reopen", "--data", copie_demo).exit_code == 0


def test_apparier_chaque_demande_avec_son_detail() -> None:
    """Le bilan par porteur : chaque demande (ordre des classeurs) reçoit le détail de même
    fiche, indicateur et genre (ordre du plan, par fiche), chacun une seule fois."""
    from cls_cli.collecte import _apparier
    from cls_cli.plan import Demande, Detail
    from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi

    demandes = [
        Demande(30, SaisieMesure(2024, 40), "a", "r1"),
        Demande(11, SaisieSuivi(2024, "en_cours"), "", "r2"),
        Demande(11, SaisieMesure(2024, 1), "a", "r3"),
        Demande(11, SaisieMesure(2024, 2), "b", "r4"),
        Demande(12, SaisieMesure(2024, 3), "a", "r5"),  # sans détail : pas appariée
    ]

    def detail(numero: int, quoi: str, code: str) -> Detail:
        return Detail(numero, Path(f"{numero}.yaml"), quoi, code, 2024, "ajoutee", None, "x")  # type: ignore[arg-type]

    details = [detail(11, "mesure", "b"), detail(11, "mesure", "a"), detail(11, "statut", "")]
    details.append(detail(30, "mesure", "a"))
    paires = _apparier(details, demandes)
    assert [(d.position, (x.numero, x.quoi, x.code)) for d, x in paires] == [
        ("r1", (30, "mesure", "a")),
        ("r2", (11, "statut", "")),
        ("r3", (11, "mesure", "a")),
        ("r4", (11, "mesure", "b")),
    ]


def test_chaque_retour_ouvert_une_fois(
    cls, copie_demo: Path, tmp_path, preparee, monkeypatch: pytest.MonkeyPatch
) -> None:
    """La collecte lit le tableau et les métadonnées d'un retour en une seule ouverture ;
    les formules ne sont relues (seconde ouverture) que si le classeur en contient."""
    import openpyxl

    ouvertures: list[str] = []
    ouvrir = openpyxl.load_workbook

    def compter(chemin: object, *args: object, **kwargs: object) -> object:
        ouvertures.append(Path(str(chemin)).name)
        return ouvrir(chemin, *args, **kwargs)  # type: ignore[arg-type]

    retours = _retours(preparee, tmp_path)
    avec_formule = load_workbook(retours / "sports.xlsx")
    feuille = avec_formule["Saisie"]
    colonne = [c.value for c in feuille[1]].index(VAL) + 1
    feuille.cell(2, colonne).value = "=60+1"  # openpyxl n'écrit pas de valeur calculée
    avec_formule.save(tmp_path / "formule.xlsx")
    monkeypatch.setattr(openpyxl, "load_workbook", compter)
    resultat = _collecter(cls, copie_demo, retours)
    assert resultat.exit_code == 0, resultat.output
    assert sorted(ouvertures) == ["adapei-28.xlsx", "caarud.xlsx", "sports.xlsx"]
    ouvertures.clear()
    resultat = _collecter(cls, copie_demo, tmp_path / "formule.xlsx")
    assert resultat.exit_code == 1
    assert "formule « =60+1 » sans valeur calculée" in resultat.output
    assert ouvertures == ["formule.xlsx", "formule.xlsx"]
