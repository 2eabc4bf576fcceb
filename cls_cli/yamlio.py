"""Lecture et écriture des fichiers YAML du projet : le seul module qui parle à ruamel.yaml.

Tout le projet passe par :func:`yaml_aller_retour` (une seule configuration), de sorte
qu'un fichier chargé puis réécrit sans changement reste identique octet pour octet.

Les problèmes de lecture (encodage, tabulations, syntaxe, clés en double) sont levés
sous la forme d'une :class:`~cls_cli.erreurs.ErreurDonnees` qui porte le fichier, la
ligne, la colonne et la correction à apporter.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from cls_cli.erreurs import ErreurDonnees

#: Largeur de ligne assez grande pour que ruamel ne replie jamais un texte français.
LARGEUR = 4096
#: Limites contre les fichiers hostiles ou accidentels (voir SECURITY.md).
TAILLE_MAX = 1_000_000  # octets par fichier
PROFONDEUR_MAX = 50  # niveaux d'imbrication (une fiche en a 5)


class _AncreRefusee(Exception):
    def __init__(self, ligne: int, colonne: int) -> None:
        super().__init__()
        self.ligne, self.colonne = ligne, colonne


class _ComposeurSansAlias(Composer):
    """Refuse ancres (``&a``) et alias (``*a``) dès leur lecture : les données n'en ont
    jamais besoin, et un document « billion laughs » échoue ainsi tout de suite."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        evenement = self.parser.peek_event()
        if isinstance(evenement, AliasEvent) or getattr(evenement, "anchor", None):
            marque = evenement.start_mark
            raise _AncreRefusee(marque.line + 1, marque.column + 1)
        return super().compose_node(parent, index)


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
    yaml.Composer = _ComposeurSansAlias
    yaml.max_depth = PROFONDEUR_MAX
    return yaml


def decoder(octets: bytes, chemin: Path) -> str:
    """Décode un fichier en UTF-8 (une BOM initiale est acceptée et retirée).

    Lève ErreurDonnees en situant le premier octet invalide, ou si le fichier dépasse
    :data:`TAILLE_MAX`.
    """
    if len(octets) > TAILLE_MAX:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"fichier trop gros ({len(octets) // 1000} ko, au plus {TAILLE_MAX // 1000} ko)",
            "une fiche tient en quelques ko : vérifiez qu'il s'agit bien du bon fichier",
            regle="taille",
        )
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


def verifier_fins_de_ligne(texte: str, chemin: Path) -> None:
    """Refuse un fichier qui mélange fins de ligne Windows (CRLF) et Unix (LF)."""
    if "\r\n" in texte:
        seules = re.search(r"(?<!\r)\n", texte)
        if seules:
            ligne = texte.count("\n", 0, seules.start()) + 1
            raise ErreurDonnees(
                chemin,
                ligne,
                1,
                "fins de ligne mélangées (Windows CRLF et Unix LF dans le même fichier)",
                "dans votre éditeur, choisissez une seule fin de ligne (LF) et réenregistrez",
                regle="fins-de-ligne",
            )


def charger_texte(texte: str, chemin: Path) -> Any:
    """Analyse un texte YAML en mode aller-retour (commentaires et positions conservés)."""
    verifier_tabulations(texte, chemin)
    verifier_fins_de_ligne(texte, chemin)
    try:
        return yaml_aller_retour().load(texte)
    except _AncreRefusee as exc:
        raise ErreurDonnees(
            chemin,
            exc.ligne,
            exc.colonne,
            "ancre (&) ou alias (*) YAML : ces raccourcis ne sont pas acceptés",
            "recopiez la valeur en toutes lettres ; un texte qui commence par & ou * "
            "s'écrit entre guillemets",
            regle="alias",
        ) from None
    except MaxDepthExceededError as exc:
        marque = exc.problem_mark or exc.context_mark
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)",
            "une fiche n'a que quelques niveaux : vérifiez les crochets et l'indentation",
            regle="profondeur",
        ) from None
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
