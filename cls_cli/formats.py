"""Mise en forme des problèmes de validation : texte, annotations GitHub, rapport « Code
Quality » de GitLab, JSON.

Ces lignes sont destinées aux machines autant qu'aux personnes : elles ne passent
jamais par rich (qui interpréterait ``[erreur]`` comme une balise).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from cls_cli.erreurs import Niveau, Probleme

FORMATS = ("text", "github", "gitlab", "json")


def ligne_texte(p: Probleme) -> str:
    """``chemin:ligne:colonne: [niveau] message ; correction : … (règle)``."""
    regle = f" ({p.regle})" if p.regle else ""
    return f"{p.chemin}:{p.ligne}:{p.colonne}: [{p.niveau}] {p.texte()}{regle}"


def _echapper_github(texte: str, propriete: bool = False) -> str:
    texte = texte.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if propriete:
        texte = texte.replace(":", "%3A").replace(",", "%2C")
    return texte


def ligne_github(p: Probleme) -> str:
    """Une annotation GitHub Actions (``::error file=…,line=…,col=…::message``)."""
    commande = "error" if p.niveau is Niveau.ERREUR else "warning"
    titre = _echapper_github(p.regle or "cls", propriete=True)
    return (
        f"::{commande} file={_echapper_github(p.chemin, True)},line={p.ligne},col={p.colonne},"
        f"title={titre}::{_echapper_github(p.texte())}"
    )


def resume(problemes: Sequence[Probleme], nb_fiches: int) -> str:
    erreurs = sum(1 for p in problemes if p.niveau is Niveau.ERREUR)
    avert = len(problemes) - erreurs
    s_e = "s" if erreurs > 1 else ""
    s_a = "s" if avert > 1 else ""
    s_f = "s" if nb_fiches > 1 else ""
    return (
        f"{nb_fiches} fiche{s_f} vérifiée{s_f} : {erreurs} erreur{s_e}, {avert} avertissement{s_a}"
    )


def rapport_gitlab(problemes: Sequence[Probleme]) -> str:
    """Le rapport « Code Quality » de GitLab : GitLab montre chaque problème sur sa ligne
    dans la demande de fusion (artefact ``reports: codequality``)."""
    return json.dumps(
        [
            {
                "description": p.texte(),
                "check_name": p.regle or "cls",
                "fingerprint": hashlib.sha256(
                    f"{p.chemin}:{p.ligne}:{p.colonne}:{p.message}".encode()
                ).hexdigest(),
                "severity": "major" if p.niveau is Niveau.ERREUR else "minor",
                "location": {"path": p.chemin, "lines": {"begin": p.ligne}},
            }
            for p in problemes
        ],
        ensure_ascii=False,
        indent=2,
    )


def formater(problemes: Sequence[Probleme], format_: str, nb_fiches: int) -> str:
    """Le rapport de validation complet dans le format demandé (voir :data:`FORMATS`)."""
    if format_ == "gitlab":
        return rapport_gitlab(problemes)
    if format_ == "json":
        return json.dumps(
            {
                "fiches": nb_fiches,
                "erreurs": sum(1 for p in problemes if p.niveau is Niveau.ERREUR),
                "avertissements": sum(1 for p in problemes if p.niveau is Niveau.AVERTISSEMENT),
                "problemes": [
                    {
                        "chemin": p.chemin,
                        "ligne": p.ligne,
                        "colonne": p.colonne,
                        "niveau": str(p.niveau),
                        "message": p.message,
                        "correction": p.correction,
                        "regle": p.regle,
                    }
                    for p in problemes
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    lignes = [ligne_github(p) if format_ == "github" else ligne_texte(p) for p in problemes]
    lignes.append(resume(problemes, nb_fiches))
    return "\n".join(lignes)
