"""``cls diff`` et ``cls history`` : ce qui a changé entre deux versions enregistrées par git."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import DejaLues
from cls_cli.commandes.communs import AIDE_FICHE, OPTION_DATA, racine_designee
from cls_cli.erreurs import ErreurUsage

OPTION_FORMAT = typer.Option(
    "text",
    "--format",
    "-f",
    help="text (par défaut), md (à coller en commentaire d'une demande de fusion) ou json.",
)

ARBRE_DE_TRAVAIL = "arbre de travail"
#: Les formats de cls diff et cls history (voir cls_cli.formats_changements, importé à l'usage).
FORMATS = ("text", "md", "json")


def _format(format_: str) -> str:
    if format_ not in FORMATS:
        raise ErreurUsage(f"format inconnu « {format_} » : choisissez parmi {', '.join(FORMATS)}")
    return format_


def diff(
    revision_a: str | None = typer.Argument(
        None,
        metavar="[REV_A]",
        help="Version de départ : commit, branche, étiquette (défaut : HEAD).",
    ),
    revision_b: str | None = typer.Argument(
        None,
        metavar="[REV_B]",
        help="Version d'arrivée (défaut : l'arbre de travail, modifications non enregistrées "
        "comprises).",
    ),
    format_: str = OPTION_FORMAT,
    data: Path | None = OPTION_DATA,
) -> None:
    """Dit ce qui a changé dans les données entre deux versions git, fiche par fiche.

    Sans argument : le dernier commit (HEAD) comparé aux fichiers actuels ; avec une
    version : cette version comparée aux fichiers actuels ; avec deux : de la première à la
    seconde. Seul le contenu compte : un fichier reformaté ou recommenté ne change rien.
    Chaque changement d'une mesure ou d'un suivi d'une année close (cls campaign close) dans
    l'une ou l'autre version, ou d'une fiche qui a des chiffres de cette année, est marqué
    « année close », et compté en tête.
    Code de sortie 0 (avec ou sans changement), 2 si une version n'existe pas ou si le
    dossier n'est pas dans un dépôt git.
    """
    from cls_cli.changements import comparer
    from cls_cli.clotures import closes_de_version
    from cls_cli.depot import Depot, charger_version
    from cls_cli.formats_changements import FORMATEURS

    format_ = _format(format_)
    racine = racine_designee(data)
    depot = Depot.de(racine)
    nom_a = revision_a or "HEAD"
    commit_a = depot.commit(nom_a)
    commit_b = depot.commit(revision_b) if revision_b else None
    deja: DejaLues = {}  # une fiche identique dans les deux versions n'est lue qu'une fois
    avant = depot.charger(commit_a, racine, deja).referentiel
    apres = charger_version(racine, depot, commit_b, deja).referentiel
    comparaison = comparer(
        avant,
        apres,
        _libelle(nom_a, commit_a),
        _libelle(revision_b, commit_b) if revision_b and commit_b else ARBRE_DE_TRAVAIL,
        (closes_de_version(racine, depot, commit_a), closes_de_version(racine, depot, commit_b)),
    )
    texte = FORMATEURS[format_](comparaison)
    if format_ != "json":  # les avenants de la version d'arrivée, nommés avec leurs changements
        from cls_cli.avenants import charger_avenants
        from cls_cli.avenants_versions import avenants_du_commit, nouveaux
        from cls_cli.formats_avenants import annexe_diff

        fin = (
            avenants_du_commit(depot, commit_b, racine)
            if commit_b
            else charger_avenants(racine).valides()
        )
        fiches = {f.numero: f for f in apres.fiches_valides()}
        recents = nouveaux(avenants_du_commit(depot, commit_a, racine), fin)
        texte += annexe_diff(recents, fiches, format_ == "md")
    _ecrire(texte, format_)


def _ecrire(sortie: str, format_: str) -> None:
    """JSON tel quel (ses chaînes sont déjà échappées) ; texte et Markdown, caractères de
    contrôle des données échappés."""
    if format_ == "json":
        console.ecrire(sortie)
    else:
        console.texte(sortie)


def _libelle(nom: str, commit: str) -> str:
    court = commit[:10]
    return court if nom.startswith(court) else f"{nom} ({court})"


def history(
    designee: str = typer.Argument(..., metavar="fiche", help=AIDE_FICHE),
    format_: str = OPTION_FORMAT,
    data: Path | None = OPTION_DATA,
) -> None:
    """Retrace la vie d'une fiche dans l'historique git : qui a changé quoi, et quand.

    Du plus récent au plus ancien ; les commits qui n'ont fait que reformater la fiche
    sont omis.
    """
    from cls_cli.depot import Depot
    from cls_cli.formats_historique import FORMATEURS_HISTORIQUE
    from cls_cli.historique import historique
    from cls_cli.references import fiche_designee

    format_ = _format(format_)
    racine = racine_designee(data)
    numero = fiche_designee(racine, designee)[0]
    _ecrire(FORMATEURS_HISTORIQUE[format_](historique(Depot.de(racine), racine, numero)), format_)
