"""Les décisions à proposer au COPIL, sur de petits cas faits à la main."""

from __future__ import annotations

from cls_cli.decisions import decisions
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


def test_porteurs_non_nommes() -> None:
    suivi = [{"annee": 2023, "statut": "en_cours", "avancement": 10}]
    f = fiche(
        5,
        suivi,
        porteurs=["Acteur à déterminer", "Vie37 ou CESEL", "CCAS intéressés", "Ville de Lucé"],
    )
    assert [d for _, m, d in _motifs(f) if m == "porteur_non_nomme"] == [
        "Acteur à déterminer",
        "Vie37 ou CESEL",
        "CCAS intéressés",
    ]
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
