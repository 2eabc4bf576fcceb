"""Épissure : poser des mesures et des points de suivi dans le texte d'une fiche en
insérant (ou en remplaçant) quelques lignes, sans aller-retour ruamel.

Un aller-retour ruamel (lire puis réécrire toute la fiche) coûte une dizaine de
millisecondes par fiche ; l'épissure, une fraction. Elle ne sait faire que le cas
courant, et le refuse (:class:`NonEpissable`) dès que le texte sort du format des fiches
livrées : le chemin d'écriture (:mod:`cls_cli.plan`) reprend alors la fiche par
l'aller-retour. Ce qu'elle sait faire :

- ajouter une entrée à la fin d'une liste en bloc (``mesures:`` d'un indicateur,
  ``suivi:`` de la fiche), ou à une liste vide écrite ``[]`` ;
- remplacer l'entrée de la même année, si elle ne porte aucun commentaire ;
- ne rien faire pour une entrée identique déjà présente.

Les lignes de l'entrée sont écrites par ruamel, avec la configuration du projet : le
résultat est octet pour octet celui de l'aller-retour (tests/test_ecriture.py le vérifie
pour chaque fiche de data/ et de la démo). Les données passées à :func:`episser` sont
modifiées comme le texte : relire le nouveau texte doit les redonner
(:func:`cls_cli.plan` le vérifie avant d'écrire).

Les lignes sont repérées grâce au lecteur rapide : la k-ième entrée de la liste
``indicateurs`` du texte est le k-ième indicateur lu, et le nombre d'entrées de chaque
liste doit être celui que le lecteur a lu.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap

from cls_cli.yamlio import yaml_aller_retour

Effet = Literal["ajoutee", "remplacee", "inchangee"]


class NonEpissable(Exception):
    """Le texte ou la modification sort du cas courant : passer par l'aller-retour."""


@dataclass(frozen=True)
class Pose:
    """Une entrée à poser : dans les mesures de l'indicateur ``code`` (ou, si ``code`` est
    None, dans le suivi de la fiche) ; ``entree`` est l'entrée telle qu'elle s'écrit."""

    code: str | None
    entree: CommentedMap


@dataclass(frozen=True)
class _Liste:
    cle: int  # indice de la ligne « clé: »
    vide: bool  # « clé: [] »
    entrees: tuple[tuple[int, int], ...]  # (première ligne, fin du contenu) de chaque entrée
    fin_contenu: int  # après la dernière ligne de contenu de la liste


_BLOC_LITTERAL = re.compile(r"[|>][-+0-9]*\s*\Z")


def _indentation(ligne: str) -> int:
    return len(ligne) - len(ligne.lstrip(" "))


def _contenu(ligne: str) -> bool:
    """Une ligne qui porte une valeur (ni vide, ni seulement un commentaire)."""
    reste = ligne.strip()
    return bool(reste) and not reste.startswith("#")


def _liste(lignes: Sequence[str], debut: int, fin: int, cle: str, ki: int) -> _Liste:
    """La liste ``cle:`` du bloc de clés indenté de ``ki`` entre les lignes debut et fin."""
    marge = " " * ki
    trouvees = [j for j in range(debut, fin) if lignes[j].startswith(f"{marge}{cle}:")]
    if len(trouvees) != 1:
        raise NonEpissable
    j = trouvees[0]
    if lignes[j] == f"{marge}{cle}: []\n":
        if j + 1 < len(lignes) and not _contenu(lignes[j + 1]):
            raise NonEpissable  # un commentaire suit : l'aller-retour sait où le mettre
        return _Liste(j, True, (), j + 1)
    if lignes[j] != f"{marge}{cle}:\n":
        raise NonEpissable
    debuts: list[int] = []
    fin_contenu = j + 1
    k = j + 1
    while k < fin:
        ligne = lignes[k]
        if _contenu(ligne):
            retrait = _indentation(ligne)
            if retrait <= ki:
                break
            if "#" in ligne or _BLOC_LITTERAL.search(ligne):
                raise NonEpissable
            if retrait == ki + 2 and ligne[retrait:].startswith("- "):
                debuts.append(k)
            elif retrait < ki + 4:
                raise NonEpissable
            fin_contenu = k + 1
        elif "#" in ligne and debuts:
            raise NonEpissable  # commentaire entre deux entrées : laissé à l'aller-retour
        k += 1
    if not debuts:
        raise NonEpissable
    entrees = []
    for i, premiere in enumerate(debuts):
        suivante = debuts[i + 1] if i + 1 < len(debuts) else fin_contenu
        derniere = max(n for n in range(premiere, suivante) if _contenu(lignes[n])) + 1
        entrees.append((premiere, derniere))
    return _Liste(j, False, tuple(entrees), fin_contenu)


def _ligne(cle: str, valeur: Any) -> str:
    """« clé: valeur » comme l'écrit ruamel dans un bloc de clés."""
    if type(valeur) is int:
        return f"{cle}: {valeur}\n"
    return _ligne_ruamel(cle, type(valeur).__name__, valeur)


@cache
def _ligne_ruamel(cle: str, _type: str, valeur: Any) -> str:
    """Écrite par ruamel une fois pour toutes (les sources, statuts… se répètent) ;
    NonEpissable si la valeur ne tient pas sur une ligne."""
    if isinstance(valeur, str) and len(valeur) > 1000:
        raise NonEpissable  # loin de la largeur de repli de ruamel, quelle que soit la marge
    flux = io.StringIO()
    yaml_aller_retour().dump(CommentedMap([(cle, valeur)]), flux)
    texte = flux.getvalue()
    if texte.count("\n") != 1 or not texte.startswith(f"{cle}: "):
        raise NonEpissable
    return texte


def _lignes_entree(entree: CommentedMap, ki: int) -> list[str]:
    """Les lignes d'une entrée de liste dont la clé est indentée de ``ki``."""
    lignes = [_ligne(cle, valeur) for cle, valeur in entree.items()]
    marge = " " * (ki + 4)
    return [marge[:-2] + "- " + lignes[0], *(marge + ligne for ligne in lignes[1:])]


def _identique(existante: Any, entree: CommentedMap) -> bool:
    return dict(existante) == dict(entree)


def episser(
    texte: str, valeurs: dict[str, Any], poses: Sequence[Pose], remplacer: bool
) -> tuple[str, list[tuple[Effet, dict[str, Any] | None]]]:
    """Le texte avec toutes les ``poses`` faites, et pour chacune son effet et l'entrée
    de même année qui existait. ``valeurs`` (le texte lu par le lecteur rapide) est
    modifié de même. NonEpissable si l'une d'elles sort du cas courant (y compris un
    conflit sans ``remplacer`` : l'aller-retour le signale, ou deux poses dans la même
    liste)."""
    if "\r" in texte or not texte.endswith("\n"):
        raise NonEpissable
    if len({p.code for p in poses}) != len(poses):
        raise NonEpissable
    lignes = texte.splitlines(keepends=True)
    indicateurs = valeurs.get("indicateurs")
    bornes: _Liste | None = None
    effets: list[tuple[Effet, dict[str, Any] | None]] = []
    retouches: list[tuple[int, int, list[str]]] = []  # (début, fin, nouvelles lignes)
    for pose in poses:
        if pose.code is None:
            parent, cle, ki, debut, fin = valeurs, "suivi", 0, 0, len(lignes)
        else:
            if not isinstance(indicateurs, list):
                raise NonEpissable
            rangs = [
                i
                for i, ind in enumerate(indicateurs)
                if isinstance(ind, dict) and ind.get("code") == pose.code
            ]
            if len(rangs) != 1:
                raise NonEpissable
            if bornes is None:
                bornes = _liste(lignes, 0, len(lignes), "indicateurs", 0)
                if len(bornes.entrees) != len(indicateurs):
                    raise NonEpissable
            rang = rangs[0]
            parent, cle, ki = indicateurs[rang], "mesures", 4
            debut = bornes.entrees[rang][0]
            fin = bornes.entrees[rang + 1][0] if rang + 1 < len(indicateurs) else bornes.fin_contenu
        entrees = parent.get(cle)
        if not isinstance(entrees, list) or not all(isinstance(e, dict) for e in entrees):
            raise NonEpissable
        liste = _liste(lignes, debut, fin, cle, ki)
        if len(liste.entrees) != len(entrees):
            raise NonEpissable
        nouvelles = _lignes_entree(pose.entree, ki)
        annee = pose.entree["annee"]
        memes = [i for i, e in enumerate(entrees) if e.get("annee") == annee]
        if len(memes) > 1:
            raise NonEpissable
        if memes:
            i = memes[0]
            existante = entrees[i]
            if _identique(existante, pose.entree):
                effets.append(("inchangee", existante))
                continue
            if not remplacer:
                raise NonEpissable
            premiere, derniere = liste.entrees[i]
            if derniere < len(lignes) and not _contenu(lignes[derniere]):
                raise NonEpissable  # ligne vide ou commentaire après l'entrée remplacée
            retouches.append((premiere, derniere, nouvelles))
            entrees[i] = dict(pose.entree)
            effets.append(("remplacee", existante))
        elif liste.vide:
            retouches.append((liste.cle, liste.cle + 1, [f"{' ' * ki}{cle}:\n", *nouvelles]))
            entrees.append(dict(pose.entree))
            effets.append(("ajoutee", None))
        else:
            retouches.append((liste.fin_contenu, liste.fin_contenu, nouvelles))
            entrees.append(dict(pose.entree))
            effets.append(("ajoutee", None))
    for debut, fin, nouvelles in sorted(retouches, key=lambda r: r[0], reverse=True):
        lignes[debut:fin] = nouvelles  # du bas vers le haut : les indices restent justes
    return "".join(lignes), effets
