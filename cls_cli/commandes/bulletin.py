"""``cls bulletin`` : le bulletin d'information semestriel."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.commandes.communs import OPTION_DATA, format_et_racine
from cls_cli.erreurs import ErreurUsage
from cls_cli.formats_rapport import AIDE_FORMAT, FORMATS_TEXTE, liste_formats


def bulletin(
    semestre: str = typer.Option(
        ..., "--semestre", "-s", help="Le semestre : AAAA-S1 ou AAAA-S2 (ex. 2021-S2)."
    ),
    format_: str | None = typer.Option(
        None, "--format", "-f", help=AIDE_FORMAT.format(formats=liste_formats(FORMATS_TEXTE))
    ),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Fichier à écrire (sinon : sortie standard)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Remplacer -o même s'il n'a pas été produit par cette commande."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Produit le bulletin d'information semestriel : actions, chiffres, réunions, échéances.

    Les changements de statut sont datés par l'historique git du dossier de données s'il
    existe (sinon à l'année) ; le bulletin dit laquelle des deux datations a servi."""
    from cls_cli.bulletin import (
        bornes,
        construire_bulletin,
        debut_historique_utile,
        rendre_bulletin,
    )
    from cls_cli.chargement import charger
    from cls_cli.depot import versions_des_fiches
    from cls_cli.ecriture import ecrire_sortie
    from cls_cli.regles_evaluations import charger_gouvernance

    format_, racine = format_et_racine(format_, sortie, data, force, "bulletin", FORMATS_TEXTE)
    try:
        bornes(semestre)
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    ref = charger(racine).referentiel
    g = charger_gouvernance(racine)
    contenu = construire_bulletin(
        ref.fiches_valides(),
        [i.modele for i in g.instances],
        [e.modele for e in g.evaluations],
        ref.contrat.titre if ref.contrat else "Contrat Local de Santé",
        semestre,
        versions_des_fiches(racine, debut_historique_utile(semestre)),
    )
    texte = rendre_bulletin(contenu, format_)
    if sortie is None:
        console.ecrire(texte)
        return
    ecrire_sortie(sortie, texte, racine, force, "bulletin")
    console.compte_rendu(f"Bulletin {semestre} ({format_}) écrit dans {console.propre(sortie)}")
