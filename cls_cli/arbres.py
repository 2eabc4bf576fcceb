"""Un arbre de données lu et validé d'un bloc, pour les commandes qui en lisent plusieurs
ou qui le copient ailleurs (``cls export``, ``cls rollup``).

:func:`lire_arbre` applique toutes les règles de ``cls validate`` : un arbre qui a une
seule erreur est refusé (jamais une table ou un total faux en silence) ; les
avertissements (champs « À COMPLÉTER », fiches sans indicateur) n'empêchent rien.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cls_cli.avenants import Avenant, charger_avenants
from cls_cli.chargement import Referentiel
from cls_cli.erreurs import ErreurDonnees, Niveau, Probleme
from cls_cli.evaluations import Evaluation, Instance


@dataclass(frozen=True)
class Arbre:
    """Un arbre valide : le référentiel, ses avenants, évaluations et réunions (par nom de
    fichier sans extension)."""

    racine: Path
    referentiel: Referentiel
    avenants: tuple[Avenant, ...]
    evaluations: tuple[tuple[str, Evaluation], ...]
    instances: tuple[tuple[str, Instance], ...]


def erreurs(racine: Path) -> tuple[Arbre | None, list[Probleme]]:
    """L'arbre ``racine`` s'il est valide, sinon None et ses erreurs (triées)."""
    from cls_cli.regles_evaluations import charger_gouvernance
    from cls_cli.verification import valider

    resultat = valider(racine)
    graves = [p for p in resultat.problemes if p.niveau is Niveau.ERREUR]
    if graves:
        return None, graves
    gouvernance = charger_gouvernance(racine)
    arbre = Arbre(
        racine=racine,
        referentiel=resultat.referentiel,
        avenants=tuple(charger_avenants(racine).valides()),
        evaluations=tuple((lu.ident, lu.modele) for lu in gouvernance.evaluations),
        instances=tuple((lu.ident, lu.modele) for lu in gouvernance.instances),
    )
    return arbre, []


def erreur_arbre(racine: Path, problemes: list[Probleme]) -> ErreurDonnees:
    """L'erreur qui refuse un arbre invalide : sa première erreur, et combien d'autres."""
    premier = problemes[0]
    autres = f" (et {len(problemes) - 1} autre(s) erreur(s))" if len(problemes) > 1 else ""
    return ErreurDonnees(
        premier.chemin,
        premier.ligne,
        premier.colonne,
        f"l'arbre de données {racine} est invalide : {premier.message}{autres}",
        f"{premier.correction} ; « cls validate --data {racine} » liste tous les problèmes".lstrip(
            " ;"
        ),
        premier.regle or "arbre-invalide",
    )


def lire_arbre(racine: Path) -> Arbre:
    """L'arbre ``racine`` validé ; :class:`ErreurDonnees` à la première erreur."""
    arbre, problemes = erreurs(racine)
    if arbre is None:
        raise erreur_arbre(racine, problemes)
    return arbre
