"""Ce que git dit du dépôt qui contient les données : commit courant, fichiers d'une révision,
historique d'un fichier, versions successives des fiches.

Le seul module qui lance ``git`` ; il ne lit que (jamais de commande qui modifie un dépôt),
sauf :func:`initialiser_git`, qui crée le dépôt d'un contrat neuf (``cls init``).
Une révision inconnue ou un dossier hors d'un dépôt lèvent :class:`ErreurUsage` (code 2).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cls_cli.chargement import (
    DOSSIER_FICHES,
    FICHIER_AXES,
    FICHIER_CONTRAT,
    NOMBRE_MAX_FICHES,
    Chargement,
    DejaLues,
    assembler,
    charger,
)
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import Fiche


@dataclass(frozen=True)
class Origine:
    """D'où viennent les données : le commit git et l'état du dossier."""

    commit: str | None
    modifie: bool


#: Le séparateur de champs des sorties de ``git log`` (caractère de contrôle US).
_SEP = "\x1f"


def _git(dossier: Path, *args: str, entree: bytes | None = None) -> bytes | None:
    """La sortie de ``git ARGS`` lancé dans ``dossier``, ou None si git échoue."""
    try:
        sortie = subprocess.run(
            ["git", *args],
            cwd=dossier,
            input=entree,
            capture_output=True,
            check=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return sortie.stdout


def _texte(dossier: Path, *args: str) -> str | None:
    sortie = _git(dossier, *args)
    return None if sortie is None else sortie.decode("utf-8", errors="replace")


def dans_un_depot(dossier: Path) -> bool:
    """Vrai si ``dossier`` (ou, s'il n'existe pas encore, son plus proche parent existant)
    est dans un dépôt git."""
    existant = dossier.resolve()
    while not existant.exists() and existant != existant.parent:
        existant = existant.parent
    return _texte(existant, "rev-parse", "--show-toplevel") is not None


def initialiser_git(dossier: Path) -> bool:
    """``git init`` dans ``dossier`` (``cls init``) ; faux si git est absent ou échoue."""
    return _git(dossier, "init", "--quiet") is not None


def origine(dossier: Path) -> Origine:
    """Le commit courant du dépôt de ``dossier`` et s'il y a des modifications non validées."""
    commit = _texte(dossier, "rev-parse", "--short=12", "HEAD")
    if commit is None:
        return Origine(commit=None, modifie=False)
    etat = _texte(dossier, "status", "--porcelain", "--", ".")
    return Origine(commit=commit.strip(), modifie=bool(etat and etat.strip()))


@dataclass(frozen=True)
class Depot:
    """Un dépôt git et l'emplacement du dossier de données dans son arbre."""

    racine_depot: Path
    racine_relative: PurePosixPath  # chemin du dossier de données, relatif à la racine du dépôt

    @classmethod
    def de(cls, racine: Path) -> Depot:
        """Le dépôt qui contient ``racine`` (ErreurUsage s'il n'y en a pas)."""
        dossier = racine.resolve()
        sortie = _texte(dossier, "rev-parse", "--show-toplevel")
        if sortie is None:
            raise ErreurUsage(
                f"{racine} n'est pas dans un dépôt git : cls diff et cls history "
                "comparent des versions enregistrées par git. Lancez la commande dans le "
                "dépôt du contrat (ou créez-le avec « git init »)."
            )
        racine_depot = Path(sortie.strip()).resolve()
        relatif = dossier.relative_to(racine_depot).as_posix()
        return cls(racine_depot, PurePosixPath(relatif))

    def commit(self, revision: str) -> str:
        """Le commit complet désigné par ``revision`` (ErreurUsage s'il n'existe pas)."""
        if revision.startswith("-"):
            raise ErreurUsage(f"révision invalide « {revision} »")
        sortie = _texte(
            self.racine_depot, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"
        )
        if not sortie:
            raise ErreurUsage(
                f"la révision « {revision} » n'existe pas dans le dépôt {self.racine_depot} ; "
                "donnez un commit, une branche ou une étiquette existants (voir « git log »)"
            )
        return sortie.strip()

    def fichiers(self, commit: str, dossier: PurePosixPath) -> dict[PurePosixPath, str]:
        """Les fichiers ordinaires de ``dossier`` (non récursif) au ``commit`` : chemin -> blob."""
        prefixe = "" if str(dossier) == "." else f"{dossier}/"
        sortie = _git(self.racine_depot, "ls-tree", "-z", commit, "--", prefixe or ".")
        resultat: dict[PurePosixPath, str] = {}
        for entree in (sortie or b"").decode("utf-8", errors="replace").split("\0"):
            if not entree:
                continue
            meta, _, chemin = entree.partition("\t")
            mode, genre, objet = meta.split()
            if genre == "blob" and mode in ("100644", "100755"):
                resultat[PurePosixPath(chemin)] = objet
        return resultat

    def contenus(self, objets: Sequence[str]) -> Iterator[bytes]:
        """Le contenu de chaque blob, dans l'ordre (un seul appel à ``git cat-file
        --batch``) : chacun est découpé à la demande dans la sortie de git, qui n'est donc
        pas copiée tout entière une seconde fois."""
        if not objets:
            return
        sortie = _git(
            self.racine_depot, "cat-file", "--batch", entree="\n".join(objets).encode() + b"\n"
        )
        if sortie is None:
            raise ErreurUsage(f"git n'a pas pu lire les fichiers du dépôt {self.racine_depot}")
        position = 0
        for _ in objets:
            fin_entete = sortie.index(b"\n", position)
            taille = int(sortie[position:fin_entete].split()[2])
            debut = fin_entete + 1
            yield sortie[debut : debut + taille]
            position = debut + taille + 1

    def charger(self, commit: str, racine: Path, deja: DejaLues | None = None) -> Chargement:
        """L'arbre de données tel qu'il était au ``commit`` (``racine`` : son chemin actuel ;
        ``deja`` : voir :data:`~cls_cli.chargement.DejaLues`)."""
        haut = self.fichiers(commit, self.racine_relative)
        actions = self.fichiers(commit, self.racine_relative / DOSSIER_FICHES)
        fiches = sorted(c for c in actions if c.suffix in (".yaml", ".yml"))
        if len(fiches) > NOMBRE_MAX_FICHES:
            return assembler(racine, None, None, [], nombre_fiches=len(fiches))
        noms = [self.racine_relative / FICHIER_AXES, self.racine_relative / FICHIER_CONTRAT]
        presents = [c for c in noms if c in haut]
        lus = dict(zip(presents, self.contenus([haut[c] for c in presents]), strict=True))
        return assembler(
            racine,
            lus.get(noms[0]),
            lus.get(noms[1]),
            zip(
                (racine / DOSSIER_FICHES / c.name for c in fiches),
                self.contenus([actions[c] for c in fiches]),
                strict=True,
            ),
            nombre_fiches=len(fiches),
            deja=deja,
        )

    def journal(self, dossier: PurePosixPath) -> list[Commit]:
        """Les commits qui ont modifié ``dossier``, du plus récent au plus ancien, avec les
        noms des fichiers qu'ils ont touchés."""
        format_ = "%x1e" + _SEP.join(["%H", "%P", "%an", "%aI", "%s"])
        sortie = _texte(
            self.racine_depot,
            "log",
            "--no-renames",
            "--name-only",
            f"--format={format_}",
            "--",
            str(dossier),
        )
        commits = []
        for bloc in (sortie or "").split("\x1e"):
            entete, _, noms = bloc.partition("\n")
            champs = entete.split(_SEP)
            if len(champs) == 5:
                sha, parents, auteur, date, sujet = champs
                parent = parents.split()[0] if parents.split() else None
                fichiers = tuple(PurePosixPath(n) for n in noms.splitlines() if n.strip())
                commits.append(Commit(sha, parent, auteur, date[:10], sujet, fichiers))
        return commits


@dataclass(frozen=True)
class Commit:
    """Un commit du journal : identifiant, premier parent, auteur, date (AAAA-MM-JJ), sujet
    et fichiers modifiés."""

    sha: str
    parent: str | None
    auteur: str
    date: str
    sujet: str
    fichiers: tuple[PurePosixPath, ...] = ()


def charger_version(
    racine: Path, depot: Depot, commit: str | None, deja: DejaLues | None = None
) -> Chargement:
    """L'arbre de données au ``commit``, ou sur le disque (arbre de travail) si None."""
    return charger(racine, deja) if commit is None else depot.charger(commit, racine, deja)


def versions_des_fiches(
    racine: Path, depuis: dt.date | None = None
) -> list[tuple[dt.date, list[Fiche]]] | None:
    """Les fiches valides à chaque commit qui a modifié ``actions/``, du plus ancien au plus
    récent, avec la date (auteur) du commit ; None si le dossier de données n'est pas suivi
    par git (hors d'un dépôt, ou aucun commit ne l'a enregistré).

    ``depuis`` : seulement les commits de cette date ou après, et le dernier d'avant (qui dit
    si un statut était déjà là avant la fenêtre) ; chaque commit lu coûte une lecture des
    fiches, et un long historique n'a pas à être relu en entier."""
    try:
        depot = Depot.de(racine)
    except ErreurUsage:
        return None
    commits = depot.journal(depot.racine_relative / DOSSIER_FICHES)  # du plus récent au plus ancien
    if not commits:
        return None
    if depuis is not None:
        recents = [c for c in commits if dt.date.fromisoformat(c.date) >= depuis]
        avant = next((c for c in commits if dt.date.fromisoformat(c.date) < depuis), None)
        commits = recents + ([avant] if avant else [])
    deja: DejaLues = {}
    versions = []
    for c in reversed(commits):
        referentiel = depot.charger(c.sha, racine, deja).referentiel
        versions.append((dt.date.fromisoformat(c.date), referentiel.fiches_valides()))
    return versions
