"""Le contrat en vigueur à une date : axes, objectifs et fiches, avenants appliqués.

:func:`contrat_le` est pure : elle prend le référentiel (qui porte l'état actuel : les
libellés de axes.yaml et les cibles des fiches sont ceux du dernier avenant), les avenants
et une date, et rend un dictionnaire prêt pour les gabarits ``templates/contrat.*.j2`` :

- les avenants datés de ce jour ou avant sont appliqués, les suivants défaits (libellé
  ou cible « avant ») ;
- un axe ou un objectif ajouté par un avenant postérieur n'apparaît pas ; un axe ou un
  objectif retiré par un avenant appliqué non plus (il est listé à part) ;
- chaque élément changé par un avenant appliqué porte sa marque (« ajoutée par l'avenant
  n° 1 », « cible de … changée par l'avenant n° 2 »…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cls_cli.avenants import Avenant, Changement
from cls_cli.chargement import Referentiel
from cls_cli.en_vigueur import en_vigueur_le, libelles_arbre, libelles_le
from cls_cli.identifiants import identifiant, nommer, table
from cls_cli.modeles import NON_PRECISE

#: Ce que « quoi » désigne, dans une marque de fiche modifiée.
QUOI = {
    "titre": "titre",
    "objectif": "objectif",
    "porteurs": "porteurs",
    "indicateurs": "indicateurs",
    "cible": "cible",
    "calendrier": "calendrier",
    "description": "description",
    "autre": "contenu",
}


def _marque_fiche(ch: Changement, numero: int) -> str:
    if ch.type == "fiche_ajoutee":
        return f"ajoutée par l'avenant n° {numero}"
    if ch.type == "porteur_ajoute":
        return f"porteur « {ch.porteur} » ajouté par l'avenant n° {numero}"
    if ch.quoi == "cible":
        return f"cible de « {ch.indicateur} » changée par l'avenant n° {numero}"
    return f"{QUOI[ch.quoi or 'autre']} modifié par l'avenant n° {numero}"


def _marque_code(ch: Changement, numero: int) -> str:
    verbe = {"ajoute": "ajouté", "reformule": "reformulé", "retire": "retiré"}
    return f"{verbe[ch.type.split('_', 1)[1]]} par l'avenant n° {numero}"


def contrat_le(ref: Referentiel, avenants: Sequence[Avenant], date: dt.date) -> dict[str, Any]:
    """Le contrat tel qu'en vigueur le jour ``date`` (voir le module)."""
    tries = sorted(avenants, key=lambda a: a.numero)
    appliques = [a for a in tries if a.date <= date]
    libelles = libelles_le(libelles_arbre(ref), avenants, date)
    marques_codes: dict[str, list[str]] = {}
    marques_fiches: dict[int, list[str]] = {}
    retires: list[dict[str, Any]] = []
    fiches_retirees: list[dict[str, Any]] = []
    noms = table(ref.fiches_valides())
    for av in appliques:
        for ch in av.changements:
            if ch.code is not None:
                marques_codes.setdefault(ch.code, []).append(_marque_code(ch, av.numero))
                if ch.type.endswith("_retire"):
                    retires.append({"code": ch.code, "avenant": av.numero, "motif": ch.motif})
            elif ch.fiche is not None and ch.type == "fiche_retiree":
                fiches_retirees.append(
                    {
                        "numero": ch.fiche,
                        "identifiant": nommer(ch.fiche, noms),
                        "avenant": av.numero,
                        "date": av.date.isoformat(),
                        "motif": ch.motif,
                    }
                )
            elif ch.fiche is not None:
                marques_fiches.setdefault(ch.fiche, []).append(_marque_fiche(ch, av.numero))
    fiches = en_vigueur_le(ref.fiches_valides(), avenants, date)

    def fiche(f: Any) -> dict[str, Any]:
        return {
            "numero": f.numero,
            "identifiant": identifiant(f),
            "titre": f.titre,
            "porteurs": list(f.liste_porteurs),
            "cibles": [
                {"libelle": i.libelle, "cible": i.cible, "unite": i.unite}
                for i in f.indicateurs
                if i.cible is not None
            ],
            "marques": marques_fiches.get(f.numero, []),
        }

    def objet(code: str | None, enfants: list[dict[str, Any]], cle: str) -> dict[str, Any]:
        return {
            "code": code,
            "libelle": libelles[code] if code else None,
            "marques": marques_codes.get(code, []) if code else [],
            cle: enfants,
        }

    arbre = ref.arbre

    def sous(code: str, rang: int) -> list[tuple[str | None, str]]:
        """(code montré, code de l'arbre) des objectifs en vigueur sous ``code`` ; sous le
        niveau le plus bas de la structure, un objet sans code (le texte garde trois niveaux)."""
        if rang >= arbre.profondeur:
            return [(None, code)]
        return [(n.code, n.code) for n in arbre.enfants(code) if libelles.get(n.code) is not None]

    axes = []
    for axe in ref.axes.axes if ref.axes else []:
        if libelles.get(axe.code) is None or axe.code not in arbre.noeuds:
            continue
        strategiques = []
        for montre, code in sous(axe.code, 1):
            operationnels = [
                objet(m, [fiche(f) for f in fiches if f.objectif == c], "fiches")
                for m, c in sous(code, 2)
            ]
            strategiques.append(objet(montre, operationnels, "objectifs"))
        axes.append(objet(axe.code, strategiques, "objectifs"))
    contrat = ref.contrat
    return {
        "date": date.isoformat(),
        "titre": contrat.titre if contrat else "Contrat Local de Santé",
        "date_signature": (
            str(contrat.date_signature)
            if contrat and contrat.date_signature != NON_PRECISE
            else None
        ),
        "signature_non_precisee": bool(contrat and contrat.date_signature == NON_PRECISE),
        "avenants": [
            {"numero": a.numero, "date": a.date.isoformat(), "signe": a.signe, "motif": a.motif}
            for a in appliques
        ],
        "axes": axes,
        "nombre_fiches": len(fiches),
        "fiches_retirees": fiches_retirees,
        "objectifs_retires": retires,
    }
