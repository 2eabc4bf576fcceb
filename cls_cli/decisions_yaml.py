"""La lecture de ``decisions.yaml`` : les décisions que la coordination ajoute ou fait taire
(voir :mod:`cls_cli.decisions`). Chaque erreur dit le fichier, la ligne et la correction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cls_cli.decisions import FICHIER_REGLAGES, MOTIFS, Decision, Reglages
from cls_cli.erreurs import ErreurDonnees
from cls_cli.references import ReferenceRefusee, contexte, numero_cite


def _entrees(
    doc: Any, cle: str, chemin: Path, fiches: dict[str, Any]
) -> list[tuple[int, dict[str, Any], int]]:
    """(numéro de la fiche, entrée, ligne) de chaque entrée de la liste ``cle`` ; la fiche
    s'y cite par son numéro ou son identifiant (:func:`cls_cli.references.numero_cite`)."""
    liste = doc.get(cle) or []
    if not isinstance(liste, list):
        ligne = doc.lc.value(cle)[0] + 1 if hasattr(doc, "lc") else 1
        raise ErreurDonnees(
            chemin, ligne, 1, f"« {cle} » doit être une liste", "écrivez « - fiche: … »"
        )
    entrees = []
    for i, entree in enumerate(liste):
        ligne = liste.lc.item(i)[0] + 1 if hasattr(liste, "lc") else 1
        if not isinstance(entree, dict) or entree.get("fiche") is None:
            raise ErreurDonnees(
                chemin,
                ligne,
                1,
                f"entrée de « {cle} » sans fiche",
                "écrivez « - fiche: 14 » (ou l'identifiant de la fiche : « - fiche: A2 »)",
            )
        try:
            numero = numero_cite(entree["fiche"], fiches)
        except ReferenceRefusee as exc:
            position = entree.lc.value("fiche") if hasattr(entree, "lc") else (ligne - 1, 0)
            raise ErreurDonnees(
                chemin, position[0] + 1, position[1] + 1, exc.message, exc.correction
            ) from None
        entrees.append((numero, entree, ligne))
    return entrees


def lire_reglages(racine: Path) -> Reglages:
    """Lit ``decisions.yaml`` à la racine des données (pas de fichier : aucun réglage)."""
    from cls_cli.yamlio import charger_fichier

    chemin = racine / FICHIER_REGLAGES
    if not chemin.is_file():
        return Reglages()
    doc, _ = charger_fichier(chemin)
    if doc is None:
        return Reglages(chemin)
    if not isinstance(doc, dict) or set(doc) - {"ignorer", "ajouter"}:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            "contenu inattendu",
            "le fichier n'a que deux listes : « ignorer » et « ajouter »",
        )
    fiches = contexte(racine)
    ignorer = []
    for numero, entree, ligne in _entrees(doc, "ignorer", chemin, fiches):
        motif = entree.get("motif")
        if motif not in MOTIFS[:-1]:
            raise ErreurDonnees(
                chemin,
                ligne,
                1,
                f"motif inconnu « {motif} »",
                "choisissez parmi " + ", ".join(MOTIFS[:-1]),
            )
        ignorer.append((numero, str(motif), ligne))
    ajouts = []
    for numero, entree, ligne in _entrees(doc, "ajouter", chemin, fiches):
        texte = entree.get("decision")
        if not isinstance(texte, str) or not texte.strip():
            raise ErreurDonnees(
                chemin, ligne, 1, "décision à ajouter sans texte", "écrivez « decision: … »"
            )
        ajouts.append((Decision(numero, "ajout", texte.strip()), ligne))
    return Reglages(chemin, tuple(ignorer), tuple(ajouts))
