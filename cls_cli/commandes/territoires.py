"""``cls export``, ``cls init`` et ``cls rollup`` : un contrat vers SQL ou CSV, un nouveau
dépôt de contrat, plusieurs contrats côte à côte."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, racine_designee


def export(
    format_: str = typer.Option(
        "sqlite",
        "--format",
        "-f",
        help="sqlite (une base), csv ou parquet (un dossier, un fichier par table ; parquet "
        "demande pyarrow : pip install 'cls-cli[parquet]').",
    ),
    sortie: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Base ou dossier à écrire (par défaut : cls-export.sqlite ou cls-export/ dans le "
        "dossier courant).",
    ),
    force: bool = typer.Option(False, "--force", help="Remplacer les fichiers existants."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Exporte le contrat en tables normalisées (contrats, axes, objectifs, fiches, porteurs,
    indicateurs, mesures, suivis…) pour SQL, un tableur ou un outil d'analyse."""
    from cls_cli.export import exporter
    from cls_cli.export_ecriture import ecrire_export

    racine = racine_designee(data)
    contenu = exporter([racine], format_)
    if sortie is None:
        sortie = Path("cls-export.sqlite" if format_ == "sqlite" else "cls-export")
    ecrits = ecrire_export(sortie, contenu, [racine], force)
    quoi = (
        "Base SQLite écrite"
        if isinstance(contenu, bytes)
        else f"{len(ecrits)} tables {'Parquet' if format_ == 'parquet' else 'CSV'} écrites"
    )
    console.compte_rendu(f"{quoi} dans {console.propre(sortie)}")


def init(
    dossier: Path = typer.Argument(..., help="Dossier du nouveau dépôt (nouveau ou vide)."),
    nom: str = typer.Option(..., "--nom", help="Titre du contrat (ex. « CLS de Dreux »)."),
    debut: int = typer.Option(..., "--debut", help="Première année du contrat (ex. 2026)."),
    fin: int = typer.Option(..., "--fin", help="Dernière année du contrat (ex. 2031)."),
    territoire: str | None = typer.Option(
        None, "--territoire", help="Territoire couvert (sinon : le titre, marqué PROVISOIRE)."
    ),
    signature: str | None = typer.Option(
        None,
        "--signature",
        help="Date de signature AAAA-MM-JJ (sinon : « non_precise » dans contrat.yaml, "
        "jamais une date inventée).",
    ),
    niveaux: int = typer.Option(
        3,
        "--niveaux",
        help="Niveaux au-dessus des fiches : 1 (axes), 2 (axes et objectifs) ou 3 (axes, "
        "objectifs stratégiques et opérationnels).",
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Accepter un dossier non vide : seuls les fichiers absents sont ajoutés, aucun "
        "fichier existant n'est remplacé.",
    ),
) -> None:
    """Crée le dépôt de données d'un nouveau contrat : data/ (contrat, axe exemple, dossier
    des fiches), schémas pour l'éditeur, README, pre-commit, intégration continue, git."""
    from cls_cli.commandes.rapports import _date
    from cls_cli.init_depot import NouveauContrat, creer_depot

    date = _date(signature) if signature is not None else None
    cree = creer_depot(dossier, NouveauContrat(nom, debut, fin, territoire, date, niveaux), force)
    console.compte_rendu(f"{len(cree.ecrits)} fichier(s) créé(s) dans {console.propre(dossier)}")
    for garde in cree.gardes:
        console.info(f"Déjà présent, laissé tel quel : {console.propre(garde)}")
    if cree.git:
        console.info("Dépôt git créé (git init).")
    console.info(
        "À faire : lisez le README du dépôt, puis lancez "
        f"« cls validate --data {console.propre(dossier / 'data')} »."
    )


def rollup(
    dossiers: list[Path] = typer.Argument(
        ...,
        help="Dossiers de données des contrats (chacun contient axes.yaml).",
        file_okay=False,
        metavar="DOSSIER...",
    ),
    annee: int | None = typer.Option(
        None,
        "--year",
        "-y",
        help="Année consolidée (par défaut : la plus récente renseignée dans tous les contrats).",
    ),
    format_: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="md, html, json ou sqlite (toutes les tables) ; par défaut : d'après "
        "l'extension de -o, sinon md.",
    ),
    sortie: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Fichier à écrire (sinon la sortie standard ; sqlite : cls-rollup.sqlite).",
    ),
    partiel: bool = typer.Option(
        False,
        "--partial",
        help="Consolider les contrats valides même si un arbre est invalide (il est listé à "
        "part) ; sans cette option, un arbre invalide arrête tout.",
    ),
    force: bool = typer.Option(False, "--force", help="Remplacer le fichier -o existant."),
) -> None:
    """Consolide plusieurs contrats : par contrat, par thème et par axe l'avancement, la
    complétude, les actions par statut et en retard, et les totaux (md, html, json) ; ou
    toutes leurs tables (sqlite)."""
    import datetime as dt

    from cls_cli.chargement import dossier_designe
    from cls_cli.export_ecriture import ecrire_export
    from cls_cli.formats_rapport import format_sortie
    from cls_cli.formats_rollup import FORMATS_ROLLUP, rendre_rollup
    from cls_cli.rollup import arbres_valides, consolider

    format_ = format_sortie(format_, sortie, FORMATS_ROLLUP)
    racines = [dossier_designe(d) for d in dossiers]
    if format_ == "sqlite":
        from cls_cli.export import tables
        from cls_cli.export_formats import base_sqlite

        base = base_sqlite(tables(arbres_valides(racines, partiel)[0]).items())
        chemin = sortie or Path("cls-rollup.sqlite")
        ecrire_export(chemin, base, racines, force)
        console.compte_rendu(f"Base SQLite écrite dans {console.propre(chemin)}")
        return
    consolidation = consolider(racines, annee, dt.date.today(), partiel)
    texte = rendre_rollup(consolidation, format_)
    if sortie is None:
        console.flux([texte], lisible=format_ != "json")
        return
    ecrire_export(sortie, texte.encode(), racines, force)
    console.compte_rendu(
        f"Consolidation {consolidation.annee} ({format_}) écrite dans {console.propre(sortie)}"
    )
