"""La cellule « Indicateurs » du tableau des fiches : une ligne par indicateur.

Le libellé seul suffit ; des précisions suivent, séparées par « | » (voir
:data:`cls_cli.colonnes_fiches.AIDE_INDICATEURS`). Ce qui n'est pas précisé est tiré du
libellé par une règle écrite ici et dite dans le compte rendu (jamais en silence) : le
code (les mots du libellé, sans accents) et le type (« Nombre… » : nombre ; « Taux… »,
« Part… », « Pourcentage… », « % » : taux ; sinon texte).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cls_cli.lecture_types import normaliser_entete
from cls_cli.saisie import lire_nombre

TYPES = {"nombre": "nombre", "taux": "taux", "booleen": "booleen", "texte": "texte"}
AGREGATIONS = {"somme": "somme", "derniere": "derniere"}
CLES = {
    "type": "type",
    "code": "code",
    "unite": "unite",
    "cible": "cible",
    "reference": "reference",
    "agregation": "agregation",
}
LONGUEUR_CODE = 40
_REFERENCE = re.compile(r"^(?P<valeur>.+?)\s*\((?P<annee>[0-9]{4})\)$")


@dataclass
class IndicateursLus:
    """Les indicateurs d'une cellule, les règles appliquées (dites), les erreurs."""

    indicateurs: list[CommentedMap] = field(default_factory=list)
    deduits: list[str] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)


def code_depuis(libelle: str) -> str:
    """« Nombre de réunions organisées » -> « nombre-de-reunions-organisees » (40 car. au
    plus, coupé entre deux mots)."""
    ascii_ = unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode()
    code = ""
    for mot in re.findall(r"[a-z0-9]+", ascii_.lower()):
        if code and len(code) + len(mot) + 1 > LONGUEUR_CODE:
            break
        code = f"{code}-{mot}" if code else mot[:LONGUEUR_CODE]
    return code or "indicateur"


def type_depuis(libelle: str) -> str:
    """Le type qu'annonce le libellé (règle dite dans le compte rendu)."""
    mots = normaliser_entete(libelle)
    if mots.startswith(("nombre", "nb ")):
        return "nombre"
    if mots.startswith(("taux", "part ", "pourcentage", "proportion")) or "%" in mots:
        return "taux"
    return "texte"


def _valeur(texte: str, type_: str) -> Any:
    """Une cible ou une référence, lue selon le type (nombres à la française)."""
    if type_ in ("nombre", "taux"):
        return lire_nombre(texte)
    if type_ == "booleen":
        mot = normaliser_entete(texte)
        if mot in ("oui", "vrai", "true"):
            return True
        if mot in ("non", "faux", "false"):
            return False
        raise ValueError(f"« {texte} » n'est ni oui ni non")
    return texte


def _precisions(morceaux: list[str], ou: str, lus: IndicateursLus) -> dict[str, str] | None:
    precisions: dict[str, str] = {}
    for morceau in morceaux:
        cle, deux_points, valeur = morceau.partition(":")
        nom = CLES.get(normaliser_entete(cle))
        if not deux_points or nom is None or not valeur.strip():
            lus.erreurs.append(
                f"{ou} : précision « {morceau.strip()} » illisible ; écrivez « clé: valeur » "
                f"avec une clé parmi {', '.join(CLES)}"
            )
            return None
        precisions[nom] = valeur.strip()
    return precisions


def lire_indicateurs(cellule: str, ou: str, fiche: int | str | str) -> IndicateursLus:
    """Les indicateurs d'une cellule (``ou`` : « fichier:feuille:ligne, cellule R12 »)."""
    lus = IndicateursLus()
    codes: set[str] = set()
    for ligne in (x.strip() for x in cellule.splitlines()):
        if not ligne:
            continue
        libelle, *morceaux = (m.strip() for m in ligne.split("|"))
        if not libelle:
            lus.erreurs.append(f"{ou} : « {ligne} » n'a pas de libellé avant le premier « | »")
            continue
        precisions = _precisions(morceaux, ou, lus)
        if precisions is None:
            continue
        indicateur = _indicateur(libelle, precisions, ou, fiche, lus)
        if indicateur is None:
            continue
        if indicateur["code"] in codes:
            lus.erreurs.append(
                f"{ou} : deux indicateurs ont le code « {indicateur['code']} » ; donnez à l'un "
                "un autre code (« | code: … »)"
            )
            continue
        codes.add(indicateur["code"])
        lus.indicateurs.append(indicateur)
    return lus


def _parmi(
    valeur: str, admis: dict[str, str], quoi: str, ou: str, lus: IndicateursLus
) -> str | None:
    """La valeur admise qu'est ``valeur`` (sans accents ni casse) ; sinon une erreur dite."""
    choisi = admis.get(normaliser_entete(valeur))
    if choisi is None:
        lus.erreurs.append(f"{ou} : {quoi} « {valeur} » inconnu ; écrivez {' ou '.join(admis)}")
    return choisi


def _indicateur(
    libelle: str, precisions: dict[str, str], ou: str, fiche: int | str, lus: IndicateursLus
) -> CommentedMap | None:
    code = precisions.get("code") or code_depuis(libelle)
    if "code" not in precisions:
        lus.deduits.append(f"fiche {fiche}, « {libelle} » : code « {code} » tiré du libellé")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code):
        lus.erreurs.append(
            f"{ou} : code « {code} » invalide ; minuscules, chiffres et tirets (ex. reunions)"
        )
        return None
    if "type" in precisions:
        type_ = _parmi(precisions["type"], TYPES, "type", ou, lus)
        if type_ is None:
            return None
    else:
        type_ = type_depuis(libelle)
        lus.deduits.append(f"fiche {fiche}, « {libelle} » : type « {type_} » tiré du libellé")
    indicateur = CommentedMap(code=code, libelle=libelle, type=type_)
    if "unite" in precisions:
        indicateur["unite"] = precisions["unite"]
    try:
        if "cible" in precisions:
            indicateur["cible"] = _valeur(precisions["cible"], type_)
        if "reference" in precisions:
            m = _REFERENCE.match(precisions["reference"])
            if m is None:
                raise ValueError(f"« {precisions['reference']} » : écrivez « valeur (année) »")
            indicateur["reference"] = CommentedMap(
                annee=int(m["annee"]), valeur=_valeur(m["valeur"], type_)
            )
    except ValueError as exc:
        lus.erreurs.append(f"{ou} : {exc}")
        return None
    if "agregation" in precisions:
        agregation = _parmi(precisions["agregation"], AGREGATIONS, "agrégation", ou, lus)
        if agregation is None:
            return None
        indicateur["agregation"] = agregation
    indicateur["mesures"] = CommentedSeq()
    return indicateur
