"""Les tables normalisées d'un ou plusieurs contrats, pour SQL, un tableur ou un outil de BI.

:func:`tables` est pure : elle prend des arbres validés (:class:`~cls_cli.arbres.Arbre`)
et rend, table par table, des lignes (tuples dans l'ordre des colonnes de :data:`TABLES`).
Chaque contrat reçoit un identifiant ``contrat`` (1, 2…) repris dans toutes ses lignes :
les clés primaires et étrangères sont composées de cet identifiant et des codes du
contrat (code d'axe, d'objectif, numéro de fiche, code d'indicateur). Les porteurs sont
communs à tous les contrats (même nom, même porteur), liés aux fiches par
``fiche_porteurs`` avec leur rôle (porteur ou partenaire).

:mod:`cls_cli.export_formats` écrit ces tables en base SQLite ou en CSV,
:mod:`cls_cli.export_parquet` en Parquet ; :func:`exporter` choisit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cls_cli.arbres import Arbre
from cls_cli.erreurs import ErreurUsage
from cls_cli.identifiants import identifiant
from cls_cli.modeles import NON_PRECISE, Fiche
from cls_cli.themes import SANS_THEME, theme_fiche, themes_des_axes

FORMATS_EXPORT = ("sqlite", "csv", "parquet")


@dataclass(frozen=True)
class Table:
    """Une table : colonnes (nom, type SQL ; type vide : valeur de type libre), clé
    primaire, clés étrangères (colonnes, table visée, colonnes visées)."""

    nom: str
    colonnes: tuple[tuple[str, str], ...]
    cle: tuple[str, ...]
    etrangeres: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    optionnelle: bool = False  # écrite seulement si un contrat en a des lignes

    def creer(self) -> str:
        lignes = [f"{nom} {type_}".rstrip() for nom, type_ in self.colonnes]
        lignes.append(f"PRIMARY KEY ({', '.join(self.cle)})")
        lignes += [
            f"FOREIGN KEY ({', '.join(de)}) REFERENCES {vers}({', '.join(cols)})"
            for de, vers, cols in self.etrangeres
        ]
        return f"CREATE TABLE {self.nom} (\n  " + ",\n  ".join(lignes) + "\n)"


_C = ("contrat",)
_CONTRAT = (_C, "contrats", ("id",))
_FICHE = (("contrat", "numero"), "fiches", ("contrat", "numero"))

TABLES: tuple[Table, ...] = (
    Table(
        "contrats",
        (
            ("id", "INTEGER"),
            ("titre", "TEXT"),
            ("territoire", "TEXT"),
            ("date_signature", "TEXT"),
            ("debut", "INTEGER"),
            ("fin", "INTEGER"),
        ),
        ("id",),
    ),
    Table(
        "axes",
        (("contrat", "INTEGER"), ("code", "TEXT"), ("libelle", "TEXT"), ("rang", "INTEGER"))
        + (("theme", "TEXT"),),
        ("contrat", "code"),
        (_CONTRAT,),
    ),
    Table(
        "objectifs",
        (
            ("contrat", "INTEGER"),
            ("code", "TEXT"),
            ("niveau", "TEXT"),
            ("axe", "TEXT"),
            ("parent", "TEXT"),
            ("libelle", "TEXT"),
            ("rang", "INTEGER"),
        ),
        ("contrat", "code"),
        (_CONTRAT, (("contrat", "axe"), "axes", ("contrat", "code"))),
    ),
    Table(
        "fiches",
        (
            ("contrat", "INTEGER"),
            ("numero", "INTEGER"),
            ("identifiant", "TEXT"),  # tel que le contrat l'écrit, sinon le numéro en texte
            ("titre", "TEXT"),
            ("objectif", "TEXT"),
            ("axe", "TEXT"),
            ("nature", "TEXT"),
            ("description", "TEXT"),
            ("territoire", "TEXT"),
            ("calendrier", "TEXT"),
            ("debut", "INTEGER"),
            ("fin", "INTEGER"),
            ("ressources", "TEXT"),
            ("budget", "REAL"),
            ("theme", "TEXT"),  # le sien, sinon celui de son axe (cls_cli.themes)
        ),
        ("contrat", "numero"),
        (_CONTRAT, (("contrat", "objectif"), "objectifs", ("contrat", "code"))),
    ),
    Table("porteurs", (("id", "INTEGER"), ("nom", "TEXT")), ("id",)),
    Table(
        "fiche_porteurs",
        (("contrat", "INTEGER"), ("numero", "INTEGER"), ("porteur", "INTEGER"), ("role", "TEXT")),
        ("contrat", "numero", "porteur", "role"),
        (_FICHE, (("porteur",), "porteurs", ("id",))),
    ),
    Table(
        "indicateurs",
        (
            ("contrat", "INTEGER"),
            ("numero", "INTEGER"),
            ("code", "TEXT"),
            ("libelle", "TEXT"),
            ("type", "TEXT"),
            ("unite", "TEXT"),
            ("cible", ""),
            ("agregation", "TEXT"),
            ("reference_annee", "INTEGER"),
            ("reference_valeur", ""),
        ),
        ("contrat", "numero", "code"),
        (_FICHE,),
    ),
    Table(
        "mesures",
        (
            ("contrat", "INTEGER"),
            ("numero", "INTEGER"),
            ("indicateur", "TEXT"),
            ("annee", "INTEGER"),
            ("valeur", ""),
            ("manquante", "TEXT"),
            ("date", "TEXT"),
            ("source", "TEXT"),
            ("commentaire", "TEXT"),
        ),
        ("contrat", "numero", "indicateur", "annee"),
        ((("contrat", "numero", "indicateur"), "indicateurs", ("contrat", "numero", "code")),),
    ),
    Table(
        "suivis",
        (
            ("contrat", "INTEGER"),
            ("numero", "INTEGER"),
            ("annee", "INTEGER"),
            ("statut", "TEXT"),
            ("avancement", "REAL"),
            ("commentaire", "TEXT"),
        ),
        ("contrat", "numero", "annee"),
        (_FICHE,),
    ),
    Table(
        "avenants",
        (
            ("contrat", "INTEGER"),
            ("numero", "INTEGER"),
            ("date", "TEXT"),
            ("signe", "INTEGER"),
            ("decision", "TEXT"),
            ("motif", "TEXT"),
            ("changements", "INTEGER"),
        ),
        ("contrat", "numero"),
        (_CONTRAT,),
        optionnelle=True,
    ),
    Table(
        "evaluations",
        (
            ("contrat", "INTEGER"),
            ("id", "TEXT"),
            ("titre", "TEXT"),
            ("type", "TEXT"),
            ("debut", "INTEGER"),
            ("fin", "INTEGER"),
            ("date", "TEXT"),
            ("questions", "INTEGER"),
            ("preconisations", "INTEGER"),
        ),
        ("contrat", "id"),
        (_CONTRAT,),
        optionnelle=True,
    ),
    Table(
        "instances",
        (
            ("contrat", "INTEGER"),
            ("id", "TEXT"),
            ("date", "TEXT"),
            ("type", "TEXT"),
            ("titre", "TEXT"),
            ("participants", "INTEGER"),
            ("decisions", "INTEGER"),
        ),
        ("contrat", "id"),
        (_CONTRAT,),
        optionnelle=True,
    ),
)

Lignes = dict[str, list[tuple[Any, ...]]]


def _iso(valeur: Any) -> Any:
    return None if valeur is None else str(valeur)


def _fiche(
    ident: int,
    f: Fiche,
    axe: str | None,
    lignes: Lignes,
    porteurs: dict[str, int],
    theme: str,
) -> None:
    """Les lignes d'une fiche ; rangée directement sous son axe (contrat à un niveau), elle
    n'a pas d'objectif (NULL)."""
    c, r = f.dates, f.moyens
    lignes["fiches"].append(
        (
            ident,
            f.numero,
            identifiant(f),
            f.titre,
            None if f.objectif == axe else f.objectif,
            axe,
            f.nature,
            f.description,
            f.territoire,
            f.texte_calendrier,
            c.debut if c else None,
            c.fin if c else None,
            r.texte if r else NON_PRECISE,
            r.budget if r else None,
            None if theme == SANS_THEME else theme,
        )
    )
    for role, noms in (("porteur", f.liste_porteurs), ("partenaire", f.liste_partenaires)):
        for nom in dict.fromkeys(noms):  # un nom répété dans la fiche : une seule ligne
            id_porteur = porteurs.setdefault(nom, len(porteurs) + 1)
            lignes["fiche_porteurs"].append((ident, f.numero, id_porteur, role))
    for ind in f.indicateurs:
        ref = ind.reference
        lignes["indicateurs"].append(
            (
                ident,
                f.numero,
                ind.code,
                ind.libelle,
                ind.type,
                ind.unite,
                ind.cible,
                ind.agregation,
                ref.annee if ref else None,
                ref.valeur if ref else None,
            )
        )
        lignes["mesures"] += [
            (
                ident,
                f.numero,
                ind.code,
                m.annee,
                m.valeur,
                m.manquante,
                _iso(m.date),
                m.source,
                m.commentaire,
            )
            for m in ind.mesures
        ]
    lignes["suivis"] += [
        (ident, f.numero, s.annee, s.statut, s.avancement, s.commentaire) for s in f.suivi
    ]


_TYPES_OBJECTIF = {
    "objectif_strategique": "strategique",
    "objectif_operationnel": "operationnel",
    "objectif": "objectif",
}


def _contrat(ident: int, arbre: Arbre, lignes: Lignes, porteurs: dict[str, int]) -> None:
    ref = arbre.referentiel
    k = ref.contrat
    lignes["contrats"].append(
        (
            ident,
            k.titre if k else None,
            k.territoire if k else None,
            _iso(k.date_signature) if k and k.date_signature != NON_PRECISE else None,
            k.periode.debut if k else None,
            k.periode.fin if k else None,
        )
    )
    sous = [n for n in ref.arbre.noeuds.values() if n.niveau != "axe"]  # ordre du fichier
    for rang_axe, axe in enumerate(ref.axes.axes if ref.axes else [], 1):
        lignes["axes"].append((ident, axe.code, axe.libelle, rang_axe, axe.theme))
        for rang, n in enumerate((n for n in sous if n.chemin[0] == axe.code), 1):
            parent = n.chemin[1] if len(n.chemin) == 3 else None
            type_ = _TYPES_OBJECTIF[n.niveau]
            lignes["objectifs"].append((ident, n.code, type_, axe.code, parent, n.libelle, rang))
    par_axe = themes_des_axes(ref.axes)
    for fiche in ref.fiches_valides():
        axe_fiche = ref.axe_de(fiche)
        theme = theme_fiche(fiche, par_axe, axe_fiche)
        _fiche(ident, fiche, axe_fiche, lignes, porteurs, theme)
    lignes["avenants"] += [
        (ident, a.numero, _iso(a.date), a.signe, a.decision, a.motif, len(a.changements))
        for a in arbre.avenants
    ]
    lignes["evaluations"] += [
        (
            ident,
            nom,
            e.titre,
            e.type,
            e.periode.debut,
            e.periode.fin,
            _iso(e.date),
            len(e.questions),
            len(e.preconisations),
        )
        for nom, e in arbre.evaluations
    ]
    lignes["instances"] += [
        (ident, nom, _iso(i.date), i.type, i.titre, len(i.participants), len(i.decisions))
        for nom, i in arbre.instances
    ]


def tables(arbres: Sequence[Arbre]) -> dict[Table, list[tuple[Any, ...]]]:
    """Les lignes de chaque table pour les ``arbres`` (contrat n° 1, 2… dans l'ordre) ; les
    tables optionnelles (avenants, évaluations, réunions) seulement si elles ont des lignes."""
    lignes: Lignes = {t.nom: [] for t in TABLES}
    porteurs: dict[str, int] = {}
    for ident, arbre in enumerate(arbres, 1):
        _contrat(ident, arbre, lignes, porteurs)
    lignes["porteurs"] = [(i, nom) for nom, i in porteurs.items()]
    return {t: lignes[t.nom] for t in TABLES if lignes[t.nom] or not t.optionnelle}


def exporter(racines: Sequence[Path], format_: str) -> bytes | dict[str, str] | dict[str, bytes]:
    """Lit et valide chaque arbre (:class:`ErreurDonnees` au premier invalide), puis rend
    la base SQLite (octets), les fichiers CSV (nom -> texte) ou Parquet (nom -> octets,
    :mod:`cls_cli.export_parquet`)."""
    from cls_cli.arbres import lire_arbre

    if format_ not in FORMATS_EXPORT:
        raise ErreurUsage(
            f"format inconnu « {format_} » : choisissez parmi {', '.join(FORMATS_EXPORT)}"
        )
    if format_ == "parquet":
        from cls_cli.export_parquet import fichiers_parquet

        fichiers_parquet([])  # pyarrow absent : refusé avant de lire les arbres
        return fichiers_parquet(tables([lire_arbre(r) for r in racines]).items())
    from cls_cli.export_formats import base_sqlite, fichiers_csv

    contenu = tables([lire_arbre(r) for r in racines])
    return base_sqlite(contenu.items()) if format_ == "sqlite" else fichiers_csv(contenu.items())
