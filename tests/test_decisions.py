"""Les décisions à proposer au COPIL, sur de petits cas faits à la main."""

from __future__ import annotations

from pathlib import Path

import pytest

from cls_cli.decisions import Decision, Reglages, appliquer, decisions
from cls_cli.decisions_yaml import lire_reglages
from cls_cli.erreurs import ErreurDonnees
from tests.test_calculs import fiche


def _motifs(*fiches: object, annee: int = 2023) -> list[tuple[int, str, str]]:
    return [(d.numero, d.motif, d.detail) for d in decisions(list(fiches), annee)]  # type: ignore[arg-type]


def test_calendrier_echu_et_a_lancer_apres_son_debut() -> None:
    echu = fiche(
        1,
        [{"annee": 2023, "statut": "en_cours", "avancement": 40}],
        calendrier={"texte": "courant 2019", "debut": 2019, "fin": 2019},
    )
    realisee = fiche(
        2,
        [{"annee": 2023, "statut": "realisee"}],
        calendrier={"texte": "2019", "debut": 2019, "fin": 2019},
    )
    a_lancer = fiche(3, [{"annee": 2023, "statut": "a_lancer"}])  # début 2020
    pas_commencee = fiche(
        4,
        [{"annee": 2023, "statut": "a_lancer"}],
        calendrier={"texte": "à partir de 2024", "debut": 2024},
    )
    assert _motifs(echu, realisee, a_lancer, pas_commencee) == [
        (1, "calendrier_echu", "courant 2019"),
        (3, "a_lancer_en_retard", "Durée du CLS"),
    ]


def test_abandon_a_formaliser_avec_son_annee() -> None:
    f = fiche(28, [{"annee": 2021, "statut": "en_cours"}, {"annee": 2022, "statut": "abandonnee"}])
    assert _motifs(f) == [(28, "abandon_a_formaliser", "2022")]
    assert _motifs(f, annee=2021) == []
    # L'année de l'abandon est celle du point de suivi de l'année du rapport, pas d'un point
    # postérieur (une reprise en 2024 ne change pas le rapport 2023).
    repris = fiche(
        29, [{"annee": 2022, "statut": "abandonnee"}, {"annee": 2024, "statut": "en_cours"}]
    )
    assert _motifs(repris) == [(29, "abandon_a_formaliser", "2022")]


def test_porteurs_non_nommes() -> None:
    suivi = [{"annee": 2023, "statut": "en_cours", "avancement": 10}]
    f = fiche(
        5,
        suivi,
        porteurs=["Acteur à déterminer", "Vie37 ou CESEL", "CCAS intéressés", "Ville de Lucé"],
    )
    assert [(n, d) for n, m, d in _motifs(f) if m == "porteur_non_nomme"] == [
        (5, "Acteur à déterminer"),
        (5, "Vie37 ou CESEL"),
        (5, "CCAS intéressés"),
    ]
    # Une action abandonnée n'a plus de porteur à désigner : seul l'abandon est à formaliser.
    abandonnee = fiche(
        7, [{"annee": 2023, "statut": "abandonnee"}], porteurs=["Acteur à déterminer"]
    )
    assert _motifs(abandonnee) == [(7, "abandon_a_formaliser", "2023")]
    # « ou » dans un mot (« Tours », « outil ») n'est pas un choix.
    assert _motifs(fiche(6, suivi, porteurs=["Ville de Tours", "Outils santé"])) == []


def test_sans_nouvelles_non_renseignee_ou_priorite_sans_point_de_l_annee() -> None:
    jamais = fiche(7, calendrier={"texte": "2024", "debut": 2024})
    priorite = fiche(8, [{"annee": 2022, "statut": "en_cours", "avancement": 5}], priorites=[2023])
    a_jour = fiche(9, [{"annee": 2023, "statut": "en_cours", "avancement": 5}], priorites=[2023])
    assert _motifs(jamais, priorite, a_jour) == [
        (7, "non_renseignee", ""),
        (8, "priorite_sans_nouvelles", "2023"),
    ]


def test_ordre_par_motif_puis_par_fiche() -> None:
    abandon = fiche(1, [{"annee": 2022, "statut": "abandonnee"}])
    echu = fiche(
        9,
        [{"annee": 2023, "statut": "en_cours", "avancement": 5}],
        calendrier={"texte": "2020", "debut": 2020, "fin": 2020},
    )
    assert [m for _, m, _ in _motifs(abandon, echu)] == ["calendrier_echu", "abandon_a_formaliser"]


def _reglages(tmp_path: Path, texte: str) -> Reglages:
    (tmp_path / "decisions.yaml").write_text(texte, encoding="utf-8")
    return lire_reglages(tmp_path)


def test_la_coordination_ajoute_ou_fait_taire_des_decisions(tmp_path: Path) -> None:
    assert lire_reglages(tmp_path) == Reglages()  # pas de fichier : rien à changer
    reglages = _reglages(
        tmp_path,
        "ignorer:\n  - fiche: 1\n    motif: abandon_a_formaliser\n"
        "ajouter:\n  - fiche: 2\n    decision: Arbitrer le budget.\n",
    )
    calculees = [Decision(1, "abandon_a_formaliser", "2022"), Decision(1, "non_renseignee", "")]
    assert appliquer(calculees, reglages, {1, 2}) == [
        Decision(1, "non_renseignee", ""),
        Decision(2, "ajout", "Arbitrer le budget."),
    ]


@pytest.mark.parametrize(
    ("texte", "ligne", "message"),
    [
        ("ignorer:\n  - fiche: 1\n    motif: inconnu\n", 2, "motif inconnu « inconnu »"),
        (
            "ajouter:\n  - fiche: 1\n    decision: A\n  - fiche: 2\n",
            4,
            "décision à ajouter sans texte",
        ),
        ("ajouter:\n  - decision: Sans fiche\n", 2, "sans fiche"),
        ("autre: 1\n", 1, "contenu inattendu"),
        ("ignorer: oui\n", 1, "« ignorer » doit être une liste"),
    ],
)
def test_reglages_invalides_disent_la_ligne(
    tmp_path: Path, texte: str, ligne: int, message: str
) -> None:
    with pytest.raises(ErreurDonnees) as erreur:
        _reglages(tmp_path, texte)
    assert erreur.value.probleme.ligne == ligne
    assert message in erreur.value.probleme.message
    assert erreur.value.probleme.correction


def test_fiche_inconnue_dans_les_reglages(tmp_path: Path) -> None:
    reglages = _reglages(
        tmp_path, "ajouter:\n  - fiche: 1\n    decision: A\n  - fiche: 99\n    decision: B\n"
    )
    with pytest.raises(ErreurDonnees) as erreur:
        appliquer([], reglages, {1})
    probleme = erreur.value.probleme
    assert (Path(probleme.chemin).name, probleme.ligne, probleme.colonne) == (
        "decisions.yaml",
        4,
        1,
    )
    assert "la fiche 99 n'existe pas" in probleme.message
    assert probleme.correction == "corrigez le numéro de fiche ou retirez cette entrée"
    assert probleme.chemin == str(reglages.chemin)  # le fichier lu, pas seulement son nom
    # Des réglages sans fichier (construits en mémoire) citent le nom du fichier attendu.
    sans_fichier = Reglages(ajouts=((Decision(99, "ajout", "B"), 3),))
    with pytest.raises(ErreurDonnees) as erreur:
        appliquer([], sans_fichier, {1})
    assert (erreur.value.probleme.chemin, erreur.value.probleme.ligne) == ("decisions.yaml", 3)


def test_report_lit_decisions_yaml(cls, tmp_path: Path) -> None:
    import shutil

    from tests.conftest import DEMO

    data = Path(shutil.copytree(DEMO, tmp_path / "data"))
    (data / "decisions.yaml").write_text(
        "ignorer:\n  - fiche: 28\n    motif: abandon_a_formaliser\n"
        "ajouter:\n  - fiche: 22\n    decision: Arbitrer le maintien du pôle médical.\n",
        encoding="utf-8",
    )
    resultat = cls("report", "--year", "2023", "--data", data)
    assert resultat.exit_code == 0, resultat.output
    assert (
        "Ajoutée par la coordination | Arbitrer le maintien du pôle médical. |" in resultat.output
    )
    assert "Formaliser l'abandon par avenant." not in resultat.output
    (data / "decisions.yaml").write_text(
        "ignorer:\n  - fiche: 999\n    motif: ajout\n", encoding="utf-8"
    )
    resultat = cls("report", "--year", "2023", "--data", data)
    assert resultat.exit_code == 1
    assert "decisions.yaml:2" in " ".join(resultat.output.split())
