"""Mise en forme de l'historique d'une fiche (``cls history``) : texte, Markdown, JSON,
avec les phrases de :mod:`cls_cli.formats_changements`."""

from __future__ import annotations

from collections.abc import Callable

from cls_cli.formats_changements import Style, changement_json, json_lisible, phrase
from cls_cli.historique import Etape, Historique


def _qui_quand(etape: Etape) -> str:
    c = etape.commit
    if c is None:
        return "modifications non enregistrées (arbre de travail)"
    return f"{c.date} · {c.auteur} · {c.sha[:10]} · {c.sujet}"


def _titre_historique(h: Historique) -> str:
    n = len(h.etapes)
    quoi = f"{n} modification{'s' if n > 1 else ''}" if n else "aucune modification"
    return f"Fiche {h.identifiant or h.numero} — {h.titre} : {quoi}"


def historique_texte(h: Historique) -> str:
    style = Style(markdown=False)
    lignes = [_titre_historique(h)]
    for etape in h.etapes:
        lignes += ["", _qui_quand(etape)]
        lignes += [f"  - {phrase(c, style)}" for c in etape.changements]
    return "\n".join(lignes) + "\n"


def historique_markdown(h: Historique) -> str:
    style = Style(markdown=True)
    lignes = [f"### {style.echapper(_titre_historique(h))}"]
    for etape in h.etapes:
        lignes += ["", f"#### {style.echapper(_qui_quand(etape))}", ""]
        lignes += [f"- {phrase(c, style)}" for c in etape.changements]
    return "\n".join(lignes) + "\n"


def historique_json(h: Historique) -> str:
    titres = {h.numero: h.titre}
    return json_lisible(
        {
            "fiche": h.numero,
            "titre": h.titre,
            "etapes": [
                {
                    "commit": e.commit.sha if e.commit else None,
                    "auteur": e.commit.auteur if e.commit else None,
                    "date": e.commit.date if e.commit else None,
                    "sujet": e.commit.sujet if e.commit else None,
                    "changements": [changement_json(c, titres) for c in e.changements],
                }
                for e in h.etapes
            ],
        }
    )


FORMATEURS_HISTORIQUE: dict[str, Callable[[Historique], str]] = {
    "text": historique_texte,
    "md": historique_markdown,
    "json": historique_json,
}
