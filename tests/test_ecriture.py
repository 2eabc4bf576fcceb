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
    from cls_cli.periode import verifier_annee_de_saisie as verifier_annee
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


# --- Tout ou rien, verrou dans l'arbre (cls_cli.transaction, cls_cli.plan) --------------


def _arbre(dossier: Path) -> dict[str, bytes]:
    """Ce que verrait git : les fichiers de l'arbre hors de .cls/ (qui s'ignore lui-même)."""
    return {
        str(p.relative_to(dossier)): p.read_bytes()
        for p in sorted(dossier.rglob("*"))
        if p.is_file() and p.relative_to(dossier).parts[0] != ".cls"
    }


def _restes(dossier: Path) -> list[str]:
    """Ce qui reste dans .cls/ en plus du verrou et du .gitignore."""
    cls_ = dossier / ".cls"
    return sorted(p.name for p in cls_.iterdir() if p.name not in ("lock", ".gitignore"))


def _import_20_fiches(tmp_path: Path) -> Path:
    lignes = [f"{n};T;P;2025;statut;;;statut;;;en cours;;;;" for n in range(1, 21)]
    return _csv(tmp_path, lignes)


class Tue(BaseException):
    """Le processus tué au milieu d'une étape (simulé)."""


@pytest.mark.parametrize("k", [0, 1, 10, 19])
@pytest.mark.parametrize("panne", [OSError, Tue])
def test_transaction_interrompue_puis_annulee(
    cls, copie_demo: Path, tmp_path: Path, monkeypatch, k: int, panne: type[BaseException]
) -> None:
    """os.replace échoue après k renommages sur 20 : la commande suivante trouve un arbre
    identique à celui d'avant, sans temporaire. Avant : des fiches à moitié importées."""
    import os

    tableau = _import_20_fiches(tmp_path)
    avant = _arbre(copie_demo)
    vrai_replace = os.replace
    compte = {"n": 0}

    def replace(source: object, cible: object) -> None:
        # Après k fiches renommées, plus aucun renommage ne passe (l'annulation sur place
        # non plus) : comme un processus tué, seul le journal reste.
        if str(source).endswith(".tmp") and not str(source).endswith("journal.tmp"):
            compte["n"] += 1
        if compte["n"] > k:
            raise panne(28, "panne simulée")
        vrai_replace(source, cible)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    if panne is Tue:
        with pytest.raises(Tue):
            cls("import", tableau, "--data", copie_demo, catch_exceptions=False)
    else:
        resultat = cls("import", tableau, "--data", copie_demo)
        assert resultat.exit_code == 1, resultat.output
        assert "Traceback" not in resultat.output
    monkeypatch.setattr(os, "replace", vrai_replace)
    resultat = cls("validate", "--data", copie_demo)
    if k > 0:  # des fiches avaient déjà changé : le journal restant est annulé maintenant
        assert "Une écriture de cls avait été interrompue : elle a été annulée" in resultat.output
    assert _arbre(copie_demo) == avant
    assert _restes(copie_demo) == []
    resultat = cls("import", tableau, "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "20 statuts ajoutés" in resultat.output


def test_disque_plein_sur_le_dernier_de_20_fichiers(
    cls, copie_demo: Path, tmp_path: Path, monkeypatch
) -> None:
    import errno

    from cls_cli import transaction

    ecrire = transaction._ecrire

    def plein(chemin: Path, contenu: bytes, mode: int, vider: bool = True) -> None:
        if chemin.name == "19.tmp":
            raise OSError(errno.ENOSPC, "No space left on device")
        ecrire(chemin, contenu, mode, vider)

    monkeypatch.setattr(transaction, "_ecrire", plein)
    avant = _arbre(copie_demo)
    resultat = cls("import", _import_20_fiches(tmp_path), "--data", copie_demo)
    assert resultat.exit_code == 1
    assert "le disque est plein" in resultat.output
    assert "Traceback" not in resultat.output
    assert _arbre(copie_demo) == avant
    assert _restes(copie_demo) == []


def test_gitignore_du_dossier_de_travail(cls, copie_demo: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(copie_demo)], check=True)
    subprocess.run(["git", "-C", str(copie_demo), "add", "."], check=True)
    subprocess.run(
        ["git", "-C", str(copie_demo), "-c", "user.name=t", "-c", "user.email=t@t"]
        + ["commit", "-qm", "initial"],
        check=True,
    )
    r = cls("status", "30", "en_cours", "-y", "2025", "--data", copie_demo)
    assert r.exit_code == 0, r.output
    etat = subprocess.run(
        ["git", "-C", str(copie_demo), "status", "--porcelain"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert etat == f" M actions/{FICHE_30}\n"  # ni .cls/, ni temporaire


def _lancer(args: list[str], tmpdir: Path) -> object:
    import os
    import subprocess
    import sys

    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [sys.executable, "-m", "cls_cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_16_record_concurrents_avec_des_tmpdir_differents(copie_demo: Path, tmp_path) -> None:
    """Avant : le verrou dépendait de TMPDIR, et des mesures étaient perdues."""
    from cls_cli.chargement import charger

    fiche = next(f for f in charger(copie_demo).referentiel.fiches_valides() if f.numero == 6)
    cases = [
        (ind.code, annee)
        for ind in fiche.indicateurs
        for annee in range(2020, 2026)
        if all(m.annee != annee for m in ind.mesures)
    ][:16]
    assert len(cases) == 16
    processus = [
        _lanc
        for i, (code, annee) in enumerate(cases)
        for _lanc in [
            _lancer(
                ["record", "6", code, str(i + 1), "-y", str(annee), "--source", "S"]
                + ["--data", str(copie_demo)],
                tmp_path / f"tmp{i}",
            )
        ]
    ]
    for p in processus:
        assert p.wait(timeout=120) == 0, p.stderr.read()  # type: ignore[attr-defined]
    relue = next(f for f in charger(copie_demo).referentiel.fiches_valides() if f.numero == 6)
    valeurs = {(ind.code, m.annee): m.valeur for ind in relue.indicateurs for m in ind.mesures}
    for i, case in enumerate(cases):
        assert str(valeurs[case]) == str(i + 1)  # un indicateur « texte » garde « 3 »


def test_6_new_concurrents_prennent_6_numeros(copie_demo: Path, tmp_path: Path) -> None:
    """Avant : deux cls new lancés ensemble choisissaient le même numéro."""
    from cls_cli.regles_saisie import index_fiches

    avant = set(index_fiches(copie_demo))
    processus = [
        _lancer(
            ["new", "--objectif", "1.1.1", "--titre", f"Action {i}", "--data", str(copie_demo)],
            tmp_path / f"tmp{i}",
        )
        for i in range(6)
    ]
    for p in processus:
        assert p.wait(timeout=120) == 0, p.stderr.read()  # type: ignore[attr-defined]
    index = index_fiches(copie_demo)
    nouveaux = set(index) - avant
    assert len(nouveaux) == 6
    assert all(len(index[n]) == 1 for n in nouveaux)


def test_import_dry_run_montre_chaque_valeur(cls, copie_demo: Path, tmp_path: Path) -> None:
    lignes = [
        "30;T;P;2023;indicateur;consultations-services-medicaux;L;nombre;;;70;;;S;",
        "30;T;P;2025;statut;;;statut;;;en cours;;40;;",
    ]
    avant = _arbre(copie_demo)
    r = cls("import", _csv(tmp_path, lignes), "--dry-run", "--replace", "--data", copie_demo)
    assert r.exit_code == 0, r.output
    assert "Fiche 30, consultations-services-medicaux, 2023 : 78 -> 70 (remplacée)" in r.output
    assert "Fiche 30, suivi, 2025 : en_cours, avancement 40 % (ajouté)" in r.output
    assert _arbre(copie_demo) == avant


# --- Rien d'écrasé en silence : les sorties -o (ecriture.ecrire_sortie) -----------------


@pytest.mark.parametrize("cible", ["axes.yaml", f"actions/{FICHE_30}", "rapport.md"])
def test_report_refuse_d_ecrire_dans_l_arbre_de_donnees(cls, copie_demo: Path, cible) -> None:
    """Avant : cls report -o data/axes.yaml remplaçait les données par un rapport."""
    avant = _arbre(copie_demo)
    for force in ([], ["--force"]):
        sortie = copie_demo / cible
        r = cls("report", "-y", "2021", "-f", "md", "-o", sortie, *force, "--data", copie_demo)
        assert r.exit_code == 2, r.output
        assert "est dans le dossier de données" in r.output
    assert _arbre(copie_demo) == avant


@pytest.mark.parametrize("extension", ["md", "html", "json"])
def test_report_remplace_son_rapport_mais_pas_un_autre_fichier(
    cls, copie_demo: Path, tmp_path: Path, extension: str
) -> None:
    sortie = tmp_path / f"rapport.{extension}"
    for _ in range(2):  # le rapport précédent est reconnu et remplacé
        r = cls("report", "-y", "2021", "-o", sortie, "--data", copie_demo)
        assert r.exit_code == 0, r.output
    autre = tmp_path / f"notes.{extension}"
    autre.write_text("Mes notes à ne pas perdre\n", encoding="utf-8")
    r = cls("report", "-y", "2021", "-o", autre, "--data", copie_demo)
    assert r.exit_code == 2
    assert f"{autre} existe déjà et n'a pas été produit par cette commande" in r.output
    assert "--force" in r.output
    assert autre.read_text(encoding="utf-8") == "Mes notes à ne pas perdre\n"
    r = cls("report", "-y", "2021", "-o", autre, "--force", "--data", copie_demo)
    assert r.exit_code == 0
    assert "Mes notes" not in autre.read_text(encoding="utf-8")


def test_report_dossier_absent_ou_dossier(cls, copie_demo: Path, tmp_path: Path) -> None:
    """Avant : une trace Python (code 3)."""
    r = cls("report", "-y", "2021", "-o", tmp_path / "absent" / "r.md", "--data", copie_demo)
    assert r.exit_code == 2
    assert f"le dossier {tmp_path / 'absent'} n'existe pas" in r.output
    (tmp_path / "dossier.md").mkdir()
    r = cls("report", "-y", "2021", "-o", tmp_path / "dossier.md", "--data", copie_demo)
    assert r.exit_code == 2
    assert "est un dossier" in r.output
    assert "Traceback" not in r.output


def test_template_ne_remplace_jamais_un_tableau_sans_force(
    cls, copie_demo: Path, tmp_path: Path
) -> None:
    """Un tableau rempli par un porteur garde l'en-tête du modèle : il n'est jamais pris
    pour un modèle vide à remplacer."""
    sortie = tmp_path / "collecte.csv"
    assert cls("template", "-y", "2024", "-o", sortie, "--data", copie_demo).exit_code == 0
    rempli = sortie.read_bytes() + b"30;T;P;2024;indicateur;x;L;nombre;;;12;;;S;\r\n"
    sortie.write_bytes(rempli)
    r = cls("template", "-y", "2024", "-o", sortie, "--data", copie_demo)
    assert r.exit_code == 2 and "--force" in r.output
    assert sortie.read_bytes() == rempli
    r = cls("template", "-y", "2024", "-o", copie_demo / "collecte.csv", "--data", copie_demo)
    assert r.exit_code == 2 and "est dans le dossier de données" in r.output
    r = cls("template", "-y", "2024", "-o", sortie, "--force", "--data", copie_demo)
    assert r.exit_code == 0 and sortie.read_bytes() != rempli


# --- Erreurs du système en phrases -------------------------------------------------------


def test_sortie_disque_plein(cls, copie_demo: Path, tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    vrai = os.fsync

    def plein(descripteur: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", plein)
    sortie = tmp_path / "rapport.md"
    r = cls("report", "-y", "2021", "-o", sortie, "--data", copie_demo)
    monkeypatch.setattr(os, "fsync", vrai)
    assert r.exit_code == 1, r.output
    assert f"{sortie}" in r.output and "le disque est plein" in r.output
    assert list(tmp_path.iterdir()) == [copie_demo]  # ni rapport, ni temporaire


def test_dossier_de_donnees_en_lecture_seule_simule(cls, copie_demo: Path, monkeypatch) -> None:
    """Une écriture refusée par le système : une phrase avec le chemin, rien de changé."""
    import errno
    import os

    vrai = os.open

    def refuse(chemin: object, *args: object, **kwargs: object) -> int:
        if str(chemin).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return vrai(chemin, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    avant = _arbre(copie_demo)
    r = cls("record", "30", "personnes-concernees", "5", "-y", "2024", "--data", copie_demo)
    assert r.exit_code == 1, r.output
    assert "permission refusée" in r.output and ".cls" in r.output
    assert "Traceback" not in r.output
    assert _arbre(copie_demo) == avant


def test_toute_erreur_du_systeme_devient_une_phrase(cls, copie_demo: Path, monkeypatch) -> None:
    """Filet de sécurité : une erreur du système imprévue sort en code 1 avec le chemin."""
    import errno

    from cls_cli.commandes import rapports

    def illisible(*_args: object, **_kwargs: object) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(copie_demo / "axes.yaml"))

    monkeypatch.setattr(rapports, "charger", illisible)
    r = cls("report", "-y", "2021", "--data", copie_demo)
    assert r.exit_code == 1, r.output
    assert f"{copie_demo / 'axes.yaml'}: impossible de lire ou d'écrire" in r.output
    assert "permission refusée" in r.output and "Traceback" not in r.output
