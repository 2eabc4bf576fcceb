"""Le modèle de données du contrat : axes, objectifs, fiches-actions, indicateurs, mesures, suivi.

Les modèles pydantic décrivent la forme de chaque fichier de ``data/`` : clés connues
(toute autre clé est une erreur), types stricts (``objectif: 1.1`` lu comme un nombre
est refusé au lieu d'être converti), bornes simples. Les règles qui croisent plusieurs
valeurs ou fichiers (références, doublons, années du contrat, valeur selon le type
d'indicateur) sont dans :mod:`cls_cli.verification`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from cls_cli.modele_fige import ModeleFige

Statut = Literal["a_lancer", "en_cours", "realisee", "reportee", "abandonnee"]
STATUTS: tuple[Statut, ...] = ("a_lancer", "en_cours", "realisee", "reportee", "abandonnee")
TypeIndicateur = Literal["nombre", "taux", "booleen", "texte"]
TYPES_INDICATEUR: tuple[TypeIndicateur, ...] = ("nombre", "taux", "booleen", "texte")
Nature = Literal["nouvelle", "existante", "mixte"]
Agregation = Literal["somme", "derniere"]

#: Borne des nombres lus dans les fiches : bien au-delà de tout chiffre d'un contrat
#: (un million de milliards), assez bas pour que toute somme ou moyenne reste un nombre
#: fini (jamais ``inf`` ni ``nan`` dans un rapport).
NOMBRE_MAX = 10**15

#: Un nombre entier ou décimal fini et borné (``.inf`` et ``.nan`` sont refusés).
Entier = Annotated[int, Field(ge=-NOMBRE_MAX, le=NOMBRE_MAX)]
Decimal = Annotated[float, Field(ge=-NOMBRE_MAX, le=NOMBRE_MAX, allow_inf_nan=False)]

#: Une valeur d'indicateur : un nombre, un booléen (réalisé ou non) ou un texte.
Valeur = bool | Entier | Decimal | str

NUMERO_MAX = 99_999  # un contrat en a une soixantaine ; un regroupement de contrats, davantage

#: Texte laissé par ``cls new`` dans les champs à remplir ; ``cls validate`` le signale.
A_COMPLETER = "À COMPLÉTER"

CODE_AXE = r"^[0-9]+$"
CODE_OBJECTIF_STRATEGIQUE = r"^[0-9]+\.[0-9]+$"
CODE_OBJECTIF_OPERATIONNEL = r"^[0-9]+\.[0-9]+\.[0-9]+$"
CODE_INDICATEUR = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Texte = Annotated[str, Field(min_length=1)]
ANNEE_MIN, ANNEE_MAX = 1900, 2100
Annee = Annotated[int, Field(ge=ANNEE_MIN, le=ANNEE_MAX)]
Pourcentage = Annotated[int | Annotated[float, Field(allow_inf_nan=False)], Field(ge=0, le=100)]
Date = Annotated[dt.date, Field(strict=False)]


class Modele(ModeleFige):
    """Base commune : clés inconnues interdites, aucun changement de type implicite ; un
    seul ``model_fields_set`` par classe et contenu (voir :mod:`cls_cli.modele_fige`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Mesure(Modele):
    """La valeur d'un indicateur pour une année, ou la raison pour laquelle elle manque."""

    annee: Annee = Field(description="Année de la mesure (dans la période du contrat).")
    valeur: Valeur | None = Field(
        default=None,
        description="Valeur mesurée : nombre, taux (0-100), true/false ou texte.",
    )
    manquante: Texte | None = Field(
        default=None,
        description="À la place de « valeur » : pourquoi la valeur manque "
        "(non collectée, non applicable…).",
    )
    date: Date | None = Field(default=None, description="Date de la mesure (AAAA-MM-JJ).")
    source: Texte | None = Field(default=None, description="D'où vient le chiffre.")
    commentaire: Texte | None = Field(default=None, description="Remarque libre.")

    @model_validator(mode="after")
    def _valeur_ou_manquante(self) -> Mesure:
        if (self.valeur is None) == (self.manquante is None):
            raise ValueError(
                "une mesure porte soit « valeur », soit « manquante » (la raison de l'absence),"
                " jamais les deux ni aucun"
            )
        return self


class Reference(Modele):
    """La valeur de départ d'un indicateur (situation avant l'action)."""

    annee: Annee = Field(description="Année de la valeur de référence.")
    valeur: Valeur = Field(description="Valeur de référence.")


class Indicateur(Modele):
    """Un indicateur d'évaluation d'une fiche-action."""

    code: Annotated[str, Field(pattern=CODE_INDICATEUR)] = Field(
        description="Identifiant court, unique dans la fiche (minuscules, chiffres, tirets)."
    )
    libelle: Texte = Field(description="Libellé de l'indicateur, tel qu'écrit dans le contrat.")
    type: TypeIndicateur = Field(description="nombre, taux (0-100), booleen ou texte.")
    unite: Texte | None = Field(default=None, description="Unité des valeurs (personnes, €…).")
    cible: Valeur | None = Field(default=None, description="Valeur visée.")
    reference: Reference | None = Field(default=None, description="Valeur de départ.")
    agregation: Agregation = Field(
        default="derniere",
        description="« somme » si les valeurs annuelles s'additionnent, "
        "« derniere » si seule la dernière compte.",
    )
    mesures: list[Mesure] = Field(default_factory=list, description="Les mesures, une par année.")


class Calendrier(Modele):
    """Le calendrier de l'action, tel qu'écrit, et les années qu'on en lit."""

    texte: Texte = Field(description="Le calendrier tel qu'écrit dans la fiche.")
    debut: Annee | None = Field(default=None, description="Année de début lue dans le texte.")
    fin: Annee | None = Field(default=None, description="Année de fin lue dans le texte.")

    @model_validator(mode="after")
    def _ordre(self) -> Calendrier:
        if self.debut is not None and self.fin is not None and self.fin < self.debut:
            raise ValueError("l'année de fin précède l'année de début")
        return self


class Ressources(Modele):
    """Les ressources (financement, moyens humains et matériels)."""

    texte: Texte = Field(description="Les ressources telles qu'écrites dans la fiche.")
    budget: Annotated[Entier | Decimal, Field(ge=0)] | None = Field(
        default=None, description="Montant total en euros, quand la fiche en donne un."
    )


class Suivi(Modele):
    """L'état d'avancement de l'action pour une année."""

    annee: Annee = Field(description="Année du point de suivi.")
    statut: Statut = Field(description="a_lancer, en_cours, realisee, reportee ou abandonnee.")
    avancement: Pourcentage | None = Field(
        default=None, description="Avancement en pourcentage (0-100)."
    )
    commentaire: Texte | None = Field(default=None, description="Remarque libre.")


class Fiche(Modele):
    """Une fiche-action du contrat (un fichier ``data/actions/NN-slug.yaml``)."""

    numero: Annotated[int, Field(ge=1, le=NUMERO_MAX)] = Field(description="Numéro de la fiche.")
    titre: Texte = Field(description="Intitulé de l'action.")
    objectif: Annotated[str, Field(pattern=CODE_OBJECTIF_OPERATIONNEL)] = Field(
        description='Code de l\'objectif opérationnel, entre guillemets (ex. "1.1.2").'
    )
    nature: Nature = Field(description="nouvelle, existante ou mixte.")
    porteurs: Annotated[list[Texte], Field(min_length=1)] = Field(
        description="Organisme(s) porteur(s) du projet."
    )
    partenaires: list[Texte] = Field(description="Partenaires (liste éventuellement vide).")
    description: Texte = Field(description="Descriptif de l'action.")
    public_cible: list[Texte] = Field(description="Publics visés.")
    territoire: Texte = Field(description="Territoire concerné.")
    calendrier: Calendrier
    ressources: Ressources
    priorites: list[Annee] = Field(
        default_factory=list, description="Années où la fiche est une priorité déclarée."
    )
    indicateurs: list[Indicateur] = Field(
        default_factory=list, description="Indicateurs d'évaluation."
    )
    suivi: list[Suivi] = Field(default_factory=list, description="Points de suivi annuels.")

    @property
    def code_axe(self) -> str:
        return self.objectif.split(".")[0]

    @property
    def code_objectif_strategique(self) -> str:
        return ".".join(self.objectif.split(".")[:2])


class ObjectifOperationnel(Modele):
    code: Annotated[str, Field(pattern=CODE_OBJECTIF_OPERATIONNEL)]
    libelle: Texte


class ObjectifStrategique(Modele):
    code: Annotated[str, Field(pattern=CODE_OBJECTIF_STRATEGIQUE)]
    libelle: Texte
    objectifs_operationnels: list[ObjectifOperationnel]


class Axe(Modele):
    code: Annotated[str, Field(pattern=CODE_AXE)]
    libelle: Texte
    objectifs_strategiques: list[ObjectifStrategique]


class Axes(Modele):
    """Le fichier ``data/axes.yaml`` : l'arbre des axes et objectifs."""

    axes: Annotated[list[Axe], Field(min_length=1)]


class Periode(Modele):
    debut: Annee
    fin: Annee


class Signataire(Modele):
    organisme: Texte
    representant: Texte
    qualite: Texte


class Contrat(Modele):
    """Le fichier ``data/contrat.yaml`` : les faits du contrat lui-même."""

    titre: Texte
    territoire: Texte
    date_signature: Date
    periode: Periode
    signataires: list[Signataire]
    communes: list[Texte]
    lexique: dict[str, Texte] = Field(default_factory=dict)
