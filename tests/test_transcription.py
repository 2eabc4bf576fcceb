"""La transcription de data/ est fidèle au texte du contrat (sources/).

Le texte source est relu ici indépendamment du script de transcription : chaque fiche
doit avoir le titre, l'objectif et la nature du contrat, et ses indicateurs doivent
redonner, mis bout à bout, la ligne « Evaluation » mot pour mot.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cls_cli.chargement import charger
from cls_cli.modeles import Fiche
from tests.conftest import DATA, RACINE

SOURCE = RACINE / "sources" / "contrat-cls-chartres-metropole-2020-2025.txt"
NATURES = {
    "Nouvelle action": "nouvelle",
    "Action nouvelle": "nouvelle",
    "Action existante": "existante",
    "action existante": "existante",
    "Action existante pour partie - Action nouvelle pour partie": "mixte",
}


def _mots(texte: str) -> list[str]:
    texte = re.sub(r"<[^>]+>", " ", texte).replace(" ^e", "e").replace(" ^{er}", "er")
    return texte.split()


def _fiches_source() -> dict[int, dict[str, str]]:
    texte = SOURCE.read_text(encoding="utf-8").rsplit("\nIX Annexes", 1)[0]
    blocs = re.split(r"^FICHE ACTION N° (\d+)\s*$", texte, flags=re.M)
    fiches = {}
    for numero, corps in zip(blocs[1::2], blocs[2::2], strict=True):
        lignes = [ligne for ligne in corps.splitlines() if ligne.strip()]
        cellules = dict(ligne.split("\t", 1) for ligne in lignes if "\t" in ligne)
        cellules["titre"] = next(
            re.sub(r"^ACTION \d+ : ", "", ligne) for ligne in lignes if ligne.startswith("ACTION ")
        )
        cellules["objectif"] = next(
            m.group(1) for ligne in lignes if (m := re.match(r"^(\d\.\d\.\d)\.?\s", ligne))
        )
        cellules["nature"] = next(NATURES[ligne] for ligne in lignes if ligne in NATURES)
        fiches[int(numero)] = cellules
    return fiches


def _serre(texte: str) -> str:
    """Le texte sans les séparateurs d'une liste (virgules, « et », tirets…)."""
    mots = [m for m in re.split(r"[\s,;/]+", texte) if m not in ("et", "–", "")]
    return "".join(mots).rstrip(".")


SOURCE_FICHES = _fiches_source()
FICHES: dict[int, Fiche] = {f.numero: f for f in charger(DATA).referentiel.fiches_valides()}


def test_56_fiches() -> None:
    assert sorted(SOURCE_FICHES) == list(range(1, 57))
    assert sorted(FICHES) == list(range(1, 57))
    assert len(list((DATA / "actions").glob("*.yaml"))) == 56


@pytest.mark.parametrize("numero", range(1, 57))
def test_fiche_fidele(numero: int) -> None:
    source, fiche = SOURCE_FICHES[numero], FICHES[numero]
    assert _mots(fiche.titre) == _mots(source["titre"])
    assert fiche.objectif == source["objectif"]
    assert fiche.nature == source["nature"]
    assert _mots(fiche.description) == _mots(source["Descriptif de l'action"])
    assert _mots(fiche.territoire) == _mots(source["Territoire"])
    assert _mots(fiche.calendrier.texte) == _mots(source["Calendrier"])
    ressources = source["Ressources (Financement et Ressources humaines et matérielles)"]
    assert _mots(fiche.ressources.texte) == _mots(ressources)
    # Les indicateurs, bout à bout, redonnent la ligne « Evaluation » (les « et » et « ; »
    # qui séparaient deux indicateurs mis à part).
    evaluation = [m for m in _mots(source["Evaluation"]) if m != ";"]
    libelles = [m for ind in fiche.indicateurs for m in _mots(ind.libelle)]
    if libelles != evaluation:
        assert [m for m in evaluation if m != "et"] == [m for m in libelles if m != "et"]
    # Porteurs, partenaires et publics : découpés en listes, sans mot ajouté ni perdu.
    for champ, cellule in (
        ("porteurs", "Porteur du projet"),
        ("partenaires", "Partenariat"),
        ("public_cible", "Public cible"),
    ):
        assert _serre(" ".join(getattr(fiche, champ))) == _serre(source[cellule]), champ


def test_priorites_2020() -> None:
    prioritaires = {n for n, f in FICHES.items() if 2020 in f.priorites}
    assert prioritaires == {4, 11, 16, 21, 23, 24, 27, 28, 50}


def test_aucun_suivi_ni_mesure_dans_data() -> None:
    for fiche in FICHES.values():
        assert fiche.suivi == []
        assert all(ind.mesures == [] and ind.cible is None for ind in fiche.indicateurs)


def test_fiche_27_sans_indicateur() -> None:
    assert FICHES[27].indicateurs == []
    assert all(FICHES[n].indicateurs for n in FICHES if n != 27)


def test_calendrier_duree_du_cls() -> None:
    assert (FICHES[19].calendrier.debut, FICHES[19].calendrier.fin) == (2020, 2025)
    assert (FICHES[2].calendrier.debut, FICHES[2].calendrier.fin) == (2017, 2027)
    assert FICHES[4].ressources.budget == 16000


def test_axes_et_contrat() -> None:
    ref = charger(DATA).referentiel
    assert ref.axes is not None and ref.contrat is not None
    assert len(ref.axes.axes) == 4
    strategiques = [os_ for axe in ref.axes.axes for os_ in axe.objectifs_strategiques]
    assert len(strategiques) == 7
    assert sum(len(os_.objectifs_operationnels) for os_ in strategiques) == 23
    assert len(ref.contrat.communes) == 66
    assert len(ref.contrat.signataires) == 9
    assert str(ref.contrat.date_signature) == "2020-02-17"
    assert ref.contrat.lexique["CPTS"] == "Communauté Professionnelle Territoriale de Santé"


def test_fichiers_sources_presents() -> None:
    assert (RACINE / "sources" / "README.md").is_file()
    assert Path(SOURCE).stat().st_size > 100_000
