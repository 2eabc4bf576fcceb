"""``cls list`` et ``cls show`` : consulter les fiches dans le terminal."""

from __future__ import annotations

from pathlib import Path

import typer

from cls_cli import console
from cls_cli.chargement import charger
from cls_cli.commandes.communs import (
    AIDE_FICHE,
    OPTION_DATA,
    OPTION_PARTIEL,
    bandeau_ecartees,
    racine_designee,
)
from cls_cli.decompte import fiches_ecartees
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import NON_PRECISE, NON_PRECISE_LIBELLE, STATUTS, Fiche
from cls_cli.periode import verifier_annee


def lister(
    axe: str | None = typer.Option(None, "--axe", help="Seulement les fiches de cet axe (ex. 2)."),
    statut: str | None = typer.Option(
        None,
        "--statut",
        help="Seulement les fiches dans ce statut : non_renseignee, " + ", ".join(STATUTS) + ".",
    ),
    porteur: str | None = typer.Option(
        None, "--porteur", help="Seulement les fiches dont un porteur contient ce texte."
    ),
    priorite: int | None = typer.Option(
        None, "--priorite", help="Seulement les fiches prioritaires cette année."
    ),
    annee: int | None = typer.Option(
        None, "--year", help="Statut à la fin de cette année (par défaut : le dernier connu)."
    ),
    partiel: bool = OPTION_PARTIEL,
    data: Path | None = OPTION_DATA,
) -> None:
    """Liste les fiches-actions, avec leur objectif, leurs porteurs et leur statut.

    Avec --year, seules les fiches en vigueur cette année-là (d'après les avenants) sont
    listées ; celles qui ne l'étaient pas sont comptées sous le tableau.
    """
    from cls_cli.avenants import avenants_surs
    from cls_cli.calculs import LIBELLES_STATUT, statut_a
    from cls_cli.en_vigueur import selon_annee
    from cls_cli.formats_avenants import marque_retrait, phrase_hors_vigueur
    from cls_cli.identifiants import identifiant

    if statut is not None and statut not in (*STATUTS, "non_renseignee"):
        raise ErreurUsage(
            f"statut inconnu « {statut} » : choisissez parmi non_renseignee, {', '.join(STATUTS)}"
        )
    racine = racine_designee(data)
    chargement = charger(racine)
    ecartees = fiches_ecartees(chargement, partiel)
    referentiel = chargement.referentiel
    if annee is not None:
        verifier_annee(annee, referentiel.contrat)
    avenants = avenants_surs(racine)

    def retenue(fiche: Fiche) -> bool:
        suivi = statut_a(fiche, annee)
        code_statut = suivi.statut if suivi else "non_renseignee"
        return (
            (axe is None or referentiel.axe_de(fiche) == axe)
            and (statut is None or code_statut == statut)
            and (porteur is None or any(porteur.lower() in p.lower() for p in fiche.liste_porteurs))
            and (priorite is None or priorite in fiche.priorites)
        )

    fiches, hors = selon_annee(
        [f for f in referentiel.fiches_valides() if retenue(f)], avenants, annee
    )
    lignes = []
    for fiche in fiches:
        suivi = statut_a(fiche, annee)
        libelle = LIBELLES_STATUT[suivi.statut if suivi else "non_renseignee"]
        marque = marque_retrait(fiche.numero, avenants)
        lignes.append(
            (
                identifiant(fiche),
                fiche.objectif,
                fiche.titre,
                ", ".join(fiche.liste_porteurs) or NON_PRECISE_LIBELLE,
                f"{libelle} ; {marque}" if marque else libelle,
            )
        )
    bandeau_ecartees(ecartees)
    console.tableau(
        f"{len(lignes)} fiche(s)", ("N°", "Objectif", "Action", "Porteurs", "Statut"), lignes
    )
    if hors and annee is not None:
        console.info(phrase_hors_vigueur(hors, avenants, annee))


def show(
    designee: str = typer.Argument(..., metavar="fiche", help=AIDE_FICHE),
    data: Path | None = OPTION_DATA,
) -> None:
    """Affiche une fiche-action complète, comme dans le contrat, avec son suivi.

    La fiche se désigne par son identifiant tel que le contrat l'écrit (A2, 3.1) ou par
    son numéro."""
    from cls_cli.avenants import avenants_surs
    from cls_cli.calculs import LIBELLES_STATUT
    from cls_cli.formats_avenants import lignes_de_la_fiche
    from cls_cli.identifiants import identifiant
    from cls_cli.references import fiche_designee

    racine = racine_designee(data)
    referentiel = charger(racine).referentiel
    numero, nom = fiche_designee(racine, designee, referentiel)
    chargee = referentiel.fiche(numero)
    if chargee is None or chargee.fiche is None:
        raise ErreurUsage(
            f"la fiche {nom} n'existe pas ou n'est pas valide (cls list pour la liste, "
            "cls validate pour les erreurs)"
        )
    fiche = chargee.fiche
    modeles_titre = {
        "axe": "Axe {code} – {libelle}",
        "objectif": "Objectif {code} : {libelle}",
        "objectif_strategique": "Objectif stratégique {code} : {libelle}",
        "objectif_operationnel": "{code} {libelle}",
    }
    arbre = referentiel.arbre
    console.section(f"FICHE ACTION N° {identifiant(fiche)}")
    for code in arbre.chemin(fiche.objectif) or (fiche.objectif,):
        noeud = arbre.noeuds.get(code)
        titre = modeles_titre[noeud.niveau] if noeud else "{code}"
        console.info(console.sur(titre.format(code=code, libelle=noeud.libelle if noeud else "")))
    console.info("")
    console.info(f"[bold]{console.sur(fiche.titre)}[/]")
    natures = {
        "nouvelle": "Action nouvelle",
        "existante": "Action existante",
        "mixte": "Action existante pour partie - Action nouvelle pour partie",
    }
    if fiche.nature:
        console.info(f"[italic]{natures[fiche.nature]}[/]\n")
    avenants = lignes_de_la_fiche(fiche.numero, avenants_surs(racine))
    if avenants:
        console.champ("Avenants", "\n" + "\n".join(avenants))

    def dit(valeur: object, vide: str = "—") -> str:
        if valeur == NON_PRECISE:
            return NON_PRECISE_LIBELLE
        return ", ".join(valeur) or vide if isinstance(valeur, list) else str(valeur)

    console.champ("Porteur du projet", dit(fiche.porteurs, ""))
    console.champ("Partenariat", dit(fiche.partenaires))
    console.champ("Descriptif de l'action", "\n" + dit(fiche.description).rstrip())
    console.champ("Public cible", dit(fiche.public_cible))
    console.champ("Territoire", dit(fiche.territoire))
    console.champ("Calendrier", dit(fiche.texte_calendrier))
    console.champ("Ressources", dit(fiche.moyens.texte if fiche.moyens else NON_PRECISE))
    if fiche.moyens and fiche.moyens.budget is not None:
        console.champ("Budget", f"{fiche.moyens.budget:,.0f} €".replace(",", " "))
    if fiche.priorites:
        console.champ("Priorité", ", ".join(map(str, fiche.priorites)))
    lignes = []
    for ind in fiche.indicateurs:
        mesures = "; ".join(
            f"{m.annee} : {m.valeur}"
            if m.manquante is None
            else f"{m.annee} : manquante ({m.manquante})"
            for m in sorted(ind.mesures, key=lambda m: m.annee)
        )
        cible = "" if ind.cible is None else str(ind.cible)
        # Le code, dont cls record a besoin, sur sa propre ligne sous le libellé.
        lignes.append((f"{ind.libelle}\ncode : {ind.code}", ind.type, cible, mesures or "—"))
    if lignes:
        console.tableau("Evaluation", ("Indicateur", "Type", "Cible", "Mesures"), lignes)
    else:
        console.champ("Evaluation", "aucun indicateur")
    if fiche.suivi:
        console.tableau(
            "Suivi",
            ("Année", "Statut", "Avancement", "Commentaire"),
            [
                (
                    str(s.annee),
                    LIBELLES_STATUT[s.statut],
                    "" if s.avancement is None else f"{s.avancement} %",
                    s.commentaire or "",
                )
                for s in sorted(fiche.suivi, key=lambda s: s.annee)
            ],
        )
    _decisions(racine, fiche.numero)


def _decisions(racine: Path, numero: int) -> None:
    """Les décisions des instances (``instances/``) qui concernent la fiche."""
    from cls_cli.instances import decisions_fiche
    from cls_cli.regles_evaluations import DOSSIER_INSTANCES, charger_gouvernance

    gouvernance = charger_gouvernance(racine)
    illisibles = {p.chemin for p in gouvernance.problemes if DOSSIER_INSTANCES in p.chemin}
    if illisibles:
        console.avertissement(
            f"{len(illisibles)} fichier(s) de {DOSSIER_INSTANCES}/ ignoré(s) car invalide(s) : "
            "les décisions ci-dessous peuvent être incomplètes (cls validate dit quoi corriger)"
        )
    decisions = decisions_fiche([i.modele for i in gouvernance.instances], numero)
    if not decisions:
        console.champ("Décisions des instances", "aucune")
        return
    lignes = []
    for d in decisions:
        instance = d["instance"] + (f" « {d['titre']} »" if d["titre"] else "")
        valide = {
            "avenant": " (valide un avenant)",
            "rapport_annuel": f" (valide le rapport annuel {d['annee'] or ''})".replace(" )", ")"),
        }.get(d["valide"] or "", "")
        lignes.append(f"- {d['date']}, {instance} : {d['texte']}{valide}")
    console.champ("Décisions des instances", "\n" + "\n".join(lignes))
