"""Numéros et identifiants des fiches : le seul endroit qui passe de l'un à l'autre.

Le **numéro** d'une fiche (entier ≥ 1) est son rang interne : nom de fichier ``NN-….yaml``,
tri, références des avenants, évaluations et instances. Son **identifiant** est ce que le
contrat écrit (« A2 », « 3.1 », « II-2 ») : facultatif, il vaut le numéro quand la fiche n'en
donne pas. L'utilisateur voit l'identifiant et peut désigner une fiche par l'un ou l'autre
(:func:`resoudre`). Fonctions pures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cls_cli.structure import cle_naturelle

if TYPE_CHECKING:
    from cls_cli.chargement import Referentiel


class AvecIdentifiant(Protocol):
    """Ce qu'il faut d'une fiche pour la nommer : son numéro et son identifiant éventuel."""

    @property
    def numero(self) -> int: ...

    @property
    def identifiant(self) -> str | None: ...


class FicheInconnue(ValueError):
    """Le texte ne désigne aucune fiche ; le message dit lesquelles existent."""


def identifiant(fiche: AvecIdentifiant) -> str:
    """L'identifiant de la fiche tel que le contrat l'écrit, ou son numéro en texte."""
    return fiche.identifiant or str(fiche.numero)


def table(fiches: Iterable[AvecIdentifiant]) -> dict[int, str]:
    """Numéro -> identifiant de chaque fiche, pour nommer les fiches citées par numéro."""
    return {f.numero: identifiant(f) for f in fiches}


def nommer(numero: int, identifiants: Mapping[int, str]) -> str:
    """L'identifiant de la fiche ``numero`` (le numéro lui-même si elle est inconnue)."""
    return identifiants.get(numero, str(numero))


#: Combien d'identifiants connus un refus cite au plus.
_CITES = 40


@dataclass(frozen=True)
class Nommee:
    """Le numéro et l'identifiant lus dans une fiche invalide (une fiche de cls new pas
    encore remplie) : elle peut être désignée, même si elle ne se charge pas."""

    numero: int
    identifiant: str | None


def nommees_invalides(referentiel: Referentiel) -> list[Nommee]:
    """Les fiches invalides dont le numéro (entier) et l'identifiant (texte) se lisent."""
    nommees = []
    for chargee in referentiel.fiches:
        valeurs = chargee.valeurs if chargee.fiche is None else None
        if not isinstance(valeurs, dict):
            continue
        numero, ident = valeurs.get("numero"), valeurs.get("identifiant")
        if type(numero) is int and (ident is None or isinstance(ident, str)):
            nommees.append(Nommee(numero, ident.strip() if ident else None))
    return nommees


def _normal(texte: str) -> str:
    return texte.strip().casefold()


class Repertoire:
    """Les fiches d'un contrat, indexées pour être désignées par identifiant ou numéro
    (un tableau de milliers de lignes ne parcourt pas les fiches à chaque ligne)."""

    def __init__(self, fiches: Iterable[AvecIdentifiant]) -> None:
        self._par_identifiant: dict[str, int] = {}
        self._numeros: set[int] = set()
        self._noms: list[str] = []
        for fiche in fiches:
            nom = identifiant(fiche)
            self._par_identifiant.setdefault(_normal(nom), fiche.numero)
            self._numeros.add(fiche.numero)
            self._noms.append(nom)

    def resoudre(self, texte: str) -> int:
        """Voir :func:`resoudre`."""
        cherche = _normal(texte)
        trouve = self._par_identifiant.get(cherche)
        if trouve is not None:
            return trouve
        if cherche.isascii() and cherche.isdigit() and int(cherche) in self._numeros:
            return int(cherche)
        tous = ordre_naturel(self._noms)
        connus = ", ".join(tous[:_CITES]) + (" …" if len(tous) > _CITES else "") or "aucun"
        raise FicheInconnue(
            f"la fiche « {texte.strip()} » n'existe pas ; identifiants connus : {connus}"
        )


def resoudre(fiches: Iterable[AvecIdentifiant], texte: str) -> int:
    """Le numéro de la fiche que désigne ``texte`` : son identifiant (sans tenir compte de la
    casse ni des espaces autour) ou son numéro. L'identifiant l'emporte : ``cls validate``
    refuse qu'un identifiant soit le numéro d'une autre fiche.

    Lève :class:`FicheInconnue` (message en français) si aucune fiche ne correspond."""
    return Repertoire(fiches).resoudre(texte)


def ordre_naturel(identifiants: Iterable[str]) -> list[str]:
    """Les identifiants dans l'ordre naturel (``A2`` avant ``A10``, ``3.1`` avant ``3.10``)."""
    return sorted(identifiants, key=lambda i: (cle_naturelle(i), i))


# --- Les règles (cls validate, cls new --identifiant, cls import-fiches) ---------------


def doublon(autres: Iterable[AvecIdentifiant], ident: str) -> tuple[str, str] | None:
    """(message, correction) si une des ``autres`` fiches porte déjà l'identifiant ``ident``
    (sans tenir compte de la casse : ``cls show a2`` désigne « A2 »)."""
    cherche = _normal(ident)
    for autre in autres:
        if autre.identifiant is not None and _normal(autre.identifiant) == cherche:
            return (
                f"l'identifiant « {ident} » est déjà celui de la fiche n° {autre.numero}",
                "donnez à chaque fiche un identifiant unique, tel que le contrat l'écrit",
            )
    return None


def ambiguite(autres: Iterable[AvecIdentifiant], ident: str) -> tuple[str, str] | None:
    """(message, correction) si l'identifiant ``ident`` est le numéro d'une des ``autres``
    fiches : « cls show 12 » ne saurait laquelle montrer."""
    nu = ident.strip()
    if not (nu.isascii() and nu.isdigit()):
        return None
    for autre in autres:
        if autre.numero == int(nu):
            return (
                f"l'identifiant « {ident} » est le numéro d'une autre fiche "
                f"(« {identifiant(autre)} », n° {autre.numero}) : « cls show {nu} » serait ambigu",
                "choisissez un identifiant qui n'est le numéro d'aucune autre fiche, ou "
                "renumérotez les fiches pour que le numéro et l'identifiant coïncident",
            )
    return None


def conflit(autres: Iterable[AvecIdentifiant], ident: str) -> tuple[str, str] | None:
    """Pourquoi une nouvelle fiche ne peut pas prendre l'identifiant ``ident`` (None si elle
    le peut) : les règles de ``cls validate`` (:func:`doublon`, :func:`ambiguite`)."""
    liste = list(autres)
    return doublon(liste, ident) or ambiguite(liste, ident)


def renumerotation(fiches: Iterable[AvecIdentifiant]) -> dict[int, int]:
    """Numéro actuel -> numéro à donner, pour les fiches dont le rang (ordre des numéros)
    ne suit pas l'ordre naturel des identifiants ; vide si l'ordre est suivi ou si aucune
    fiche n'a d'identifiant propre. Les numéros existants sont seulement permutés."""
    liste = sorted(fiches, key=lambda f: f.numero)
    if all(f.identifiant is None for f in liste):
        return {}
    naturel = sorted(liste, key=lambda f: (cle_naturelle(identifiant(f)), f.numero))
    return {
        f.numero: rang.numero
        for f, rang in zip(naturel, liste, strict=True)
        if f.numero != rang.numero
    }
