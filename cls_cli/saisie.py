"""Lecture des valeurs tapées par une personne (ligne de commande, tableur), à la française.

« 1 500 », « 12,5 », « 12,5 % », « oui »/« non » : chaque fonction rend la valeur typée
ou lève ``ValueError`` avec un message français qui dit ce qui est attendu.
"""

from __future__ import annotations

import re

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.modeles import STATUTS, Statut, TypeIndicateur, Valeur

_ESPACES = re.compile(r"[\s\u00a0\u202f']")
_OUI = {"oui", "o", "vrai", "true", "yes", "1", "x", "réalisé", "realise", "fait"}
_NON = {"non", "n", "faux", "false", "no", "0", "non réalisé", "pas fait"}


def lire_nombre(texte: str) -> int | float:
    """« 1 500 » -> 1500 ; « 12,5 » -> 12.5 ; « 1.5 » -> 1.5."""
    brut = _ESPACES.sub("", str(texte)).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", brut):
        raise ValueError(f"« {texte} » n'est pas un nombre (exemples : 1 500 ou 12,5)")
    nombre = float(brut)
    return int(nombre) if nombre.is_integer() and "." not in brut else nombre


def lire_valeur(texte: str, type_: TypeIndicateur) -> Valeur:
    """La valeur d'un indicateur de type ``type_`` écrite par une personne."""
    texte = str(texte).strip()
    if not texte:
        raise ValueError("la valeur est vide")
    if type_ == "nombre":
        nombre = lire_nombre(texte)
        if nombre < 0:
            raise ValueError(f"« {texte} » est négatif : un nombre positif ou nul est attendu")
        return nombre
    if type_ == "taux":
        nombre = lire_nombre(texte.rstrip("%").strip())
        if not 0 <= nombre <= 100:
            raise ValueError(f"« {texte} » n'est pas un taux entre 0 et 100")
        return nombre
    if type_ == "booleen":
        mot = texte.lower()
        if mot in _OUI:
            return True
        if mot in _NON:
            return False
        raise ValueError(f"« {texte} » : répondez oui ou non")
    return texte


_STATUTS_LUS: dict[str, Statut] = {
    **{code: code for code in STATUTS},
    **{LIBELLES_STATUT[code]: code for code in STATUTS},
    "a lancer": "a_lancer",
    "en cours": "en_cours",
    "realisee": "realisee",
    "reportee": "reportee",
    "abandonnee": "abandonnee",
}


def lire_statut(texte: str) -> Statut:
    """« en cours », « en_cours », « En cours » -> ``en_cours``."""
    cle = " ".join(str(texte).strip().lower().replace("_", " ").split())
    cle_code = cle.replace(" ", "_")
    for candidat in (cle, cle_code):
        if candidat in _STATUTS_LUS:
            return _STATUTS_LUS[candidat]
    possibles = ", ".join(LIBELLES_STATUT[s] for s in STATUTS)
    raise ValueError(f"statut inconnu « {texte} » : choisissez parmi {possibles}")


def lire_avancement(texte: str) -> int | float:
    nombre = lire_nombre(str(texte).rstrip("%").strip())
    if not 0 <= nombre <= 100:
        raise ValueError(f"avancement « {texte} » hors de 0-100")
    return nombre
