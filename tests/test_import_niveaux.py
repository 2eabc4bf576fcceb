"""cls import-fiches suit la structure déclarée du contrat : 1, 2 ou 3 niveaux (ticket 22).

Chaque contrat est créé par ``cls init --niveaux N`` ; le tableau est construit ici, avec
openpyxl, à réponse connue. Le contrat à trois niveaux de Chartres, recréé champ par
champ, est dans tests/test_import_fiches.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from cls_cli.colonnes_fiches import colonnes_du_tableau
from cls_cli.lecture_types import normaliser_entete

AUTRES = ["Numéro", "Intitulé", "Nature", "Porteurs", "Description", "Territoire", "Calendrier"]
AUTRES += ["Financement"]


def _contrat(cls: Any, tmp_path: Path, niveaux: int) -> Path:
    r = cls(
        "init", tmp_path / "cls", "--nom", "CLS de Valbourg", "--debut", "2026", "--fin", "2031",
        "--niveaux", niveaux,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return tmp_path / "cls" / "data"


def _tableau(tmp_path: Path, entetes: list[str], lignes: list[list[Any]]) -> Path:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Fiches"
    feuille.append(entetes)
    for ligne in lignes:
        feuille.append(ligne)
    chemin = tmp_path / "t.xlsx"
    classeur.save(chemin)
    return chemin


def _fiche(numero: int) -> list[Any]:
    return [
        numero,
        f"Action {numero}",
        "nouvelle",
        "Ville de Valbourg",
        "Une action",
        "Valbourg",
    ] + [
        "2026",
        "Ville",
    ]


def _detail(cls: Any, racine: Path) -> list[str]:
    """Les titres et les fiches de la partie « Détail par axe » du rapport md, dans l'ordre."""
    r = cls("report", "--data", racine, "--year", "2026", "--format", "md")
    assert r.exit_code == 0, r.output
    detail = r.stdout.split("## Détail par axe")[1].split("\n## ")[0]
    return re.findall(r"^(#{3,5} .*|\*\*Fiche .*\*\*)$", detail, re.MULTILINE)


def _objectifs(racine: Path) -> dict[str, str]:
    """Numéro de fiche -> son objectif: (le code du niveau le plus bas)."""
    sortie = {}
    for chemin in sorted((racine / "actions").glob("*.yaml")):
        doc = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        sortie[str(doc["numero"])] = doc["objectif"]
    return sortie


def _axes(racine: Path) -> Any:
    return yaml.safe_load((racine / "axes.yaml").read_text(encoding="utf-8"))


def _fichiers(racine: Path) -> dict[str, bytes]:
    return {
        p.relative_to(racine).as_posix(): p.read_bytes()
        for p in sorted(racine.rglob("*"))
        if p.is_file() and ".cls" not in p.parts
    }


def _refus(cls: Any, racine: Path, tableau: Path, *messages: str) -> str:
    avant = _fichiers(racine)
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 1, r.output
    assert "rien n'a été écrit" in r.output
    sortie = " ".join(r.output.split())  # sans les retours à la ligne de l'affichage
    for message in messages:
        assert message in sortie, sortie
    assert _fichiers(racine) == avant
    return sortie


# --- De bout en bout : init --niveaux N, import-fiches, validate, report --------------------


def test_un_niveau_les_fiches_sous_leurs_axes(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(
        tmp_path,
        ["Axe", *AUTRES],
        [
            ["B – Accès aux soins", *_fiche(3)],
            ["A – Prévention", *_fiche(1)],
            ["A – Prévention", *_fiche(2)],
            ["B – Accès aux soins", *_fiche(4)],
        ],
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 0, r.output
    assert "4 fiches créées" in r.output
    assert _axes(racine) == {
        "axes": [
            {"code": "A", "libelle": "Prévention"},
            {"code": "B", "libelle": "Accès aux soins"},
        ]
    }
    assert _objectifs(racine) == {"1": "A", "2": "A", "3": "B", "4": "B"}
    v = cls("validate", "--data", racine)
    assert v.exit_code == 0, v.output
    assert _detail(cls, racine) == [
        "### Axe A – Prévention",
        "**Fiche 1 — Action 1**",
        "**Fiche 2 — Action 2**",
        "### Axe B – Accès aux soins",
        "**Fiche 3 — Action 3**",
        "**Fiche 4 — Action 4**",
    ]


@pytest.mark.parametrize("entete", ["Objectif", "Objectif général"])
def test_deux_niveaux_les_fiches_sous_leurs_objectifs(cls, tmp_path: Path, entete: str) -> None:
    racine = _contrat(cls, tmp_path, 2)
    tableau = _tableau(
        tmp_path,
        ["Axe", entete, *AUTRES],
        [
            ["II – Santé mentale", "II-10 Former les professionnels", *_fiche(3)],
            ["I – Nutrition", "I-1 Manger mieux", *_fiche(1)],
            ["II – Santé mentale", "II-2 Repérer la souffrance", *_fiche(2)],
        ],
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 0, r.output
    assert "3 fiches créées" in r.output
    assert _axes(racine) == {
        "axes": [
            {
                "code": "I",
                "libelle": "Nutrition",
                "objectifs": [{"code": "I-1", "libelle": "Manger mieux"}],
            },
            {
                "code": "II",
                "libelle": "Santé mentale",
                "objectifs": [  # ordre naturel : II-2 avant II-10
                    {"code": "II-2", "libelle": "Repérer la souffrance"},
                    {"code": "II-10", "libelle": "Former les professionnels"},
                ],
            },
        ]
    }
    assert _objectifs(racine) == {"1": "I-1", "2": "II-2", "3": "II-10"}
    v = cls("validate", "--data", racine)
    assert v.exit_code == 0, v.output
    assert _detail(cls, racine) == [
        "### Axe I – Nutrition",
        "#### I-1 Manger mieux",
        "**Fiche 1 — Action 1**",
        "### Axe II – Santé mentale",
        "#### II-2 Repérer la souffrance",
        "**Fiche 2 — Action 2**",
        "#### II-10 Former les professionnels",
        "**Fiche 3 — Action 3**",
    ]


def test_trois_niveaux_comme_avant(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 3)
    tableau = _tableau(
        tmp_path,
        ["Axe", "Objectif stratégique", "Objectif opérationnel", *AUTRES],
        [
            ["1 – Prévention", "1.1 Promouvoir", "1.1.2 Bien manger", *_fiche(2)],
            ["1 – Prévention", "1.1 Promouvoir", "1.1.1 Bouger", *_fiche(1)],
        ],
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 0, r.output
    assert _axes(racine) == {
        "axes": [
            {
                "code": "1",
                "libelle": "Prévention",
                "objectifs_strategiques": [
                    {
                        "code": "1.1",
                        "libelle": "Promouvoir",
                        "objectifs_operationnels": [
                            {"code": "1.1.1", "libelle": "Bouger"},
                            {"code": "1.1.2", "libelle": "Bien manger"},
                        ],
                    }
                ],
            }
        ]
    }
    assert _objectifs(racine) == {"1": "1.1.1", "2": "1.1.2"}
    v = cls("validate", "--data", racine)
    assert v.exit_code == 0, v.output
    assert _detail(cls, racine) == [
        "### Axe 1 – Prévention",
        "#### 1.1 Promouvoir",
        "##### 1.1.1 Bouger",
        "**Fiche 1 — Action 1**",
        "##### 1.1.2 Bien manger",
        "**Fiche 2 — Action 2**",
    ]


def test_sans_contrat_yaml_trois_niveaux(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    (racine / "contrat.yaml").unlink()
    tableau = _tableau(tmp_path, ["Axe", *AUTRES], [["A – Prévention", *_fiche(1)]])
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 1
    assert "« Objectif stratégique », « Objectif opérationnel »" in r.output


# --- Les refus -------------------------------------------------------------------------------


def test_un_niveau_colonne_objectif_strategique_remplie(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(
        tmp_path,
        ["Axe", "Objectif stratégique", *AUTRES],
        [["A – Prévention", None, *_fiche(1)], ["A – Prévention", "1.1 Promouvoir", *_fiche(2)]],
    )
    _refus(
        cls,
        racine,
        tableau,
        "t.xlsx:Fiches, cellule B3 (Objectif stratégique) : le contrat déclare 1 niveau "
        "(contrat.yaml, structure) : la colonne « Objectif stratégique » n'a pas sa place "
        "(1 cellule(s) remplie(s)) ; videz-la, ou déclarez 3 niveaux (structure: [axe, "
        "objectif_strategique, objectif_operationnel])",
    )


def test_un_niveau_colonne_objectif_vide_toleree(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(
        tmp_path, ["Axe", "Objectif", *AUTRES], [["A – Prévention", None, *_fiche(1)]]
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 0, r.output
    assert _objectifs(racine) == {"1": "A"}


def test_deux_niveaux_colonne_objectif_operationnel_remplie(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 2)
    tableau = _tableau(
        tmp_path,
        ["Axe", "Objectif", "Objectif opérationnel", *AUTRES],
        [["I – Nutrition", "I-1 Manger", "I-1-a Cantines", *_fiche(1)]],
    )
    _refus(
        cls,
        racine,
        tableau,
        "cellule C2 (Objectif opérationnel) : le contrat déclare 2 niveaux",
        "la colonne « Objectif opérationnel » n'a pas sa place",
        "déclarez 3 niveaux",
    )


@pytest.mark.parametrize(
    ("niveaux", "entetes", "absentes"),
    [
        (1, AUTRES, "« Axe »"),
        (2, ["Axe", *AUTRES], "« Objectif »"),
        (3, ["Axe", *AUTRES], "« Objectif stratégique », « Objectif opérationnel »"),
    ],
)
def test_colonnes_des_niveaux_obligatoires(
    cls, tmp_path: Path, niveaux: int, entetes: list[str], absentes: str
) -> None:
    racine = _contrat(cls, tmp_path, niveaux)
    r = cls("import-fiches", _tableau(tmp_path, entetes, []), "--data", racine)
    assert r.exit_code == 1
    assert f"colonnes absentes ou renommées : {absentes}" in " ".join(r.output.split())


def test_cellule_de_niveau_vide_nommee(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 3)
    tableau = _tableau(
        tmp_path,
        ["Axe", "Objectif stratégique", "Objectif opérationnel", *AUTRES],
        [["1 – Prévention", None, "1.1.1 Bouger", *_fiche(1)]],
    )
    _refus(
        cls,
        racine,
        tableau,
        "t.xlsx:Fiches, cellule B2 (Objectif stratégique) : vide ; écrivez le code puis le "
        "libellé : « 1.1 Promouvoir la santé »",
    )


def test_cellule_de_niveau_illisible_nommee(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(tmp_path, ["Axe", *AUTRES], [["Prévention", *_fiche(1)]])
    _refus(
        cls,
        racine,
        tableau,
        "t.xlsx:Fiches, cellule A2 (Axe) : « Prévention » illisible ; écrivez le code puis le "
        "libellé : « 1 – Promotion de la santé »",
    )


def test_cellules_obligatoires_vides_nommees(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(
        tmp_path,
        ["Axe", *AUTRES],
        [
            ["A – Prévention", 1, None, "nouvelle", None, "Une action", "Ici", "2026", "Ville"],
            ["A – Prévention", None, *_fiche(2)[1:]],
            ["A – Prévention", *_fiche(3)[:-1], None],  # Financement vide : non précisé
        ],
    )
    sortie = _refus(
        cls,
        racine,
        tableau,
        "t.xlsx:Fiches, cellule C2 (Intitulé) : vide ; écrivez l'intitulé de l'action",
        "t.xlsx:Fiches, cellule E2 (Porteurs) : vide ; écrivez un organisme par ligne",
        "t.xlsx:Fiches, cellule B3 (Numéro) : vide ; écrivez le numéro de la fiche-action",
    )
    assert "champ « titre »" not in sortie and "champ « porteurs »" not in sortie
    assert "Financement" not in sortie  # facultative : vide, elle vaut « non_precise »


def test_csv_cellule_vide_nomme_la_colonne(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 2)
    tableau = tmp_path / "t.csv"
    tableau.write_text(
        "Axe;Objectif;Numéro;Intitulé;Nature;Porteurs\nI – Nutrition;;1;Action 1;nouvelle;Ville\n",
        encoding="utf-8",
    )
    _refus(cls, racine, tableau, "t.csv:2, colonne « Objectif » : vide ; écrivez le code")


def test_contrat_yaml_invalide_refuse(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 2)
    contrat = racine / "contrat.yaml"
    texte = contrat.read_text(encoding="utf-8")
    contrat.write_text(texte.replace("[axe, objectif]", "[axe, objectif_operationnel]"))
    tableau = _tableau(tmp_path, ["Axe", "Objectif", *AUTRES], [])
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 1, r.output
    sortie = " ".join(r.output.split())
    assert "contrat.yaml" in sortie and "combien de niveaux" in sortie
    r = cls("import-fiches", "--template", "-o", tmp_path / "m.xlsx", "--data", racine)
    assert r.exit_code == 1 and not (tmp_path / "m.xlsx").exists()


# --- Le modèle (--template) suit la structure de l'arbre ------------------------------------


@pytest.mark.parametrize(
    ("niveaux", "colonnes", "mots"),
    [
        (1, ["Axe"], "1 niveau"),
        (2, ["Axe", "Objectif"], "2 niveaux"),
        (3, ["Axe", "Objectif stratégique", "Objectif opérationnel"], "3 niveaux"),
    ],
)
def test_le_modele_montre_les_niveaux_du_contrat(
    cls, tmp_path: Path, niveaux: int, colonnes: list[str], mots: str
) -> None:
    racine = _contrat(cls, tmp_path, niveaux)
    sortie = tmp_path / "modele.xlsx"
    r = cls("import-fiches", "--template", "-o", sortie, "--data", racine)
    assert r.exit_code == 0, r.output
    assert f"le contrat déclare {mots}" in r.output
    classeur = load_workbook(sortie)
    entetes = [c.value for c in classeur["Fiches"][1]]
    assert entetes[: niveaux + 2] == [*colonnes, "Numéro", "Intitulé"]
    aide = {r[0]: r for r in classeur["Mode d'emploi"].iter_rows(values_only=True)}
    assert f"Le contrat déclare {mots} au-dessus des fiches" in aide["Niveaux"][2]
    assert all(aide[c][1] == "oui" for c in colonnes)
    # le modèle, rempli d'une ligne, s'importe
    codes = {"Axe": "1 – Prévention", "Objectif": "1.1 Promouvoir"}
    codes |= {"Objectif stratégique": "1.1 Promouvoir", "Objectif opérationnel": "1.1.1 Bouger"}
    valeurs = dict(zip(AUTRES, _fiche(1), strict=True)) | codes
    classeur["Fiches"].append([valeurs.get(e) for e in entetes])
    classeur.save(sortie)
    r = cls("import-fiches", sortie, "--data", racine)
    assert r.exit_code == 0, r.output
    assert cls("validate", "--data", racine).exit_code == 0


# --- Les en-têtes partagés vont au niveau que le contrat a ----------------------------------


def _cles(structure: tuple[Any, ...]) -> dict[str, str]:
    return {normaliser_entete(e): c for c, e in colonnes_du_tableau(structure)}


def test_en_tetes_partages_selon_la_structure() -> None:
    deux, trois = (
        _cles(("axe", "objectif")),
        _cles(("axe", "objectif_strategique", "objectif_operationnel")),
    )
    assert deux["objectif"] == "objectif" and deux["objectif general"] == "objectif"
    assert deux["objectif strategique"] == "objectif_strategique"
    assert trois["objectif"] == "objectif_operationnel"
    assert trois["objectif general"] == "objectif_strategique"
    # chaque en-tête a une seule clé
    assert len(colonnes_du_tableau(("axe",))) == len(_cles(("axe",)))


def test_cellules_descriptives_vides_non_precisees(cls, tmp_path: Path) -> None:
    """Seules les colonnes obligatoires remplies : ce que le tableau ne dit pas devient
    « non_precise » (jamais un porteur, jamais une valeur inventée), la nature est omise, et
    le compte rendu le dit ; « Non précisé » écrit dans une cellule vaut de même."""
    racine = _contrat(cls, tmp_path, 1)
    entetes = ["Axe", "Numéro", "Intitulé", "Porteurs", "Partenaires", "Public", "Nature"]
    tableau = _tableau(
        tmp_path,
        entetes,
        [
            ["1 Prévention", "A1", "Ateliers", "CCAS", None, None, None],
            ["1 Prévention", "A2", "Sport", "Non précisé", "Club", "non_precise", "nouvelle"],
        ],
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 0, r.output
    assert "« Description » non précisé par le tableau (non_precise) : fiche(s) A1, A2" in r.output
    assert "« Public » non précisé par le tableau (non_precise) : fiche(s) A1, A2" in r.output
    a1, a2 = (
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((racine / "actions").glob("*.yaml"))
    )
    for champ in ("description", "public_cible", "territoire", "calendrier", "ressources"):
        assert a1[champ] == a2[champ] == "non_precise", champ
    assert "nature" not in a1 and a2["nature"] == "nouvelle"
    assert (a1["porteurs"], a1["partenaires"]) == (["CCAS"], [])  # vide : aucun partenaire
    assert (a2["porteurs"], a2["partenaires"]) == ("non_precise", ["Club"])
    validation = cls("validate", "--data", racine)
    assert validation.exit_code == 0
    assert "la fiche A1 n'a aucun indicateur d'évaluation" in validation.output  # pas « 1 »


def test_budget_sans_financement_refuse(cls, tmp_path: Path) -> None:
    racine = _contrat(cls, tmp_path, 1)
    tableau = _tableau(
        tmp_path,
        ["Axe", "Numéro", "Intitulé", "Porteurs", "Budget", "Nature"],
        [["1 Prévention", 1, "Ateliers", "CCAS", 1500, "inconnue"]],
    )
    r = cls("import-fiches", tableau, "--data", racine)
    assert r.exit_code == 1
    sortie = " ".join(r.output.split())
    assert "vide, mais le Budget est rempli" in sortie
    assert "nature « inconnue » ; écrivez nouvelle, existante ou mixte, ou laissez" in sortie
    assert not list((racine / "actions").glob("*.yaml"))
