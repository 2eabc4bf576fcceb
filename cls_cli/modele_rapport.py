"""Le modèle typé du rapport annuel : ce que le cœur produit et que chaque rendu lit.

:func:`cls_cli.rapport.construire` rend un :class:`Rapport` ; les gabarits Markdown et HTML
le lisent champ par champ, et la sortie JSON est ce modèle sérialisé (champ ``version``),
décrit par le schéma ``rapport.schema.json`` que publie ``cls schema``. Les nombres sont
bruts (pourcentages 0-100 non arrondis, ``None`` sans chiffre) : l'arrondi est l'affaire
de l'affichage. Les listes ``*_ecartees``, ``reprises``… donnent des numéros de fiche.

La ``VERSION`` change quand un champ change de sens ou disparaît (ajouter un champ garde
la version majeure) : un outil qui lit le JSON sait ainsi ce qu'il lit.
"""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field

from cls_cli.depot import Origine
from cls_cli.modele_fige import ModeleFige

#: La version du format JSON du rapport (majeure.mineure).
VERSION = "1.2"

#: Une valeur d'indicateur telle que le rapport la donne : nombre, oui/non ou texte.
ValeurRapport = bool | int | float | str


class _Modele(ModeleFige):
    """Base : pas de champ inconnu, pas de modification après construction, aucun nombre
    infini ni NaN (refusé à la construction, jamais écrit en silence comme ``null``) ; un
    seul ``model_fields_set`` par classe et contenu (voir :mod:`cls_cli.modele_fige`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Couverture(_Modele):
    """Combien d'actions entrent dans la moyenne, sur combien."""

    renseignees: int
    total: int


class AvancementMoyen(_Modele):
    """L'avancement moyen d'un groupe d'actions et ce qui en est exclu (numéros de fiche)."""

    avancement: float | None = Field(description="Moyenne en %, sans arrondi ; null sans chiffre.")
    couverture: Couverture
    fragile: bool = Field(description="La moyenne repose sur moins de 3 actions.")
    reprises: list[int] = Field(description="Fiches dont l'avancement est repris d'avant.")
    abandonnees: list[int]
    non_renseignees: list[int]
    non_declarees: list[int] = Field(description="Fiches à l'avancement non déclaré.")


class Nomme(_Modele):
    """Un axe ou un objectif : son code et son libellé de l'année."""

    code: str
    libelle: str


class Objectif(_Modele):
    """Un objectif : son code et son libellé de l'année ; tous deux null quand la structure
    du contrat n'a pas ce niveau (les fiches sont rangées au niveau au-dessus)."""

    code: str | None
    libelle: str | None


class Budget(_Modele):
    """Le budget que déclarent les fiches d'un groupe (``ressources.budget``, en euros) et
    leurs dépenses déclarées (``depenses``, depuis la version 1.2) ; null : non déclaré."""

    montant: float | None = Field(description="La somme ; null si aucune fiche n'en déclare.")
    avec: int = Field(description="Fiches qui déclarent un budget.")
    sans: int = Field(description="Fiches qui n'en déclarent pas.")
    depense_cumulee: float | None = Field(description="Dépensé jusqu'à l'année du rapport.")
    avec_depenses: int = Field(description="Fiches qui déclarent une dépense jusque-là.")
    sans_depenses: int = Field(description="Fiches qui n'en déclarent aucune.")
    depense_annee: float | None = Field(description="Dépensé dans l'année du rapport.")
    sans_depense_annee: int = Field(description="Fiches sans dépense déclarée pour l'année.")


class Depense(_Modele):
    annee: int
    montant: float
    source: str | None
    commentaire: str | None


class ObjectifOperationnel(AvancementMoyen, Objectif):
    actions: list[int] = Field(description="Numéros des fiches de l'objectif.")
    budget: Budget


class ObjectifStrategique(AvancementMoyen, Objectif):
    budget: Budget
    objectifs: list[ObjectifOperationnel]


class CompletudeDetail(_Modele):
    mesures: int
    attendus: int


class Resultats(_Modele):
    """Les indicateurs à cible d'un groupe d'actions et leur atteinte."""

    avec_cible: int
    mesures: int
    atteints: int
    mediane: float | None


class ResultatsGroupe(_Modele):
    resultats: Resultats


class PointEvolution(_Modele):
    annee: int
    avancement: float | None


class Axe(AvancementMoyen, Nomme):
    """Un axe ; ``statuts`` est là depuis la version 1.1."""

    avancement_precedent: float | None
    en_retard: list[int]
    hors_delai: list[int]
    statuts: dict[str, int] = Field(description="Nombre d'actions de l'axe par statut.")
    completude: float | None
    completude_detail: CompletudeDetail
    resultats: Resultats
    budget: Budget
    evolution: list[PointEvolution]
    objectifs: list[ObjectifStrategique]


class SyntheseContrat(AvancementMoyen):
    """Les chiffres du contrat entier."""

    avancement_precedent: float | None
    completude: float | None
    completude_detail: CompletudeDetail
    resultats: Resultats
    budget: Budget
    statuts: dict[str, int] = Field(description="Nombre d'actions par statut.")
    en_retard: list[int]
    hors_delai: list[int]
    evolution: list[PointEvolution]


class Reference(_Modele):
    annee: int
    valeur: ValeurRapport


class Mesure(_Modele):
    annee: int
    valeur: ValeurRapport | None
    manquante: str | None = Field(description="Pourquoi la valeur manque.")
    source: str | None = Field(description="D'où vient le chiffre.")
    commentaire: str | None


class PointSerie(_Modele):
    annee: int
    valeur: float


class Indicateur(_Modele):
    code: str
    libelle: str
    type: str
    unite: str | None
    agregation: str
    cible: ValeurRapport | None
    reference: Reference | None
    mesures: list[Mesure] = Field(description="Les mesures jusqu'à l'année du rapport.")
    valeur: ValeurRapport | None = Field(description="La valeur retenue pour l'année.")
    annee_valeur: int | None
    atteinte: float | None = Field(description="Part de la cible atteinte en %, sans borne.")
    serie: list[PointSerie] = Field(
        description="Valeur retenue à chaque année mesurée (indicateurs numériques)."
    )


class Action(_Modele):
    numero: int
    identifiant: str | None = Field(
        default=None,
        description="L'identifiant de la fiche tel que le contrat l'écrit (« A2 », « 3.1 ») ; "
        "absent quand la fiche n'en a pas d'autre que son numéro.",
        exclude_if=lambda valeur: valeur is None,  # le JSON des fiches sans identifiant inchangé
    )
    titre: str
    description: str
    objectif: str
    axe: str | None = Field(description="Code de l'axe (null si l'objectif est inconnu).")
    porteurs: list[str] = Field(description="Les porteurs (vide : non précisés par le contrat).")
    statut: str
    libelle_statut: str
    avancement: float | None
    avancement_annee: int | None
    avancement_repris: bool
    avancement_non_declare: bool
    en_retard: bool
    hors_delai: bool
    commentaire: str | None
    commentaire_annee: int | None
    calendrier: str
    priorite: bool
    indicateurs: list[Indicateur]
    resultats: Resultats
    budget: float | None = Field(description="Budget déclaré par la fiche (euros).")
    depenses: list[Depense] = Field(description="Dépenses déclarées jusqu'à l'année.")
    depense_cumulee: float | None
    depense_annee: float | None


class ProblemeEcartee(_Modele):
    ligne: int
    colonne: int
    message: str


class FicheEcartee(_Modele):
    fichier: str
    problemes: list[ProblemeEcartee]


class Periode(_Modele):
    debut: int
    fin: int


class Contradiction(_Modele):
    numero: int
    statut: str
    atteintes: list[float]


class Decision(_Modele):
    numero: int
    motif: str
    detail: str


class CompletudePorteur(_Modele):
    porteur: str
    completude: float | None
    completude_detail: CompletudeDetail


class SourceMesures(_Modele):
    """Une source citée par les mesures d'un porteur (null : mesures sans source)."""

    source: str | None
    fiches: list[int]
    mesures: int = Field(description="Nombre de mesures, jusqu'à l'année du rapport.")


class SourcesPorteur(_Modele):
    porteur: str
    sources: list[SourceMesures]


class Sigle(_Modele):
    sigle: str
    definition: str


class AvenantEnVigueur(_Modele):
    numero: int
    date: str
    signe: bool
    motif: str


class FicheAjoutee(_Modele):
    fiche: int
    avenant: int


class FicheRetiree(_Modele):
    fiche: int
    avenant: int
    motif: str | None


class Avenants(_Modele):
    en_vigueur: list[AvenantEnVigueur]
    ajoutees: list[FicheAjoutee]
    retirees: list[FicheRetiree]


class ReunionsType(_Modele):
    """Les réunions d'un type d'instance dans l'année, face à ce que le contrat prévoit."""

    type: str = Field(description="copil, copil_restreint, cotech ou groupe_de_travail.")
    instance: str = Field(description="Le nom de l'instance.")
    tenues: int | None = Field(description="Réunions tenues ; null sans dossier instances/.")
    attendues: int | None = Field(description="Par an d'après le contrat ; null : non fixé.")


class Presence(_Modele):
    """Combien d'organismes attendus sont venus au moins une fois dans l'année."""

    presents: int
    total: int
    absents: list[str]


class Participation(_Modele):
    signataires: Presence
    porteurs: Presence = Field(description="Les porteurs des fiches en vigueur.")


class DecisionInstance(_Modele):
    """Une décision prise en réunion d'instance."""

    date: dt.date
    type: str
    instance: str
    texte: str
    fiches: list[int] = Field(description="Les fiches concernées.")
    valide: str | None = Field(description="avenant ou rapport_annuel si elle en valide un.")
    annee: int | None = Field(description="Année du rapport annuel validé.")


class Reunion(_Modele):
    date: dt.date
    type: str
    instance: str
    titre: str | None
    participants: int = Field(description="Nombre d'organismes présents.")
    decisions: list[DecisionInstance]


class GouvernanceAnnee(_Modele):
    """Les réunions des instances dans l'année (depuis la version 1.2)."""

    enregistree: bool = Field(description="Faux sans dossier instances/ : rien n'est compté.")
    dossier: str = Field(description="Le dossier des réunions, tel que le rapport le cite.")
    reunions_par_type: list[ReunionsType]
    participation: Participation | None
    reunions: list[Reunion]
    decisions: list[DecisionInstance]


class Rapport(_Modele):
    """Le rapport d'une année (avec ``debut`` < ``annee`` : l'évolution sur la période)."""

    version: str = Field(default=VERSION, description="Version du format de ce JSON.")
    fiches_ecartees: list[FicheEcartee] | None = Field(
        default=None,
        description="Fiches laissées de côté (--partial) ; absent sinon.",
        exclude_if=lambda valeur: valeur is None,  # écrit seulement s'il y en a (bandeau)
    )
    annee: int
    debut: int
    annees: list[int] = Field(description="Les années de l'évolution présentée.")
    annees_mesures: list[int] = Field(description="Les années des tableaux de mesures.")
    date: dt.date = Field(description="Date du rapport.")
    titre: str
    periode: Periode | None
    origine: Origine
    rien_saisi: bool
    contrat: SyntheseContrat
    contradictions: list[Contradiction]
    decisions: list[Decision]
    priorites: list[int]
    completude_porteurs: list[CompletudePorteur]
    sources_porteurs: list[SourcesPorteur] = Field(
        description="Les sources des mesures de chaque porteur (depuis la version 1.1)."
    )
    axes: list[Axe]
    actions: list[Action]
    lexique: dict[str, str]
    glossaire: list[Sigle]
    avenants: Avenants
    gouvernance: GouvernanceAnnee
