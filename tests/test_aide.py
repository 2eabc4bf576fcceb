"""L'aide et les erreurs d'usage de cls sont en français, y compris les textes de typer."""

from __future__ import annotations

import re

import pytest
import typer

from cls_cli.cli import app
from cls_cli.typer_fr import traduire_erreur

#: Des mots anglais que le français n'emploie pas : leur présence trahit un texte de typer
#: resté en anglais (« Show this message and exit. », « <int> », « Missing option »…).
ANGLAIS = re.compile(
    r"\b(the|this|and|exit|show this|message|missing|invalid|such|requires|required|default|"
    r"unexpected|extra|possible options|does not|COMMAND|ARGS|int|str|bool|dir|path|"
    r"float|Try)\b|argument\(s\)",
    re.IGNORECASE,
)


def _chemins_de_commandes() -> list[list[str]]:
    groupe = typer.main.get_command(app)
    return [[]] + [[nom] for nom in groupe.commands]  # type: ignore[attr-defined]


def _anglais(texte: str) -> list[str]:
    """Les mots anglais du texte, hors noms d'options (``--missing`` est un nom, pas une phrase)."""
    return [m.group(0) for m in ANGLAIS.finditer(re.sub(r"--[\w-]+", "", texte))]


def test_le_detecteur_voit_les_textes_de_typer_en_anglais() -> None:
    """Le détecteur lui-même : il attrape les textes d'origine de typer."""
    for texte in (
        "Show this message and exit.",
        "--year  <int>",
        "Usage: cls [OPTIONS] COMMAND [ARGS]...",
        "Missing option '--year'.",
        "Got unexpected extra argument(s) (2)",
    ):
        assert _anglais(texte), texte
    assert not _anglais("Afficher cette aide et quitter. <entier> <dossier> [obligatoire]")


@pytest.mark.parametrize("chemin", _chemins_de_commandes(), ids=lambda c: " ".join(c) or "cls")
def test_aucune_phrase_anglaise_dans_l_aide(cls, chemin: list[str]) -> None:
    resultat = cls(*chemin, "--help")
    assert resultat.exit_code == 0, resultat.output
    assert "Afficher cette aide et quitter." in resultat.output
    assert _anglais(resultat.output) == [], resultat.output


@pytest.mark.parametrize(
    ("arguments", "attendu"),
    [
        (["amend", "show", "x"], "valeur refusée pour 'numero' : un nombre entier est attendu."),
        (["show"], "argument obligatoire manquant : 'fiche'."),
        (["show", "1", "2"], "argument en trop : 2"),
        (["validate", "--nope"], "option inconnue : --nope."),
        (["report", "--year", "2021", "--format"], "l'option '--format' attend une valeur."),
        (["list", "--help=3"], "l'option '--help' ne prend pas de valeur."),
        (["report"], "option obligatoire manquante : '--year' / '-y'."),
        (["nope"], "commande inconnue « nope »"),
    ],
)
def test_erreurs_d_usage_en_francais_code_2(cls, arguments: list[str], attendu: str) -> None:
    resultat = cls(*arguments)
    assert resultat.exit_code == 2
    texte = " ".join(resultat.output.replace("│", " ").split())
    assert attendu in texte, texte
    assert "non traduit" not in texte
    assert _anglais(texte) == [], texte


@pytest.mark.parametrize(
    ("anglais", "francais"),
    [
        ("No such command 'x'.", "commande inconnue « x » : voyez la liste avec cls -h."),
        ("Missing command.", "il manque la commande : voyez la liste avec cls -h."),
        ("Missing option '--year' / '-y'.", "option obligatoire manquante : '--year' / '-y'."),
        ("Missing argument 'numero'.", "argument obligatoire manquant : 'numero'."),
        (
            "No such option: --debu (Possible options: --debug, --data)",
            "option inconnue : --debu (options proches : --debug, --data).",
        ),
        ("Option '--year' requires 2 arguments.", "l'option '--year' attend 2 valeurs."),
        (
            "Invalid value for '--format': 'x' is not one of 'md', 'html'.",
            "valeur refusée pour '--format' : 'x' n'est pas l'un des choix possibles : "
            "'md', 'html'.",
        ),
        (
            "Invalid value for '--data': Directory '/x' does not exist.",
            "valeur refusée pour '--data' : « /x » n'existe pas.",
        ),
        (
            "Invalid value for 'n': Input should be a valid number, unable to parse",
            "valeur refusée pour 'n' : un nombre est attendu.",
        ),
        (
            "Invalid value for 'n': something new",
            "valeur refusée pour 'n' : something new.",
        ),
        (
            "A brand new typer message",
            "erreur d'usage (message de typer non traduit) : A brand new typer message",
        ),
    ],
)
def test_traduire_erreur(anglais: str, francais: str) -> None:
    assert traduire_erreur(anglais) == francais
