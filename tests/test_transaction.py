"""Le tout ou rien de cls_cli.transaction, fonction par fonction, sans passer par la CLI.

Chaque test fixe une réponse connue : le fichier et la phrase d'une erreur à chaque étape,
les droits des fichiers écrits, le contenu du journal, l'annulation immédiate quand un
renommage échoue. (Les pannes vues par l'utilisateur sont dans test_ecriture.py.)
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cls_cli import transaction
from cls_cli.erreurs import ErreurDonnees
from cls_cli.transaction import Changement, ErreurSysteme, appliquer


@pytest.fixture
def arbre(tmp_path: Path) -> Path:
    """Un petit arbre : deux fiches existantes dans actions/."""
    racine = tmp_path / "data"
    (racine / "actions").mkdir(parents=True)
    (racine / "actions" / "01-a.yaml").write_bytes(b"numero: 1\n")
    (racine / "actions" / "02-b.yaml").write_bytes(b"numero: 2\n")
    return racine


def _contenu(racine: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(racine)): p.read_bytes()
        for p in sorted(racine.rglob("*"))
        if p.is_file() and p.relative_to(racine).parts[0] != ".cls"
    }


def _restes(racine: Path) -> list[str]:
    dossier = racine / ".cls"
    return sorted(p.name for p in dossier.iterdir() if p.name != ".gitignore")


def _deux_changements(racine: Path) -> list[Changement]:
    a, b = racine / "actions" / "01-a.yaml", racine / "actions" / "02-b.yaml"
    return [
        Changement(a, b"numero: 1\ntitre: A\n", a.read_bytes()),
        Changement(b, b"numero: 2\ntitre: B\n", b.read_bytes()),
    ]


@pytest.fixture
def masque_022() -> Iterator[None]:
    ancien = os.umask(0o022)
    yield
    os.umask(ancien)


def test_un_fichier_change_pendant_la_commande(arbre: Path) -> None:
    changements = _deux_changements(arbre)
    (arbre / "actions" / "02-b.yaml").write_bytes(b"numero: 2\n# modifie entre-temps\n")
    avant = _contenu(arbre)
    with pytest.raises(ErreurDonnees) as erreur:
        appliquer(arbre, changements)
    p = erreur.value.probleme
    assert (p.chemin, p.ligne, p.colonne) == (str(arbre / "actions" / "02-b.yaml"), 1, 1)
    assert (p.message, p.correction) == ("le fichier a changé pendant la commande", "relancez-la")
    assert _contenu(arbre) == avant
    assert _restes(arbre) == []


def test_creer_dans_un_dossier_existant_ou_absent(arbre: Path) -> None:
    nouveau = arbre / "actions" / "03-c.yaml"
    avenant = arbre / "avenants" / "1.yaml"  # avenants/ n'existe pas encore
    appliquer(arbre, [Changement(nouveau, b"numero: 3\n", None), Changement(avenant, b"x\n", None)])
    assert nouveau.read_bytes() == b"numero: 3\n"
    assert avenant.read_bytes() == b"x\n"
    assert _restes(arbre) == []


def test_droits_gardes_ou_ceux_du_masque(arbre: Path, masque_022: None) -> None:
    existant = arbre / "actions" / "01-a.yaml"
    existant.chmod(0o640)
    nouveau = arbre / "actions" / "03-c.yaml"
    appliquer(
        arbre,
        [
            Changement(existant, b"numero: 1\n#\n", b"numero: 1\n"),
            Changement(nouveau, b"n\n", None),
        ],
    )
    assert stat.S_IMODE(existant.stat().st_mode) == 0o640  # les droits du fichier remplacé
    assert stat.S_IMODE(nouveau.stat().st_mode) == 0o644  # 0o666 moins le masque 0o022
    os.umask(0o027)
    autre = arbre / "actions" / "04-d.yaml"
    appliquer(arbre, [Changement(autre, b"n\n", None)])
    assert stat.S_IMODE(autre.stat().st_mode) == 0o640


class Tue(BaseException):
    """Le processus tué (simulé)."""


def test_le_journal_dit_chemins_et_hachages(arbre: Path, monkeypatch, masque_022) -> None:
    """Tué au premier renommage : le journal écrit sur le disque nomme chaque fichier, son
    temporaire, sa sauvegarde, et les hachages d'avant et d'après."""
    changements = _tuer_au_renommage(arbre, monkeypatch, 1)  # rien n'est annulé
    journal = arbre / ".cls" / "transaction.json"
    assert stat.S_IMODE(journal.stat().st_mode) == 0o644

    def h(octets: bytes) -> str:
        return hashlib.sha256(octets).hexdigest()

    assert json.loads(journal.read_bytes()) == {
        "fichiers": [
            {
                "chemin": os.path.join("actions", ch.chemin.name),
                "temporaire": f"{i}.tmp",
                "sauvegarde": f"{i}.ancien",
                "ancien": h(ch.ancien or b""),
                "nouveau": h(ch.nouveau),
            }
            for i, ch in enumerate(changements)
        ]
    }


def test_renommage_en_echec_annule_sur_place(arbre: Path, monkeypatch) -> None:
    """Le 2e renommage échoue, l'annulation réussit : l'arbre d'avant, sans journal, dès
    la fin de la commande (sans attendre la suivante), et la phrase nomme le fichier."""
    changements = _deux_changements(arbre)
    avant = _contenu(arbre)
    vrai_replace = os.replace
    compte = {"n": 0}

    def replace(source: object, cible: object) -> None:
        if str(source).endswith(".tmp") and not str(source).endswith("journal.tmp"):
            compte["n"] += 1
            if compte["n"] == 2:
                raise OSError(errno.EACCES, "Permission denied")
        vrai_replace(source, cible)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ErreurSysteme) as erreur:
        appliquer(arbre, changements)
    p = erreur.value.probleme
    assert p.chemin == str(arbre / "actions" / "02-b.yaml")
    assert p.message == "impossible de remplacer (Permission denied)"
    assert p.correction.startswith("permission refusée")
    assert _contenu(arbre) == avant
    assert _restes(arbre) == []


def _panne(monkeypatch, cible: str, fonction: str) -> None:
    """Fait échouer ``transaction.<fonction>`` (disque plein) quand il touche ``cible``."""
    vraie = getattr(transaction, fonction)

    def en_panne(*args: object, **kwargs: object) -> object:
        noms = [Path(a).name for a in args if isinstance(a, Path)]
        noms += [Path(c).name for a in args if isinstance(a, list) for c in a]
        if cible in noms:
            raise OSError(errno.ENOSPC, "No space left on device")
        return vraie(*args, **kwargs)

    monkeypatch.setattr(transaction, fonction, en_panne)


@pytest.mark.parametrize(
    ("fonction", "cible", "nomme"),
    [
        ("_lire", "02-b.yaml", "actions/02-b.yaml"),  # relire la fiche avant d'écrire
        ("_ecrire", "1.tmp", ".cls/1.tmp"),  # le temporaire
        ("_sauvegarder", "02-b.yaml", "actions/02-b.yaml"),  # la sauvegarde de l'ancien
        ("_vider", "0.tmp", ".cls"),  # vider les temporaires sur le disque
        ("_ecrire", "journal.tmp", ".cls/transaction.json"),  # le journal
    ],
)
def test_disque_plein_a_chaque_etape(
    arbre: Path, monkeypatch, fonction: str, cible: str, nomme: str
) -> None:
    changements = _deux_changements(arbre)
    avant = _contenu(arbre)
    _panne(monkeypatch, cible, fonction)
    with pytest.raises(ErreurSysteme) as erreur:
        appliquer(arbre, changements)
    p = erreur.value.probleme
    assert p.chemin == str(arbre / nomme)
    assert p.message == "impossible d'écrire (No space left on device)"
    assert p.correction == "le disque est plein : libérez de la place puis relancez"
    assert _contenu(arbre) == avant
    assert _restes(arbre) == []  # ni temporaire, ni sauvegarde, ni journal


def test_journal_illisible(arbre: Path) -> None:
    journal = arbre / ".cls" / "transaction.json"
    journal.parent.mkdir()
    journal.write_text("{", encoding="utf-8")
    with pytest.raises(ErreurDonnees) as erreur:
        transaction.reprendre(arbre)
    p = erreur.value.probleme
    assert (p.chemin, p.ligne, p.colonne) == (str(journal), 1, 1)
    assert p.message.startswith("journal d'écriture illisible (")
    assert p.correction == "vérifiez les fiches (git status, git diff), puis supprimez ce fichier"
    assert journal.exists()  # rien n'est décidé à la place de la personne


@pytest.mark.parametrize(
    ("tue_au", "restaures"),
    [(1, "aucun fichier n'avait encore changé"), (2, os.path.join("actions", "01-a.yaml"))],
)
def test_reprendre_dit_ce_qu_il_a_restaure(
    arbre: Path, monkeypatch, tue_au: int, restaures: str
) -> None:
    """Tué au k-ième renommage : la commande suivante annule et nomme les fichiers remis."""
    avant = _contenu(arbre)
    _tuer_au_renommage(arbre, monkeypatch, tue_au)
    assert transaction.reprendre(arbre) == (
        f"Une écriture de cls avait été interrompue : elle a été annulée ({restaures})."
    )
    assert _contenu(arbre) == avant
    assert _restes(arbre) == []
    assert transaction.reprendre(arbre) is None  # plus rien à reprendre


def _tuer_au_renommage(
    arbre: Path, monkeypatch, tue_au: int, changements: list[Changement] | None = None
) -> list[Changement]:
    """Applique ``changements`` (par défaut, deux) et « tue » le processus au renommage
    n° ``tue_au`` : le journal reste, comme après une panne."""
    changements = changements or _deux_changements(arbre)
    vrai_replace = os.replace
    compte = {"n": 0}

    def replace(source: object, cible: object) -> None:
        if str(source).endswith(".tmp") and not str(source).endswith("journal.tmp"):
            compte["n"] += 1
            if compte["n"] == tue_au:
                raise Tue
        vrai_replace(source, cible)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(transaction, "reprendre", lambda racine: None)
    with pytest.raises(Tue):
        appliquer(arbre, changements)
    monkeypatch.undo()
    return changements


def test_reprendre_refuse_d_ecraser_un_fichier_modifie_depuis(arbre: Path, monkeypatch) -> None:
    """Après la panne, quelqu'un a modifié la fiche déjà remplacée et sa sauvegarde a
    disparu : rien n'est décidé à sa place, l'erreur dit quoi restaurer."""
    _tuer_au_renommage(arbre, monkeypatch, 2)
    fiche = arbre / "actions" / "01-a.yaml"
    fiche.write_bytes(b"numero: 1\ntitre: autre\n")
    (arbre / ".cls" / "0.ancien").unlink()
    journal = arbre / ".cls" / "transaction.json"
    with pytest.raises(ErreurDonnees) as erreur:
        transaction.reprendre(arbre)
    p = erreur.value.probleme
    assert (p.chemin, p.ligne, p.colonne) == (str(fiche), 1, 1)
    assert p.message == "une écriture interrompue n'a pas pu être annulée pour ce fichier"
    assert p.correction == f"restaurez-le (git checkout -- 01-a.yaml), puis supprimez {journal}"
    assert journal.exists() and fiche.read_bytes() == b"numero: 1\ntitre: autre\n"


def test_nettoyer_ignore_un_temporaire_qui_ne_s_efface_pas(tmp_path: Path, monkeypatch) -> None:
    for nom in ("0.tmp", "0.ancien", "lock"):
        (tmp_path / nom).write_bytes(b"x")

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    transaction._nettoyer(tmp_path)  # ni exception, ni arrêt au premier refus
    monkeypatch.undo()
    transaction._nettoyer(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lock"]


def test_dossier_de_travail_ignore_par_git(tmp_path: Path) -> None:
    dossier = transaction.dossier_cls(tmp_path)
    assert dossier == tmp_path / ".cls"
    assert (dossier / ".gitignore").read_bytes() == (
        "# Créé par cls : verrou et journal d'écriture\n*\n".encode()
    )


def test_dossier_de_travail_impossible_a_creer(tmp_path: Path, monkeypatch) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(ErreurSysteme) as erreur:
        transaction.dossier_cls(tmp_path)
    p = erreur.value.probleme
    assert p.chemin == str(tmp_path / ".cls")
    assert p.message == "impossible de préparer le dossier de travail de cls (Permission denied)"
    assert p.correction.startswith("permission refusée")


def test_reprendre_nomme_chaque_fichier_restaure(arbre: Path, monkeypatch) -> None:
    trois = arbre / "actions" / "03-c.yaml"
    trois.write_bytes(b"numero: 3\n")
    changements = [*_deux_changements(arbre), Changement(trois, b"numero: 3\n#\n", b"numero: 3\n")]
    _tuer_au_renommage(arbre, monkeypatch, 3, changements)
    a, b = os.path.join("actions", "01-a.yaml"), os.path.join("actions", "02-b.yaml")
    assert transaction.reprendre(arbre) == (
        f"Une écriture de cls avait été interrompue : elle a été annulée ({a}, {b})."
    )
