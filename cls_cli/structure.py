"""La structure du contrat : l'arbre des axes et objectifs, lu une fois, et l'ordre des codes.

Un contrat a un à trois niveaux au-dessus des fiches (``structure:`` de ``contrat.yaml``) :
les axes seuls, les axes et leurs objectifs, ou les axes, objectifs stratégiques et
objectifs opérationnels. Une fiche se rattache au niveau le plus bas. Les codes sont
écrits comme dans le contrat (``1``, ``A``, ``3.1``, ``II-2``) : le parent d'un code se lit
toujours dans l'arbre (:class:`Arbre`, une table code -> chemin), jamais en découpant le
code. C'est le seul endroit qui parcourt axes.yaml niveau par niveau.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cls_cli.modeles import STRUCTURES, Axes, NiveauArbre

_MORCEAUX = re.compile(r"(\d+)")


def cle_naturelle(code: str) -> tuple[tuple[int, int | str], ...]:
    """La clé de tri naturelle d'un code : ``2`` avant ``10``, ``1.2`` avant ``1.10``,
    ``A`` avant ``B`` ; les morceaux numériques comparés comme des nombres."""
    return tuple(
        (0, int(m)) if m.isdigit() else (1, m.casefold()) for m in _MORCEAUX.split(code) if m
    )


def tri_naturel(codes: Iterable[str]) -> list[str]:
    """Les codes dans l'ordre naturel (voir :func:`cle_naturelle`)."""
    return sorted(codes, key=lambda c: (cle_naturelle(c), c))


@dataclass(frozen=True)
class Noeud:
    """Un axe ou un objectif de l'arbre, avec le chemin des codes depuis son axe."""

    code: str
    libelle: str
    niveau: NiveauArbre
    chemin: tuple[str, ...]
    enfants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Arbre:
    """L'arbre des axes et objectifs : chaque code, son niveau, son chemin depuis l'axe."""

    structure: tuple[NiveauArbre, ...] = STRUCTURES[-1]
    noeuds: dict[str, Noeud] = field(default_factory=dict)
    axes: tuple[str, ...] = ()

    @property
    def profondeur(self) -> int:
        return len(self.structure)

    def chemin(self, code: str) -> tuple[str, ...]:
        """Les codes de l'axe jusqu'à ``code`` inclus ; vide pour un code inconnu."""
        noeud = self.noeuds.get(code)
        return noeud.chemin if noeud else ()

    def ancetre(self, code: str, rang: int) -> str | None:
        """Le code du niveau ``rang`` (0 : l'axe) au-dessus de ``code`` ou ``code`` lui-même."""
        chemin = self.chemin(code)
        return chemin[rang] if len(chemin) > rang else None

    def axe(self, code: str) -> str | None:
        """L'axe auquel appartient ``code`` (lui-même pour un axe), None s'il est inconnu."""
        return self.ancetre(code, 0)

    def feuilles(self) -> list[str]:
        """Les codes du niveau le plus bas, où se rattachent les fiches, dans l'ordre du fichier."""
        bas = self.structure[-1]
        return [c for c, n in self.noeuds.items() if n.niveau == bas]

    def enfants(self, code: str) -> list[Noeud]:
        return [self.noeuds[c] for c in self.noeuds[code].enfants]

    def libelles(self) -> dict[str, str]:
        """Code -> libellé de chaque axe et objectif."""
        return {c: n.libelle for c, n in self.noeuds.items()}


def _noeuds(axes: Axes) -> Iterator[Noeud]:
    for axe in axes.axes:
        sous = [o.code for o in axe.objectifs] + [o.code for o in axe.objectifs_strategiques]
        yield Noeud(axe.code, axe.libelle, "axe", (axe.code,), tuple(sous))
        for o in axe.objectifs:
            yield Noeud(o.code, o.libelle, "objectif", (axe.code, o.code))
        for os_ in axe.objectifs_strategiques:
            ops = tuple(oo.code for oo in os_.objectifs_operationnels)
            yield Noeud(os_.code, os_.libelle, "objectif_strategique", (axe.code, os_.code), ops)
            for oo in os_.objectifs_operationnels:
                chemin = (axe.code, os_.code, oo.code)
                yield Noeud(oo.code, oo.libelle, "objectif_operationnel", chemin)


def arbre(axes: Axes | None, structure: Iterable[NiveauArbre] = STRUCTURES[-1]) -> Arbre:
    """L'arbre de ``axes`` (un code en double : le premier l'emporte, ``cls validate`` le
    signale)."""
    noeuds: dict[str, Noeud] = {}
    for noeud in _noeuds(axes) if axes else ():
        noeuds.setdefault(noeud.code, noeud)
    codes_axes = tuple(a.code for a in axes.axes) if axes else ()
    return Arbre(tuple(structure), noeuds, codes_axes)


def structure_deduite(axes: Axes | None) -> tuple[NiveauArbre, ...]:
    """La structure que suit ``axes``, quand contrat.yaml ne la dit pas (illisible ou
    invalide, donc déjà en erreur) : pour ne pas ajouter une erreur par fiche."""
    blocs = axes.axes if axes else []
    if any(a.objectifs for a in blocs) and not any(a.objectifs_strategiques for a in blocs):
        return STRUCTURES[1]
    if blocs and not any(a.objectifs_strategiques or a.objectifs for a in blocs):
        return STRUCTURES[0]
    return STRUCTURES[-1]


# --- Le contenu brut de axes.yaml (peut-être invalide : cls diff compare deux versions) ---


def _blocs_bruts(contenu: Any) -> Iterator[tuple[bool, str, str]]:
    """Chaque axe et objectif du contenu lu de axes.yaml, dans l'ordre du fichier :
    (est un axe, code, libellé). Les blocs sans code sont ignorés."""

    def parcourir(blocs: Any, rang: int) -> Iterator[tuple[bool, str, str]]:
        for bloc in blocs if isinstance(blocs, list) else []:
            if isinstance(bloc, dict) and "code" in bloc:
                yield rang == 0, str(bloc["code"]), str(bloc.get("libelle", ""))
                for cle in ("objectifs_strategiques", "objectifs_operationnels", "objectifs"):
                    yield from parcourir(bloc.get(cle), rang + 1)

    if isinstance(contenu, dict):
        yield from parcourir(contenu.get("axes"), 0)


def libelles_axes(contenu: Any) -> dict[str, str]:
    """Chaque axe et objectif du contenu de axes.yaml : code -> libellé (ordre du fichier)."""
    resultat: dict[str, str] = {}
    for _, code, libelle in _blocs_bruts(contenu):
        resultat.setdefault(code, libelle)
    return resultat


def codes_axes(contenu: Any) -> set[str]:
    """Les codes des axes (premier niveau) du contenu de axes.yaml."""
    return {code for est_axe, code, _ in _blocs_bruts(contenu) if est_axe}
