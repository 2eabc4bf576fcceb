"""Le bilan d'un plan d'écriture dit en phrases : refus, valeurs posées, comptes.

Séparé de :mod:`cls_cli.plan` (qui calcule le plan) : ces phrases sont ce que ``record``,
``status``, ``import`` et ``campaign collect`` affichent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.identifiants import nommer
from cls_cli.plan import Bilan, Detail, Refus

#: Aucun identifiant connu : les fiches sont nommées par leur numéro.
VIDE: Mapping[int, str] = MappingProxyType({})

_EFFETS = {"ajoutee": "ajoutée", "remplacee": "remplacée", "inchangee": "inchangée"}
_ACCORDS = {"mesure": ("mesure", "e"), "statut": ("statut", "")}


def erreur_du_refus(refus: Refus, racine: Path) -> ErreurDonnees | ErreurUsage:
    """L'erreur à lever pour une demande seule refusée (cls record, cls status)."""
    from cls_cli.chargement import emplacement

    if refus.conflit and refus.chemin is not None:
        return ErreurDonnees(
            emplacement(refus.chemin, racine),
            refus.ligne,
            1,
            f"{refus.message} ; rien n'a été modifié",
            "ajoutez --replace pour remplacer l'ancienne valeur",
            "conflit",
        )
    if refus.usage:
        return ErreurUsage(
            f"{refus.position} : {refus.message}" if refus.position else refus.message
        )
    return ErreurDonnees(refus.position, refus.ligne, 1, refus.message)


def phrases_des_refus(bilan: Bilan, noms: Mapping[int, str] = VIDE) -> list[str]:
    """Une phrase par demande refusée (« tableau.csv:3: fiche 30 : … ») ; ``noms`` : numéro
    -> identifiant des fiches (voir :mod:`cls_cli.identifiants`)."""
    return [
        f"{r.position}: fiche {nommer(r.numero, noms)} : {r.message}"
        + (" (--replace pour remplacer)" if r.conflit else "")
        for r in bilan.refus
    ]


def phrase_detail(d: Detail, noms: Mapping[int, str] = VIDE) -> str:
    """« Fiche 30, personnes-concernees, 2024 : 12 -> 15 (remplacée) »."""
    quoi = d.code if d.quoi == "mesure" else "suivi"
    valeurs = d.nouveau if d.ancien is None else f"{d.ancien} -> {d.nouveau}"
    accord = _EFFETS[d.effet] if d.quoi == "mesure" else _EFFETS[d.effet][:-1]
    if d.effet == "inchangee":
        valeurs, accord = d.nouveau, "saisie déjà présente, inchangée"
    return f"Fiche {nommer(d.numero, noms)}, {quoi}, {d.annee} : {valeurs} ({accord})"


def _compte(details: Sequence[Detail]) -> str:
    morceaux = []
    for quoi in ("mesure", "statut"):
        nom, e = _ACCORDS[quoi]
        for effet, mot in _EFFETS.items():
            n = sum(1 for d in details if d.quoi == quoi and d.effet == effet)
            if n:
                s = "s" if n > 1 else ""
                morceaux.append(f"{n} {nom}{s} {mot[:-1]}{e}{s}")
    return ", ".join(morceaux)


def phrases_du_bilan(
    bilan: Bilan, vides: int, simulation: bool, noms: Mapping[int, str] = VIDE
) -> list[str]:
    """Le bilan d'un import : valeur par valeur en simulation, puis fiche par fiche."""
    phrases = []
    if simulation:
        phrases.append("Simulation (--dry-run) : rien n'a été écrit. Voici ce qui changerait :")
        phrases += ["  " + phrase_detail(d, noms) for d in bilan.details if d.effet != "inchangee"]
    for numero in sorted({d.numero for d in bilan.details}):
        details = [d for d in bilan.details if d.numero == numero]
        phrases.append(f"Fiche {nommer(numero, noms)} : {_compte(details)}")
    total = _compte(bilan.details) or "aucune saisie"
    phrases.append(f"Total : {total} ; {vides} ligne(s) vide(s) ignorée(s).")
    return phrases
