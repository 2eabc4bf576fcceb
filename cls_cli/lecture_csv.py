"""Lecture stricte d'un tableau CSV rempli : chaque ligne a autant de champs que l'en-tête.

Le module ``csv`` en mode strict, lu au fil de l'eau (jamais tout le fichier en mémoire).
Un guillemet égaré au début d'un champ ferait avaler les lignes suivantes dans ce champ :
la ligne est refusée, nommée, dès que le nombre de champs ne colle plus ou qu'un champ
s'étend sur plusieurs lignes en contenant des séparateurs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from cls_cli.erreurs import ErreurDonnees
from cls_cli.lecture_types import Entetes, LigneLue, Limites, en_entier

_GUILLEMET = (
    "un guillemet (\") ouvre un champ qui n'est jamais fermé : retirez-le, ou doublez-le "
    '("") s\'il fait partie du texte'
)


def lire_csv(chemin: Path, entetes: Entetes, limites: Limites) -> list[LigneLue]:
    """Les lignes d'un CSV UTF-8 (séparateur « ; », « , » ou tabulation, selon l'en-tête)."""
    try:
        return list(_rangees(chemin, entetes, limites))
    except UnicodeDecodeError:
        raise ErreurDonnees(
            chemin,
            _ligne_non_utf8(chemin),
            1,
            "le fichier n'est pas en UTF-8 (sans doute en Latin-1/Windows)",
            "dans le tableur, « Enregistrer sous » > « CSV UTF-8 (délimité par des "
            "points-virgules) »",
            "encodage",
        ) from None


def _ligne_non_utf8(chemin: Path) -> int:
    with chemin.open("rb") as flux:
        for numero, octets in enumerate(flux, start=1):
            try:
                octets.decode("utf-8")
            except UnicodeDecodeError:
                return numero
    return 1  # pragma: no cover - appelé seulement après une erreur de décodage


def _refus(chemin: Path, ligne: int, message: str, correction: str) -> ErreurDonnees:
    return ErreurDonnees(chemin, ligne, 1, message, correction, "csv")


def _rangees(chemin: Path, entetes: Entetes, limites: Limites) -> Iterator[LigneLue]:
    with chemin.open(encoding="utf-8-sig", newline="") as flux:
        premiere = flux.readline(limites.champ * len(entetes.colonnes))
        if not premiere.strip():
            raise ErreurDonnees(chemin, 1, 1, "le fichier est vide", "repartez du modèle", "vide")
        separateur = max((";", ",", "\t"), key=premiere.count)
        flux.seek(0)
        lecteur = csv.reader(flux, delimiter=separateur, strict=True)
        lues = 0  # dernière ligne physique lue sans erreur
        try:
            cles = entetes.cles(next(lecteur))
            lues = lecteur.line_num
            for nombre, rangee in enumerate(lecteur, start=1):
                debut, lues = lues + 1, lecteur.line_num
                if nombre > limites.lignes:
                    raise _refus(
                        chemin,
                        debut,
                        f"plus de {en_entier(limites.lignes)} lignes",
                        "un tableau de collecte en compte quelques centaines : vérifiez le fichier",
                    )
                if not rangee:
                    continue  # ligne vide
                _verifier(chemin, rangee, len(cles), separateur, debut, lues, limites)
                yield LigneLue(
                    f"{chemin}:{debut}",
                    {c: v.strip() for c, v in zip(cles, rangee, strict=True) if c},
                )
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                message = f"un champ dépasse {en_entier(limites.champ)} caractères"
                raise _refus(chemin, lues + 1, message, "raccourcissez ce texte") from None
            if "unexpected end of data" in str(exc):
                message = "guillemet jamais fermé : le fichier se termine dans ce champ"
            elif "expected after" in str(exc):
                message = "guillemet mal placé : du texte suit le guillemet qui ferme un champ"
            else:
                message = "guillemet mal placé ou non fermé"
            raise _refus(chemin, lues + 1, message, _GUILLEMET) from None


def _verifier(
    chemin: Path,
    rangee: list[str],
    largeur: int,
    separateur: str,
    debut: int,
    fin: int,
    limites: Limites,
) -> None:
    if len(rangee) != largeur:
        etendue = f" (elle s'étend jusqu'à la ligne {fin})" if fin > debut else ""
        raise _refus(
            chemin,
            debut,
            f"la ligne a {len(rangee)} champs, l'en-tête {largeur}{etendue}",
            f"un « {separateur} » en trop ou en moins, ou {_GUILLEMET}",
        )
    for i, champ in enumerate(rangee, start=1):
        if len(champ) > limites.champ:
            raise _refus(
                chemin,
                debut,
                f"le champ n° {i} fait {en_entier(len(champ))} caractères "
                f"(au plus {en_entier(limites.champ)})",
                "raccourcissez ce texte",
            )
        if "\n" in champ and separateur in champ:
            raise _refus(
                chemin,
                debut,
                f"le champ n° {i} s'étend sur les lignes {debut} à {fin} et contient des "
                f"« {separateur} » : des lignes y ont été avalées",
                _GUILLEMET,
            )
