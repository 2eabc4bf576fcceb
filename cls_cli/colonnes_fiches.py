"""Les colonnes du tableau des fiches (``cls import-fiches``) : une ligne par fiche.

Chaque colonne a une clé, l'en-tête du modèle et les autres noms que les coordinations
lui donnent souvent ; les en-têtes sont comparés sans casse, accents ni espaces en trop
(:func:`cls_cli.lecture_types.normaliser_entete`). Le format d'une cellule
« Indicateurs » (une ligne par indicateur) est décrit par :data:`AIDE_INDICATEURS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cls_cli.lecture_types import normaliser_entete
from cls_cli.modeles import STRUCTURES, NiveauArbre


@dataclass(frozen=True)
class Colonne:
    cle: str
    entete: str
    synonymes: tuple[str, ...] = ()
    aide: str = ""


#: Ce que dit l'aide d'une colonne descriptive qu'on peut laisser vide.
_NP = " ; vide ou « non_precise » : non précisé par le contrat"

COLONNES: tuple[Colonne, ...] = (
    Colonne(
        "axe",
        "Axe",
        ("Axe stratégique",),
        "le code puis le libellé : « 1 – Promotion de la santé »",
    ),
    Colonne(
        "objectif",
        "Objectif",
        ("Objectif général",),
        "le code puis le libellé : « 1.1 Promouvoir la santé »",
    ),
    Colonne(
        "objectif_strategique",
        "Objectif stratégique",
        ("OS", "Objectif general", "Objectif général"),
        "le code puis le libellé : « 1.1 Promouvoir la santé »",
    ),
    Colonne(
        "objectif_operationnel",
        "Objectif opérationnel",
        ("OO", "Objectif spécifique", "Objectif"),
        "le code puis le libellé : « 1.1.2 Favoriser une alimentation saine »",
    ),
    Colonne(
        "numero",
        "Numéro",
        ("N°", "No", "Numéro de fiche", "Numéro de la fiche", "Fiche", "N° de fiche"),
        "le numéro de la fiche-action tel que le contrat l'écrit : 12, ou un identifiant "
        "comme A2, 3.1, II-2 (les fiches sont alors numérotées dans l'ordre naturel : "
        "A2 avant A10)",
    ),
    Colonne(
        "titre",
        "Intitulé",
        ("Intitulé de l'action", "Titre", "Action", "Intitulé de la fiche", "Nom de l'action"),
        "l'intitulé de l'action",
    ),
    Colonne(
        "nature",
        "Nature",
        ("Type d'action",),
        "nouvelle, existante ou mixte (facultatif : vide si le contrat ne classe pas ses actions)",
    ),
    Colonne(
        "porteurs",
        "Porteurs",
        ("Porteur", "Pilote", "Pilotes", "Porteur(s)", "Structure porteuse", "Porteur du projet"),
        "un organisme par ligne",
    ),
    Colonne(
        "partenaires",
        "Partenaires",
        ("Partenaire", "Partenaire(s)"),
        "un par ligne ; vide : aucun ; « non_precise » : non précisé par le contrat",
    ),
    Colonne(
        "description",
        "Description",
        ("Descriptif", "Descriptif de l'action", "Contenu de l'action"),
        "le descriptif de l'action, sur plusieurs lignes si besoin" + _NP,
    ),
    Colonne(
        "public",
        "Public",
        ("Public cible", "Publics", "Publics cibles", "Public visé", "Bénéficiaires"),
        "un public par ligne" + _NP,
    ),
    Colonne(
        "territoire",
        "Territoire",
        ("Territoire concerné", "Lieu"),
        "le territoire visé" + _NP,
    ),
    Colonne(
        "calendrier",
        "Calendrier",
        ("Échéancier", "Calendrier prévisionnel", "Échéance", "Durée"),
        "tel qu'écrit dans la fiche" + _NP,
    ),
    Colonne("debut", "Début", ("Année de début",), "année de début (facultatif)"),
    Colonne("fin", "Fin", ("Année de fin",), "année de fin (facultatif)"),
    Colonne(
        "financement",
        "Financement",
        ("Ressources", "Moyens", "Financements", "Budget et moyens", "Moyens mobilisés"),
        "les ressources telles qu'écrites" + _NP,
    ),
    Colonne("budget", "Budget", ("Montant", "Budget (€)"), "montant total en euros (facultatif)"),
    Colonne(
        "priorites",
        "Priorités",
        ("Années prioritaires",),
        "années où la fiche est prioritaire, séparées par des virgules (facultatif)",
    ),
    Colonne(
        "indicateurs",
        "Indicateurs",
        ("Indicateurs d'évaluation", "Indicateurs de suivi", "Critères d'évaluation"),
        "un indicateur par ligne (voir la feuille « Mode d'emploi »)",
    ),
)

#: Les colonnes des niveaux au-dessus des fiches : une par niveau de
#: :data:`~cls_cli.modeles.STRUCTURES`, sa clé est le nom du niveau.
NIVEAUX: tuple[NiveauArbre, ...] = (
    "axe",
    "objectif",
    "objectif_strategique",
    "objectif_operationnel",
)
#: Les colonnes sans lesquelles le tableau est refusé, en plus de celles des niveaux du contrat.
OBLIGATOIRES_HORS_NIVEAUX = ("numero", "titre", "porteurs")
#: La structure d'un arbre sans contrat.yaml : trois niveaux.
TROIS_NIVEAUX = STRUCTURES[-1]

#: La feuille d'explications du modèle, que la relecture passe sans avertissement.
FEUILLE_AIDE = "Mode d'emploi"
FEUILLE_FICHES = "Fiches"

AIDE_INDICATEURS = (
    "Une ligne par indicateur. Le libellé seul suffit (« Nombre de réunions organisées ») : "
    "le code est alors tiré du libellé, et le type aussi (« Nombre… » : nombre ; « Taux… », "
    "« Part… », « Pourcentage… » ou « % » : taux ; sinon : texte), ce que le compte rendu "
    "signale. Pour les fixer, ajoutez après le libellé des précisions séparées par « | » : "
    "« Nombre de réunions | type: nombre | code: reunions | unité: réunions | cible: 12 | "
    "référence: 8 (2019) | agrégation: somme » (type : nombre, taux, booleen ou texte ; "
    "agrégation : somme si les valeurs annuelles s'additionnent, derniere sinon)."
)


def obligatoires(structure: Sequence[NiveauArbre] = TROIS_NIVEAUX) -> frozenset[str]:
    """Les clés des colonnes obligatoires pour un contrat de cette structure."""
    return frozenset(OBLIGATOIRES_HORS_NIVEAUX) | frozenset(structure)


def colonnes_du_modele(structure: Sequence[NiveauArbre] = TROIS_NIVEAUX) -> list[Colonne]:
    """Les colonnes du modèle d'un contrat de cette structure : ses niveaux, puis les autres."""
    return [c for c in COLONNES if c.cle not in NIVEAUX or c.cle in structure]


def colonne(cle: str) -> Colonne:
    """La colonne de clé ``cle``."""
    return next(c for c in COLONNES if c.cle == cle)


def colonnes_du_tableau(structure: Sequence[NiveauArbre] = TROIS_NIVEAUX) -> list[tuple[str, str]]:
    """(clé, en-tête) pour la relecture : l'en-tête du modèle et chacun de ses synonymes.

    Les colonnes des niveaux du contrat d'abord : un en-tête partagé (« Objectif ») va au
    niveau que le contrat a. Celles des autres niveaux sont reconnues sous les en-têtes qui
    restent, pour dire qu'elles n'ont pas leur place (voir ``import_fiches``)."""
    ordre = colonnes_du_modele(structure) + [
        c for c in COLONNES if c.cle in NIVEAUX and c.cle not in structure
    ]
    pris: set[str] = set()
    resultat = []
    for c in ordre:
        for entete in (c.entete, *c.synonymes):
            if normaliser_entete(entete) not in pris:
                pris.add(normaliser_entete(entete))
                resultat.append((c.cle, entete))
    return resultat
