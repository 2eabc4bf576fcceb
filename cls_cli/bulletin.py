"""Le bulletin d'information semestriel du plan de communication du contrat.

:func:`construire_bulletin` est pure : pour un semestre (``2021-S2``), elle rend les actions
lancées, réalisées ou reportées, les chiffres clés saisis, les réunions tenues et leurs
décisions, et les prochaines échéances. Ce que les données ne datent qu'à l'année est dit :

- les points de suivi n'ont qu'une année : un changement de statut de l'année Y (statut de
  fin Y différent de celui de fin Y−1) est daté, si le dossier de données est suivi par git,
  par le commit qui a enregistré ce statut (:func:`dater_par_historique`) et rapporté dans
  le semestre de cette date ; sinon, il est rapporté dans le bulletin du second semestre de
  Y, avec la mention « date exacte inconnue ». Chaque action dit laquelle des deux a servi ;
- une mesure datée (``date``) va dans le semestre de sa date ; une mesure sans date, dans le
  bulletin du second semestre de son année ; les chiffres clés sont les mesures datées du
  semestre et celles des fiches prioritaires de l'année, les autres sont seulement comptées
  (le bulletin tient sur une page ; le rapport annuel les donne toutes) ;
- les réunions (``instances/``) et les échéances des préconisations ont une date exacte.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from cls_cli.calculs import LIBELLES_STATUT, etat_action
from cls_cli.evaluations import Evaluation, Instance
from cls_cli.identifiants import identifiant
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


#: Une version des fiches dans l'historique git : la date du commit et les fiches valides.
Version = tuple[dt.date, Sequence[Fiche]]
#: (numéro de fiche, année du statut) -> date où git a enregistré ce statut.
Datation = Mapping[tuple[int, int], dt.date]


def _action(f: Fiche, statut: str) -> dict[str, Any]:
    return {
        "numero": f.numero,
        "identifiant": identifiant(f),
        "titre": f.titre,
        "statut": LIBELLES_STATUT[statut],
    }


def changements_de_statut(fiches: Sequence[Fiche]) -> Iterator[tuple[Fiche, int, str]]:
    """(fiche, année Y, statut) pour chaque statut de fin Y différent de celui de fin Y−1 qui
    est une nouvelle (lancée, réalisée, reportée). Le statut ne change qu'une année qui a un
    point de suivi (sinon il reste celui du dernier point)."""
    for f in fiches:
        for y in sorted({s.annee for s in f.suivi}):
            avant, apres = etat_action(f, y - 1).statut, etat_action(f, y).statut
            if apres != avant and apres in CHANGEMENTS:
                yield f, y, apres


def date_plausible(annee: int, date: dt.date) -> bool:
    """Un commit daté ``date`` peut-il dater un changement de statut de ``annee`` ? Oui s'il
    est de cette année ou du premier semestre suivant (la saisie du bilan annuel) ; plus
    tard, c'est une saisie rétrospective, qui ne dit pas quand l'action a changé."""
    return dt.date(annee, 1, 1) <= date <= dt.date(annee + 1, 6, 30)


def debut_historique_utile(semestre: str) -> dt.date:
    """La date des plus anciens commits utiles au bulletin de ``semestre`` : un changement de
    statut daté dans le semestre de l'année A est de l'année A ou A−1 (:func:`date_plausible`)
    et enregistré au plus tôt le 1er janvier de son année. Un statut déjà présent avant cette
    date n'a pas de date plausible : l'historique plus ancien ne change rien au bulletin."""
    return dt.date(bornes(semestre)[0] - 1, 1, 1)


def dater_par_historique(
    versions: Sequence[Version], fiches: Sequence[Fiche]
) -> dict[tuple[int, int], dt.date]:
    """Date chaque changement de statut des ``fiches`` (l'arbre de travail) par le commit qui
    l'a enregistré : le plus ancien d'une suite ininterrompue de versions (du plus ancien au
    plus récent) qui donnent déjà ce statut jusqu'à la dernière. Pas de date (le bulletin
    dit alors « date exacte inconnue ») si le statut n'est pas encore enregistré (arbre de
    travail modifié), s'il l'est dès la première version (données importées d'un coup) ou si
    la date n'est pas plausible (:func:`date_plausible`)."""
    par_version = [{f.numero: f for f in fs} for _, fs in versions]
    dates: dict[tuple[int, int], dt.date] = {}
    for f, y, statut in changements_de_statut(fiches):
        k = len(versions)
        while k > 0:
            ancienne = par_version[k - 1].get(f.numero)
            if ancienne is None or etat_action(ancienne, y).statut != statut:
                break
            k -= 1
        if 0 < k < len(versions) and date_plausible(y, versions[k][0]):
            dates[(f.numero, y)] = versions[k][0]
    return dates


def construire_bulletin(
    fiches: Sequence[Fiche],
    instances: Sequence[Instance],
    evaluations: Sequence[Evaluation],
    titre_contrat: str,
    semestre: str,
    historique: Sequence[Version] | None = None,
) -> dict[str, Any]:
    """Le contenu du bulletin de ``semestre`` (``AAAA-S1`` ou ``AAAA-S2``) ; ``historique`` :
    les versions des fiches enregistrées par git, de la plus ancienne à la plus récente (None
    si le dossier de données n'est pas suivi par git)."""
    annee, numero, debut, fin = bornes(semestre)
    dates: Datation = dater_par_historique(historique, fiches) if historique else {}
    changements: dict[str, list[dict[str, Any]]] = {v: [] for v in CHANGEMENTS.values()}
    for f, y, statut in changements_de_statut(fiches):
        date = dates.get((f.numero, y))
        if date is not None and debut <= date <= fin:
            action = {**_action(f, statut), "annee": y, "date": date.isoformat(), "source": "git"}
        elif date is None and numero == 2 and y == annee:
            action = {**_action(f, statut), "annee": y, "date": None, "source": "annee"}
        else:
            continue
        changements[CHANGEMENTS[statut]].append(action)
    sources = {a["source"] for liste in changements.values() for a in liste}
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
        if f.dates
        and f.dates.fin == annee
        and etat_action(f, annee).statut not in ("realisee", "abandonnee")
    ]
    return {
        "semestre": semestre,
        "annee": annee,
        "numero": numero,
        "debut": debut.isoformat(),
        "fin": fin.isoformat(),
        "titre": titre_contrat,
        "historique_git": historique is not None and len(historique) > 0,
        "changements_par_git": "git" in sources,
        "changements_par_annee": "annee" in sources,
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
