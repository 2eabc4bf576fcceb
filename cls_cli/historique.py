"""La vie d'une fiche dans l'historique git : qui a changé quoi, et quand.

Pour chaque commit qui a touché un fichier de la fiche, on compare la fiche dans ce
commit et dans son premier parent avec :func:`cls_cli.changements.comparer_fiche` (le
même code que ``cls diff``) ; un commit qui n'a fait que reformater la fiche n'apparaît
pas. Les modifications pas encore enregistrées (arbre de travail) viennent en premier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cls_cli.changements import Changement, comparer_fiche, numero_de, valeurs_fiche
from cls_cli.chargement import DOSSIER_FICHES, FicheChargee, analyser_octets
from cls_cli.depot import Commit, Depot
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import Fiche


@dataclass(frozen=True)
class Etape:
    """Un commit (None : les modifications non enregistrées) et ce qu'il a changé à la fiche."""

    commit: Commit | None
    changements: tuple[Changement, ...]


@dataclass(frozen=True)
class Historique:
    numero: int
    titre: str
    etapes: tuple[Etape, ...]
    identifiant: str | None = None  # tel que le contrat l'écrit (la version la plus récente)


def _numero_du_nom(nom: str) -> int | None:
    m = re.match(r"^(\d+)-", nom)
    return int(m.group(1)) if m else None


def _contenu(octets: bytes, chemin: Path, racine: Path, numero: int) -> dict[str, Any] | None:
    document, fiche, _ = analyser_octets(octets, chemin, Fiche, racine)
    contenu = valeurs_fiche(FicheChargee(chemin, document, fiche))
    return contenu if contenu is not None and numero_de(contenu) == numero else None


def _fiche_au_commit(
    depot: Depot, commit: str | None, racine: Path, numero: int
) -> dict[str, Any] | None:
    """Le contenu de la fiche ``numero`` au ``commit`` (None : absente ou illisible)."""
    if commit is None:
        return None
    fichiers = depot.fichiers(commit, depot.racine_relative / DOSSIER_FICHES)
    candidats = sorted(c for c in fichiers if _numero_du_nom(c.name) == numero)
    for chemin, octets in zip(
        candidats, depot.contenus([fichiers[c] for c in candidats]), strict=True
    ):
        contenu = _contenu(octets, racine / DOSSIER_FICHES / chemin.name, racine, numero)
        if contenu is not None:
            return contenu
    return None


def _fiche_sur_disque(racine: Path, numero: int) -> dict[str, Any] | None:
    dossier = racine / DOSSIER_FICHES
    candidats = sorted(dossier.glob("*.y*ml")) if dossier.is_dir() else []
    for chemin in candidats:
        if _numero_du_nom(chemin.name) == numero and chemin.is_file():
            contenu = _contenu(chemin.read_bytes(), chemin, racine, numero)
            if contenu is not None:
                return contenu
    return None


def historique(depot: Depot, racine: Path, numero: int) -> Historique:
    """Les étapes de la vie de la fiche ``numero``, de la plus récente à la plus ancienne."""
    dossier = depot.racine_relative / DOSSIER_FICHES
    commits = [
        c
        for c in depot.journal(dossier)
        if any(_numero_du_nom(PurePosixPath(f).name) == numero for f in c.fichiers)
    ]
    memo: dict[str | None, dict[str, Any] | None] = {}

    def au(commit: str | None) -> dict[str, Any] | None:
        if commit not in memo:
            memo[commit] = _fiche_au_commit(depot, commit, racine, numero)
        return memo[commit]

    etapes = []
    actuelle = _fiche_sur_disque(racine, numero)
    tete = depot.commit("HEAD") if commits else None
    en_cours = comparer_fiche(numero, au(tete), actuelle)
    if en_cours:
        etapes.append(Etape(None, tuple(en_cours)))
    for commit in commits:
        changements = comparer_fiche(numero, au(commit.parent), au(commit.sha))
        if changements:
            etapes.append(Etape(commit, tuple(changements)))
    if not etapes and actuelle is None:
        raise ErreurUsage(
            f"la fiche {numero} n'existe ni dans {racine / DOSSIER_FICHES} ni dans "
            "l'historique git (cls list affiche les fiches)"
        )
    titres = [c.get("titre") for c in (actuelle, *(memo.values())) if c is not None]
    idents = [c.get("identifiant") for c in (actuelle, *(memo.values())) if c is not None]
    ident = idents[0] if idents and isinstance(idents[0], str) else None
    return Historique(numero, str(titres[0]) if titres else "", tuple(etapes), ident)
