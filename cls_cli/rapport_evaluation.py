"""Le contenu du rapport d'une évaluation : un dictionnaire prêt pour les gabarits et JSON.

:func:`construire_evaluation` est pure. Pour chaque question, les preuves chiffrées sont
calculées par le cœur existant (:mod:`cls_cli.calculs`, les mêmes fonctions que le rapport
annuel) sur les fiches de sa portée, en fin de période : avancement et son évolution année
par année, actions par statut, complétude des données, actions en retard ou hors délai,
indicateurs cités avec l'atteinte de leur cible. Les faits de gouvernance viennent de
:mod:`cls_cli.instances`. Les nombres sont bruts (arrondis à l'affichage).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from cls_cli.avenants import Avenant
from cls_cli.calculs import (
    LIBELLES_STATUT,
    atteinte,
    avancement_moyen,
    completude,
    etat_action,
    valeur_indicateur,
)
from cls_cli.chargement import Referentiel
from cls_cli.en_vigueur import avenants_de_la_periode, en_vigueur
from cls_cli.evaluations import JUGEMENTS, Evaluation, Portee, Question
from cls_cli.grille import criteres
from cls_cli.instances import gouvernance
from cls_cli.modeles import Fiche
from cls_cli.regles_evaluations import Gouvernance
from cls_cli.structure import Arbre, tri_naturel

LIBELLES_JUGEMENT = {
    "satisfaisant": "satisfaisant",
    "partiellement_satisfaisant": "partiellement satisfaisant",
    "insuffisant": "insuffisant",
    "non_evaluable": "non évaluable",
    None: "à juger",
}
#: Un signe par jugement, pour un tableau lisible en noir et blanc comme en couleur.
SIGNES_JUGEMENT = {
    "satisfaisant": "✔",
    "partiellement_satisfaisant": "◐",
    "insuffisant": "✘",
    "non_evaluable": "?",
    None: "…",
}


def fiches_de(portee: Portee, fiches: Sequence[Fiche], arbre: Arbre) -> list[Fiche]:
    """Les fiches d'une portée : celles de ses axes, de ses objectifs, et ses fiches (le
    rattachement se lit dans l'``arbre`` des axes et objectifs)."""
    if portee.contrat:
        return list(fiches)
    retenues = []
    for f in fiches:
        axe, *objectifs = arbre.chemin(f.objectif) or ("",)
        if (
            axe in portee.axes
            or any(o in portee.objectifs for o in objectifs)
            or f.numero in portee.fiches
        ):
            retenues.append(f)
    return retenues


def axes_de(portee: Portee, fiches: Sequence[Fiche], arbre: Arbre) -> set[str]:
    """Les axes que touche une portée (vide pour le contrat entier)."""
    if portee.contrat:
        return set()
    codes = [*portee.objectifs, *(f.objectif for f in fiches if f.numero in portee.fiches)]
    return {*portee.axes} | {a for c in codes if (a := arbre.axe(c)) is not None}


def _indicateur(reference: str, par_numero: dict[int, Fiche], annee: int) -> dict[str, Any]:
    numero, code = reference.split("/", 1)
    fiche = par_numero[int(numero)]
    ind = next(i for i in fiche.indicateurs if i.code == code)
    return {
        "reference": reference,
        "fiche": fiche.numero,
        "code": ind.code,
        "libelle": ind.libelle,
        "type": ind.type,
        "unite": ind.unite,
        "cible": ind.cible,
        "valeur": valeur_indicateur(ind, annee),
        "atteinte": atteinte(ind, annee),
    }


def preuves(
    question: Question,
    fiches: Sequence[Fiche],
    debut: int,
    fin: int,
    arbre: Arbre,
    avenants: Sequence[Avenant] = (),
) -> dict[str, Any]:
    """Les chiffres de la portée de ``question`` en fin d'année ``fin`` (et de ``debut`` à
    ``fin`` pour les évolutions), chaque année sur les seules fiches en vigueur cette
    année-là d'après les ``avenants``, avec leurs cibles de l'année : la règle de
    :func:`cls_cli.en_vigueur.en_vigueur`, celle du rapport annuel."""
    tout_le_groupe = fiches_de(question.portee, fiches, arbre)
    groupe = en_vigueur(tout_le_groupe, avenants, fin)
    etats = [etat_action(f, fin) for f in groupe]
    c = avancement_moyen(etats)
    d = completude(groupe, fin)
    statuts = Counter(e.statut for e in etats)
    par_numero = {f.numero: f for f in fiches} | {
        f.numero: f for f in en_vigueur(fiches, avenants, fin)
    }

    def du_groupe(annee: int) -> list[Fiche]:
        return en_vigueur(tout_le_groupe, avenants, annee)

    return {
        "annee": fin,
        "fiches": [f.numero for f in groupe],
        "avancement": c.avancement,
        "couverture": {"renseignees": c.renseignees, "total": c.total},
        "abandonnees": list(c.abandonnees),
        "non_renseignees": list(c.non_renseignees),
        "evolution": [
            {
                "annee": a,
                "avancement": avancement_moyen(etat_action(f, a) for f in du_groupe(a)).avancement,
                "completude": completude(du_groupe(a), a).taux,
            }
            for a in range(debut, fin + 1)
        ],
        "statuts": {s: statuts.get(s, 0) for s in LIBELLES_STATUT},
        "completude": d.taux,
        "completude_detail": {"mesures": d.mesures, "attendus": d.attendus},
        "en_retard": sorted(e.numero for e in etats if e.en_retard),
        "hors_delai": sorted(e.numero for e in etats if e.hors_delai),
        "indicateurs": [_indicateur(r, par_numero, fin) for r in question.indicateurs],
    }


def _portee(portee: Portee) -> dict[str, Any]:
    return {
        "contrat": portee.contrat,
        "axes": list(portee.axes),
        "objectifs": list(portee.objectifs),
        "fiches": list(portee.fiches),
    }


def construire_evaluation(
    ref: Referentiel,
    g: Gouvernance,
    ident: str,
    ev: Evaluation,
    avenants: Sequence[Avenant] = (),
) -> dict[str, Any]:
    """Le rapport de l'évaluation ``ev`` (fichier ``evaluations/<ident>.yaml``), avec les
    ``avenants`` signés ou décidés pendant sa période."""
    fiches = ref.fiches_valides()
    debut, fin = ev.periode.debut, ev.periode.fin
    catalogue = criteres()
    axes = [{"code": a.code, "libelle": a.libelle} for a in (ref.axes.axes if ref.axes else [])]
    questions = [
        {
            "code": q.code,
            "critere": q.critere,
            "question": q.question,
            "portee": _portee(q.portee),
            "axes": tri_naturel(axes_de(q.portee, fiches, ref.arbre)),
            "criteres_de_jugement": list(q.criteres_de_jugement),
            "indicateurs": list(q.indicateurs),
            "sources": list(q.sources),
            "constats": q.constats,
            "jugement": q.jugement,
            "justification": q.justification,
            "preuves": preuves(q, fiches, debut, fin, ref.arbre, avenants),
        }
        for q in ev.questions
    ]
    par_critere: list[dict[str, Any]] = []
    for code, ct in catalogue.items():
        du_critere = [q for q in questions if q["critere"] == code]
        par_critere.append(
            {
                "code": code,
                "libelle": ct.libelle,
                "definition": ct.definition,
                "questions": du_critere,
            }
        )
    synthese = []
    for critere in par_critere:
        if not critere["questions"]:
            continue
        cellules = {
            a["code"]: [
                {"code": q["code"], "jugement": q["jugement"]}
                for q in critere["questions"]
                if a["code"] in q["axes"]
            ]
            for a in axes
        }
        contrat = [
            {"code": q["code"], "jugement": q["jugement"]}
            for q in critere["questions"]
            if q["portee"]["contrat"]
        ]
        synthese.append(
            {
                "critere": critere["code"],
                "libelle": critere["libelle"],
                "axes": cellules,
                "contrat": contrat,
            }
        )
    comptes = Counter(q["jugement"] for q in questions)
    en_vigueur_periode = {
        f.numero for a in range(debut, fin + 1) for f in en_vigueur(fiches, avenants, a)
    }
    de_la_periode = [f for f in fiches if f.numero in en_vigueur_periode]
    contrat_ = ref.contrat
    return {
        "id": ident,
        "titre": ev.titre or f"Évaluation {ev.type} {debut}-{fin}",
        "contrat": contrat_.titre if contrat_ else "Contrat Local de Santé",
        "type": ev.type,
        "periode": {"debut": debut, "fin": fin},
        "date": ev.date.isoformat(),
        "pilotage": list(ev.pilotage),
        "methodes": list(ev.methodes),
        "calendrier": ev.calendrier,
        "axes": axes,
        "criteres": par_critere,
        "synthese": synthese,
        "jugements": {j: comptes.get(j, 0) for j in JUGEMENTS},
        "sans_jugement": [q["code"] for q in questions if q["jugement"] is None],
        "preconisations": [
            {
                "code": p.code,
                "texte": p.texte,
                "questions": list(p.questions),
                "fiches": list(p.fiches),
                "objectifs": list(p.objectifs),
                "priorite": p.priorite,
                "echeance": p.echeance.isoformat() if p.echeance else None,
                "suite": p.suite,
            }
            for p in ev.preconisations
        ],
        "avenants": avenants_de_la_periode(avenants, debut, fin),
        "gouvernance": gouvernance(
            [i.modele for i in g.instances], contrat_, de_la_periode, debut, fin
        ),
    }


def rendre_evaluation(rapport: dict[str, Any], format_: str) -> str:
    """Le rapport d'évaluation en ``md``, ``html`` ou ``json`` (en français)."""
    import json

    from cls_cli.rendu import environnement

    if format_ == "json":
        return json.dumps(rapport, ensure_ascii=False, indent=2) + "\n"
    env = environnement(format_, "fr")
    env.globals.update(libelles_jugement=LIBELLES_JUGEMENT, signes=SIGNES_JUGEMENT)
    return env.get_template(f"evaluation.{format_}.j2").render(r=rapport)
