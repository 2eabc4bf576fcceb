"""Les calculs d'évaluation : statut, avancement, complétude, atteinte des cibles.

Fonctions pures, sans entrée-sortie : elles prennent des fiches et une année et rendent
des nombres (ou ``None`` quand il n'y a pas de chiffre, jamais 0 à la place).
"""

from __future__ import annotations

from cls_cli.modeles import Fiche, Suivi

LIBELLES_STATUT = {
    "non_renseignee": "non renseignée",
    "a_lancer": "à lancer",
    "en_cours": "en cours",
    "realisee": "réalisée",
    "reportee": "reportée",
    "abandonnee": "abandonnée",
}


def statut_a(fiche: Fiche, annee: int | None = None) -> Suivi | None:
    """Le dernier point de suivi d'année ≤ ``annee`` (le tout dernier si ``annee`` est None)."""
    candidats = [s for s in fiche.suivi if annee is None or s.annee <= annee]
    return max(candidats, key=lambda s: s.annee, default=None)
