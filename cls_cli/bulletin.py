"""Le bulletin d'information semestriel du plan de communication du contrat.

:func:`construire_bulletin` est pure : pour un semestre (``2021-S2``), elle rend les actions
lancées, réalisées ou reportées, les chiffres clés saisis, les réunions tenues et leurs
décisions, et les prochaines échéances. Ce que les données ne datent qu'à l'année est dit :

- les points de suivi n'ont qu'une année : un changement de statut de l'année Y (statut de
  fin Y différent de celui de fin Y−1) est rapporté dans le bulletin du second semestre de Y,
  avec la mention « date exacte inconnue » ;
- une mesure datée (``date``) va dans le semestre de sa date ; une mesure sans date, dans le
  bulletin du second semestre de son année ; les chiffres clés sont les mesures datées du
  semestre et celles des fiches prioritaires de l'année, les autres sont seulement comptées
  (le bulletin tient sur une page ; le rapport annuel les donne toutes) ;
- les réunions (``instances/``) et les échéances des préconisations ont une date exacte.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from cls_cli.calculs import LIBELLES_STATUT, etat_action
from cls_cli.evaluations import Evaluation, Instance
from cls_cli.instances import reunion_dict
from cls_cli.modeles import Fiche

SEMESTRE = re.compile(r"^(\d{4})-S([12])$")
#: Les statuts dont l'arrivée dans l'année est une nouvelle : lancée, réalisée, reportée.
CHANGEMENTS = {"en_cours": "lancees", "realisee": "realisees", "reportee": "reportees"}


def bornes(semestre: str) -> tuple[int, int, dt.date, dt.date]:
    """``2021-S2`` -> (2021, 2, 1er juillet 2021, 31 décembre 2021) ; ValueError sinon."""
    m = SEMESTRE.match(semestre)
    if m is None:
        raise ValueError(f"semestre invalide « {semestre} » : écrivez AAAA-S1 ou AAAA-S2")
    annee, numero = int(m.group(1)), int(m.group(2))
    if numero == 1:
        return annee, 1, dt.date(annee, 1, 1), dt.date(annee, 6, 30)
    return annee, 2, dt.date(annee, 7, 1), dt.date(annee, 12, 31)


def _action(f: Fiche, statut: str) -> dict[str, Any]:
    return {"numero": f.numero, "titre": f.titre, "statut": LIBELLES_STATUT[statut]}


def construire_bulletin(
    fiches: Sequence[Fiche],
    instances: Sequence[Instance],
    evaluations: Sequence[Evaluation],
    titre_contrat: str,
    semestre: str,
) -> dict[str, Any]:
    """Le contenu du bulletin de ``semestre`` (``AAAA-S1`` ou ``AAAA-S2``)."""
    annee, numero, debut, fin = bornes(semestre)
    changements: dict[str, list[dict[str, Any]]] = {v: [] for v in CHANGEMENTS.values()}
    if numero == 2:
        for f in fiches:
            avant, apres = etat_action(f, annee - 1).statut, etat_action(f, annee).statut
            if apres != avant and apres in CHANGEMENTS:
                changements[CHANGEMENTS[apres]].append(_action(f, apres))
    chiffres, autres = [], 0
    for f in fiches:
        for ind in f.indicateurs:
            for m in ind.mesures:
                if m.valeur is None:
                    continue
                if m.date is not None:
                    dedans, datee = debut <= m.date <= fin, True
                else:
                    dedans, datee = numero == 2 and m.annee == annee, False
                if dedans and not datee and annee not in f.priorites:
                    autres += 1
                elif dedans:
                    chiffres.append(
                        {
                            "fiche": f.numero,
                            "libelle": ind.libelle,
                            "type": ind.type,
                            "unite": ind.unite,
                            "annee": m.annee,
                            "valeur": m.valeur,
                            "date": m.date.isoformat() if m.date else None,
                            "datee": datee,
                        }
                    )
    reunions = sorted(
        (i for i in instances if debut <= i.date <= fin), key=lambda i: (i.date, i.type)
    )
    # Les échéances du semestre suivant.
    horizon = dt.date(annee + 1, 6, 30) if numero == 2 else dt.date(annee, 12, 31)
    echeances = [
        {"date": p.echeance.isoformat(), "texte": p.texte, "code": p.code}
        for ev in evaluations
        for p in ev.preconisations
        if p.echeance is not None and fin < p.echeance <= horizon and p.suite is None
    ]
    fin_calendrier = [
        _action(f, etat_action(f, annee).statut)
        for f in fiches
        if f.calendrier.fin == annee
        and etat_action(f, annee).statut not in ("realisee", "abandonnee")
    ]
    return {
        "semestre": semestre,
        "annee": annee,
        "numero": numero,
        "debut": debut.isoformat(),
        "fin": fin.isoformat(),
        "titre": titre_contrat,
        "changements_dates_a_l_annee": numero == 2,
        **changements,
        "autres_mesures": autres,
        "chiffres": sorted(chiffres, key=lambda c: (c["fiche"], c["libelle"], c["annee"])),
        "reunions": [reunion_dict(i) for i in reunions],
        "echeances": sorted(echeances, key=lambda e: (e["date"], e["code"])),
        "fin_calendrier": fin_calendrier,
    }


def rendre_bulletin(bulletin: dict[str, Any], format_: str) -> str:
    """Le bulletin en ``md`` ou ``html`` (une page imprimable)."""
    from cls_cli.rendu import environnement

    return environnement(format_, "fr").get_template(f"bulletin.{format_}.j2").render(r=bulletin)
