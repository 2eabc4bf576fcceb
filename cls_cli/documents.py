"""Les fichiers YAML lus en documents : valeurs simples, positions des clés.

Un :class:`Document` garde le texte d'un fichier et ses valeurs ; le document
aller-retour de ruamel, qui sait à quelle ligne est chaque valeur, n'est relu qu'à la
demande, pour situer un problème (:func:`position`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cls_cli.yamlio import RepliAllerRetour, charger_rapide, charger_texte

_A_LIRE: Any = object()


class Document:
    """Un fichier YAML lu : ses valeurs simples (``valeurs``) et, à la demande seulement, le
    document aller-retour de ruamel (``arbre_yaml``) qui sait à quelle ligne est chaque valeur.

    Le lecteur rapide donne ``valeurs`` ; ``arbre_yaml`` n'est relu (lentement) que pour situer
    un problème. Quand le lecteur rapide a refusé le texte, ``arbre_yaml`` est déjà lu.
    """

    def __init__(self, texte: str, chemin: Path, valeurs: Any, arbre_yaml: Any = _A_LIRE) -> None:
        # Gardé en UTF-8 : deux fois plus petit qu'un texte Python qui contient « ’ » ou « € ».
        self._utf8 = texte.encode("utf-8")
        self.chemin, self._valeurs, self._arbre_yaml = chemin, valeurs, arbre_yaml

    @property
    def texte(self) -> str:
        return self._utf8.decode("utf-8")

    def contient(self, mot: str) -> bool:
        """Le texte du fichier contient-il ``mot`` ? (Sans le décoder.)"""
        return mot.encode("utf-8") in self._utf8

    @property
    def valeurs(self) -> Any:
        if self._valeurs is _A_LIRE:
            self._valeurs = lire(self.texte, self.chemin).valeurs
        return self._valeurs

    def prendre_valeurs_de_ruamel(self) -> None:
        """Les valeurs simples, désormais celles de ruamel (qui fait autorité)."""
        self._valeurs = en_python(self.arbre_yaml)

    def alleger(self) -> None:
        """Oublie les valeurs simples (relues à la demande) : une fiche valide vit dans son
        modèle, et 5 000 fiches tiennent ainsi deux fois moins de mémoire."""
        if self._arbre_yaml is _A_LIRE and self._utf8:
            self._valeurs = _A_LIRE

    @property
    def arbre_yaml(self) -> Any:
        if self._arbre_yaml is _A_LIRE:
            self._arbre_yaml = charger_texte(self.texte, self.chemin)
        return self._arbre_yaml

    @property
    def lu_en_aller_retour(self) -> bool:
        return self._arbre_yaml is not _A_LIRE


def lire(texte: str, chemin: Path) -> Document:
    """Lit un texte YAML : par le lecteur rapide, ou par ruamel s'il le faut (voir
    :mod:`cls_cli.yamlio`). Lève ErreurDonnees pour un texte illisible."""
    try:
        return Document(texte, chemin, charger_rapide(texte, chemin))
    except RepliAllerRetour:
        arbre_yaml = charger_texte(texte, chemin)
        return Document(texte, chemin, en_python(arbre_yaml), arbre_yaml)


def en_python(noeud: Any) -> Any:
    """Copie du document brut en types Python simples (dict, list, str…)."""
    if isinstance(noeud, dict):
        return {str(k) if not isinstance(k, str) else k: en_python(v) for k, v in noeud.items()}
    if isinstance(noeud, list):
        return [en_python(v) for v in noeud]
    if isinstance(noeud, str):
        return str(noeud)
    for type_ in (bool, int, float):  # les scalaires aller-retour de ruamel -> types simples
        if isinstance(noeud, type_):
            return type_(noeud)
    return noeud


def position(arbre_yaml: Any, loc: tuple[int | str, ...]) -> tuple[int, int]:
    """Ligne et colonne (à partir de 1) de l'élément désigné par ``loc`` dans le document brut.

    On descend aussi loin que le document le permet : pour une clé manquante, c'est la
    position du bloc qui devait la contenir.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    ligne, colonne = 0, 0
    noeud = arbre_yaml
    for cle in loc:
        if isinstance(noeud, CommentedMap) and isinstance(cle, str) and cle in noeud:
            ligne, colonne = noeud.lc.key(cle)
            noeud = noeud[cle]
        elif isinstance(noeud, CommentedSeq) and isinstance(cle, int) and 0 <= cle < len(noeud):
            ligne, colonne = noeud.lc.item(cle)
            noeud = noeud[cle]
        else:
            break
    return ligne + 1, colonne + 1


def chemin_cle(loc: tuple[int | str, ...]) -> str:
    """``('indicateurs', 0, 'mesures', 1, 'valeur')`` -> ``indicateurs[1].mesures[2].valeur``."""
    texte = ""
    for cle in loc:
        if isinstance(cle, int):
            texte += f"[{cle + 1}]"
        else:
            texte += f".{cle}" if texte else cle
    return texte


def scalaires(
    noeud: Any, loc: tuple[int | str, ...] = ()
) -> Iterator[tuple[Any, tuple[int | str, ...]]]:
    """Chaque valeur simple d'un document, avec son chemin de clés."""
    if isinstance(noeud, dict):
        for cle, valeur in noeud.items():
            yield from scalaires(valeur, (*loc, cle))
    elif isinstance(noeud, list):
        for i, valeur in enumerate(noeud):
            yield from scalaires(valeur, (*loc, i))
    else:
        yield noeud, loc
