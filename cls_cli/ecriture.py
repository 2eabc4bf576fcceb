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
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from cls_cli.erreurs import ErreurUsage


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


# --- Les fichiers produits (rapport, tableau de collecte) ------------------------------


#: Ce qui reconnaît, dans ses premiers octets, un fichier produit par cls et qui peut être
#: remplacé sans --force, par genre de sortie : une des formes suffit ; une forme qui est un
#: tuple demande toutes ses parties. Rapport : titre du Markdown ou du HTML (en français ou
#: en anglais), début du JSON. Rapport d'évaluation, bulletin, contrat consolidé : leurs
#: titres fixes (le titre d'une évaluation vient des données : le HTML porte une balise
#: ``generator``, le Markdown sa première section). Pas de tableau de collecte : rempli
#: par un porteur, il garde l'en-tête du modèle, et le remplacer perdrait ses valeurs.
SIGNATURES: dict[str, tuple[bytes | tuple[bytes, ...], ...]] = {
    "rapport": (
        "Rapport d'évaluation ".encode(),
        b"Evaluation report ",
        b'{\n  "annee": ',  # rapport JSON d'avant le champ « version »
        b'{\n  "version": "1.',  # rapport JSON (cls_cli.modele_rapport.VERSION 1.x)
    ),
    "evaluation": (
        b'<meta name="generator" content="cls evaluate report">',
        "\n## 1. Méthode et calendrier\n".encode(),
        (b'{\n  "id": "', b'\n  "pilotage": '),
    ),
    "bulletin": (b"# Bulletin d'information du CLS", b"<title>Bulletin du CLS "),
    "relances": (b"porteur;nom;email;a_remplir;manquantes\r\n",),  # cls campaign remind
    "contrat": (b"\n## Contrat en vigueur le ", " — contrat en vigueur le ".encode()),
}


def est_une_sortie(debut: bytes, genre: str) -> bool:
    """Les premiers octets d'un fichier sont-ils ceux d'une sortie de ce ``genre`` ?"""
    for forme in SIGNATURES.get(genre, ()):
        parties = forme if isinstance(forme, tuple) else (forme,)
        if all(partie in debut for partie in parties):
            return True
    return False


def _dans(chemin: Path, dossier: Path) -> bool:
    try:
        chemin.resolve().relative_to(dossier.resolve())
    except ValueError:
        return False
    return True


def verifier_sortie(sortie: Path, racine: Path, force: bool, genre: str) -> None:
    """Lève ErreurUsage (code 2) si ``-o`` ne peut pas recevoir une sortie de ``genre`` :
    un chemin dans l'arbre de données ``racine`` ; un dossier ; un dossier parent absent ;
    un fichier existant qui n'est pas une sortie précédente du même ``genre`` (voir
    :data:`SIGNATURES`), sauf avec ``force``. À appeler avant tout travail (lecture des
    données, rendu), pour que le refus vienne tout de suite et dise la bonne raison.
    """
    if _dans(sortie, racine):
        raise ErreurUsage(
            f"{sortie} est dans le dossier de données {racine} : cls n'y écrit pas ses "
            "sorties, pour ne jamais remplacer une fiche ; choisissez un chemin hors de ce "
            "dossier (par exemple rapports/)"
        )
    if sortie.is_dir():
        raise ErreurUsage(f"{sortie} est un dossier : donnez un nom de fichier (-o …/nom.ext)")
    if not sortie.parent.is_dir():
        raise ErreurUsage(
            f"le dossier {sortie.parent} n'existe pas : créez-le (mkdir -p) ou choisissez "
            "un autre chemin"
        )
    if sortie.exists() and not force:
        try:
            with sortie.open("rb") as flux:
                debut = flux.read(4096)
        except OSError:
            debut = b""
        if not est_une_sortie(debut, genre):
            raise ErreurUsage(
                f"{sortie} existe déjà et n'a pas été produit par cette commande : "
                "choisissez un autre nom, ou ajoutez --force pour le remplacer"
            )


def ecrire_sortie(
    sortie: Path,
    contenu: Contenu,
    racine: Path,
    force: bool,
    genre: str,
) -> None:
    """Écrit un fichier produit par cls (``-o``), sans jamais écraser de données : les
    refus de :func:`verifier_sortie`, puis une écriture atomique. Une erreur du système
    (disque plein, droits) devient une phrase (code 1).
    """
    from cls_cli.transaction import message_systeme

    verifier_sortie(sortie, racine, force, genre)
    try:
        remplacer(sortie, contenu)
    except OSError as exc:
        raise message_systeme(exc, sortie, "d'écrire ce fichier") from None


def ecrire_dossier(
    dossier: Path,
    fichiers: Sequence[tuple[str, Contenu]],
    racine: Path,
    remplacer_existants: bool,
    quoi: str,
    conseil: str,
) -> list[Path]:
    """Écrit des fichiers produits par cls (une campagne, des tables) dans ``dossier``,
    créé au besoin, et rend leurs chemins. Tout est vérifié avant la première écriture :
    jamais dans le dossier de données ``racine`` ; un fichier existant n'est remplacé
    qu'avec ``remplacer_existants`` (sinon ErreurUsage : « ``dossier`` contient déjà
    ``quoi`` … », puis ``conseil``) ; chaque fichier est écrit atomiquement."""
    from cls_cli.transaction import message_systeme

    if _dans(dossier, racine):
        raise ErreurUsage(
            f"{dossier} est dans le dossier de données {racine} : cls n'y écrit pas ses "
            "sorties ; choisissez un dossier hors de celui-ci (-o)"
        )
    if dossier.exists() and not dossier.is_dir():
        raise ErreurUsage(f"{dossier} est un fichier : donnez un dossier (-o)")
    if not dossier.parent.is_dir():
        raise ErreurUsage(
            f"le dossier {dossier.parent} n'existe pas : créez-le (mkdir -p) ou choisissez "
            "un autre chemin"
        )
    chemins = [dossier / nom for nom, _ in fichiers]
    existants = [c.name for c in chemins if c.exists()]
    if existants and not remplacer_existants:
        raise ErreurUsage(
            f"{dossier} contient déjà {quoi} ({', '.join(existants[:3])}"
            f"{'…' if len(existants) > 3 else ''}) : rien n'a été écrit ; {conseil}"
        )
    try:
        dossier.mkdir(exist_ok=True)
        for chemin, (_, contenu) in zip(chemins, fichiers, strict=True):
            remplacer(chemin, contenu)
    except OSError as exc:
        raise message_systeme(exc, dossier, "d'écrire dans ce dossier") from None
    return chemins
