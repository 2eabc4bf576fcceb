"""Rendu des rapports : gabarits Jinja de ``templates/``, nombres et dates à la française.

- les gabarits et le catalogue de messages sont des données du paquet, trouvés par
  l'importeur (``importlib.resources``, et ``PackageLoader`` de Jinja) et jamais par un
  chemin du dépôt : ``templates/`` est à la racine du dépôt, et ``cls_cli/gabarits`` est un
  lien symbolique vers lui, que la construction du paquet remplace par une copie
  (l'installation éditable et le paquet installé lisent donc le même dossier
  ``cls_cli/gabarits``) ;

- un environnement Jinja par format : ``StrictUndefined`` (une variable oubliée est une
  erreur, pas un blanc), échappement automatique en HTML, ``_("…")`` pour traduire ;
- les textes des gabarits sont écrits en français et traduits par un seul catalogue
  gettext (``cls_cli/locale/LANGUE/LC_MESSAGES/cls.po``, lu avec Babel) ;
- les nombres, montants et dates sont mis en forme par Babel selon la langue
  (12,5 %, 1 500 €, 17 février 2020) ;
- la date du rapport est une donnée d'entrée : aucun gabarit ne lit l'horloge.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, cast

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.formats_rapport import format_sortie, langue_rapport

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup
    from pydantic import BaseModel

    from cls_cli.modele_rapport import Indicateur, Rapport

# Jinja et Babel sont importés à l'usage : seules les commandes qui rendent en ont besoin.

#: Le dossier des gabarits dans le paquet (lien vers ``templates/`` dans le dépôt).
GABARITS = "gabarits"
#: Les catalogues de messages dans le paquet : ``locale/LANGUE/LC_MESSAGES/cls.po``.
LOCALES = "locale"


@cache
def traductions(langue: str) -> gettext.NullTranslations:
    """Le catalogue de ``langue`` (le français est la langue des gabarits : aucun catalogue)."""
    if langue == "fr":
        return gettext.NullTranslations()
    from importlib.resources import files

    chemin = files("cls_cli").joinpath(LOCALES, langue, "LC_MESSAGES", "cls.po")
    with chemin.open("rb") as po:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        catalogue = read_po(po, locale=langue)
    tampon = io.BytesIO()
    write_mo(tampon, catalogue)
    tampon.seek(0)
    return gettext.GNUTranslations(tampon)


def nombre(valeur: Any, langue: str, decimales: int = 1, fixe: bool = False) -> str:
    """Un nombre à la française (1 500 ; 12,5) ou à l'anglaise (1,500 ; 12.5)."""
    if valeur is None:
        return "—"
    if isinstance(valeur, bool):
        return traductions(langue).gettext("oui" if valeur else "non")
    if not isinstance(valeur, int | float):
        return str(valeur)
    return _nombre_babel(valeur, langue, decimales, fixe)


@lru_cache(maxsize=65_536, typed=True)
def _nombre_babel(valeur: float, langue: str, decimales: int, fixe: bool = False) -> str:
    """Babel met en forme ; un rapport de milliers de fiches redemande souvent les mêmes
    nombres (le cache le rend plusieurs fois plus rapide, sans rien changer au texte)."""
    from babel.numbers import format_decimal

    motif = "#,##0" + ("." + ("0" if fixe else "#") * decimales if decimales else "")
    return str(format_decimal(valeur, motif, locale=langue))


def pourcentage(valeur: float | None, langue: str) -> str:
    """12,5 % et 96,0 % : toujours une décimale (espace insécable en français) ; « — » sinon."""
    if valeur is None:
        return "—"
    texte = nombre(round(valeur, 1), langue, fixe=True)
    return f"{texte}\u00a0%" if langue == "fr" else f"{texte}%"


def euros(valeur: float | None, langue: str) -> str:
    if valeur is None:
        return "—"
    return (
        f"{nombre(valeur, langue, 0)}\u00a0€" if langue == "fr" else f"€{nombre(valeur, langue, 0)}"
    )


def date_longue(valeur: str | dt.date, langue: str) -> str:
    jour = dt.date.fromisoformat(valeur) if isinstance(valeur, str) else valeur
    from babel.dates import format_date

    return str(format_date(jour, "d MMMM y", locale=langue))


_MD_SPECIAUX = re.compile(r"([\\`*_\[\]|~])")
_MD_A_TRAITER = re.compile(r"[\\`*_\[\]|~&<>\r\n]")


def css(texte: Any) -> Markup:
    """Un texte des données en chaîne CSS (``content: "…"`` d'une marge de page) : les
    guillemets, barres obliques inverses, chevrons et sauts de ligne en échappements CSS,
    de sorte qu'aucun texte ne ferme la chaîne ni la balise ``<style>``."""
    from markupsafe import Markup

    sortie = []
    for car in str(texte):
        if car in "\"\\<>&'" or ord(car) < 0x20:
            sortie.append(f"\\{ord(car):X} ")
        else:
            sortie.append(car)
    return Markup("".join(sortie))


def md(texte: Any) -> str:
    """Un texte des données rendu inerte en Markdown : ni balise, ni lien, ni rupture de tableau.

    Les caractères spéciaux sont échappés, ``<``/``>``/``&`` deviennent des entités et les
    sauts de ligne des espaces (une cellule de tableau tient sur une ligne).
    """
    chaine = str(texte)
    if _MD_A_TRAITER.search(chaine) is None:  # le cas courant : un nombre, un nom
        return chaine.strip()
    chaine = chaine.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    chaine = _MD_SPECIAUX.sub(r"\\\1", chaine)
    return re.sub(r"\s*[\r\n]+\s*", " ", chaine).strip()


def abreviateur(lexique: dict[str, str]) -> Callable[[Any], Markup]:
    """Le filtre ``abbr`` d'un rapport HTML : le texte échappé, chaque sigle du lexique
    dans ``<abbr title="…">``.

    L'expression des sigles (les plus longs d'abord) est compilée une fois par rapport,
    et le résultat gardé pour les textes qui reviennent (porteurs, libellés : un rapport
    de 5 000 fiches passe 50 000 textes dans ce filtre).
    """
    from markupsafe import Markup, escape

    if not lexique:
        return lambda texte: Markup(escape(str(texte)))
    motif = re.compile(
        r"\b(" + "|".join(re.escape(s) for s in sorted(lexique, key=len, reverse=True)) + r")\b"
    )

    def remplacer(m: re.Match[str]) -> str:
        return f'<abbr title="{escape(lexique[m.group(1)])}">{m.group(1)}</abbr>'

    @lru_cache(maxsize=4096)
    def abreviations(texte: str) -> Markup:
        return Markup(motif.sub(remplacer, str(escape(texte))))

    return lambda texte: abreviations(str(texte))


def valeur_indicateur(v: Any, ind: Indicateur | dict[str, Any], langue: str) -> str:
    """Une valeur d'indicateur lisible : taux en %, oui/non, nombre et unité, ou texte.

    (Un filtre Python plutôt qu'une macro Jinja : un rapport de milliers de fiches en
    affiche des centaines de milliers.)
    """
    if v is None:
        return "—"
    # Un indicateur du modèle du rapport, ou un dictionnaire (évaluation, bulletin).
    type_, unite = (ind["type"], ind["unite"]) if isinstance(ind, dict) else (ind.type, ind.unite)
    if type_ == "taux":
        return pourcentage(v, langue)
    if v is True or v is False:
        return traductions(langue).gettext("oui" if v else "non")
    if isinstance(v, int | float):
        return nombre(v, langue) + (f" {unite}" if unite and unite != "%" else "")
    return str(v)


def mesure_annee(ind: Indicateur, annee: int, langue: str) -> str:
    """La mesure d'une année dans un tableau : valeur, « manquante — raison » ou « · »
    (sans parenthèses : la raison saisie peut en contenir)."""
    trouvee = None
    for m in ind.mesures:
        if m.annee == annee:
            trouvee = m
    if trouvee is None:
        return "·"
    if trouvee.manquante:
        return f"{traductions(langue).gettext('manquante')} — {trouvee.manquante}"
    return valeur_indicateur(trouvee.valeur, ind, langue)


def traducteur(langue: str, echapper: bool) -> Callable[..., str]:
    """La fonction ``_`` des gabarits : ``_("Valeur %(annee)s", annee=2023)``.

    Même sens que le gettext « newstyle » de l'extension i18n de Jinja (le texte traduit
    est toujours un format ``%`` ; en HTML il est sûr et les valeurs insérées sont
    échappées), mais appelée directement : l'extension passe deux fois par le contexte
    Jinja à chaque appel, et un rapport de 5 000 fiches en fait près de 80 000.
    """
    from markupsafe import Markup

    catalogue = traductions(langue)

    def _(texte: str, **variables: Any) -> str:
        traduit = catalogue.gettext(texte)
        return (Markup(traduit) if echapper else traduit) % variables

    return _


def graphique(env: Environment) -> Callable[[Indicateur], Markup]:
    """Le petit graphique d'un indicateur (:mod:`cls_cli.graphiques`), dans la langue et
    avec les filtres de ``env``."""
    from cls_cli.graphiques import graphique_indicateur

    valeur, traduire = env.filters["valeur"], cast(Callable[..., str], env.globals["_"])
    return lambda ind: graphique_indicateur(ind, valeur, traduire)


def environnement(format_: str, langue: str) -> Environment:
    """L'environnement Jinja d'un format (``md`` ou ``html``) et d'une langue."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("cls_cli", GABARITS),
        undefined=StrictUndefined,
        autoescape=format_ == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["_"] = traducteur(langue, echapper=format_ == "html")
    env.filters.update(
        nombre=lambda v, d=1, fixe=False: nombre(v, langue, d, fixe),
        pct=lambda v: pourcentage(v, langue),
        euros=lambda v: euros(v, langue),
        date_longue=lambda v: date_longue(v, langue),
        valeur=lambda v, ind: valeur_indicateur(v, ind, langue),
        mesure=lambda ind, annee: mesure_annee(ind, annee, langue),
        md=md,
        css=css,
        fiche=str,  # le numéro d'une fiche -> son identifiant (voir morceaux)
    )
    env.globals.update(langue=langue, libelles_statut=LIBELLES_STATUT)
    return env


#: Les nombres que pydantic écrit autrement que ``json`` (``repr`` de Python) : entre 1e-10
#: et 1e-4, « 0.00001 » ou « 1e-6 » au lieu de « 1e-05 » ou « 1e-06 ». (Une chaîne qui en
#: contient ne fait que ralentir : ce morceau est alors écrit par ``json``. Un nombre comme
#: 110.00000000000001 ne compte pas : ses zéros ne sont pas en tête.)
_FLOTTANTS_A_REPR = re.compile(rb"0\.0000|\de-\d(?!\d)")
_CHIFFRES = {bytes([c]) for c in b"0123456789."}
#: La liste des actions dans le JSON du rapport sans ses actions (clé du premier niveau).
_ACTIONS_VIDE = b'\n  "actions": []'


def _ecrit_autrement(trouve: re.Match[bytes], octets: bytes) -> bool:
    """``0.0000`` en tête d'un nombre, ou un exposant négatif d'un seul chiffre."""
    debut = trouve.start()
    return not trouve.group().startswith(b"0.") or octets[debut - 1 : debut] not in _CHIFFRES


def _json(modele: BaseModel, retrait: bytes = b"") -> bytes:
    """``modele`` en JSON indenté de 2, chaque ligne après la première décalée de
    ``retrait`` (sa place dans le document) : par pydantic, ou par ``json`` si un nombre
    très petit s'écrirait autrement (voir :data:`_FLOTTANTS_A_REPR`)."""
    octets = modele.__pydantic_serializer__.to_json(modele, indent=2)
    if any(_ecrit_autrement(m, octets) for m in _FLOTTANTS_A_REPR.finditer(octets)):
        valeurs = modele.model_dump(mode="json")
        texte = json.dumps(valeurs, ensure_ascii=False, indent=2, allow_nan=False)
        octets = texte.encode("utf-8")
    return octets.replace(b"\n", b"\n" + retrait) if retrait else octets


def json_rapport(rapport: Rapport) -> Iterator[bytes]:
    """Le rapport en JSON UTF-8 (indenté de 2, non-ASCII tel quel), par morceaux : le texte
    de ``json.dumps(rapport.model_dump(mode="json"), ensure_ascii=False, indent=2)``.

    Sérialisé par pydantic (en Rust : plusieurs fois plus vite que ``json`` indenté, qui n'a
    pas d'encodeur C pour ``indent``), action par action : le rapport de 5 000 fiches
    n'existe jamais en entier en mémoire (100 Mo de tampons en un seul morceau)."""
    tete = _json(rapport.model_copy(update={"actions": []}))
    place = tete.index(_ACTIONS_VIDE)  # unique : les clés plus profondes sont plus en retrait
    yield tete[:place]
    if rapport.actions:
        yield b'\n  "actions": ['
        for i, action in enumerate(rapport.actions):
            yield (b",\n    " if i else b"\n    ") + _json(action, b"    ")
        yield b"\n  ]"
    else:
        yield _ACTIONS_VIDE
    yield tete[place + len(_ACTIONS_VIDE) :]
    yield b"\n"


def rendre(rapport: Rapport, format_: str, langue: str = "fr") -> str:
    """Le rapport dans ``format_`` (``md``, ``html`` ou ``json``) et ``langue`` (``fr``, ``en``)."""
    return "".join(morceaux(rapport, format_, langue))


def morceaux(rapport: Rapport, format_: str, langue: str = "fr") -> Iterator[str]:
    """Le texte de :func:`rendre`, morceau par morceau, pour l'écrire au fil de l'eau.

    Le JSON est le modèle sérialisé (voir :func:`json_rapport`)."""
    format_ = format_sortie(format_, None)
    langue = langue_rapport(langue)
    if format_ == "json":
        return (morceau.decode("utf-8") for morceau in json_rapport(rapport))
    env = environnement(format_, langue)
    if format_ == "html":
        env.filters["abbr"] = abreviateur(rapport.lexique)
        env.globals["graphique_indicateur"] = graphique(env)
    actions = {a.numero: a for a in rapport.actions}
    noms = {a.numero: a.identifiant for a in rapport.actions if a.identifiant is not None}
    inerte = md if format_ == "md" else str  # le HTML est échappé par Jinja
    env.filters["fiche"] = lambda numero: inerte(noms.get(numero, str(numero)))
    return env.get_template(f"rapport.{format_}.j2").generate(r=rapport, actions=actions)
