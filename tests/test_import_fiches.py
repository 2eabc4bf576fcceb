"""cls import-fiches : un contrat recréé depuis un tableau, champ par champ (ticket 22).

Le tableau est construit ici, avec openpyxl, depuis le data/ livré (Chartres, 56 fiches),
dans la forme documentée (une ligne par fiche, indicateurs « libellé | clé: valeur »),
sans passer par le code de cls : la comparaison porte sur les modèles pydantic relus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from cls_cli.chargement import charger
from cls_cli.documents import en_python
from cls_cli.indicateurs_tableau import code_depuis, lire_indicateurs, type_depuis
from cls_cli.modeles import Fiche
from tests.conftest import DATA

ENTETES = [
    "Axe", "Objectif stratégique", "Objectif opérationnel", "Numéro", "Intitulé", "Nature",
    "Porteurs", "Partenaires", "Description", "Public", "Territoire", "Calendrier", "Début",
    "Fin", "Financement", "Budget", "Priorités", "Indicateurs",
]  # fmt: skip


def _ligne_indicateur(ind: Any) -> str:
    morceaux = [ind.libelle, f"type: {ind.type}", f"code: {ind.code}"]
    if ind.unite:
        morceaux.append(f"unité: {ind.unite}")
    if ind.cible is not None:
        morceaux.append(f"cible: {ind.cible}")
    if ind.agregation != "derniere":
        morceaux.append(f"agrégation: {ind.agregation}")
    return " | ".join(morceaux)


def _libelles(racine: Path) -> dict[str, str]:
    ref = charger(racine).referentiel
    assert ref.axes is not None
    sortie = {}
    for axe in ref.axes.axes:
        sortie[axe.code] = axe.libelle
        for os_ in axe.objectifs_strategiques:
            sortie[os_.code] = os_.libelle
            for oo in os_.objectifs_operationnels:
                sortie[oo.code] = oo.libelle
    return sortie


def tableau_depuis(racine: Path, chemin: Path) -> Path:
    """Le tableau d'une coordination, tiré d'un arbre : une ligne par fiche."""
    libelles = _libelles(racine)
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Fiches"
    feuille.append(ENTETES)
    ref = charger(racine).referentiel
    for f in ref.fiches_valides():
        axe, os_, _ = ref.arbre.chemin(f.objectif)
        feuille.append(
            [
                f"{axe} – {libelles[axe]}",
                f"{os_} {libelles[os_]}",
                f"{f.objectif} {libelles[f.objectif]}",
                f.numero,
                f.titre,
                f.nature,
                "\n".join(f.porteurs),
                "\n".join(f.partenaires),
                f.description.rstrip("\n"),
                "\n".join(f.public_cible),
                f.territoire,
                f.calendrier.texte,
                f.calendrier.debut,
                f.calendrier.fin,
                f.ressources.texte,
                f.ressources.budget,
                ", ".join(str(a) for a in f.priorites),
                "\n".join(_ligne_indicateur(i) for i in f.indicateurs),
            ]
        )
    classeur.save(chemin)
    return chemin


@pytest.fixture
def contrat_neuf(cls, tmp_path: Path) -> Path:
    r = cls(
        "init", tmp_path / "neuf", "--nom", "CLS de Chartres", "--debut", "2020", "--fin", "2025"
    )
    assert r.exit_code == 0, r.output
    return tmp_path / "neuf" / "data"


def test_le_contrat_livre_recree_champ_par_champ(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = tableau_depuis(DATA, tmp_path / "fiches.xlsx")
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output
    assert "56 fiches créées" in r.output
    original, recree = charger(DATA).referentiel, charger(contrat_neuf).referentiel
    assert recree.axes == original.axes  # chaque axe, objectif stratégique et opérationnel
    fiches = {f.numero: f for f in recree.fiches_valides()}
    assert len(fiches) == len(original.fiches_valides()) == 56
    for f in original.fiches_valides():
        # le tableau ne porte ni mesures ni suivi : la fiche recréée les a vides
        attendu = f.model_copy(
            update={
                "indicateurs": [i.model_copy(update={"mesures": []}) for i in f.indicateurs],
                "suivi": [],
            }
        )
        assert fiches[f.numero] == attendu, f.numero
    assert cls("validate", "--data", contrat_neuf).exit_code in (0,)


def _tableau(tmp_path: Path, lignes: list[list[Any]], entetes: list[str] = ENTETES) -> Path:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Fiches"
    feuille.append(entetes)
    for ligne in lignes:
        feuille.append(ligne)
    chemin = tmp_path / "t.xlsx"
    classeur.save(chemin)
    return chemin


def _ligne(numero: Any = 1, oo: str = "1.1.1 Un objectif", **autres: Any) -> list[Any]:
    valeurs = {
        "Axe": "1 – Un axe",
        "Objectif stratégique": "1.1 Un objectif stratégique",
        "Objectif opérationnel": oo,
        "Numéro": numero,
        "Intitulé": f"Action {numero}",
        "Nature": "nouvelle",
        "Porteurs": "Ville",
        "Partenaires": "",
        "Description": "Une action",
        "Public": "Habitants",
        "Territoire": "La ville",
        "Calendrier": "2021",
        "Financement": "Ville",
        "Indicateurs": "Nombre de séances\nTaux de satisfaction | cible: 80",
        **autres,
    }
    return [valeurs.get(e, None) for e in ENTETES]


def _fichiers(racine: Path) -> list[str]:
    """Les fichiers de l'arbre, hors data/.cls/ (verrou, ignoré par git)."""
    return sorted(
        p.relative_to(racine).as_posix() for p in racine.rglob("*") if ".cls" not in p.parts
    )


def _refus(cls, contrat_neuf: Path, tableau: Path, *messages: str) -> str:
    avant = _fichiers(contrat_neuf)
    axes = (contrat_neuf / "axes.yaml").read_bytes()
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 1, r.output
    assert "rien n'a été écrit" in r.output
    for message in messages:
        assert message in r.output, r.output
    assert _fichiers(contrat_neuf) == avant
    assert (contrat_neuf / "axes.yaml").read_bytes() == axes
    return str(r.output)


def test_colonne_obligatoire_manquante(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    entetes = [e for e in ENTETES if e != "Porteurs"]
    tableau = _tableau(tmp_path, [], entetes)
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 1
    assert "« Porteurs »" in r.output and "cls import-fiches --template" in r.output


def test_numero_deux_fois(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne(4), _ligne(4)])
    _refus(cls, contrat_neuf, tableau, "la fiche 4 est déjà à", "cellule D2", "cellule D3")


def test_objectif_qui_ne_correspond_pas_a_son_axe(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne(1, oo="2.1.1 Ailleurs")])
    _refus(cls, contrat_neuf, tableau, "l'objectif 2.1.1 n'appartient pas à 1.1", "cellule C2")


def test_cellules_fusionnees(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne(1), _ligne(2)])
    classeur = load_workbook(tableau)
    classeur["Fiches"].merge_cells("G2:G3")
    classeur.save(tableau)
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 1
    assert "G2:G3" in r.output or "fusionn" in r.output


def test_ligne_vide_au_milieu_et_indicateurs_sur_plusieurs_lignes(
    cls, contrat_neuf: Path, tmp_path: Path
) -> None:
    tableau = _tableau(tmp_path, [_ligne(1), [None] * len(ENTETES), _ligne(2)])
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output
    assert "2 fiches créées" in r.output
    fiche = Fiche.model_validate(
        __import__("yaml").safe_load((contrat_neuf / "actions" / "02-action-2.yaml").read_text())
    )
    assert [(i.code, i.type, i.cible) for i in fiche.indicateurs] == [
        ("nombre-de-seances", "nombre", None),
        ("taux-de-satisfaction", "taux", 80),
    ]
    # ce qui a été tiré des libellés est dit, pour relecture
    assert "type « nombre » tiré du libellé" in r.output
    assert "code « taux-de-satisfaction » tiré du libellé" in r.output


def test_un_contrat_qui_a_deja_ses_fiches_est_refuse(cls, copie_demo: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne(1)])
    r = cls("import-fiches", tableau, "--data", copie_demo)
    assert r.exit_code == 2
    assert "contient déjà" in r.output and "cls new" in r.output


def test_le_modele(cls, tmp_path: Path, contrat_neuf: Path) -> None:
    sortie = tmp_path / "modele.xlsx"
    r = cls("import-fiches", "--template", "-o", sortie, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output
    classeur = load_workbook(sortie)
    assert classeur.sheetnames == ["Fiches", "Mode d'emploi"]
    assert [c.value for c in classeur["Fiches"][1]][:5] == ENTETES[:5]
    assert classeur["Fiches"].max_row == 1  # l'exemple est dans le mode d'emploi, pas ici
    # le modèle vide, rempli d'une ligne, s'importe
    classeur["Fiches"].append(_ligne(7))
    classeur.save(sortie)
    r = cls("import-fiches", sortie, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output
    # un fichier existant n'est pas remplacé sans --force
    r = cls("import-fiches", "--template", "-o", sortie, "--data", contrat_neuf)
    assert r.exit_code == 2 and "--force" in r.output


def test_en_tetes_tolerants(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    entetes = [
        {"Numéro": "N°", "Intitulé": "INTITULE DE L'ACTION", "Porteurs": "Pilote"}.get(e, e)
        for e in ENTETES
    ]
    tableau = _tableau(tmp_path, [_ligne(3)], entetes)
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output


# --- La cellule « Indicateurs » : règles à réponse connue --------------------------------


@pytest.mark.parametrize(
    ("libelle", "type_"),
    [
        ("Nombre de réunions", "nombre"),
        ("Nb de participants", "nombre"),
        ("Taux de participation", "taux"),
        ("Part des élèves dépistés", "taux"),
        ("Pourcentage de répondants", "taux"),
        ("Satisfaction (%)", "taux"),
        ("Mise en place du réseau", "texte"),
        ("Partenariat signé", "texte"),  # « Part… » seulement en mot entier
    ],
)
def test_type_tire_du_libelle(libelle: str, type_: str) -> None:
    assert type_depuis(libelle) == type_


def test_code_tire_du_libelle() -> None:
    assert code_depuis("Nombre de réunions organisées") == "nombre-de-reunions-organisees"
    assert code_depuis("  «  »  ") == "indicateur"
    long = code_depuis("un " * 30)
    assert len(long) <= 40 and not long.endswith("-")


def test_precisions_lues() -> None:
    lus = lire_indicateurs(
        "Taux de dépistage | cible: 12,5 | référence: 8 (2019) | unité: % | agrégation: dernière\n"
        "Charte signée | type: booléen | code: charte | cible: oui",
        "t.xlsx:Fiches:2, cellule R2",
        3,
    )
    assert lus.erreurs == []
    premier, second = (en_python(i) for i in lus.indicateurs)
    assert premier == {
        "code": "taux-de-depistage",
        "libelle": "Taux de dépistage",
        "type": "taux",
        "unite": "%",
        "cible": 12.5,
        "reference": {"annee": 2019, "valeur": 8},
        "agregation": "derniere",
        "mesures": [],
    }
    assert (second["code"], second["type"], second["cible"]) == ("charte", "booleen", True)
    assert lus.deduits == [
        "fiche 3, « Taux de dépistage » : code « taux-de-depistage » tiré du libellé",
        "fiche 3, « Taux de dépistage » : type « taux » tiré du libellé",
    ]


@pytest.mark.parametrize(
    ("cellule", "message"),
    [
        ("Réunions | type: entier", "type « entier » inconnu ; écrivez nombre ou taux"),
        ("Réunions | agrégation: moyenne", "agrégation « moyenne » inconnu"),
        ("Réunions | couleur: bleu", "précision « couleur: bleu » illisible"),
        ("Réunions | code: Réunions", "code « Réunions » invalide"),
        ("Nombre de réunions | cible: 1.234", "ambigu"),
        ("Réunions | référence: 8 en 2019", "écrivez « valeur (année) »"),
        ("Réunions\nRéunions", "deux indicateurs ont le code « reunions »"),
        ("| type: nombre", "n'a pas de libellé"),
    ],
)
def test_precisions_refusees(cellule: str, message: str) -> None:
    lus = lire_indicateurs(cellule, "t.xlsx:Fiches:2, cellule R2", 1)
    assert any(message in e for e in lus.erreurs), lus.erreurs
    assert all(e.startswith("t.xlsx:Fiches:2, cellule R2 : ") for e in lus.erreurs)


# --- Identifiants tels que le contrat les écrit (« A2 », « 3.1 ») --------------------------


def test_identifiants_alphanumeriques_numerotes_dans_l_ordre_naturel(
    cls, contrat_neuf: Path, tmp_path: Path
) -> None:
    # Dans le désordre, et « A10 » avant « A2 » dans l'ordre alphabétique : l'ordre naturel
    # donne A1, A2, A10, B1.
    tableau = _tableau(tmp_path, [_ligne("A10"), _ligne("B1"), _ligne("Fiche A1"), _ligne("A2")])
    r = cls("import-fiches", tableau, "--data", contrat_neuf)
    assert r.exit_code == 0, r.output
    fiches = {f.numero: f for f in charger(contrat_neuf).referentiel.fiches_valides()}
    assert {n: f.identifiant for n, f in fiches.items()} == {1: "A1", 2: "A2", 3: "A10", 4: "B1"}
    assert fiches[3].titre == "Action A10"
    (chemin,) = (contrat_neuf / "actions").glob("03-*.yaml")
    assert 'numero: 3\nidentifiant: "A10"\ntitre: Action A10\n' in chemin.read_text()
    valide = cls("validate", "--data", contrat_neuf)
    assert valide.exit_code == 0, valide.output
    assert "identifiant" not in valide.output
    montre = cls("show", "A10", "--data", contrat_neuf)
    assert montre.exit_code == 0 and "FICHE ACTION N° A10" in montre.output
    assert "Action A10" in montre.output
    rapport = cls("report", "--year", "2021", "--format", "md", "--data", contrat_neuf)
    assert rapport.exit_code == 0, rapport.output
    assert "**Fiche A10 — Action A10**" in rapport.output


def test_colonne_de_nombres_inchangee(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne(12), _ligne("FA 3")])
    assert cls("import-fiches", tableau, "--data", contrat_neuf).exit_code == 0
    fiches = charger(contrat_neuf).referentiel.fiches_valides()
    assert [(f.numero, f.identifiant) for f in fiches] == [(3, None), (12, None)]


def test_identifiant_deux_fois_sans_tenir_compte_de_la_casse(
    cls, contrat_neuf: Path, tmp_path: Path
) -> None:
    tableau = _tableau(tmp_path, [_ligne("A2"), _ligne("a2")])
    _refus(cls, contrat_neuf, tableau, "la fiche a2 est déjà à", "cellule D2", "cellule D3")


def test_identifiant_illisible(cls, contrat_neuf: Path, tmp_path: Path) -> None:
    tableau = _tableau(tmp_path, [_ligne("A 2 bis")])
    _refus(
        cls, contrat_neuf, tableau, "cellule D2", "« A 2 bis » n'est ni un numéro ni un identifiant"
    )


def test_identifiant_qui_serait_le_numero_d_une_autre_fiche(
    cls, contrat_neuf: Path, tmp_path: Path
) -> None:
    # « 2 » reçoit le rang 1 ; « B » a le rang 2 : « cls show 2 » serait ambigu.
    tableau = _tableau(tmp_path, [_ligne("2"), _ligne("B")])
    _refus(
        cls,
        contrat_neuf,
        tableau,
        "cellule D2",
        "l'identifiant « 2 » est le numéro d'une autre fiche",
    )


def test_modele_montre_un_identifiant(cls, tmp_path: Path) -> None:
    sortie = tmp_path / "modele.xlsx"
    assert cls("import-fiches", "--template", "-o", sortie).exit_code == 0
    aide = load_workbook(sortie)["Mode d'emploi"]
    lignes = {r[0]: r for r in aide.iter_rows(values_only=True)}
    assert lignes["Numéro"][3] == "A2"
    assert "A2 avant A10" in lignes["Numéro"][2]
