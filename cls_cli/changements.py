"""Ce qui a changé dans les données entre deux versions : une liste de changements.

Le cœur de ``cls diff`` et ``cls history``. Fonctions pures : elles comparent le contenu
(les valeurs lues, pas le texte des fichiers), de sorte qu'un fichier reformaté ou dont
les commentaires ont bougé ne change rien. La mise en forme (texte, Markdown, JSON) est
faite par :mod:`cls_cli.formats_changements`.

Une fiche est reconnue par son numéro (un fichier renommé n'est pas un changement) ; un
indicateur par son code dans la fiche ; une mesure et un point de suivi par leur année ;
un axe ou un objectif par son code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cls_cli.calculs import avancement_moyen, etat_action
from cls_cli.chargement import FICHIER_AXES, FicheChargee, Referentiel, emplacement
from cls_cli.clotures import Cloture
from cls_cli.modeles import Fiche
from cls_cli.mots import diff_mots as diff_mots
from cls_cli.structure import codes_axes, libelles_axes, tri_naturel

#: Les genres de changement, dans l'ordre où on les présente.
GENRES = (
    "fiche-ajoutee",
    "fiche-supprimee",
    "champ",
    "indicateur-ajoute",
    "indicateur-supprime",
    "mesure-ajoutee",
    "mesure-modifiee",
    "mesure-supprimee",
    "suivi-ajoute",
    "suivi-modifie",
    "suivi-supprime",
    "axe-ajoute",
    "axe-supprime",
    "axe-renomme",
    "objectif-ajoute",
    "objectif-supprime",
    "objectif-renomme",
    "contrat",
)


@dataclass(frozen=True)
class Changement:
    """Un changement : son genre, où il est et les valeurs avant et après (None : absente).

    ``fiche`` est le numéro de la fiche (None pour axes.yaml et contrat.yaml) ; ``champ``
    le chemin de la valeur (``titre``, ``calendrier.texte``, ``cible``…) ou le code de
    l'axe ou de l'objectif ; ``indicateur`` et ``annee`` situent une mesure ou un suivi ;
    ``annees`` : celles des mesures et du suivi d'une fiche ajoutée ou supprimée.
    """

    genre: str  # un des GENRES
    fiche: int | None = None
    champ: str = ""
    avant: Any = None
    apres: Any = None
    indicateur: str | None = None
    annee: int | None = None
    annees: tuple[int, ...] = ()


@dataclass(frozen=True)
class AvancementAxe:
    """L'avancement moyen d'un axe (en %, None sans chiffre) avant et après."""

    code: str
    libelle: str
    avant: float | None
    apres: float | None


@dataclass(frozen=True)
class Comparaison:
    """Le résultat d'une comparaison : les changements et l'avancement par axe."""

    de: str
    vers: str
    changements: tuple[Changement, ...]
    titres: Mapping[int, str] = field(default_factory=dict)
    avancement: tuple[AvancementAxe, ...] = ()
    annee_avancement: int | None = None
    #: Les fichiers qu'on n'a pas pu lire dans une version : (version, fichier), non comparés.
    illisibles: tuple[tuple[str, str], ...] = ()
    #: Les années closes dans l'une ou l'autre version (la clôture d'arrivée l'emporte).
    closes: Mapping[int, Cloture] = field(default_factory=dict)
    #: Les versions dont clotures.yaml est invalide : leurs années closes sont inconnues.
    closes_inconnues: tuple[str, ...] = ()

    def cloture(self, c: Changement) -> Cloture | None:
        """La clôture de l'année que change ``c`` (une mesure, un suivi, ou une fiche
        ajoutée ou supprimée avec ses chiffres : sa première année close), None sinon."""
        if c.genre.startswith(("mesure-", "suivi-")) and c.annee is not None:
            return self.closes.get(c.annee)
        return next((self.closes[a] for a in c.annees if a in self.closes), None)

    def closes_touchees(self) -> list[tuple[Cloture, int]]:
        """Chaque année close que touchent des changements, et leur nombre."""
        annees = [cl.annee for c in self.changements if (cl := self.cloture(c)) is not None]
        return [(self.closes[a], annees.count(a)) for a in sorted(set(annees))]


# --- Valeurs ----------------------------------------------------------------------------


def valeurs_fiche(fc: FicheChargee) -> dict[str, Any] | None:
    """Le contenu d'une fiche en valeurs simples : celui du modèle si la fiche est valide
    (valeurs par défaut comprises), sinon celui du fichier tel quel."""
    if fc.fiche is not None:
        return fc.fiche.model_dump(mode="json")
    contenu = fc.valeurs
    return contenu if isinstance(contenu, dict) else None


def numero_de(contenu: Mapping[str, Any]) -> int | None:
    numero = contenu.get("numero")
    return numero if isinstance(numero, int) and not isinstance(numero, bool) else None


def fiches_par_numero(ref: Referentiel) -> tuple[dict[int, FicheChargee], dict[int, str]]:
    """Chaque fiche lisible d'un référentiel, par numéro ; et les fichiers illisibles
    (syntaxe YAML invalide…), par le numéro que donne leur nom."""
    lisibles: dict[int, FicheChargee] = {}
    illisibles: dict[int, str] = {}
    for fc in ref.fiches:
        if fc.fiche is not None:
            numero: int | None = fc.fiche.numero
        else:
            contenu = fc.valeurs
            numero = numero_de(contenu) if isinstance(contenu, dict) else None
        if numero is not None:
            lisibles.setdefault(numero, fc)
        else:
            prefixe = re.match(r"^(\d+)-", fc.chemin.name)
            if prefixe:
                illisibles[int(prefixe.group(1))] = emplacement(fc.chemin, ref.racine)
    return lisibles, illisibles


def _titre(fc: FicheChargee) -> str:
    if fc.fiche is not None:
        return fc.fiche.titre
    return str(fc.valeurs.get("titre", "")) if isinstance(fc.valeurs, dict) else ""


def _par_cle(elements: Any, cle: str) -> dict[Any, dict[str, Any]]:
    """Les éléments d'une liste de blocs, indexés par la valeur de ``cle`` (le premier gagne)."""
    resultat: dict[Any, dict[str, Any]] = {}
    for element in elements if isinstance(elements, list) else []:
        if isinstance(element, dict) and cle in element:
            resultat.setdefault(_hachable(element[cle]), element)
    return resultat


def _liste(blocs: Any) -> list[dict[str, Any]]:
    """Les blocs d'une liste de blocs (rien si ce n'en est pas une)."""
    return [b for b in blocs if isinstance(b, dict)] if isinstance(blocs, list) else []


def _hachable(valeur: Any) -> Any:
    return valeur if isinstance(valeur, str | int | float | bool | type(None)) else repr(valeur)


def _sans(bloc: Mapping[str, Any], *cles: str) -> dict[str, Any]:
    return {k: v for k, v in bloc.items() if k not in cles}


def _ordre(avant: Mapping[Any, Any], apres: Mapping[Any, Any]) -> list[Any]:
    """Les clés des deux côtés : celles d'après dans leur ordre, puis celles disparues."""
    return [*apres, *(k for k in avant if k not in apres)]


def valeurs_differentes(avant: Any, apres: Any, chemin: str = "") -> Iterable[tuple[str, Any, Any]]:
    """Chaque valeur qui diffère entre deux contenus : (chemin pointé, avant, après).

    Les blocs de clés sont parcourus ; une liste est comparée en entier.
    """
    if isinstance(avant, dict) and isinstance(apres, dict):
        for cle in _ordre(avant, apres):
            sous = f"{chemin}.{cle}" if chemin else str(cle)
            yield from valeurs_differentes(avant.get(cle), apres.get(cle), sous)
    elif avant != apres or type(avant) is not type(apres):
        yield chemin, avant, apres


# --- Fiches ------------------------------------------------------------------------------


def comparer_fiche(
    numero: int, avant: Mapping[str, Any] | None, apres: Mapping[str, Any] | None
) -> list[Changement]:
    """Les changements d'une fiche (``None`` d'un côté : fiche ajoutée ou supprimée)."""
    if avant is None and apres is None:
        return []
    if avant is None or apres is None:
        present = apres if apres is not None else avant
        assert present is not None
        resume = {"titre": present.get("titre"), "objectif": present.get("objectif")}
        blocs = [*_liste(present.get("suivi"))]
        blocs += [m for i in _liste(present.get("indicateurs")) for m in _liste(i.get("mesures"))]
        annees = tuple(sorted({b["annee"] for b in blocs if isinstance(b.get("annee"), int)}))
        if avant is None:
            return [Changement("fiche-ajoutee", numero, apres=resume, annees=annees)]
        return [Changement("fiche-supprimee", numero, avant=resume, annees=annees)]
    changements = [
        Changement("champ", numero, chemin, a, b)
        for chemin, a, b in valeurs_differentes(
            _sans(avant, "indicateurs", "suivi"), _sans(apres, "indicateurs", "suivi")
        )
    ]
    changements += _indicateurs(numero, avant.get("indicateurs"), apres.get("indicateurs"))
    changements += _par_annee(numero, None, avant.get("suivi"), apres.get("suivi"), _SUIVI)
    return changements


def _indicateurs(numero: int, avant: Any, apres: Any) -> list[Changement]:
    anciens, nouveaux = _par_cle(avant, "code"), _par_cle(apres, "code")
    changements: list[Changement] = []
    for code in _ordre(anciens, nouveaux):
        a, b = anciens.get(code), nouveaux.get(code)
        if a is None and b is not None:
            changements.append(
                Changement("indicateur-ajoute", numero, apres=b.get("libelle"), indicateur=code)
            )
        elif b is None and a is not None:
            changements.append(
                Changement("indicateur-supprime", numero, avant=a.get("libelle"), indicateur=code)
            )
        else:
            assert a is not None and b is not None
            changements += [
                Changement("champ", numero, chemin, x, y, indicateur=code)
                for chemin, x, y in valeurs_differentes(
                    _sans(a, "code", "mesures"), _sans(b, "code", "mesures")
                )
            ]
        mesures = (a or {}).get("mesures"), (b or {}).get("mesures")
        changements += _par_annee(numero, code, *mesures, _MESURES)
    return changements


_MESURES = ("mesure-ajoutee", "mesure-modifiee", "mesure-supprimee")
_SUIVI = ("suivi-ajoute", "suivi-modifie", "suivi-supprime")


def _par_annee(
    numero: int, indicateur: str | None, avant: Any, apres: Any, genres: tuple[str, str, str]
) -> list[Changement]:
    """Les mesures ou points de suivi ajoutés, modifiés ou supprimés, par année (``genres`` :
    les trois genres de changement, dans cet ordre)."""
    anciens, nouveaux = _par_cle(avant, "annee"), _par_cle(apres, "annee")
    ajoute, modifie, supprime = genres
    changements = []
    for annee in sorted(set(anciens) | set(nouveaux), key=str):
        a, b = anciens.get(annee), nouveaux.get(annee)
        a_ = _sans(a, "annee") if a is not None else None
        b_ = _sans(b, "annee") if b is not None else None
        if a_ == b_:
            continue
        genre = ajoute if a_ is None else supprime if b_ is None else modifie
        annee_ = annee if isinstance(annee, int) else None
        changements.append(Changement(genre, numero, "", a_, b_, indicateur, annee_))
    return changements


# --- Axes, objectifs et contrat ------------------------------------------------------------


def _valeurs_axes(ref: Referentiel) -> Any:
    return ref.document_axes.valeurs if ref.document_axes is not None else None


def comparer_axes(avant: Any, apres: Any) -> list[Changement]:
    """Axes et objectifs ajoutés, supprimés ou renommés (reconnus par leur code)."""
    anciens, nouveaux = libelles_axes(avant), libelles_axes(apres)
    axes = codes_axes(avant) | codes_axes(apres)
    changements = []
    for code in _ordre(anciens, nouveaux):
        type_ = "axe-" if code in axes else "objectif-"
        a, b = anciens.get(code), nouveaux.get(code)
        if a is None:
            changements.append(Changement(type_ + "ajoute", champ=code, apres=b))
        elif b is None:
            changements.append(Changement(type_ + "supprime", champ=code, avant=a))
        elif a != b:
            changements.append(Changement(type_ + "renomme", champ=code, avant=a, apres=b))
    return changements


def comparer_contrat(avant: Any, apres: Any) -> list[Changement]:
    return [
        Changement("contrat", champ=chemin, avant=a, apres=b)
        for chemin, a, b in valeurs_differentes(avant, apres)
    ]


# --- Avancement par axe --------------------------------------------------------------------


def annee_du_dernier_suivi(*refs: Referentiel) -> int | None:
    """La dernière année de suivi renseignée dans l'un des référentiels."""
    annees = [s.annee for ref in refs for f in ref.fiches_valides() for s in f.suivi]
    return max(annees, default=None)


def avancement_par_axe(ref: Referentiel, annee: int) -> dict[str, float | None]:
    """L'avancement moyen de chaque axe à la fin de ``annee`` (voir :mod:`cls_cli.calculs`)."""
    par_axe: dict[str, list[Fiche]] = {}
    for fiche in ref.fiches_valides():
        if (axe := ref.axe_de(fiche)) is not None:
            par_axe.setdefault(axe, []).append(fiche)
    return {
        code: avancement_moyen(etat_action(f, annee) for f in fiches).avancement
        for code, fiches in par_axe.items()
    }


def _avancements(avant: Referentiel, apres: Referentiel) -> tuple[int | None, list[AvancementAxe]]:
    """L'avancement de chaque axe avant et après, à la dernière année de suivi (sans suivi
    dans aucune des deux versions : pas de chiffre)."""
    annee = annee_du_dernier_suivi(avant, apres)
    a = avancement_par_axe(avant, annee) if annee is not None else {}
    b = avancement_par_axe(apres, annee) if annee is not None else {}
    valeurs = _valeurs_axes(avant), _valeurs_axes(apres)
    libelles = {**libelles_axes(valeurs[0]), **libelles_axes(valeurs[1])}
    codes = tri_naturel(codes_axes(valeurs[0]) | codes_axes(valeurs[1]) | set(a) | set(b))
    return annee, [AvancementAxe(c, libelles.get(c, ""), a.get(c), b.get(c)) for c in codes]


# --- Comparaison complète --------------------------------------------------------------------


def comparer(
    avant: Referentiel,
    apres: Referentiel,
    de: str,
    vers: str,
    closes: tuple[Mapping[int, Cloture] | None, Mapping[int, Cloture] | None] = ({}, {}),
) -> Comparaison:
    """Tous les changements de contenu entre deux référentiels, fiche par fiche.

    Une fiche illisible dans l'une des versions n'est pas comparée (elle n'est ni ajoutée
    ni supprimée) : elle est signalée dans ``illisibles``. De même pour axes.yaml.
    ``closes`` : les années closes avant et après (None : clotures.yaml invalide).
    """
    anciennes, illisibles_avant = fiches_par_numero(avant)
    nouvelles, illisibles_apres = fiches_par_numero(apres)
    illisibles = [(de, f) for f in illisibles_avant.values()]
    illisibles += [(vers, f) for f in illisibles_apres.values()]
    changements = []
    for numero in sorted(set(anciennes) | set(nouvelles)):
        if numero in illisibles_avant or numero in illisibles_apres:
            continue
        a, b = anciennes.get(numero), nouvelles.get(numero)
        if a is not None and b is not None and a.document is b.document:
            continue  # même fichier, mêmes octets : lu une seule fois (DejaLues)
        changements += comparer_fiche(
            numero,
            valeurs_fiche(a) if a is not None else None,
            valeurs_fiche(b) if b is not None else None,
        )
    if avant.document_axes is not None and apres.document_axes is not None:
        changements += comparer_axes(_valeurs_axes(avant), _valeurs_axes(apres))
    else:
        for version, ref in ((de, avant), (vers, apres)):
            if ref.document_axes is None:
                illisibles.append((version, emplacement(ref.racine / FICHIER_AXES, ref.racine)))
    contrat_avant = avant.contrat.model_dump(mode="json") if avant.contrat else None
    contrat_apres = apres.contrat.model_dump(mode="json") if apres.contrat else None
    if contrat_avant is not None and contrat_apres is not None:
        changements += comparer_contrat(contrat_avant, contrat_apres)
    titres = {n: _titre(fc) for n, fc in {**anciennes, **nouvelles}.items()}
    annee, avancement = _avancements(avant, apres)
    par_axe = (tuple(avancement), annee) if changements else ((), None)
    fusion = {**(closes[0] or {}), **(closes[1] or {})}
    inconnues = tuple(v for v, c in zip((de, vers), closes, strict=True) if c is None)
    return Comparaison(
        de, vers, tuple(changements), titres, *par_axe, tuple(illisibles), fusion, inconnues
    )
