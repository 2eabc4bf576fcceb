"""Les textes propres à typer, en français : intitulés de l'aide, types, erreurs d'usage.

typer (0.29) embarque sa propre copie de click, dont les messages sont écrits en dur en
anglais (plus de ``gettext``) : on ne peut pas les traduire par un catalogue. Ce module,
de la couche commande, les remplace en trois endroits, tous vérifiés par
``tests/test_aide.py`` (qui échoue si une mise à jour de typer les déplace) :

- les intitulés de l'aide (constantes de ``typer.rich_utils``, prévues pour cela) ;
- le texte de l'option ``--help`` et le type affiché de chaque paramètre (``<entier>``
  plutôt que ``<int>``, rien pour une option sans valeur) ;
- les messages d'erreur d'usage, réécrits par :func:`traduire_erreur` avant affichage.

``typer.rich_utils`` (qui importe rich et markdown-it) n'est chargé par typer que pour
afficher l'aide ou une erreur : on le traduit au moment où il est importé, sans l'importer
nous-mêmes, pour ne pas ralentir le démarrage de chaque commande.
"""

from __future__ import annotations

import importlib.machinery
import re
import sys
import types
from collections.abc import Callable
from typing import Any

import typer.core
from typer import _click

INTITULES = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]'{command_path} {help_option}'[/]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "DEFAULT_STRING": "[par défaut : {}]",
    "DEPRECATED_STRING": "(obsolète) ",
    "RANGE_STRING": " [entre {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
}

#: Le texte de l'option ``-h/--help`` de chaque commande.
AIDE = "Afficher cette aide et quitter."

#: Ce qui remplace ``COMMAND [ARGS]...`` dans la ligne d'usage.
METAVAR_COMMANDE = "COMMANDE [ARGUMENTS]..."

#: Les types affichés dans l'aide ; ``""`` : rien (une option sans valeur).
TYPES = {
    "bool": "",
    "int": "entier",
    "float": "nombre",
    "str": "texte",
    "dir": "dossier",
    "file": "fichier",
    "path": "chemin",
    "datetime": "date",
}

_MOTIF_VALEUR_INVALIDE = re.compile(r"^Invalid value for (?P<qui>.+?): (?P<raison>.*)$", re.S)

#: Les messages d'erreur d'usage de typer/click et leur traduction (premier motif qui
#: correspond). Les noms cités (options, arguments, valeurs) sont repris tels quels.
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(motif, re.S), traduction)
    for motif, traduction in (
        (r"^No such command '(.*)'\.$", "commande inconnue « \\1 » : voyez la liste avec cls -h."),
        (r"^Missing command\.$", "il manque la commande : voyez la liste avec cls -h."),
        (r"^Missing option (.+?)\.(?: (.*))?$", "option obligatoire manquante : \\1."),
        (r"^Missing argument (.+?)\.(?: (.*))?$", "argument obligatoire manquant : \\1."),
        (r"^Missing parameter: (.*)$", "paramètre obligatoire manquant : \\1."),
        (
            r"^No such option: (\S+) \(Possible options: (.*)\)$",
            "option inconnue : \\1 (options proches : \\2).",
        ),
        (r"^No such option: (.*)$", "option inconnue : \\1."),
        (r"^Option (.+?) requires an argument\.$", "l'option \\1 attend une valeur."),
        (r"^Option (.+?) requires (\d+) arguments\.$", "l'option \\1 attend \\2 valeurs."),
        (r"^Option (.+?) does not take a value\.$", "l'option \\1 ne prend pas de valeur."),
        (
            r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$",
            "argument en trop : \\1 (mettez entre guillemets une valeur qui contient des espaces).",
        ),
        (r"^Argument (.+?) takes (\d+) values\.$", "l'argument \\1 attend \\2 valeurs."),
    )
)

#: Les raisons d'une valeur refusée (après « Invalid value for X: »).
RAISONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(motif, re.S), traduction)
    for motif, traduction in (
        (r"^Input should be a valid integer.*$", "un nombre entier est attendu"),
        (r"^Input should be a valid number.*$", "un nombre est attendu"),
        (r"^Input should be a valid boolean.*$", "oui ou non est attendu"),
        (r"^Input should be a valid date.*$", "une date AAAA-MM-JJ est attendue"),
        (r"^(.+?) is not one of (.*)\.$", "\\1 n'est pas l'un des choix possibles : \\2"),
        (r"^(.+?) '(.*)' does not exist\.$", "« \\2 » n'existe pas"),
        (r"^(.+?) '?(.*?)'? is a file\.$", "« \\2 » est un fichier, pas un dossier"),
        (r"^(.+?) '?(.*?)'? is a directory\.$", "« \\2 » est un dossier, pas un fichier"),
        (r"^(.+?) '?(.*?)'? is not readable\.$", "« \\2 » ne peut pas être lu"),
        (r"^(.+?) '?(.*?)'? is not writable\.$", "« \\2 » ne peut pas être écrit"),
    )
)


def traduire_erreur(message: str) -> str:
    """Le message d'une erreur d'usage de typer, en français.

    Un message inconnu (nouvelle version de typer) est rendu tel quel, précédé d'un
    avertissement : mieux vaut un message en anglais qu'un message perdu.
    """
    valeur = _MOTIF_VALEUR_INVALIDE.match(message)
    if valeur:
        raison = valeur["raison"]
        for motif, traduction in RAISONS:
            if motif.match(raison):
                raison = motif.sub(traduction, raison)
                break
        return f"valeur refusée pour {valeur['qui']} : {raison}."
    for motif, traduction in MESSAGES:
        if motif.match(message):
            return motif.sub(traduction, message)
    return f"erreur d'usage (message de typer non traduit) : {message}"


def _type_affiche(original: Callable[..., str]) -> Callable[..., str]:
    def display_type(self: Any, ctx: Any) -> str:
        etiquette = original(self, ctx)
        if etiquette.startswith("<") and etiquette.endswith(">"):
            interieur = etiquette[1:-1]
            if interieur.startswith("list[") and interieur.endswith("]"):  # plusieurs valeurs
                interieur = interieur[5:-1].lower()
            if interieur in TYPES:
                return f"<{TYPES[interieur]}>" if TYPES[interieur] else ""
        return etiquette

    return display_type


def _option_aide(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = AIDE
        return option

    return get_help_option


def _erreur_traduite(original: Callable[..., None]) -> Callable[..., None]:
    def rich_format_error(erreur: Any) -> None:
        if erreur.__class__.__name__ != "NoArgsIsHelpError":
            texte = traduire_erreur(erreur.format_message())
            erreur.format_message = lambda: texte
        original(erreur)

    return rich_format_error


def _traduire_rich_utils(module: types.ModuleType) -> None:
    for cle, texte in INTITULES.items():
        setattr(module, cle, texte)
    original = getattr(module, "rich_format_error")  # noqa: B009 (module chargé à la volée)
    if not getattr(original, "_cls_traduit", False):
        traduit = _erreur_traduite(original)
        traduit._cls_traduit = True  # type: ignore[attr-defined]
        setattr(module, "rich_format_error", traduit)  # noqa: B010


class _TraduireAuChargement:
    """Traduit ``typer.rich_utils`` au moment où typer l'importe (voir le module)."""

    def find_spec(self, nom: str, chemin: Any, cible: Any = None) -> Any:
        if nom != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(nom, chemin)
        if spec is not None and spec.loader is not None:
            executer = spec.loader.exec_module

            def executer_puis_traduire(module: types.ModuleType) -> None:
                executer(module)
                _traduire_rich_utils(module)

            spec.loader.exec_module = executer_puis_traduire  # type: ignore[method-assign]
        return spec


def installer() -> None:
    """Met typer en français (idempotent)."""
    parametre = typer.core._TyperParameter
    if not getattr(parametre.display_type, "_cls_traduit", False):
        traduit = _type_affiche(parametre.display_type)
        traduit._cls_traduit = True  # type: ignore[attr-defined]
        parametre.display_type = traduit  # type: ignore[method-assign]
    commande = _click.core.Command
    if not getattr(commande.get_help_option, "_cls_traduit", False):
        aide = _option_aide(commande.get_help_option)
        aide._cls_traduit = True  # type: ignore[attr-defined]
        commande.get_help_option = aide  # type: ignore[method-assign]
    if "typer.rich_utils" in sys.modules:
        _traduire_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(c, _TraduireAuChargement) for c in sys.meta_path):
        sys.meta_path.insert(0, _TraduireAuChargement())
