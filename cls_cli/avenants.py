"""Les avenants au contrat : le modèle d'un fichier ``data/avenants/<n>.yaml`` et sa lecture.

Un avenant a un numéro, une date (de signature, ou de la décision du COPIL tant qu'il
n'est pas signé : ``signe``), la décision qui l'a approuvé (et, quand elle est présente,
la réunion de ``data/instances/`` qui l'a prise), un motif et la liste de ses changements.
Chaque changement a un ``type`` (:data:`TYPES_CHANGEMENT`) et seulement les clés de ce type
(:data:`CLES_CHANGEMENT`). Les règles qui croisent les avenants avec le reste de l'arbre
sont dans :mod:`cls_cli.regles_avenants` ; leur effet sur les fiches de chaque année dans
:mod:`cls_cli.en_vigueur`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from cls_cli.chargement import Document, analyser_octets, emplacement
from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau, Probleme
from cls_cli.modeles import (
    A_COMPLETER,
    CODE,
    CODE_INDICATEUR,
    Contrat,
    Date,
    Modele,
    Texte,
    Valeur,
)
from cls_cli.references import DESCRIPTION, ReferenceFiche, contexte

DOSSIER_AVENANTS = "avenants"
DOSSIER_INSTANCES = "instances"
NOM_AVENANT = re.compile(r"^(\d{1,4})\.yaml$")

TypeChangement = Literal[
    "fiche_ajoutee",
    "fiche_retiree",
    "fiche_modifiee",
    "objectif_ajoute",
    "objectif_reformule",
    "objectif_retire",
    "axe_ajoute",
    "axe_reformule",
    "axe_retire",
    "porteur_ajoute",
    "signataire_ajoute",
]
Quoi = Literal[
    "titre", "objectif", "porteurs", "indicateurs", "cible", "calendrier", "description", "autre"
]

#: type de changement -> (clés obligatoires, clés permises en plus) ; ``type`` est toujours là.
CLES_CHANGEMENT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fiche_ajoutee": (("fiche",), ()),
    "fiche_retiree": (("fiche", "motif"), ()),
    "fiche_modifiee": (("fiche", "quoi"), ("indicateur", "avant", "apres")),
    "objectif_ajoute": (("code", "libelle"), ()),
    "objectif_reformule": (("code", "avant", "apres"), ()),
    "objectif_retire": (("code",), ("motif",)),
    "axe_ajoute": (("code", "libelle"), ()),
    "axe_reformule": (("code", "avant", "apres"), ()),
    "axe_retire": (("code",), ("motif",)),
    "porteur_ajoute": (("porteur",), ("fiche",)),
    "signataire_ajoute": (("organisme",), ("representant", "qualite")),
}
TYPES_CHANGEMENT = tuple(CLES_CHANGEMENT)

CODE_AXE = CODE_OBJECTIF = CODE


class Changement(Modele):
    """Un changement apporté par un avenant (les clés permises dépendent de ``type``)."""

    type: TypeChangement = Field(
        description="La nature du changement : " + ", ".join(TYPES_CHANGEMENT) + "."
    )
    fiche: ReferenceFiche | None = Field(default=None, description=DESCRIPTION)
    motif: Texte | None = Field(default=None, description="Pourquoi (fiche ou objectif retiré).")
    quoi: Quoi | None = Field(
        default=None,
        description="Ce qui change dans la fiche modifiée : titre, objectif, porteurs, "
        "indicateurs, cible, calendrier, description ou autre.",
    )
    indicateur: Annotated[str, Field(pattern=CODE_INDICATEUR)] | None = Field(
        default=None, description="Code de l'indicateur dont la cible change (quoi: cible)."
    )
    avant: Valeur | None = Field(default=None, description="La valeur avant l'avenant.")
    apres: Valeur | None = Field(default=None, description="La valeur après l'avenant.")
    code: Texte | None = Field(default=None, description="Code de l'axe ou de l'objectif.")
    libelle: Texte | None = Field(default=None, description="Libellé de l'axe ou de l'objectif.")
    porteur: Texte | None = Field(default=None, description="Le porteur ajouté.")
    organisme: Texte | None = Field(default=None, description="L'organisme signataire ajouté.")
    representant: Texte | None = Field(default=None, description="Son représentant.")
    qualite: Texte | None = Field(default=None, description="La qualité du représentant.")

    @model_validator(mode="after")
    def _cles_du_type(self) -> Changement:
        obligatoires, permises = CLES_CHANGEMENT[self.type]
        presentes = {c for c in self.model_fields_set if c != "type"}
        manquantes = [c for c in obligatoires if getattr(self, c) is None]
        if manquantes:
            raise ValueError(f"un changement « {self.type} » demande la clé « {manquantes[0]} »")
        de_trop = sorted(presentes - set(obligatoires) - set(permises))
        if de_trop:
            raise ValueError(
                f"la clé « {de_trop[0]} » n'a pas de sens pour un changement « {self.type} » "
                f"(clés permises : {', '.join(('type', *obligatoires, *permises))})"
            )
        if self.type == "fiche_modifiee" and self.quoi == "cible":
            for cle in ("indicateur", "avant", "apres"):
                if getattr(self, cle) is None:
                    raise ValueError(f"un changement de cible demande la clé « {cle} »")
        if self.code is not None:
            motif = CODE_AXE if self.type.startswith("axe_") else CODE_OBJECTIF
            if not re.match(motif, self.code):
                attendu = "tel qu'écrit dans le contrat, sans espace : 3, A, 1.2.3, II-2"
                raise ValueError(f"le code « {self.code} » a une forme invalide ({attendu})")
        return self


class Avenant(Modele):
    """Un avenant au contrat (un fichier ``data/avenants/<numero>.yaml``)."""

    numero: Annotated[int, Field(ge=1, le=9999)] = Field(description="Numéro de l'avenant.")
    date: Date = Field(
        description="Date de signature (AAAA-MM-JJ), ou de la décision du COPIL s'il n'est "
        "pas encore signé."
    )
    signe: bool = Field(description="true si l'avenant est signé, false s'il est seulement décidé.")
    decision: Texte = Field(description="La décision qui l'a approuvé (ex. COPIL restreint).")
    instance: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")] | None = Field(
        default=None,
        description="La réunion qui l'a décidé : nom du fichier de data/instances/, sans .yaml.",
    )
    motif: Texte = Field(description="Pourquoi le contrat change.")
    changements: list[Changement] = Field(
        default_factory=list, description="Ce que l'avenant change, un élément par changement."
    )


@dataclass
class AvenantCharge:
    """Un fichier d'avenant : chemin, document lu (None s'il est illisible), modèle s'il est
    valide."""

    chemin: Path
    document: Document | None
    avenant: Avenant | None


@dataclass
class Avenants:
    """Les avenants d'un arbre et les problèmes de forme de leurs fichiers."""

    fichiers: list[AvenantCharge] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)

    def valides(self) -> list[Avenant]:
        """Les avenants valides, par numéro."""
        return sorted((a.avenant for a in self.fichiers if a.avenant), key=lambda a: a.numero)


def charger_avenants(racine: Path) -> Avenants:
    """Lit ``racine/avenants/*.yaml`` (aucun dossier : aucun avenant) ; une fiche citée par
    son identifiant y est résolue en numéro (:func:`cls_cli.references.contexte`)."""
    resultat = Avenants()
    dossier = racine / DOSSIER_AVENANTS
    if not dossier.is_dir():
        return resultat
    fiches = contexte(racine)
    for chemin in sorted(dossier.iterdir(), key=lambda c: c.name):
        if not chemin.name.endswith((".yaml", ".yml")):
            continue
        if chemin.is_symlink() or not chemin.is_file():
            resultat.problemes.append(
                Probleme(
                    emplacement(chemin, racine),
                    1,
                    1,
                    Niveau.ERREUR,
                    "ce n'est pas un fichier ordinaire : non lu",
                    "remplacez-le par le fichier de l'avenant lui-même",
                    "avenant-fichier",
                )
            )
            continue
        document, avenant, problemes = analyser_octets(
            chemin.read_bytes(), chemin, Avenant, racine, fiches
        )
        resultat.fichiers.append(AvenantCharge(chemin, document, avenant))
        resultat.problemes += problemes
    return resultat


def avenants_surs(racine: Path) -> list[Avenant]:
    """Les avenants de ``racine``, par numéro, pour décider quelles fiches sont en vigueur.

    Un fichier d'avenant illisible ou invalide lève ErreurDonnees (situé fichier:ligne) :
    l'ignorer ferait compter, ou oublier, des fiches sans le dire.
    """
    avenants = charger_avenants(racine)
    erreur = next((p for p in avenants.problemes if p.niveau is Niveau.ERREUR), None)
    if erreur is not None:
        raise ErreurDonnees(
            erreur.chemin,
            erreur.ligne,
            erreur.colonne,
            f"avenant invalide : {erreur.message} ; les fiches en vigueur en dépendent, "
            "rien n'a été calculé ni écrit",
            (erreur.correction + " ; " if erreur.correction else "")
            + "cls validate liste les erreurs (un avenant en préparation peut attendre hors "
            "de avenants/)",
            erreur.regle,
        )
    return avenants.valides()


def fiches_citees(avenants: Iterable[Avenant]) -> set[int]:
    """Les numéros des fiches qu'un avenant modifie ou retire : ces numéros ne peuvent pas
    resservir à une autre fiche, même si le fichier de la fiche a disparu. (Une fiche
    annoncée par ``fiche_ajoutee`` sans fichier encore est, elle, à créer sous ce numéro.)"""
    return {
        c.fiche
        for a in avenants
        for c in a.changements
        if c.fiche is not None and c.type != "fiche_ajoutee"
    }


def prochain_numero(avenants: Avenants) -> int:
    """Le numéro du prochain avenant : un de plus que le plus grand (fichier ou numéro)."""
    numeros = [a.avenant.numero for a in avenants.fichiers if a.avenant]
    for a in avenants.fichiers:
        m = NOM_AVENANT.match(a.chemin.name)
        if m:
            numeros.append(int(m.group(1)))
    return max(numeros, default=0) + 1


LIGNE_SCHEMA = "# yaml-language-server: $schema=../../schemas/avenant.schema.json\n"


@dataclass(frozen=True)
class NouvelAvenant:
    """Le fichier d'un avenant à créer : numéro, chemin et texte."""

    numero: int
    chemin: Path
    texte: str


def nouvel_avenant(
    racine: Path,
    contrat: Contrat | None,
    avenants: Avenants,
    date: dt.date,
    motif: str,
    decision: str,
    signe: bool,
) -> NouvelAvenant:
    """Le fichier du prochain avenant, sans changement encore (``cls amend new``).

    Refuse une date hors du contrat ou antérieure au dernier avenant (la règle de
    ``cls validate``) ; ``decision`` vaut « À COMPLÉTER » tant qu'on ne la connaît pas.
    """
    if not motif.strip():
        raise ErreurUsage("le motif est vide : dites pourquoi le contrat change (--motif …)")
    if contrat is not None:
        fin = dt.date(contrat.periode.fin, 12, 31)
        if not contrat.premier_jour <= date <= fin:
            raise ErreurUsage(
                f"la date {date.isoformat()} est hors du contrat (du "
                f"{contrat.premier_jour.isoformat()} au {fin.isoformat()}) : corrigez --date"
            )
    dernier = max(avenants.valides(), key=lambda a: a.numero, default=None)
    if dernier is not None and date < dernier.date:
        raise ErreurUsage(
            f"la date {date.isoformat()} précède celle de l'avenant n° {dernier.numero} "
            f"({dernier.date.isoformat()}) : les avenants se numérotent dans l'ordre des dates"
        )
    numero = prochain_numero(avenants)
    lignes = [
        LIGNE_SCHEMA.rstrip("\n"),
        f"numero: {numero}",
        f"date: {date.isoformat()}",
        f"signe: {'true' if signe else 'false'}",
        f"decision: {json.dumps(decision.strip() or A_COMPLETER, ensure_ascii=False)}",
        "# instance: AAAA-MM-JJ-copil  (la réunion de instances/ qui l'a décidé)",
        f"motif: {json.dumps(motif.strip(), ensure_ascii=False)}",
        "# Un changement par élément, par exemple :",
        "#   - type: fiche_ajoutee",
        "#     fiche: 57",
        "#   - type: fiche_retiree",
        "#     fiche: 12",
        "#     motif: Action reprise par un autre dispositif",
        "changements: []",
    ]
    chemin = racine / DOSSIER_AVENANTS / f"{numero}.yaml"
    return NouvelAvenant(numero, chemin, "\n".join(lignes) + "\n")
