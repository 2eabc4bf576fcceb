"""Le seul module qui importe rich : affichage en terminal (tableaux, fiches, messages).

Tout texte venu des données passe par :func:`sur` (ou :func:`propre`) avant d'être montré :
le balisage rich (``[red]``) y est échappé et les caractères de contrôle montrés échappés.
rich n'est importé qu'au premier affichage : ``cls validate``, qui écrit des lignes brutes,
et les comptes rendus d'écriture (:func:`compte_rendu`, ``cls record`` d'abord) s'en passent.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

#: Les caractères de contrôle (C0 sauf tabulation et saut de ligne, DEL, C1) : ESC, BEL,
#: CR… qu'un terminal interpréterait (couleurs, titre de fenêtre, effacement de ligne).
_CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@cache
def _sortie() -> Console:
    from rich.console import Console

    return Console(highlight=False)


@cache
def _erreurs() -> Console:
    from rich.console import Console

    # Les messages d'erreur ne sont jamais coupés : « fichier:ligne: message » reste sur une ligne.
    return Console(stderr=True, highlight=False, soft_wrap=True)


def propre(texte: object) -> str:
    """Un texte venu des données, ses caractères de contrôle montrés échappés (ESC devient
    le texte ``\\x1b``) : visibles, mais inoffensifs pour le terminal."""
    return _CONTROLE.sub(_echapper, str(texte))


def _echapper(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group()):02x}"


def sur(texte: object) -> str:
    """Un texte venu des données, rendu inoffensif pour rich et pour le terminal."""
    from rich.markup import escape

    return escape(propre(texte))


def ecrire(texte: str) -> None:
    """Écrit du texte tel quel sur la sortie standard (lignes lisibles par une machine)."""
    sys.stdout.write(texte if texte.endswith("\n") else texte + "\n")
    sys.stdout.flush()


def texte(texte: str) -> None:
    """Écrit un texte pour un lecteur (Markdown, texte simple) sur la sortie standard, ses
    caractères de contrôle échappés (voir :func:`propre`)."""
    ecrire(propre(texte))


def flux(morceaux: Iterable[str], lisible: bool = False) -> None:
    """Écrit, au fil de l'eau, les morceaux d'un long texte (un rapport) : tels quels, ou
    avec ``lisible`` les caractères de contrôle échappés (Markdown ou HTML au terminal)."""
    sys.stdout.writelines(map(propre, morceaux) if lisible else morceaux)
    sys.stdout.flush()


def compte_rendu(message: str) -> None:
    """Le compte rendu d'une écriture (« … ajoutée », « Rapport écrit… ») en texte simple,
    sans rich ni son coût de démarrage : les textes venus des données y passent par
    :func:`propre`, pas par :func:`sur`."""
    ecrire(message)


def note(message: str) -> None:
    """Une indication sur la sortie d'erreur, en texte simple (la sortie standard reste aux
    résultats)."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def chemin_lisible(chemin: Path) -> str:
    """Un chemin tel qu'on le montre : relatif au dossier courant quand il est dessous."""
    try:
        return str(chemin.resolve().relative_to(Path.cwd().resolve()) or ".")
    except ValueError:
        return str(chemin)


#: Le dossier qui contient le dossier de données de la commande : les emplacements du
#: cœur (``data/actions/07-x.yaml``) partent de lui.
_base: list[Path] = []


def situer_emplacements(racine: Path | None) -> None:
    """Note le dossier de données de la commande, pour afficher les emplacements du cœur
    (None : aucun, les emplacements sont montrés tels quels)."""
    _base[:] = [racine.resolve().parent] if racine is not None else []


def lieu(emplacement: str) -> str:
    """Un emplacement du cœur tel qu'on le montre : relatif au dossier courant quand le
    fichier est dessous (``cls validate`` lancé depuis ``data/actions/``), sinon tel quel."""
    if not _base or Path(emplacement).is_absolute():
        return emplacement
    try:
        return str((_base[0] / emplacement).relative_to(Path.cwd().resolve()))
    except ValueError:
        return emplacement


def erreur(message: str) -> None:
    """Un message d'erreur sur la sortie d'erreur (sans trace Python)."""
    _erreurs().print(f"[bold red]Erreur :[/] {sur(message)}")


def avertissement(message: str) -> None:
    """Un avertissement sur la sortie d'erreur : quelque chose a été ignoré, et où."""
    _erreurs().print(f"[bold yellow]Avertissement :[/] {sur(message)}")


def info(message: str) -> None:
    _sortie().print(message)


def tableau(titre: str, colonnes: Sequence[str], lignes: Sequence[Sequence[object]]) -> None:
    """Un tableau ; les cellules viennent des données et sont échappées."""
    from rich.table import Table

    table = Table(title=sur(titre), show_lines=False, expand=False)
    for colonne in colonnes:
        table.add_column(sur(colonne), overflow="fold")
    for ligne in lignes:
        table.add_row(*(sur(c) for c in ligne))
    _sortie().print(table)


def section(titre: str) -> None:
    _sortie().rule(f"[bold]{sur(titre)}[/]")


def champ(nom: str, valeur: object) -> None:
    _sortie().print(f"[bold]{sur(nom)}[/] : {sur(valeur)}")
