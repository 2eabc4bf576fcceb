"""cls bulletin : le bulletin semestriel, sur l'exemple fictif (références) et cas connus."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cls_cli.bulletin import bornes, dater_par_historique
from cls_cli.chargement import charger
from cls_cli.modeles import Fiche, Suivi
from tests import golden_evaluations as g
from tests.conftest import DEMO
from tests.navigateur import imprimer_pdf, texte_pdf, verifier_a4
from tests.scenarios_git import IDENTITE, modifier_yaml


@pytest.mark.parametrize(("semestre", "format_"), g.BULLETINS, ids=str)
def test_bulletin_de_reference(semestre: str, format_: str) -> None:
    attendu = (g.DOSSIER / g.nom_bulletin(semestre, format_)).read_text(encoding="utf-8")
    assert g.rendu_bulletin(semestre, format_) == attendu, (
        "le bulletin a changé : si c'est voulu, lancez « make golden » et relisez le diff"
    )


def test_bulletin_cas_connus(cls) -> None:
    s2 = " ".join(cls("bulletin", "--semestre", "2022-S2", "--data", DEMO).output.split())
    # Fiche 28 : abandonnée en 2022 (pas « réalisée »), décision du COPIL restreint de septembre.
    assert "20 septembre 2022 — COPIL restreint" in s2
    assert "L'étude sur la livraison de médicaments est abandonnée." in s2
    assert "date exacte inconnue" in s2  # dit que les statuts ne sont datés qu'à l'année
    # Préconisations à échéance au semestre suivant, sans suite : P2 (2023-09-01) non,
    # hors horizon (2023-06-30) ; P1 a une suite : rien d'annoncé.
    assert "préconisation P1" not in s2 and "préconisation P2" not in s2
    s1 = cls("bulletin", "--semestre", "2022-S1", "--data", DEMO).output
    assert "Aucune réunion des instances ce semestre." in s1
    assert "figurent au bulletin du second semestre" in " ".join(s1.split())


def test_bulletin_usages_invalides(cls) -> None:
    for semestre in ("2021", "2021-S3", "S1-2021"):
        resultat = cls("bulletin", "--semestre", semestre, "--data", DEMO)
        assert resultat.exit_code == 2 and "semestre invalide" in resultat.output
    assert cls("bulletin", "-s", "2021-S1", "-f", "json", "--data", DEMO).exit_code == 2


def test_bornes() -> None:
    assert bornes("2021-S2")[2:] == (
        __import__("datetime").date(2021, 7, 1),
        __import__("datetime").date(2021, 12, 31),
    )


# --- Datation par l'historique git -------------------------------------------------------

_MODELE = charger(DEMO).referentiel.fiches_valides()[0]


def _fiche(numero: int, suivi: dict[int, str]) -> Fiche:
    points = [Suivi(annee=a, statut=s) for a, s in sorted(suivi.items())]  # type: ignore[arg-type]
    return _MODELE.model_copy(update={"numero": numero, "suivi": points})


def test_dater_par_historique_cas_connus() -> None:
    d = dt.date
    actuelles = [
        _fiche(1, {2020: "en_cours", 2021: "realisee"}),  # réalisée enregistrée en 2021-10
        _fiche(2, {2021: "en_cours"}),  # lancée dès la 1re version (import) : pas de date
        _fiche(3, {2021: "reportee"}),  # pas encore enregistrée (arbre de travail) : pas de date
        _fiche(4, {2021: "realisee"}),  # enregistrée en 2023-01 : trop tard, pas de date
        _fiche(5, {2021: "en_cours"}),  # en_cours, puis a_lancer, puis en_cours : la dernière
    ]
    versions = [
        (d(2021, 3, 1), [_fiche(1, {2020: "en_cours"}), _fiche(2, {2021: "en_cours"}),
                         _fiche(5, {2021: "en_cours"})]),
        (d(2021, 10, 4), [_fiche(1, {2020: "en_cours", 2021: "realisee"}),
                          _fiche(2, {2021: "en_cours"}), _fiche(5, {2021: "a_lancer"})]),
        (d(2022, 2, 10), [_fiche(1, {2020: "en_cours", 2021: "realisee"}),
                          _fiche(2, {2021: "en_cours"}), _fiche(5, {2021: "en_cours"})]),
        (d(2023, 1, 20), [_fiche(1, {2020: "en_cours", 2021: "realisee"}),
                          _fiche(2, {2021: "en_cours"}), _fiche(4, {2021: "realisee"}),
                          _fiche(5, {2021: "en_cours"})]),
    ]  # fmt: skip
    assert dater_par_historique(versions, actuelles) == {
        (1, 2021): d(2021, 10, 4),
        (5, 2021): d(2022, 2, 10),
    }


def _git(depot: Path, date: str, *args: str) -> None:
    env = {**os.environ, **IDENTITE, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=depot, check=True, capture_output=True, env=env)


def _commit(depot: Path, date: str) -> None:
    _git(depot, date, "add", "-A")
    _git(depot, date, "commit", "-q", "-m", f"Saisie du {date[:10]}")


def _sans_suivi(data: Path, prefixe: str, annee: int) -> tuple[Path, str]:
    """Retire le point de suivi ``annee`` de la fiche ; rend son chemin et son texte d'avant."""
    (chemin,) = (data / "actions").glob(f"{prefixe}-*.yaml")
    avant = chemin.read_text(encoding="utf-8")

    def retirer(doc: object) -> None:
        suivi = doc["suivi"]  # type: ignore[index]
        del suivi[[p["annee"] for p in suivi].index(annee)]

    modifier_yaml(chemin, retirer)
    return chemin, avant


def test_bulletin_date_les_statuts_par_l_historique_git(cls, tmp_path: Path) -> None:
    """Fiches 1, 5 et 9 réalisées en 2022. Le premier commit (janvier 2022) n'a pas leur
    statut 2022 ; la fiche 1 est enregistrée le 10 mai 2022 (bulletin 2022-S1), la fiche 5
    en septembre 2023 (trop tard pour dater 2022) et la fiche 9 pas encore (arbre de
    travail) : les deux restent au second semestre, date exacte inconnue."""
    depot = tmp_path / "depot"
    data = Path(shutil.copytree(DEMO, depot / "data"))
    restes = [_sans_suivi(data, p, 2022) for p in ("01", "05", "09")]
    _git(depot, "2022-01-05T10:00:00+01:00", "init", "-q", "-b", "main")
    _commit(depot, "2022-01-05T10:00:00+01:00")
    (f1, t1), (f5, t5), (f9, t9) = restes
    f1.write_text(t1, encoding="utf-8")
    _commit(depot, "2022-05-10T10:00:00+02:00")
    f5.write_text(t5, encoding="utf-8")
    _commit(depot, "2023-09-01T10:00:00+02:00")
    f9.write_text(t9, encoding="utf-8")

    def actions(semestre: str) -> str:
        sortie = cls("bulletin", "-s", semestre, "--data", data)
        assert sortie.exit_code == 0, sortie.output
        texte = " ".join(sortie.output.split())
        return texte[texte.index("## Les actions") : texte.index("## Chiffres clés")]

    s1 = actions("2022-S1")
    assert "Datation : l'historique git du dossier de données" in s1
    assert (
        "**Réalisées** : fiche 1 (Mener des actions de sensibilisation et de prévention "
        "relatives à la qualité de l'air extérieur à l'échelle de Chartres métropole et mettre "
        "en place des actions contre les allergies, statut 2022 enregistré le 10 mai 2022)."
    ) in s1
    assert "**Lancées** : aucune." in s1 and "**Reportées** : aucune." in s1
    s2 = actions("2022-S2")
    realisees = s2[s2.index("**Réalisées**") : s2.index("**Reportées**")]
    assert "fiche 1 " not in realisees and "enregistré le" not in realisees
    assert "fiche 5 (" in realisees and "fiche 9 (" in realisees
    assert "Les actions sans date n'ont pas d'enregistrement daté de leur année" in s2

    # Seuls les commits de la fenêtre utile et le dernier d'avant sont relus.
    from cls_cli.depot import versions_des_fiches

    def dates(depuis: dt.date | None) -> list[dt.date]:
        return [d for d, _ in versions_des_fiches(data, depuis) or []]

    tous = [dt.date(2022, 1, 5), dt.date(2022, 5, 10), dt.date(2023, 9, 1)]
    assert dates(None) == tous == dates(dt.date(2022, 1, 5)) == dates(dt.date(2022, 3, 1))
    assert dates(dt.date(2023, 1, 1)) == tous[1:]
    assert dates(dt.date(2024, 1, 1)) == tous[2:]
    assert versions_des_fiches(tmp_path) is None  # hors d'un dépôt git


def test_bulletin_sans_git_le_dit(cls, copie_demo: Path) -> None:
    texte = " ".join(cls("bulletin", "-s", "2022-S2", "--data", copie_demo).output.split())
    assert "le dossier de données n'est pas suivi par git" in texte
    assert "enregistré le" not in texte


@pytest.mark.parametrize("semestre", ["2021-S2", "2022-S2"])
def test_bulletin_html_imprime_sur_une_page_a4(tmp_path: Path, semestre: str) -> None:
    lecteur = verifier_a4(imprimer_pdf(g.rendu_bulletin(semestre, "html"), tmp_path))
    assert len(lecteur.pages) == 1, f"le bulletin {semestre} tient sur {len(lecteur.pages)} pages"
    assert "Prochaines échéances" in texte_pdf(lecteur)  # la dernière section est bien imprimée
