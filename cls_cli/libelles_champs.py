"""Les champs d'une fiche dits en français, pour les changements que montrent ``cls diff``
et ``cls history`` (clé pointée -> libellé ; une clé absente est montrée telle quelle)."""

from __future__ import annotations

#: Chemin d'un champ dans la fiche (``calendrier.debut``) -> son nom pour le lecteur.
LIBELLES_CHAMPS = {
    "numero": "numéro",
    "titre": "titre",
    "objectif": "objectif opérationnel",
    "nature": "nature",
    "porteurs": "porteurs",
    "partenaires": "partenaires",
    "description": "descriptif",
    "public_cible": "public cible",
    "territoire": "territoire",
    "calendrier.texte": "calendrier",
    "calendrier.debut": "année de début",
    "calendrier.fin": "année de fin",
    "ressources.texte": "ressources",
    "ressources.budget": "budget",
    "priorites": "années de priorité",
    "libelle": "libellé",
    "type": "type",
    "unite": "unité",
    "cible": "cible",
    "reference": "référence",
    "reference.annee": "année de référence",
    "reference.valeur": "valeur de référence",
    "agregation": "agrégation",
    "retiree": "retrait",
    "retiree.avenant": "retrait, avenant",
    "retiree.annee": "retrait, année",
    "retiree.motif": "retrait, motif",
    "depenses": "dépenses",
    "theme": "thème",
}
