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

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

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

#: L'identifiant d'une fiche tel que le contrat l'écrit (``A2``, ``3.1``, ``II-2``) : 1 à 20
#: caractères, lettres, chiffres, ``.``, ``-``, ``_`` et ``/``, commençant par une lettre ou
#: un chiffre. Le numéro reste le rang interne (voir :mod:`cls_cli.identifiants`).
IDENTIFIANT = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,19}$"
FORME_IDENTIFIANT = (
    "un identifiant de fiche s'écrit comme dans le contrat, 1 à 20 caractères sans espace "
    "(lettres, chiffres, « . », « - », « _ », « / », en commençant par une lettre ou un "
    'chiffre), entre guillemets dans le YAML : identifiant: "A2" ou "3.1"'
)

#: Texte laissé par ``cls new`` dans les champs à remplir ; ``cls validate`` le signale.
A_COMPLETER = "À COMPLÉTER"

#: Un code d'axe ou d'objectif tel que le contrat l'écrit (``1``, ``A``, ``3.1``, ``II-2``) :
#: lettres, chiffres, points et tirets, sans espace. Le parent d'un code se lit dans
#: l'arbre (voir :mod:`cls_cli.structure`), jamais dans le code lui-même.
CODE = r"^[A-Za-z0-9]+([.-][A-Za-z0-9]+)*$"
CODE_AXE = CODE_OBJECTIF_STRATEGIQUE = CODE_OBJECTIF_OPERATIONNEL = CODE

#: La valeur littérale d'un champ descriptif que le contrat ne donne pas : montrée
#: « non précisé par le contrat » dans les rapports, jamais comptée comme un porteur.
NON_PRECISE = "non_precise"
NonPrecise = Literal["non_precise"]
NON_PRECISE_LIBELLE = "non précisé par le contrat"
_NP = " Ou « non_precise » si le contrat ne le dit pas."

#: Les niveaux au-dessus des fiches, du plus haut au plus bas, selon la profondeur
#: déclarée dans ``contrat.yaml`` (``structure:``).
NiveauArbre = Literal["axe", "objectif", "objectif_strategique", "objectif_operationnel"]
STRUCTURES: tuple[tuple[NiveauArbre, ...], ...] = (
    ("axe",),
    ("axe", "objectif"),
    ("axe", "objectif_strategique", "objectif_operationnel"),
)
#: La clé de ``axes.yaml`` qui range chaque niveau sous celui du dessus.
CLE_DU_NIVEAU: dict[NiveauArbre, str] = {
    "objectif": "objectifs",
    "objectif_strategique": "objectifs_strategiques",
    "objectif_operationnel": "objectifs_operationnels",
}
CODE_INDICATEUR = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Texte = Annotated[str, Field(min_length=1)]
#: Le thème de santé d'un axe ou d'une fiche (cls_cli/donnees/themes.yaml, cls rollup).
DESCRIPTION_THEME = (
    "Thème de santé du vocabulaire partagé (ex. sante-mentale) ; une fiche sans thème "
    "prend celui de son axe."
)
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


class Depense(Modele):
    """Ce que l'action a dépensé une année, en euros, tel que le porteur le déclare."""

    annee: Annee = Field(description="Année de la dépense (dans la période du contrat).")
    montant: Annotated[Entier | Decimal, Field(ge=0)] = Field(
        description="Montant dépensé dans l'année, en euros (nombre fini, positif ou nul)."
    )
    source: Texte | None = Field(default=None, description="D'où vient le montant.")
    commentaire: Texte | None = Field(default=None, description="Remarque libre.")


class Retrait(Modele):
    """Le retrait d'une fiche du contrat, tel que l'inscrit l'avenant qui la retire.

    L'avenant reste la source du retrait (les rapports le lisent) ; la fiche le rappelle
    pour qui l'ouvre, et ``cls validate`` vérifie que les deux disent la même chose.
    """

    avenant: Annotated[int, Field(ge=1, le=9999)] = Field(
        description="Numéro de l'avenant qui retire la fiche (data/avenants/<n>.yaml)."
    )
    annee: Annee = Field(
        description="Année de la date de l'avenant : la fiche compte encore cette année-là, "
        "plus les suivantes."
    )
    motif: Texte = Field(description="Pourquoi la fiche est retirée (le motif de l'avenant).")


class Fiche(Modele):
    """Une fiche-action du contrat (un fichier ``data/actions/NN-slug.yaml``)."""

    numero: Annotated[int, Field(ge=1, le=NUMERO_MAX)] = Field(
        description="Numéro de la fiche : son rang dans le contrat (nom du fichier, tri)."
    )
    identifiant: Annotated[str, Field(pattern=IDENTIFIANT)] | None = Field(
        default=None,
        description="L'identifiant de la fiche tel que le contrat l'écrit (« A2 », « 3.1 », "
        "« II-2 ») ; sans lui, le numéro.",
    )
    titre: Texte = Field(description="Intitulé de l'action.")
    objectif: Annotated[str, Field(pattern=CODE)] = Field(
        description="Code du niveau le plus bas de axes.yaml (objectif opérationnel, objectif "
        'ou axe selon la structure du contrat), entre guillemets (ex. "1.1.2", "A", "II-2").'
    )
    nature: Nature | None = Field(
        default=None, description="nouvelle, existante ou mixte (facultatif)."
    )
    porteurs: Annotated[list[Texte], Field(min_length=1)] | NonPrecise = Field(
        description="Organisme(s) porteur(s) du projet." + _NP
    )
    partenaires: list[Texte] | NonPrecise = Field(
        description="Partenaires (liste éventuellement vide)." + _NP
    )
    description: Texte = Field(description="Descriptif de l'action." + _NP)
    public_cible: list[Texte] | NonPrecise = Field(description="Publics visés." + _NP)
    territoire: Texte = Field(description="Territoire concerné." + _NP)
    calendrier: Calendrier | NonPrecise = Field(description="Le calendrier." + _NP)
    ressources: Ressources | NonPrecise = Field(description="Les ressources." + _NP)
    priorites: list[Annee] = Field(
        default_factory=list, description="Années où la fiche est une priorité déclarée."
    )
    indicateurs: list[Indicateur] = Field(
        default_factory=list, description="Indicateurs d'évaluation."
    )
    suivi: list[Suivi] = Field(default_factory=list, description="Points de suivi annuels.")
    depenses: list[Depense] = Field(
        default_factory=list,
        description="Dépenses annuelles déclarées (facultatif), une par année, face au budget.",
    )
    retiree: Retrait | None = Field(
        default=None,
        description="Seulement si un avenant retire la fiche : son numéro, l'année et le motif "
        "(écrit par cls withdraw).",
    )
    theme: Texte | None = Field(default=None, description=DESCRIPTION_THEME)

    @field_validator("porteurs", "partenaires", "public_cible")
    @classmethod
    def _non_precise_seul(cls, valeur: list[str] | str, info: ValidationInfo) -> list[str] | str:
        if isinstance(valeur, list) and NON_PRECISE in valeur:
            raise ValueError(
                f"« {NON_PRECISE} » s'écrit seul, pas dans une liste : "
                f"écrivez « {info.field_name}: {NON_PRECISE} »"
            )
        return valeur

    @property
    def liste_porteurs(self) -> list[str]:
        """Les organismes porteurs (aucun quand le contrat ne les précise pas)."""
        return [] if self.porteurs == NON_PRECISE else list(self.porteurs)

    @property
    def liste_partenaires(self) -> list[str]:
        return [] if self.partenaires == NON_PRECISE else list(self.partenaires)

    @property
    def liste_publics(self) -> list[str]:
        return [] if self.public_cible == NON_PRECISE else list(self.public_cible)

    @property
    def dates(self) -> Calendrier | None:
        """Le calendrier, ou None quand le contrat ne le précise pas."""
        return None if isinstance(self.calendrier, str) else self.calendrier

    @property
    def moyens(self) -> Ressources | None:
        """Les ressources, ou None quand le contrat ne les précise pas."""
        return None if isinstance(self.ressources, str) else self.ressources

    @property
    def texte_calendrier(self) -> str:
        """Le calendrier tel qu'écrit, ou « non_precise »."""
        return self.dates.texte if self.dates else NON_PRECISE


class ObjectifOperationnel(Modele):
    code: Annotated[str, Field(pattern=CODE_OBJECTIF_OPERATIONNEL)]
    libelle: Texte


class ObjectifStrategique(Modele):
    code: Annotated[str, Field(pattern=CODE_OBJECTIF_STRATEGIQUE)]
    libelle: Texte
    objectifs_operationnels: list[ObjectifOperationnel]


class Objectif(Modele):
    """Un objectif d'un contrat à deux niveaux (``structure: [axe, objectif]``)."""

    code: Annotated[str, Field(pattern=CODE)]
    libelle: Texte


class Axe(Modele):
    code: Annotated[str, Field(pattern=CODE_AXE)]
    libelle: Texte
    objectifs_strategiques: list[ObjectifStrategique] = Field(
        default_factory=list,
        description="Les objectifs stratégiques (structure à trois niveaux).",
    )
    objectifs: list[Objectif] = Field(
        default_factory=list, description="Les objectifs (structure à deux niveaux)."
    )
    theme: Texte | None = Field(default=None, description=DESCRIPTION_THEME)


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
    date_signature: Date | NonPrecise = Field(description="Date de signature (AAAA-MM-JJ)." + _NP)
    periode: Periode
    signataires: list[Signataire]
    communes: list[Texte]
    lexique: dict[str, Texte] = Field(default_factory=dict)
    structure: list[NiveauArbre] = Field(
        default_factory=lambda: list(STRUCTURES[-1]),
        description="Les niveaux au-dessus des fiches, du plus haut au plus bas : [axe], "
        "[axe, objectif] ou [axe, objectif_strategique, objectif_operationnel] (par défaut).",
    )

    @property
    def premier_jour(self) -> dt.date:
        """La date de signature ; si le contrat ne la précise pas, le 1er janvier de sa période."""
        if isinstance(self.date_signature, dt.date):
            return self.date_signature
        return dt.date(self.periode.debut, 1, 1)

    @field_validator("structure")
    @classmethod
    def _structure_connue(cls, structure: list[NiveauArbre]) -> list[NiveauArbre]:
        if tuple(structure) not in STRUCTURES:
            formes = " ; ".join("[" + ", ".join(s) + "]" for s in STRUCTURES)
            raise ValueError(f"inconnue : choisissez l'une des formes {formes}")
        return structure
