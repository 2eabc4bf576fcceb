"""Les fiches citées dans les fichiers écrits à la main : avenants (``changements[].fiche``),
évaluations et réunions des instances (``fiches: [..]``). Une fiche s'y cite par son
numéro (``12``) ou par son identifiant tel que le contrat l'écrit (``"A2"``, ``"3.1"``).

Le modèle garde le numéro (un ``int``, :data:`ReferenceFiche`) : un texte est résolu à la
validation (:mod:`cls_cli.identifiants`), avec les fiches de ``actions/`` que donne le
contexte de validation. :func:`contexte` est le seul endroit qui le construit ; les
fiches n'y sont lues (seulement ``numero`` et ``identifiant``) qu'à la première fiche citée
par un texte : un arbre qui cite tout par numéro ne coûte rien de plus.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema
from pydantic_core import PydanticCustomError

from cls_cli.diagnostic import ERREUR_EXPLIQUEE
from cls_cli.emplacements import DOSSIER_FICHES
from cls_cli.identifiants import (
    AvecIdentifiant,
    FicheInconnue,
    Nommee,
    Repertoire,
    identifiant,
    nommees_invalides,
    resoudre,
)
from cls_cli.modeles import IDENTIFIANT, NUMERO_MAX

if TYPE_CHECKING:
    from cls_cli.chargement import Referentiel

#: La clé du contexte de validation (``model_validate(..., context=...)``).
CLE_CONTEXTE = "fiches_du_contrat"

DESCRIPTION = (
    "La fiche : son numéro (12) ou son identifiant tel que le contrat l'écrit, entre "
    'guillemets ("A2", "3.1").'
)

DESCRIPTION_FICHES = (
    "Les fiches concernées, chacune par son numéro (12) ou son identifiant tel que le contrat "
    'l\'écrit, entre guillemets ("A2", "3.1").'
)

#: Les lignes d'une fiche qui la nomment : ``numero:`` et ``identifiant:`` au premier niveau.
_LIGNES_NOM = re.compile(rb"^(?:numero|identifiant)[ \t]*:[^\r\n]*", re.MULTILINE)


class FichesDuContrat:
    """Les fiches d'un arbre, pour résoudre un identifiant ; lues à la première demande."""

    def __init__(self, lire: Callable[[], Iterable[bytes]]) -> None:
        self._lire = lire
        self._repertoire: Repertoire | None = None

    def resoudre(self, texte: str) -> int:
        """Le numéro de la fiche ``texte`` ; :class:`FicheInconnue` si aucune ne l'est."""
        if self._repertoire is None:
            self._repertoire = Repertoire(n for o in self._lire() if (n := nommee(o)) is not None)
        return self._repertoire.resoudre(texte)


def nommee(octets: bytes) -> Nommee | None:
    """Le numéro et l'identifiant d'un fichier de fiche, lus sur ses seules lignes
    ``numero:`` et ``identifiant:`` (None si le numéro ne s'y lit pas en entier)."""
    from cls_cli.documents import lire
    from cls_cli.erreurs import ErreurDonnees

    try:
        texte = b"\n".join(_LIGNES_NOM.findall(octets)).decode("utf-8")
        valeurs = lire(texte, Path("fiche.yaml")).valeurs
    except (UnicodeDecodeError, ErreurDonnees):
        return None
    if not isinstance(valeurs, dict):
        return None
    numero, ident = valeurs.get("numero"), valeurs.get("identifiant")
    if type(numero) is not int or not (ident is None or isinstance(ident, str)):
        return None
    return Nommee(numero, ident.strip() or None if ident else None)


def _octets_fiches(racine: Path) -> Iterator[bytes]:
    dossier = racine / DOSSIER_FICHES
    if not dossier.is_dir():
        return
    for chemin in sorted(dossier.iterdir()):
        if chemin.name.endswith((".yaml", ".yml")) and chemin.is_file():
            try:
                yield chemin.read_bytes()
            except OSError:
                continue


def contexte(racine: Path) -> dict[str, Any]:
    """Le contexte de validation des fichiers de ``racine`` qui citent des fiches : celles de
    ``racine/actions/``. Rien n'est lu avant la première fiche citée par un texte."""
    return contexte_de(lambda: _octets_fiches(racine))


def contexte_de(lire: Callable[[], Iterable[bytes]]) -> dict[str, Any]:
    """Le contexte de validation pour les fiches dont ``lire`` donne les octets (une version
    passée de l'arbre, pour ``cls diff``)."""
    return {CLE_CONTEXTE: FichesDuContrat(lire)}


class ReferenceRefusee(ValueError):
    """Une fiche citée qui ne désigne aucune fiche : ``message`` et ``correction`` en français."""

    def __init__(self, message: str, correction: str) -> None:
        super().__init__(message)
        self.message, self.correction = message, correction


def numero_cite(valeur: object, contexte: Mapping[str, Any] | None) -> int:
    """Le numéro de la fiche citée par ``valeur`` (la règle, pour tous les fichiers) : un
    entier reste tel quel (les bornes le jugent), un texte est résolu avec les fiches du
    ``contexte`` ; tout autre chose est refusé plutôt que deviné (:class:`ReferenceRefusee`)."""
    if type(valeur) is int:
        return valeur
    if isinstance(valeur, float):
        raise ReferenceRefusee(
            f"{valeur} est lu comme un nombre décimal (3.10 serait lu 3.1)",
            f"écrivez l'identifiant entre guillemets, tel que le contrat l'écrit : \"{valeur}\"",
        )
    if not isinstance(valeur, str):
        raise ReferenceRefusee(
            f"une fiche se cite par son numéro ou son identifiant, pas par « {valeur} »",
            'écrivez le numéro de la fiche (12) ou son identifiant entre guillemets ("A2")',
        )
    fiches = (contexte or {}).get(CLE_CONTEXTE)
    if not isinstance(fiches, FichesDuContrat):
        raise ReferenceRefusee(
            f"la fiche « {valeur} » ne peut pas être résolue ici (aucune fiche lue)",
            "citez la fiche par son numéro",
        )
    try:
        return fiches.resoudre(valeur)
    except FicheInconnue as exc:
        raise ReferenceRefusee(
            str(exc),
            "citez une fiche de actions/ par son identifiant ou son numéro ; une fiche annoncée "
            "qui n'a pas encore de fichier se cite par le numéro qu'elle prendra",
        ) from None


def _numero(valeur: object, info: ValidationInfo) -> object:
    try:
        return numero_cite(valeur, info.context)
    except ReferenceRefusee as exc:
        raise PydanticCustomError(
            ERREUR_EXPLIQUEE, "{message}", {"message": exc.message, "correction": exc.correction}
        ) from None


#: Une fiche citée par numéro ou par identifiant ; le numéro après validation.
ReferenceFiche = Annotated[
    int,
    Field(ge=1, le=NUMERO_MAX),
    BeforeValidator(_numero),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": NUMERO_MAX},
                {"type": "string", "pattern": IDENTIFIANT},
            ],
            "description": DESCRIPTION,
        }
    ),
]


# --- Une fiche désignée en ligne de commande --------------------------------------------


def fiche_designee(
    racine: Path, texte: str, referentiel: Referentiel | None = None
) -> tuple[int, str]:
    """Le numéro de la fiche que désigne ``texte`` en ligne de commande (son identifiant tel
    que le contrat l'écrit ou son numéro, voir :func:`cls_cli.identifiants.resoudre`) et le
    nom à lui donner dans les messages (son identifiant).

    Un numéro dont le fichier existe est pris sans lire toutes les fiches (``cls record``
    reste rapide : seule la sienne est lue, pour son nom) ; sinon les fiches valides sont lues
    (``referentiel``, ou chargées). Un numéro inconnu est rendu tel quel : la commande dit
    alors, à sa façon, qu'il n'existe pas ; un identifiant inconnu est une ErreurUsage qui
    liste les identifiants connus."""
    from cls_cli.chargement import charger
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.regles_saisie import index_fiches

    nu = texte.strip()
    nombre = int(nu) if nu.isascii() and nu.isdigit() else None
    if nombre is not None and referentiel is None:
        chemins = index_fiches(racine).get(nombre, [])
        if chemins:
            return nombre, _nom_lu(chemins[0], racine) or str(nombre)
    if referentiel is None:
        referentiel = charger(racine).referentiel
    fiches: list[AvecIdentifiant] = [*referentiel.fiches_valides()]
    fiches += nommees_invalides(referentiel)
    try:
        numero = resoudre(fiches, texte)
    except FicheInconnue as exc:
        if nombre is not None:
            return nombre, str(nombre)
        raise ErreurUsage(f"{exc} (cls list affiche les fiches)") from None
    return numero, next(identifiant(f) for f in fiches if f.numero == numero)


def _nom_lu(chemin: Path, racine: Path) -> str | None:
    """L'identifiant de la fiche du fichier ``chemin`` (None si elle est illisible)."""
    from cls_cli.chargement import charger_modele
    from cls_cli.modeles import Fiche

    try:
        fiche = charger_modele(chemin, Fiche, racine)[1]
    except OSError:
        return None
    return identifiant(fiche) if fiche else None
