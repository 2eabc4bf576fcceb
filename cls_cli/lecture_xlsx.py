"""Lecture d'un classeur Excel rempli (openpyxl), cellule par cellule, sans rien deviner.

Un classeur revenu d'un porteur est une entrée non fiable : l'archive est vérifiée
(abîmée ? trop grosse une fois décompressée ?) avant qu'openpyxl ne l'ouvre, et openpyxl
lit son XML par defusedxml (entités refusées). Chaque feuille est lue en lecture seule :
les valeurs calculées, et, si elle contient des formules, les formules aussi, pour
refuser une formule dont aucun tableur n'a jamais calculé la valeur (elle arriverait
vide). Un premier passage sur le XML de chaque feuille y trouve les cellules fusionnées
(qu'openpyxl en lecture seule ne lit pas) et dit s'il y a des formules : sans formule,
le classeur n'est ouvert qu'une fois.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Collection, Iterator
from itertools import islice, zip_longest
from pathlib import Path
from typing import Any

from cls_cli.erreurs import ErreurDonnees
from cls_cli.lecture_types import (
    Entetes,
    Lecture,
    LigneLue,
    Limites,
    NombreLu,
    en_entier,
    en_mo,
    texte_date,
)

_MEMBRES_MAX = 10_000
_LIGNES_EXPLOREES = 20  # où chercher un en-tête descendu sous la ligne 1


def _refus(chemin: Path, ligne: int, colonne: int, message: str, correction: str) -> ErreurDonnees:
    return ErreurDonnees(chemin, ligne, colonne, message, correction, "xlsx")


def _verifier_archive(chemin: Path, limites: Limites) -> None:
    """Refuse une archive abîmée ou qui, décompressée, dépasserait la limite (bombe zip).

    Les tailles déclarées suffisent : zipfile n'en décompresse jamais davantage."""
    try:
        with zipfile.ZipFile(chemin) as archive:
            membres = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refus(
            chemin,
            1,
            1,
            "ce n'est pas un classeur .xlsx lisible (archive abîmée ou d'un autre format)",
            "ouvrez-le dans votre tableur et enregistrez-le au format .xlsx",
        ) from None
    total = sum(m.file_size for m in membres)
    if len(membres) > _MEMBRES_MAX or total > limites.decompresse:
        raise _refus(
            chemin,
            1,
            1,
            f"classeur anormalement gros une fois décompressé ({en_mo(total)}, "
            f"{en_entier(len(membres))} parties ; au plus {en_mo(limites.decompresse)})",
            "vérifiez que c'est bien le tableau de collecte, enregistré depuis votre tableur",
        )


def lire_xlsx(
    chemin: Path,
    entetes: Entetes,
    limites: Limites,
    feuilles_annexes: Collection[str] = (),
    avec_classeur: Callable[[Any], None] | None = None,
) -> Lecture:
    """Les lignes de chaque feuille du tableau ; les autres feuilles sont signalées.

    ``avec_classeur`` : appelé, une fois les lignes lues, avec le classeur ouvert (valeurs
    calculées, lecture seule), pour y lire autre chose sans l'ouvrir une seconde fois."""
    from openpyxl import load_workbook

    _verifier_archive(chemin, limites)
    try:
        valeurs = load_workbook(chemin, read_only=True, data_only=True)
        formules = None
        try:
            structures = {
                f.title: _structure(valeurs, f)
                for f in valeurs.worksheets
                if f.title not in feuilles_annexes
            }
            if any(avec_formules for _, avec_formules in structures.values()):
                formules = load_workbook(chemin, read_only=True, data_only=False)
            lecture = _lire(chemin, valeurs, formules, structures, entetes, limites)
            if avec_classeur is not None:
                avec_classeur(valeurs)
            return lecture
        finally:
            valeurs.close()
            if formules is not None:
                formules.close()
    except ErreurDonnees:
        raise
    except Exception as exc:  # XML hostile (entités), archive incohérente, style inconnu…
        raise _refus(
            chemin,
            1,
            1,
            f"classeur Excel illisible ou dangereux ({_cause(exc)})",
            "ouvrez-le dans votre tableur et enregistrez-le au format .xlsx, ou repartez du "
            "modèle de « cls template »",
        ) from None


def _cause(exc: BaseException) -> str:
    """Le nom de l'erreur d'origine ; « XML à entités » pour ce que refuse defusedxml."""
    origine = exc.__cause__ or exc.__context__ or exc
    if type(origine).__module__.startswith("defusedxml"):
        return f"XML à entités ou DTD refusé : {type(origine).__name__}"
    return type(origine).__name__


def _lire(
    chemin: Path,
    valeurs: Any,
    formules: Any | None,
    structures: dict[str, tuple[list[str], bool]],
    entetes: Entetes,
    limites: Limites,
) -> Lecture:
    """``structures`` : les feuilles à lire (pas les annexes), chacune avec ses cellules
    fusionnées et si elle a des formules ; ``formules`` : None si aucune n'en a."""
    lecture = Lecture()
    lignes = 0
    for feuille in valeurs.worksheets:
        if feuille.title not in structures:
            continue
        feuille.reset_dimensions()  # lire aussi au-delà de la taille déclarée (<dimension>)
        rangees_f: Iterator[Any] = iter(())
        if formules is not None:
            feuille_f = formules[feuille.title]
            feuille_f.reset_dimensions()
            rangees_f = feuille_f.iter_rows()
        rangees = zip_longest(feuille.iter_rows(), rangees_f, fillvalue=())
        entete = next(rangees, None)
        titres = [c.value for c in entete[0]] if entete else []
        nom = f"feuille « {feuille.title} »"
        if not any(entetes.cle(t) for t in titres):
            _en_tete_deplace(chemin, nom, rangees, entetes)
            if entete is not None:
                lecture.avertissements.append(
                    f"{chemin}: {nom} ignorée : ce n'est pas un tableau de collecte "
                    "(aucune colonne du modèle dans ses premières lignes)"
                )
            continue
        cles = entetes.cles(titres, f"{nom} : ")
        _fusions(chemin, structures[feuille.title][0], feuille, cles)
        for i, titre in enumerate(titres):
            if titre not in (None, "") and cles[i] is None:
                lecture.avertissements.append(
                    f"{chemin}:{feuille.title}:1: colonne « {titre} » ({_lettre(i)}) ignorée : "
                    "elle n'appartient pas au modèle"
                )
        for numero, (cellules, cellules_f) in enumerate(rangees, start=2):
            lignes += 1
            if lignes > limites.lignes:
                raise _refus(
                    chemin,
                    numero,
                    1,
                    f"{nom} : plus de {en_entier(limites.lignes)} lignes au total",
                    "un tableau de collecte en compte quelques centaines : vérifiez le fichier",
                )
            ligne = LigneLue(f"{chemin}:{feuille.title}:{numero}", {})
            for i, (cellule, cellule_f) in enumerate(zip_longest(cellules, cellules_f)):
                _cellule(chemin, nom, numero, i, cellule, cellule_f, cles, titres, ligne, limites)
            for i, cle in enumerate(cles):  # une cellule vide a aussi son adresse, pour la nommer
                if cle is not None:
                    ligne.adresses.setdefault(cle, f"{_lettre(i)}{numero}")
            lecture.lignes.append(ligne)
    return lecture


def _en_tete_deplace(chemin: Path, nom: str, rangees: Iterator[Any], entetes: Entetes) -> None:
    """Refuse une feuille dont l'en-tête du tableau a glissé sous la ligne 1 (une ligne de
    titre insérée au-dessus) : l'ignorer ferait perdre toutes ses lignes."""
    for numero, (cellules, _formules) in enumerate(islice(rangees, _LIGNES_EXPLOREES), start=2):
        if any(entetes.cle(getattr(c, "value", None)) for c in cellules):
            raise _refus(
                chemin,
                numero,
                1,
                f"{nom} : l'en-tête du tableau est à la ligne {numero}, pas à la ligne 1",
                "supprimez les lignes au-dessus de l'en-tête (le modèle de « cls template » "
                "commence à la ligne 1)",
            )


def _lettre(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _cellule(
    chemin: Path,
    nom: str,
    numero: int,
    i: int,
    cellule: Any,
    cellule_f: Any,
    cles: list[str | None],
    titres: list[Any],
    ligne: LigneLue,
    limites: Limites,
) -> None:
    """Range la valeur d'une cellule dans ``ligne``, ou refuse la cellule."""
    valeur = getattr(cellule, "value", None)
    adresse = f"{nom}, cellule {_lettre(i)}{numero}"
    cle = cles[i] if i < len(cles) else None
    if cle is None:
        if i < len(titres) and titres[i] not in (None, ""):
            return  # colonne hors modèle, déjà signalée
        if valeur is None or (isinstance(valeur, str) and not valeur.strip()):
            return
        raise _refus(
            chemin,
            numero,
            i + 1,
            f"{adresse} : « {str(valeur)[:40]} » est hors des colonnes du tableau",
            "déplacez cette valeur dans sa colonne (un commentaire va dans « Commentaire »)"
            " ou effacez-la",
        )
    if valeur is None and getattr(cellule_f, "data_type", None) == "f":
        raise _refus(
            chemin,
            numero,
            i + 1,
            f"{adresse} : formule « {str(cellule_f.value)[:60]} » sans valeur calculée",
            "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le (le tableur "
            "calcule alors la formule), ou tapez la valeur à la place de la formule",
        )
    if valeur is None:
        return
    if getattr(cellule, "data_type", None) == "e":
        raise _refus(
            chemin,
            numero,
            i + 1,
            f"{adresse} : erreur de calcul « {valeur} »",
            "corrigez la formule ou tapez la valeur dans le tableur",
        )
    ligne.adresses[cle] = f"{_lettre(i)}{numero}"
    if isinstance(valeur, bool):
        ligne.valeurs[cle] = "oui" if valeur else "non"
    elif isinstance(valeur, int | float):
        pourcent = format_pourcent(str(getattr(cellule, "number_format", "") or ""))
        ligne.nombres[cle] = NombreLu(valeur, pourcent)
        texte = str(int(valeur)) if isinstance(valeur, float) and valeur.is_integer() else valeur
        ligne.valeurs[cle] = str(texte)
    elif isinstance(valeur, dt.datetime | dt.date | dt.time | dt.timedelta):
        ligne.valeurs[cle] = texte_date(valeur)
    else:
        texte = str(valeur)
        if len(texte) > limites.champ:
            raise _refus(
                chemin,
                numero,
                i + 1,
                f"{adresse} : {en_entier(len(texte))} caractères (au plus "
                f"{en_entier(limites.champ)})",
                "raccourcissez ce texte",
            )
        ligne.valeurs[cle] = texte.strip()


def format_pourcent(format_nombre: str) -> bool:
    """Le format affiche-t-il la valeur multipliée par 100 ? « 0% », « 0.0 % » oui ;
    « 0" %" » ou « 0\\% » non (le signe y est du texte : 60 s'y affiche « 60 % »)."""
    sans_texte = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", format_nombre)
    return "%" in sans_texte


def _fusions(chemin: Path, fusions: list[str], feuille: Any, cles: list[str | None]) -> None:
    """Refuse des cellules fusionnées dans la zone de saisie : seule la première garde sa
    valeur, les lignes suivantes arriveraient vides."""
    from openpyxl.worksheet.cell_range import CellRange

    colonnes = {i + 1 for i, cle in enumerate(cles) if cle is not None}
    for ref in fusions:
        zone = CellRange(ref)
        if zone.max_row >= 2 and colonnes & set(range(zone.min_col, zone.max_col + 1)):
            raise _refus(
                chemin,
                max(zone.min_row, 2),
                zone.min_col,
                f"feuille « {feuille.title} », cellules {ref} fusionnées dans la zone de saisie",
                "défusionnez-les (une valeur par ligne et par colonne)",
            )


def _structure(classeur: Any, feuille: Any) -> tuple[list[str], bool]:
    """Les cellules fusionnées de la feuille, et si elle contient une formule (un élément
    <f>, namespacé ou non : dans le doute, les formules seront lues)."""
    from openpyxl.xml.functions import iterparse  # par defusedxml quand il est installé

    # openpyxl en lecture seule ne lit pas <mergeCells> : on les lit dans le XML de la feuille.
    fusions, avec_formules = [], False
    with classeur._archive.open(feuille._worksheet_path) as source:
        for _evenement, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                fusions.append(str(element.get("ref")))
            elif element.tag == "f" or element.tag.endswith("}f"):
                avec_formules = True
            element.clear()
    return fusions, avec_formules
