"""Les avenants d'une version passée de l'arbre (``cls diff`` nomme les avenants d'un
changement). À part de :mod:`cls_cli.avenants` : la lecture d'un commit passe par
:mod:`cls_cli.depot`, qui dépend des rapports, qui dépendent des avenants."""

from __future__ import annotations

from pathlib import Path

from cls_cli.avenants import DOSSIER_AVENANTS, Avenant
from cls_cli.chargement import analyser_octets
from cls_cli.depot import Depot
from cls_cli.emplacements import DOSSIER_FICHES
from cls_cli.references import contexte_de


def avenants_du_commit(depot: Depot, commit: str, racine: Path) -> list[Avenant]:
    """Les avenants valides de l'arbre au ``commit`` (``cls diff``) ; un fichier invalide à
    cette version est ignoré (``cls validate`` le juge sur l'arbre de travail). Une fiche
    citée par son identifiant est résolue avec les fiches de la même version."""
    fichiers = depot.fichiers(commit, depot.racine_relative / DOSSIER_AVENANTS)
    chemins = sorted(c for c in fichiers if c.suffix in (".yaml", ".yml"))

    def octets_fiches() -> list[bytes]:
        actions = depot.fichiers(commit, depot.racine_relative / DOSSIER_FICHES)
        objets = [actions[c] for c in sorted(actions) if c.suffix in (".yaml", ".yml")]
        return list(depot.contenus(objets))

    fiches = contexte_de(octets_fiches)
    avenants = []
    for chemin, octets in zip(chemins, depot.contenus([fichiers[c] for c in chemins]), strict=True):
        _, avenant, _ = analyser_octets(
            octets, racine / DOSSIER_AVENANTS / chemin.name, Avenant, racine, fiches
        )
        if avenant is not None:
            avenants.append(avenant)
    return sorted(avenants, key=lambda a: a.numero)


def nouveaux(avant: list[Avenant], apres: list[Avenant]) -> list[Avenant]:
    """Les avenants de ``apres`` absents de ``avant`` ou modifiés depuis."""
    anciens = {a.numero: a for a in avant}
    return [a for a in apres if anciens.get(a.numero) != a]
