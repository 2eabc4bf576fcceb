"""Les schémas JSON des fichiers de données et du rapport JSON, produits à partir des
modèles pydantic.

Les éditeurs (VS Code avec l'extension YAML, etc.) les lisent grâce à la première ligne
des fichiers (``# yaml-language-server: $schema=…``) pour compléter et vérifier la saisie.

Cette ligne désigne un schéma **du dépôt de données**, jamais du dépôt de l'outil : un dépôt
de données contient ``data/`` (``axes.yaml``, ``contrat.yaml``, ``actions/``) et, à côté,
``schemas/``, que ``cls schema --install`` écrit. Le chemin est relatif au fichier
(``../../schemas/fiche.schema.json`` depuis ``data/actions/``) : il reste juste quand on
déplace ou clone le dépôt.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from cls_cli.avenants import Avenant
from cls_cli.evaluations import Evaluation, Instance
from cls_cli.modele_rapport import Rapport
from cls_cli.modeles import Axes, Contrat, Fiche
from cls_cli.porteurs import Registre

#: nom du fichier de schéma -> modèle
SCHEMAS: dict[str, type[BaseModel]] = {
    "fiche.schema.json": Fiche,
    "axes.schema.json": Axes,
    "contrat.schema.json": Contrat,
    "avenant.schema.json": Avenant,
    "evaluation.schema.json": Evaluation,
    "instance.schema.json": Instance,
    "porteurs.schema.json": Registre,
    "rapport.schema.json": Rapport,  # une sortie, pas un fichier de données : cls report -f json
}
#: Le dossier des schémas d'un dépôt de données, à côté de son dossier de données.
DOSSIER_SCHEMAS = "schemas"
#: Le schéma de chaque fichier de données, et sa profondeur sous le dossier de données.
FICHIERS = {
    "fiche.schema.json": 2,  # data/actions/NN-titre.yaml
    "axes.schema.json": 1,  # data/axes.yaml
    "contrat.schema.json": 1,  # data/contrat.yaml
    "evaluation.schema.json": 2,  # data/evaluations/ID.yaml
    "instance.schema.json": 2,  # data/instances/AAAA-MM-JJ-type.yaml
    "avenant.schema.json": 2,  # data/avenants/N.yaml
    "porteurs.schema.json": 1,  # data/porteurs.yaml
}
TITRES = {
    "fiche.schema.json": "Fiche-action d'un Contrat Local de Santé (data/actions/NN-titre.yaml)",
    "axes.schema.json": "Axes et objectifs d'un Contrat Local de Santé (data/axes.yaml)",
    "contrat.schema.json": "Contrat Local de Santé (data/contrat.yaml)",
    "evaluation.schema.json": "Évaluation d'un Contrat Local de Santé (data/evaluations/ID.yaml)",
    "instance.schema.json": "Réunion d'une instance du Contrat Local de Santé "
    "(data/instances/AAAA-MM-JJ-type.yaml)",
    "avenant.schema.json": "Avenant au Contrat Local de Santé (data/avenants/N.yaml)",
    "porteurs.schema.json": "Registre des porteurs d'un Contrat Local de Santé "
    "(data/porteurs.yaml)",
    "rapport.schema.json": "Rapport annuel d'un Contrat Local de Santé (cls report --format json)",
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


def dossier_schemas(valeurs: Path) -> Path:
    """Le dossier ``schemas/`` du dépôt de données dont ``valeurs`` est le dossier de données."""
    return valeurs.resolve().parent / DOSSIER_SCHEMAS


def ligne_schema(nom: str) -> str:
    """La première ligne d'un fichier de données : son schéma ``nom`` dans ``schemas/``,
    relatif au fichier (``../../schemas/fiche.schema.json`` pour une fiche)."""
    remonter = "../" * FICHIERS[nom]
    return f"# yaml-language-server: $schema={remonter}{DOSSIER_SCHEMAS}/{nom}\n"


def schema_manquant(valeurs: Path, nom: str) -> Path | None:
    """Le fichier du schéma ``nom`` dans le dépôt de données s'il n'existe pas encore
    (la première ligne des fichiers le désigne : ``cls schema --install`` l'écrit)."""
    chemin = dossier_schemas(valeurs) / nom
    return None if chemin.is_file() else chemin
