"""Où en est la campagne : envois, retours, imports, taux de retour ; et les relances.

:func:`etat` (pure) croise les classeurs envoyés (ceux du dossier de campagne), les
classeurs revenus (ceux de ``retours/`` et ceux donnés en ligne de commande, reconnus par
leurs métadonnées) et les fiches telles qu'elles sont. :func:`relances` en tire la liste
des porteurs à relancer ; :func:`csv_relances`, :func:`texte_relance` et :func:`csv_etat`
la mettent en forme de fichier (publipostage, script).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cls_cli.campagne import Metadonnees
from cls_cli.chargement import Referentiel
from cls_cli.classeur_campagne import FEUILLE_SAISIE, Retour
from cls_cli.erreurs import ErreurDonnees, ErreurUsage
from cls_cli.identifiants import nommer, table
from cls_cli.modeles import Fiche
from cls_cli.porteurs import Annuaire
from cls_cli.structure import tri_naturel
from cls_cli.tableur import LIGNE_STATUT

Case = tuple[int, str]  # (fiche, code de l'indicateur ou « » pour le statut)


@dataclass
class EtatPorteur:
    porteur: str
    nom: str
    email: str
    envoye: bool
    retour: str = ""  # le fichier revenu (le plus récent), ou vide
    importe: str = ""  # « oui », « en partie », « non » (vide sans retour)
    remplies: int = 0
    a_remplir: int = 0
    manquantes: list[str] = field(default_factory=list)  # « fiche 30, code : raison »
    a_faire: list[str] = field(default_factory=list)  # cases encore vides, en clair


@dataclass
class EtatCampagne:
    annee: int
    porteurs: list[EtatPorteur]
    taux_par_axe: dict[str, tuple[int, int]]  # axe -> (cases renseignées, cases attendues)

    @property
    def retournes(self) -> int:
        return sum(1 for p in self.porteurs if p.retour)

    @property
    def importes(self) -> int:
        return sum(1 for p in self.porteurs if p.importe == "oui")


def _case(genre: str, fiche: int, code: str) -> Case:
    return (fiche, "" if genre == LIGNE_STATUT else code)


def _remplies(retour: Retour) -> dict[Case, str | None]:
    """Les cases remplies d'un retour : la raison si la valeur manque, sinon None."""
    cases: dict[Case, str | None] = {}
    attendues = retour.metadonnees.lignes
    for ligne in retour.lecture.lignes:
        if f":{FEUILLE_SAISIE}:" not in ligne.position:
            continue
        rang = int(ligne.position.rsplit(":", 1)[1]) - 2
        if rang >= len(attendues):
            continue
        fiche, genre, code = attendues[rang]
        v = ligne.valeurs
        if v.get("valeur") or v.get("manquante"):
            cases[_case(genre, fiche, code)] = None if v.get("valeur") else v.get("manquante")
    return cases


def _enregistree(fiche: Fiche | None, case: Case, annee: int) -> bool:
    if fiche is None:
        return False
    if not case[1]:
        return any(s.annee == annee for s in fiche.suivi)
    return any(m.annee == annee for i in fiche.indicateurs if i.code == case[1] for m in i.mesures)


def _libelle(case: Case, noms: Mapping[int, str]) -> str:
    return f"fiche {nommer(case[0], noms)}, {case[1] or 'statut'}"


def etat(
    ref: Referentiel,
    ann: Annuaire,
    annee: int,
    envoyes: Sequence[tuple[str, Metadonnees]],
    retours: Sequence[Retour],
) -> EtatCampagne:
    """L'état de la campagne ``annee`` (les retours d'une autre campagne sont ignorés)."""
    fiches = {f.numero: f for f in ref.fiches_valides()}
    noms = table(fiches.values())
    titre = ref.contrat.titre if ref.contrat else ""
    emails = {p.id: p.email or "" for p in ann.porteurs}
    par_porteur: dict[str, EtatPorteur] = {}
    attendues: dict[str, list[Case]] = {}
    for _fichier, meta in envoyes:
        if meta.annee != annee or meta.contrat != titre:
            continue
        e = EtatPorteur(meta.porteur, meta.nom, emails.get(meta.porteur, ""), True)
        e.a_remplir = len(meta.lignes)
        par_porteur[meta.porteur] = e
        attendues[meta.porteur] = [_case(g, f, c) for f, g, c in meta.lignes]
    remplies_de: dict[str, dict[Case, str | None]] = {}
    for retour in sorted(retours, key=lambda r: r.date):
        meta = retour.metadonnees
        if meta.annee != annee or meta.contrat != titre:
            continue
        if meta.porteur not in par_porteur:
            par_porteur[meta.porteur] = EtatPorteur(
                meta.porteur, meta.nom, emails.get(meta.porteur, ""), False
            )
            attendues[meta.porteur] = [_case(g, f, c) for f, g, c in meta.lignes]
        e = par_porteur[meta.porteur]
        e.retour = retour.chemin.name
        e.a_remplir = len(meta.lignes)
        remplies_de[meta.porteur] = _remplies(retour)
    renseignees: set[Case] = set()
    for ident, e in par_porteur.items():
        remplies = remplies_de.get(ident, {})
        renseignees |= set(remplies)
        e.remplies = len(remplies)
        e.manquantes = [f"{_libelle(c, noms)} : {r}" for c, r in remplies.items() if r is not None]
        e.a_faire = [_libelle(c, noms) for c in attendues[ident] if c not in remplies]
        if e.retour:
            faits = [_enregistree(fiches.get(c[0]), c, annee) for c in remplies]
            e.importe = "oui" if all(faits) else ("en partie" if any(faits) else "non")
    taux: dict[str, tuple[int, int]] = {}
    cases = {c for liste in attendues.values() for c in liste}
    for case in sorted(cases):
        fiche = fiches.get(case[0])
        axe = (ref.axe_de(fiche) if fiche else None) or "?"
        fait = case in renseignees or _enregistree(fiche, case, annee)
        n, total = taux.get(axe, (0, 0))
        taux[axe] = (n + fait, total + 1)
    porteurs = sorted(par_porteur.values(), key=lambda p: p.porteur)
    return EtatCampagne(
        annee,
        porteurs,
        {axe: taux[axe] for axe in tri_naturel(taux)},
    )


def relances(etat_: EtatCampagne) -> list[EtatPorteur]:
    """Les porteurs à relancer : ceux dont aucun classeur n'est revenu."""
    return [p for p in etat_.porteurs if p.envoye and not p.retour]


def _csv(entetes: Sequence[str], lignes: Sequence[Sequence[object]]) -> str:
    flux = io.StringIO(newline="")
    ecrivain = csv.writer(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(entetes)
    ecrivain.writerows(lignes)
    return "\ufeff" + flux.getvalue()


def csv_relances(porteurs: Sequence[EtatPorteur]) -> str:
    """Le CSV du publipostage : porteur, nom, courriel, actions attendues."""
    return _csv(
        ["porteur", "nom", "email", "a_remplir", "manquantes"],
        [[p.porteur, p.nom, p.email, p.a_remplir, " ; ".join(p.a_faire)] for p in porteurs],
    )


def texte_relance(p: EtatPorteur, annee: int) -> str:
    """Le texte d'une relance, prêt à coller dans un courriel."""
    lignes = [
        f"À : {p.nom}" + (f" <{p.email}>" if p.email else " (courriel inconnu)"),
        f"Objet : Contrat Local de Santé, suivi {annee} : votre classeur est attendu",
        "",
        "Bonjour,",
        "",
        f"Nous n'avons pas encore reçu votre classeur de suivi {annee}. Il reste à renseigner :",
        *(f"  - {a}" for a in p.a_faire),
        "",
        "Merci de le compléter et de nous le renvoyer.",
    ]
    return "\n".join(lignes) + "\n"


COLONNES_ETAT = (
    "porteur",
    "nom",
    "email",
    "envoye",
    "retour",
    "importe",
    "remplies",
    "a_remplir",
    "manquantes",
)


def lignes_etat(etat_: EtatCampagne) -> list[list[object]]:
    return [
        [
            p.porteur,
            p.nom,
            p.email,
            "oui" if p.envoye else "non",
            p.retour,
            p.importe,
            p.remplies,
            p.a_remplir,
            " ; ".join(p.manquantes),
        ]
        for p in etat_.porteurs
    ]


def csv_etat(etat_: EtatCampagne) -> str:
    return _csv(COLONNES_ETAT, lignes_etat(etat_))


def json_etat(etat_: EtatCampagne) -> str:
    import json

    valeurs = {
        "annee": etat_.annee,
        "envoyes": sum(1 for p in etat_.porteurs if p.envoye),
        "retournes": etat_.retournes,
        "importes": etat_.importes,
        "porteurs": [dict(zip(COLONNES_ETAT, ligne, strict=True)) for ligne in lignes_etat(etat_)],
        "taux_par_axe": {
            axe: {"renseignees": n, "attendues": total}
            for axe, (n, total) in etat_.taux_par_axe.items()
        },
    }
    return json.dumps(valeurs, ensure_ascii=False, indent=2) + "\n"


def etat_du_dossier(
    racine: Path, annee: int, dossier: Path, autres: Sequence[Path]
) -> tuple[EtatCampagne, list[str]]:
    """L'état de la campagne préparée dans ``dossier`` (classeurs envoyés), avec les
    retours de ``dossier/retours`` et ``autres`` ; et les fichiers illisibles, en phrases."""
    from cls_cli.chargement import charger
    from cls_cli.classeur_campagne import lire_metadonnees
    from cls_cli.collecte import classeurs, lire_retours
    from cls_cli.porteurs import annuaire

    if not dossier.is_dir():
        raise ErreurUsage(
            f"{dossier} n'existe pas : préparez d'abord la campagne (cls campaign prepare "
            f"--year {annee}) ou donnez son dossier"
        )
    ref = charger(racine).referentiel
    problemes: list[str] = []
    envoyes = []
    for chemin in classeurs([dossier]):
        try:
            meta, _ = lire_metadonnees(chemin)
        except ErreurDonnees as exc:
            problemes.append(f"{chemin}: {exc.probleme.texte()}")
            continue
        envoyes.append((chemin.name, meta))
    chemins = [*([dossier / "retours"] if (dossier / "retours").is_dir() else []), *autres]
    retours, refus, _ = lire_retours(chemins, ref, annee)
    problemes += [r.message for r in refus]
    return etat(ref, annuaire(ref), annee, envoyes, retours), problemes
