"""``cls rollup`` : plusieurs contrats côte à côte (une ARS suit tous ceux de sa région).

:func:`consolider` lit et valide chaque arbre (un arbre invalide est nommé et arrête tout,
sauf en mode partiel où il est listé à part), refuse deux contrats de même titre, puis
rend, par contrat, le résumé du rapport de l'année (:func:`cls_cli.rapport.construire`) :
nombre de fiches, avancement, complétude, actions par statut, actions en retard ; et les
totaux de tous les contrats (sommes des comptes, jamais une moyenne de moyennes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cls_cli.arbres import Arbre, erreur_arbre, erreurs
from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.depot import Origine
from cls_cli.erreurs import ErreurDonnees
from cls_cli.rapport import construire


def arbres_valides(racines: Sequence[Path], partiel: bool) -> tuple[list[Arbre], list[Any]]:
    """Les arbres valides et, en mode partiel, les invalides (chemin, première erreur)."""
    valides: list[Arbre] = []
    invalides: list[dict[str, Any]] = []
    titres: dict[str, Path] = {}
    for racine in racines:
        arbre, problemes = erreurs(racine)
        if arbre is None:
            if not partiel:
                raise erreur_arbre(racine, problemes)
            invalides.append({"dossier": str(racine), "erreur": problemes[0].texte()})
            continue
        contrat = arbre.referentiel.contrat
        titre = contrat.titre if contrat else str(racine)
        if titre in titres:
            raise ErreurDonnees(
                racine / "contrat.yaml",
                1,
                1,
                f"deux contrats portent le titre « {titre} » : {titres[titre]} et {racine}",
                "donnez à chaque contrat son propre titre (contrat.yaml), ou retirez le "
                "dossier en double",
                "contrat-double",
            )
        titres[titre] = racine
        valides.append(arbre)
    return valides, invalides


def _resume(arbre: Arbre, annee: int, date: dt.date) -> dict[str, Any]:
    r = construire(
        arbre.referentiel,
        annee,
        date,
        Origine(commit=None, modifie=False),
        avenants=arbre.avenants,
    ).model_dump(mode="json")
    c = r["contrat"]
    return {
        "titre": r["titre"],
        "dossier": str(arbre.racine),
        "periode": r["periode"],
        "dans_la_periode": bool(
            r["periode"] and r["periode"]["debut"] <= annee <= r["periode"]["fin"]
        ),
        "fiches": len(r["actions"]),
        "avancement": c["avancement"],
        "completude": c["completude"],
        "completude_detail": c["completude_detail"],
        "statuts": c["statuts"],
        "en_retard": c["en_retard"],
        "axes": [
            {"code": a["code"], "libelle": a["libelle"], "avancement": a["avancement"]}
            for a in r["axes"]
        ],
    }


def consolider(
    racines: Sequence[Path], annee: int, date: dt.date, partiel: bool = False
) -> dict[str, Any]:
    """La consolidation de l'année ``annee`` : par contrat, puis les totaux."""
    arbres, invalides = arbres_valides(racines, partiel)
    contrats = [_resume(a, annee, date) for a in arbres]
    mesures = sum(c["completude_detail"]["mesures"] for c in contrats)
    attendus = sum(c["completude_detail"]["attendus"] for c in contrats)
    return {
        "annee": annee,
        "date": date.isoformat(),
        "arbres_invalides": invalides,
        "contrats": contrats,
        "totaux": {
            "contrats": len(contrats),
            "fiches": sum(c["fiches"] for c in contrats),
            "statuts": {s: sum(c["statuts"][s] for c in contrats) for s in LIBELLES_STATUT},
            "en_retard": sum(len(c["en_retard"]) for c in contrats),
            "completude_detail": {"mesures": mesures, "attendus": attendus},
            "completude": 100 * mesures / attendus if attendus else None,
        },
    }
