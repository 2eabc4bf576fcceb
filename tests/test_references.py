"""Les fiches citées par les avenants, évaluations, réunions et decisions.yaml : par leur
numéro (comme avant) ou par leur identifiant tel que le contrat l'écrit (ticket 22)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from cls_cli import references
from cls_cli.avenants import Changement, charger_avenants
from cls_cli.decisions_yaml import lire_reglages
from cls_cli.erreurs import ErreurDonnees
from cls_cli.regles_evaluations import charger_gouvernance
from tests.conftest import DEMO
from tests.test_identifiants import garder, nommer

AVENANT_2 = Path("avenants") / "2.yaml"
COPIL = Path("instances") / "2023-03-15-copil.yaml"
EVALUATION = Path("evaluations") / "mi-parcours-2022.yaml"


def remplacer(racine: Path, fichier: Path, avant: str, apres: str) -> None:
    chemin = racine / fichier
    texte = chemin.read_text("utf-8")
    assert avant in texte
    chemin.write_text(texte.replace(avant, apres), encoding="utf-8")


def ligne_de(racine: Path, fichier: Path, morceau: str) -> int:
    lignes = (racine / fichier).read_text("utf-8").splitlines()
    return next(i for i, ligne in enumerate(lignes, 1) if morceau in ligne)


def rapport_json(cls, racine: Path, annee: int) -> object:
    resultat = cls("report", "--year", str(annee), "--format", "json", "--data", racine)
    assert resultat.exit_code == 0, resultat.output
    valeurs = json.loads(resultat.output)
    valeurs.pop("genere_le", None)
    return valeurs


# --- Avenants ----------------------------------------------------------------------------


def test_avenant_retire_une_fiche_par_son_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "B7"})
    par_numero = {a: rapport_json(cls, copie_demo, a) for a in (2023, 2024)}
    remplacer(copie_demo, AVENANT_2, "    fiche: 40\n", "    fiche: B7\n")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    assert "[erreur]" not in resultat.output
    changements = charger_avenants(copie_demo).valides()[1].changements
    (retrait,) = [c for c in changements if c.type == "fiche_retiree"]
    assert (retrait.type, retrait.fiche) == ("fiche_retiree", 40)
    # Les rapports sont ceux de l'avenant qui cite le numéro : la fiche est retirée en 2023.
    assert {a: rapport_json(cls, copie_demo, a) for a in (2023, 2024)} == par_numero
    md = cls("report", "--year", "2023", "--format", "md", "--data", copie_demo).output
    assert "- Fiche B7 retirée en 2023 (avenant n° 2) : elle ne compte plus à partir de 2024." in md


def test_avenant_identifiant_sans_casse_ni_espaces(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {12: "B-3.1", 40: "B7"})
    remplacer(copie_demo, AVENANT_2, "    fiche: 40\n", '    fiche: " b7 "\n')
    remplacer(copie_demo, AVENANT_2, "    fiche: 12\n", '    fiche: "B-3.1"\n')
    assert cls("validate", "--data", copie_demo).exit_code == 0
    fiches = [c.fiche for c in charger_avenants(copie_demo).valides()[1].changements]
    assert fiches == [40, 12]


def test_avenant_identifiant_inconnu(copie_demo: Path, cls) -> None:
    garder(copie_demo, {7, 12, 40})
    nommer(copie_demo, {7: "A2", 12: "B-3.1", 40: "B7"})
    (copie_demo / "avenants").mkdir()
    (copie_demo / AVENANT_2).write_text(
        (DEMO / AVENANT_2).read_text("utf-8").replace("fiche: 40\n", "fiche: B8\n"), "utf-8"
    )
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    ligne = ligne_de(copie_demo, AVENANT_2, "fiche: B8")
    sortie = " ".join(resultat.output.split())
    assert (
        f"avenants/2.yaml:{ligne}:5: [erreur] « changements[1].fiche » : la fiche « B8 » "
        "n'existe pas ; identifiants connus : A2, B7, B-3.1 ; correction : citez une fiche de "
        "actions/ par son identifiant ou son numéro"
    ) in sortie
    # Les commandes qui comptent les fiches en vigueur refusent l'avenant, situé.
    resultat = cls("report", "--year", "2023", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    assert f"avenants/2.yaml:{ligne}:5" in resultat.output
    assert "Traceback" not in resultat.output


def test_avenant_nombre_decimal_refuse(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {40: "3.1"})
    remplacer(copie_demo, AVENANT_2, "    fiche: 40\n", "    fiche: 3.1\n")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    sortie = " ".join(resultat.output.split())
    assert "3.1 est lu comme un nombre décimal" in sortie
    assert "écrivez l'identifiant entre guillemets, tel que le contrat l'écrit : \"3.1\"" in sortie
    # Entre guillemets, c'est l'identifiant.
    remplacer(copie_demo, AVENANT_2, "    fiche: 3.1\n", '    fiche: "3.1"\n')
    assert "[erreur]" not in cls("validate", "--data", copie_demo).output


def test_l_entier_reste_le_numero() -> None:
    changement = Changement.model_validate({"type": "fiche_retiree", "fiche": 40, "motif": "m"})
    assert changement.fiche == 40
    # Sans fiches pour le résoudre, un texte est refusé plutôt que deviné.
    with pytest.raises(ValidationError, match="ne peut pas être résolue"):
        Changement.model_validate({"type": "fiche_retiree", "fiche": "40", "motif": "m"})
    with pytest.raises(ValidationError, match="pas par « True »"):
        Changement.model_validate({"type": "fiche_retiree", "fiche": True, "motif": "m"})


def test_tout_en_entiers_ne_lit_pas_les_fiches(
    copie_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lectures: list[Path] = []
    lire = references._octets_fiches

    def compter(racine: Path):  # type: ignore[no-untyped-def]
        lectures.append(racine)
        return lire(racine)

    monkeypatch.setattr(references, "_octets_fiches", compter)
    assert len(charger_avenants(copie_demo).valides()) == 2
    assert not charger_gouvernance(copie_demo).problemes
    assert lectures == []
    # Une fiche citée par un texte : les fiches sont lues, une fois par chargement.
    nommer(copie_demo, {28: "B7"})
    remplacer(copie_demo, COPIL, "fiches: [28]", "fiches: [B7]")
    remplacer(copie_demo, EVALUATION, "fiches: [28]", "fiches: [B7, 28]")
    assert not charger_gouvernance(copie_demo).problemes
    assert lectures == [copie_demo]


def test_schema_entier_ou_texte() -> None:
    racine = Path(__file__).resolve().parent.parent / "schemas"
    avenant = json.loads((racine / "avenant.schema.json").read_text("utf-8"))
    fiche = avenant["$defs"]["Changement"]["properties"]["fiche"]
    (reference, nul) = fiche["anyOf"]
    assert [t["type"] for t in reference["anyOf"]] == ["integer", "string"]
    assert nul == {"type": "null"}
    assert "identifiant tel que le contrat l'écrit" in fiche["description"]
    instance = json.loads((racine / "instance.schema.json").read_text("utf-8"))
    fiches = instance["$defs"]["Decision"]["properties"]["fiches"]
    assert [t["type"] for t in fiches["items"]["anyOf"]] == ["integer", "string"]
    assert "identifiant tel que le contrat" in fiches["description"]


# --- Évaluations et réunions --------------------------------------------------------------


def test_evaluation_et_reunion_citent_un_identifiant(copie_demo: Path, cls) -> None:
    nommer(copie_demo, {28: "B7"})
    remplacer(copie_demo, COPIL, "fiches: [28]", "fiches: [B7]")
    remplacer(copie_demo, EVALUATION, "fiches: [28]", 'fiches: ["b7", 46]')
    resultat = cls("validate", "--data", copie_demo)
    assert "[erreur]" not in resultat.output, resultat.output
    g = charger_gouvernance(copie_demo)
    decisions = [d.fiches for lu in g.instances for d in lu.modele.decisions if d.fiches]
    assert [28] in decisions
    preconisations = [p.fiches for p in g.evaluations[0].modele.preconisations]
    assert [28, 46] in preconisations
    # cls show B7 montre la décision du COPIL qui la cite.
    montre = cls("show", "B7", "--data", copie_demo)
    assert montre.exit_code == 0, montre.output
    assert "Un avenant remplacera la fiche 28" in " ".join(montre.output.split())


def test_reunion_identifiant_inconnu(copie_demo: Path, cls) -> None:
    garder(copie_demo, {7, 12})
    nommer(copie_demo, {7: "A2", 12: "B-3.1"})
    (copie_demo / "instances").mkdir()
    (copie_demo / COPIL).write_text(
        "date: 2021-03-15\ntype: copil\ndecisions:\n"
        "  - texte: Poursuivre.\n    fiches: [A2, 12]\n"
        "  - texte: Arrêter.\n    fiches:\n      - A2\n      - Z9\n",
        encoding="utf-8",
    )
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1, resultat.output
    sortie = " ".join(resultat.output.split())
    assert (
        "instances/2023-03-15-copil.yaml:9:9: [erreur] « decisions[2].fiches[2] » : la fiche "
        "« Z9 » n'existe pas ; identifiants connus : A2, B-3.1 ;"
    ) in sortie
    assert len(re.findall(r"\[erreur\]", sortie)) == 1  # A2 et 12 sont résolus


# --- decisions.yaml ----------------------------------------------------------------------


def test_decisions_yaml_par_identifiant(copie_demo: Path) -> None:
    nommer(copie_demo, {14: "C2"})
    (copie_demo / "decisions.yaml").write_text(
        "ignorer:\n  - fiche: C2\n    motif: porteur_non_nomme\n"
        "ajouter:\n  - fiche: 22\n    decision: Relancer le porteur.\n",
        encoding="utf-8",
    )
    reglages = lire_reglages(copie_demo)
    assert reglages.ignorer == ((14, "porteur_non_nomme", 2),)
    assert [d.numero for d, _ in reglages.ajouts] == [22]
    (copie_demo / "decisions.yaml").write_text(
        "ignorer:\n  - motif: porteur_non_nomme\n    fiche: C3\n", encoding="utf-8"
    )
    with pytest.raises(ErreurDonnees) as exc:
        lire_reglages(copie_demo)
    probleme = exc.value.probleme
    assert (probleme.ligne, probleme.colonne) == (3, 12)
    assert "la fiche « C3 » n'existe pas ; identifiants connus : 1, 2," in probleme.message


# --- Écriture : l'outil écrit toujours le numéro -------------------------------------------


def test_withdraw_ecrit_le_numero_dans_un_avenant_qui_cite_un_identifiant(
    copie_demo: Path, cls
) -> None:
    nommer(copie_demo, {39: "C1", 40: "B7"})
    remplacer(copie_demo, AVENANT_2, "    fiche: 40\n", "    fiche: B7\n")
    resultat = cls("withdraw", "C1", "--avenant", "2", "--motif", "Fin", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    texte = (copie_demo / AVENANT_2).read_text("utf-8")
    assert "    fiche: B7\n" in texte
    assert texte.endswith("  - type: fiche_retiree\n    fiche: 39\n    motif: Fin\n")
    assert "[erreur]" not in cls("validate", "--data", copie_demo).output


def test_diff_lit_les_identifiants_de_la_meme_version(tmp_path: Path) -> None:
    import shutil

    from cls_cli.avenants_versions import avenants_du_commit
    from cls_cli.depot import Depot
    from tests.scenarios_git import enregistrer, git

    data = Path(shutil.copytree(DEMO, tmp_path / "data"))
    nommer(data, {40: "B7"})
    remplacer(data, AVENANT_2, "    fiche: 40\n", "    fiche: B7\n")
    git(tmp_path, "init", "-q", "-b", "main")
    enregistrer(data, "Contrat nommé")
    shutil.rmtree(data / "actions")  # l'arbre de travail n'a plus de fiches : rien à résoudre
    avenants = avenants_du_commit(Depot.de(data), "HEAD", data)
    assert [c.fiche for c in avenants[1].changements] == [40, 12]


def test_fiche_designee_en_ligne_de_commande(copie_demo: Path) -> None:
    """Le numéro et le nom d'une fiche désignée par son numéro (chemin rapide : seule sa
    fiche est lue) ou par son identifiant ; un numéro inconnu est rendu tel quel, un
    identifiant inconnu refusé avec les identifiants connus."""
    from cls_cli.chargement import charger
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.references import fiche_designee

    (chemin,) = (copie_demo / "actions").glob("30-*.yaml")
    chemin.write_text(
        chemin.read_text(encoding="utf-8").replace(
            "numero: 30\n", 'numero: 30\nidentifiant: "C7"\n'
        ),
        encoding="utf-8",
    )
    assert fiche_designee(copie_demo, "30") == (30, "C7")
    assert fiche_designee(copie_demo, " c7 ") == (30, "C7")
    assert fiche_designee(copie_demo, "12") == (12, "12")
    assert fiche_designee(copie_demo, "30", charger(copie_demo).referentiel) == (30, "C7")
    assert fiche_designee(copie_demo, "999") == (999, "999")
    (invalide,) = (copie_demo / "actions").glob("12-*.yaml")
    invalide.write_text("numero: 12\ntitre: [\n", encoding="utf-8")  # illisible : son numéro
    assert fiche_designee(copie_demo, "12") == (12, "12")
    with pytest.raises(ErreurUsage) as refus:
        fiche_designee(copie_demo, "Z9")
    assert str(refus.value).startswith("la fiche « Z9 » n'existe pas ; identifiants connus : 1, 2,")
    assert str(refus.value).endswith("(cls list affiche les fiches)")
