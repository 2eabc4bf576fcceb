"""Le rapport annuel : valeurs connues sur l'exemple, rapports de référence, échappement, PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from cls_cli.chargement import charger
from cls_cli.rapport import Origine, construire
from cls_cli.rendu import md, rendre
from tests import golden
from tests.conftest import CAS, DATA, DEMO


@pytest.mark.parametrize(("annee", "format_"), golden.CAS, ids=lambda v: str(v))
def test_rapports_de_reference(annee: int, format_: str) -> None:
    attendu = (golden.DOSSIER / golden.nom(annee, format_)).read_text(encoding="utf-8")
    assert golden.rendu(annee, format_) == attendu, (
        "le rapport a changé : si c'est voulu, lancez « make golden » et relisez le diff"
    )


def _json(annee: int) -> dict:
    return json.loads((golden.DOSSIER / golden.nom(annee, "json")).read_text(encoding="utf-8"))


def _action(r: dict, numero: int) -> dict:
    return next(a for a in r["actions"] if a["numero"] == numero)


def _indicateur(r: dict, numero: int, code: str) -> dict:
    return next(i for i in _action(r, numero)["indicateurs"] if i["code"] == code)


def test_json_forme_attendue() -> None:
    r = _json(2021)
    assert r["annee"] == 2021
    assert set(r["contrat"]) >= {"avancement", "completude", "couverture"}
    # 54 fiches en vigueur en 2021 : les 55 et 56 n'arrivent qu'avec l'avenant n° 1 (2022).
    assert r["contrat"]["couverture"] == {"renseignees": 51, "total": 54}
    assert [a["code"] for a in r["axes"]] == ["1", "2", "3", "4"]
    assert {"code", "avancement", "objectifs"} <= set(r["axes"][0])
    assert len(r["actions"]) == 54
    assert {"numero", "statut", "avancement", "indicateurs"} <= set(r["actions"][0])


def test_valeurs_connues_de_l_exemple() -> None:
    r = _json(2023)
    # Fiche 30 : consultations d'urgence, de 120 (2019) vers 60 ; 78 en 2023 -> 70 %.
    assert _indicateur(r, 30, "consultations-services-medicaux")["atteinte"] == pytest.approx(70)
    # Fiche 1 : 450 + 600 + 650 + 700 = 2 400 pour une cible de 1 200 -> 100 %, pas 200 %.
    ind = _indicateur(r, 1, "personnes-sensibilisees")
    assert (ind["valeur"], ind["atteinte"]) == (2400, 100)
    # Fiche 28 abandonnée en 2022 : hors des moyennes, listée à part.
    assert _action(r, 28)["statut"] == "abandonnee"
    assert 28 in r["contrat"]["abandonnees"]
    assert _action(r, 22)["statut"] == "reportee"
    # Jamais renseignées : statut à part, avancement null (pas 0).
    assert _action(r, 13)["statut"] == "non_renseignee"
    assert _action(r, 13)["avancement"] is None
    assert r["contrat"]["non_renseignees"] == [13, 34, 49]
    # Fiche 7 : valeur manquante en 2021, avec sa raison.
    mesure = _indicateur(r, 7, "personnes-beneficiaires-ald")["mesures"][0]
    assert mesure["valeur"] is None and "non collectée" in mesure["manquante"]


def test_avancement_contrat_est_la_moyenne_des_actions_renseignees() -> None:
    r = _json(2021)
    retenues = [a["avancement"] for a in r["actions"] if a["avancement"] is not None]
    assert r["contrat"]["avancement"] == pytest.approx(sum(retenues) / len(retenues))


def test_rapport_sur_data_livrees_dit_que_rien_n_est_saisi(cls) -> None:
    resultat = cls("report", "--year", "2021", "--data", DATA, "--date", "2021-12-31")
    assert resultat.exit_code == 0
    assert "Rien n'a encore été saisi." in resultat.output
    assert "0 actions renseignées sur 56" in resultat.output
    assert "| **Contrat** | **—** |" in resultat.output


def test_report_format_d_apres_extension(cls, tmp_path: Path) -> None:
    for extension, debut in (("html", "<!DOCTYPE html>"), ("md", "# "), ("json", "{")):
        sortie = tmp_path / f"r.{extension}"
        resultat = cls("report", "--year", "2021", "--data", DEMO, "-o", sortie)
        assert resultat.exit_code == 0, resultat.output
        assert f"écrit dans {sortie}" in " ".join(resultat.output.split())
        assert sortie.read_text(encoding="utf-8").startswith(debut)


def test_report_mi_parcours_et_anglais(cls) -> None:
    resultat = cls("report", "--year", "2022", "--mid-term", "--lang", "en", "--data", DEMO)
    assert resultat.exit_code == 0
    assert "## Trend 2020-2022" in resultat.output
    assert "| 2020 | 2021 | 2022 |" in resultat.output
    assert "Évolution" not in resultat.output


def test_report_usages_invalides(cls) -> None:
    assert cls("report", "--year", "2021", "--data", DEMO, "-f", "pdf").exit_code == 2
    assert cls("report", "--year", "2021", "--data", DEMO, "--lang", "de").exit_code == 2
    assert cls("report", "--year", "2021", "--from", "2023", "--data", DEMO).exit_code == 2
    assert cls("report", "--data", DEMO).exit_code == 2  # --year obligatoire


def test_stats(cls) -> None:
    resultat = cls("stats", "--year", "2021", "--data", DEMO)
    assert resultat.exit_code == 0
    sortie = " ".join(resultat.output.split())
    assert "36,6 %" in sortie and "51 sur 54" in sortie


HOSTILE = "<script>alert(1)</script> | a | b | [lien](javascript:alert(1)) **gras**"


@pytest.fixture
def arbre_hostile(arbre_vide: Path) -> Path:
    texte = (CAS / "valides" / "01-complete.yaml").read_text(encoding="utf-8")
    texte = texte.replace("  Une action de test.\n", f"  {HOSTILE}\n  seconde ligne\n")
    texte = texte.replace("titre: Action de test", f"titre: '{HOSTILE}'")
    (arbre_vide / "actions" / "01-hostile.yaml").write_text(texte, encoding="utf-8")
    return arbre_vide


def _rapport(arbre: Path, format_: str) -> str:
    ref = charger(arbre).referentiel
    return rendre(construire(ref, 2021, dt.date(2022, 1, 1), Origine(None, False)), format_)


def test_html_echappe_les_donnees(arbre_hostile: Path) -> None:
    html = _rapport(arbre_hostile, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "onerror" not in html


def test_markdown_echappe_les_donnees(arbre_hostile: Path) -> None:
    texte = _rapport(arbre_hostile, "md")
    assert "<script>" not in texte
    assert "&lt;script&gt;" in texte
    assert not re.search(r"(?<!\\)\]\(javascript", texte)
    for ligne in texte.splitlines():
        if ligne.startswith("|") and "alert" in ligne:
            # aucune barre non échappée ajoutée : même nombre de cellules que l'en-tête
            cellules = re.split(r"(?<!\\)\|", ligne)
            assert len(cellules) in (6, 7, 8, 9), ligne


def test_md_filtre() -> None:
    assert md("a | b\nc") == "a \\| b c"
    assert md("<b>[x](y)</b>") == "&lt;b&gt;\\[x\\](y)&lt;/b&gt;"


def _chromium() -> str:
    chemin = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chemin, "Chromium manque : make test l'installe (paquet Debian « chromium »)"
    return chemin


def test_html_imprime_en_pdf(tmp_path: Path) -> None:
    html = tmp_path / "rapport.html"
    html.write_text(golden.rendu(2023, "html"), encoding="utf-8")
    pdf = tmp_path / "rapport.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profil'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    lecteur = PdfReader(pdf)
    assert len(lecteur.pages) > 5
    texte = " ".join(" ".join((page.extract_text() or "").split()) for page in lecteur.pages)
    texte = unicodedata.normalize("NFKC", texte)  # les ligatures (ﬀ) redeviennent des lettres
    for axe in charger(DEMO).referentiel.axes.axes:  # type: ignore[union-attr]
        assert f"Axe {axe.code} – {axe.libelle}" in texte, axe.libelle


def test_completude_par_porteur_ordre_stable() -> None:
    """Deux porteurs qui ne diffèrent que par la casse gardent toujours le même ordre (le
    rapport ne dépend pas de l'ordre d'un ensemble), et un porteur cité deux fois dans une
    fiche ne la compte qu'une fois."""
    from cls_cli.chargement import FicheChargee, Referentiel
    from tests.test_calculs import fiche, indicateur

    def avec(numero: int, porteurs: list[str]) -> FicheChargee:
        f = fiche(
            numero,
            suivi=[{"annee": 2021, "statut": "en_cours"}],
            porteurs=porteurs,
            indicateurs=[indicateur([(2021, 3)]).model_dump()],
        )
        return FicheChargee(Path(f"{numero:02d}-a.yaml"), None, f)

    ref = Referentiel(
        Path("."),
        fiches=[avec(1, ["ccas b", "CCAS B"]), avec(2, ["CCAS B", "CCAS B", "Aa"])],
    )
    r = construire(ref, 2021, dt.date(2022, 1, 1), Origine(None, False))
    assert [(p["porteur"], p["completude_detail"]) for p in r["completude_porteurs"]] == [
        ("Aa", {"mesures": 1, "attendus": 1}),
        ("CCAS B", {"mesures": 2, "attendus": 2}),
        ("ccas b", {"mesures": 1, "attendus": 1}),
    ]
