"""La campagne annuelle de collecte : un classeur par porteur, préparé ici (fonctions pures).

:func:`preparer` rend, pour chaque porteur d'au moins une action non abandonnée, son
:class:`Envoi` : les lignes de son classeur (seulement ses fiches : une ligne par
indicateur, une ligne « statut » par action, avec les valeurs des années passées) et ses
:class:`Metadonnees` (année, porteur, empreinte de chaque fiche), qui permettent de
vérifier un retour contre les fiches telles qu'elles sont devenues (:mod:`cls_cli.collecte`).
L'écriture du classeur est dans :mod:`cls_cli.classeur_campagne`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.chargement import Referentiel
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.identifiants import identifiant
from cls_cli.modeles import Fiche, Valeur
from cls_cli.periode import verifier_annee_de_saisie
from cls_cli.porteurs import Annuaire, Porteur
from cls_cli.tableur import LIGNE_STATUT, lignes_modele

#: Version du format des métadonnées cachées d'un classeur de campagne.
FORMAT = "cls-campagne 1"


@dataclass(frozen=True)
class Metadonnees:
    """Ce que le classeur porte en feuille cachée : de quelle campagne il vient, pour qui,
    et la forme de chaque fiche au moment de la préparation."""

    contrat: str
    annee: int
    porteur: str  # identifiant
    nom: str
    prepare_le: str  # AAAA-MM-JJ
    empreintes: dict[int, str]
    #: (fiche, « indicateur » ou « statut », code) de chaque ligne, à partir de la ligne 2
    lignes: tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class Envoi:
    porteur: Porteur
    fichier: str
    lignes: list[dict[str, str]]
    metadonnees: Metadonnees

    @property
    def fiches(self) -> list[int]:
        return sorted(self.metadonnees.empreintes)

    @property
    def identifiants(self) -> list[str]:
        """Les identifiants de ses fiches (ceux de la colonne « fiche »), dans l'ordre des
        numéros."""
        noms = {
            n: lg["fiche"]
            for (n, _, _), lg in zip(self.metadonnees.lignes, self.lignes, strict=True)
        }
        return [noms[n] for n in self.fiches]

    @property
    def a_remplir(self) -> int:
        return len(self.lignes)


def empreinte(fiche: Fiche) -> str:
    """Ce qui rend un retour ambigu s'il change : numéro, porteurs, indicateurs (code,
    type, unité). Ajouter une mesure d'une autre année ne change pas l'empreinte."""
    forme = {
        "numero": fiche.numero,
        "porteurs": sorted(fiche.liste_porteurs),
        "indicateurs": [[i.code, i.type, i.unite] for i in fiche.indicateurs],
    }
    texte = json.dumps(forme, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()[:16]


def _texte(valeur: Valeur | None) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return str(valeur).replace(".", ",") if isinstance(valeur, float) else str(valeur)


def annees_passees(ref: Referentiel, annee: int) -> list[int]:
    """Les années du contrat avant ``annee`` (leurs valeurs sont rappelées)."""
    if ref.contrat is None:
        return []
    return list(range(ref.contrat.periode.debut, annee))


def _passees(fiche: Fiche, ligne: dict[str, str], annees: list[int]) -> dict[str, str]:
    valeurs: dict[str, str] = {}
    if ligne["ligne"] == LIGNE_STATUT:
        for s in fiche.suivi:
            if s.annee in annees:
                avancement = f", {_texte(s.avancement)} %" if s.avancement is not None else ""
                valeurs[str(s.annee)] = LIBELLES_STATUT[s.statut] + avancement
        return valeurs
    ind = next(i for i in fiche.indicateurs if i.code == ligne["indicateur"])
    for m in ind.mesures:
        if m.annee in annees:
            valeurs[str(m.annee)] = _texte(m.valeur) if m.manquante is None else "manquante"
    return valeurs


def preparer(ref: Referentiel, annuaire: Annuaire, annee: int, aujourd_hui: dt.date) -> list[Envoi]:
    """Les classeurs de la campagne ``annee``, un par porteur (triés par identifiant)."""
    try:
        verifier_annee_de_saisie(annee, ref.contrat)
    except ValueError as exc:
        raise ErreurUsage(str(exc)) from None
    fiches = {f.numero: f for f in ref.fiches_valides()}
    par_nom = {identifiant(f): f for f in fiches.values()}  # la colonne « fiche » du tableau
    annees = annees_passees(ref, annee)
    par_fiche: dict[int, list[dict[str, str]]] = {}
    for ligne in lignes_modele(ref, annee):
        fiche = par_nom[ligne["fiche"]]
        unite = ""
        if ligne["ligne"] != LIGNE_STATUT:
            ind = next(i for i in fiche.indicateurs if i.code == ligne["indicateur"])
            unite = ind.unite or ("%" if ind.type == "taux" else "")
        complete = {**ligne, "unite": unite, **_passees(fiche, ligne, annees)}
        par_fiche.setdefault(fiche.numero, []).append(complete)
    par_porteur: dict[str, list[int]] = {}
    porteurs: dict[str, Porteur] = {}
    for numero in par_fiche:
        fiche = fiches[numero]
        for nom in fiche.liste_porteurs:
            if annuaire.trouver(nom) is None:
                chargee = ref.fiche(numero)
                raise ErreurDonnees(
                    chargee.chemin if chargee else f"fiche {identifiant(fiche)}",
                    1,
                    1,
                    f"le porteur « {nom} » de la fiche {identifiant(fiche)} n'est pas dans "
                    "porteurs.yaml",
                    "ajoutez-le au registre (cls validate liste tous les porteurs inconnus)",
                    "porteur-inconnu",
                )
        for porteur in annuaire.porteurs_de(fiche):
            porteurs[porteur.id] = porteur
            par_porteur.setdefault(porteur.id, []).append(numero)
    contrat = ref.contrat.titre if ref.contrat else ""
    envois = []
    for ident in sorted(par_porteur):
        numeros = par_porteur[ident]
        lignes = [ligne for n in numeros for ligne in par_fiche[n]]
        meta = Metadonnees(
            contrat,
            annee,
            ident,
            porteurs[ident].nom,
            aujourd_hui.isoformat(),
            {n: empreinte(fiches[n]) for n in numeros},
            tuple((n, lg["ligne"], lg["indicateur"]) for n in numeros for lg in par_fiche[n]),
        )
        envois.append(Envoi(porteurs[ident], f"{ident}.xlsx", lignes, meta))
    return envois


def index_csv(envois: Sequence[Envoi]) -> bytes:
    """``index.csv`` : porteur, nom, fichier, courriel, fiches, cellules à remplir (UTF-8
    avec BOM, séparateur « ; », ce qu'ouvre un tableur français)."""
    flux = io.StringIO(newline="")
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(["porteur", "nom", "fichier", "email", "fiches", "a_remplir"])
    for e in envois:
        ecrivain.writerow(
            [
                e.porteur.id,
                e.porteur.nom,
                e.fichier,
                e.porteur.email or "",
                " ".join(e.identifiants),
                e.a_remplir,
            ]
        )
    return ("\ufeff" + flux.getvalue()).encode("utf-8")
