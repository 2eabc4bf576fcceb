"""Chaque fiche comptée : un résultat (rapport, synthèse, liste) ne perd jamais une fiche
en silence.

:func:`fiches_ecartees` rend les fiches laissées de côté, avec leurs problèmes, si on les
accepte (``partiel``) ; sinon elle refuse le chargement. Un arbre lui-même invalide
(axes.yaml ou contrat.yaml absent ou invalide, aucune fiche) est toujours refusé.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from cls_cli.chargement import Chargement
from cls_cli.erreurs import ErreurDonnees, Probleme


@dataclass(frozen=True)
class FicheEcartee:
    """Un fichier de fiche laissé de côté et les problèmes qui l'empêchent de se charger."""

    chemin: str
    problemes: tuple[Probleme, ...]


def fiches_ecartees(chargement: Chargement, partiel: bool) -> list[FicheEcartee]:
    """Les fiches laissées de côté (acceptées seulement avec ``partiel``).

    Lève :class:`ErreurDonnees` si l'arbre lui-même a un problème, ou si une fiche ne se
    charge pas sans ``partiel`` : jamais un total plus petit avec un code de sortie 0.
    """
    ecartees = set(chargement.ecartees)
    arbre = [p for p in chargement.problemes if p.chemin not in ecartees]
    if arbre:
        premier = arbre[0]
        autres = f" (et {len(arbre) - 1} autre(s) problème(s))" if len(arbre) > 1 else ""
        raise ErreurDonnees(
            premier.chemin,
            premier.ligne,
            premier.colonne,
            premier.message + autres,
            f"{premier.correction} ; « cls validate » liste tous les problèmes".lstrip(" ;"),
            premier.regle,
        )
    resultat = [
        FicheEcartee(chemin, tuple(sorted(p for p in chargement.problemes if p.chemin == chemin)))
        for chemin in sorted(ecartees)
    ]
    if resultat and not partiel:
        noms = ", ".join(PurePath(e.chemin).name for e in resultat)
        raise ErreurDonnees(
            resultat[0].chemin,
            1,
            1,
            f"{len(resultat)} fiche(s) ne se chargent pas et manqueraient au résultat : {noms}",
            "corrigez-les (« cls validate » détaille chaque problème), ou ajoutez --partial "
            "pour produire le résultat sans elles, signalées par un bandeau",
            "fiche-ecartee",
        )
    return resultat
