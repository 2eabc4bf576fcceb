"""Le tableau de collecte des porteurs : modèle à remplir (CSV ou Excel) et relecture.

- :func:`lignes_modele` (pure) : une ligne par indicateur de chaque action non abandonnée,
  et une ligne « statut » par action ;
- :func:`ecrire` : CSV (UTF-8 avec BOM, séparateur « ; », nombres à la française « 74,9 »,
  ce qu'ouvre un tableur français)
  ou Excel (openpyxl : une feuille par axe, en-tête figé, cellules du modèle verrouillées,
  listes déroulantes pour les statuts et les oui/non) selon l'extension ;
- :func:`lire` : relit un tableau rempli, quel que soit son format
  (:mod:`cls_cli.lecture_tableur`, qui refuse ses pièges) ;
- :func:`preparer` (pure) : vérifie chaque ligne et la traduit en saisies, en rendant
  toutes les erreurs au format ``FICHIER:ligne: message``.

Les textes recopiés des fiches sont protégés contre l'injection de formules : un texte
commençant par ``=``, ``+``, ``-`` ou ``@`` reste du texte dans le tableur.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cls_cli.calculs import LIBELLES_STATUT, etat_action
from cls_cli.chargement import Referentiel
from cls_cli.colonnes_collecte import A_REMPLIR as A_REMPLIR
from cls_cli.colonnes_collecte import COLONNES as COLONNES
from cls_cli.colonnes_collecte import LIGNE_INDICATEUR as LIGNE_INDICATEUR
from cls_cli.colonnes_collecte import LIGNE_STATUT as LIGNE_STATUT
from cls_cli.colonnes_collecte import OBLIGATOIRES as OBLIGATOIRES
from cls_cli.erreurs import ErreurUsage
from cls_cli.identifiants import FicheInconnue, Repertoire, identifiant
from cls_cli.lecture_tableur import Lecture, LigneLue, lire_tableau
from cls_cli.modeles import Fiche
from cls_cli.periode import verifier_annee_de_saisie
from cls_cli.regles_saisie import (
    SaisieMesure,
    SaisieSuivi,
    mesure,
    trouver_indicateur,
)
from cls_cli.saisie import Brut, ecrire_nombre, lire_avancement, lire_statut

if TYPE_CHECKING:
    from cls_cli.avenants import Avenant

T = TypeVar("T")
_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
#: Une cible ou une dernière valeur telle que l'écrit :func:`lignes_modele` : « 74.9 »,
#: « 12 », « 74.9 (2021) ».
_NOMBRE = re.compile(r"(?P<nombre>-?\d+(?:\.\d+)?)(?P<annee> \(\d{4}\))?")


def _texte(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


def _derniere_mesure(fiche: Fiche, code: str, annee: int) -> str:
    ind = trouver_indicateur(fiche.indicateurs, code, fiche.numero, lambda i: i.code)
    avant = sorted((m for m in ind.mesures if m.annee < annee), key=lambda m: m.annee)
    if not avant:
        return ""
    m = avant[-1]
    return f"{_texte(m.valeur) if m.manquante is None else 'manquante'} ({m.annee})"


def lignes_modele(
    ref: Referentiel, annee: int, avenants: Sequence[Avenant] = ()
) -> list[dict[str, str]]:
    """Les lignes du tableau de collecte de ``annee`` (actions non abandonnées, en vigueur
    cette année-là d'après les ``avenants``)."""
    from cls_cli.en_vigueur import en_vigueur

    lignes = []
    for fiche in en_vigueur(ref.fiches_valides(), avenants, annee):
        etat = etat_action(fiche, annee - 1)
        if etat.statut == "abandonnee":
            continue
        commun = {
            "fiche": identifiant(fiche),
            "action": fiche.titre,
            "porteurs": ", ".join(fiche.liste_porteurs),
            "annee": str(annee),
            "axe": ref.axe_de(fiche) or "",
        }
        for ind in fiche.indicateurs:
            lignes.append(
                {
                    **commun,
                    "ligne": LIGNE_INDICATEUR,
                    "indicateur": ind.code,
                    "libelle": ind.libelle,
                    "type": ind.type,
                    "cible": _texte(ind.cible),
                    "derniere": _derniere_mesure(fiche, ind.code, annee),
                }
            )
        precedent = ""
        if etat.statut != "non_renseignee":
            precedent = LIBELLES_STATUT[etat.statut]
            if etat.avancement is not None:
                precedent += f", {_texte(etat.avancement)} %"
        lignes.append(
            {
                **commun,
                "ligne": LIGNE_STATUT,
                "indicateur": "",
                "libelle": "Statut de l'action",
                "type": "statut",
                "cible": "",
                "derniere": precedent,
            }
        )
    return lignes


def protege(texte: str) -> str:
    """Un texte recopié dans un CSV, neutralisé s'il pourrait être lu comme une formule."""
    return "'" + texte if texte.startswith(_DANGEREUX) else texte


# --- Écriture --------------------------------------------------------------------------


def ecrire(lignes: Sequence[dict[str, str]], chemin: Path, ref: Referentiel) -> bytes:
    """Le contenu du fichier de collecte (CSV ou XLSX selon l'extension de ``chemin``)."""
    extension = chemin.suffix.lower()
    if extension == ".csv":
        return _csv(lignes)
    if extension == ".xlsx":
        from cls_cli.tableur_xlsx import classeur

        return classeur(lignes, ref)
    raise ErreurUsage(f"extension « {chemin.suffix} » non gérée : choisissez .csv ou .xlsx")


def en_francais(cle: str, texte: str) -> str:
    """Une cellule du modèle CSV : le nombre d'une cible ou d'une dernière valeur connue
    écrit à la française (« 74,9 », « 74,9 (2021) »), relisible sans ambiguïté par
    :func:`~cls_cli.saisie.lire_nombre` ; les autres colonnes et les textes restent tels quels."""
    if cle not in ("cible", "derniere"):
        return texte
    forme = _NOMBRE.fullmatch(texte)
    if forme is None:
        return texte
    nombre = forme["nombre"]
    valeur = float(nombre) if "." in nombre else int(nombre)
    return ecrire_nombre(valeur) + (forme["annee"] or "")


def _csv(lignes: Sequence[dict[str, str]]) -> bytes:
    flux = io.StringIO(newline="")
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow([entete for _, entete in COLONNES])
    for ligne in lignes:
        ecrivain.writerow([protege(en_francais(cle, ligne.get(cle, ""))) for cle, _ in COLONNES])
    return ("\ufeff" + flux.getvalue()).encode("utf-8")


#: Le fond des cellules à remplir par le porteur (jaune pâle, distinct même imprimé en gris)
#: et celui de leur en-tête ; la légende est rappelée au pied de chaque page imprimée.
def lire(chemin: Path) -> Lecture:
    """Les lignes d'un tableau de collecte rempli (.csv ou .xlsx), et ce qui a été ignoré
    (voir :mod:`cls_cli.lecture_tableur` pour les pièges refusés)."""
    return lire_tableau(chemin, COLONNES, OBLIGATOIRES)


# --- Vérification des lignes -----------------------------------------------------------


@dataclass
class Saisies:
    """Les saisies d'un tableau, par fiche, et les erreurs trouvées."""

    mesures: dict[int, list[tuple[str, str, SaisieMesure]]] = field(default_factory=dict)
    suivis: dict[int, list[tuple[str, SaisieSuivi]]] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)
    vides: int = 0


_ENTETES = dict(COLONNES)


def _lu(ligne: LigneLue, cle: str, lire: Callable[[Brut, bool], T]) -> T:
    """La valeur de la colonne ``cle`` lue par ``lire`` (brut, format %) ; une erreur
    nomme la cellule (classeur) ou la colonne (CSV).

    Une cellule numérique arrive telle que le tableur la stocke, avec son format %."""
    nombre = ligne.nombres.get(cle)
    brut: Brut = ligne.valeurs[cle] if nombre is None else nombre.valeur
    try:
        return lire(brut, nombre is not None and nombre.pourcent)
    except ValueError as exc:
        raise ValueError(f"{exc} ({_cellule(ligne, cle)})") from None


def _cellule(ligne: LigneLue, cle: str) -> str:
    """Où est la colonne ``cle`` de la ligne : sa cellule (classeur) ou sa colonne (CSV)."""
    adresse = ligne.adresses.get(cle)
    return f"cellule {adresse}" if adresse else f"colonne « {_ENTETES[cle]} »"


def preparer(lignes: Iterable[LigneLue], ref: Referentiel) -> Saisies:
    """Vérifie chaque ligne et la traduit en saisie ; les lignes vides sont ignorées."""
    saisies = Saisies()
    fiches = {f.numero: f for f in ref.fiches_valides()}
    repertoire = Repertoire(fiches.values())
    for ligne in lignes:
        v = ligne.valeurs
        if not any(v.get(c) for c in ("valeur", "manquante", "avancement")):
            saisies.vides += 1
            continue
        try:
            numero = _numero(v.get("fiche", ""), repertoire)
            annee = int(v.get("annee", ""))
        except ValueError:
            saisies.erreurs.append(
                f"{ligne.position}: numéro de fiche ou année illisible "
                f"(« {v.get('fiche')} », « {v.get('annee')} »)"
            )
            continue
        fiche = fiches.get(numero) if numero is not None else None
        if fiche is None:
            inconnue = numero if numero is not None else f"« {v.get('fiche', '').strip()} »"
            saisies.erreurs.append(f"{ligne.position}: la fiche {inconnue} n'existe pas")
            continue
        numero, nom = fiche.numero, identifiant(fiche)
        try:
            verifier_annee_de_saisie(annee, ref.contrat)
        except ValueError as exc:
            saisies.erreurs.append(f"{ligne.position}: {exc}")
            continue
        try:
            if v.get("ligne") == LIGNE_STATUT:
                avancement = None
                if v.get("avancement"):
                    avancement = _lu(
                        ligne, "avancement", lambda b, p: lire_avancement(b, pourcent=p)
                    )
                if v.get("manquante"):
                    raise ValueError(
                        "« Si pas de valeur : pourquoi » ne s'emploie que pour un indicateur : "
                        "videz cette cellule (un commentaire va dans « Commentaire »)"
                    )
                if not v.get("valeur"):
                    raise ValueError("indiquez le statut dans la colonne « Valeur (ou statut) »")
                suivi = SaisieSuivi(
                    annee, lire_statut(v["valeur"]), avancement, v.get("commentaire") or None
                )
                saisies.suivis.setdefault(numero, []).append((ligne.position, suivi))
            elif v.get("ligne") == LIGNE_INDICATEUR:
                code = v.get("indicateur", "")
                ind = trouver_indicateur(fiche.indicateurs, code, nom, lambda i: i.code)
                if v.get("avancement"):
                    raise ValueError(
                        "l'avancement se saisit sur la ligne « statut » de l'action, pas sur "
                        f"celle de l'indicateur « {code} »"
                    )
                valeur: Brut | None = None
                pourcent = False
                if v.get("valeur"):
                    valeur, pourcent = _lu(ligne, "valeur", lambda brut, pct: (brut, pct))
                try:
                    lue = mesure(
                        annee,
                        ind.type,
                        valeur,
                        v.get("manquante"),
                        None,
                        v.get("source") or None,
                        v.get("commentaire") or None,
                        pourcent=pourcent,
                        unite=ind.unite,
                    )
                except ValueError as exc:
                    raise ValueError(f"{exc} ({_cellule(ligne, 'valeur')})") from None
                saisies.mesures.setdefault(numero, []).append((ligne.position, code, lue))
            else:
                raise ValueError(
                    f"colonne « Ligne » inattendue : « {v.get('ligne')} » (indicateur ou statut)"
                )
        except ValueError as exc:
            saisies.erreurs.append(f"{ligne.position}: fiche {nom} : {exc}")
    return saisies


def _numero(texte: str, repertoire: Repertoire) -> int | None:
    """Le numéro de la fiche que désigne la colonne « fiche » (son identifiant ou son
    numéro) ; None pour un identifiant inconnu ; ValueError si la cellule est vide."""
    try:
        return repertoire.resoudre(texte)
    except FicheInconnue:
        nu = texte.strip()
        if not nu:
            raise ValueError("cellule vide") from None
        return int(nu) if nu.isascii() and nu.isdigit() else None
