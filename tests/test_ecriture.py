"""L'écriture sûre (cls_cli.ecriture) et le filtre des sigles du rapport HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cls_cli.ecriture import ecrire_atomique
from cls_cli.rendu import abreviateur


def test_ecrire_des_morceaux(tmp_path: Path) -> None:
    chemin = tmp_path / "rapport.md"
    ecrire_atomique(chemin, iter(["# Titre\n", "", "Événement « 12 % »\n"]))
    assert chemin.read_bytes() == "# Titre\nÉvénement « 12 % »\n".encode()


def test_erreur_pendant_les_morceaux_garde_l_original(tmp_path: Path) -> None:
    chemin = tmp_path / "rapport.md"
    chemin.write_text("ancien rapport\n", encoding="utf-8")

    def morceaux() -> Iterator[str]:
        yield "début du nouveau…"
        raise RuntimeError("gabarit cassé au milieu du rendu")

    with pytest.raises(RuntimeError):
        ecrire_atomique(chemin, morceaux())
    assert chemin.read_text(encoding="utf-8") == "ancien rapport\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.md"]  # pas de temporaire


def test_abreviateur() -> None:
    abbr = abreviateur({"CLS": "Contrat local de santé", "CLSM": "Conseil <local>"})
    assert str(abbr("Le CLSM & le CLS")) == (
        'Le <abbr title="Conseil &lt;local&gt;">CLSM</abbr> &amp; '
        'le <abbr title="Contrat local de santé">CLS</abbr>'
    )
    assert str(abbr("CLSX")) == "CLSX"  # un mot entier seulement
    assert str(abbr(12)) == "12"
    assert str(abreviateur({})("<b>")) == "&lt;b&gt;"


# --- Les règles de saisie, chacune à un seul endroit (cls_cli.regles_saisie) ------------

FICHE_30 = "30-developper-dispositifs-telemedecine-legers-structures-sociales.yaml"


def _csv(dossier: Path, lignes: list[str]) -> Path:
    entete = (
        "Fiche;Action;Porteurs;Année;Ligne;Code indicateur;Libellé de l'indicateur;Type;"
        "Cible;Dernière valeur connue;Valeur (ou statut);Si pas de valeur : pourquoi;"
        "Avancement (%);Source;Commentaire"
    )
    chemin = dossier / "rempli.csv"
    chemin.write_bytes(("\r\n".join([entete, *lignes]) + "\r\n").encode("utf-8-sig"))
    return chemin


@pytest.fixture
def demo_trois_chiffres(copie_demo: Path) -> Path:
    """L'exemple dont les fichiers sont nommés sur trois chiffres (``030-….yaml``)."""
    for chemin in (copie_demo / "actions").glob("*.yaml"):
        numero, reste = chemin.name.split("-", 1)
        chemin.rename(chemin.with_name(f"{int(numero):03d}-{reste}"))
    return copie_demo


def test_record_status_import_trouvent_les_fiches_a_trois_chiffres(
    cls, demo_trois_chiffres: Path, tmp_path: Path
) -> None:
    """Avant : « la fiche 30 n'existe pas » alors que cls validate acceptait l'arbre."""
    donnees = demo_trois_chiffres
    assert cls("validate", "--data", donnees).exit_code == 0
    r = cls("record", "30", "personnes-concernees", "5", "-y", "2024", "--data", donnees)
    assert r.exit_code == 0, r.output
    r = cls("status", "30", "en_cours", "-y", "2024", "--data", donnees)
    assert r.exit_code == 0, r.output
    ligne = "30;T;P;2024;indicateur;consultations-services-medicaux;L;nombre;;;7;;;S;"
    r = cls("import", _csv(tmp_path, [ligne]), "--data", donnees)
    assert r.exit_code == 0, r.output
    texte = (donnees / "actions" / f"0{FICHE_30}").read_text("utf-8")
    assert texte.count("- annee: 2024") == 3


def test_chemin_fiche_quel_que_soit_le_nombre_de_chiffres(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.regles_saisie import chemin_fiche, index_fiches, numero_du_nom

    actions = tmp_path / "actions"
    actions.mkdir()
    for nom in ("1-a.yaml", "007-b.yaml", "12-c.yaml", "012-d.yaml", "x-5.yaml", "3-e.yml"):
        (actions / nom).write_text("", encoding="utf-8")
    assert chemin_fiche(tmp_path, 1).name == "1-a.yaml"
    assert chemin_fiche(tmp_path, 7, index_fiches(tmp_path)).name == "007-b.yaml"
    with pytest.raises(ErreurUsage, match="plusieurs fichiers pour la fiche 12"):
        chemin_fiche(tmp_path, 12)
    for absente in (3, 5, 70):
        with pytest.raises(ErreurUsage, match=f"la fiche {absente} n'existe pas"):
            chemin_fiche(tmp_path, absente)
    assert [numero_du_nom(n) for n in ("0-a.yaml", "10-.yaml", "10.yaml", "a10-b.yaml")] == [
        0,
        10,
        None,
        None,
    ]


def test_une_mesure_a_une_valeur_ou_une_raison_jamais_les_deux() -> None:
    from cls_cli.regles_saisie import mesure

    assert mesure(2024, "taux", "12,5 %", None).valeur == 12.5
    assert mesure(2024, "nombre", "  ", "pas de collecte").manquante == "pas de collecte"
    assert mesure(2024, "booleen", "oui", "").valeur is True
    for valeur, manquante in (("3", "raison"), (None, None), ("", " ")):
        with pytest.raises(ValueError, match="soit une valeur, soit la raison"):
            mesure(2024, "nombre", valeur, manquante)


def test_import_refuse_une_valeur_et_une_raison(cls, copie_demo: Path, tmp_path: Path) -> None:
    """Avant : la raison était ignorée en silence quand une valeur était donnée."""
    ligne = "30;T;P;2024;indicateur;personnes-concernees;L;nombre;;;3;pas collecté;;S;"
    avant = (copie_demo / "actions" / FICHE_30).read_bytes()
    r = cls("import", _csv(tmp_path, [ligne]), "--data", copie_demo)
    assert r.exit_code == 1
    assert "rempli.csv:2: fiche 30 : donnez soit une valeur" in r.output
    assert (copie_demo / "actions" / FICHE_30).read_bytes() == avant


def test_annee_hors_periode() -> None:
    from cls_cli.modeles import Contrat
    from cls_cli.regles_saisie import verifier_annee
    from cls_cli.yamlio import charger_fichier
    from tests.conftest import DATA

    contrat = Contrat.model_validate(charger_fichier(DATA / "contrat.yaml")[0])
    debut, fin = contrat.periode.debut, contrat.periode.fin
    verifier_annee(debut, contrat)
    verifier_annee(fin, contrat)
    verifier_annee(1900, None)
    for annee in (debut - 1, fin + 1):
        with pytest.raises(ValueError, match=f"l'année {annee} est hors de la période"):
            verifier_annee(annee, contrat)
