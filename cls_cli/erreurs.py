"""Les problèmes trouvés dans les données, sous forme de données simples et triables.

Un :class:`Probleme` dit quoi (``message``), où (``chemin``, ``ligne``, ``colonne``,
comptées à partir de 1) et comment corriger (``correction``). Sa mise en forme
(texte, GitHub, JSON) est faite ailleurs, par :mod:`cls_cli.formats`.

:class:`ErreurDonnees` est l'unique exception pour une erreur dans les données de
l'utilisateur : la CLI l'attrape et l'affiche sans trace Python, code de sortie 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Niveau(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"


@dataclass(frozen=True, order=True)
class Probleme:
    """Un problème situé dans un fichier de données."""

    chemin: str
    ligne: int
    colonne: int
    niveau: Niveau = field(compare=False)
    message: str = field(compare=True)
    correction: str = field(default="", compare=False)
    regle: str = field(default="", compare=False)

    def texte(self) -> str:
        """Le message suivi de la correction, en une phrase lisible."""
        if self.correction:
            return f"{self.message} ; correction : {self.correction}"
        return self.message


class ErreurDonnees(Exception):
    """Une erreur dans les données de l'utilisateur (jamais un bogue du programme)."""

    def __init__(
        self,
        chemin: Path | str,
        ligne: int,
        colonne: int,
        message: str,
        correction: str = "",
        regle: str = "",
    ) -> None:
        self.probleme = Probleme(
            chemin=str(chemin),
            ligne=ligne,
            colonne=colonne,
            niveau=Niveau.ERREUR,
            message=message,
            correction=correction,
            regle=regle,
        )
        super().__init__(f"{chemin}:{ligne}:{colonne}: {self.probleme.texte()}")


class ErreurUsage(Exception):
    """Une commande mal employée (option invalide, fichier absent…) : code de sortie 2."""
