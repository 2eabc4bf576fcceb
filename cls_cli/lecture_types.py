"""Ce que rend la lecture d'un tableau rempli (CSV ou Excel) : lignes, nombres, limites.

Voir :mod:`cls_cli.lecture_tableur` pour les pièges que la lecture déjoue.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cls_cli.erreurs import ErreurDonnees


@dataclass(frozen=True)
class Limites:
    """Ce qu'un tableau de collecte ne dépasse jamais (un contrat réel en est très loin)."""

    octets: int = 20_000_000  # taille du fichier
    lignes: int = 100_000
    champ: int = 32_767  # caractères par cellule : le maximum d'Excel
    decompresse: int = 200_000_000  # octets d'un classeur une fois décompressé


LIMITES = Limites()


@dataclass(frozen=True)
class NombreLu:
    """Le nombre d'une cellule numérique ; ``pourcent`` : cellule au format pourcentage."""

    valeur: int | float
    pourcent: bool = False


@dataclass
class LigneLue:
    position: str  # « FICHIER:ligne » ou « FICHIER:feuille:ligne »
    valeurs: dict[str, str]
    nombres: dict[str, NombreLu] = field(default_factory=dict)
    adresses: dict[str, str] = field(default_factory=dict)  # clé -> cellule (« K45 »)


@dataclass
class Lecture:
    """Les lignes d'un tableau et ce qui a été ignoré (avertissements situés)."""

    lignes: list[LigneLue] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


def en_mo(octets: int) -> str:
    """20_000_000 -> « 20 Mo » ; sous le mégaoctet, en ko."""
    if octets < 1_000_000:
        return f"{octets / 1_000:.0f} ko"
    return f"{octets / 1_000_000:.0f} Mo"


def en_entier(nombre: int) -> str:
    """100000 -> « 100 000 »."""
    return f"{nombre:,}".replace(",", " ")


def normaliser_entete(entete: str) -> str:
    """Un en-tête comparé sans casse, sans accents ni espaces en trop : « Intitulé  de
    l'action » et « INTITULE DE L'ACTION » sont le même en-tête."""
    apostrophes = entete.replace("\u2019", "'")
    sans_accents = unicodedata.normalize("NFKD", apostrophes).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().split())


class Entetes:
    """La correspondance en-tête -> clé d'un tableau, et le refus des colonnes manquantes."""

    def __init__(
        self,
        chemin: Path,
        colonnes: Sequence[tuple[str, str]],
        obligatoires: Collection[str],
        modele: str = "« cls template »",
    ) -> None:
        self.chemin = chemin
        self.colonnes = colonnes
        self.obligatoires = obligatoires
        self.modele = modele
        self._par_entete = {normaliser_entete(entete): cle for cle, entete in colonnes}

    def cle(self, entete: Any) -> str | None:
        return self._par_entete.get(normaliser_entete(str(entete or "")))

    def cles(self, entetes: Sequence[Any], ou: str = "") -> list[str | None]:
        """Les clés des colonnes, dans l'ordre ; ``ou`` situe la ligne d'en-tête (feuille)."""
        cles = [self.cle(e) for e in entetes]
        premiers: dict[str, str] = {}  # l'en-tête du modèle, pas ses synonymes
        for cle, entete in self.colonnes:
            premiers.setdefault(cle, entete)
        manquantes = [
            entete
            for cle, entete in premiers.items()
            if cle in self.obligatoires and cle not in cles
        ]
        if manquantes:
            raise ErreurDonnees(
                self.chemin,
                1,
                1,
                f"{ou}colonnes absentes ou renommées : "
                + ", ".join(f"« {m} »" for m in manquantes),
                f"repartez du modèle produit par {self.modele} sans renommer ses colonnes",
                "colonnes",
            )
        return cles


def texte_date(valeur: dt.datetime | dt.date | dt.time | dt.timedelta) -> str:
    """Une date de tableur en texte : AAAA-MM-JJ (avec l'heure seulement si elle compte)."""
    if isinstance(valeur, dt.datetime):
        return valeur.date().isoformat() if valeur.time() == dt.time() else valeur.isoformat(" ")
    if isinstance(valeur, dt.timedelta):
        return str(valeur)
    return valeur.isoformat()
