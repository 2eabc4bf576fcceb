"""``cls report`` et ``cls stats`` : l'évaluation annuelle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import charger
from cls_cli.commandes.communs import OPTION_DATA, dossier_donnees
from cls_cli.erreurs import ErreurUsage


def _date(texte: str | None) -> dt.date:
    if texte is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(texte)
    except ValueError:
        raise ErreurUsage(f"date invalide « {texte} » : écrivez-la AAAA-MM-JJ") from None


def report(
    annee: int = typer.Option(..., "--year", "-y", help="Année évaluée (ex. 2021)."),
    format_: str | None = typer.Option(
        None, "--format", "-f", help="md, html ou json (par défaut : d'après -o, sinon md)."
    ),
    sortie: Path | None = typer.Option(
        None, "--output", "-o", help="Fichier à écrire (sinon : sortie standard)."
    ),
    debut: int | None = typer.Option(
        None, "--from", help="Première année de l'évolution présentée (ex. 2020)."
    ),
    mi_parcours: bool = typer.Option(
        False,
        "--mid-term",
        help="Évaluation à mi-parcours : l'évolution depuis le début du contrat.",
    ),
    langue: str = typer.Option("fr", "--lang", help="Langue du rapport : fr ou en."),
    date: str | None = typer.Option(
        None, "--date", help="Date inscrite sur le rapport, AAAA-MM-JJ (par défaut : aujourd'hui)."
    ),
    data: Path | None = OPTION_DATA,
) -> None:
    """Produit le rapport d'évaluation d'une année (Markdown, HTML ou JSON)."""
    from cls_cli.avenants import charger_avenants
    from cls_cli.depot import origine
    from cls_cli.ecriture import ecrire_atomique
    from cls_cli.rapport import construire
    from cls_cli.rendu import FORMATS, morceaux

    if format_ is None:
        format_ = sortie.suffix.lstrip(".").lower() if sortie and sortie.suffix else "md"
        format_ = {"markdown": "md", "htm": "html"}.get(format_, format_)
    if format_ not in FORMATS:
        raise ErreurUsage(f"format inconnu « {format_} » : choisissez parmi {', '.join(FORMATS)}")
    racine = dossier_donnees(data)
    referentiel = charger(racine).referentiel
    if referentiel.contrat and mi_parcours and debut is None:
        debut = referentiel.contrat.periode.debut
    if debut is not None and debut > annee:
        raise ErreurUsage(f"--from {debut} est après --year {annee}")
    avenants = charger_avenants(racine).valides()
    contenu = construire(referentiel, annee, _date(date), origine(racine), debut, avenants)
    del referentiel  # le rendu réutilise la mémoire des fiches
    texte = morceaux(contenu, format_, langue)
    if sortie is None:
        console.flux(texte)
        return
    ecrire_atomique(sortie, texte)
    console.compte_rendu(f"Rapport {annee} ({format_}) écrit dans {console.propre(sortie)}")


def stats(
    annee: int = typer.Option(..., "--year", "-y", help="Année évaluée (ex. 2021)."),
    data: Path | None = OPTION_DATA,
) -> None:
    """Affiche la synthèse de l'année dans le terminal : avancement par axe, statuts, complétude."""
    from cls_cli.avenants import charger_avenants
    from cls_cli.calculs import LIBELLES_STATUT
    from cls_cli.depot import origine
    from cls_cli.rapport import construire
    from cls_cli.rendu import pourcentage

    racine = dossier_donnees(data)
    r = construire(
        charger(racine).referentiel,
        annee,
        dt.date.today(),
        origine(racine),
        avenants=charger_avenants(racine).valides(),
    )

    def couverture(c: dict[str, int]) -> str:
        return f"{c['renseignees']} sur {c['total']}"

    lignes = [
        (
            f"{a['code']}. {a['libelle']}",
            pourcentage(a["avancement"], "fr"),
            couverture(a["couverture"]),
            pourcentage(a["completude"], "fr"),
        )
        for a in r["axes"]
    ]
    c = r["contrat"]
    lignes.append(
        (
            "Contrat",
            pourcentage(c["avancement"], "fr"),
            couverture(c["couverture"]),
            pourcentage(c["completude"], "fr"),
        )
    )
    console.tableau(
        f"Synthèse {annee}",
        ("Axe", "Avancement", "Actions renseignées", "Complétude"),
        lignes,
    )
    console.tableau(
        "Actions par statut",
        ("Statut", "Actions"),
        [(LIBELLES_STATUT[s], str(n)) for s, n in c["statuts"].items()],
    )
    if r["rien_saisi"]:
        console.info("Rien n'a encore été saisi : aucun point de suivi ni aucune mesure.")
    if c["en_retard"]:
        console.info(f"En retard : fiches {', '.join(map(str, c['en_retard']))}")
    if c["hors_delai"]:
        console.info(f"Hors délai : fiches {', '.join(map(str, c['hors_delai']))}")
    for cle, verbe in (("ajoutees", "ajoutée"), ("retirees", "retirée")):
        for m in r["avenants"][cle]:
            console.info(f"Fiche {m['fiche']} {verbe} en {annee} par l'avenant n° {m['avenant']}")
