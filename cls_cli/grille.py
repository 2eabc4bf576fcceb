"""Les critères d'évaluation, leurs questions types, et la grille de départ d'une évaluation.

Les critères et leurs questions sont des données livrées avec le paquet
(``cls_cli/donnees/questions.yaml``), lues par :func:`criteres`. :func:`grille` en tire le
texte YAML d'une évaluation à remplir : les questions types de chaque critère, et pour
l'efficacité une question par axe qui couvre ses fiches, constats et jugements vides.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field

from cls_cli.evaluations import CRITERES, TYPES_EVALUATION, Critere
from cls_cli.modeles import Axes, Contrat, Modele, Texte
from cls_cli.schema import ligne_schema

LIGNE_SCHEMA = ligne_schema("evaluation.schema.json")

#: Le préfixe des codes de questions de chaque critère (EFF-1, GOU-2…).
PREFIXES: dict[str, str] = {
    "pertinence": "PER",
    "coherence_interne": "COI",
    "coherence_externe": "COE",
    "efficacite": "EFF",
    "efficience": "EFN",
    "impact": "IMP",
    "gouvernance": "GOU",
}


class QuestionType(Modele):
    question: Texte
    criteres_de_jugement: list[Texte] = Field(default_factory=list)
    sources: list[Texte] = Field(default_factory=list)


class CritereType(Modele):
    libelle: Texte
    definition: Texte
    questions: list[QuestionType] = Field(default_factory=list)
    par_axe: QuestionType | None = None


class Catalogue(Modele):
    criteres: Annotated[dict[Critere, CritereType], Field(min_length=len(CRITERES))]


@cache
def criteres() -> dict[str, CritereType]:
    """Les critères, dans l'ordre de :data:`~cls_cli.evaluations.CRITERES`."""
    from ruamel.yaml import YAML

    texte = resources.files("cls_cli").joinpath("donnees/questions.yaml").read_text("utf-8")
    catalogue = Catalogue.model_validate(YAML(typ="safe").load(texte))
    return {c: catalogue.criteres[c] for c in CRITERES}


def _question(code: str, critere: str, q: QuestionType, portee: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": code,
        "critere": critere,
        "question": q.question,
        **({"portee": portee} if portee else {}),
        "criteres_de_jugement": list(q.criteres_de_jugement),
        "indicateurs": [],
        "sources": list(q.sources),
        "constats": None,
        "jugement": None,
        "justification": None,
    }


def questions_de_depart(axes: Axes) -> list[dict[str, Any]]:
    """Les questions types de chaque critère (une par axe pour l'efficacité)."""
    resultat = []
    for critere, ct in criteres().items():
        prefixe = PREFIXES[critere]
        liste: list[tuple[QuestionType, dict[str, Any]]] = [(q, {}) for q in ct.questions]
        if ct.par_axe is not None:
            for axe in axes.axes:
                modele = ct.par_axe
                texte = modele.question.format(code=axe.code, libelle=axe.libelle)
                liste.append((modele.model_copy(update={"question": texte}), {"axes": [axe.code]}))
        for i, (q, portee) in enumerate(liste, start=1):
            resultat.append(_question(f"{prefixe}-{i}", critere, q, portee))
    return resultat


def identifiant(type_: str, fin: int) -> str:
    """Le nom de fichier (sans extension) d'une évaluation : ``mi-parcours-2022``."""
    return f"{type_}-{fin}"


def grille(
    axes: Axes, contrat: Contrat | None, type_: str, debut: int, fin: int, date: dt.date
) -> str:
    """Le texte YAML de la grille de départ d'une évaluation ``type_`` de ``debut`` à ``fin``.

    Lève ValueError (message en français) pour un type inconnu ou une période hors contrat.
    """
    if type_ not in TYPES_EVALUATION:
        raise ValueError(
            f"type d'évaluation inconnu « {type_} » : "
            f"choisissez parmi {', '.join(TYPES_EVALUATION)}"
        )
    if fin < debut:
        raise ValueError(f"la période {debut}-{fin} finit avant de commencer")
    if contrat and not contrat.periode.debut <= debut <= fin <= contrat.periode.fin:
        raise ValueError(
            f"la période {debut}-{fin} sort de celle du contrat "
            f"({contrat.periode.debut}-{contrat.periode.fin})"
        )
    from ruamel.yaml import YAML

    document = {
        "titre": f"Évaluation {type_} {debut}-{fin}",
        "type": type_,
        "periode": {"debut": debut, "fin": fin},
        "date": date,
        "pilotage": [],
        "methodes": [
            "Indicateurs de suivi des fiches-actions (cls report)",
        ],
        "calendrier": None,
        "questions": questions_de_depart(axes),
        "preconisations": [],
    }
    yaml = YAML()
    yaml.width = 4096  # une question par ligne, sans espace laissé en fin de ligne
    yaml.indent(mapping=2, sequence=4, offset=2)
    tampon = io.StringIO()
    yaml.dump(document, tampon)
    entete = (
        LIGNE_SCHEMA
        + f"# Grille de départ de l'évaluation {type_} {debut}-{fin} (cls evaluate new).\n"
        "# Pour chaque question : reformulez-la si besoin, précisez sa portée (axes, objectifs,\n"
        "# fiches), ses indicateurs (fiche/code), puis les constats, le jugement\n"
        "# (satisfaisant, partiellement_satisfaisant, insuffisant ou non_evaluable) et sa\n"
        "# justification. Ajoutez les préconisations sous « preconisations: ».\n"
    )
    return entete + tampon.getvalue()
