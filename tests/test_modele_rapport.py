"""Le modèle typé du rapport : le JSON est ce modèle sérialisé, valide contre son schéma
publié ; les formats et langues sont vérifiés avant le chargement des données."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from cls_cli.avenants import charger_avenants
from cls_cli.chargement import charger
from cls_cli.decompte import FicheEcartee
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.modele_rapport import VERSION, Rapport
from cls_cli.rapport import construire
from cls_cli.rendu import rendre
from cls_cli.schema import schema
from tests import golden
from tests.conftest import DEMO


def _modele(annee: int, debut: int | None = None, **options: Any) -> Rapport:
    return construire(
        charger(DEMO).referentiel,
        annee,
        golden.DATE,
        golden.ORIGINE,
        debut,
        avenants=charger_avenants(DEMO).valides(),
        **options,
    )


def _ecartee() -> FicheEcartee:
    probleme = Probleme("actions/99-x.yaml", 3, 5, Niveau.ERREUR, "statut inconnu", "corrigez")
    return FicheEcartee("actions/99-x.yaml", (probleme,))


CAS = {
    "2021": lambda: _modele(2021),
    "2023-depuis-2020": lambda: _modele(2023, 2020),
    "mi-parcours-2022": lambda: _modele(2022, 2020),
    "partiel": lambda: _modele(2021, ecartees=[_ecartee()]),
}


@pytest.mark.parametrize("cas", CAS)
def test_json_valide_contre_le_schema_publie(cas: str) -> None:
    donnees = json.loads(rendre(CAS[cas](), "json"))
    validateur = jsonschema.Draft202012Validator(schema("rapport.schema.json"))
    erreurs = [f"{list(e.absolute_path)} : {e.message}" for e in validateur.iter_errors(donnees)]
    assert erreurs == []
    assert donnees["version"] == VERSION


def test_le_schema_refuse_un_rapport_altere() -> None:
    """Le test de validation peut échouer : un champ en trop ou d'un autre type est refusé."""
    validateur = jsonschema.Draft202012Validator(schema("rapport.schema.json"))
    donnees = json.loads(rendre(_modele(2021), "json"))
    assert validateur.is_valid(donnees)
    assert not validateur.is_valid({**donnees, "inconnu": 1})
    donnees["axes"][0]["avancement"] = "beaucoup"
    assert not validateur.is_valid(donnees)
    del donnees["axes"]
    assert not validateur.is_valid(donnees)


def _comparer(modele: Any, json_: Any, chemin: str) -> None:
    """Champ à champ : chaque champ du modèle est dans le JSON avec la même valeur, et le
    JSON n'a rien de plus."""
    if isinstance(modele, BaseModel):
        assert isinstance(json_, dict), chemin
        champs = {nom for nom in type(modele).model_fields if getattr(modele, nom) is not None} | {
            nom for nom in type(modele).model_fields if nom in json_
        }
        assert set(json_) == champs, chemin
        for nom in champs:
            _comparer(getattr(modele, nom), json_[nom], f"{chemin}.{nom}")
    elif dataclasses.is_dataclass(modele) and not isinstance(modele, type):
        _comparer(dataclasses.asdict(modele), json_, chemin)
    elif isinstance(modele, dict):
        assert isinstance(json_, dict) and list(json_) == list(modele), chemin
        for cle, valeur in modele.items():
            _comparer(valeur, json_[cle], f"{chemin}[{cle}]")
    elif isinstance(modele, list):
        assert isinstance(json_, list) and len(json_) == len(modele), chemin
        for i, (m, j) in enumerate(zip(modele, json_, strict=True)):
            _comparer(m, j, f"{chemin}[{i}]")
    elif isinstance(modele, dt.date):
        assert json_ == modele.isoformat(), chemin
    else:
        assert type(json_) is type(modele) and json_ == modele, chemin


@pytest.mark.parametrize("cas", CAS)
def test_json_egale_le_modele_champ_a_champ(cas: str) -> None:
    modele = CAS[cas]()
    texte = rendre(modele, "json")
    _comparer(modele, json.loads(texte), "rapport")
    assert Rapport.model_validate_json(texte) == modele  # et le JSON se relit en modèle


@pytest.mark.parametrize(
    "avancement", [None, 12.5, 110.00000000000001, 0.00012, 1.5e-05, 1e-06, 3.4e-08, 1e-12, 2e16]
)
def test_json_au_caractere_pres_celui_de_json_dumps(avancement: float | None) -> None:
    """Le JSON sérialisé par pydantic est, au caractère près, celui de ``json.dumps`` (indent
    2, non-ASCII tel quel) : y compris les petits nombres que pydantic écrit autrement
    (« 0.000015 », « 1e-6 ») et que ``json`` écrit « 1.5e-05 », « 1e-06 », dans la tête du
    rapport comme dans une action (sérialisée à part, puis mise en retrait)."""
    r = _modele(2023, 2020)
    action = r.actions[1].model_copy(update={"avancement": avancement})
    r = r.model_copy(
        update={
            "contrat": r.contrat.model_copy(update={"avancement": avancement}),
            "actions": [r.actions[0], action, *r.actions[2:]],
        }
    )
    attendu = json.dumps(r.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    assert rendre(r, "json") == attendu


def test_fiches_ecartees_seulement_si_il_y_en_a() -> None:
    assert "fiches_ecartees" not in json.loads(rendre(_modele(2021), "json"))
    partiel = json.loads(rendre(CAS["partiel"](), "json"))
    assert partiel["fiches_ecartees"] == [
        {
            "fichier": "actions/99-x.yaml",
            "problemes": [
                {"ligne": 3, "colonne": 5, "message": "statut inconnu ; correction : corrigez"}
            ],
        }
    ]


def test_valeurs_typees_du_modele() -> None:
    r = _modele(2021)
    assert r.date == golden.DATE and r.annee == 2021
    assert r.axes[0].code == "1" and isinstance(r.axes[0].avancement, float)
    action = next(a for a in r.actions if a.indicateurs)
    assert action.indicateurs[0].mesures == sorted(
        action.indicateurs[0].mesures, key=lambda m: m.annee
    )


def test_rendus_lisent_le_modele() -> None:
    """Markdown et HTML rendent le même modèle que le JSON (aucun dictionnaire à part)."""
    r = _modele(2021)
    for format_ in ("md", "html"):
        assert r.titre in rendre(r, format_)


def test_schema_rapport_dans_cls_schema(cls, tmp_path: Path) -> None:
    assert cls("schema", "-o", tmp_path).exit_code == 0
    publie = json.loads((tmp_path / "rapport.schema.json").read_text(encoding="utf-8"))
    assert publie["title"].startswith("Rapport annuel")
    assert {"version", "axes", "actions", "contrat"} <= set(publie["properties"])


@pytest.mark.parametrize(
    ("options", "attendu"),
    [
        (("-f", "pdf"), "format inconnu « pdf » : choisissez parmi md, html ou json"),
        (("-o", "rapport.pdf"), "format inconnu « pdf »"),
        (("--lang", "de"), "langue inconnue « de » : choisissez parmi fr ou en"),
    ],
)
def test_format_et_langue_verifies_avant_de_charger(
    cls, tmp_path: Path, options: tuple[str, ...], attendu: str
) -> None:
    """Le dossier de données n'existe pas : l'erreur d'usage vient avant toute lecture."""
    absent = tmp_path / "absent"
    resultat = cls("report", "--year", "2021", "--data", absent, *options)
    assert resultat.exit_code == 2, resultat.output
    assert attendu in " ".join(resultat.output.split())
    assert not (tmp_path / "rapport.pdf").exists()


@pytest.mark.parametrize(
    ("nom", "debut"), [("r.htm", "<!DOCTYPE html>"), ("r.markdown", "# "), ("r.JSON", "{")]
)
def test_format_d_apres_les_extensions_enregistrees(
    cls, tmp_path: Path, nom: str, debut: str
) -> None:
    sortie = tmp_path / nom
    assert cls("report", "--year", "2021", "--data", DEMO, "-o", sortie).exit_code == 0
    assert sortie.read_text(encoding="utf-8").startswith(debut)


def test_aide_des_formats_vient_du_registre(cls) -> None:
    for commande in (("report",), ("evaluate", "report")):
        aide = " ".join(cls(*commande, "--help").output.split())
        assert "md, html ou json" in aide, commande
    assert "md ou html" in " ".join(cls("bulletin", "--help").output.split())


def test_ensembles_de_champs_partages_sans_fuite() -> None:
    """Les objets du rapport partagent leur ``model_fields_set`` (mémoire) : une copie
    modifiée n'en change aucun autre, et le JSON reste celui d'avant la copie."""
    r = _modele(2023, 2020)
    a, b = (i.mesures[0] for i in (r.actions[0].indicateurs[0], r.actions[1].indicateurs[0]))
    assert a.model_fields_set is b.model_fields_set
    champs = set(a.model_fields_set)
    copie = a.model_copy(update={"valeur": 1})
    assert copie.model_fields_set == champs and a.model_fields_set == champs
    assert b.model_fields_set == champs
    assert r.model_copy(update={"titre": "autre"}).model_fields_set >= r.model_fields_set


def test_json_sans_action_au_caractere_pres() -> None:
    r = _modele(2021).model_copy(update={"actions": []})
    attendu = json.dumps(r.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    assert rendre(r, "json") == attendu
