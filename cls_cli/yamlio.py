"""Lecture et écriture des fichiers YAML du projet : le seul module qui parle à ruamel.yaml.

Tout le projet passe par :func:`yaml_aller_retour` (une seule configuration), de sorte
qu'un fichier chargé puis réécrit sans changement reste identique octet pour octet.

Les problèmes de lecture (encodage, tabulations, syntaxe, clés en double) sont levés
sous la forme d'une :class:`~cls_cli.erreurs.ErreurDonnees` qui porte le fichier, la
ligne, la colonne et la correction à apporter.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from cls_cli.erreurs import ErreurDonnees

#: Largeur de ligne assez grande pour que ruamel ne replie jamais un texte français.
LARGEUR = 4096


def yaml_aller_retour() -> YAML:
    """La fabrique unique de lecteurs/écrivains YAML « aller-retour » du projet.

    Indentation 2 pour les dictionnaires, listes indentées de 4 avec le tiret à 2,
    guillemets conservés, lignes jamais repliées : c'est le style des fichiers livrés.
    """
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = LARGEUR
    yaml.allow_duplicate_keys = False
    return yaml


def decoder(octets: bytes, chemin: Path) -> str:
    """Décode un fichier en UTF-8 (une BOM initiale est acceptée et retirée).

    Lève ErreurDonnees en situant le premier octet invalide.
    """
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        avant = octets[: exc.start]
        ligne = avant.count(b"\n") + 1
        colonne = exc.start - (avant.rfind(b"\n") + 1) + 1
        raise ErreurDonnees(
            chemin,
            ligne,
            colonne,
            "le fichier n'est pas encodé en UTF-8",
            "enregistrez-le en UTF-8 (dans votre éditeur : « Enregistrer sous » > encodage UTF-8)",
            regle="encodage",
        ) from None


def verifier_tabulations(texte: str, chemin: Path) -> None:
    """Refuse les tabulations dans l'indentation, que YAML interdit."""
    for numero, ligne in enumerate(texte.splitlines(), start=1):
        indentation = ligne[: len(ligne) - len(ligne.lstrip(" \t"))]
        if "\t" in indentation:
            raise ErreurDonnees(
                chemin,
                numero,
                indentation.index("\t") + 1,
                "tabulation dans l'indentation (YAML n'accepte que des espaces)",
                "remplacez la tabulation par des espaces (2 par niveau)",
                regle="tabulation",
            )


def charger_texte(texte: str, chemin: Path) -> Any:
    """Analyse un texte YAML en mode aller-retour (commentaires et positions conservés)."""
    verifier_tabulations(texte, chemin)
    try:
        return yaml_aller_retour().load(texte)
    except DuplicateKeyError as exc:
        marque = exc.problem_mark
        cle = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"la clé « {cle} » apparaît deux fois dans le même bloc",
            "gardez une seule fois cette clé (fusionnez les deux valeurs)",
            regle="cle-double",
        ) from None
    except MarkedYAMLError as exc:
        marque = exc.problem_mark or exc.context_mark
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"syntaxe YAML invalide : {exc.problem or exc.context}",
            "vérifiez l'indentation, les « : » après chaque clé et les guillemets",
            regle="syntaxe",
        ) from None
    except YAMLError as exc:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"syntaxe YAML invalide : {exc}",
            "vérifiez l'indentation, les « : » après chaque clé et les guillemets",
            regle="syntaxe",
        ) from None


def charger_fichier(chemin: Path) -> tuple[Any, str]:
    """Lit un fichier YAML ; renvoie (document aller-retour, texte)."""
    texte = decoder(chemin.read_bytes(), chemin)
    return charger_texte(texte, chemin), texte


def vers_texte(document: Any) -> str:
    """Sérialise un document aller-retour avec la configuration du projet."""
    flux = io.StringIO()
    yaml_aller_retour().dump(document, flux)
    return flux.getvalue()
