"""Toutes les sorties ``-o`` sont protégées de la même façon (ecriture.verifier_sortie) :
jamais dans le dossier de données, jamais par-dessus un fichier qu'elles n'ont pas produit
sans ``--force`` ; leur propre sortie précédente est reconnue et remplacée.

Avant : ``cls evaluate report``, ``cls bulletin`` et ``cls contract --at`` écrivaient par
``ecrire_atomique`` sans contrôle (``-o data/axes.yaml`` remplaçait l'arbre des axes par un
rapport), ``cls campaign remind -o`` remplaçait n'importe quel fichier, et
``cls report -o data/axes.yaml`` (sans ``-f``) répondait « format inconnu » au lieu de dire
que le chemin est dans les données.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

#: commande (sans -o) -> extensions qu'elle sait écrire
COMMANDES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "report": (("report", "-y", "2021"), ("md", "html", "json")),
    "evaluate": (("evaluate", "report", "mi-parcours-2022"), ("md", "html", "json")),
    "bulletin": (("bulletin", "--semestre", "2021-S2"), ("md", "html")),
    "contract": (("contract", "--at", "2023-06-01"), ("md", "html")),
    "remind": (("campaign", "remind", "--year", "2021"), ("csv",)),
}
CAS = [(nom, ext) for nom, (_, exts) in COMMANDES.items() for ext in exts]


def _empreinte(dossier: Path) -> dict[str, str]:
    return {
        c.relative_to(dossier).as_posix(): hashlib.sha256(c.read_bytes()).hexdigest()
        for c in sorted(dossier.rglob("*"))
        if c.is_file()
    }


def _args(cls, nom: str, demo: Path, dossier: Path) -> tuple[str, ...]:
    """La commande sans -o ; la relance a besoin d'une campagne préparée."""
    args, _ = COMMANDES[nom]
    if nom != "remind":
        return args
    campagne = dossier / "campagne-2021"
    if not campagne.exists():
        r = cls("campaign", "prepare", "--year", "2021", "-o", campagne, "--data", demo)
        assert r.exit_code == 0, r.output
    return (*args, str(campagne))


def _format(nom: str, ext: str) -> tuple[str, ...]:
    return () if nom == "remind" else ("-f", ext)


@pytest.mark.parametrize("nom", list(COMMANDES))
@pytest.mark.parametrize("cible", ["axes.yaml", "contrat.yaml"])
def test_jamais_dans_le_dossier_de_donnees(
    cls, copie_demo: Path, tmp_path: Path, nom: str, cible: str
) -> None:
    args = _args(cls, nom, copie_demo, tmp_path)
    avant = _empreinte(copie_demo)
    for force in ([], ["--force"]):
        r = cls(*args, "-o", copie_demo / cible, *force, "--data", copie_demo)
        assert r.exit_code == 2, r.output
        assert "est dans le dossier de données" in r.output, r.output
        assert "choisissez un chemin hors de ce" in r.output
    assert _empreinte(copie_demo) == avant


@pytest.mark.parametrize(("nom", "ext"), CAS)
def test_remplace_sa_sortie_mais_pas_un_autre_fichier(
    cls, copie_demo: Path, tmp_path: Path, nom: str, ext: str
) -> None:
    args = _args(cls, nom, copie_demo, tmp_path)
    sortie = tmp_path / f"sortie.{ext}"
    for _ in range(2):  # la sortie précédente de la même commande est reconnue et remplacée
        r = cls(*args, *_format(nom, ext), "-o", sortie, "--data", copie_demo)
        assert r.exit_code == 0, r.output
    produit = sortie.read_bytes()
    autre = tmp_path / f"notes.{ext}"
    autre.write_text("Mes notes à ne pas perdre\n", encoding="utf-8")
    r = cls(*args, *_format(nom, ext), "-o", autre, "--data", copie_demo)
    assert r.exit_code == 2, r.output
    assert "existe déjà et n'a pas été produit par cette commande" in r.output
    assert "--force" in r.output
    assert autre.read_text(encoding="utf-8") == "Mes notes à ne pas perdre\n"
    r = cls(*args, *_format(nom, ext), "-o", autre, "--force", "--data", copie_demo)
    assert r.exit_code == 0, r.output
    assert autre.read_bytes() == produit


@pytest.mark.parametrize("nom", ["report", "evaluate", "bulletin", "contract"])
def test_la_sortie_d_une_autre_commande_n_est_pas_remplacee(
    cls, copie_demo: Path, tmp_path: Path, nom: str
) -> None:
    """Un bulletin ne remplace pas un rapport, etc. : chaque genre a sa signature."""
    autre_nom = "bulletin" if nom != "bulletin" else "report"
    autre_args, _ = COMMANDES[autre_nom]
    sortie = tmp_path / "sortie.md"
    assert cls(*autre_args, "-f", "md", "-o", sortie, "--data", copie_demo).exit_code == 0
    avant = sortie.read_bytes()
    args, _ = COMMANDES[nom]
    r = cls(*args, "-f", "md", "-o", sortie, "--data", copie_demo)
    assert r.exit_code == 2, r.output
    assert sortie.read_bytes() == avant


def test_report_vers_un_fichier_de_donnees_sans_format(cls, copie_demo: Path) -> None:
    """Sans -f, le format se déduit de l'extension ; « .yaml » n'en est pas un, mais la
    vraie raison du refus est que le chemin est dans les données : c'est elle qui est dite."""
    r = cls("report", "-y", "2021", "-o", copie_demo / "axes.yaml", "--data", copie_demo)
    assert r.exit_code == 2
    assert "est dans le dossier de données" in r.output
    assert "format" not in r.output


def test_ecrire_dossier_tout_verifie_avant_la_premiere_ecriture(tmp_path: Path) -> None:
    """Campagne et tables CSV/Parquet passent par ecriture.ecrire_dossier : un fichier
    existant arrête tout avant la première écriture (aucun fichier neuf à moitié posé)."""
    from cls_cli.ecriture import ecrire_dossier
    from cls_cli.erreurs import ErreurUsage

    racine = tmp_path / "data"
    racine.mkdir()
    dossier = tmp_path / "sortie"
    dossier.mkdir()
    (dossier / "b.csv").write_text("à garder\n", encoding="utf-8")
    fichiers = [("a.csv", "a\n"), ("b.csv", "b\n")]
    with pytest.raises(ErreurUsage, match=r"contient déjà des tables \(b\.csv\) : rien n'a été"):
        ecrire_dossier(dossier, fichiers, racine, False, "des tables", "ajoutez --force")
    assert sorted(p.name for p in dossier.iterdir()) == ["b.csv"]
    assert (dossier / "b.csv").read_text(encoding="utf-8") == "à garder\n"
    with pytest.raises(ErreurUsage, match="est dans le dossier de données"):
        ecrire_dossier(racine / "x", fichiers, racine, True, "des tables", "")
    assert not (racine / "x").exists()
    ecrits = ecrire_dossier(dossier, fichiers, racine, True, "des tables", "")
    assert [p.read_text(encoding="utf-8") for p in ecrits] == ["a\n", "b\n"]
