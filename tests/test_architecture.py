"""L'architecture du paquet : un cœur fonctionnel qui n'importe rien de la coquille (commandes,
CLI, affichage), sans cycle d'imports, et des modules qui restent lisibles (400 lignes au
plus)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAQUET = Path(__file__).resolve().parent.parent / "cls_cli"

#: La coquille : ce qui lit les options, affiche, ou lance l'application.
COQUILLE = {
    "cls_cli.cli",
    "cls_cli.console",
    "cls_cli.demarrage",
    "cls_cli.__main__",
    "cls_cli.typer_fr",
}
#: Ce que le cœur n'importe jamais.
INTERDITS_AU_COEUR = ("cls_cli.commandes", "cls_cli.cli", "cls_cli.console", "typer", "rich")


def _nom(chemin: Path) -> str:
    parties = chemin.relative_to(PAQUET.parent).with_suffix("").parts
    return ".".join(parties[:-1] if parties[-1] == "__init__" else parties)


MODULES = {_nom(c): c for c in sorted(PAQUET.rglob("*.py"))}


def _imports(chemin: Path) -> set[str]:
    """Tous les modules importés par un fichier, imports différés compris."""
    noms: set[str] = set()
    for noeud in ast.walk(ast.parse(chemin.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.Import):
            noms.update(a.name for a in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms.add(noeud.module)
            noms.update(f"{noeud.module}.{a.name}" for a in noeud.names)
    return noms


def _coeur() -> list[str]:
    return [m for m in MODULES if m not in COQUILLE and not m.startswith("cls_cli.commandes")]


@pytest.mark.parametrize("module", _coeur())
def test_le_coeur_n_importe_rien_de_la_coquille(module: str) -> None:
    fautifs = sorted(
        i
        for i in _imports(MODULES[module])
        if any(i == x or i.startswith(x + ".") for x in INTERDITS_AU_COEUR)
    )
    assert not fautifs, f"{module} importe {fautifs}"


def test_pas_de_cycle_d_imports() -> None:
    graphe = {m: {i for i in _imports(c) if i in MODULES and i != m} for m, c in MODULES.items()}
    etat: dict[str, int] = {}  # 1 : en cours de visite, 2 : fini

    def visiter(m: str, pile: list[str]) -> None:
        etat[m] = 1
        for suivant in sorted(graphe[m]):
            if etat.get(suivant) == 1:
                cycle = pile[pile.index(suivant) :] + [suivant]
                raise AssertionError("cycle d'imports : " + " -> ".join(cycle))
            if suivant not in etat:
                visiter(suivant, [*pile, suivant])
        etat[m] = 2

    for module in sorted(graphe):
        if module not in etat:
            visiter(module, [module])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_de_400_lignes_au_plus(module: str) -> None:
    lignes = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lignes <= 400, f"{module} a {lignes} lignes"
