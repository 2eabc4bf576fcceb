"""Mise en forme d'une :class:`~cls_cli.changements.Comparaison` : texte, Markdown, JSON.

Trois fonctions indépendantes sur les mêmes données, choisies par leur nom
(:data:`FORMATS`). Le texte et le Markdown disent chaque changement en français, avec les
mots du contrat ; le JSON garde les valeurs brutes (``changements`` vide : rien n'a changé).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.changements import AvancementAxe, Changement, Comparaison
from cls_cli.clotures import FICHIER_CLOTURES
from cls_cli.libelles_champs import LIBELLES_CHAMPS
from cls_cli.mots import Segment, diff_mots, est_texte_long
from cls_cli.rendu import nombre, pourcentage

FORMATS = ("text", "md", "json")


class Style:
    """Ce qui distingue le texte du Markdown : mise en relief et échappement."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown

    def echapper(self, texte: str) -> str:
        if not self.markdown:
            return texte
        texte = re.sub(r"([\\`*_{}\[\]<>|~#])", r"\\\1", texte)
        return texte.replace("\n", " ")

    def retire(self, texte: str) -> str:
        coeur = texte.strip()
        if not coeur:
            return ""
        return f"~~{self.echapper(coeur)}~~" if self.markdown else f"[-{coeur}-]"

    def ajoute(self, texte: str) -> str:
        coeur = texte.strip()
        if not coeur:
            return ""
        return f"**{self.echapper(coeur)}**" if self.markdown else f"{{+{coeur}+}}"


# --- Valeurs ---------------------------------------------------------------------------------


def valeur(v: Any, style: Style) -> str:
    """Une valeur lisible : nombres à la française, oui/non, listes séparées par des virgules."""
    if v is None:
        return "(vide)"
    if isinstance(v, bool | int | float):
        return nombre(v, "fr", 2)
    if isinstance(v, str):
        return f"« {style.echapper(v.strip())} »"
    if isinstance(v, list):
        return ", ".join(valeur(x, style) for x in v) if v else "(liste vide)"
    if isinstance(v, dict):  # une année reste « 2023 », pas « 2 023 »
        return ", ".join(
            f"{'année' if k == 'annee' else k} : "
            + (str(x) if k == "annee" and type(x) is int else valeur(x, style))
            for k, x in v.items()
            if x is not None
        )
    return style.echapper(str(v))


def mesure(m: dict[str, Any] | None, style: Style) -> str:
    if m is None:
        return "(aucune)"
    if m.get("manquante") is not None:
        texte = f"manquante ({style.echapper(str(m['manquante']))})"
    else:
        texte = valeur(m.get("valeur"), style)
    details = [f"{nom} : {valeur(m[cle], style)}" for cle, nom in _DETAILS if m.get(cle)]
    return texte + (f" ({' ; '.join(details)})" if details else "")


_DETAILS = (("date", "date"), ("source", "source"), ("commentaire", "commentaire"))


def point_suivi(s: dict[str, Any] | None, style: Style) -> str:
    if s is None:
        return "(aucun)"
    statut = s.get("statut")
    texte = LIBELLES_STATUT.get(str(statut), str(statut))
    if s.get("avancement") is not None:
        texte += f", {pourcentage(s['avancement'], 'fr')}"
    if s.get("commentaire"):
        texte += f" ({style.echapper(str(s['commentaire']).strip())})"
    return texte


def _mots(segments: Sequence[Segment], style: Style, contexte: int = 6) -> str:
    """Le texte modifié mot à mot, les longs passages inchangés abrégés en « … »."""
    morceaux = []
    for i, (operation, texte) in enumerate(segments):
        if operation == "-":
            morceaux.append(style.retire(texte))
        elif operation == "+":
            morceaux.append(style.ajoute(texte))
        else:
            mots = texte.split()
            premier, dernier = i == 0, i == len(segments) - 1
            if premier and len(mots) > contexte:
                mots = ["…", *mots[-contexte:]]
            elif dernier and len(mots) > contexte:
                mots = [*mots[:contexte], "…"]
            elif not premier and not dernier and len(mots) > 2 * contexte:
                mots = [*mots[:contexte], "…", *mots[-contexte:]]
            morceaux.append(style.echapper(" ".join(mots)))
    return " ".join(m for m in morceaux if m)


def _liste(avant: list[Any], apres: list[Any], style: Style) -> str:
    ajoutes = [x for x in apres if x not in avant]
    retires = [x for x in avant if x not in apres]
    parties = []
    if ajoutes:
        parties.append("ajouté " + ", ".join(valeur(x, style) for x in ajoutes))
    if retires:
        parties.append("retiré " + ", ".join(valeur(x, style) for x in retires))
    return " ; ".join(parties) or "ordre modifié"


def _champ(c: Changement, style: Style) -> str:
    nom = LIBELLES_CHAMPS.get(c.champ, c.champ)
    if c.indicateur is not None:
        nom = f"indicateur {_code(c.indicateur, style)}, {nom}"
    if isinstance(c.avant, list) and isinstance(c.apres, list):
        return f"{nom} : {_liste(c.avant, c.apres, style)}"
    if est_texte_long(c.avant, c.apres):
        return f"{nom}, mot à mot : {_mots(diff_mots(c.avant, c.apres), style)}"
    if c.champ.endswith("annee"):  # une année reste « 2023 », pas « 2 023 »
        avant, apres = (str(v) if type(v) is int else valeur(v, style) for v in (c.avant, c.apres))
        return f"{nom} : {avant} → {apres}"
    return f"{nom} : {valeur(c.avant, style)} → {valeur(c.apres, style)}"


def _code(code: str | None, style: Style) -> str:
    return f"`{code}`" if style.markdown else f"« {code} »"


_NIVEAUX = {1: "axe", 2: "objectif stratégique", 3: "objectif opérationnel"}


def phrase(c: Changement, style: Style) -> str:
    """Un changement dit en une phrase (sans la fiche, donnée par le titre de section)."""
    ind = _code(c.indicateur, style)
    g = c.genre
    if g == "fiche-ajoutee":
        return f"fiche ajoutée (objectif {style.echapper(str(c.apres['objectif']))})"
    if g == "fiche-supprimee":
        objectif = style.echapper(str(c.avant["objectif"]))
        return f"fiche supprimée (elle relevait de l'objectif {objectif})"
    if g == "champ":
        return _champ(c, style)
    if g == "indicateur-ajoute":
        return f"indicateur ajouté {ind} : {valeur(c.apres, style)}"
    if g == "indicateur-supprime":
        return f"indicateur supprimé {ind} : {valeur(c.avant, style)}"
    if g == "mesure-ajoutee":
        return f"mesure {c.annee} de {ind} ajoutée : {mesure(c.apres, style)}"
    if g == "mesure-modifiee":
        return f"mesure {c.annee} de {ind} : {mesure(c.avant, style)} → {mesure(c.apres, style)}"
    if g == "mesure-supprimee":
        return f"mesure {c.annee} de {ind} supprimée (elle valait {mesure(c.avant, style)})"
    if g == "suivi-ajoute":
        return f"suivi {c.annee} ajouté : {point_suivi(c.apres, style)}"
    if g == "suivi-modifie":
        return f"suivi {c.annee} : {point_suivi(c.avant, style)} → {point_suivi(c.apres, style)}"
    if g == "suivi-supprime":
        return f"suivi {c.annee} supprimé (il disait {point_suivi(c.avant, style)})"
    if g.startswith(("axe-", "objectif-")):
        quoi = f"{_NIVEAUX.get(c.champ.count('.') + 1, 'objectif')} {c.champ}"
        if g.endswith("ajoute"):
            return f"{quoi} ajouté : {valeur(c.apres, style)}"
        if g.endswith("supprime"):
            return f"{quoi} supprimé : {valeur(c.avant, style)}"
        return f"{quoi} renommé : {valeur(c.avant, style)} → {valeur(c.apres, style)}"
    if g == "contrat":
        return _champ(c, style)
    return f"{g} {c.champ} : {valeur(c.avant, style)} → {valeur(c.apres, style)}"


# --- Regroupement -------------------------------------------------------------------------------


def sections(comparaison: Comparaison) -> list[tuple[str, list[Changement]]]:
    """Les changements groupés : une section par fiche (par numéro), puis axes, puis contrat."""
    groupes: dict[Any, list[Changement]] = {}
    for c in comparaison.changements:
        cle: Any = (
            c.fiche if c.fiche is not None else ("contrat" if c.genre == "contrat" else "axes")
        )
        groupes.setdefault(cle, []).append(c)
    resultat = []
    for numero in sorted(k for k in groupes if isinstance(k, int)):
        titre = comparaison.titres.get(numero, "")
        resultat.append(
            (f"Fiche {numero} — {titre}" if titre else f"Fiche {numero}", groupes[numero])
        )
    if "axes" in groupes:
        resultat.append(("Axes et objectifs (axes.yaml)", groupes["axes"]))
    if "contrat" in groupes:
        resultat.append(("Contrat (contrat.yaml)", groupes["contrat"]))
    return resultat


def _compte(n: int) -> str:
    return f"{n} changement" + ("s" if n > 1 else "")


def _marque(comparaison: Comparaison, c: Changement, style: Style) -> str:
    """Le changement en une phrase, marqué s'il touche une année close."""
    if comparaison.cloture(c) is None:
        return phrase(c, style)
    return ("**année close** — " if style.markdown else "[année close] ") + phrase(c, style)


def _alertes_closes(comparaison: Comparaison, style: Style) -> list[str]:
    """Les phrases d'en-tête : les changements qui touchent une année close, et les versions
    dont on ne connaît pas les années closes."""
    alertes, touchees = [], comparaison.closes_touchees()
    if touchees:
        n = sum(nombre for _, nombre in touchees)
        details = " ; ".join(
            f"{c.annee}, clôturée le {c.date.isoformat()}, réf. {style.echapper(c.decision)}"
            for c, _ in touchees
        )
        annees = "une année close" if len(touchees) == 1 else "des années closes"
        alertes.append(f"{_compte(n)} {'touchent' if n > 1 else 'touche'} {annees} ({details}).")
    for version in comparaison.closes_inconnues:
        fichier = f"`{FICHIER_CLOTURES}`" if style.markdown else FICHIER_CLOTURES
        alertes.append(
            f"{fichier} est invalide dans {style.echapper(version)} : ses années closes sont "
            "inconnues, un changement à une année close peut ne pas être signalé "
            "(cls validate dit pourquoi)."
        )
    return alertes


_SANS_SUIVI = "Avancement par axe : aucun point de suivi dans les deux versions"


def _titre_avancement(comparaison: Comparaison) -> str:
    return f"Avancement par axe (dernier suivi : {comparaison.annee_avancement})"


def _avancement_texte(axes: Iterable[AvancementAxe]) -> str:
    parties = []
    for a in axes:
        if a.avant == a.apres:
            parties.append(f"axe {a.code} : {pourcentage(a.apres, 'fr')} (inchangé)")
        else:
            parties.append(
                f"axe {a.code} : {pourcentage(a.avant, 'fr')} → {pourcentage(a.apres, 'fr')}"
            )
    return " ; ".join(parties)


# --- Formats ---------------------------------------------------------------------------------


def en_texte(comparaison: Comparaison) -> str:
    style = Style(markdown=False)
    lignes = []
    entete = f"Données : {comparaison.de} → {comparaison.vers}"
    if not comparaison.changements:
        lignes.append(f"{entete} : aucun changement.")
    else:
        lignes.append(f"{entete} : {_compte(len(comparaison.changements))}.")
    lignes += [f"Attention : {alerte}" for alerte in _alertes_closes(comparaison, style)]
    for titre, changements in sections(comparaison):
        lignes += ["", titre]
        lignes += [f"  - {_marque(comparaison, c, style)}" for c in changements]
    for version, fichier in comparaison.illisibles:
        lignes += [
            "",
            f"Attention : {fichier} est absent ou illisible dans {version} : "
            "non comparé (cls validate dit pourquoi).",
        ]
    if comparaison.changements and comparaison.annee_avancement is None:
        lignes += ["", f"{_SANS_SUIVI}."]
    elif comparaison.avancement:
        titre = f"{_titre_avancement(comparaison)}, avant → après : "
        lignes += ["", titre + _avancement_texte(comparaison.avancement)]
    return "\n".join(lignes) + "\n"


def en_markdown(comparaison: Comparaison) -> str:
    style = Style(markdown=True)
    n = len(comparaison.changements)
    lignes = [
        f"### Changements des données : `{comparaison.de}` → `{comparaison.vers}`",
        "",
        f"{_compte(n)}." if n else "Aucun changement dans les données.",
    ]
    for alerte in _alertes_closes(comparaison, style):
        lignes += ["", f"> **Attention** : {alerte}"]
    for titre, changements in sections(comparaison):
        lignes += ["", f"#### {style.echapper(titre)}", ""]
        lignes += [f"- {_marque(comparaison, c, style)}" for c in changements]
    for version, fichier in comparaison.illisibles:
        lignes += [
            "",
            f"> **Attention** : `{fichier}` est absent ou illisible dans `{version}` : non "
            "comparé (`cls validate` dit pourquoi).",
        ]
    if comparaison.changements and comparaison.annee_avancement is None:
        lignes += ["", f"{_SANS_SUIVI}."]
    elif comparaison.avancement:
        lignes += [
            "",
            f"#### {_titre_avancement(comparaison)}",
            "",
            "| Axe | Avant | Après |",
            "| --- | ---: | ---: |",
        ]
        for a in comparaison.avancement:
            lignes.append(
                f"| {a.code}. {style.echapper(a.libelle)} | {pourcentage(a.avant, 'fr')} "
                f"| {pourcentage(a.apres, 'fr')} |"
            )
    return "\n".join(lignes) + "\n"


def changement_json(c: Changement, titres: Mapping[int, str]) -> dict[str, Any]:
    """Un changement en valeurs JSON (avec le texte mot à mot quand il est long)."""
    objet: dict[str, Any] = {
        "genre": c.genre,
        "fiche": c.fiche,
        "titre_fiche": titres.get(c.fiche) if c.fiche is not None else None,
        "champ": c.champ or None,
        "indicateur": c.indicateur,
        "annee": c.annee,
        "avant": c.avant,
        "apres": c.apres,
    }
    if est_texte_long(c.avant, c.apres):
        objet["mots"] = [list(s) for s in diff_mots(c.avant, c.apres)]
    return objet


def json_lisible(document: Any) -> str:
    """Un document JSON indenté, accents compris (commun à diff et history)."""
    return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"


def en_json(comparaison: Comparaison) -> str:
    document = {
        "de": comparaison.de,
        "vers": comparaison.vers,
        "changements": [
            {**changement_json(c, comparaison.titres), "annee_close": bool(comparaison.cloture(c))}
            for c in comparaison.changements
        ],
        "annees_closes": [c.model_dump(mode="json") for _, c in sorted(comparaison.closes.items())],
        "annees_closes_inconnues": list(comparaison.closes_inconnues),
        "avancement_par_axe": {
            "annee": comparaison.annee_avancement,
            "axes": [
                {"code": a.code, "libelle": a.libelle, "avant": a.avant, "apres": a.apres}
                for a in comparaison.avancement
            ],
        },
        "illisibles": [{"version": v, "fichier": f} for v, f in comparaison.illisibles],
    }
    return json_lisible(document)


FORMATEURS: dict[str, Callable[[Comparaison], str]] = {
    "text": en_texte,
    "md": en_markdown,
    "json": en_json,
}
