"""Les modèles figés partagent leur ``model_fields_set`` (mémoire), sans fuite d'un objet
à l'autre."""

from __future__ import annotations

from cls_cli.chargement import charger
from cls_cli.modeles import Mesure
from tests.conftest import DEMO


def test_mesures_des_fiches_partagent_leurs_champs_donnes() -> None:
    fiches = charger(DEMO).referentiel.fiches_valides()
    mesures = [m for f in fiches for i in f.indicateurs for m in i.mesures]
    par_champs: dict[frozenset[str], set[int]] = {}
    for m in mesures:
        par_champs.setdefault(frozenset(m.model_fields_set), set()).add(id(m.model_fields_set))
    assert len(mesures) > len(par_champs)
    assert all(len(ids) == 1 for ids in par_champs.values())


def test_champs_donnes_exacts_et_copie_independante() -> None:
    a = Mesure.model_validate({"annee": 2021, "valeur": 3})
    b = Mesure.model_validate({"annee": 2022, "valeur": 4})
    c = Mesure.model_validate({"annee": 2022, "manquante": "non collectée"})
    assert a.model_fields_set is b.model_fields_set == {"annee", "valeur"}
    assert c.model_fields_set == {"annee", "manquante"}
    copie = a.model_copy(update={"source": "enquête"})
    assert "source" in copie.model_fields_set
    assert a.model_fields_set == b.model_fields_set == {"annee", "valeur"}
