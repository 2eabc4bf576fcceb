"""Les sources des mesures dans le rapport : une note par fiche (ou par indicateur quand
elles diffèrent), la raison d'une valeur manquante, et l'annexe des sources par porteur."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from cls_cli.chargement import FicheChargee, Referentiel
from cls_cli.modele_rapport import Rapport
from cls_cli.modeles import Axes
from cls_cli.rapport import Origine, construire
from cls_cli.rendu import rendre
from cls_cli.sources import SourcePorteur, sources_par_porteur
from tests.test_calculs import fiche


def _indicateur(code: str, mesures: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "libelle": f"Indicateur {code}", "type": "nombre", "mesures": mesures}


FICHES = [
    fiche(
        1,
        suivi=[{"annee": 2021, "statut": "en_cours"}],
        porteurs=["CCAS B", "Ville"],
        indicateurs=[
            _indicateur(
                "a",
                [
                    {"annee": 2020, "valeur": 3, "source": "Bilan CCAS"},
                    {"annee": 2021, "valeur": 4, "source": "Enquête ARS"},
                    {"annee": 2022, "valeur": 5, "source": "Plus tard"},
                ],
            ),
            _indicateur(
                "b",
                [
                    {"annee": 2020, "valeur": 1},
                    {"annee": 2021, "manquante": "séances suspendues", "source": "Bilan CCAS"},
                ],
            ),
        ],
    ),
    fiche(
        2,
        suivi=[{"annee": 2021, "statut": "en_cours"}],
        porteurs=["ccas  b"],
        indicateurs=[_indicateur("c", [{"annee": 2021, "valeur": 9, "source": "Bilan CCAS"}])],
    ),
]


AXES = Axes.model_validate(
    {
        "axes": [
            {
                "code": "1",
                "libelle": "Axe un",
                "objectifs_strategiques": [
                    {
                        "code": "1.1",
                        "libelle": "Stratégique",
                        "objectifs_operationnels": [{"code": "1.1.1", "libelle": "Opérationnel"}],
                    }
                ],
            }
        ]
    }
)


def _rapport() -> Rapport:
    ref = Referentiel(
        Path("."),
        axes=AXES,
        fiches=[FicheChargee(Path(f"{f.numero:02d}.yaml"), None, f) for f in FICHES],
    )
    return construire(ref, 2021, dt.date(2022, 1, 1), Origine(None, False))


def test_sources_par_porteur_calcul() -> None:
    assert sources_par_porteur(FICHES, 2021) == [
        (
            "CCAS B",  # « ccas  b » est le même porteur ; à égalité, l'écriture la plus petite
            [
                SourcePorteur("Bilan CCAS", (1, 2), 3),  # a 2020, b 2021, c 2021
                SourcePorteur("Enquête ARS", (1,), 1),
                SourcePorteur(None, (1,), 1),  # sans source, en dernier
            ],
        ),
        (
            "Ville",
            [
                SourcePorteur("Bilan CCAS", (1,), 2),
                SourcePorteur("Enquête ARS", (1,), 1),
                SourcePorteur(None, (1,), 1),
            ],
        ),
    ]
    assert sources_par_porteur(FICHES, 2019) == []  # aucune mesure : aucun porteur


def test_sources_dans_le_modele() -> None:
    r = _rapport()
    assert [p.porteur for p in r.sources_porteurs] == ["CCAS B", "Ville"]
    assert r.sources_porteurs[0].sources[0].model_dump() == {
        "source": "Bilan CCAS",
        "fiches": [1, 2],
        "mesures": 3,
    }


def _lisible(texte: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", texte).split())


def test_sources_et_raisons_dans_html_et_markdown() -> None:
    r = _rapport()
    for format_ in ("md", "html"):
        texte = _lisible(rendre(r, format_))
        # fiche 1 : deux sources, une note par indicateur, années avant la source
        assert "Sources — Indicateur a : 2020 : Bilan CCAS ; 2021 : Enquête ARS." in texte
        assert "Source — Indicateur b : 2021 : Bilan CCAS." in texte
        assert "Plus tard" not in texte  # 2022 est après l'année du rapport
        # fiche 2 : une seule source, une seule note
        assert "Source des mesures : Bilan CCAS." in texte
        # la raison de la valeur manquante, dans la cellule de l'année
        assert "manquante — séances suspendues" in texte
        # l'annexe
        annexe = texte.split("Annexe : sources des mesures par porteur", 1)[1]
        assert "CCAS B" in annexe and "source non précisée" in annexe, format_
