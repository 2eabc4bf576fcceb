"""Le budget des fiches face à leurs dépenses déclarées : prévu contre réalisé.

Une fiche déclare un budget total (``ressources.budget``) et, si son porteur le fait, ce
qu'elle a dépensé chaque année (``depenses``, une entrée par année). Pour un groupe de fiches
(objectif, axe, contrat) et l'année ``annee`` d'un rapport : le budget déclaré sommé, le
cumul dépensé jusqu'à ``annee`` incluse et la dépense de ``annee``, chacun avec le nombre de
fiches qui n'en déclarent pas. Sans aucune déclaration, le montant est None (« non
déclaré »), jamais 0 : zéro euro n'est écrit que si un porteur l'a déclaré.

Fonctions pures : des fiches en entrée, des dictionnaires de nombres bruts en sortie.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from cls_cli.modeles import Fiche


def _somme(montants: Sequence[float]) -> float | None:
    """La somme exacte des ``montants`` (entière si tous le sont) ; None s'il n'y en a pas."""
    if not montants:
        return None
    if all(isinstance(m, int) for m in montants):
        return sum(montants)
    return math.fsum(montants)


def cumul(fiche: Fiche, annee: int) -> float | None:
    """Ce que ``fiche`` déclare avoir dépensé de la première année jusqu'à ``annee`` incluse
    (None si elle ne déclare aucune dépense sur ces années)."""
    return _somme([d.montant for d in fiche.depenses if d.annee <= annee])


def depense_annee(fiche: Fiche, annee: int) -> float | None:
    """Ce que ``fiche`` déclare avoir dépensé en ``annee`` (None : non déclaré)."""
    return next((d.montant for d in fiche.depenses if d.annee == annee), None)


def budget_et_depenses(fiches: Sequence[Fiche], annee: int) -> dict[str, Any]:
    """Le budget déclaré par ``fiches`` et leurs dépenses déclarées jusqu'à ``annee``."""
    budgets = [f.moyens.budget for f in fiches if f.moyens and f.moyens.budget is not None]
    cumuls = [c for f in fiches if (c := cumul(f, annee)) is not None]
    de_l_annee = [m for f in fiches if (m := depense_annee(f, annee)) is not None]
    return {
        "montant": _somme(budgets),
        "avec": len(budgets),
        "sans": len(fiches) - len(budgets),
        "depense_cumulee": _somme(cumuls),
        "avec_depenses": len(cumuls),
        "sans_depenses": len(fiches) - len(cumuls),
        "depense_annee": _somme(de_l_annee),
        "sans_depense_annee": len(fiches) - len(de_l_annee),
    }


def depenses_fiche(fiche: Fiche, annee: int) -> dict[str, Any]:
    """Pour la fiche d'un rapport : son budget, ses dépenses déclarées jusqu'à ``annee``,
    leur cumul et la dépense de l'année."""
    return {
        "budget": fiche.moyens.budget if fiche.moyens else None,
        "depenses": [
            {
                "annee": d.annee,
                "montant": d.montant,
                "source": d.source,
                "commentaire": d.commentaire,
            }
            for d in sorted(fiche.depenses, key=lambda d: d.annee)
            if d.annee <= annee
        ],
        "depense_cumulee": cumul(fiche, annee),
        "depense_annee": depense_annee(fiche, annee),
    }
