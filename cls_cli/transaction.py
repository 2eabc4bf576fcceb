"""Écrire plusieurs fichiers de l'arbre de données en tout ou rien, sous un verrou.

Tout se passe dans le dossier ``.cls/`` de l'arbre (ignoré par git : il contient un
``.gitignore`` qui dit ``*``) :

- ``lock`` : le verrou (filelock) que prend toute commande qui écrit ; ``detenteur`` dit
  qui le tient. Un verrou dont le processus a disparu est libéré par le système ;
- pour appliquer des changements (:func:`appliquer`) : chaque nouveau texte est écrit
  dans un temporaire, vidé sur le disque et relu ; chaque fichier remplacé est gardé
  (lien physique, sinon copie) ; puis le journal ``transaction.json`` (chemins, anciens
  et nouveaux hachages) ; puis les renommages ; puis le journal est supprimé ;
- un journal restant (processus tué, panne) est annulé par :func:`reprendre` avant tout
  autre travail : chaque fichier retrouve son ancien contenu, les fichiers créés sont
  retirés. Ainsi, après un échec, l'arbre est exactement celui d'avant la commande.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import shutil
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cls_cli.erreurs import ErreurDonnees, ErreurUsage

DOSSIER = ".cls"
JOURNAL = "transaction.json"
DELAI_VERROU = 30.0


class ErreurSysteme(ErreurDonnees):
    """Le système a refusé une lecture ou une écriture (disque plein, droits…) : code 1."""


@dataclass(frozen=True)
class Changement:
    """Le nouveau contenu d'un fichier ; ``ancien`` est le contenu lu (None : création)."""

    chemin: Path
    nouveau: bytes
    ancien: bytes | None


def _hachage(contenu: bytes | None) -> str | None:
    return None if contenu is None else hashlib.sha256(contenu).hexdigest()


def _lire(chemin: Path) -> bytes | None:
    try:
        return chemin.read_bytes()
    except FileNotFoundError:
        return None


def message_systeme(exc: OSError, chemin: Path | str, quoi: str) -> ErreurSysteme:
    """Une erreur du système en phrase française : quoi, où, et que faire."""
    import errno

    conseils = {
        errno.ENOSPC: "le disque est plein : libérez de la place puis relancez",
        errno.EFBIG: "le fichier dépasse la taille permise : libérez de la place ou "
        "changez de disque",
        errno.EDQUOT: "votre quota de disque est atteint : libérez de la place",
        errno.EACCES: "permission refusée : vérifiez les droits du dossier (ls -l) "
        "ou lancez cls avec un compte qui peut y écrire",
        errno.EPERM: "opération non permise : vérifiez les droits du dossier",
        errno.EROFS: "le disque est en lecture seule : copiez les données ailleurs",
        errno.ENOENT: "le dossier n'existe pas : créez-le ou choisissez un autre chemin",
        errno.EISDIR: "c'est un dossier : donnez un nom de fichier",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    }
    conseil = conseils.get(exc.errno or 0, "vérifiez le disque et les droits, puis relancez")
    raison = exc.strerror or exc.__class__.__name__
    return ErreurSysteme(chemin, 1, 1, f"impossible {quoi} ({raison})", conseil, "systeme")


def dossier_cls(racine: Path) -> Path:
    """Le dossier ``.cls/`` de l'arbre, créé au besoin avec son ``.gitignore``."""
    dossier = racine / DOSSIER
    try:
        dossier.mkdir(exist_ok=True)
        ignore = dossier / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Créé par cls : verrou et journal d'écriture\n*\n", "utf-8")
    except OSError as exc:
        raise message_systeme(exc, dossier, "de préparer le dossier de travail de cls") from None
    return dossier


# --- Le verrou -------------------------------------------------------------------------


def _detenteur(dossier: Path) -> str:
    try:
        return (dossier / "detenteur").read_text("utf-8").strip()
    except OSError:
        return "une autre commande cls"


@contextlib.contextmanager
def verrou(racine: Path, annonces: list[str] | None = None) -> Iterator[None]:
    """Verrou exclusif sur l'arbre ``racine`` (attend au plus :data:`DELAI_VERROU` s).

    Une transaction restée en plan est d'abord annulée (voir :func:`reprendre`), ce que
    dit une phrase ajoutée à ``annonces`` ; les temporaires orphelins sont retirés.
    """
    from filelock import FileLock, Timeout

    dossier = dossier_cls(racine)
    fichier = dossier / "lock"
    verrou_ = FileLock(fichier, timeout=DELAI_VERROU, mode=0o666)
    try:
        verrou_.acquire()
    except Timeout:
        raise ErreurUsage(
            f"{racine} est en cours de modification par une autre commande cls "
            f"({_detenteur(dossier)}) ; réessayez quand elle sera terminée"
        ) from None
    except OSError as exc:
        raise ErreurUsage(
            f"impossible de prendre le verrou {fichier} ({exc.strerror}) : il appartient "
            "sans doute à un autre compte ; si aucune commande cls ne tourne, supprimez-le"
        ) from None
    try:
        with contextlib.suppress(OSError):
            (dossier / "detenteur").write_text(
                f"processus {os.getpid()} de {getpass.getuser()} sur {socket.gethostname()}, "
                f"depuis {time.strftime('%H:%M:%S')}\n",
                "utf-8",
            )
        annonce = reprendre(racine)
        if annonce and annonces is not None:
            annonces.append(annonce)
        _nettoyer(dossier)
        yield
    finally:
        with contextlib.suppress(OSError):
            (dossier / "detenteur").unlink()
        verrou_.release()


def _nettoyer(dossier: Path) -> None:
    """Retire les temporaires et sauvegardes d'une transaction qui n'a pas eu de journal."""
    for chemin in dossier.glob("*.tmp"):
        with contextlib.suppress(OSError):
            chemin.unlink()
    for chemin in dossier.glob("*.ancien"):
        with contextlib.suppress(OSError):
            chemin.unlink()


# --- La transaction --------------------------------------------------------------------


def _ecrire(chemin: Path, contenu: bytes, mode: int, vider: bool = True) -> None:
    """Écrit ``contenu`` dans un nouveau fichier, vidé sur le disque (si ``vider`` ;
    sinon voir :func:`_vider`), puis le relit."""
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descripteur, "wb") as flux:
        flux.write(contenu)
        flux.flush()
        if vider:
            os.fsync(flux.fileno())
    os.chmod(chemin, mode)
    if chemin.read_bytes() != contenu:
        raise OSError(0, "le fichier relu ne contient pas ce qui vient d'y être écrit")


def _vider(chemins: Sequence[Path]) -> None:
    """Vide sur le disque des fichiers écrits sans ``fsync`` : un seul ``sync`` du système
    là où il existe (un ``fsync`` coûte environ 10 ms : 56 s pour 5 600 fiches), sinon un
    ``fsync`` par fichier. Sous Linux, ``sync`` attend la fin des écritures."""
    if hasattr(os, "sync") and len(chemins) > 1:
        os.sync()
        return
    for chemin in chemins:
        descripteur = os.open(chemin, os.O_RDONLY)
        try:
            os.fsync(descripteur)
        finally:
            os.close(descripteur)


def _mode(chemin: Path) -> int:
    try:
        return chemin.stat().st_mode & 0o7777
    except FileNotFoundError:
        masque = os.umask(0)
        os.umask(masque)
        return 0o666 & ~masque


def _sauvegarder(chemin: Path, sauvegarde: Path) -> None:
    try:
        os.link(chemin, sauvegarde)
    except OSError:
        shutil.copy2(chemin, sauvegarde)


def appliquer(racine: Path, changements: Sequence[Changement]) -> None:
    """Remplace ou crée les fichiers de ``changements`` tous ensemble, ou aucun.

    À appeler sous :func:`verrou`. Un fichier qui n'a plus le contenu lu (``ancien``) est
    refusé avant toute écriture. Une erreur à n'importe quelle étape remet l'arbre dans
    son état d'avant ; si même cela échoue, le journal reste et la commande suivante
    termine l'annulation.
    """
    if not changements:
        return
    dossier = dossier_cls(racine)
    entrees: list[dict[str, Any]] = []
    courant = racine
    try:
        for i, ch in enumerate(changements):
            courant = ch.chemin
            if _lire(ch.chemin) != ch.ancien:
                raise ErreurDonnees(
                    ch.chemin, 1, 1, "le fichier a changé pendant la commande", "relancez-la"
                )
            if ch.ancien is None:
                ch.chemin.parent.mkdir(exist_ok=True)
            temporaire = courant = dossier / f"{i}.tmp"
            _ecrire(temporaire, ch.nouveau, _mode(ch.chemin), vider=False)
            courant = ch.chemin
            sauvegarde = dossier / f"{i}.ancien"
            if ch.ancien is not None:
                _sauvegarder(ch.chemin, sauvegarde)
            entrees.append(
                {
                    "chemin": os.path.relpath(ch.chemin, racine),
                    "temporaire": temporaire.name,
                    "sauvegarde": sauvegarde.name,
                    "ancien": _hachage(ch.ancien),
                    "nouveau": _hachage(ch.nouveau),
                }
            )
        courant = dossier
        _vider([dossier / e["temporaire"] for e in entrees])
        courant = dossier / JOURNAL
        _ecrire(dossier / "journal.tmp", json.dumps({"fichiers": entrees}).encode(), 0o644)
        os.replace(dossier / "journal.tmp", dossier / JOURNAL)
    except OSError as exc:
        _nettoyer(dossier)
        raise message_systeme(exc, courant, "d'écrire") from None
    except BaseException:
        _nettoyer(dossier)
        raise
    try:
        for entree in entrees:
            courant = racine / entree["chemin"]
            os.replace(dossier / entree["temporaire"], courant)
        (dossier / JOURNAL).unlink()
    except BaseException as exc:
        with contextlib.suppress(Exception):
            reprendre(racine)
        if isinstance(exc, OSError):
            raise message_systeme(exc, courant, "de remplacer") from None
        raise
    _nettoyer(dossier)


def reprendre(racine: Path) -> str | None:
    """Annule la transaction restée en plan dans ``racine`` (journal présent) : chaque
    fichier retrouve son contenu d'avant. Rend la phrase qui le dit, ou None."""
    dossier = racine / DOSSIER
    journal = dossier / JOURNAL
    try:
        entrees = json.loads(journal.read_bytes())["fichiers"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ErreurDonnees(
            journal,
            1,
            1,
            f"journal d'écriture illisible ({exc})",
            "vérifiez les fiches (git status, git diff), puis supprimez ce fichier",
        ) from None
    restaures = []
    for entree in entrees:
        chemin = racine / entree["chemin"]
        actuel = _hachage(_lire(chemin))
        if actuel != entree["ancien"]:
            sauvegarde = dossier / entree["sauvegarde"]
            if entree["ancien"] is None:
                chemin.unlink()
            elif _hachage(_lire(sauvegarde)) == entree["ancien"]:
                os.replace(sauvegarde, chemin)
            else:
                raise ErreurDonnees(
                    chemin,
                    1,
                    1,
                    "une écriture interrompue n'a pas pu être annulée pour ce fichier",
                    f"restaurez-le (git checkout -- {chemin.name}), puis supprimez {journal}",
                )
            restaures.append(entree["chemin"])
    journal.unlink()
    _nettoyer(dossier)
    liste = ", ".join(restaures) if restaures else "aucun fichier n'avait encore changé"
    return f"Une écriture de cls avait été interrompue : elle a été annulée ({liste})."


def transaction_en_plan(racine: Path) -> bool:
    """Vrai si un journal d'écriture est resté dans ``racine`` (coût : un accès disque)."""
    return (racine / DOSSIER / JOURNAL).exists()
