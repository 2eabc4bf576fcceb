"""Les années permises : celles qu'une commande peut évaluer (la période du contrat, plus une
marge) et celles où l'on peut saisir une mesure (la période du contrat, strictement).

Une seule règle pour toutes les commandes qui prennent ``--year`` (ou ``--from``) pour
lire ou présenter les données : ``report``, ``stats``, ``template``, ``list``. Une année
hors de cette fenêtre est une faute de frappe (``--year 99999`` écrivait un fichier de
410 Mo), refusée avant tout calcul.
"""

from __future__ import annotations

from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import ANNEE_MAX, ANNEE_MIN, Contrat

#: Années acceptées avant le début et après la fin du contrat : une évaluation finale se
#: fait souvent après son terme, et un contrat prolongé par avenant déborde sa période.
MARGE_ANNEES = 5


def annees_permises(contrat: Contrat | None) -> tuple[int, int]:
    """La première et la dernière année permises (bornes des modèles sans contrat)."""
    if contrat is None:
        return ANNEE_MIN, ANNEE_MAX
    return (
        max(ANNEE_MIN, contrat.periode.debut - MARGE_ANNEES),
        min(ANNEE_MAX, contrat.periode.fin + MARGE_ANNEES),
    )


def verifier_annee(annee: int, contrat: Contrat | None, option: str = "--year") -> int:
    """``annee`` si elle est permise ; sinon :class:`ErreurUsage` qui dit lesquelles le sont."""
    premiere, derniere = annees_permises(contrat)
    if premiere <= annee <= derniere:
        return annee
    periode = (
        f"la période du contrat ({contrat.periode.debut}-{contrat.periode.fin}) plus "
        f"{MARGE_ANNEES} ans de part et d'autre"
        if contrat is not None
        else "les années que cls sait lire"
    )
    raise ErreurUsage(
        f"{option} {annee} est hors de {periode} : choisissez une année de {premiere} à {derniere}"
    )


def verifier_annee_de_saisie(annee: int, contrat: Contrat | None) -> None:
    """ValueError si ``annee`` est hors de la période du contrat : une mesure ou un point de
    suivi ne s'enregistre que pour une année du contrat (sans marge)."""
    if contrat is not None:
        debut, fin = contrat.periode.debut, contrat.periode.fin
        if not debut <= annee <= fin:
            raise ValueError(f"l'année {annee} est hors de la période du contrat ({debut}-{fin})")
