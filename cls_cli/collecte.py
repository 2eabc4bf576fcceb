"""La collecte : les classeurs revenus des porteurs, contrôlés puis importés en une fois.

:func:`controler` (pure) vérifie chaque retour contre les fiches telles qu'elles sont :
classeur d'une autre campagne (contrat ou année), cellule verrouillée modifiée ou ligne
ajoutée, valeur illisible, fiche que le porteur ne porte pas, fiche supprimée ou changée
depuis la préparation (empreinte), co-porteurs en désaccord sur une même valeur. Chaque
refus nomme le fichier, la feuille et la cellule (ou la ligne). Il rend les demandes à
planifier (:func:`cls_cli.plan.planifier`), chacune avec sa source (« campagne 2024,
retour ADAPEI 28 du 2025-02-03 »).

:func:`collecter` lit les fichiers, contrôle, planifie et applique en tout ou rien
(sauf ``partiel`` : les fichiers refusés sont écartés, les autres importés) ; une valeur
déjà enregistrée est gardée (sauf ``remplacer``) et signalée.
"""

from __future__ import annotations

import dataclasses
import os
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cls_cli.campagne import annees_passees, empreinte
from cls_cli.chargement import Referentiel, charger
from cls_cli.classeur_campagne import FEUILLE_SAISIE, Retour, lettre, lire_retour
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.identifiants import identifiant, nommer, table
from cls_cli.lecture_tableur import LigneLue
from cls_cli.plan import Demande, Detail, appliquer, planifier, session
from cls_cli.porteurs import Annuaire, annuaire
from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi
from cls_cli.tableur import preparer

_VERROUILLEES = (("fiche", "fiche"), ("ligne", "ligne"), ("indicateur", "code"))


@dataclass(frozen=True)
class RefusRetour:
    fichier: Path
    message: str  # « fichier:feuille:ligne: cellule B5 : … »


@dataclass
class Controle:
    demandes: list[Demande] = field(default_factory=list)
    refus: list[RefusRetour] = field(default_factory=list)
    vides: list[Retour] = field(default_factory=list)
    #: le porteur (nom) de chaque fichier, pour le bilan
    porteur_de: dict[str, str] = field(default_factory=dict)


def _rang(ligne: LigneLue) -> int:
    return int(ligne.position.rsplit(":", 1)[1])


def _lignes_saisie(retour: Retour) -> list[LigneLue]:
    marque = f":{FEUILLE_SAISIE}:"
    return [lg for lg in retour.lecture.lignes if marque in lg.position]


def _disposition(retour: Retour, noms: Mapping[int, str]) -> list[str]:
    """Les refus de forme : cellule verrouillée modifiée, ligne ajoutée ou supprimée. La
    colonne « fiche » montre l'identifiant de la fiche (``noms`` : numéro -> identifiant) ;
    son numéro y est aussi accepté."""
    refus = []
    attendues = retour.metadonnees.lignes
    lignes = _lignes_saisie(retour)
    for ligne in lignes:
        rang = _rang(ligne)
        if rang - 2 >= len(attendues):
            if any(v for v in ligne.valeurs.values()):
                refus.append(
                    f"{ligne.position}: ligne ajoutée après le tableau préparé : déplacez ces "
                    "valeurs sur la ligne prévue (ou, pour une remarque, dans « Commentaire »)"
                )
            continue
        fiche, genre, code = attendues[rang - 2]
        attendu = {"fiche": nommer(fiche, noms), "ligne": genre, "indicateur": code}
        annee = str(retour.metadonnees.annee)
        for cle, _ in (*_VERROUILLEES, ("annee", "annee")):
            voulu = annee if cle == "annee" else attendu[cle]
            lu = ligne.valeurs.get(cle, "")
            if lu != voulu and not (cle == "fiche" and lu == str(fiche)):
                cellule = f"{lettre(retour.colonnes, cle)}{rang}"
                refus.append(
                    f"{ligne.position}: cellule {cellule} verrouillée modifiée : « "
                    f"{ligne.valeurs.get(cle, '')} » au lieu de « {voulu} » (ligne ajoutée, "
                    "supprimée ou déplacée ?) : remettez la valeur d'origine ou repartez du "
                    "classeur envoyé"
                )
                break
    if len(lignes) < len(attendues):
        refus.append(
            f"{retour.chemin}:{FEUILLE_SAISIE}:{len(lignes) + 2}: "
            f"{len(attendues) - len(lignes)} ligne(s) supprimée(s) du tableau préparé : "
            "repartez du classeur envoyé"
        )
    return refus


def _source(retour: Retour, propre: str | None) -> str:
    meta = retour.metadonnees
    source = f"campagne {meta.annee}, retour {meta.nom} du {retour.date.isoformat()}"
    return f"{source} ; {propre}" if propre else source


_CORRECTION_FICHE = (
    " ; correction : saisissez ces valeurs avec cls record, ou préparez un nouveau classeur "
    "pour ce porteur"
)


def _remplie(ligne: LigneLue) -> bool:
    return any(ligne.valeurs.get(c) for c in ("valeur", "manquante", "avancement"))


def _demandes(retour: Retour, ref: Referentiel) -> tuple[list[Demande], list[str], int]:
    """Les demandes des lignes remplies, les refus, et le nombre de lignes vides. Une fiche
    du classeur qui n'existe plus (supprimée, renumérotée ou devenue invalide depuis la
    préparation) est refusée une fois, à sa première ligne remplie."""
    noms = table(ref.fiches_valides())
    existantes = {*map(str, noms), *noms.values()}
    prevues = {str(n) for n in retour.metadonnees.empreintes}
    prevues |= {noms[n] for n in retour.metadonnees.empreintes if n in noms}
    lignes: list[LigneLue] = []
    refus: list[str] = []
    signalees: set[str] = set()
    for ligne in _lignes_saisie(retour):
        fiche = ligne.valeurs.get("fiche", "")
        if fiche in existantes or fiche not in prevues:
            lignes.append(ligne)  # une fiche qui n'était pas dans le classeur : _disposition
        elif _remplie(ligne) and fiche not in signalees:
            signalees.add(fiche)
            refus.append(
                f"{ligne.position}: la fiche {fiche} n'existe plus (supprimée, renumérotée ou "
                "invalide depuis la préparation)" + _CORRECTION_FICHE
            )
    saisies = preparer(lignes, ref)
    demandes = []
    for numero, liste in saisies.mesures.items():
        for position, code, mesure in liste:
            mesure = dataclasses.replace(mesure, source=_source(retour, mesure.source))
            demandes.append(Demande(numero, mesure, code, position))
    for numero, suivis in saisies.suivis.items():
        demandes += [Demande(numero, suivi, "", position) for position, suivi in suivis]
    return demandes, refus + list(saisies.erreurs), saisies.vides


def _fiches(demandes: list[Demande], retour: Retour, ref: Referentiel, ann: Annuaire) -> list[str]:
    """Les refus des fiches : absente du classeur, changée depuis la préparation, pas de ce
    porteur."""
    meta = retour.metadonnees
    refus = []
    fiches = {f.numero: f for f in ref.fiches_valides()}
    for numero in sorted({d.numero for d in demandes}):
        position = next(d.position for d in demandes if d.numero == numero)
        fiche = fiches.get(numero)
        nom = identifiant(fiche) if fiche else str(numero)
        if numero not in meta.empreintes or fiche is None:
            message = f"la fiche {nom} n'est pas dans ce classeur"
        elif empreinte(fiche) != meta.empreintes[numero]:
            message = (
                f"la fiche {nom} a changé depuis la préparation du classeur ({meta.prepare_le}"
                ") : indicateurs ou porteurs différents, le retour est ambigu"
            )
        elif meta.porteur not in {p.id for p in ann.porteurs_de(fiche)}:
            message = f"{meta.nom} ne porte pas la fiche {nom}"
        else:
            continue
        refus.append(f"{position}: {message}{_CORRECTION_FICHE}")
    return refus


def _cle(demande: Demande) -> tuple[int, str, int]:
    return demande.numero, demande.code, demande.saisie.annee


def _valeur(demande: Demande) -> object:
    s = demande.saisie
    if isinstance(s, SaisieSuivi):
        return s.statut, s.avancement
    assert isinstance(s, SaisieMesure)
    return s.valeur, s.manquante


def controler(ref: Referentiel, ann: Annuaire, annee: int, retours: Sequence[Retour]) -> Controle:
    """Vérifie tous les retours ; rend les demandes des retours acceptés et les refus."""
    controle = Controle()
    titre = ref.contrat.titre if ref.contrat else ""
    acceptees: dict[tuple[int, str, int], tuple[Demande, str]] = {}  # et son porteur
    noms = table(ref.fiches_valides())
    for retour in retours:
        meta = retour.metadonnees
        nom = str(retour.chemin)
        controle.porteur_de[nom] = meta.nom
        if meta.contrat != titre or meta.annee != annee:
            quoi = f"du contrat « {meta.contrat} »" if meta.contrat != titre else ""
            controle.refus.append(
                RefusRetour(
                    retour.chemin,
                    f"{nom}: classeur de la campagne {meta.annee} {quoi}(porteur {meta.nom}), "
                    f"pas de la campagne {annee} : écartez-le, ou relancez avec --year "
                    f"{meta.annee}",
                )
            )
            continue
        refus = _disposition(retour, noms)
        demandes, erreurs, _ = _demandes(retour, ref)
        refus += erreurs + _fiches(demandes, retour, ref, ann)
        for demande in demandes:
            autre, porteur = acceptees.get(_cle(demande), (None, ""))
            if autre is not None and _valeur(autre) != _valeur(demande):
                refus.append(
                    f"{demande.position}: fiche {nommer(demande.numero, noms)}, "
                    f"{demande.code or 'statut'} {annee} : valeur différente de celle de "
                    + (
                        f"{autre.position} : deux retours du même porteur ({meta.nom}) ; "
                        "correction : gardez le plus récent et écartez l'autre"
                        if porteur == meta.porteur
                        else f"{autre.position} (deux porteurs de la même fiche) ; correction "
                        ": mettez-vous d'accord puis corrigez l'un des deux classeurs"
                    )
                )
        if refus:
            controle.refus += [RefusRetour(retour.chemin, r) for r in refus]
            continue
        if not demandes:
            controle.vides.append(retour)
        for demande in demandes:
            if _cle(demande) not in acceptees:
                acceptees[_cle(demande)] = demande, meta.porteur
                controle.demandes.append(demande)
    return controle


# --- Lecture des fichiers et import ----------------------------------------------------


def classeurs(chemins: Sequence[Path]) -> list[Path]:
    """Les classeurs désignés : fichiers, et les .xlsx des dossiers (ni cachés ni verrous)."""
    trouves: list[Path] = []
    for chemin in chemins:
        if chemin.is_dir():
            trouves += sorted(
                chemin / nom
                for nom in os.listdir(chemin)
                if nom.lower().endswith(".xlsx") and not nom.startswith((".", "~$"))
            )
        elif chemin.is_file():
            trouves.append(chemin)
        else:
            raise ErreurUsage(f"{chemin} n'existe pas : donnez des classeurs ou un dossier")
    return trouves


def lire_retours(
    chemins: Sequence[Path], ref: Referentiel, annee: int
) -> tuple[list[Retour], list[RefusRetour], list[str]]:
    """Les retours lisibles, les fichiers refusés à la lecture, et les avertissements."""
    retours, refus, avertissements = [], [], []
    for chemin in classeurs(chemins):
        try:
            retour = lire_retour(chemin, annees_passees(ref, annee))
        except ErreurDonnees as exc:
            p = exc.probleme
            refus.append(RefusRetour(chemin, f"{p.chemin}:{p.ligne}:{p.colonne}: {p.texte()}"))
            continue
        retours.append(retour)
        avertissements += retour.lecture.avertissements
    return retours, refus, avertissements


@dataclass
class Collecte:
    """Ce que la collecte a fait (ou ferait, en simulation)."""

    annonces: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    refus: list[RefusRetour] = field(default_factory=list)
    vides: list[str] = field(default_factory=list)
    gardees: list[str] = field(default_factory=list)
    par_porteur: dict[str, list[Detail]] = field(default_factory=dict)
    ecrit: bool = False
    noms: dict[int, str] = field(default_factory=dict)  # numéro -> identifiant des fiches


def _sans(demandes: list[Demande], fichiers: set[Path]) -> list[Demande]:
    noms = {str(f) for f in fichiers}
    return [d for d in demandes if d.position.split(f":{FEUILLE_SAISIE}:")[0] not in noms]


def collecter(
    racine: Path,
    annee: int,
    chemins: Sequence[Path],
    remplacer: bool,
    partiel: bool,
    simulation: bool,
    rouvrir: bool = False,
) -> Collecte:
    """Contrôle tous les retours, puis importe leurs valeurs en une transaction : rien
    n'est écrit s'il y a un refus, sauf ``partiel`` (les fichiers refusés sont écartés)."""
    resultat = Collecte()
    with session(racine) as contexte:
        resultat.annonces += contexte.annonces
        ref = charger(racine).referentiel
        resultat.noms = table(ref.fiches_valides())
        retours, refus, resultat.avertissements = lire_retours(chemins, ref, annee)
        controle = controler(ref, annuaire(ref), annee, retours)
        resultat.refus = refus + controle.refus
        resultat.vides = [str(r.chemin) for r in controle.vides]
        if resultat.refus and not partiel:
            return resultat
        demandes = _sans(controle.demandes, {r.fichier for r in resultat.refus})
        plan = planifier(racine, contexte, demandes, remplacer, rouvrir)
        gardees = {r.position for r in plan.bilan.refus if r.conflit}
        if gardees:  # une valeur déjà enregistrée est gardée, et signalée
            resultat.gardees = [f"{r.position}: {r.message}" for r in plan.bilan.refus]
            demandes = [d for d in demandes if d.position not in gardees]
            plan = planifier(racine, contexte, demandes, remplacer, rouvrir)
        if plan.bilan.refus:
            resultat.refus += [
                RefusRetour(Path(r.position), f"{r.position}: {r.message}")
                for r in plan.bilan.refus
            ]
            return resultat
        for demande, detail in _apparier(plan.bilan.details, demandes):
            fichier = demande.position.split(f":{FEUILLE_SAISIE}:")[0]
            nom = controle.porteur_de.get(fichier, fichier)
            resultat.par_porteur.setdefault(nom, []).append(detail)
        if not simulation:
            appliquer(racine, plan)
            resultat.ecrit = bool(plan.changements)
    return resultat


def _apparier(details: list[Detail], demandes: list[Demande]) -> list[tuple[Demande, Detail]]:
    """Chaque demande avec son détail dans le plan (qui les range par fiche) : le premier
    détail restant de même fiche, indicateur et genre (une file par clé : linéaire)."""
    files: dict[tuple[int, str, str], deque[Detail]] = {}
    for d in details:
        files.setdefault((d.numero, d.code, d.quoi), deque()).append(d)
    paires = []
    for demande in demandes:
        quoi = "statut" if isinstance(demande.saisie, SaisieSuivi) else "mesure"
        file = files.get((demande.numero, demande.code, quoi))
        if file:
            paires.append((demande, file.popleft()))
    return paires
