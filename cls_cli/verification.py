"""Les règles de cohérence du référentiel (ce que les modèles seuls ne peuvent pas voir).

Chaque règle est une fonction pure qui reçoit le référentiel chargé et rend des
:class:`Constat` (un problème repéré par son chemin dans la fiche) ou des
:class:`~cls_cli.erreurs.Probleme` déjà situés. :func:`controler` les applique toutes ;
:func:`valider` charge l'arbre et rend le résultat complet, trié.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cls_cli.chargement import (
    FicheChargee,
    Referentiel,
    charger,
    emplacement,
    message_a_completer,
    position,
    scalaires,
)
from cls_cli.clotures import lire as lire_clotures
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.identifiants import identifiant
from cls_cli.modeles import A_COMPLETER, Indicateur, Periode, Valeur
from cls_cli.porteurs import problemes_registre
from cls_cli.regles_evaluations import problemes_gouvernance
from cls_cli.regles_structure import (
    NOMS_NIVEAUX,
    regle_arbre_axes,
    regle_branches_vides,
    regle_identifiants,
)
from cls_cli.structure import tri_naturel
from cls_cli.themes import regle_themes

NOM_FICHE = re.compile(r"^(\d{2,5})-[a-z0-9]+(-[a-z0-9]+)*\.yaml$")


@dataclass
class Resultat:
    """Le résultat d'une validation : le référentiel et tous ses problèmes, triés."""

    referentiel: Referentiel
    problemes: list[Probleme]

    @property
    def erreurs(self) -> list[Probleme]:
        return [p for p in self.problemes if p.niveau is Niveau.ERREUR]

    @property
    def avertissements(self) -> list[Probleme]:
        return [p for p in self.problemes if p.niveau is Niveau.AVERTISSEMENT]

    def code_sortie(self, strict: bool = False) -> int:
        """0 si les données sont saines, 1 sinon (les avertissements comptent avec ``strict``)."""
        if self.erreurs or (strict and self.avertissements):
            return 1
        return 0


@dataclass(frozen=True)
class Constat:
    """Un problème d'une fiche, situé par son chemin dans le document (``loc``).

    Sa ligne et sa colonne ne sont calculées que s'il est rendu (:func:`controler`) :
    il faut pour cela relire la fiche avec le lecteur aller-retour, ce qu'on évite
    quand seul le niveau compte (un avertissement pendant ``cls record``).
    """

    fiche: FicheChargee
    loc: tuple[int | str, ...]
    message: str
    correction: str
    regle: str
    niveau: Niveau = Niveau.ERREUR

    def situer(self, racine: Path) -> Probleme:
        ligne, colonne = position(self.fiche.arbre_yaml, self.loc)
        return Probleme(
            emplacement(self.fiche.chemin, racine),
            ligne,
            colonne,
            self.niveau,
            self.message,
            self.correction,
            self.regle,
        )


def probleme_valeur(indicateur: Indicateur, valeur: Valeur) -> str | None:
    """Pourquoi ``valeur`` ne convient pas au type de l'indicateur (None si elle convient)."""
    est_nombre = isinstance(valeur, int | float) and not isinstance(valeur, bool)
    if indicateur.type == "nombre":
        if not est_nombre:
            return "un nombre est attendu"
        if valeur < 0:  # type: ignore[operator]
            return "un nombre positif ou nul est attendu"
    elif indicateur.type == "taux":
        if not est_nombre or not 0 <= valeur <= 100:  # type: ignore[operator]
            return "un taux entre 0 et 100 est attendu"
    elif indicateur.type == "booleen":
        if not isinstance(valeur, bool):
            return "true (réalisé) ou false (non réalisé) est attendu"
    elif not isinstance(valeur, str):
        return "un texte est attendu"
    return None


def regle_nom_fichier(ref: Referentiel) -> Iterable[Probleme | Constat]:
    for fc in ref.fiches:
        m = NOM_FICHE.match(fc.chemin.name)
        if not m:
            yield Constat(
                fc,
                (),
                f"nom de fichier invalide « {fc.chemin.name} »",
                "nommez le fichier NN-titre-court.yaml (numéro sur deux chiffres, "
                "minuscules sans accents et tirets)",
                "nom-fichier",
            )
        elif fc.fiche and int(m.group(1)) != fc.fiche.numero:
            yield Constat(
                fc,
                ("numero",),
                f"le numéro {fc.fiche.numero} ne correspond pas au nom du fichier ({m.group(1)})",
                "renommez le fichier ou corrigez « numero »",
                "nom-fichier",
            )


def regle_numeros_uniques(ref: Referentiel) -> Iterable[Probleme | Constat]:
    vus: dict[int, FicheChargee] = {}
    for fc in ref.fiches:
        if not fc.fiche:
            continue
        premier = vus.setdefault(fc.fiche.numero, fc)
        if premier is not fc:
            yield Constat(
                fc,
                ("numero",),
                f"le numéro {fc.fiche.numero} est déjà pris par {premier.chemin.name}",
                "donnez à cette fiche le prochain numéro libre",
                "numero-double",
            )


def regle_objectif_existe(ref: Referentiel) -> Iterable[Probleme | Constat]:
    if ref.axes is None:
        return
    codes = ref.arbre.feuilles()
    niveau = NOMS_NIVEAUX[ref.arbre.structure[-1]]
    for fc in ref.fiches:
        if fc.fiche and fc.fiche.objectif not in codes:
            proches = difflib.get_close_matches(
                fc.fiche.objectif, tri_naturel(codes), n=5, cutoff=0
            )
            yield Constat(
                fc,
                ("objectif",),
                f"l'objectif « {fc.fiche.objectif} » n'existe pas dans axes.yaml"
                + ("" if fc.fiche.objectif not in ref.arbre.noeuds else f" comme {niveau}"),
                f"choisissez un code du niveau le plus bas de axes.yaml ({niveau})"
                + (f" (les plus proches : {', '.join(proches)})" if proches else "")
                + " ou ajoutez-le à axes.yaml",
                "objectif-inconnu",
            )


def regle_indicateurs(ref: Referentiel) -> Iterable[Probleme | Constat]:
    """Codes uniques, une mesure par année, valeurs conformes au type, années du contrat."""
    periode = ref.contrat.periode if ref.contrat else None
    for fc in ref.fiches:
        fiche = fc.fiche
        if not fiche:
            continue
        codes: set[str] = set()
        for i, ind in enumerate(fiche.indicateurs):
            base: tuple[int | str, ...] = ("indicateurs", i)
            if ind.code in codes:
                yield Constat(
                    fc,
                    (*base, "code"),
                    f"le code d'indicateur « {ind.code} » est déjà utilisé dans cette fiche",
                    "donnez un code différent à chaque indicateur",
                    "indicateur-double",
                )
            codes.add(ind.code)
            for nom, valeur in (
                ("cible", ind.cible),
                ("reference", ind.reference.valeur if ind.reference else None),
            ):
                if valeur is not None and (raison := probleme_valeur(ind, valeur)):
                    loc = (*base, nom) if nom == "cible" else (*base, nom, "valeur")
                    yield Constat(
                        fc,
                        loc,
                        f"{nom} de « {ind.code} » invalide pour un indicateur de type "
                        f"{ind.type} : {raison}",
                        "corrigez la valeur",
                        "type-valeur",
                    )
            annees: set[int] = set()
            for j, mesure in enumerate(ind.mesures):
                loc_m = (*base, "mesures", j)
                if mesure.annee in annees:
                    yield Constat(
                        fc,
                        (*loc_m, "annee"),
                        f"deux mesures de « {ind.code} » pour {mesure.annee}",
                        "gardez une seule mesure par année (cls record --replace pour remplacer)",
                        "mesure-double",
                    )
                annees.add(mesure.annee)
                if periode and not periode.debut <= mesure.annee <= periode.fin:
                    yield Constat(
                        fc,
                        (*loc_m, "annee"),
                        f"l'année {mesure.annee} est hors de la période du contrat "
                        f"({periode.debut}-{periode.fin})",
                        "corrigez l'année de la mesure",
                        "annee-hors-periode",
                    )
                if mesure.valeur is not None and (raison := probleme_valeur(ind, mesure.valeur)):
                    yield Constat(
                        fc,
                        (*loc_m, "valeur"),
                        f"valeur {mesure.valeur!r} invalide pour « {ind.code} » "
                        f"(type {ind.type}) : {raison}",
                        "corrigez la valeur",
                        "type-valeur",
                    )
                if mesure.source is None:
                    yield Constat(
                        fc,
                        loc_m,
                        f"la mesure {mesure.annee} de « {ind.code} » n'a pas de source",
                        "ajoutez « source: » (qui a fourni le chiffre)",
                        "mesure-sans-source",
                        Niveau.AVERTISSEMENT,
                    )


#: Les listes annuelles d'une fiche (une entrée par année) et comment les nommer.
_ANNUELS = {
    "suivi": ("point de suivi", "points de suivi"),
    "depenses": ("montant", "montants dépensés"),
}


def _annees_uniques(
    fc: FicheChargee,
    cle: str,
    annees: Iterable[int],
    periode: Periode | None,
    quoi: tuple[str, str],
) -> Iterator[Constat]:
    """Une année par élément de la liste ``cle`` (« suivi », « depenses »), dans la période."""
    vues: set[int] = set()
    for j, annee in enumerate(annees):
        loc = (cle, j, "annee")
        if annee in vues:
            yield Constat(
                fc,
                loc,
                f"deux {quoi[1]} pour {annee}",
                f"gardez un seul {quoi[0]} par année",
                f"{cle.rstrip('s')}-double",
            )
        vues.add(annee)
        if periode and not periode.debut <= annee <= periode.fin:
            yield Constat(
                fc,
                loc,
                f"l'année {annee} est hors de la période du contrat "
                f"({periode.debut}-{periode.fin})",
                "corrigez l'année",
                "annee-hors-periode",
            )


def regle_suivi(ref: Referentiel) -> Iterable[Probleme | Constat]:
    """Suivi et dépenses : une seule entrée par année, dans la période du contrat."""
    periode = ref.contrat.periode if ref.contrat else None
    for fc in ref.fiches:
        if not fc.fiche:
            continue
        for cle, quoi in _ANNUELS.items():
            annees = [e.annee for e in getattr(fc.fiche, cle)]
            yield from _annees_uniques(fc, cle, annees, periode, quoi)
        for j, annee in enumerate(fc.fiche.priorites):
            if periode and not periode.debut <= annee <= periode.fin:
                yield Constat(
                    fc,
                    ("priorites", j),
                    f"l'année de priorité {annee} est hors de la période du contrat "
                    f"({periode.debut}-{periode.fin})",
                    "corrigez l'année",
                    "annee-hors-periode",
                )


def regle_sans_indicateur(ref: Referentiel) -> Iterable[Probleme | Constat]:
    for fc in ref.fiches:
        if fc.fiche and not fc.fiche.indicateurs:
            yield Constat(
                fc,
                ("indicateurs",),
                f"la fiche {identifiant(fc.fiche)} n'a aucun indicateur d'évaluation",
                "ajoutez au moins un indicateur sous « indicateurs: »",
                "sans-indicateur",
                Niveau.AVERTISSEMENT,
            )


def regle_a_completer(ref: Referentiel) -> Iterable[Probleme | Constat]:
    """Les champs laissés « À COMPLÉTER » par ``cls new``."""
    for fc in ref.fiches:
        if fc.document is None or not fc.document.contient(A_COMPLETER):
            continue  # le texte seul suffit à écarter presque toutes les fiches
        for texte, loc in scalaires(fc.valeurs):
            if isinstance(texte, str) and A_COMPLETER in texte:
                yield Constat(
                    fc,
                    loc,
                    message_a_completer(loc),
                    f"remplacez « {A_COMPLETER} » par le contenu de la fiche",
                    "a-completer",
                )


REGLES: tuple[Callable[[Referentiel], Iterable[Probleme | Constat]], ...] = (
    regle_nom_fichier,
    regle_numeros_uniques,
    regle_identifiants,
    regle_objectif_existe,
    regle_branches_vides,
    regle_arbre_axes,
    regle_themes,
    regle_indicateurs,
    regle_suivi,
    regle_sans_indicateur,
    regle_a_completer,
)


def controler(ref: Referentiel, niveaux: frozenset[Niveau] = frozenset(Niveau)) -> list[Probleme]:
    """Applique toutes les règles de cohérence au référentiel ; ne rend (et ne situe) que
    les problèmes des ``niveaux`` demandés."""
    return [
        p.situer(ref.racine) if isinstance(p, Constat) else p
        for regle in REGLES
        for p in regle(ref)
        if p.niveau in niveaux
    ]


def valider(racine: Path) -> Resultat:
    """Charge l'arbre ``racine`` et rend tous ses problèmes (forme et cohérence), triés."""
    from cls_cli.regles_avenants import verifier_avenants

    chargement = charger(racine)
    problemes = chargement.problemes + controler(chargement.referentiel)
    problemes += problemes_gouvernance(chargement.referentiel)  # évaluations et instances
    problemes += verifier_avenants(chargement.referentiel)
    problemes += problemes_registre(chargement.referentiel)  # data/porteurs.yaml
    problemes += lire_clotures(racine)[1]  # data/clotures.yaml
    return Resultat(chargement.referentiel, sorted(set(problemes)))
