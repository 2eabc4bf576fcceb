"""Les schémas JSON livrés dans schemas/ sont à jour et désignés par les fichiers de données."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cls_cli.schema import SCHEMAS, texte
from tests.conftest import DATA, DEMO, RACINE


@pytest.mark.parametrize("nom", SCHEMAS)
def test_schema_livre_a_jour(nom: str) -> None:
    assert (RACINE / "schemas" / nom).read_text(encoding="utf-8") == texte(nom), (
        "lancez « cls schema -o schemas » et validez le résultat"
    )


def test_descriptions_en_francais() -> None:
    fiche = json.loads(texte("fiche.schema.json"))
    assert "objectif opérationnel" in fiche["properties"]["objectif"]["description"]
    assert fiche["additionalProperties"] is False


@pytest.mark.parametrize("dossier", [DATA, DEMO], ids=["data", "demo"])
def test_chaque_fichier_designe_son_schema(dossier: Path) -> None:
    for chemin in [*sorted(dossier.rglob("*.yaml"))]:
        premiere = chemin.read_text(encoding="utf-8").split("\n", 1)[0]
        assert premiere.startswith("# yaml-language-server: $schema="), chemin
        cible = (chemin.parent / premiere.split("=", 1)[1]).resolve()
        assert cible.is_file(), f"{chemin} désigne {cible}, qui n'existe pas"


def test_commande_schema(cls, tmp_path: Path) -> None:
    resultat = cls("schema", "-o", tmp_path)
    assert resultat.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCHEMAS)
    assert json.loads(cls("schema").output)["title"].startswith("Fiche-action")


def test_modeline_du_registre_suit_la_regle_des_schemas() -> None:
    """porteurs.py ne peut pas importer schema.py (qui importe son modèle) : sa ligne de
    schéma, écrite en dur, doit rester celle que donne la règle commune."""
    from cls_cli.porteurs import MODELINE_PORTEURS
    from cls_cli.schema import ligne_schema

    assert MODELINE_PORTEURS + "\n" == ligne_schema("porteurs.schema.json")
