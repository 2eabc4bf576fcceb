"""La mise en forme des avenants : phrases françaises (``cls amend``) et contrat consolidé
(``cls contract``, gabarits ``templates/contrat.md.j2`` et ``contrat.html.j2``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cls_cli.avenants import Avenant, Changement
from cls_cli.erreurs import ErreurUsage
from cls_cli.identifiants import identifiant
from cls_cli.modeles import Fiche

FORMATS_CONTRAT = ("md", "html")


def _valeur(v: Any) -> str:
    if isinstance(v, bool):
        return "oui" if v else "non"
    if isinstance(v, str):
        return f"« {v} »"
    return str(v)


def phrase(ch: Changement, fiches: dict[int, Fiche]) -> str:
    """Un changement d'avenant dit en une phrase (le titre de la fiche quand on le connaît)."""
    nom = ""
    if ch.fiche is not None:
        f = fiches.get(ch.fiche)
        nom = f"la fiche {identifiant(f) if f else ch.fiche}" + (f" « {f.titre} »" if f else "")
    genre = "l'axe" if ch.type.startswith("axe_") else "l'objectif"
    if ch.type == "fiche_ajoutee":
        return f"Ajoute {nom}."
    if ch.type == "fiche_retiree":
        return f"Retire {nom} (motif : {ch.motif})."
    if ch.type == "fiche_modifiee":
        if ch.quoi == "cible":
            return (
                f"Change la cible de l'indicateur « {ch.indicateur} » de {nom} : "
                f"{_valeur(ch.avant)} devient {_valeur(ch.apres)}."
            )
        detail = ""
        if ch.avant is not None or ch.apres is not None:
            detail = f" : {_valeur(ch.avant)} devient {_valeur(ch.apres)}"
        return f"Modifie {nom} ({ch.quoi}){detail}."
    if ch.type.endswith("_ajoute") and ch.code is not None:
        return f"Ajoute {genre} {ch.code} « {ch.libelle} »."
    if ch.type.endswith("_reformule"):
        return f"Reformule {genre} {ch.code} : {_valeur(ch.avant)} devient {_valeur(ch.apres)}."
    if ch.type.endswith("_retire"):
        return f"Retire {genre} {ch.code}" + (f" (motif : {ch.motif})." if ch.motif else ".")
    if ch.type == "porteur_ajoute":
        return f"Ajoute le porteur « {ch.porteur} »" + (f" à {nom}." if nom else ".")
    qui = f"Ajoute le signataire « {ch.organisme} »"
    if ch.representant:
        qui += f", représenté par {ch.representant}" + (f" ({ch.qualite})" if ch.qualite else "")
    return qui + "."


def en_tete(av: Avenant) -> str:
    """« Avenant n° 2 du 2023-06-01 (signé) : motif »."""
    etat = "signé" if av.signe else "décidé, pas encore signé"
    return f"Avenant n° {av.numero} du {av.date.isoformat()} ({etat}) : {av.motif}"


def fiche_avenant(av: Avenant, fiches: dict[int, Fiche]) -> list[str]:
    """Ce que montre ``cls amend show`` : l'en-tête, la décision, une phrase par changement."""
    lignes = [en_tete(av), f"Décision : {av.decision}"]
    if av.instance:
        lignes.append(f"Réunion : instances/{av.instance}.yaml")
    if not av.changements:
        lignes.append("Aucun changement n'est encore inscrit.")
    lignes += [f"- {phrase(ch, fiches)}" for ch in av.changements]
    return lignes


def lignes_de_la_fiche(numero: int, avenants: Sequence[Avenant]) -> list[str]:
    """Pour ``cls show`` : ce que les avenants ont fait de la fiche, une phrase chacun
    (« Avenant n° 2 du 2023-06-15 : retire la fiche 40 (motif : …). »)."""
    from cls_cli.en_vigueur import changements_de_la_fiche

    lignes = []
    for av, ch in changements_de_la_fiche(numero, avenants):
        texte = phrase(ch, {})
        lignes.append(
            f"Avenant n° {av.numero} du {av.date.isoformat()} : {texte[:1].lower()}{texte[1:]}"
        )
    return lignes


def marque_retrait(numero: int, avenants: Sequence[Avenant]) -> str:
    """Pour ``cls list`` : « retirée (avenant n° 2) » si un avenant retire la fiche, sinon ""."""
    from cls_cli.en_vigueur import bornes

    retrait = bornes(avenants).get(numero)
    if retrait is None or retrait.retrait is None:
        return ""
    return f"retirée (avenant n° {retrait.retrait.numero})"


def phrase_hors_vigueur(hors: Sequence[Fiche], avenants: Sequence[Avenant], annee: int) -> str:
    """Pour ``cls list --year`` : les fiches laissées de côté parce que hors vigueur, et
    l'avenant qui les ajoute (après ``annee``) ou les retire (avant)."""
    from cls_cli.en_vigueur import Bornes, bornes

    b = bornes(avenants)
    raisons = []
    for f in hors:
        bf = b.get(f.numero, Bornes())
        if bf.retrait is not None and bf.retrait.date.year < annee:
            quoi, av = "retirée", bf.retrait
        elif bf.ajout is not None:
            quoi, av = "ajoutée", bf.ajout
        else:  # pas de cas connu : ne rien deviner
            raisons.append(identifiant(f))
            continue
        raisons.append(
            f"{identifiant(f)} ({quoi} par l'avenant n° {av.numero} du {av.date.isoformat()})"
        )
    n = len(hors)
    s = "s" if n > 1 else ""
    return f"{n} fiche{s} hors vigueur en {annee}, non listée{s} : {', '.join(raisons)}."


def rendre_contrat(contenu: dict[str, Any], format_: str) -> str:
    """Le contrat consolidé (voir :func:`cls_cli.contrat_consolide.contrat_le`) en Markdown
    ou en HTML."""
    from cls_cli.rendu import environnement

    if format_ not in FORMATS_CONTRAT:
        raise ErreurUsage(
            f"format inconnu « {format_} » : choisissez parmi {', '.join(FORMATS_CONTRAT)}"
        )
    env = environnement(format_, "fr")
    return env.get_template(f"contrat.{format_}.j2").render(c=contenu)


def annexe_diff(avenants: list[Avenant], fiches: dict[int, Fiche], markdown: bool) -> str:
    """Pour ``cls diff`` : les avenants nouveaux ou modifiés entre les deux versions, chacun
    avec ce qu'il change (rien s'il n'y en a pas)."""
    if not avenants:
        return ""
    titre = "## Avenants de cette version" if markdown else "Avenants de cette version :"
    lignes = ["", titre, ""] if markdown else ["", titre]
    for av in avenants:
        lignes.append(("- **" if markdown else "  ") + en_tete(av) + ("**" if markdown else ""))
        retrait = "  - " if markdown else "    - "
        lignes += [retrait + phrase(ch, fiches) for ch in av.changements]
    return "\n".join(lignes) + "\n"
