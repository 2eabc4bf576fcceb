"""Un texte modifié, mot à mot : ce que ``cls diff`` et ``cls history`` montrent d'un
long texte (descriptif, commentaire) plutôt que de le recopier en entier."""

from __future__ import annotations

import difflib
import re
from typing import Any, Literal

#: Au-delà de cette longueur (ou sur plusieurs lignes), un texte modifié se lit mot à mot.
TEXTE_LONG = 80

Segment = tuple[Literal["=", "-", "+"], str]


def est_texte_long(avant: Any, apres: Any) -> bool:
    """Un changement de texte qu'on montre mot à mot plutôt qu'en entier."""
    return (
        isinstance(avant, str)
        and isinstance(apres, str)
        and (max(len(avant), len(apres)) > TEXTE_LONG or "\n" in avant + apres)
    )


def diff_mots(avant: str, apres: str) -> list[Segment]:
    """Les segments d'un texte modifié : ``=`` inchangé, ``-`` retiré, ``+`` ajouté.

    Les espaces sont rattachés aux mots ; recoller les segments ``=`` et ``-`` rend le
    texte d'avant, les segments ``=`` et ``+`` celui d'après.
    """
    mots_a, mots_b = re.findall(r"\S+\s*|\s+", avant), re.findall(r"\S+\s*|\s+", apres)
    segments: list[Segment] = []
    correspondance = difflib.SequenceMatcher(a=mots_a, b=mots_b, autojunk=False)
    for operation, i1, i2, j1, j2 in correspondance.get_opcodes():
        if operation == "equal":
            segments.append(("=", "".join(mots_a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("-", "".join(mots_a[i1:i2])))
        if j2 > j1:
            segments.append(("+", "".join(mots_b[j1:j2])))
    return segments
