"""La clôture d'une année (``cls campaign close``) comme plan du chemin d'écriture unique."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cls_cli.clotures import FICHIER_CLOTURES, annees_closes, texte_avec_cloture
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import Contrat
from cls_cli.periode import verifier_annee_de_saisie
from cls_cli.plan import Bilan, Plan
from cls_cli.transaction import Changement


def planifier_cloture(
    racine: Path, contrat: Contrat | None, annee: int, date: dt.date, decision: str
) -> Plan:
    """Le plan qui ajoute la clôture de ``annee`` à ``clotures.yaml`` (créé s'il le faut) ;
    ErreurUsage si l'année est hors du contrat ou déjà close."""
    try:
        verifier_annee_de_saisie(annee, contrat)
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    deja = annees_closes(racine).get(annee)
    if deja is not None:
        raise ErreurUsage(
            f"l'année {annee} est déjà close ({deja.decision}, le {deja.date.isoformat()}) : "
            f"rien n'a été écrit"
        )
    chemin = racine / FICHIER_CLOTURES
    ancien = chemin.read_bytes() if chemin.is_file() else None
    texte = texte_avec_cloture(
        None if ancien is None else ancien.decode("utf-8-sig"), annee, date, decision
    )
    return Plan((Changement(chemin, texte.encode("utf-8"), ancien),), Bilan())
