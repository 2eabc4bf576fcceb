"""Une nouvelle fiche-action (avenant) : numéro libre, nom de fichier, texte à compléter.

Fonctions pures : :func:`nouvelle_fiche` prend le référentiel, l'objectif et le titre et
rend le chemin et le texte du fichier. Chaque champ obligatoire y est présent avec la
valeur :data:`~cls_cli.modeles.A_COMPLETER`, que ``cls validate`` signale tant qu'elle
n'est pas remplacée. L'écriture est faite par la commande (:mod:`cls_cli.ecriture`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from cls_cli.chargement import DOSSIER_FICHES, Referentiel
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.identifiants import conflit
from cls_cli.modeles import A_COMPLETER, FORME_IDENTIFIANT, IDENTIFIANT, NUMERO_MAX
from cls_cli.regles_saisie import numero_du_nom
from cls_cli.schema import ligne_schema
from cls_cli.yamlio import vers_texte

#: La première ligne des fiches : le schéma du dépôt de données qui guide l'éditeur.
LIGNE_SCHEMA = ligne_schema("fiche.schema.json")
LONGUEUR_NOM = 50


@dataclass(frozen=True)
class NouvelleFiche:
    numero: int
    chemin: Path
    texte: str
    identifiant: str | None = None


def prochain_numero(ref: Referentiel, cites: Iterable[int] = ()) -> int:
    """Le numéro qui suit le plus grand numéro utilisé : par une fiche, un nom de fichier, ou
    cité ailleurs (``cites`` : par un avenant, même si le fichier de la fiche a disparu)."""
    numeros = [fc.fiche.numero for fc in ref.fiches if fc.fiche]
    numeros += [n for fc in ref.fiches if (n := numero_du_nom(fc.chemin.name)) is not None]
    return max((*numeros, *cites), default=0) + 1


def nom_de_fichier(numero: int, titre: str) -> str:
    """``57-prevenir-les-chutes.yaml`` : le numéro sur deux chiffres et le titre sans accents."""
    sans_accents = unicodedata.normalize("NFKD", titre).encode("ascii", "ignore").decode()
    mots = re.findall(r"[a-z0-9]+", sans_accents.lower())
    nom = ""
    for mot in mots:
        if len(nom) + len(mot) + 1 > LONGUEUR_NOM and nom:
            break
        nom = f"{nom}-{mot}" if nom else mot
    return f"{numero:02d}-{nom or 'fiche'}.yaml"


def objectifs_operationnels(ref: Referentiel) -> dict[str, str]:
    """Code -> libellé des objectifs du niveau le plus bas, où se rangent les fiches."""
    arbre = ref.arbre
    return {code: arbre.noeuds[code].libelle for code in arbre.feuilles()}


def _document(numero: int, titre: str, objectif: str, identifiant: str | None) -> CommentedMap:
    doc = CommentedMap()
    doc["numero"] = numero
    if identifiant is not None:
        doc["identifiant"] = DoubleQuotedScalarString(identifiant)
    doc["titre"] = titre
    doc["objectif"] = DoubleQuotedScalarString(objectif)  # comme dans les fiches livrées
    doc["nature"] = A_COMPLETER
    doc.yaml_add_eol_comment("nouvelle, existante ou mixte", "nature")
    doc["porteurs"] = CommentedSeq([A_COMPLETER])
    doc["partenaires"] = CommentedSeq()
    doc.yaml_add_eol_comment("un partenaire par ligne, précédé de « - »", "partenaires")
    doc["description"] = A_COMPLETER
    doc["public_cible"] = CommentedSeq([A_COMPLETER])
    doc["territoire"] = A_COMPLETER
    doc["calendrier"] = CommentedMap(texte=A_COMPLETER)
    doc["ressources"] = CommentedMap(texte=A_COMPLETER)
    indicateur = CommentedMap(code="a-definir", libelle=A_COMPLETER, type=A_COMPLETER)
    indicateur.yaml_add_eol_comment("nombre, taux, booleen ou texte", "type")
    doc["indicateurs"] = CommentedSeq([indicateur])
    return doc


def verifier_identifiant(ref: Referentiel, identifiant: str) -> str:
    """L'identifiant d'une nouvelle fiche, sans espaces autour, s'il a la forme permise et
    n'est pris par aucune fiche (mêmes règles et messages que ``cls validate``) ;
    ErreurUsage sinon."""
    nu = identifiant.strip()
    if not re.fullmatch(IDENTIFIANT, nu):
        raise ErreurUsage(f"identifiant « {identifiant} » invalide : {FORME_IDENTIFIANT}")
    refus = conflit(ref.fiches_valides(), nu)
    if refus:
        raise ErreurUsage(f"{refus[0]} ; {refus[1]}")
    return nu


def nouvelle_fiche(
    ref: Referentiel,
    objectif: str,
    titre: str,
    identifiant: str | None = None,
    cites: Iterable[int] = (),
) -> NouvelleFiche:
    """La fiche à créer : numéro suivant (voir :func:`prochain_numero`), objectif vérifié,
    champs « À COMPLÉTER » ; ``identifiant`` tel que le contrat l'écrit, s'il est donné
    (vérifié)."""
    titre = " ".join(titre.split())
    if not titre:
        raise ErreurUsage("le titre est vide : donnez l'intitulé de l'action avec --titre")
    if ref.axes is None:
        raise ErreurDonnees(
            ref.racine / "axes.yaml",
            1,
            1,
            "axes.yaml est absent ou invalide : impossible de vérifier l'objectif",
            "corrigez axes.yaml (cls validate dit quoi), puis relancez cls new",
        )
    objectifs = objectifs_operationnels(ref)
    if objectif not in objectifs:
        proches = difflib.get_close_matches(objectif, list(objectifs), n=3, cutoff=0.5)
        conseil = f" ; vouliez-vous dire {', '.join(proches)} ?" if proches else ""
        exemples = ", ".join(list(objectifs)[:3])
        raise ErreurUsage(
            f"l'objectif « {objectif} » n'existe pas au niveau le plus bas de axes.yaml"
            f"{conseil} (codes possibles : {exemples}…)"
        )
    if identifiant is not None:
        identifiant = verifier_identifiant(ref, identifiant)
    numero = prochain_numero(ref, cites)
    if numero > NUMERO_MAX:
        raise ErreurUsage(f"plus de numéro de fiche libre (le plus grand est {numero - 1})")
    chemin = ref.racine / DOSSIER_FICHES / nom_de_fichier(numero, titre)
    nom = identifiant or numero
    entete = (
        f"{LIGNE_SCHEMA}# Fiche {nom} créée par « cls new » : remplacez chaque "
        f"« {A_COMPLETER} », puis lancez « cls validate ».\n"
    )
    texte = entete + vers_texte(_document(numero, titre, objectif, identifiant))
    return NouvelleFiche(numero, chemin, texte, identifiant)
