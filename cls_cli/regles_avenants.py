"""Les règles de ``cls validate`` sur les avenants : chacun d'accord avec le reste de l'arbre.

Numéros (nom du fichier, doublons, trous), dates (dans le contrat, croissantes avec les
numéros), références (fiches, indicateurs, objectifs, axes, réunion de ``instances/``),
fiche ajoutée ou retirée deux fois, valeurs « après » égales à celles de l'arbre, fiche
retirée qui reçoit encore une mesure ou un point de suivi, ou qui ne porte pas ``retiree``.
Fonctions pures : elles rendent des :class:`~cls_cli.erreurs.Probleme` situés
(fichier:ligne), sans rien afficher.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cls_cli.avenants import (
    DOSSIER_INSTANCES,
    NOM_AVENANT,
    Avenant,
    AvenantCharge,
    Avenants,
    charger_avenants,
)
from cls_cli.chargement import Referentiel
from cls_cli.en_vigueur import libelles_arbre
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.identifiants import nommer, table
from cls_cli.modeles import A_COMPLETER
from cls_cli.regles_retraits import (
    apres_retrait,
    avant_ajout,
    ici,
    objectifs_retires,
    retraits_inscrits,
)
from cls_cli.regles_saisie import numero_du_nom

Loc = tuple[int | str, ...]


def _sur(
    racine: Path,
    fa: AvenantCharge,
    loc: Loc,
    message: str,
    correction: str,
    regle: str,
    niveau: Niveau = Niveau.ERREUR,
) -> Probleme:
    arbre_yaml = fa.document.arbre_yaml if fa.document is not None else None
    return ici(racine, fa.chemin, arbre_yaml, loc, message, correction, regle, niveau)


def _valides(avenants: Avenants) -> list[AvenantCharge]:
    return sorted((a for a in avenants.fichiers if a.avenant), key=lambda a: a.avenant.numero)  # type: ignore[union-attr]


def _numeros_et_dates(ref: Referentiel, avenants: Avenants) -> Iterator[Probleme]:
    racine = ref.racine
    vus: dict[int, AvenantCharge] = {}
    precedent: AvenantCharge | None = None
    contrat = ref.contrat
    for fa in _valides(avenants):
        av: Avenant = fa.avenant  # type: ignore[assignment]
        m = NOM_AVENANT.match(fa.chemin.name)
        if m is None or int(m.group(1)) != av.numero:
            yield _sur(
                racine,
                fa,
                ("numero",),
                f"l'avenant n° {av.numero} est dans le fichier « {fa.chemin.name} »",
                f"nommez le fichier {av.numero}.yaml (le numéro de l'avenant)",
                "avenant-nom",
            )
        if av.numero in vus:
            yield _sur(
                racine,
                fa,
                ("numero",),
                f"le numéro d'avenant {av.numero} est déjà pris par {vus[av.numero].chemin.name}",
                "un numéro d'avenant ne se réutilise pas : donnez-lui le prochain numéro libre",
                "avenant-double",
            )
            continue
        vus[av.numero] = fa
        if contrat is not None:
            fin = dt.date(contrat.periode.fin, 12, 31)
            if not contrat.premier_jour <= av.date <= fin:
                yield _sur(
                    racine,
                    fa,
                    ("date",),
                    f"l'avenant n° {av.numero} est daté du {av.date.isoformat()}, hors du "
                    f"contrat (du {contrat.premier_jour.isoformat()} au {fin.isoformat()})",
                    "corrigez la date (AAAA-MM-JJ)",
                    "avenant-date",
                )
        if precedent is not None:
            avant: Avenant = precedent.avenant  # type: ignore[assignment]
            if av.date < avant.date:
                yield _sur(
                    racine,
                    fa,
                    ("date",),
                    f"l'avenant n° {av.numero} ({av.date.isoformat()}) est antérieur à "
                    f"l'avenant n° {avant.numero} ({avant.date.isoformat()})",
                    "les avenants se numérotent dans l'ordre de leurs dates : corrigez la date "
                    "ou le numéro",
                    "avenant-ordre",
                )
            for manquant in range(avant.numero + 1, av.numero):
                yield _sur(
                    racine,
                    fa,
                    ("numero",),
                    f"l'avenant n° {manquant} manque entre le n° {avant.numero} et le "
                    f"n° {av.numero}",
                    f"rétablissez le fichier avenants/{manquant}.yaml (git log -- "
                    f"avenants/{manquant}.yaml le retrouve) ou renumérotez",
                    "avenant-manquant",
                )
        precedent = fa
        if av.instance is not None:
            dossier = racine / DOSSIER_INSTANCES
            if not any((dossier / f"{av.instance}{ext}").is_file() for ext in (".yaml", ".yml")):
                yield _sur(
                    racine,
                    fa,
                    ("instance",),
                    f"la réunion « {av.instance} » est introuvable "
                    f"({DOSSIER_INSTANCES}/{av.instance}.yaml)",
                    "créez le fichier de la réunion ou corrigez le nom (sans .yaml)",
                    "avenant-instance",
                )
        if A_COMPLETER in av.decision:
            yield _sur(
                racine,
                fa,
                ("decision",),
                "décision à compléter (decision)",
                "écrivez la décision qui a approuvé l'avenant (ex. COPIL restreint du …)",
                "a-completer",
            )
        if not av.changements:
            yield _sur(
                racine,
                fa,
                ("numero",),
                f"l'avenant n° {av.numero} ne liste aucun changement",
                "ajoutez ses changements sous « changements: »",
                "avenant-vide",
                Niveau.AVERTISSEMENT,
            )


def _references(ref: Referentiel, avenants: Avenants) -> Iterator[Probleme]:
    racine = ref.racine
    fiches = {fc.fiche.numero: fc for fc in ref.fiches if fc.fiche}
    invalides = {numero_du_nom(fc.chemin.name) for fc in ref.fiches if fc.fiche is None}
    invalides -= set(fiches)
    noms = table(fc.fiche for fc in fiches.values() if fc.fiche)
    libelles = libelles_arbre(ref)
    ajoutees: dict[int, int] = {}
    retirees: dict[int, int] = {}
    # Les dernières valeurs « après » (cibles, libellés) : l'arbre doit les porter.
    derniere_cible: dict[tuple[int, str], tuple[AvenantCharge, Loc, Any]] = {}
    dernier_libelle: dict[str, tuple[AvenantCharge, Loc, Any]] = {}
    premiers_ajouts: dict[int, int] = {}
    for av_ in avenants.valides():
        for ch in av_.changements:
            if ch.type == "fiche_ajoutee" and ch.fiche is not None:
                premiers_ajouts.setdefault(ch.fiche, av_.numero)
    for fa in _valides(avenants):
        av: Avenant = fa.avenant  # type: ignore[assignment]
        for i, ch in enumerate(av.changements):
            loc: Loc = ("changements", i)
            if ch.fiche is not None and ch.fiche in invalides:
                continue  # son fichier est invalide : ses propres erreurs disent quoi corriger
            if ch.fiche is not None and ch.fiche not in fiches:
                yield _sur(
                    racine,
                    fa,
                    (*loc, "fiche"),
                    f"la fiche {ch.fiche} n'existe pas dans actions/ (renumérotée ou supprimée ?)",
                    "corrigez le numéro de la fiche ; une fiche retirée garde son fichier",
                    "avenant-fiche",
                )
                continue
            if ch.type in ("fiche_ajoutee", "fiche_retiree"):
                deja = ajoutees if ch.type == "fiche_ajoutee" else retirees
                verbe = "ajoutée" if ch.type == "fiche_ajoutee" else "retirée"
                numero = ch.fiche or 0
                nom = nommer(numero, noms)
                if numero in deja:
                    yield _sur(
                        racine,
                        fa,
                        (*loc, "fiche"),
                        f"la fiche {nom} est déjà {verbe} par l'avenant n° {deja[numero]}",
                        "une fiche n'est ajoutée (ou retirée) qu'une fois : supprimez ce "
                        "changement",
                        "avenant-fiche-double",
                    )
                deja.setdefault(numero, av.numero)
                ajout = premiers_ajouts.get(numero)
                if ch.type == "fiche_retiree" and ajout is not None and ajout > av.numero:
                    yield _sur(
                        racine,
                        fa,
                        (*loc, "fiche"),
                        f"la fiche {nom} est retirée avant d'être ajoutée (avenant n° {ajout})",
                        "vérifiez les numéros des avenants ; un numéro de fiche retirée ne se "
                        "réemploie pas : une action nouvelle prend le prochain numéro libre "
                        "(cls new --avenant N)",
                        "avenant-ordre",
                    )
            if ch.type == "fiche_modifiee" and ch.quoi == "cible" and ch.fiche is not None:
                fiche = fiches[ch.fiche].fiche
                nom = nommer(ch.fiche, noms)
                codes = [ind.code for ind in fiche.indicateurs] if fiche else []
                if ch.indicateur not in codes:
                    yield _sur(
                        racine,
                        fa,
                        (*loc, "indicateur"),
                        f"la fiche {nom} n'a pas d'indicateur « {ch.indicateur} »",
                        "indicateurs de la fiche : " + (", ".join(codes) or "aucun"),
                        "avenant-indicateur",
                    )
                else:
                    precedente = derniere_cible.get((ch.fiche, ch.indicateur or ""))
                    if precedente is not None and precedente[2] != ch.avant:
                        avenant_prec = precedente[0].avenant.numero  # type: ignore[union-attr]
                        yield _sur(
                            racine,
                            fa,
                            (*loc, "avant"),
                            f"la cible « avant » de « {ch.indicateur} » (fiche {nom}) vaut "
                            f"{ch.avant!r}, mais l'avenant n° {avenant_prec} l'avait fixée à "
                            f"{precedente[2]!r}",
                            "les rapports passés prennent cette valeur : recopiez la cible "
                            "fixée par l'avenant précédent",
                            "avenant-cible",
                        )
                    derniere_cible[(ch.fiche, ch.indicateur or "")] = (
                        fa,
                        (*loc, "apres"),
                        ch.apres,
                    )
            if ch.type.startswith(("objectif_", "axe_")) and ch.code is not None:
                quoi = "l'axe" if ch.type.startswith("axe_") else "l'objectif"
                if ch.type.endswith(("_ajoute", "_reformule")) and ch.code not in libelles:
                    yield _sur(
                        racine,
                        fa,
                        (*loc, "code"),
                        f"{quoi} {ch.code} n'existe pas dans axes.yaml",
                        "ajoutez-le à axes.yaml (avec le libellé en vigueur) ou corrigez le code",
                        "avenant-objectif",
                    )
                elif ch.type.endswith("_reformule"):
                    dernier_libelle[ch.code] = (fa, (*loc, "apres"), ch.apres)
    for (numero, code), (fa, loc, apres) in derniere_cible.items():
        fiche = fiches[numero].fiche
        ind = next(i for i in fiche.indicateurs if i.code == code) if fiche else None
        nom = nommer(numero, noms)
        if ind is not None and ind.cible != apres:
            yield _sur(
                racine,
                fa,
                loc,
                f"la cible de « {code} » (fiche {nom}) vaut {ind.cible!r} dans la fiche, "
                f"pas {apres!r} comme le dit cet avenant (le dernier à la changer)",
                "la fiche porte la cible en vigueur : mettez-y la valeur « apres » de l'avenant",
                "avenant-cible",
            )
    for code, (fa, loc, apres) in dernier_libelle.items():
        if libelles.get(code) != apres:
            yield _sur(
                racine,
                fa,
                loc,
                f"le libellé de {code} dans axes.yaml n'est pas celui que donne cet avenant",
                "axes.yaml porte le libellé en vigueur : recopiez-y la valeur « apres »",
                "avenant-libelle",
            )
    yield from apres_retrait(ref, avenants, fiches)
    yield from avant_ajout(ref, avenants, fiches)
    yield from objectifs_retires(ref, avenants)
    yield from retraits_inscrits(ref, avenants, fiches)


def verifier_avenants(ref: Referentiel, avenants: Avenants | None = None) -> list[Probleme]:
    """Les problèmes des avenants de l'arbre (forme et cohérence avec le reste)."""
    if avenants is None:
        avenants = charger_avenants(ref.racine)
    return [
        *avenants.problemes,
        *_numeros_et_dates(ref, avenants),
        *_references(ref, avenants),
    ]
