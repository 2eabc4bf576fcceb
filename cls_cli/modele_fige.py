"""La base des modèles pydantic figés de cls : fiches, référentiel, rapport.

Pydantic garde dans chaque objet l'ensemble des champs donnés (``model_fields_set``) :
un ``set`` Python, 200 à 700 octets. Un arbre de 5 000 fiches compte 190 000 objets
(mesures, points de suivi…), et son rapport autant : 150 Mo d'ensembles presque tous
identiques. Un modèle figé ne modifie jamais le sien (``model_copy`` en fait une copie) :
les objets d'une même classe qui ont reçu les mêmes champs partagent donc un seul ensemble.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, model_validator

#: (classe, champs donnés) -> l'ensemble partagé.
_CHAMPS_DONNES: dict[tuple[type, frozenset[str]], set[str]] = {}
#: classe -> l'ensemble partagé du dernier objet validé.
_DERNIER: dict[type, set[str]] = {}


class ModeleFige(BaseModel):
    """Un modèle qui partage son ``model_fields_set`` ; ses sous-classes sont figées
    (``frozen=True`` dans leur ``model_config``). Son schéma n'est construit qu'à la première
    validation d'une sous-classe (``defer_build``), jamais au démarrage de la commande."""

    model_config = ConfigDict(defer_build=True)

    @model_validator(mode="after")
    def _partager_champs_donnes(self) -> Self:
        donnes = self.__pydantic_fields_set__
        partage = _DERNIER.get(type(self))
        if partage != donnes:  # le plus souvent, les mêmes champs que l'objet précédent
            partage = _CHAMPS_DONNES.setdefault((type(self), frozenset(donnes)), donnes)
            _DERNIER[type(self)] = partage
        object.__setattr__(self, "__pydantic_fields_set__", partage)
        return self
