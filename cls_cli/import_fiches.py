"""``cls import-fiches`` : les axes, objectifs et fiches d'un contrat, depuis un tableau.

Le tableau a la forme qu'utilisent les coordinations : une ligne par fiche (colonnes :
:mod:`cls_cli.colonnes_fiches`), une colonne par niveau que déclare ``contrat.yaml``
(:mod:`cls_cli.niveaux_tableau`). :func:`planifier_import` le relit (sans piège :
:mod:`cls_cli.lecture_tableur`), construit ``axes.yaml`` et une fiche par ligne, et rend
le plan d'écriture (tout ou rien, :mod:`cls_cli.plan`) ou toutes les erreurs à la fois,
chacune avec sa feuille et sa cellule. Pure, hors la lecture du tableau et de l'arbre.

Le dossier de données doit être celui d'un contrat qui commence : aucune fiche, et un
``axes.yaml`` absent ou encore celui de ``cls init`` (l'axe exemple). Rien d'existant
n'est jamais remplacé : un contrat qui a déjà ses fiches s'enrichit par ``cls new``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from cls_cli.colonnes_fiches import (
    COLONNES,
    FEUILLE_AIDE,
    OBLIGATOIRES_HORS_NIVEAUX,
    colonne,
    colonnes_du_tableau,
    obligatoires,
)
from cls_cli.creation import LIGNE_SCHEMA, nom_de_fichier
from cls_cli.documents import en_python
from cls_cli.emplacements import DOSSIER_FICHES, FICHIER_AXES
from cls_cli.erreurs import ErreurUsage
from cls_cli.identifiants import Nommee, ambiguite
from cls_cli.indicateurs_tableau import lire_indicateurs
from cls_cli.lecture_tableur import lire_tableau
from cls_cli.lecture_types import LigneLue, normaliser_entete
from cls_cli.modeles import FORME_IDENTIFIANT, IDENTIFIANT, NON_PRECISE, Axes, Fiche
from cls_cli.niveaux_tableau import (
    ArbreLu,
    axes_document,
    hors_structure,
    lire_niveaux,
    situer,
    structure_declaree,
)
from cls_cli.plan import Bilan, Plan
from cls_cli.saisie import lire_nombre
from cls_cli.structure import cle_naturelle
from cls_cli.transaction import Changement
from cls_cli.yamlio import vers_texte

#: Le libellé de l'axe exemple que ``cls init`` écrit (remplaçable par l'import).
EXEMPLE_INIT = "Exemple à remplacer"
#: Le champ d'une fiche -> la colonne qui le donne, quand leurs noms diffèrent.
_COLONNE_DU_CHAMP = {"ressources": "financement", "public_cible": "public"}
_CLES = {c.cle for c in COLONNES}
NATURES = {"nouvelle": "nouvelle", "existante": "existante", "mixte": "mixte"}


@dataclass
class ImportFiches:
    """Le résultat : le plan, ce qui a été tiré d'une règle (à relire), les erreurs."""

    plan: Plan | None
    fiches: int = 0
    deduits: list[str] = field(default_factory=list)
    non_precises: list[tuple[str, str]] = field(default_factory=list)  # (fiche, colonne)

    def phrases_non_precises(self) -> list[str]:
        """Une phrase par colonne laissée vide : les fiches où elle vaut « non_precise »."""
        par_colonne: dict[str, list[str]] = {}
        for fiche, cle in self.non_precises:
            par_colonne.setdefault(cle, []).append(fiche)
        return [
            f"« {colonne(cle).entete} » non précisé par le tableau (non_precise) : fiche(s) "
            + ", ".join(fiches)
            for cle, fiches in par_colonne.items()
        ]

    erreurs: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


#: Les colonnes descriptives qu'une cellule vide (ou « non_precise ») laisse « non précisé par
#: le contrat » ; pour « partenaires », une cellule vide veut dire « aucun ».
_NON_PRECISES = ("partenaires", "description", "public", "territoire", "calendrier", "financement")
_ECRITS_NON_PRECIS = {"non_precise", "non precise", "non precisee", "non precises", "non precisees"}


def _non_precise(texte: str, vide_compris: bool) -> bool:
    """La cellule dit « non précisé par le contrat » : vide (si ``vide_compris``), ou
    « non_precise », « non précisé(e)(s) », sans casse ni accents."""
    if not texte.strip():
        return vide_compris
    return normaliser_entete(texte.replace("_", " ")) in _ECRITS_NON_PRECIS


def _liste(texte: str) -> list[str]:
    """Une cellule « un par ligne » (le point-virgule sépare aussi)."""
    return [x.strip() for x in re.split(r"[\n;]", texte) if x.strip()]


def _annee(ligne: LigneLue, cle: str, erreurs: list[str]) -> int | None:
    texte = ligne.valeurs.get(cle, "")
    if not texte:
        return None
    if not re.fullmatch(r"[0-9]{4}", texte):
        erreurs.append(f"{situer(ligne, cle)} : « {texte} » n'est pas une année (ex. 2021)")
        return None
    return int(texte)


def numero_ecrit(cellule: str) -> str | None:
    """Le numéro ou l'identifiant de la colonne « numéro », tel que le contrat l'écrit
    (« Fiche 12 » -> « 12 », « FA 3.1 » -> « 3.1 », « A2 ») ; None s'il n'a pas la forme
    d'un identifiant (:data:`~cls_cli.modeles.IDENTIFIANT`)."""
    texte = re.sub(r"(?i)^\s*(fiche|n°)\s*", "", cellule).strip()
    prefixe = re.fullmatch(r"(?i)(?:fa|no)(\s*)(.+)", texte)
    if prefixe and (prefixe[1] or prefixe[2].isdigit()):  # « FA12 », « no 3 » ; pas « NORD »
        texte = prefixe[2]
    return texte if re.fullmatch(IDENTIFIANT, texte) else None


def _fiche(ligne: LigneLue, objectif: str, erreurs: list[str], res: ImportFiches) -> Any:
    """Le document d'une fiche (ordre des clés des fiches livrées), ou None ; son numéro
    est provisoire tant que la colonne numéro n'est pas lue en entier (:func:`_numeroter`)."""
    v = ligne.valeurs
    vides = [cle for cle in OBLIGATOIRES_HORS_NIVEAUX if not v.get(cle)]
    erreurs.extend(f"{situer(ligne, cle)} : vide ; écrivez {colonne(cle).aide}" for cle in vides)
    ecrit = numero_ecrit(v.get("numero", ""))
    if "numero" in vides:
        return None
    if ecrit is None:
        erreurs.append(
            f"{situer(ligne, 'numero')} : « {v.get('numero', '')} » n'est ni un numéro ni un "
            f"identifiant de fiche ; {FORME_IDENTIFIANT}"
        )
        return None
    numero = int(ecrit) if ecrit.isdigit() else 1
    nature = NATURES.get(normaliser_entete(v.get("nature", "")))
    if v.get("nature") and nature is None:
        erreurs.append(
            f"{situer(ligne, 'nature')} : nature « {v.get('nature', '')} » ; écrivez nouvelle, "
            "existante ou mixte, ou laissez la cellule vide (la nature est facultative)"
        )
    doc = CommentedMap()
    doc["numero"] = numero
    doc["titre"] = " ".join(v.get("titre", "").split())
    doc["objectif"] = DoubleQuotedScalarString(objectif)
    if nature is not None:
        doc["nature"] = nature
    non_precises = [c for c in _NON_PRECISES if _non_precise(v.get(c, ""), c != "partenaires")]
    res.non_precises.extend((ecrit, c) for c in non_precises if c != "partenaires")

    def liste(cle: str) -> Any:
        return NON_PRECISE if cle in non_precises else CommentedSeq(_liste(v.get(cle, "")))

    doc["porteurs"] = (
        NON_PRECISE if _non_precise(v.get("porteurs", ""), False) else liste("porteurs")
    )
    doc["partenaires"] = liste("partenaires")
    description = v.get("description", "").replace("\r\n", "\n")
    if "description" in non_precises:
        doc["description"] = NON_PRECISE
    else:
        doc["description"] = LiteralScalarString(description + "\n")
    doc["public_cible"] = liste("public")
    doc["territoire"] = NON_PRECISE if "territoire" in non_precises else v["territoire"]
    calendrier = CommentedMap(texte=v.get("calendrier", ""))
    for cle in ("debut", "fin"):
        if (annee := _annee(ligne, cle, erreurs)) is not None:
            calendrier[cle] = annee
    if "calendrier" in non_precises and len(calendrier) > 1:
        erreurs.append(
            f"{situer(ligne, 'calendrier')} : vide, mais Début ou Fin est rempli ; écrivez le "
            "calendrier tel que le contrat l'écrit (ex. « 2022-2025 »)"
        )
    doc["calendrier"] = NON_PRECISE if "calendrier" in non_precises else calendrier
    ressources = CommentedMap(texte=v.get("financement", ""))
    if v.get("budget"):
        try:
            ressources["budget"] = lire_nombre(v["budget"])
        except ValueError as exc:
            erreurs.append(f"{situer(ligne, 'budget')} : {exc}")
        if "financement" in non_precises:
            erreurs.append(
                f"{situer(ligne, 'financement')} : vide, mais le Budget est rempli ; écrivez les "
                "ressources telles que le contrat les écrit"
            )
    doc["ressources"] = NON_PRECISE if "financement" in non_precises else ressources
    priorites = [a.strip() for a in re.split(r"[,;\s]+", v.get("priorites", "")) if a.strip()]
    if any(not re.fullmatch(r"[0-9]{4}", a) for a in priorites):
        erreurs.append(f"{situer(ligne, 'priorites')} : des années séparées par des virgules")
    doc["priorites"] = CommentedSeq(int(a) for a in priorites if a.isdigit())
    lus = lire_indicateurs(v.get("indicateurs", ""), situer(ligne, "indicateurs"), ecrit)
    erreurs.extend(lus.erreurs)
    res.deduits.extend(lus.deduits)
    doc["indicateurs"] = CommentedSeq(lus.indicateurs)
    doc["suivi"] = CommentedSeq()
    try:
        Fiche.model_validate(en_python(doc))
    except ValidationError as exc:
        signales = set(vides)  # déjà dit, avec sa cellule
        for e in exc.errors():
            cle = _COLONNE_DU_CHAMP.get(str(e["loc"][0]), str(e["loc"][0]))
            if cle in signales:
                continue  # un champ, une erreur (une union en donne plusieurs)
            signales.add(cle)
            if cle in _CLES:
                texte = v.get(cle, "")
                quoi = f"« {texte[:40]} » invalide ({e['msg']})" if texte else "vide"
                erreurs.append(f"{situer(ligne, cle)} : {quoi} ; écrivez {colonne(cle).aide}")
                continue
            champ = ".".join(str(x) for x in e["loc"])
            erreurs.append(
                f"{ligne.position} : fiche {ecrit}, champ « {champ} » vide ou invalide ; "
                "remplissez sa colonne"
            )
    return ecrit, doc


def _numeroter(lues: list[tuple[str, str, Any]], erreurs: list[str]) -> None:
    """Donne aux fiches lues (identifiant écrit, cellule, document) leur numéro : celui du
    tableau si toute la colonne est faite de nombres ; sinon leur rang dans l'ordre naturel
    des identifiants écrits (1, 2, 3…), chacune gardant son identifiant (« A10 »). Un
    identifiant qui serait le numéro d'une autre fiche est refusé, comme par cls validate."""
    if all(ecrit.isdigit() for ecrit, _, _ in lues):
        return
    lues.sort(key=lambda lue: (cle_naturelle(lue[0]), lue[0]))
    for rang, (ecrit, _, doc) in enumerate(lues, start=1):
        doc["numero"] = rang
        doc.insert(1, "identifiant", DoubleQuotedScalarString(ecrit))
    fiches = [Nommee(doc["numero"], ecrit) for ecrit, _, doc in lues]
    for i, (ecrit, ou, _) in enumerate(lues):
        refus = ambiguite(fiches[:i] + fiches[i + 1 :], ecrit)
        if refus:
            erreurs.append(
                f"{ou} : {refus[0]} ; numérotez toutes les fiches du tableau en "
                "nombres, ou écrivez cet identifiant autrement"
            )


def verifier_cible(racine: Path) -> bytes | None:
    """Lève ErreurUsage si l'arbre n'est pas celui d'un contrat qui commence ; rend le
    contenu actuel d'``axes.yaml`` (None s'il est absent), que l'import remplace."""
    fiches = sorted((racine / DOSSIER_FICHES).glob("*.y*ml"))
    if fiches:
        raise ErreurUsage(
            f"{racine / DOSSIER_FICHES} contient déjà {len(fiches)} fiche(s) : cls import-fiches "
            "crée les fiches d'un contrat qui commence (après cls init) ; pour ajouter une "
            "fiche à un contrat existant, utilisez cls new"
        )
    axes = racine / FICHIER_AXES
    if not axes.exists():
        return None
    ancien = axes.read_bytes()
    libelles = re.findall(rb"libelle: *(.*)", ancien)
    if libelles and all(EXEMPLE_INIT.encode() in x for x in libelles):
        return ancien
    raise ErreurUsage(
        f"{axes} contient déjà des axes (pas l'axe exemple de cls init) : cls import-fiches "
        "ne le remplace pas ; s'il doit venir du tableau, supprimez-le puis relancez"
    )


def planifier_import(table: Path, racine: Path) -> ImportFiches:
    """Relit le tableau et rend le plan qui écrit ``axes.yaml`` et toutes les fiches."""
    ancien_axes = verifier_cible(racine)
    structure = structure_declaree(racine)
    lecture = lire_tableau(
        table,
        colonnes_du_tableau(structure),
        obligatoires(structure),
        feuilles_annexes=(FEUILLE_AIDE,),
        modele="« cls import-fiches --template »",
    )
    res = ImportFiches(None, avertissements=list(lecture.avertissements))
    lignes = [ligne for ligne in lecture.lignes if any(ligne.valeurs.values())]
    res.erreurs.extend(hors_structure(lignes, structure))
    arbre, lues = ArbreLu(), []
    vus: dict[str, str] = {}  # numéro ou identifiant (sans casse) -> où il a été lu
    for ligne in lignes:
        bas = lire_niveaux(ligne, structure, arbre, res.erreurs)
        if not ligne.valeurs.get("numero") and not ligne.valeurs.get("titre"):
            continue  # une ligne qui ne déclare qu'un objectif (sans fiche)
        if bas is None:
            continue
        lue = _fiche(ligne, bas, res.erreurs, res)
        if lue is None:
            continue
        ecrit, doc = lue
        cle = str(int(ecrit)) if ecrit.isdigit() else ecrit.casefold()
        if cle in vus:
            res.erreurs.append(
                f"{situer(ligne, 'numero')} : la fiche {ecrit} est déjà à {vus[cle]} ; "
                "chaque fiche a son numéro"
            )
            continue
        vus[cle] = situer(ligne, "numero")
        lues.append((ecrit, vus[cle], doc))
    _numeroter(lues, res.erreurs)
    fiches = [doc for _, _, doc in lues]
    if not fiches and not res.erreurs:
        res.erreurs.append(f"{table} : aucune fiche dans le tableau (une ligne par fiche)")
    if res.erreurs:
        return res
    texte_axes, document_axes = axes_document(arbre, structure, table.name)
    try:
        Axes.model_validate(en_python(document_axes))
    except ValidationError as exc:
        res.erreurs += [
            f"{table} : axes et objectifs : {e['msg']} ({'.'.join(map(str, e['loc']))}) ; "
            "vérifiez les codes des colonnes Axe et Objectif (ex. 1, 1.1, 1.1.2)"
            for e in exc.errors()
        ]
        return res
    changements = [Changement(racine / FICHIER_AXES, texte_axes.encode(), ancien_axes)]
    for doc in sorted(fiches, key=lambda d: d["numero"]):
        chemin = racine / DOSSIER_FICHES / nom_de_fichier(doc["numero"], doc["titre"])
        nom = doc.get("identifiant", doc["numero"])
        entete = f"{LIGNE_SCHEMA}# Fiche {nom} créée par « cls import-fiches ».\n"
        changements.append(Changement(chemin, (entete + vers_texte(doc)).encode(), None))
    res.plan, res.fiches = Plan(tuple(changements), Bilan()), len(fiches)
    return res
