"""Relire un tableau rempli par une personne (CSV ou Excel), sans se laisser piéger.

Un tableau revenu d'un porteur est une entrée non fiable. :func:`lire_tableau` rend ses
lignes (un texte par colonne connue, et le nombre tel que le tableur le stocke pour les
cellules numériques, avec son format pourcentage) ou refuse le fichier par une
:class:`ErreurDonnees` qui nomme la ligne (CSV) ou la feuille et la cellule (Excel).
Jamais une ligne perdue en silence :

- CSV strict (:mod:`cls_cli.lecture_csv`) : une ligne qui n'a pas autant de champs que
  l'en-tête, un guillemet non fermé ou mal placé, un champ trop long sont refusés ;
- Excel (:mod:`cls_cli.lecture_xlsx`, openpyxl par defusedxml) : une formule sans valeur
  calculée, des cellules fusionnées dans la zone de saisie, une valeur hors des colonnes
  du tableau sont refusées ; une colonne ou une feuille étrangère au tableau est ignorée
  avec un avertissement ; les lignes au-delà de la taille déclarée de la feuille sont
  lues ; les dates restent des dates (AAAA-MM-JJ) ;
- limites (:class:`Limites`) vérifiées avant de tout charger : taille du fichier, taille
  décompressée d'un classeur, nombre de lignes, longueur d'un champ.

Les lignes vides sont gardées : c'est à l'appelant de les ignorer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.lecture_csv import lire_csv
from cls_cli.lecture_types import LIMITES, Entetes, Lecture, LigneLue, Limites, NombreLu, en_mo
from cls_cli.lecture_xlsx import lire_xlsx

__all__ = ["LIMITES", "Lecture", "LigneLue", "Limites", "NombreLu", "lire_tableau"]


def lire_tableau(
    chemin: Path,
    colonnes: Sequence[tuple[str, str]],
    obligatoires: Collection[str],
    limites: Limites = LIMITES,
    feuilles_annexes: Collection[str] = (),
    modele: str = "« cls template »",
    avec_classeur: Callable[[Any], None] | None = None,
) -> Lecture:
    """Les lignes d'un tableau .csv ou .xlsx dont ``colonnes`` donne (clé, en-tête).

    ``feuilles_annexes`` : les feuilles que cls a lui-même placées dans le classeur à côté
    du tableau (mode d'emploi, métadonnées d'une campagne), passées sans avertissement ;
    ``modele`` : la commande qui écrit le modèle du tableau (dite si une colonne manque) ;
    ``avec_classeur`` : voir :func:`~cls_cli.lecture_xlsx.lire_xlsx` (.xlsx seulement)."""
    if not chemin.is_file():
        raise ErreurUsage(f"le fichier {chemin} n'existe pas")
    extension = chemin.suffix.lower()
    if extension not in (".csv", ".xlsx"):
        raise ErreurUsage(f"extension « {chemin.suffix} » non gérée : .csv ou .xlsx attendu")
    taille = chemin.stat().st_size
    if taille > limites.octets:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"fichier trop gros ({en_mo(taille)} ; un tableau de collecte fait au plus "
            f"{en_mo(limites.octets)})",
            "vérifiez que c'est bien le tableau de collecte ; sinon, découpez-le en plusieurs "
            "fichiers importés l'un après l'autre",
            "limite-taille",
        )
    entetes = Entetes(chemin, colonnes, obligatoires, modele)
    if extension == ".csv":
        return Lecture(lire_csv(chemin, entetes, limites))
    return lire_xlsx(chemin, entetes, limites, feuilles_annexes, avec_classeur)
