"""Un nom par concept dans le code (ticket 15) : les anciens noms qui voulaient dire plusieurs
choses ne reviennent pas. Le sens de chaque nom est dans docs/vocabulaire.md."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PAQUET = Path(__file__).resolve().parent.parent / "cls_cli"

#: ancien nom -> ce qu'on écrit à la place (voir docs/vocabulaire.md)
ANCIENS = {
    "donnees": "valeurs (les valeurs lues d'un document) ou racine (le dossier de données)",
    "_donnees": "_valeurs",
    "chemin_affiche": "emplacement",
    "completion": "avancement_moyen",
    "Completion": "AvancementMoyen",
    "trouver_donnees": "trouver_racine",
    "dossier_donnees": "racine (ou racine_designee dans la coquille)",
}
#: « brut » garde un seul sens, la valeur telle que saisie, avant lecture : il n'apparaît que
#: là où l'on lit ce qu'un porteur a tapé.
BRUT_PERMIS = {
    "saisie.py",
    "tableur.py",
    "lecture_tableur.py",
    "lecture_csv.py",
    "lecture_xlsx.py",
    "lecture_types.py",
    "regles_saisie.py",
    "collecte.py",
    "colonnes_collecte.py",
    "classeur_campagne.py",
}


def _noms(arbre: ast.AST) -> Iterator[tuple[str, int]]:
    """Chaque identifiant défini ou utilisé : variables, attributs, arguments, fonctions."""
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Name):
            yield noeud.id, noeud.lineno
        elif isinstance(noeud, ast.Attribute):
            yield noeud.attr, noeud.lineno
        elif isinstance(noeud, ast.arg):
            yield noeud.arg, noeud.lineno
        elif isinstance(noeud, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield noeud.name, noeud.lineno
        elif isinstance(noeud, ast.alias):
            yield (noeud.asname or noeud.name).split(".")[-1], getattr(noeud, "lineno", 0)


@pytest.mark.parametrize(
    "chemin", sorted(PAQUET.rglob("*.py")), ids=lambda c: c.relative_to(PAQUET).as_posix()
)
def test_un_nom_par_concept(chemin: Path) -> None:
    fautes = []
    for nom, ligne in _noms(ast.parse(chemin.read_text(encoding="utf-8"))):
        if nom in ANCIENS:
            fautes.append(f"{chemin.name}:{ligne} « {nom} » : écrivez {ANCIENS[nom]}")
        elif nom in ("brut", "_brut") and chemin.name not in BRUT_PERMIS:
            fautes.append(
                f"{chemin.name}:{ligne} « {nom} » hors de la lecture d'une saisie : écrivez "
                "arbre_yaml (le document aller-retour) ou console.ecrire (la sortie telle quelle)"
            )
    assert not fautes, "\n".join(fautes)


def test_le_test_voit_un_ancien_nom(tmp_path: Path) -> None:
    """Le détecteur lui-même : un ancien nom dans un bout de code est bien trouvé."""
    noms = {n for n, _ in _noms(ast.parse("def f(donnees):\n    return x.brut\n"))}
    assert {"donnees", "brut"} <= noms
