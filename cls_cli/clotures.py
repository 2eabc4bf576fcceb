"""Les années closes : une fois les chiffres d'une année validés (COPIL), on ne les change plus.

``data/clotures.yaml`` (facultatif) liste les clôtures : année, date, référence de la
décision. :func:`verifier_ouverte` refuse une saisie pour une année close, sauf
réouverture explicite (``--reopen``) ; :func:`texte_avec_cloture` rend le nouveau texte
du fichier avec une clôture de plus (le reste du fichier est gardé tel quel) ;
:func:`closes_de_version` lit les clôtures d'une version git, pour que ``cls diff`` marque
chaque changement à une année close.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from cls_cli.chargement import analyser_octets
from cls_cli.erreurs import ErreurDonnees, Niveau, Probleme
from cls_cli.modeles import Annee, Date, Modele, Texte

if TYPE_CHECKING:
    from cls_cli.depot import Depot

FICHIER_CLOTURES = "clotures.yaml"


class Cloture(Modele):
    """La clôture d'une année : ses chiffres ont été validés."""

    annee: Annee = Field(description="L'année close.")
    date: Date = Field(description="Date de la décision (AAAA-MM-JJ).")
    decision: Texte = Field(description="Référence de la décision (ex. « COPIL du 12 mars »).")


class Clotures(Modele):
    """Le fichier ``data/clotures.yaml``."""

    clotures: list[Cloture] = Field(default_factory=list)


def lire(racine: Path) -> tuple[Clotures | None, list[Probleme]]:
    """Les clôtures de ``racine`` (None si le fichier n'existe pas), et ses problèmes."""
    chemin = racine / FICHIER_CLOTURES
    if not chemin.is_file():
        return None, []
    _, clotures, problemes = analyser_octets(chemin.read_bytes(), chemin, Clotures, racine)
    return clotures, problemes


def closes_de_version(racine: Path, depot: Depot, commit: str | None) -> dict[int, Cloture] | None:
    """Les années closes au ``commit`` (sur le disque si None) ; None si ``clotures.yaml``
    y est invalide (on ne sait pas alors quelles années sont closes)."""
    if commit is None:
        clotures, problemes = lire(racine)
    else:
        chemin = depot.racine_relative / FICHIER_CLOTURES
        blob = depot.fichiers(commit, depot.racine_relative).get(chemin)
        if blob is None:
            return {}
        octets = next(iter(depot.contenus([blob])))
        _, clotures, problemes = analyser_octets(
            octets, racine / FICHIER_CLOTURES, Clotures, racine
        )
    if any(p.niveau == Niveau.ERREUR for p in problemes):
        return None
    return {c.annee: c for c in clotures.clotures} if clotures else {}


def annees_closes(racine: Path) -> dict[int, Cloture]:
    """Les années closes ; ErreurDonnees si le fichier des clôtures est invalide (mieux
    vaut ne rien écrire que d'écrire dans une année peut-être close)."""
    clotures, problemes = lire(racine)
    erreurs = [p for p in problemes if p.niveau == Niveau.ERREUR]
    if erreurs:
        p = erreurs[0]
        raise ErreurDonnees(p.chemin, p.ligne, p.colonne, p.message, p.correction, p.regle)
    return {c.annee: c for c in clotures.clotures} if clotures else {}


def verifier_ouverte(annee: int, closes: Mapping[int, Cloture]) -> None:
    """ValueError si ``annee`` est close."""
    cloture = closes.get(annee)
    if cloture is not None:
        raise ValueError(
            f"l'année {annee} est close ({cloture.decision}, le {cloture.date.isoformat()}) : "
            "ses chiffres ont été validés ; ajoutez --reopen pour la modifier quand même"
        )


def texte_avec_cloture(ancien: str | None, annee: int, date: dt.date, decision: str) -> str:
    """Le texte de ``clotures.yaml`` avec la clôture de ``annee`` ajoutée à la fin."""
    entree = (
        f"  - annee: {annee}\n    date: {date.isoformat()}\n"
        f"    decision: {json.dumps(decision, ensure_ascii=False)}\n"
    )
    if ancien is None or not ancien.strip():
        return (
            "# Années closes : leurs chiffres ont été validés (cls campaign close).\n"
            "clotures:\n" + entree
        )
    if "clotures: []" in ancien:
        return ancien.replace("clotures: []", "clotures:\n" + entree.rstrip("\n"), 1)
    return ancien + ("" if ancien.endswith("\n") else "\n") + entree
