"""Écriture sûre d'un fichier : verrou, fichier temporaire, vérification, renommage atomique.

Toute écriture de ``cls`` passe par :func:`ecrire_atomique` :

1. un verrou (fasteners) sur un fichier de verrou placé dans le dossier temporaire du
   système (jamais dans le dépôt, donc jamais dans ``git status``), pour que deux
   commandes lancées en même temps ne perdent pas une mise à jour ;
2. le nouveau contenu est écrit dans un fichier temporaire du même dossier, vidé sur le
   disque (fsync) et doté des permissions de l'original ;
3. la fonction ``verifier`` éventuelle examine ce fichier temporaire : si elle lève une
   exception, le temporaire est supprimé et l'original reste intact ;
4. un renommage atomique (``os.replace``) remplace l'original : un lecteur voit l'ancien
   ou le nouveau fichier, jamais un fichier à moitié écrit.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from cls_cli.erreurs import ErreurUsage

DELAI_VERROU = 30.0


def chemin_verrou(chemin: Path) -> Path:
    """Le fichier de verrou associé à ``chemin`` (hors du dépôt)."""
    empreinte = hashlib.sha256(str(chemin.resolve().parent).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"cls-{empreinte}.lock"


@contextlib.contextmanager
def verrou(chemin: Path) -> Iterator[None]:
    """Verrou exclusif sur le dossier de ``chemin`` (attend au plus 30 s)."""
    from fasteners import InterProcessLock  # importé à l'usage : cls validate n'écrit rien

    verrou_ = InterProcessLock(chemin_verrou(chemin))
    if not verrou_.acquire(timeout=DELAI_VERROU):
        raise ErreurUsage(
            f"{chemin.parent} est en cours de modification par une autre commande cls ; "
            "réessayez quand elle sera terminée"
        )
    try:
        yield
    finally:
        verrou_.release()


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
    dans ``chemin`` par un temporaire vérifié puis renommé (sans prendre le verrou : voir
    :func:`verrou`). Une erreur en cours d'écriture laisse l'original intact."""
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
    """Remplace ``chemin`` par ``contenu``, sous verrou, après vérification éventuelle."""
    with verrou(chemin):
        remplacer(chemin, contenu, verifier)
