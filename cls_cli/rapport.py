"""Le contenu du rapport annuel : le modèle typé :class:`~cls_cli.modele_rapport.Rapport`.

:func:`construire` est pure : elle prend le référentiel, l'année, la date du rapport et
l'origine des données (commit git) et rend un :class:`Rapport` trié (axes, objectifs et
actions par code et par numéro), de sorte que le même arbre donne toujours le même
rapport ; les gabarits le lisent et la sortie JSON le sérialise. Les nombres sont bruts
(pourcentages 0-100 non arrondis, ``None`` sans chiffre) ; l'arrondi se fait à l'affichage.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cls_cli.avenants import Avenant
from cls_cli.calculs import (
    LIBELLES_STATUT,
    NON_RENSEIGNEE,
    AvancementMoyen,
    EtatAction,
    annee_valeur,
    atteinte,
    avancement_moyen,
    completude,
    completude_par_porteur,
    contradictions,
    etat_action,
    resultats,
    valeur_indicateur,
)
from cls_cli.chargement import Referentiel
from cls_cli.decisions import Reglages, appliquer, decisions
from cls_cli.decompte import FicheEcartee
from cls_cli.depenses import budget_et_depenses, depenses_fiche
from cls_cli.depot import Origine
from cls_cli.en_vigueur import en_vigueur, libelles_annee, resume_avenants
from cls_cli.evaluations import Instance
from cls_cli.identifiants import identifiant
from cls_cli.instances import gouvernance_annee
from cls_cli.memoire import avec_memoire
from cls_cli.modele_rapport import Action, Rapport
from cls_cli.modeles import NON_PRECISE, NON_PRECISE_LIBELLE, Fiche, Indicateur
from cls_cli.regles_evaluations import DOSSIER_INSTANCES
from cls_cli.sources import sources_par_porteur
from cls_cli.structure import Noeud


def _avancement_moyen(c: AvancementMoyen) -> dict[str, Any]:
    return {
        "avancement": c.avancement,
        "couverture": {"renseignees": c.renseignees, "total": c.total},
        "fragile": c.fragile,
        "reprises": list(c.reprises),
        "abandonnees": list(c.abandonnees),
        "non_renseignees": list(c.non_renseignees),
        "non_declarees": list(c.non_declarees),
    }


def _indicateurs(fiche: Fiche, annee: int) -> list[dict[str, Any]]:
    resultat = []
    for ind in fiche.indicateurs:
        mesures = sorted((m for m in ind.mesures if m.annee <= annee), key=lambda m: m.annee)
        resultat.append(
            {
                "code": ind.code,
                "libelle": ind.libelle,
                "type": ind.type,
                "unite": ind.unite,
                "agregation": ind.agregation,
                "cible": ind.cible,
                "reference": (
                    {"annee": ind.reference.annee, "valeur": ind.reference.valeur}
                    if ind.reference
                    else None
                ),
                "mesures": [
                    {
                        "annee": m.annee,
                        "valeur": m.valeur,
                        "manquante": m.manquante,
                        "source": m.source,
                        "commentaire": m.commentaire,
                    }
                    for m in mesures
                ],
                "valeur": valeur_indicateur(ind, annee),
                "annee_valeur": annee_valeur(ind, annee),
                "atteinte": atteinte(ind, annee),
                "serie": _serie(ind, annee),
            }
        )
    return resultat


def _serie(ind: Indicateur, annee: int) -> list[dict[str, Any]]:
    """La valeur retenue (cumul ou dernière valeur) à chaque année où l'indicateur numérique
    a été mesuré, jusqu'à ``annee`` : ce que le petit graphique de la fiche compare à la
    cible. Vide pour un indicateur oui/non ou texte."""
    if ind.type not in ("nombre", "taux"):
        return []
    serie = []
    for a in sorted({m.annee for m in ind.mesures if m.annee <= annee}):
        valeur = valeur_indicateur(ind, a)
        if annee_valeur(ind, a) == a and isinstance(valeur, int | float):
            serie.append({"annee": a, "valeur": valeur})
    return serie


def _texte(valeur: str) -> str:
    """Un texte de fiche pour le rapport : « non_precise » y est dit en toutes lettres."""
    return NON_PRECISE_LIBELLE if valeur == NON_PRECISE else valeur


def _action(fiche: Fiche, etat: EtatAction, annee: int, axe: str | None) -> Action:
    """L'action du rapport, validée seule : son dictionnaire ne vit que le temps de la
    valider (ceux de 5 000 fiches, gardés jusqu'à la validation du rapport entier, y
    prenaient 70 Mo) ; le rapport la reprend telle quelle (pydantic ne revalide pas)."""
    return Action.model_validate(
        {
            "numero": fiche.numero,
            "identifiant": None if identifiant(fiche) == str(fiche.numero) else fiche.identifiant,
            "titre": fiche.titre,
            "description": _texte(fiche.description).strip(),
            "objectif": fiche.objectif,
            "axe": axe,
            "porteurs": fiche.liste_porteurs,
            "statut": etat.statut,
            "libelle_statut": LIBELLES_STATUT[etat.statut],
            "avancement": etat.avancement,
            "avancement_annee": etat.avancement_annee,
            "avancement_repris": etat.avancement_repris,
            "avancement_non_declare": etat.non_declare and etat.statut != NON_RENSEIGNEE,
            "en_retard": etat.en_retard,
            "hors_delai": etat.hors_delai,
            "commentaire": etat.commentaire,
            "commentaire_annee": etat.commentaire_annee,
            "calendrier": _texte(fiche.texte_calendrier),
            "priorite": annee in fiche.priorites,
            "indicateurs": _indicateurs(fiche, annee),
            **_resultats([fiche], annee),
            **depenses_fiche(fiche, annee),
        }
    )


def _statuts(statuts: Iterable[str]) -> dict[str, int]:
    """Le nombre d'actions de chaque statut, tous les statuts dans l'ordre des libellés."""
    compte = Counter(statuts)
    return {s: compte.get(s, 0) for s in LIBELLES_STATUT}


def _ecartee(ecartee: FicheEcartee) -> dict[str, Any]:
    return {
        "fichier": ecartee.chemin,
        "problemes": [
            {"ligne": p.ligne, "colonne": p.colonne, "message": p.texte()}
            for p in ecartee.problemes
        ],
    }


def _resultats(fiches: Sequence[Fiche], annee: int) -> dict[str, Any]:
    r = resultats(fiches, annee)
    return {
        "resultats": {
            "avec_cible": r.avec_cible,
            "mesures": r.mesures,
            "atteints": r.atteints,
            "mediane": r.mediane,
        }
    }


def glossaire(lexique: dict[str, str], textes: Iterable[str]) -> list[dict[str, str]]:
    """Les sigles du lexique qui paraissent dans ``textes`` (en mot entier), par ordre
    alphabétique : le glossaire imprimé du rapport (les infobulles ne s'impriment pas)."""
    if not lexique:
        return []
    motif = re.compile(
        r"\b(" + "|".join(re.escape(s) for s in sorted(lexique, key=len, reverse=True)) + r")\b"
    )
    trouves = {m.group(1) for texte in textes for m in motif.finditer(texte)}
    return [
        {"sigle": s, "definition": lexique[s]}
        for s in sorted(trouves, key=lambda s: (s.casefold(), s))
    ]


def _textes(ref: Referentiel, fiches: Sequence[Fiche]) -> Iterator[str]:
    """Les textes que le rapport affiche : les siens (« L'essentiel pour le COPIL ») et ceux
    des données."""
    yield "COPIL"
    if ref.contrat:
        yield ref.contrat.titre
    yield from ref.arbre.libelles().values()
    for f in fiches:
        yield from (f.titre, f.description, f.texte_calendrier, *f.liste_porteurs)
        yield from (s.commentaire for s in f.suivi if s.commentaire)
        for ind in f.indicateurs:
            yield ind.libelle
            yield from (m.commentaire for m in ind.mesures if m.commentaire)
            yield from (m.manquante for m in ind.mesures if m.manquante)


def _completude_groupe(fiches: Sequence[Fiche], annee: int) -> dict[str, Any]:
    """``completude`` (la part en %, ou None) et ``completude_detail`` (les comptes)."""
    c = completude(fiches, annee)
    return {
        "completude": c.taux,
        "completude_detail": {"mesures": c.mesures, "attendus": c.attendus},
    }


@avec_memoire  # chaque état d'action et chaque atteinte calculés une fois
def construire(
    ref: Referentiel,
    annee: int,
    date: dt.date,
    origine: Origine,
    debut: int | None = None,
    *,
    ecartees: Sequence[FicheEcartee] = (),
    reglages: Reglages | None = None,
    avenants: Sequence[Avenant] = (),
    instances: Sequence[Instance] | None = None,
) -> Rapport:
    """Le rapport de l'année ``annee`` ; avec ``debut``, l'évolution de ``debut`` à ``annee``.

    ``ecartees`` : les fiches laissées de côté (``--partial``), listées en tête du rapport
    (clé ``fiches_ecartees``, présente seulement s'il y en a) ; ``reglages`` : les décisions
    ajoutées ou tues par la coordination (decisions.yaml). Chaque année ne compte que les
    fiches en vigueur cette année-là d'après les ``avenants`` (voir :mod:`cls_cli.en_vigueur`).
    ``instances`` : les réunions de ``instances/`` (None sans ce dossier : le rapport dit alors
    qu'aucune réunion n'est enregistrée, sans compter zéro)."""
    toutes = ref.fiches_valides()
    fiches = en_vigueur(toutes, avenants, annee)
    libelles = libelles_annee(ref, avenants, annee)
    etats = {f.numero: etat_action(f, annee) for f in fiches}
    annees = list(range(debut, annee + 1)) if debut is not None and debut < annee else [annee]

    def evolution(groupe: Sequence[Fiche]) -> list[dict[str, Any]]:
        return [
            {
                "annee": a,
                "avancement": avancement_moyen(
                    etat_action(f, a) for f in en_vigueur(groupe, avenants, a)
                ).avancement,
            }
            for a in annees
        ]

    arbre = ref.arbre

    def sous_groupes(
        code: str, rang: int, groupe: list[Fiche]
    ) -> list[tuple[Noeud | None, list[Fiche]]]:
        """Les objectifs sous ``code`` et leurs fiches ; sous le niveau le plus bas de la
        structure, un seul groupe sans code (le rapport garde ainsi trois niveaux)."""
        if rang >= arbre.profondeur:
            return [(None, groupe)]
        return (
            [
                (n, [f for f in groupe if arbre.ancetre(f.objectif, rang) == n.code])
                for n in arbre.enfants(code)
            ]
            if code in arbre.noeuds
            else []
        )

    def entete(noeud: Noeud | None) -> dict[str, Any]:
        if noeud is None:
            return {"code": None, "libelle": None}
        return {"code": noeud.code, "libelle": libelles.get(noeud.code) or noeud.libelle}

    axes = []
    for axe in ref.axes.axes if ref.axes else []:
        fiches_axe = [f for f in fiches if arbre.axe(f.objectif) == axe.code]
        strategiques = []
        for os_, fiches_os in sous_groupes(axe.code, 1, fiches_axe):
            operationnels = []
            for oo, fiches_oo in sous_groupes(os_.code if os_ else "", 2, fiches_os):
                operationnels.append(
                    {
                        **entete(oo),
                        **_avancement_moyen(avancement_moyen(etats[f.numero] for f in fiches_oo)),
                        "actions": [f.numero for f in fiches_oo],
                        "budget": budget_et_depenses(fiches_oo, annee),
                    }
                )
            strategiques.append(
                {
                    **entete(os_),
                    **_avancement_moyen(avancement_moyen(etats[f.numero] for f in fiches_os)),
                    "budget": budget_et_depenses(fiches_os, annee),
                    "objectifs": operationnels,
                }
            )
        axes.append(
            {
                "code": axe.code,
                "libelle": libelles.get(axe.code) or axe.libelle,
                **_avancement_moyen(avancement_moyen(etats[f.numero] for f in fiches_axe)),
                "avancement_precedent": avancement_moyen(
                    etat_action(f, annee - 1) for f in fiches_axe
                ).avancement,
                "en_retard": sorted(f.numero for f in fiches_axe if etats[f.numero].en_retard),
                "hors_delai": sorted(f.numero for f in fiches_axe if etats[f.numero].hors_delai),
                "statuts": _statuts(etats[f.numero].statut for f in fiches_axe),
                **_completude_groupe(fiches_axe, annee),
                **_resultats(fiches_axe, annee),
                "budget": budget_et_depenses(fiches_axe, annee),
                "evolution": evolution([f for f in toutes if arbre.axe(f.objectif) == axe.code]),
                "objectifs": strategiques,
            }
        )

    completude_porteurs = [
        {
            "porteur": porteur,
            "completude": c.taux,
            "completude_detail": {"mesures": c.mesures, "attendus": c.attendus},
        }
        for porteur, c in completude_par_porteur(fiches, annee)
    ]

    rien_saisi = not any(f.suivi or any(i.mesures for i in f.indicateurs) for f in fiches)
    contrat = ref.contrat
    partiel = {"fiches_ecartees": [_ecartee(e) for e in ecartees]} if ecartees else {}
    contenu: dict[str, Any] = {
        **partiel,
        "annee": annee,
        "debut": annees[0],
        "annees": annees,
        "annees_mesures": list(range(contrat.periode.debut if contrat else annees[0], annee + 1)),
        "date": date.isoformat(),
        "titre": contrat.titre if contrat else "Contrat Local de Santé",
        "periode": (
            {"debut": contrat.periode.debut, "fin": contrat.periode.fin} if contrat else None
        ),
        "origine": origine,
        "rien_saisi": rien_saisi,
        "contrat": {
            **_avancement_moyen(avancement_moyen(etats.values())),
            "avancement_precedent": avancement_moyen(
                etat_action(f, annee - 1) for f in fiches
            ).avancement,
            **_completude_groupe(fiches, annee),
            **_resultats(fiches, annee),
            "budget": budget_et_depenses(fiches, annee),
            "statuts": _statuts(e.statut for e in etats.values()),
            "en_retard": sorted(n for n, e in etats.items() if e.en_retard),
            "hors_delai": sorted(n for n, e in etats.items() if e.hors_delai),
            "evolution": evolution(toutes),
        },
        "contradictions": [
            {"numero": c.numero, "statut": c.statut, "atteintes": list(c.atteintes)}
            for c in contradictions(fiches, annee)
        ],
        "decisions": [
            {"numero": d.numero, "motif": d.motif, "detail": d.detail}
            for d in appliquer(
                decisions(fiches, annee), reglages or Reglages(), {f.numero for f in fiches}
            )
        ],
        "priorites": sorted(f.numero for f in fiches if annee in f.priorites),
        "completude_porteurs": completude_porteurs,
        "sources_porteurs": [
            {"porteur": p, "sources": [vars(s) for s in sources]}
            for p, sources in sources_par_porteur(fiches, annee)
        ],
        "axes": axes,
        "actions": [_action(f, etats[f.numero], annee, arbre.axe(f.objectif)) for f in fiches],
        "lexique": dict(sorted(contrat.lexique.items())) if contrat else {},
        "glossaire": glossaire(contrat.lexique if contrat else {}, _textes(ref, fiches)),
        "avenants": resume_avenants(avenants, annee),
        "gouvernance": gouvernance_annee(instances, contrat, fiches, annee)
        | {"dossier": f"{ref.racine.name}/{DOSSIER_INSTANCES}/"},
    }
    return Rapport.model_validate(contenu)
