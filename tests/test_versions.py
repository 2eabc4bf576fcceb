"""``cls diff``, ``cls history`` et ``cls new`` sur des dépôts git temporaires."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cls_cli.changements import (
    Changement,
    comparer_fiche,
    diff_mots,
    valeurs_differentes,
)
from tests.scenarios_git import (
    FICHE_7,
    GOLDEN,
    SCENARIOS,
    Scenario,
    depot_initial,
    enregistrer,
    git,
    lancer,
    preparer,
    sans_commit,
    sortie_diff,
)

T7 = "Encourager le sport santé (sport sur ordonnance)"
MESURE_120 = {"valeur": 120, "manquante": None, "date": None, "source": "CPAM", "commentaire": None}
MESURE_135 = {**MESURE_120, "valeur": 135}

#: Ce que cls diff --format json doit dire de chaque scénario, et rien d'autre
#: (genre, fiche, champ, indicateur, année, avant, après).
ATTENDUS: dict[str, list[tuple[Any, ...]]] = {
    "champ": [
        ("champ", 7, "titre", None, None, T7, "Encourager le sport santé"),
        (
            "champ",
            7,
            "description",
            None,
            None,
            "Développer le dispositif sports santé\nDéfinir des modalités de facilitation "
            "(salle, communication, etc...)\n",
            "Développer et évaluer le dispositif sports santé\nDéfinir des modalités de "
            "facilitation (salle, communication, etc...)\n",
        ),
    ],
    "mesure-ajoutee": [
        ("mesure-ajoutee", 7, None, "personnes-beneficiaires-ald", 2021, None, MESURE_120)
    ],
    "mesure-modifiee": [
        ("mesure-modifiee", 7, None, "personnes-beneficiaires-ald", 2021, MESURE_120, MESURE_135)
    ],
    "mesure-supprimee": [
        ("mesure-supprimee", 7, None, "personnes-beneficiaires-ald", 2021, MESURE_120, None)
    ],
    "mesure-annee-close": [
        ("mesure-modifiee", 7, None, "personnes-beneficiaires-ald", 2021, MESURE_120, MESURE_135)
    ],
    "suivi-ajoute": [
        (
            "suivi-ajoute",
            7,
            None,
            None,
            2021,
            None,
            {"statut": "en_cours", "avancement": 40, "commentaire": None},
        )
    ],
    "suivi-modifie": [
        (
            "suivi-modifie",
            7,
            None,
            None,
            2021,
            {"statut": "en_cours", "avancement": 40, "commentaire": None},
            {"statut": "realisee", "avancement": 100, "commentaire": None},
        )
    ],
    "fiche-ajoutee": [
        (
            "fiche-ajoutee",
            57,
            None,
            None,
            None,
            None,
            {"titre": "Prévenir les chutes des personnes âgées", "objectif": "1.1.2"},
        )
    ],
    "fiche-supprimee": [
        (
            "fiche-supprimee",
            5,
            None,
            None,
            None,
            {
                "titre": "Encourager et mesurer l'activité physique et l'hygiène de vie des "
                "enfants en milieu scolaire - CM1/CM2 – « Sportez-vous bien »",
                "objectif": "1.1.2",
            },
            None,
        )
    ],
    "objectif-renomme": [
        (
            "objectif-renomme",
            None,
            "2.1.1",
            None,
            None,
            "Valoriser les atouts du territoire",
            "Faciliter l'accès aux soins de premier recours",
        )
    ],
    "reformatage": [],
}

#: L'avancement de l'axe 1 (avant, après) quand le scénario touche au suivi.
AVANCEMENT_AXE_1 = {"suivi-ajoute": (None, 40), "suivi-modifie": (40, 100)}


@pytest.fixture(params=SCENARIOS, ids=lambda s: s.nom)
def scenario(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Scenario, Path]:
    return request.param, preparer(request.param, tmp_path)


def test_tous_les_scenarios_ont_une_reponse_attendue() -> None:
    assert {s.nom for s in SCENARIOS} == set(ATTENDUS)


def test_diff_json_dit_exactement_le_changement(scenario: tuple[Scenario, Path]) -> None:
    nom, data = scenario[0].nom, scenario[1]
    code, sortie = sortie_diff(data, "json")
    assert code == 0
    document = json.loads(sortie)
    lus = [
        (c["genre"], c["fiche"], c["champ"], c["indicateur"], c["annee"], c["avant"], c["apres"])
        for c in document["changements"]
    ]
    assert lus == ATTENDUS[nom]
    assert document["de"] == "HEAD (<commit>)" and document["vers"] == "arbre de travail"
    if nom in AVANCEMENT_AXE_1:
        axe_1 = document["avancement_par_axe"]["axes"][0]
        assert (axe_1["code"], axe_1["avant"], axe_1["apres"]) == ("1", *AVANCEMENT_AXE_1[nom])
        assert [a["code"] for a in document["avancement_par_axe"]["axes"]] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(("format_", "extension"), [("text", "txt"), ("md", "md")])
def test_diff_texte_et_markdown_golden(
    scenario: tuple[Scenario, Path], format_: str, extension: str
) -> None:
    """Sorties de référence : ``make golden`` les régénère (relire le diff)."""
    code, sortie = sortie_diff(scenario[1], format_)
    assert code == 0
    assert "None" not in sortie  # une valeur absente se dit en français
    attendu = (GOLDEN / f"{scenario[0].nom}.{extension}").read_text(encoding="utf-8")
    assert sortie == attendu


def test_reformatage_la_fiche_reste_valide(tmp_path: Path, cls) -> None:
    data = preparer(next(s for s in SCENARIOS if s.nom == "reformatage"), tmp_path)
    assert cls("validate", "--data", data).exit_code == 0
    assert "calendrier: {texte" in (data / "actions" / FICHE_7).read_text(encoding="utf-8")


def test_diff_entre_deux_revisions(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    git(tmp_path, "tag", "signature")
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "120", "--year", "2021")
    enregistrer(data, "Mesure 2021")
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "130", "--year", "2022")
    # Arbre de travail modifié : ignoré quand on donne deux révisions.
    resultat = cls("diff", "signature", "HEAD", "--format", "json", "--data", data)
    assert resultat.exit_code == 0
    changements = json.loads(resultat.output)["changements"]
    assert [(c["genre"], c["annee"]) for c in changements] == [("mesure-ajoutee", 2021)]
    # Une seule révision : comparée à l'arbre de travail.
    resultat = cls("diff", "signature", "--format", "json", "--data", data)
    changements = json.loads(resultat.output)["changements"]
    assert [(c["genre"], c["annee"]) for c in changements] == [
        ("mesure-ajoutee", 2021),
        ("mesure-ajoutee", 2022),
    ]
    assert json.loads(resultat.output)["de"].startswith("signature (")
    assert json.loads(resultat.output)["annees_closes"] == []  # aucune clôture
    assert not any(c["annee_close"] for c in changements)


def test_diff_revision_inconnue_code_2(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    resultat = cls("diff", "v9.9", "--data", data)
    assert resultat.exit_code == 2
    assert "la révision « v9.9 » n'existe pas" in resultat.output
    assert "Traceback" not in resultat.output


def test_diff_hors_depot_git_code_2(copie_data: Path, cls) -> None:
    resultat = cls("diff", "--data", copie_data)
    assert resultat.exit_code == 2
    assert "n'est pas dans un dépôt git" in resultat.output


def test_diff_format_inconnu_code_2(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    resultat = cls("diff", "--format", "yaml", "--data", data)
    assert resultat.exit_code == 2
    assert "format inconnu « yaml »" in resultat.output


def test_diff_fiche_illisible_ni_ajoutee_ni_supprimee(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    fiche = data / "actions" / FICHE_7
    fiche.write_text(fiche.read_text(encoding="utf-8") + "titre: [\n", encoding="utf-8")
    resultat = cls("diff", "--format", "json", "--data", data)
    assert resultat.exit_code == 0
    document = json.loads(resultat.output)
    assert document["changements"] == []
    assert document["illisibles"] == [
        {"version": "arbre de travail", "fichier": str(fiche.relative_to(Path.cwd()))}
        if fiche.is_relative_to(Path.cwd())
        else document["illisibles"][0]
    ]
    texte = cls("diff", "--data", data).output
    assert "est absent ou illisible dans arbre de travail : non comparé" in texte


def test_diff_fichier_renomme_sans_changement(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    fiche = data / "actions" / FICHE_7
    fiche.rename(fiche.with_name("07-sport-sante.yaml"))
    resultat = cls("diff", "--format", "json", "--data", data)
    assert json.loads(resultat.output)["changements"] == []


def test_diff_sans_commit_code_2(arbre_vide: Path, cls) -> None:
    git(arbre_vide.parent, "init", "-q")
    resultat = cls("diff", "--data", arbre_vide)
    assert resultat.exit_code == 2
    assert "la révision « HEAD » n'existe pas" in resultat.output


# --- Années closes ---------------------------------------------------------------------------

COPIL_2021 = {"annee": 2021, "date": "2022-03-12", "decision": "COPIL du 12 mars 2022"}
ALERTE_2021 = (
    "1 changement touche une année close (2021, clôturée le 2022-03-12, "
    "réf. COPIL du 12 mars 2022)."
)


def _diff_json(cls, data: Path, *revisions: str) -> dict[str, Any]:
    resultat = cls("diff", *revisions, "--format", "json", "--data", data)
    assert resultat.exit_code == 0, resultat.output
    document: dict[str, Any] = json.loads(resultat.output)
    return document


def _closes(document: dict[str, Any]) -> list[tuple[str, int, bool]]:
    return [(c["genre"], c["annee"], c["annee_close"]) for c in document["changements"]]


def test_diff_annee_rouverte_signalee_dans_les_trois_formats(tmp_path: Path, cls) -> None:
    """Close au commit et dans l'arbre de travail, modifiée avec --reopen ; un suivi d'une
    année ouverte, lui, n'est pas marqué."""
    data = preparer(next(s for s in SCENARIOS if s.nom == "mesure-annee-close"), tmp_path)
    lancer(data, "status", "7", "en_cours", "--year", "2022", "--progress", "40")
    document = _diff_json(cls, data)
    assert _closes(document) == [("mesure-modifiee", 2021, True), ("suivi-ajoute", 2022, False)]
    assert document["annees_closes"] == [COPIL_2021]
    assert document["annees_closes_inconnues"] == []
    texte = cls("diff", "--data", data).output
    assert f"Attention : {ALERTE_2021}" in texte
    assert "  - [année close] mesure 2021 de « personnes-beneficiaires-ald »" in texte
    assert "  - suivi 2022 ajouté" in texte
    md = cls("diff", "--format", "md", "--data", data).output
    assert f"> **Attention** : {ALERTE_2021}" in md
    assert "- **année close** — mesure 2021 de `personnes-beneficiaires-ald`" in md
    assert "- suivi 2022 ajouté" in md


def test_diff_annee_close_seulement_dans_l_arbre_d_arrivee(tmp_path: Path, cls) -> None:
    """Saisie puis clôture dans le même lot de modifications : la saisie est signalée."""
    data = depot_initial(tmp_path)
    lancer(data, "status", "7", "en_cours", "--year", "2021", "--progress", "40")
    lancer(data, "campaign", "close", "--year", "2021", "--decision", "COPIL du 12 mars 2022",
        "--date", "2022-03-12")  # fmt: skip
    document = _diff_json(cls, data)
    assert _closes(document) == [("suivi-ajoute", 2021, True)]
    assert (
        "Attention : 1 changement touche une année close (2021"
        in cls("diff", "--data", data).output
    )


def test_diff_annee_close_seulement_au_depart(tmp_path: Path, cls) -> None:
    """La clôture retirée de clotures.yaml en même temps que la mesure change : signalé."""
    data = preparer(next(s for s in SCENARIOS if s.nom == "mesure-annee-close"), tmp_path)
    (data / "clotures.yaml").unlink()
    document = _diff_json(cls, data)
    assert _closes(document) == [("mesure-modifiee", 2021, True)]
    assert document["annees_closes"] == [COPIL_2021]


def test_diff_entre_deux_revisions_lit_les_clotures_des_commits(tmp_path: Path, cls) -> None:
    data = preparer(next(s for s in SCENARIOS if s.nom == "mesure-annee-close"), tmp_path)
    enregistrer(data, "Correction de 2021 après le COPIL")
    (data / "clotures.yaml").unlink()  # arbre de travail ignoré avec deux révisions
    document = _diff_json(cls, data, "HEAD~1", "HEAD")
    assert _closes(document) == [("mesure-modifiee", 2021, True)]
    assert document["annees_closes"] == [COPIL_2021]
    # La mesure et la clôture enregistrées dans le même commit : close à l'arrivée.
    document = _diff_json(cls, data, "HEAD~2", "HEAD~1")
    assert _closes(document) == [("mesure-ajoutee", 2021, True)]


def test_diff_deux_annees_closes_comptees_ensemble(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    for annee, decision in (("2021", "COPIL 2022"), ("2022", "COPIL 2023")):
        lancer(data, "record", "7", "personnes-beneficiaires-ald", "1", "--year", annee)
        lancer(data, "status", "7", "en_cours", "--year", annee)
        lancer(data, "campaign", "close", "--year", annee, "--decision", decision,
            "--date", f"{int(annee) + 1}-03-01")  # fmt: skip
    texte = cls("diff", "--data", data).output
    assert (
        "Attention : 4 changements touchent des années closes (2021, clôturée le 2022-03-01, "
        "réf. COPIL 2022 ; 2022, clôturée le 2023-03-01, réf. COPIL 2023)."
    ) in texte
    assert texte.count("[année close]") == 4


def test_diff_clotures_invalides_annees_closes_inconnues(tmp_path: Path, cls) -> None:
    """Un clotures.yaml invalide : on ne devine pas, on le dit (et le diff se fait quand même)."""
    data = preparer(next(s for s in SCENARIOS if s.nom == "mesure-annee-close"), tmp_path)
    (data / "clotures.yaml").write_text("clotures: [\n", encoding="utf-8")
    document = _diff_json(cls, data)
    assert document["annees_closes_inconnues"] == ["arbre de travail"]
    assert _closes(document) == [("mesure-modifiee", 2021, True)]  # close au départ
    texte = cls("diff", "--data", data).output
    assert (
        "Attention : clotures.yaml est invalide dans arbre de travail : ses années closes "
        "sont inconnues"
    ) in texte
    assert "Traceback" not in texte


def test_diff_fiche_supprimee_avec_les_chiffres_d_une_annee_close(tmp_path: Path, cls) -> None:
    """Supprimer une fiche efface aussi ses chiffres validés : signalé comme une année close."""
    data = preparer(next(s for s in SCENARIOS if s.nom == "mesure-annee-close"), tmp_path)
    git(tmp_path, "checkout", "-q", "--", ".")  # sans la correction du scénario
    (data / "actions" / FICHE_7).unlink()
    lancer(data, "new", "--objectif", "1.1.2", "--titre", "Prévenir les chutes")  # sans chiffre
    document = _diff_json(cls, data)
    assert [(c["genre"], c["fiche"], c["annee_close"]) for c in document["changements"]] == [
        ("fiche-supprimee", 7, True),
        ("fiche-ajoutee", 57, False),
    ]
    texte = cls("diff", "--data", data).output
    assert f"Attention : {ALERTE_2021}" in texte
    assert "  - [année close] fiche supprimée (elle relevait de l'objectif 1.1.2)" in texte


def test_comparaison_cloture_seulement_mesures_et_suivis() -> None:
    from cls_cli.changements import Comparaison
    from cls_cli.clotures import Cloture

    close = Cloture.model_validate({"annee": 2021, "date": "2022-03-12", "decision": "COPIL"})
    changements = (
        Changement("champ", 7, "titre", "a", "b"),
        Changement("mesure-ajoutee", 7, annee=2021, indicateur="x"),
        Changement("suivi-supprime", 7, annee=2021),
        Changement("suivi-ajoute", 7, annee=2022),
        Changement("fiche-supprimee", 8, annees=(2020, 2021, 2022)),
        Changement("fiche-ajoutee", 9, annees=(2022,)),
    )
    comparaison = Comparaison("a", "b", changements, closes={2021: close})
    assert [comparaison.cloture(c) for c in changements] == [None, close, close, None, close, None]
    assert comparaison.closes_touchees() == [(close, 3)]


# --- history -------------------------------------------------------------------------------


def test_history_texte(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "120", "--year", "2021")
    enregistrer(data, "Mesures 2021 de l'ADMS")
    # Un commit qui ne touche pas la fiche 7 n'apparaît pas.
    lancer(data, "record", "1", "reunions-organisees", "3", "--year", "2021")
    enregistrer(data, "Fiche 1")
    lancer(data, "status", "7", "en_cours", "--year", "2021")
    resultat = cls("history", "7", "--data", data)
    assert resultat.exit_code == 0, resultat.output
    assert sans_commit(resultat.output) == (
        f"Fiche 7 — {T7} : 3 modifications\n"
        "\n"
        "modifications non enregistrées (arbre de travail)\n"
        "  - suivi 2021 ajouté : en cours\n"
        "\n"
        "2024-03-15 · Coordination CLS · <commit> · Mesures 2021 de l'ADMS\n"
        "  - mesure 2021 de « personnes-beneficiaires-ald » ajoutée : 120\n"
        "\n"
        "2024-03-15 · Coordination CLS · <commit> · Contrat signé\n"
        "  - fiche ajoutée (objectif 1.1.2)\n"
    )


def test_history_json_et_md(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    champ = next(s for s in SCENARIOS if s.nom == "champ")
    champ.changement(data)
    enregistrer(data, "Titre raccourci")
    document = json.loads(cls("history", "7", "-f", "json", "--data", data).output)
    assert document["fiche"] == 7 and document["titre"] == "Encourager le sport santé"
    assert [e["sujet"] for e in document["etapes"]] == ["Titre raccourci", "Contrat signé"]
    assert [c["champ"] for c in document["etapes"][0]["changements"]] == ["titre", "description"]
    md = cls("history", "7", "-f", "md", "--data", data).output
    assert md.startswith("### Fiche 7 — Encourager le sport santé : 2 modifications\n")
    assert "- descriptif, mot à mot : Développer **et évaluer** le dispositif" in md


def test_history_reformatage_omis(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    next(s for s in SCENARIOS if s.nom == "reformatage").changement(data)
    enregistrer(data, "Mise en forme")
    document = json.loads(cls("history", "7", "-f", "json", "--data", data).output)
    assert [e["sujet"] for e in document["etapes"]] == ["Contrat signé"]


def test_history_fiche_inconnue_code_2(tmp_path: Path, cls) -> None:
    data = depot_initial(tmp_path)
    resultat = cls("history", "99", "--data", data)
    assert resultat.exit_code == 2
    assert "la fiche 99 n'existe ni dans" in resultat.output


# --- new -----------------------------------------------------------------------------------


def test_new_numero_suivant_et_champs_a_completer(copie_data: Path, cls) -> None:
    resultat = cls(
        "new", "--objectif", "3.1.1", "--titre", "Aider les aidants", "--data", copie_data
    )
    assert resultat.exit_code == 0, resultat.output
    chemin = copie_data / "actions" / "57-aider-les-aidants.yaml"
    texte = chemin.read_text(encoding="utf-8")
    assert texte.startswith("# yaml-language-server: $schema=../../schemas/fiche.schema.json\n")
    assert 'numero: 57\ntitre: Aider les aidants\nobjectif: "3.1.1"\n' in texte
    validation = cls("validate", "--format", "json", "--data", copie_data)
    assert validation.exit_code == 1
    problemes = json.loads(validation.output)["problemes"]
    assert {p["regle"] for p in problemes if p["niveau"] == "erreur"} == {"a-completer"}
    champs = sorted(p["message"] for p in problemes if p["regle"] == "a-completer")
    assert champs == sorted(
        f"champ à compléter ({c})"
        for c in (
            "nature",
            "porteurs[1]",
            "description",
            "public_cible[1]",
            "territoire",
            "calendrier.texte",
            "ressources.texte",
            "indicateurs[1].libelle",
            "indicateurs[1].type",
        )
    )


def test_new_une_fois_remplie_la_fiche_est_valide(copie_data: Path, cls) -> None:
    cls("new", "--objectif", "3.1.1", "--titre", "Aider les aidants", "--data", copie_data)
    chemin = copie_data / "actions" / "57-aider-les-aidants.yaml"
    remplacements = iter(
        ["nouvelle", "CCAS de Chartres", "Des ateliers pour les aidants.", "Aidants",
         "Chartres métropole", "2022-2025", "Financement du CCAS",
         "Nombre d'ateliers", "nombre"]
    )  # fmt: skip
    lignes = []
    for ligne in chemin.read_text(encoding="utf-8").splitlines(keepends=True):
        if "À COMPLÉTER" in ligne and not ligne.startswith("#"):
            ligne = ligne.replace("À COMPLÉTER", next(remplacements))
        lignes.append(ligne)
    chemin.write_text("".join(lignes), encoding="utf-8")
    resultat = cls("validate", "--data", copie_data)
    assert resultat.exit_code == 0, resultat.output


def test_new_deux_fois_deux_numeros(copie_data: Path, cls) -> None:
    for titre in ("Première", "Seconde"):
        assert (
            cls("new", "--objectif", "1.1.1", "--titre", titre, "--data", copie_data).exit_code == 0
        )
    noms = sorted(p.name for p in (copie_data / "actions").glob("5[78]-*.yaml"))
    assert noms == ["57-premiere.yaml", "58-seconde.yaml"]


def test_new_objectif_inconnu_code_2(copie_data: Path, cls) -> None:
    avant = sorted((copie_data / "actions").iterdir())
    resultat = cls("new", "--objectif", "1.1.9", "--titre", "X", "--data", copie_data)
    assert resultat.exit_code == 2
    assert "l'objectif « 1.1.9 » n'existe pas au niveau le plus bas de axes.yaml" in resultat.output
    assert sorted((copie_data / "actions").iterdir()) == avant


def test_new_titre_vide_code_2(copie_data: Path, cls) -> None:
    resultat = cls("new", "--objectif", "1.1.1", "--titre", "  ", "--data", copie_data)
    assert resultat.exit_code == 2
    assert "le titre est vide" in resultat.output


# --- Le cœur, sur des cas faits à la main ------------------------------------------------------


def test_valeurs_differentes() -> None:
    avant = {"a": 1, "b": {"c": "x", "d": [1, 2]}, "e": True}
    apres = {"a": 1, "b": {"c": "y", "d": [1, 2]}, "e": 1, "f": None}
    assert list(valeurs_differentes(avant, apres)) == [("b.c", "x", "y"), ("e", True, 1)]


def test_comparer_fiche_par_code_et_par_annee() -> None:
    def fiche(
        *mesures: dict[str, Any], suivi: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        return {
            "numero": 1,
            "titre": "T",
            "indicateurs": [{"code": "a", "libelle": "A", "mesures": list(mesures)}],
            "suivi": suivi or [],
        }

    avant = fiche({"annee": 2021, "valeur": 1}, {"annee": 2022, "valeur": 2})
    apres = fiche({"annee": 2022, "valeur": 3}, {"annee": 2021, "valeur": 1})  # ordre changé
    assert comparer_fiche(1, avant, apres) == [
        Changement(
            "mesure-modifiee",
            1,
            avant={"valeur": 2},
            apres={"valeur": 3},
            indicateur="a",
            annee=2022,
        )
    ]
    assert comparer_fiche(1, avant, avant) == []
    retire = {**avant, "indicateurs": []}
    assert [c.genre for c in comparer_fiche(1, avant, retire)] == [
        "indicateur-supprime",
        "mesure-supprimee",
        "mesure-supprimee",
    ]


@pytest.mark.parametrize(
    ("avant", "apres"),
    [
        ("un deux trois", "un 2 trois"),
        ("Développer le dispositif\nsports santé\n", "Développer et évaluer le dispositif\n"),
        ("", "tout nouveau"),
        ("tout ancien", ""),
    ],
)
def test_diff_mots_rend_les_deux_textes(avant: str, apres: str) -> None:
    segments = diff_mots(avant, apres)
    assert "".join(t for op, t in segments if op != "+") == avant
    assert "".join(t for op, t in segments if op != "-") == apres


def test_diff_mots_un_mot_change() -> None:
    assert diff_mots("un deux trois", "un 2 trois") == [
        ("=", "un "),
        ("-", "deux "),
        ("+", "2 "),
        ("=", "trois"),
    ]


def test_chaque_genre_produit_est_declare(tmp_path: Path) -> None:
    """Les genres que produisent les scénarios sont tous dans GENRES (le contrat du JSON)."""
    from cls_cli.changements import GENRES

    genres = {g for attendus in ATTENDUS.values() for g, *_ in attendus}
    assert genres <= set(GENRES)
    assert {"axe-ajoute", "contrat"} <= set(GENRES)


def test_fiches_deja_lues_partagees_jamais_perimees(tmp_path: Path) -> None:
    """Deux chargements qui partagent ``deja`` lisent une fois les fiches identiques
    (même document, même modèle) et relisent toujours une fiche dont le contenu a changé,
    même si elle garde son nom."""
    import shutil

    from cls_cli.chargement import DejaLues, charger
    from tests.conftest import DEMO

    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    deja: DejaLues = {}
    avant = charger(data, deja).referentiel
    chemin = sorted((data / "actions").glob("30-*.yaml"))[0]
    texte = chemin.read_text(encoding="utf-8")
    chemin.write_text(texte.replace("statut: en_cours", "statut: realisee", 1), "utf-8")
    apres = charger(data, deja).referentiel

    paires = {a.chemin: (a, b) for a, b in zip(avant.fiches, apres.fiches, strict=True)}
    assert len(paires) == len(avant.fiches) > 50
    for chemin_fiche, (a, b) in paires.items():
        if chemin_fiche == chemin:
            assert a.document is not b.document and a.fiche is not b.fiche
            assert a.fiche is not None and b.fiche is not None
            assert a.fiche.suivi != b.fiche.suivi
        else:
            assert a.document is b.document and a.fiche is b.fiche


def test_new_ne_reprend_pas_le_numero_d_une_fiche_retiree(copie_demo: Path, cls) -> None:
    # La fiche 56, la dernière, est retirée par un avenant, puis son fichier supprimé : son
    # numéro reste pris (l'avenant le cite).
    avenant = copie_demo / "avenants" / "2.yaml"
    avenant.write_text(
        avenant.read_text("utf-8").replace("fiche: 40\n", "fiche: 56\n"), encoding="utf-8"
    )
    (fichier,) = (copie_demo / "actions").glob("56-*.yaml")
    fichier.unlink()
    resultat = cls("new", "--objectif", "1.1.1", "--titre", "Autre", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert [p.name for p in (copie_demo / "actions").glob("5[67]-*.yaml")] == ["57-autre.yaml"]
