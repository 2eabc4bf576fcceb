"""Réponses exactes du chemin d'écriture là où le test par mutation (make mutation) a
montré qu'aucun test ne les fixait : phrases du bilan, valeur affichée d'un texte, erreur
d'une fiche que la modification rendrait invalide."""

from __future__ import annotations

from pathlib import Path

import pytest

from cls_cli.bilan import phrases_du_bilan
from cls_cli.erreurs import ErreurDonnees
from cls_cli.plan import Bilan, Demande, Detail
from cls_cli.suivi import Contexte, verifier_texte

FICHE_01 = "01-mener-actions-sensibilisation-prevention-relatives-qualite.yaml"


def _detail(numero: int, effet: str, ancien: str | None = None) -> Detail:
    return Detail(numero, Path("x.yaml"), "mesure", "reunions", 2024, effet, ancien, "'Oui'")  # type: ignore[arg-type]


def test_phrases_du_bilan_en_simulation() -> None:
    bilan = Bilan([_detail(3, "ajoutee"), _detail(3, "inchangee"), _detail(1, "remplacee", "2")])
    assert phrases_du_bilan(bilan, 2, simulation=True) == [
        "Simulation (--dry-run) : rien n'a été écrit. Voici ce qui changerait :",
        "  Fiche 3, reunions, 2024 : 'Oui' (ajoutée)",
        "  Fiche 1, reunions, 2024 : 2 -> 'Oui' (remplacée)",
        "Fiche 1 : 1 mesure remplacée",
        "Fiche 3 : 1 mesure ajoutée, 1 mesure inchangée",
        "Total : 1 mesure ajoutée, 1 mesure remplacée, 1 mesure inchangée ; "
        "2 ligne(s) vide(s) ignorée(s).",
    ]


def test_phrases_d_un_bilan_vide() -> None:
    assert phrases_du_bilan(Bilan(), 0, simulation=False)[-1] == (
        "Total : aucune saisie ; 0 ligne(s) vide(s) ignorée(s)."
    )


def test_modification_qui_rendrait_la_fiche_invalide(copie_demo: Path) -> None:
    """Une mesure hors de la période du contrat (règle qui a besoin du contrat et des
    positions du document) : l'erreur dit le fichier, la ligne et la colonne de l'année."""
    chemin = copie_demo / "actions" / FICHE_01
    texte = chemin.read_text(encoding="utf-8")
    texte = texte.replace(
        "      - annee: 2020\n        valeur: 4\n", "      - annee: 2019\n        valeur: 4\n"
    )
    ligne = texte.splitlines().index("      - annee: 2019") + 1
    with pytest.raises(ErreurDonnees) as erreur:
        verifier_texte(texte, chemin, Contexte.lire(copie_demo))
    p = erreur.value.probleme
    assert (p.chemin, p.ligne, p.colonne) == (f"demo/actions/{FICHE_01}", ligne, 9)
    assert p.message == (
        "la modification rendrait la fiche invalide, rien n'a été écrit : "
        "l'année 2019 est hors de la période du contrat (2020-2025)"
    )
    assert (p.correction, p.regle) == ("corrigez l'année de la mesure", "annee-hors-periode")


def test_modification_que_le_schema_refuse(copie_demo: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_01
    texte = chemin.read_text(encoding="utf-8").replace("numero: 1\n", "numero: un\n")
    with pytest.raises(ErreurDonnees) as erreur:
        verifier_texte(texte, chemin, Contexte.lire(copie_demo))
    p = erreur.value.probleme
    assert (p.chemin, p.ligne, p.colonne) == (f"demo/actions/{FICHE_01}", 2, 1)
    assert p.message.startswith("la modification rendrait la fiche invalide, rien n'a été écrit")


# --- Les règles de toute demande (plan._controler), par la commande --------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["40", "participants", "12", "--year", "2024"],
            "fiche 40, indicateur « participants » : la fiche 40 est retirée du contrat par "
            "l'avenant n° 2 (2023-06-15, avenants/2.yaml) : elle ne reçoit plus de saisie "
            "après 2023",
        ),
        (
            ["55", "reunions-groupe-travail", "3", "--year", "2021"],
            "fiche 55, indicateur « reunions-groupe-travail » : la fiche 55 n'entre au contrat "
            "qu'avec l'avenant n° 1 (2022-03-10) : pas de saisie pour 2021",
        ),
        (
            ["1", "reunions-organisees", "3", "--year", "2021", "--replace"],
            "fiche 1, indicateur « reunions-organisees » : l'année 2021 est close (COPIL du "
            "1er février 2022, le 2022-02-01) : ses chiffres ont été validés ; ajoutez "
            "--reopen pour la modifier quand même",
        ),
    ],
)
def test_saisie_refusee_hors_vigueur_ou_annee_close(
    cls, copie_demo: Path, arguments: list[str], message: str
) -> None:
    (copie_demo / "clotures.yaml").write_text(
        'clotures:\n  - annee: 2021\n    date: 2022-02-01\n    decision: "COPIL du 1er février'
        ' 2022"\n',
        encoding="utf-8",
    )
    avant = {p: p.read_bytes() for p in (copie_demo / "actions").iterdir()}
    resultat = cls("record", *arguments, "--data", copie_demo)
    assert resultat.exit_code == 2
    assert " ".join(resultat.output.split()) == f"Erreur : {message}"
    assert {p: p.read_bytes() for p in (copie_demo / "actions").iterdir()} == avant


def test_phrases_des_refus() -> None:
    from cls_cli.bilan import phrases_des_refus
    from cls_cli.plan import Refus

    bilan = Bilan(
        refus=[
            Refus("t.csv:3", 30, "l'indicateur « x » a déjà une mesure", conflit=True),
            Refus("t.csv:4", 7, "« douze » n'est pas un nombre"),
        ]
    )
    assert phrases_des_refus(bilan, {30: "A30"}) == [
        "t.csv:3: fiche A30 : l'indicateur « x » a déjà une mesure (--replace pour remplacer)",
        "t.csv:4: fiche 7 : « douze » n'est pas un nombre",
    ]


def test_demandes_du_tableau() -> None:
    from cls_cli.plan import demandes_du_tableau
    from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi
    from cls_cli.tableur import Saisies

    mesure = SaisieMesure(2024, 12)
    suivi = SaisieSuivi(2024, "en_cours", 40)
    saisies = Saisies(
        mesures={3: [("t.csv:2", "ateliers", mesure)]}, suivis={3: [("t.csv:3", suivi)]}
    )
    assert demandes_du_tableau(saisies) == [
        Demande(3, mesure, "ateliers", "t.csv:2"),
        Demande(3, suivi, "", "t.csv:3"),
    ]


def test_contexte_sans_contrat(copie_demo: Path) -> None:
    (copie_demo / "contrat.yaml").unlink()
    contexte = Contexte.lire(copie_demo)
    assert contexte.contrat is None
    assert contexte.axes is not None and contexte.racine == copie_demo


# --- Poser une mesure dans une fiche ouverte (suivi.poser_mesure) ----------------------

FICHE_7 = """\
numero: 7
indicateurs:
  - code: ateliers
    type: nombre
    mesures:
      - annee: 2023
        manquante: non transmis
  - code: charte
    type: texte
    mesures:
      - annee: 2023
        valeur: Oui
"""


def test_remplacer_dit_l_ancienne_valeur() -> None:
    from cls_cli.regles_saisie import SaisieMesure
    from cls_cli.suivi import Conflit, poser_mesure
    from cls_cli.yamlio import charger_texte

    doc = charger_texte(FICHE_7, Path("07-x.yaml"))
    assert poser_mesure(doc, "ateliers", SaisieMesure(2023, 12), True) == (
        "remplacee",
        "manquante (non transmis)",
    )
    assert poser_mesure(doc, "charte", SaisieMesure(2023, "Non"), True) == ("remplacee", "'Oui'")
    assert poser_mesure(doc, "charte", SaisieMesure(2023, "Non"), False) == (
        "inchangee",
        "'Non'",
    )
    relu = charger_texte(FICHE_7, Path("07-x.yaml"))
    with pytest.raises(Conflit) as refus:
        poser_mesure(relu, "charte", SaisieMesure(2023, "Peut-être"), False)
    assert str(refus.value) == "l'indicateur « charte » a déjà une mesure pour 2023 : 'Oui'"
    assert refus.value.ligne == 11  # la ligne de la mesure existante


def test_indicateur_inconnu_liste_les_codes() -> None:
    from cls_cli.regles_saisie import SaisieMesure
    from cls_cli.suivi import poser_mesure
    from cls_cli.yamlio import charger_texte

    doc = charger_texte(FICHE_7, Path("07-x.yaml"))
    with pytest.raises(ValueError) as refus:
        poser_mesure(doc, "inconnu", SaisieMesure(2023, 1), False)
    assert str(refus.value) == (
        "la fiche 7 n'a pas d'indicateur « inconnu » (indicateurs : ateliers, charte)"
    )
    vide = charger_texte("numero: 8\nindicateurs: []\n", Path("08-x.yaml"))
    with pytest.raises(ValueError) as refus:
        poser_mesure(vide, "x", SaisieMesure(2023, 1), False)
    assert str(refus.value) == "la fiche 8 n'a pas d'indicateur « x » (indicateurs : aucun)"


def test_piege_yaml_deja_dans_la_fiche_bloque_l_ecriture(copie_demo: Path) -> None:
    """Le modèle accepte « territoire: yes », mais d'autres lecteurs YAML y liraient vrai :
    une fiche qui le contient n'est pas réécrite (l'erreur vient de la lecture, pas du
    modèle)."""
    chemin = copie_demo / "actions" / FICHE_01
    texte = chemin.read_text(encoding="utf-8").replace(
        "territoire: Chartres métropole\n", "territoire: yes\n"
    )
    with pytest.raises(ErreurDonnees) as erreur:
        verifier_texte(texte, chemin, Contexte.lire(copie_demo))
    assert erreur.value.probleme.regle == "piege-booleen"


def test_valeur_texte_montree_entre_apostrophes(copie_demo: Path) -> None:
    from cls_cli.plan import MesureTexte, planifier

    demande = Demande(
        5, MesureTexte(2024, "Très satisfaisant", None), "questionnaire-evaluation", ""
    )
    le_plan = planifier(copie_demo, Contexte.lire(copie_demo), [demande], remplacer=False)
    assert [d.nouveau for d in le_plan.bilan.details] == ["'Très satisfaisant'"]


def test_phrases_du_bilan_nomment_les_fiches_par_leur_identifiant() -> None:
    bilan = Bilan([_detail(3, "ajoutee")])
    assert phrases_du_bilan(bilan, 0, True, {3: "A3"})[1:3] == [
        "  Fiche A3, reunions, 2024 : 'Oui' (ajoutée)",
        "Fiche A3 : 1 mesure ajoutée",
    ]


def test_mesure_ajoutee_a_une_liste_en_flux() -> None:
    """Une liste de mesures écrite en flux (« [..] ») passe en liste de blocs : la nouvelle
    mesure s'écrit comme celles des fiches livrées, le commentaire reste sur la clé."""
    from cls_cli.regles_saisie import SaisieMesure
    from cls_cli.suivi import poser_mesure
    from cls_cli.yamlio import charger_texte, vers_texte

    texte = (
        "numero: 7\nindicateurs:\n  - code: a\n    type: nombre\n"
        "    mesures: [{annee: 2020, valeur: 4}]  # note\n    cible: 3\n"
    )
    doc = charger_texte(texte, Path("07-x.yaml"))
    assert poser_mesure(doc, "a", SaisieMesure(2021, 5), False) == ("ajoutee", None)
    assert vers_texte(doc).splitlines()[4:8] == [
        "    mesures:                             # note",
        "      - {annee: 2020, valeur: 4}",
        "      - annee: 2021",
        "        valeur: 5",
    ]
