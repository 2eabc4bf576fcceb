"""L'évaluation du contrat lui-même et sa gouvernance : les modèles des fichiers.

- ``data/evaluations/<id>.yaml`` : une évaluation (mi-parcours, finale, thématique) ; ses
  questions évaluatives, rangées par critère, chacune avec sa portée (contrat, axes,
  objectifs, fiches), ses critères de jugement, ses indicateurs (``fiche/indicateur``), ses
  constats et son jugement sur une échelle fixe ; ses préconisations ;
- ``data/instances/<date>-<type>.yaml`` : une réunion d'une instance de gouvernance
  (COPIL, COPIL restreint, Cotech, groupe de travail) avec ses participants et décisions.

Comme pour les fiches (:mod:`cls_cli.modeles`), les modèles ne vérifient que la forme ;
les références croisées sont vérifiées par :mod:`cls_cli.regles_evaluations`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from cls_cli.modeles import CODE, Annee, Date, Modele, Periode, Texte
from cls_cli.references import DESCRIPTION_FICHES, ReferenceFiche

Critere = Literal[
    "pertinence",
    "coherence_interne",
    "coherence_externe",
    "efficacite",
    "efficience",
    "impact",
    "gouvernance",
]
CRITERES: tuple[Critere, ...] = (
    "pertinence",
    "coherence_interne",
    "coherence_externe",
    "efficacite",
    "efficience",
    "impact",
    "gouvernance",
)
Jugement = Literal["satisfaisant", "partiellement_satisfaisant", "insuffisant", "non_evaluable"]
JUGEMENTS: tuple[Jugement, ...] = (
    "satisfaisant",
    "partiellement_satisfaisant",
    "insuffisant",
    "non_evaluable",
)
TypeEvaluation = Literal["mi-parcours", "finale", "thematique"]
TYPES_EVALUATION: tuple[TypeEvaluation, ...] = ("mi-parcours", "finale", "thematique")
Priorite = Literal["haute", "moyenne", "basse"]
TypeInstance = Literal["copil", "copil_restreint", "cotech", "groupe_de_travail"]
TYPES_INSTANCE: tuple[TypeInstance, ...] = (
    "copil",
    "copil_restreint",
    "cotech",
    "groupe_de_travail",
)

CODE_QUESTION = r"^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*$"
#: Un indicateur d'une fiche : ``12/personnes-sensibilisees``.
REFERENCE_INDICATEUR = r"^[0-9]+/[a-z0-9]+(-[a-z0-9]+)*$"
CODE_OBJECTIF = CODE
CodeQuestion = Annotated[str, Field(pattern=CODE_QUESTION)]


class Portee(Modele):
    """Ce que couvre une question : des axes, des objectifs, des fiches (sans rien : le contrat)."""

    axes: list[Annotated[str, Field(pattern=CODE)]] = Field(
        default_factory=list, description='Codes d\'axes, entre guillemets (ex. "1").'
    )
    objectifs: list[Annotated[str, Field(pattern=CODE_OBJECTIF)]] = Field(
        default_factory=list,
        description='Codes d\'objectifs stratégiques ou opérationnels (ex. "1.1" ou "1.1.2").',
    )
    fiches: list[ReferenceFiche] = Field(default_factory=list, description=DESCRIPTION_FICHES)

    @property
    def contrat(self) -> bool:
        """Vrai si la portée est le contrat entier (aucun axe, objectif ni fiche)."""
        return not (self.axes or self.objectifs or self.fiches)


class Question(Modele):
    """Une question évaluative, sous un critère."""

    code: Annotated[str, Field(pattern=CODE_QUESTION)] = Field(
        description="Identifiant court, unique dans l'évaluation (ex. EFF-1)."
    )
    critere: Critere = Field(
        description="pertinence, coherence_interne, coherence_externe, efficacite, efficience, "
        "impact ou gouvernance."
    )
    question: Texte = Field(description="La question évaluative.")
    portee: Portee = Field(
        default_factory=Portee,
        description="Axes, objectifs ou fiches couverts (vide : le contrat entier).",
    )
    criteres_de_jugement: list[Texte] = Field(
        default_factory=list, description="Ce qui vaudrait réussite."
    )
    indicateurs: list[Annotated[str, Field(pattern=REFERENCE_INDICATEUR)]] = Field(
        default_factory=list,
        description="Indicateurs des fiches sur lesquels la question s'appuie "
        "(fiche/code, ex. 12/personnes-sensibilisees).",
    )
    sources: list[Texte] = Field(
        default_factory=list, description="Autres sources : enquêtes, comptes rendus…"
    )
    constats: Texte | None = Field(default=None, description="Les constats (texte libre).")
    jugement: Jugement | None = Field(
        default=None,
        description="satisfaisant, partiellement_satisfaisant, insuffisant ou non_evaluable "
        "(vide tant que la question n'est pas jugée).",
    )
    justification: Texte | None = Field(default=None, description="Pourquoi ce jugement.")


class Preconisation(Modele):
    """Une préconisation issue de l'évaluation."""

    code: Annotated[str, Field(pattern=CODE_QUESTION)] = Field(
        description="Identifiant court, unique dans l'évaluation (ex. P1)."
    )
    texte: Texte = Field(description="La préconisation.")
    questions: Annotated[
        list[Annotated[str, Field(pattern=CODE_QUESTION)]], Field(min_length=1)
    ] = Field(description="Codes des questions qui la motivent (au moins une).")
    fiches: list[ReferenceFiche] = Field(default_factory=list, description=DESCRIPTION_FICHES)
    objectifs: list[Annotated[str, Field(pattern=CODE_OBJECTIF)]] = Field(
        default_factory=list, description="Objectifs concernés."
    )
    priorite: Priorite = Field(description="haute, moyenne ou basse.")
    echeance: Date | None = Field(default=None, description="Date proposée (AAAA-MM-JJ).")
    suite: Texte | None = Field(
        default=None, description="L'avenant ou la décision qui y a donné suite."
    )


class Evaluation(Modele):
    """Une évaluation du contrat (un fichier ``data/evaluations/<id>.yaml``)."""

    titre: Texte | None = Field(default=None, description="Intitulé de l'évaluation.")
    type: TypeEvaluation = Field(description="mi-parcours, finale ou thematique.")
    periode: Periode = Field(description="Première et dernière année évaluées.")
    date: Date = Field(description="Date de l'évaluation (AAAA-MM-JJ).")
    pilotage: list[Texte] = Field(default_factory=list, description="Qui a conduit l'évaluation.")
    methodes: list[Texte] = Field(
        default_factory=list,
        description="Méthodes employées : indicateurs, questionnaires aux porteurs, "
        "entretiens, groupes de discussion…",
    )
    calendrier: Texte | None = Field(default=None, description="Calendrier de l'évaluation.")
    questions: Annotated[list[Question], Field(min_length=1)] = Field(
        description="Les questions évaluatives (au moins une)."
    )
    preconisations: list[Preconisation] = Field(
        default_factory=list, description="Les préconisations."
    )

    @model_validator(mode="after")
    def _ordre(self) -> Evaluation:
        if self.periode.fin < self.periode.debut:
            raise ValueError("la dernière année de la période précède la première")
        return self


class Decision(Modele):
    """Une décision prise en séance."""

    texte: Texte = Field(description="La décision.")
    fiches: list[ReferenceFiche] = Field(default_factory=list, description=DESCRIPTION_FICHES)
    valide: Literal["avenant", "rapport_annuel"] | None = Field(
        default=None, description="avenant ou rapport_annuel si la décision en valide un."
    )
    annee: Annee | None = Field(
        default=None, description="Année du rapport annuel validé, le cas échéant."
    )


class Instance(Modele):
    """Une réunion d'une instance (un fichier ``data/instances/<date>-<type>.yaml``)."""

    date: Date = Field(description="Date de la réunion (AAAA-MM-JJ).")
    type: TypeInstance = Field(description="copil, copil_restreint, cotech ou groupe_de_travail.")
    titre: Texte | None = Field(default=None, description="Intitulé (groupe de travail…).")
    participants: list[Texte] = Field(default_factory=list, description="Organismes présents.")
    ordre_du_jour: list[Texte] = Field(default_factory=list, description="Points abordés.")
    decisions: list[Decision] = Field(default_factory=list, description="Décisions prises.")
