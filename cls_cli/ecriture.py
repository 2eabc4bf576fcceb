"""Écriture sûre d'un fichier produit par cls (rapport, tableau de collecte, schéma) :
fichier temporaire, vérification, renommage atomique.

Les fiches de l'arbre de données, elles, sont écrites par :mod:`cls_cli.transaction`
(verrou dans l'arbre, tout ou rien sur plusieurs fichiers). :func:`ecrire_atomique` :

1. le nouveau contenu est écrit dans un fichier temporaire du même dossier, vidé sur le
   disque (fsync) et doté des permissions de l'original ;
2. la fonction ``verifier`` éventuelle examine ce fichier temporaire : si elle lève une
   exception, le temporaire est supprimé et l'original reste intact ;
3. un renommage atomique (``os.replace``) remplace l'original : un lecteur voit l'ancien
   ou le nouveau fichier, jamais un fichier à moitié écrit.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


def _mode(chemin: Path) -> int:
    try:
        return stat.S_IMODE(chemin.stat().st_mode)
    except FileNotFoundError:
        masque = os.umask(0)
        os.umask(masque)
        return 0o666 & ~masque


Contenu = str | bytes | Iterable[str]


def remplacer(
    chemin: Path, contenu: Contenu, verifier: Callable[[Path], None] | None = None
) -> None:
    """Écrit ``contenu`` (texte UTF-8, octets, ou morceaux de texte écrits au fil de l'eau)
    dans ``chemin`` par un temporaire vérifié puis renommé. Une erreur en cours
    d'écriture laisse l'original intact."""
    descripteur, temporaire = tempfile.mkstemp(
        dir=chemin.parent, prefix=f".{chemin.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descripteur, "wb") as flux:
            if isinstance(contenu, bytes):
                flux.write(contenu)
            elif isinstance(contenu, str):
                flux.write(contenu.encode("utf-8"))
            else:
                texte = io.TextIOWrapper(flux, encoding="utf-8", newline="")
                texte.writelines(contenu)
                texte.flush()
                texte.detach()
            flux.flush()
            os.fsync(flux.fileno())
        os.chmod(temporaire, _mode(chemin))
        if verifier is not None:
            verifier(Path(temporaire))
        os.replace(temporaire, chemin)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporaire)
        raise


def ecrire_atomique(
    chemin: Path, contenu: Contenu, verifier: Callable[[Path], None] | None = None
) -> None:
    """Remplace ``chemin`` par ``contenu`` après vérification éventuelle."""
    remplacer(chemin, contenu, verifier)
