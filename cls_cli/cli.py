"""Point d'entrée de la commande ``cls`` : l'application typer et la gestion des erreurs.

Les commandes vivent dans :mod:`cls_cli.commandes` (un module par groupe) ; elles ne font
qu'analyser leurs options, appeler le cœur et afficher. Les erreurs de données
(:class:`~cls_cli.erreurs.ErreurDonnees`) sortent en code 1, les erreurs d'usage en code 2,
sans trace Python ; un bogue affiche sa trace et invite à le signaler.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from cls_cli import console, typer_fr
from cls_cli.erreurs import ErreurDonnees, ErreurUsage

F = TypeVar("F", bound=Callable[..., Any])

typer_fr.installer()

app = typer.Typer(
    name="cls",
    help="Suivi du Contrat Local de Santé : valider les fiches-actions, saisir les mesures, "
    "produire les rapports d'évaluation.",
    no_args_is_help=True,
    subcommand_metavar=typer_fr.METAVAR_COMMANDE,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_etat = {"debug": False}


def _version(demandee: bool) -> None:
    """``cls --version`` : la version du paquet installé (ses métadonnées), puis sortie."""
    if demandee:
        from importlib.metadata import version

        console.ecrire(f"cls {version('cls-cli')}\n")
        raise typer.Exit()


@app.callback()
def _options_globales(
    debug: bool = typer.Option(
        False, "--debug", help="Afficher la trace Python complète en cas d'erreur."
    ),
    _version_demandee: bool = typer.Option(
        False,
        "--version",
        help="Afficher la version de cls et quitter.",
        callback=_version,
        is_eager=True,
    ),
) -> None:
    _etat["debug"] = debug


def _trace() -> None:
    import traceback

    traceback.print_exc()


#: Le code de sortie quand le lecteur a fermé la sortie (``cls report | head``) : celui
#: d'un outil Unix arrêté par SIGPIPE (128 + 13), comme ``cat`` ou ``grep``.
CODE_SORTIE_FERMEE = 141


def _sortie_fermee() -> None:
    """La sortie standard est un tube que son lecteur a fermé : rien à signaler, mais Python
    ne doit pas tenter d'y vider son tampon en quittant (ce qui afficherait une trace).
    Recette de la documentation de Python (module signal, « Note on SIGPIPE »)."""
    nulle = os.open(os.devnull, os.O_WRONLY)
    os.dup2(nulle, sys.stdout.fileno())


def proteger(fonction: F) -> F:
    """Entoure une commande : erreurs de données et du système -> code 1, d'usage -> code 2,
    bogue -> 3, sortie fermée par son lecteur -> 141, sans message."""

    @functools.wraps(fonction)
    def enveloppe(*args: Any, **kwargs: Any) -> Any:
        try:
            return fonction(*args, **kwargs)
        except ErreurDonnees as exc:
            if _etat["debug"]:
                _trace()
            p = exc.probleme
            console.erreur(f"{console.lieu(p.chemin)}:{p.ligne}:{p.colonne}: {p.texte()}")
            raise typer.Exit(1) from None
        except ErreurUsage as exc:
            if _etat["debug"]:
                _trace()
            console.erreur(str(exc))
            raise typer.Exit(2) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            _sortie_fermee()
            raise typer.Exit(CODE_SORTIE_FERMEE) from None
        except OSError as exc:  # disque plein, droits… : une phrase, pas une trace
            from cls_cli.transaction import message_systeme

            p = message_systeme(exc, exc.filename or "?", "de lire ou d'écrire").probleme
            console.erreur(f"{p.chemin}: {p.texte()}")
            raise typer.Exit(1) from None
        except Exception:
            _trace()
            console.erreur(
                "erreur interne de cls (un bogue, pas une erreur dans vos données). "
                "Merci de la signaler avec la trace ci-dessus et la commande lancée."
            )
            raise typer.Exit(3) from None

    return enveloppe  # type: ignore[return-value]


def _enregistrer() -> None:
    from cls_cli.commandes import (
        avenant,
        campagne,
        consulter,
        evaluer,
        outils,
        rapports,
        saisir,
        valider,
        versions,
    )

    app.command("validate")(proteger(valider.validate))
    app.command("list")(proteger(consulter.lister))
    app.command("show")(proteger(consulter.show))
    app.command("report")(proteger(rapports.report))
    app.command("stats")(proteger(rapports.stats))
    app.command("record")(proteger(saisir.record))
    app.command("status")(proteger(saisir.status))
    app.command("template")(proteger(saisir.template))
    app.command("import")(proteger(saisir.importer))
    app.command("new")(proteger(avenant.new))
    app.command("diff")(proteger(versions.diff))
    app.command("history")(proteger(versions.history))
    app.command("schema")(proteger(outils.schema))
    evaluer.enregistrer(app, proteger)  # cls evaluate new|report, cls bulletin
    campagne.enregistrer(app, proteger)  # cls campaign …
    _enregistrer_territoires()
    _enregistrer_avenants()


def _enregistrer_territoires() -> None:
    """``cls export``, ``cls init``, ``cls rollup`` (ticket 22)."""
    from cls_cli.commandes import territoires

    app.command("export")(proteger(territoires.export))
    app.command("init")(proteger(territoires.init))
    app.command("rollup")(proteger(territoires.rollup))

    from cls_cli.commandes import fiches

    app.command("import-fiches")(proteger(fiches.import_fiches))


def _enregistrer_avenants() -> None:
    """``cls amend new|list|show`` et ``cls contract`` (ticket 20)."""
    from cls_cli.commandes import avenants

    amend = typer.Typer(
        help=avenants.AIDE,
        no_args_is_help=True,
        subcommand_metavar=typer_fr.METAVAR_COMMANDE,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    amend.command("new")(proteger(avenants.new))
    amend.command("list")(proteger(avenants.lister))
    amend.command("show")(proteger(avenants.show))
    app.add_typer(amend, name="amend")
    app.command("withdraw")(proteger(avenants.withdraw))
    app.command("contract")(proteger(avenants.contract))


_enregistrer()


def main() -> None:
    # cls n'utilise aucun greffon pydantic : inutile de parcourir les paquets installés
    # pour en chercher (une vingtaine de millisecondes à chaque commande).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
