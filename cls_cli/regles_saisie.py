"""Les règles d'une saisie, chacune écrite une seule fois.

- le fichier d'une fiche : ``actions/<numéro>-<titre>.yaml``, le numéro écrit avec
  n'importe quel nombre de chiffres (``1-…``, ``01-…``, ``001-…``) :
  :func:`numero_du_nom`, :func:`index_fiches`, :func:`chemin_fiche` ;
- l'indicateur d'une fiche d'après son code : :func:`trouver_indicateur` ;
- l'année d'une saisie dans la période du contrat :
  :func:`cls_cli.periode.verifier_annee_de_saisie` ;
- une mesure a soit une valeur (lue selon le type de l'indicateur, voir
  :func:`cls_cli.saisie.lire_valeur`), soit une raison d'être manquante, jamais les
  deux : :func:`mesure`.

Fonctions pures (hormis la lecture du dossier des fiches) ; une règle violée lève
``ValueError`` ou :class:`~cls_cli.erreurs.ErreurUsage` avec une phrase française.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cls_cli.chargement import DOSSIER_FICHES
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import Statut, TypeIndicateur, Valeur
from cls_cli.saisie import Brut, lire_valeur

_NOM_DE_FICHE = re.compile(r"(\d+)-.*\.yaml\Z", re.DOTALL)
T = TypeVar("T")


@dataclass(frozen=True)
class SaisieMesure:
    annee: int
    valeur: Valeur | None = None
    manquante: str | None = None
    date: dt.date | None = None
    source: str | None = None
    commentaire: str | None = None


@dataclass(frozen=True)
class SaisieSuivi:
    annee: int
    statut: Statut
    avancement: int | float | None = None
    commentaire: str | None = None


# --- Le fichier d'une fiche ------------------------------------------------------------


def numero_du_nom(nom: str) -> int | None:
    """Le numéro de fiche d'un nom de fichier (``007-titre.yaml`` -> 7), sinon None."""
    trouve = _NOM_DE_FICHE.match(nom)
    return int(trouve.group(1)) if trouve else None


def index_fiches(racine: Path) -> dict[int, list[Path]]:
    """Les fichiers de fiches par numéro, en une seule lecture du dossier : pour trouver
    des milliers de fiches sans relire le dossier pour chacune (voir :func:`chemin_fiche`)."""
    index: dict[int, list[Path]] = {}
    dossier = racine / DOSSIER_FICHES
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(dossier) as es:
        for nom in sorted(e.name for e in es):
            numero = numero_du_nom(nom)
            if numero is not None:
                index.setdefault(numero, []).append(dossier / nom)
    return index


def chemin_fiche(racine: Path, numero: int, index: dict[int, list[Path]] | None = None) -> Path:
    """Le fichier de la fiche ``numero``, trouvé dans ``index`` (de :func:`index_fiches`)
    ou par un parcours du dossier ; ErreurUsage s'il n'y en a aucun ou plusieurs."""
    candidats = (index if index is not None else index_fiches(racine)).get(numero, [])
    if not candidats:
        raise ErreurUsage(
            f"la fiche {numero} n'existe pas dans {racine / DOSSIER_FICHES} "
            "(cls list affiche les fiches)"
        )
    if len(candidats) > 1:
        liste = ", ".join(c.name for c in candidats)
        raise ErreurUsage(f"plusieurs fichiers pour la fiche {numero} : {liste} ; gardez-en un")
    return candidats[0]


# --- Indicateur, année, valeur ---------------------------------------------------------


def trouver_indicateur(
    indicateurs: Iterable[T], code: str, numero: object, code_de: Callable[[T], Any]
) -> T:
    """L'indicateur de code ``code`` parmi ``indicateurs`` (``code_de`` lit le code d'un
    indicateur : modèle ou document YAML) ; ValueError qui liste les codes sinon."""
    liste = list(indicateurs)
    for ind in liste:
        if code_de(ind) == code:
            return ind
    codes = ", ".join(str(code_de(i)) for i in liste)
    raise ValueError(
        f"la fiche {numero} n'a pas d'indicateur « {code} » (indicateurs : {codes or 'aucun'})"
    )


def mesure(
    annee: int,
    type_: TypeIndicateur,
    valeur: Brut | None,
    manquante: str | None,
    date: dt.date | None = None,
    source: str | None = None,
    commentaire: str | None = None,
    *,
    pourcent: bool = False,
    unite: str | None = None,
) -> SaisieMesure:
    """La mesure saisie : une valeur lue selon ``type_``, ou la raison de son absence
    (exactement l'une des deux ; un texte vide compte comme absent). ``pourcent`` et
    ``unite`` : voir :func:`cls_cli.saisie.lire_valeur`."""
    if isinstance(valeur, str) and not valeur.strip():
        valeur = None
    manquante = manquante if manquante and manquante.strip() else None
    if (valeur is None) == (manquante is None):
        raise ValueError(
            "donnez soit une valeur, soit la raison pour laquelle elle manque (pas les deux)"
        )
    lue = None if valeur is None else lire_valeur(valeur, type_, pourcent=pourcent, unite=unite)
    return SaisieMesure(annee, lue, manquante, date, source, commentaire)
