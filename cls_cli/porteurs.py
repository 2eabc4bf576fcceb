"""Le registre des porteurs (``data/porteurs.yaml``, facultatif) et l'annuaire qu'on en tire.

Un porteur (un organisme) a un identifiant court, son nom tel qu'écrit dans les fiches et
les variantes de ce nom (« Chartres métropole (CLS) »…), et éventuellement un contact et
un courriel. Sans registre, chaque nom distinct écrit dans les fiches est un porteur, dont
l'identifiant est tiré du nom (:func:`identifiant`).

Fonctions pures, hormis :func:`lire_registre` qui lit le fichier s'il existe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from cls_cli.chargement import Referentiel, analyser_octets, emplacement, position
from cls_cli.erreurs import ErreurDonnees, Niveau, Probleme
from cls_cli.modeles import Fiche, Modele, Texte

FICHIER_PORTEURS = "porteurs.yaml"
MODELINE_PORTEURS = "# yaml-language-server: $schema=../schemas/porteurs.schema.json"
CODE_PORTEUR = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Porteur(Modele):
    """Un organisme porteur d'actions."""

    id: Annotated[str, Field(pattern=CODE_PORTEUR, max_length=60)] = Field(
        description="Identifiant court (minuscules, chiffres, tirets) : nom de son classeur."
    )
    nom: Texte = Field(description="Le nom de l'organisme tel qu'écrit dans les fiches.")
    variantes: list[Texte] = Field(
        default_factory=list, description="Les autres façons dont les fiches l'écrivent."
    )
    contact: Texte | None = Field(default=None, description="La personne à joindre.")
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = Field(
        default=None, description="Son adresse électronique."
    )


class Registre(Modele):
    """Le fichier ``data/porteurs.yaml``."""

    porteurs: list[Porteur]


def normaliser(nom: str) -> str:
    """La forme d'un nom pour le comparer : casse et espaces ignorés, accents gardés."""
    return " ".join(nom.split()).casefold()


def identifiant(nom: str) -> str:
    """« CIAS de Chartres métropole » -> ``cias-de-chartres-metropole``."""
    sans_accents = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    mots = re.findall(r"[a-z0-9]+", sans_accents.lower())
    return "-".join(mots)[:40].strip("-") or "porteur"


@dataclass(frozen=True)
class Annuaire:
    """Les porteurs, et le porteur de chaque nom écrit dans les fiches."""

    porteurs: tuple[Porteur, ...]
    par_nom: dict[str, Porteur]
    registre: bool  # vrai si tiré de data/porteurs.yaml

    def trouver(self, nom: str) -> Porteur | None:
        return self.par_nom.get(normaliser(nom))

    def porteurs_de(self, fiche: Fiche) -> list[Porteur]:
        """Les porteurs de la fiche (sans doublon ; les noms inconnus sont ignorés)."""
        vus: dict[str, Porteur] = {}
        for nom in fiche.liste_porteurs:
            porteur = self.trouver(nom)
            if porteur is not None:
                vus.setdefault(porteur.id, porteur)
        return list(vus.values())


def annuaire_du_registre(registre: Registre) -> Annuaire:
    par_nom: dict[str, Porteur] = {}
    for porteur in registre.porteurs:
        for nom in (porteur.nom, *porteur.variantes):
            par_nom.setdefault(normaliser(nom), porteur)
    return Annuaire(tuple(registre.porteurs), par_nom, True)


def porteurs_des_fiches(fiches: Iterable[Fiche]) -> list[Porteur]:
    """Un porteur par nom distinct écrit dans les fiches, dans l'ordre d'apparition ;
    deux noms qui donneraient le même identifiant sont distingués par -2, -3…"""
    porteurs: list[Porteur] = []
    vus: set[str] = set()
    ids: set[str] = set()
    for fiche in fiches:
        for nom in fiche.liste_porteurs:
            if normaliser(nom) in vus:
                continue
            vus.add(normaliser(nom))
            base = identifiant(nom)
            ident, n = base, 1
            while ident in ids:
                n += 1
                ident = f"{base}-{n}"
            ids.add(ident)
            porteurs.append(Porteur(id=ident, nom=" ".join(nom.split())))
    return porteurs


def annuaire_des_fiches(fiches: Iterable[Fiche]) -> Annuaire:
    porteurs = porteurs_des_fiches(fiches)
    return Annuaire(tuple(porteurs), {normaliser(p.nom): p for p in porteurs}, False)


def lire_registre(racine: Path) -> tuple[Registre | None, list[Probleme]]:
    """Le registre ``racine/porteurs.yaml`` s'il existe (None sinon), et ses problèmes."""
    chemin = racine / FICHIER_PORTEURS
    if not chemin.is_file():
        return None, []
    _, registre, problemes = analyser_octets(chemin.read_bytes(), chemin, Registre, racine)
    if registre is None:
        return None, problemes
    return registre, problemes + _doublons(registre, emplacement(chemin, racine))


def _doublons(registre: Registre, chemin: str) -> list[Probleme]:
    problemes = []
    ids: set[str] = set()
    noms: dict[str, str] = {}
    for porteur in registre.porteurs:
        if porteur.id in ids:
            problemes.append(
                Probleme(
                    chemin,
                    1,
                    1,
                    Niveau.ERREUR,
                    f"l'identifiant « {porteur.id} » est donné à deux porteurs",
                    "donnez à chaque porteur un identifiant distinct",
                    "porteur-double",
                )
            )
        ids.add(porteur.id)
        for nom in (porteur.nom, *porteur.variantes):
            autre = noms.setdefault(normaliser(nom), porteur.id)
            if autre != porteur.id:
                problemes.append(
                    Probleme(
                        chemin,
                        1,
                        1,
                        Niveau.ERREUR,
                        f"le nom « {nom} » est à la fois chez « {autre} » et chez « {porteur.id} »",
                        "gardez ce nom (ou cette variante) chez un seul porteur",
                        "porteur-double",
                    )
                )
    return problemes


def annuaire(ref: Referentiel) -> Annuaire:
    """L'annuaire de l'arbre : celui du registre s'il existe, sinon celui des fiches.
    ErreurDonnees si le registre est invalide (cls validate détaille)."""
    registre, problemes = lire_registre(ref.racine)
    erreurs = [p for p in problemes if p.niveau == Niveau.ERREUR]
    if erreurs:
        p = erreurs[0]
        raise ErreurDonnees(p.chemin, p.ligne, p.colonne, p.message, p.correction, p.regle)
    if registre is None:
        return annuaire_des_fiches(ref.fiches_valides())
    return annuaire_du_registre(registre)


def problemes_registre(ref: Referentiel) -> list[Probleme]:
    """Pour ``cls validate`` : les problèmes du registre, et chaque porteur de fiche qu'il
    ne connaît pas (rien si le registre n'existe pas)."""
    registre, problemes = lire_registre(ref.racine)
    if registre is None:
        return problemes
    connus = annuaire_du_registre(registre)
    for chargee in ref.fiches:
        fiche = chargee.fiche
        if fiche is None:
            continue
        for i, nom in enumerate(fiche.liste_porteurs):
            if connus.trouver(nom) is None:
                ligne, colonne = position(chargee.arbre_yaml, ("porteurs", i))
                problemes.append(
                    Probleme(
                        emplacement(chargee.chemin, ref.racine),
                        ligne,
                        colonne,
                        Niveau.ERREUR,
                        f"le porteur « {nom} » n'est pas dans {FICHIER_PORTEURS}",
                        "ajoutez-le comme variante d'un porteur existant, ou comme nouveau "
                        f"porteur, dans {FICHIER_PORTEURS}",
                        "porteur-inconnu",
                    )
                )
    return problemes


def texte_registre(porteurs: Sequence[Porteur]) -> str:
    """Le premier registre, à relire par le coordinateur (fusionner les variantes)."""
    import json

    lignes = [
        MODELINE_PORTEURS,
        "# Registre des porteurs, écrit par « cls campaign porteurs » : un porteur par nom",
        "# trouvé dans les fiches. Fusionnez les variantes d'un même organisme (déplacez le",
        "# nom dans « variantes » du porteur à garder) et ajoutez contact et email.",
        "porteurs:",
    ]
    for p in porteurs:
        lignes.append(f"  - id: {p.id}")
        lignes.append(f"    nom: {json.dumps(p.nom, ensure_ascii=False)}")
        lignes.append("    variantes: []")
    return "\n".join(lignes) + "\n"
