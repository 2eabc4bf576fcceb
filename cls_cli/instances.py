"""Les faits de gouvernance tirés des réunions des instances (``data/instances/``).

Fonctions pures : réunions tenues par année et par type face à ce que le contrat prévoit
(un COPIL par an), participation des signataires et des porteurs (présents au moins une
fois), décisions prises, par fiche. Les organismes sont comparés sans tenir compte de la
casse ni des espaces en trop : « Chartres Métropole » est « Chartres métropole ».
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cls_cli.evaluations import TYPES_INSTANCE, Instance
from cls_cli.modeles import Contrat, Fiche

#: Réunions attendues par an, d'après le contrat (section VI-1-2, « Suivi stratégique ») :
#: le COPIL élargi est annuel, le COPIL restreint semestriel, le Cotech trimestriel. Les
#: groupes de travail n'ont pas de fréquence fixée.
ATTENDUES_PAR_AN: dict[str, int] = {"copil": 1, "copil_restreint": 2, "cotech": 4}

LIBELLES_INSTANCE = {
    "copil": "COPIL",
    "copil_restreint": "COPIL restreint",
    "cotech": "Cotech",
    "groupe_de_travail": "groupe de travail",
}


def _cle(organisme: str) -> str:
    return " ".join(organisme.split()).casefold()


def _participation(attendus: Iterable[str], presents: set[str]) -> dict[str, Any]:
    """Présents au moins une fois parmi les ``attendus`` ; un organisme écrit de deux façons
    (casse, espaces) n'est compté qu'une fois, sous sa première écriture."""
    uniques: dict[str, str] = {}
    for organisme in attendus:
        uniques.setdefault(_cle(organisme), organisme)
    liste = sorted(uniques.values(), key=lambda o: (_cle(o), o))
    venus = [o for o in liste if _cle(o) in presents]
    return {
        "presents": len(venus),
        "total": len(liste),
        "absents": [o for o in liste if _cle(o) not in presents],
    }


def decision_dict(instance: Instance, decision: Any) -> dict[str, Any]:
    return {
        "date": instance.date.isoformat(),
        "type": instance.type,
        "instance": LIBELLES_INSTANCE[instance.type],
        "texte": decision.texte,
        "fiches": list(decision.fiches),
        "valide": decision.valide,
        "annee": decision.annee,
    }


def reunion_dict(instance: Instance) -> dict[str, Any]:
    return {
        "date": instance.date.isoformat(),
        "type": instance.type,
        "instance": LIBELLES_INSTANCE[instance.type],
        "titre": instance.titre,
        "participants": len(instance.participants),
        "decisions": [decision_dict(instance, d) for d in instance.decisions],
    }


def gouvernance(
    instances: Sequence[Instance],
    contrat: Contrat | None,
    fiches: Sequence[Fiche],
    debut: int,
    fin: int,
) -> dict[str, Any]:
    """Réunions, participation et décisions des années ``debut`` à ``fin``."""
    retenues = sorted(
        (i for i in instances if debut <= i.date.year <= fin),
        key=lambda i: (i.date, TYPES_INSTANCE.index(i.type), i.titre or ""),
    )
    par_annee = []
    for annee in range(debut, fin + 1):
        nombres: dict[str, int] = {
            t: sum(1 for i in retenues if i.date.year == annee and i.type == t)
            for t in TYPES_INSTANCE
        }
        # « conforme » : le COPIL annuel tenu (le suivi minimal du contrat, section V-7).
        conforme = nombres["copil"] >= ATTENDUES_PAR_AN["copil"]
        par_annee.append({"annee": annee, **nombres, "conforme": conforme})
    presents = {_cle(p) for i in retenues for p in i.participants}
    signataires = [s.organisme for s in contrat.signataires] if contrat else []
    porteurs = [p for f in fiches for p in f.liste_porteurs]
    return {
        "debut": debut,
        "fin": fin,
        "attendues_par_an": dict(ATTENDUES_PAR_AN),
        "reunions_par_annee": par_annee,
        "annees_sans_copil": [a["annee"] for a in par_annee if not a["conforme"]],
        "participation": {
            "signataires": _participation(signataires, presents),
            "porteurs": _participation(porteurs, presents),
        },
        "reunions": [reunion_dict(i) for i in retenues],
        "decisions": [decision_dict(i, d) for i in retenues for d in i.decisions],
    }


def gouvernance_annee(
    instances: Sequence[Instance] | None,
    contrat: Contrat | None,
    fiches: Sequence[Fiche],
    annee: int,
) -> dict[str, Any]:
    """Pour le rapport de ``annee`` : les réunions tenues dans l'année par type face à ce
    que le contrat prévoit, la participation des signataires et des porteurs des ``fiches``
    et les décisions. ``instances`` vaut None quand aucun dossier ``instances/`` n'existe :
    rien n'est alors compté (``enregistree`` faux), car zéro réunion ne serait pas un fait."""
    if instances is None:
        return {
            "enregistree": False,
            "reunions_par_type": [
                {
                    "type": t,
                    "instance": LIBELLES_INSTANCE[t],
                    "tenues": None,
                    "attendues": ATTENDUES_PAR_AN.get(t),
                }
                for t in TYPES_INSTANCE
            ],
            "participation": None,
            "reunions": [],
            "decisions": [],
        }
    g = gouvernance(instances, contrat, fiches, annee, annee)
    (nombres,) = g["reunions_par_annee"]
    return {
        "enregistree": True,
        "reunions_par_type": [
            {
                "type": t,
                "instance": LIBELLES_INSTANCE[t],
                "tenues": nombres[t],
                "attendues": ATTENDUES_PAR_AN.get(t),
            }
            for t in TYPES_INSTANCE
        ],
        "participation": g["participation"],
        "reunions": g["reunions"],
        "decisions": g["decisions"],
    }


def decisions_fiche(instances: Sequence[Instance], numero: int) -> list[dict[str, Any]]:
    """Les décisions qui concernent la fiche ``numero``, par date (avec l'intitulé de la
    réunion, ``titre``, pour distinguer deux groupes de travail)."""
    return [
        {**decision_dict(i, d), "titre": i.titre}
        for i in sorted(instances, key=lambda i: (i.date, TYPES_INSTANCE.index(i.type)))
        for d in i.decisions
        if numero in d.fiches
    ]
