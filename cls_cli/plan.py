"""Le chemin unique des écritures : planifier des changements, puis les appliquer.

:func:`planifier` (pure, à part la lecture des fiches concernées) prend des demandes
(mesures, points de suivi) et rend un :class:`Plan` : le nouveau contenu de chaque fichier
qui change (aller-retour ruamel : le reste du fichier est gardé octet pour octet) et un
:class:`Bilan` qui dit, demande par demande, ce qui est ajouté, remplacé, inchangé ou
refusé et pourquoi. :func:`planifier_creation` fait de même pour une nouvelle fiche.
:func:`appliquer` écrit un plan en tout ou rien (voir :mod:`cls_cli.transaction`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cls_cli.en_vigueur import Bornes, bornes_du_dossier, raison_hors_vigueur
from cls_cli.epissure import NonEpissable, Pose, episser
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.periode import verifier_annee_de_saisie
from cls_cli.regles_saisie import (
    SaisieMesure,
    SaisieSuivi,
    chemin_fiche,
    index_fiches,
    mesure,
    trouver_indicateur,
)
from cls_cli.suivi import (
    Conflit,
    Contexte,
    Effet,
    FicheOuverte,
    en_yaml,
    indicateur_du_document,
    ouvrir,
    poser_mesure,
    poser_suivi,
    texte_mesure,
    texte_suivi,
    verifier_texte,
)
from cls_cli.transaction import Changement, verrou
from cls_cli.transaction import appliquer as appliquer_changements
from cls_cli.yamlio import RepliAllerRetour, charger_rapide, decoder, vers_texte

if TYPE_CHECKING:
    from cls_cli.tableur import Saisies


@dataclass(frozen=True)
class MesureTexte:
    """Une mesure tapée par une personne : la valeur est lue selon le type de l'indicateur."""

    annee: int
    valeur: str | None
    manquante: str | None
    date: dt.date | None = None
    source: str | None = None
    commentaire: str | None = None


@dataclass(frozen=True)
class Demande:
    """Une saisie à poser dans la fiche ``numero`` (``code`` : l'indicateur d'une mesure)."""

    numero: int
    saisie: SaisieMesure | MesureTexte | SaisieSuivi
    code: str = ""
    position: str = ""  # d'où vient la demande (« tableau.csv:12 ») ; vide en ligne de commande


@dataclass(frozen=True)
class Detail:
    """Ce que le plan fait d'une demande acceptée."""

    numero: int
    chemin: Path
    quoi: Literal["mesure", "statut"]
    code: str
    annee: int
    effet: Effet
    ancien: str | None
    nouveau: str


@dataclass(frozen=True)
class Refus:
    """Une demande refusée : où, pourquoi ; ``conflit`` : une valeur existe déjà (à la
    ligne ``ligne`` de ``chemin``) ; ``usage`` : la demande elle-même est mal formée."""

    position: str
    numero: int
    message: str
    chemin: Path | None = None
    ligne: int = 1
    conflit: bool = False
    usage: bool = False


@dataclass
class Bilan:
    details: list[Detail] = field(default_factory=list)
    refus: list[Refus] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    changements: tuple[Changement, ...]
    bilan: Bilan


def _texte_valeur(saisie: SaisieMesure | SaisieSuivi | None) -> str | None:
    if saisie is None:
        return None
    if isinstance(saisie, SaisieSuivi):
        avancement = saisie.avancement
        return saisie.statut + (f", avancement {avancement} %" if avancement is not None else "")
    if saisie.manquante is not None:
        return f"manquante ({saisie.manquante})"
    return repr(saisie.valeur) if isinstance(saisie.valeur, str) else str(saisie.valeur)


def _poser(ouverte: FicheOuverte, demande: Demande, remplacer: bool) -> Detail:
    """Pose ``demande`` dans le document ouvert ; ValueError ou Conflit si refusée."""
    saisie = demande.saisie
    if isinstance(saisie, SaisieSuivi):
        effet, ancien = poser_suivi(ouverte.doc, saisie, remplacer)
        quoi: Literal["mesure", "statut"] = "statut"
    else:
        if isinstance(saisie, MesureTexte):
            ind = indicateur_du_document(ouverte.doc, demande.code)
            saisie = mesure(
                saisie.annee,
                ind.get("type"),
                saisie.valeur,
                saisie.manquante,
                saisie.date,
                saisie.source,
                saisie.commentaire,
            )
        effet, ancien = poser_mesure(ouverte.doc, demande.code, saisie, remplacer)
        quoi = "mesure"
    return Detail(
        demande.numero,
        ouverte.chemin,
        quoi,
        demande.code,
        saisie.annee,
        effet,
        ancien,
        _texte_valeur(saisie) or "",
    )


def _episser(
    chemin: Path,
    contexte: Contexte,
    demandes: Sequence[Demande],
    remplacer: bool,
    verifier: bool,
    vigueur: Mapping[int, Bornes],
    closes: Mapping[int, Any],
) -> tuple[list[Detail], Changement | None]:
    """Le cas courant de :func:`planifier`, sans aller-retour ruamel (voir
    :mod:`cls_cli.epissure`) : lecture rapide, épissure, puis relecture du nouveau texte
    qui doit redonner exactement les données attendues, et vérification de la fiche
    (si ``verifier``). Toute exception : la fiche est à reprendre par l'aller-retour."""
    octets = chemin.read_bytes()
    texte = decoder(octets, chemin)
    valeurs = charger_rapide(texte, chemin)
    if not isinstance(valeurs, dict):
        raise NonEpissable
    indicateurs: list[Any] = [i for i in valeurs.get("indicateurs") or [] if isinstance(i, dict)]
    saisies: list[SaisieMesure | SaisieSuivi] = []
    for demande in demandes:
        _controler(demande, contexte, vigueur, closes)
        saisie = demande.saisie
        if isinstance(saisie, MesureTexte):
            ind = trouver_indicateur(indicateurs, demande.code, demande.numero, _code)
            saisie = mesure(
                saisie.annee,
                ind.get("type"),
                saisie.valeur,
                saisie.manquante,
                saisie.date,
                saisie.source,
                saisie.commentaire,
            )
        saisies.append(saisie)
    poses = [
        Pose(None if isinstance(s, SaisieSuivi) else d.code, en_yaml(s))
        for d, s in zip(demandes, saisies, strict=True)
    ]
    nouveau, effets = episser(texte, valeurs, poses, remplacer)
    details = []
    for demande, saisie, (effet, ancienne) in zip(demandes, saisies, effets, strict=True):
        suivi = isinstance(saisie, SaisieSuivi)
        ancien = None if ancienne is None else (texte_suivi if suivi else texte_mesure)(ancienne)
        quoi: Literal["mesure", "statut"] = "statut" if suivi else "mesure"
        details.append(
            Detail(
                demande.numero,
                chemin,
                quoi,
                demande.code,
                saisie.annee,
                effet,
                ancien,
                _texte_valeur(saisie) or "",
            )
        )
    if nouveau == texte:
        return details, None
    if verifier:
        if charger_rapide(nouveau, chemin) != valeurs:
            raise NonEpissable  # la relecture ne redonne pas les données attendues
        verifier_texte(nouveau, chemin, contexte)
    bom = "\ufeff" if octets.startswith(b"\xef\xbb\xbf") else ""
    return details, Changement(chemin, (bom + nouveau).encode("utf-8"), octets)


def _controler(
    demande: Demande, contexte: Contexte, vigueur: Mapping[int, Bornes], closes: Mapping[int, Any]
) -> None:
    """Les règles qu'une demande doit suivre, quel que soit le chemin d'écriture : année du
    contrat, fiche en vigueur (avenants), année pas close (ValueError sinon)."""
    from cls_cli.clotures import verifier_ouverte

    annee = demande.saisie.annee
    verifier_annee_de_saisie(annee, contexte.contrat)
    raison = raison_hors_vigueur(vigueur.get(demande.numero), demande.numero, annee)
    if raison is not None:
        raise ValueError(raison)
    verifier_ouverte(annee, closes)


def _code(indicateur: dict[str, object]) -> object:
    return indicateur.get("code")


def planifier(
    racine: Path,
    contexte: Contexte,
    demandes: Sequence[Demande],
    remplacer: bool,
    rouvrir: bool = False,
) -> Plan:
    """Le plan qui pose toutes les ``demandes`` ; s'il y a le moindre refus, le plan ne
    change aucun fichier. ErreurDonnees si le résultat rendrait une fiche invalide. Une
    demande pour une année close (:mod:`cls_cli.clotures`) est refusée, sauf ``rouvrir``."""
    from cls_cli.clotures import annees_closes

    closes = {} if rouvrir else annees_closes(racine)
    bilan = Bilan()
    changements: list[Changement] = []
    invalide: ErreurDonnees | None = None
    index = index_fiches(racine)
    vigueur = bornes_du_dossier(racine)
    par_fiche: dict[int, list[Demande]] = {}
    for demande in demandes:
        par_fiche.setdefault(demande.numero, []).append(demande)
    for numero in sorted(par_fiche):
        try:
            chemin = chemin_fiche(racine, numero, index)
        except ErreurUsage as exc:
            for d in par_fiche[numero]:
                bilan.refus.append(Refus(d.position, numero, str(exc), usage=True))
            continue
        verifier = not bilan.refus and invalide is None
        try:
            details, changement = _episser(
                chemin, contexte, par_fiche[numero], remplacer, verifier, vigueur, closes
            )
        except (NonEpissable, RepliAllerRetour, ValueError, ErreurDonnees, OSError):
            pass  # hors du cas courant : l'aller-retour ci-dessous reprend la fiche
        else:
            bilan.details += details
            if changement is not None:
                changements.append(changement)
            continue
        try:
            ouverte = ouvrir(chemin, racine)
        except ErreurDonnees as exc:  # illisible, ou mise en forme qu'on ne sait pas garder
            p = exc.probleme
            bilan.refus.append(Refus(p.chemin, numero, p.texte(), Path(p.chemin), p.ligne))
            continue
        for demande in par_fiche[numero]:
            try:
                _controler(demande, contexte, vigueur, closes)
                bilan.details.append(_poser(ouverte, demande, remplacer))
            except Conflit as exc:
                bilan.refus.append(
                    Refus(demande.position, numero, str(exc), ouverte.chemin, exc.ligne, True)
                )
            except ValueError as exc:
                bilan.refus.append(Refus(demande.position, numero, str(exc), usage=True))
        if bilan.refus or invalide is not None:
            continue  # rien ne sera écrit : inutile de vérifier les fiches suivantes
        texte = vers_texte(ouverte.doc)
        if texte != ouverte.texte:
            try:
                verifier_texte(texte, ouverte.chemin, contexte)
            except ErreurDonnees as exc:
                invalide = exc
                continue
            nouveau = (("\ufeff" if ouverte.bom else "") + texte).encode("utf-8")
            changements.append(Changement(ouverte.chemin, nouveau, ouverte.octets))
    if invalide is not None and not bilan.refus:
        raise invalide
    return Plan(() if bilan.refus else tuple(changements), bilan)


def planifier_creation(chemin: Path, texte: str) -> Plan:
    """Le plan qui crée le fichier ``chemin`` (il ne doit pas exister)."""
    if chemin.exists():
        raise ErreurUsage(f"{chemin} existe déjà : rien n'a été écrit")
    return Plan((Changement(chemin, texte.encode("utf-8"), None),), Bilan())


@contextlib.contextmanager
def session(racine: Path) -> Iterator[Contexte]:
    """Verrou sur l'arbre le temps d'une lecture-planification-écriture ; une transaction
    restée en plan est d'abord annulée (la phrase qui le dit est dans ``annonces``)."""
    annonces: list[str] = []
    with verrou(racine, annonces):
        contexte = Contexte.lire(racine)
        contexte.annonces.extend(annonces)
        yield contexte


def appliquer(racine: Path, plan: Plan) -> None:
    """Écrit tous les fichiers du plan, ou aucun (à appeler dans :func:`session`)."""
    appliquer_changements(racine, plan.changements)


def demandes_du_tableau(saisies: Saisies) -> list[Demande]:
    """Les demandes d'un tableau de collecte relu (:func:`cls_cli.tableur.preparer`)."""
    demandes = [
        Demande(numero, saisie, code, position)
        for numero, liste in saisies.mesures.items()
        for position, code, saisie in liste
    ]
    demandes += [
        Demande(numero, saisie, "", position)
        for numero, liste in saisies.suivis.items()
        for position, saisie in liste
    ]
    return demandes


# --- Le bilan en phrases ---------------------------------------------------------------
