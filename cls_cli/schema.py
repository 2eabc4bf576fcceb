"""Les schémas JSON des fichiers de données, produits à partir des modèles pydantic.

Les éditeurs (VS Code avec l'extension YAML, etc.) les lisent grâce à la première ligne
des fichiers (``# yaml-language-server: $schema=…``) pour compléter et vérifier la saisie.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from cls_cli.evaluations import Evaluation, Instance
from cls_cli.modeles import Axes, Contrat, Fiche
from cls_cli.porteurs import Registre

#: nom du fichier de schéma -> modèle
SCHEMAS: dict[str, type[BaseModel]] = {
    "fiche.schema.json": Fiche,
    "axes.schema.json": Axes,
    "contrat.schema.json": Contrat,
    "evaluation.schema.json": Evaluation,
    "instance.schema.json": Instance,
    "porteurs.schema.json": Registre,
}
TITRES = {
    "fiche.schema.json": "Fiche-action d'un Contrat Local de Santé (data/actions/NN-titre.yaml)",
    "axes.schema.json": "Axes et objectifs d'un Contrat Local de Santé (data/axes.yaml)",
    "contrat.schema.json": "Contrat Local de Santé (data/contrat.yaml)",
    "evaluation.schema.json": "Évaluation d'un Contrat Local de Santé (data/evaluations/ID.yaml)",
    "instance.schema.json": "Réunion d'une instance du Contrat Local de Santé "
    "(data/instances/AAAA-MM-JJ-type.yaml)",
    "porteurs.schema.json": "Registre des porteurs d'un Contrat Local de Santé "
    "(data/porteurs.yaml)",
}


def schema(nom: str) -> dict[str, Any]:
    """Le schéma JSON (draft 2020-12) du fichier ``nom``."""
    contenu = SCHEMAS[nom].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITRES[nom],
        **{k: v for k, v in contenu.items() if k != "title"},
    }


def texte(nom: str) -> str:
    return json.dumps(schema(nom), ensure_ascii=False, indent=2) + "\n"
