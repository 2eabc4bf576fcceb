"""La mémoire des calculs répétés, le temps d'un calcul d'ensemble (un rapport).

Le rapport demande l'état d'une même action ou l'atteinte d'un même indicateur une
dizaine de fois (la fiche, son axe, le contrat, la complétude, les porteurs…). Une
fonction :func:`retenue` garde ses résultats, par objet et par année, pendant un appel
de fonction :func:`avec_memoire` seulement : hors de lui, elle calcule à chaque appel, et
rien ne survit à l'appel (les objets retenus le sont jusqu'à sa fin, de sorte qu'aucun
autre ne prend leur identité entre-temps). Les objets sont des modèles figés : le même
objet et la même année donnent toujours le même résultat.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

_MEMOIRE: ContextVar[dict[tuple[Any, int, int], tuple[Any, Any]] | None] = ContextVar(
    "memoire_des_calculs", default=None
)


@contextmanager
def _memoire() -> Iterator[None]:
    jeton = _MEMOIRE.set({}) if _MEMOIRE.get() is None else None  # la plus extérieure
    try:
        yield
    finally:
        if jeton is not None:
            _MEMOIRE.reset(jeton)


def avec_memoire(fonction: Callable[P, R]) -> Callable[P, R]:
    """``fonction``, pendant laquelle les fonctions :func:`retenue` gardent leurs résultats."""

    @functools.wraps(fonction)
    def appel(*args: P.args, **kwargs: P.kwargs) -> R:
        with _memoire():
            return fonction(*args, **kwargs)

    return appel


def retenue(fonction: Callable[[T, int], R]) -> Callable[[T, int], R]:
    """``fonction(objet, annee)``, dont le résultat est gardé pendant :func:`avec_memoire`."""

    @functools.wraps(fonction)
    def appel(objet: T, annee: int) -> R:
        memoire = _MEMOIRE.get()
        if memoire is None:
            return fonction(objet, annee)
        cle = (fonction, id(objet), annee)
        trouve = memoire.get(cle)
        if trouve is not None and trouve[0] is objet:
            resultat: R = trouve[1]
            return resultat
        resultat = fonction(objet, annee)
        memoire[cle] = (objet, resultat)
        return resultat

    return appel
