"""Options partagées par les commandes."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import dossier_designe, trouver_racine
from cls_cli.decompte import FicheEcartee

#: L'aide de l'argument qui désigne une fiche.
AIDE_FICHE = "Numéro ou identifiant de la fiche, p. ex. 12 ou A2."

OPTION_DATA = typer.Option(
    None,
    "--data",
    help="Dossier de données, qui contient axes.yaml (par défaut : le dossier « data/ » "
    "contenant axes.yaml le plus proche, en remontant depuis le dossier courant ; le dossier "
    "trouvé est alors indiqué sur la sortie d'erreur).",
    file_okay=False,
)

OPTION_PARTIEL = typer.Option(
    False,
    "--partial",
    help="Produire le résultat même si des fiches ne se chargent pas : elles sont laissées "
    "de côté et listées dans un bandeau (sans cette option, la commande refuse).",
)


def racine_designee(data: Path | None) -> Path:
    """Le dossier désigné par --data (tel quel), ou trouvé en remontant depuis le dossier
    courant : ce dernier est alors annoncé sur la sortie d'erreur, pour qu'on sache quel
    arbre a été lu. Une écriture de cls interrompue y est d'abord annulée (voir
    :mod:`cls_cli.transaction`)."""
    console.situer_emplacements(None)
    if data is not None:
        racine = dossier_designe(data)
    else:
        racine = trouver_racine(Path.cwd())
        console.note(f"Dossier de données : {console.propre(console.chemin_lisible(racine))}")
    console.situer_emplacements(racine)
    if (racine / ".cls" / "transaction.json").exists():
        from cls_cli.transaction import verrou

        annonces: list[str] = []
        with verrou(racine, annonces):
            pass
        for annonce in annonces:
            console.info(annonce)
    return racine


def bandeau_ecartees(ecartees: list[FicheEcartee]) -> None:
    """Le bandeau visible des fiches laissées de côté (--partial), avant le résultat."""
    if not ecartees:
        return
    console.info(
        f"[bold red]Résultat partiel : {len(ecartees)} fiche(s) laissée(s) de côté[/], "
        "comptées dans aucun chiffre (cls validate détaille les problèmes) :"
    )
    for ecartee in ecartees:
        problemes = " ; ".join(f"ligne {p.ligne}, {p.texte()}" for p in ecartee.problemes)
        console.info(f"  - {console.sur(console.lieu(ecartee.chemin))} : {console.sur(problemes)}")


def format_et_racine(
    format_: str | None,
    sortie: Path | None,
    data: Path | None,
    force: bool,
    genre: str,
    permis: tuple[str, ...] | None = None,
) -> tuple[str, Path]:
    """Le format d'une sortie et le dossier de données, vérifiés avant toute lecture :
    un format inconnu est refusé d'abord (même si le dossier de données n'existe pas),
    sauf quand ``-o`` désigne un fichier du dossier de données : c'est alors ce refus-là
    qui est dit (``-o data/axes.yaml`` n'est pas « un format inconnu »)."""
    from cls_cli.ecriture import verifier_sortie
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.formats_rapport import format_sortie

    try:
        choisi = (
            format_sortie(format_, sortie)
            if permis is None
            else format_sortie(format_, sortie, permis)
        )
    except ErreurUsage as refus_du_format:
        if sortie is not None:
            try:
                racine = racine_designee(data)
            except ErreurUsage:
                raise refus_du_format from None
            verifier_sortie(sortie, racine, force, genre)
        raise
    racine = racine_designee(data)
    if sortie is not None:
        verifier_sortie(sortie, racine, force, genre)
    return choisi, racine
