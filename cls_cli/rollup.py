"""``cls rollup`` : plusieurs contrats côte à côte (une ARS suit tous ceux de sa région).

:func:`arbres_valides` lit et valide chaque arbre (un arbre invalide est nommé et arrête
tout, sauf en mode partiel où il est listé à part) et refuse deux contrats de même titre.
:func:`consolider` rend le modèle unique de la consolidation (:class:`Consolidation`), que
les gabarits ``rollup.md.j2`` et ``rollup.html.j2`` et :func:`en_json` rendent :

- par contrat (triés par titre) : fiches, avancement, complétude, actions par statut et
  en retard, par axe et par thème ; un contrat dont la période ne contient pas l'année
  n'a pas de chiffres (« hors période », jamais des zéros) ;
- par thème (:mod:`cls_cli.themes`) : chaque contrat côte à côte, et le total ;
- les totaux : des sommes de comptes (:class:`Comptes`), jamais une moyenne de moyennes.

Les chiffres suivent les règles de :mod:`cls_cli.calculs` (les mêmes que ``cls report``),
calculés fiche par fiche sans construire le rapport complet de chaque contrat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cls_cli.arbres import Arbre, erreur_arbre, erreurs
from cls_cli.avenants import Avenant
from cls_cli.calculs import LIBELLES_STATUT, completude, etat_action
from cls_cli.en_vigueur import en_vigueur
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.modeles import Axes, Fiche
from cls_cli.themes import libelle, ordre, theme_fiche, themes_des_axes


@dataclass(frozen=True)
class Comptes:
    """Les comptes d'un ensemble de fiches, qui s'additionnent (``a + b``) : l'avancement
    et la complétude d'une somme sont des rapports de sommes, jamais des moyennes de
    moyennes."""

    fiches: int = 0
    somme_avancements: float = 0.0
    dans_la_moyenne: int = 0
    mesures: int = 0
    attendus: int = 0
    statuts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIBELLES_STATUT, 0))
    en_retard: tuple[int, ...] = ()

    def __add__(self, autre: Comptes) -> Comptes:
        return Comptes(
            self.fiches + autre.fiches,
            self.somme_avancements + autre.somme_avancements,
            self.dans_la_moyenne + autre.dans_la_moyenne,
            self.mesures + autre.mesures,
            self.attendus + autre.attendus,
            {s: self.statuts[s] + autre.statuts[s] for s in LIBELLES_STATUT},
            self.en_retard + autre.en_retard,
        )

    @property
    def avancement(self) -> float | None:
        """L'avancement moyen des actions dans la moyenne (None s'il n'y en a aucune)."""
        return self.somme_avancements / self.dans_la_moyenne if self.dans_la_moyenne else None

    @property
    def completude(self) -> float | None:
        """La part des mesures attendues qui sont saisies, en % (None sans attendu)."""
        return 100 * self.mesures / self.attendus if self.attendus else None


def somme(comptes: Iterable[Comptes]) -> Comptes:
    total = Comptes()
    for c in comptes:
        total = total + c
    return total


def comptes_fiche(fiche: Fiche, annee: int) -> Comptes:
    """Les comptes d'une fiche en ``annee`` (règles de :mod:`cls_cli.calculs`)."""
    etat = etat_action(fiche, annee)
    c = completude([fiche], annee)
    statuts = dict.fromkeys(LIBELLES_STATUT, 0)
    statuts[etat.statut] = 1
    retenue = etat.dans_la_moyenne and etat.avancement is not None
    return Comptes(
        1,
        (etat.avancement or 0.0) if retenue else 0.0,
        int(retenue),
        c.mesures,
        c.attendus,
        statuts,
        (fiche.numero,) if etat.en_retard else (),
    )


@dataclass(frozen=True)
class Groupe:
    """Un axe ou un thème d'un contrat, avec ses comptes (pour un axe : son thème, s'il en
    a un)."""

    code: str
    libelle: str
    comptes: Comptes
    theme: str | None = None

    @property
    def libelle_theme(self) -> str | None:
        return libelle(self.theme) if self.theme else None


@dataclass(frozen=True)
class ResumeContrat:
    """Un contrat dans la consolidation ; sans chiffres (``comptes`` None) si l'année est
    hors de sa période."""

    titre: str
    dossier: str
    debut: int | None
    fin: int | None
    comptes: Comptes | None
    axes: tuple[Groupe, ...] = ()
    themes: tuple[Groupe, ...] = ()

    @property
    def dans_la_periode(self) -> bool:
        return self.comptes is not None


@dataclass(frozen=True)
class VueTheme:
    """Un thème, contrats côte à côte (dans l'ordre de :attr:`Consolidation.contrats` ;
    None : contrat hors période), et son total."""

    code: str
    libelle: str
    par_contrat: tuple[Comptes | None, ...]
    total: Comptes


@dataclass(frozen=True)
class ArbreInvalide:
    dossier: str
    erreur: str


@dataclass(frozen=True)
class Consolidation:
    """Le modèle unique de ``cls rollup`` (rendu en Markdown, HTML et JSON).

    ``annee_commune`` : l'année n'a pas été donnée (``--year``) et c'est la plus récente
    renseignée dans tous les contrats. ``totaux`` : la somme des contrats dans leur
    période (``contrats_comptes`` d'entre eux)."""

    annee: int
    annee_commune: bool
    date: dt.date
    contrats: tuple[ResumeContrat, ...]
    invalides: tuple[ArbreInvalide, ...]
    themes: tuple[VueTheme, ...]
    totaux: Comptes
    contrats_comptes: int


def _parcourir(racines: Sequence[Path], partiel: bool) -> Iterator[Arbre | ArbreInvalide]:
    """Chaque arbre validé, l'un après l'autre (ou, en mode partiel, ce qui le refuse) ;
    :class:`ErreurDonnees` au premier invalide hors mode partiel, ou au titre en double."""
    titres: dict[str, Path] = {}
    for racine in racines:
        arbre, problemes = erreurs(racine)
        if arbre is None:
            if not partiel:
                raise erreur_arbre(racine, problemes)
            yield ArbreInvalide(str(racine), problemes[0].texte())
            continue
        contrat = arbre.referentiel.contrat
        titre = contrat.titre if contrat else str(racine)
        if titre in titres:
            raise ErreurDonnees(
                racine / "contrat.yaml",
                1,
                1,
                f"deux contrats portent le titre « {titre} » : {titres[titre]} et {racine}",
                "donnez à chaque contrat son propre titre (contrat.yaml), ou retirez le "
                "dossier en double",
                "contrat-double",
            )
        titres[titre] = racine
        yield arbre


def arbres_valides(
    racines: Sequence[Path], partiel: bool
) -> tuple[list[Arbre], list[ArbreInvalide]]:
    """Les arbres valides et, en mode partiel, les invalides (dossier, première erreur)."""
    lus = list(_parcourir(racines, partiel))
    return [a for a in lus if isinstance(a, Arbre)], [
        a for a in lus if isinstance(a, ArbreInvalide)
    ]


@dataclass(frozen=True)
class _Contrat:
    """Ce que la consolidation garde d'un arbre validé : ni documents lus, ni positions
    (300 arbres de 60 fiches tiennent ainsi en mémoire)."""

    dossier: Path
    titre: str
    debut: int | None
    fin: int | None
    axes: Axes | None
    fiches: tuple[Fiche, ...]
    avenants: tuple[Avenant, ...]
    axe_de: dict[int, str | None]  # numéro de fiche -> code de son axe (lu dans l'arbre)

    @classmethod
    def de(cls, arbre: Arbre) -> _Contrat:
        ref = arbre.referentiel
        k = ref.contrat
        return cls(
            arbre.racine,
            k.titre if k else str(arbre.racine),
            k.periode.debut if k else None,
            k.periode.fin if k else None,
            ref.axes,
            tuple(ref.fiches_valides()),
            arbre.avenants,
            {f.numero: ref.axe_de(f) for f in ref.fiches_valides()},
        )


def annees_renseignees(contrat: _Contrat) -> set[int]:
    """Les années de la période du contrat où au moins une fiche a un point de suivi ou
    une mesure."""
    debut, fin = contrat.debut, contrat.fin
    annees = {
        a
        for f in contrat.fiches
        for a in [*(s.annee for s in f.suivi), *(m.annee for i in f.indicateurs for m in i.mesures)]
    }
    return {a for a in annees if (debut is None or a >= debut) and (fin is None or a <= fin)}


def annee_commune(contrats: Sequence[_Contrat], date: dt.date) -> int:
    """L'année la plus récente (au plus celle de ``date``) renseignée dans tous les
    contrats ; :class:`ErreurUsage` s'il n'y en a pas."""
    communes: set[int] | None = None
    for contrat in contrats:
        annees = {a for a in annees_renseignees(contrat) if a <= date.year}
        communes = annees if communes is None else communes & annees
    if not communes:
        raise ErreurUsage(
            "aucune année n'est renseignée (suivi ou mesure) dans tous les contrats : "
            "donnez l'année consolidée avec --year (ex. --year 2023)"
        )
    return max(communes)


def resumer(contrat: _Contrat, annee: int) -> ResumeContrat:
    """Le résumé d'un contrat en ``annee`` : ses comptes, par axe et par thème."""
    debut, fin = contrat.debut, contrat.fin
    base = ResumeContrat(contrat.titre, str(contrat.dossier), debut, fin, None)
    if (debut is not None and annee < debut) or (fin is not None and annee > fin):
        return base
    fiches = en_vigueur(contrat.fiches, contrat.avenants, annee)
    par_axe = themes_des_axes(contrat.axes)
    lignes = [(f, comptes_fiche(f, annee)) for f in fiches]
    axes = tuple(
        Groupe(
            axe.code,
            axe.libelle,
            somme(c for f, c in lignes if contrat.axe_de.get(f.numero) == axe.code),
            axe.theme,
        )
        for axe in (contrat.axes.axes if contrat.axes else [])
    )
    par_theme: dict[str, list[Comptes]] = {}
    for f, c in lignes:
        par_theme.setdefault(theme_fiche(f, par_axe, contrat.axe_de.get(f.numero)), []).append(c)
    themes = tuple(Groupe(t, libelle(t), somme(par_theme[t])) for t in ordre(par_theme))
    return ResumeContrat(
        base.titre, base.dossier, debut, fin, somme(c for _, c in lignes), axes, themes
    )


def consolider(
    racines: Sequence[Path], annee: int | None, date: dt.date, partiel: bool = False
) -> Consolidation:
    """La consolidation de ``annee`` (sans année : la plus récente commune aux contrats)."""
    # Avec l'année, chaque contrat est résumé dès qu'il est lu (la mémoire ne croît pas
    # avec le nombre de contrats) ; sans elle, ses fiches sont gardées jusqu'à la choisir.
    lus: list[_Contrat | ResumeContrat] = []
    invalides: list[ArbreInvalide] = []
    for arbre in _parcourir(racines, partiel):
        if isinstance(arbre, ArbreInvalide):
            invalides.append(arbre)
        else:
            contrat = _Contrat.de(arbre)  # l'arbre lu (documents, positions) est libéré
            lus.append(contrat if annee is None else resumer(contrat, annee))
    commune = annee is None
    if annee is None:
        annee = annee_commune([c for c in lus if isinstance(c, _Contrat)], date)
    contrats = tuple(
        sorted(
            (resumer(c, annee) if isinstance(c, _Contrat) else c for c in lus),
            key=lambda c: (c.titre.casefold(), c.titre),
        )
    )
    codes = ordre(t.code for c in contrats for t in c.themes)
    themes = []
    for code in codes:
        par_contrat = tuple(
            None
            if c.comptes is None
            else next((t.comptes for t in c.themes if t.code == code), Comptes())
            for c in contrats
        )
        total = somme(c for c in par_contrat if c is not None)
        themes.append(VueTheme(code, libelle(code), par_contrat, total))
    comptes = [c.comptes for c in contrats if c.comptes is not None]
    return Consolidation(
        annee,
        commune,
        date,
        contrats,
        tuple(invalides),
        tuple(themes),
        somme(comptes),
        len(comptes),
    )


def _comptes_json(c: Comptes) -> dict[str, Any]:
    return {
        "fiches": c.fiches,
        "avancement": c.avancement,
        "avancement_detail": {"somme": c.somme_avancements, "actions": c.dans_la_moyenne},
        "completude": c.completude,
        "completude_detail": {"mesures": c.mesures, "attendus": c.attendus},
        "statuts": dict(c.statuts),
        "en_retard": len(c.en_retard),
    }


def _contrat_json(c: ResumeContrat) -> dict[str, Any]:
    periode = {"debut": c.debut, "fin": c.fin} if c.debut is not None else None
    tete: dict[str, Any] = {
        "titre": c.titre,
        "dossier": c.dossier,
        "periode": periode,
        "dans_la_periode": c.dans_la_periode,
    }
    if c.comptes is None:
        return tete
    return {
        **tete,
        **_comptes_json(c.comptes),
        "en_retard": list(c.comptes.en_retard),
        "axes": [
            {"code": a.code, "libelle": a.libelle, "theme": a.theme, **_comptes_json(a.comptes)}
            for a in c.axes
        ],
        "themes": {t.code: _comptes_json(t.comptes) for t in c.themes},
    }


def en_json(r: Consolidation) -> dict[str, Any]:
    """La consolidation en valeurs JSON (``cls rollup --format json``)."""
    return {
        "annee": r.annee,
        "annee_commune": r.annee_commune,
        "date": r.date.isoformat(),
        "arbres_invalides": [{"dossier": i.dossier, "erreur": i.erreur} for i in r.invalides],
        "contrats": [_contrat_json(c) for c in r.contrats],
        "themes": [
            {
                "code": t.code,
                "libelle": t.libelle,
                "par_contrat": [None if c is None else _comptes_json(c) for c in t.par_contrat],
                "total": _comptes_json(t.total),
            }
            for t in r.themes
        ],
        "totaux": {"contrats": r.contrats_comptes, **_comptes_json(r.totaux)},
    }
