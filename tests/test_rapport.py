"""Le rapport annuel : valeurs connues sur l'exemple, rapports de référence, échappement, PDF."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from cls_cli.chargement import charger
from cls_cli.depot import Origine
from cls_cli.rapport import construire
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
    """Le rapport JSON rendu à l'instant (pas le fichier de référence commité, qu'un test qui
    le relit ne pourrait jamais trouver faux)."""
    return json.loads(golden.rendu(annee, "json"))


def _action(r: dict, numero: int) -> dict:
    return next(a for a in r["actions"] if a["numero"] == numero)


def _indicateur(r: dict, numero: int, code: str) -> dict:
    return next(i for i in _action(r, numero)["indicateurs"] if i["code"] == code)


def test_json_forme_attendue() -> None:
    r = _json(2021)
    assert r["annee"] == 2021
    assert set(r["contrat"]) >= {"avancement", "completude", "couverture"}
    # 54 fiches en vigueur en 2021 (les 55 et 56 n'arrivent qu'avec l'avenant n° 1, en 2022) :
    # 3 non renseignées et 7 à l'avancement non déclaré hors de la moyenne.
    assert r["contrat"]["couverture"] == {"renseignees": 44, "total": 54}
    assert len(r["contrat"]["non_renseignees"]) + len(r["contrat"]["non_declarees"]) == 10
    assert [a["code"] for a in r["axes"]] == ["1", "2", "3", "4"]
    assert {"code", "avancement", "objectifs"} <= set(r["axes"][0])
    assert len(r["actions"]) == 54
    assert {"numero", "statut", "avancement", "indicateurs"} <= set(r["actions"][0])


def test_valeurs_connues_de_l_exemple() -> None:
    r = _json(2023)
    # Fiche 30 : consultations d'urgence, de 120 (2019) vers 60 ; 78 en 2023 -> 70 %.
    assert _indicateur(r, 30, "consultations-services-medicaux")["atteinte"] == pytest.approx(70)
    # Fiche 1 : 450 + 600 + 650 + 700 = 2 400 pour une cible de 1 200 -> 200 %, pas 100 %.
    ind = _indicateur(r, 1, "personnes-sensibilisees")
    assert (ind["valeur"], ind["atteinte"]) == (2400, 200)
    # Fiche 10 : en cours sans pourcentage en 2023 -> 75 % déclarés en 2022, pas 50 %.
    assert (_action(r, 10)["avancement"], _action(r, 10)["avancement_annee"]) == (75, 2022)
    assert _action(r, 10)["avancement_repris"]
    # Fiche 22 : reportée, jamais de pourcentage -> non déclaré (hors moyenne), raison de 2022.
    assert _action(r, 22)["avancement"] is None and _action(r, 22)["avancement_non_declare"]
    assert _action(r, 22)["commentaire_annee"] == 2022
    assert r["contrat"]["non_declarees"] == [17, 22, 41]
    # Fiche 24 : « oui » sans cible -> pas d'atteinte ; sa valeur date de 2021.
    ind = _indicateur(r, 24, "creation-annuaire")
    assert (ind["valeur"], ind["annee_valeur"], ind["atteinte"]) == (True, 2021, None)
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
    assert "0 action sur 56 dans la moyenne" in resultat.output
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
    assert "31,4 %" in sortie and "44 sur 54" in sortie
    assert "Avancement non déclaré (hors moyennes) : fiches 4, 11, 15, 17, 30, 35, 37" in sortie


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


def test_completude_par_porteur_sans_doublons() -> None:
    """Deux écritures d'un porteur qui ne diffèrent que par la casse ou les espaces sont un
    seul porteur, nommé par l'écriture la plus fréquente (l'ordre ne dépend pas de l'ordre
    des fiches), et un porteur cité deux fois dans une fiche ne la compte qu'une fois."""
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

    fiches = [avec(1, ["ccas  b", "CCAS B"]), avec(2, ["CCAS B", "CCAS B", "Aa"])]
    for ordre in (fiches, fiches[::-1]):
        r = construire(
            Referentiel(Path("."), fiches=ordre), 2021, dt.date(2022, 1, 1), Origine(None, False)
        )
        assert [(p.porteur, p.completude_detail.model_dump()) for p in r.completude_porteurs] == [
            ("Aa", {"mesures": 1, "attendus": 1}),
            ("CCAS B", {"mesures": 2, "attendus": 2}),
        ]


def _puces(texte: str) -> list[str]:
    """Les puces d'une liste Markdown, chacune sur une ligne (suites de ligne recollées)."""
    puces: list[str] = []
    for ligne in texte.splitlines():
        if ligne.startswith("- "):
            puces.append(ligne[2:].strip())
        elif ligne.startswith("  ") and puces:
            puces[-1] += " " + ligne.strip()
    return puces


def test_readme_methode_egale_la_methode_du_rapport() -> None:
    """Le README et la section « Méthode » des rapports disent les mêmes règles, mot pour mot."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Comment les chiffres sont calculés", 1)[1].split("\n#", 1)[0]
    methode = golden.rendu(2023, "md").split("## Méthode\n", 1)[1]
    regles = _puces(methode.split("\n\n", 1)[0])
    assert len(regles) >= 8
    assert _puces(section) == regles


ACCORDS = [
    re.compile(r"\b[01] (actions|fiches|valeurs|mesures|indicateurs|porteurs)\b"),  # 1 actions
    re.compile(r"\b([2-9]|[1-9]\d+) (action|fiche|valeur|mesure)\b(?!s)"),  # 2 action
    re.compile(r"\bfiches \d+(?![\d,]| et)"),  # fiches 34
]
IMBRIQUEES = re.compile(r"\([^()\n]*\(")  # « (… (…) …) »


def _texte_lisible(texte: str, format_: str) -> str:
    """Le texte que lit le lecteur, sans les descriptifs (texte libre des fiches, recopié tel
    quel : ses parenthèses sont celles de l'auteur de la fiche)."""
    if format_ == "html":
        texte = re.sub(r"<style>.*?</style>", "", texte, flags=re.S)
        texte = re.sub(r'<p class="descriptif">.*?</p>', "", texte, flags=re.S)
        return re.sub(r"<[^>]+>", " ", texte)
    return re.sub(r"## Annexe : descriptifs des fiches\n.*?\n(?=## )", "", texte, flags=re.S)


def _fautes(texte: str, format_: str) -> list[str]:
    lisible = _texte_lisible(texte, format_)
    return [
        lisible[max(0, m.start() - 40) : m.end() + 20]
        for motif in [*ACCORDS, IMBRIQUEES]
        for m in motif.finditer(lisible)
    ]


@pytest.mark.parametrize(("annee", "format_"), [c for c in golden.CAS if c[1] != "json"])
def test_rapports_sans_faute_d_accord_ni_parentheses_imbriquees(annee: int, format_: str) -> None:
    assert _fautes(golden.rendu(annee, format_), format_) == []


def test_le_detecteur_de_fautes_en_trouve() -> None:
    faux = "1 actions ; 0 fiches ; 3 action ; fiches 34. ; manquante (non collectée (fictif))"
    assert len(_fautes(faux, "md")) == 5


@pytest.mark.parametrize("n", [0, 1, 2])
def test_chaque_compte_de_0_a_2_s_accorde(n: int) -> None:
    """n actions abandonnées, non renseignées, non déclarées, reprises et dans la moyenne."""
    from cls_cli.chargement import FicheChargee, Referentiel
    from tests.test_calculs import fiche

    suivis: list[list[dict[str, object]] | None] = [
        [{"annee": 2021, "statut": "abandonnee"}],
        None,
        [{"annee": 2021, "statut": "en_cours"}],
        [
            {"annee": 2020, "statut": "en_cours", "avancement": 20},
            {"annee": 2021, "statut": "en_cours"},
        ],
        [{"annee": 2021, "statut": "en_cours", "avancement": 50}],
    ]
    fiches = [
        fiche(len(suivis) * i + k + 1, suivi) for k, suivi in enumerate(suivis) for i in range(n)
    ]
    ref = Referentiel(
        Path("."), fiches=[FicheChargee(Path(f"{f.numero:02d}.yaml"), None, f) for f in fiches]
    )
    r = construire(ref, 2021, dt.date(2022, 1, 1), Origine("0123456789ab", False))
    for format_ in ("md", "html"):
        texte = rendre(r, format_)
        assert _fautes(texte, format_) == [], format_
        lisible = " ".join(_texte_lisible(texte, format_).split())
        if n == 0:
            assert "Actions abandonnées, hors moyennes : aucune." in lisible
            assert "0 action sur 0 dans la moyenne" in lisible
        elif n == 1:
            assert "Actions abandonnées, hors moyennes : 1 action : fiche 1." in lisible
            assert "2 actions sur 5 dans la moyenne, dont 1 valeur reprise" in lisible
        else:
            assert "Actions abandonnées, hors moyennes : 2 actions : fiches 1, 6." in lisible
            assert "4 actions sur 10 dans la moyenne, dont 2 valeurs reprises" in lisible


def test_gouvernance_de_l_annee_sur_l_exemple() -> None:
    """2021 dans l'exemple : un Cotech (18 mai) et un COPIL (23 novembre), 3 décisions."""
    g = _json(2021)["gouvernance"]
    assert g["enregistree"] is True
    assert [(t["type"], t["tenues"], t["attendues"]) for t in g["reunions_par_type"]] == [
        ("copil", 1, 1),
        ("copil_restreint", 0, 2),  # semestriel (contrat, VI-1-2-2)
        ("cotech", 1, 4),  # trimestriel (VI-1-2-3)
        ("groupe_de_travail", 0, None),  # pas de fréquence fixée
    ]
    # Signataires présents en 2021 : Chartres métropole, ARS, Conseil départemental, Hôpitaux.
    assert (
        g["participation"]["signataires"]["presents"],
        g["participation"]["signataires"]["total"],
    ) == (4, 9)
    assert [d["date"] for d in g["decisions"]] == ["2021-05-18", "2021-11-23", "2021-11-23"]
    assert [d["fiches"] for d in g["decisions"]] == [[], [], [22]]
    assert g["decisions"][1]["valide"] == "rapport_annuel" and g["decisions"][1]["annee"] == 2020
    md_ = golden.rendu(2021, "md")
    assert "| COPIL | 1 | 1 |" in md_ and "| Cotech | 1 | **4** |" in md_
    assert "| 23 novembre 2021 | COPIL | Le pôle médical est reporté faute de locaux. | 22 |" in md_


def test_sans_dossier_instances_le_rapport_le_dit(cls, copie_data: Path) -> None:
    """data/ n'a pas de dossier instances/ : aucune réunion n'est comptée, ni affichée à 0."""
    assert not (copie_data / "instances").exists()
    resultat = cls("report", "--year", "2021", "--format", "json", "--data", copie_data)
    assert resultat.exit_code == 0, resultat.output
    g = json.loads(resultat.output)["gouvernance"]
    assert g["enregistree"] is False and g["participation"] is None
    assert {t["tenues"] for t in g["reunions_par_type"]} == {None}
    md_ = cls("report", "--year", "2021", "--data", copie_data).output
    assert "Aucune réunion enregistrée dans data/instances/" in " ".join(md_.split())
    assert "| COPIL | 0 |" not in md_
    (copie_data / "instances").mkdir()  # un dossier vide : zéro réunion est alors un fait
    g = json.loads(cls("report", "-y", "2021", "-f", "json", "--data", copie_data).output)
    assert g["gouvernance"]["enregistree"] is True
    assert g["gouvernance"]["reunions_par_type"][0]["tenues"] == 0
