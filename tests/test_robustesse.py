"""Aucune entrée ne fait planter cls, ne le bloque, ni ne perd de données.

- le corpus tests/hostiles/ : chaque fichier est refusé (code 1, message situé) vite et
  sans rien modifier ;
- des tests par propriétés (hypothesis) : documents YAML au hasard, fiches réelles abîmées au
  hasard, valeurs saisies au hasard. Bornés dans ``make test`` (profil « ci ») ; ``make fuzz``
  les lance longuement (profil « fuzz »).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cls_cli.chargement import NOMBRE_MAX_FICHES
from cls_cli.rendu import md
from tests.conftest import CAS, DEMO

HOSTILES = Path(__file__).resolve().parent / "hostiles"
FICHE_30 = "30-developper-dispositifs-telemedecine-legers-structures-sociales.yaml"

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=20_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROFIL = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFIL)


def exemples(ci: int, fuzz: int) -> settings:
    """Le nombre d'exemples d'un test : borné dans make test, grand dans make fuzz."""
    return settings(max_examples=fuzz if PROFIL == "fuzz" else ci)


@pytest.fixture
def arbre_30(arbre_vide: Path) -> Path:
    """Un petit arbre : les axes, le contrat et la seule fiche 30 de l'exemple."""
    shutil.copy(DEMO / "actions" / FICHE_30, arbre_vide / "actions" / FICHE_30)
    return arbre_vide


def _instantane(dossier: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(dossier.rglob("*")) if p.is_file()}


def _sans_trace(resultat: object) -> None:
    sortie = resultat.output  # type: ignore[attr-defined]
    assert "Traceback" not in sortie, sortie
    assert resultat.exit_code in (0, 1, 2), (resultat.exit_code, sortie)  # type: ignore[attr-defined]


def _refus_rapide(cls, arbre: Path) -> str:
    """Refusé (code 1, sans trace) et rien modifié. La durée du refus se mesure dans
    ``make bench`` : une durée chronométrée ici dépend de la charge de la machine."""
    avant = _instantane(arbre)
    resultat = cls("validate", "--data", arbre)
    assert resultat.exit_code == 1, resultat.output
    assert "Traceback" not in resultat.output
    assert _instantane(arbre) == avant
    return resultat.output


@pytest.mark.parametrize("cas", sorted(HOSTILES.glob("*.yaml")), ids=lambda p: p.name)
def test_corpus_hostile(cls, arbre_vide: Path, cas: Path) -> None:
    shutil.copy(cas, arbre_vide / "actions" / cas.name)
    sortie = _refus_rapide(cls, arbre_vide)
    assert f"actions/{cas.name}:" in sortie
    assert "correction :" in sortie


def test_fichier_trop_gros(cls, arbre_vide: Path) -> None:
    (arbre_vide / "actions" / "01-gros.yaml").write_text("a: " + "x" * 1_100_000 + "\n")
    assert "fichier trop gros" in _refus_rapide(cls, arbre_vide)


def test_lien_vers_l_exterieur(cls, arbre_vide: Path, tmp_path: Path) -> None:
    dehors = tmp_path / "secret.yaml"
    shutil.copy(CAS / "valides" / "01-complete.yaml", dehors)
    (arbre_vide / "actions" / "01-lien.yaml").symlink_to(dehors)
    assert "lien symbolique vers un fichier hors du dossier" in _refus_rapide(cls, arbre_vide)


def test_trop_de_fiches(cls, arbre_vide: Path) -> None:
    for i in range(NOMBRE_MAX_FICHES + 1):
        (arbre_vide / "actions" / f"{i:05d}-x.yaml").touch()
    assert "l'arbre n'est pas lu" in _refus_rapide(cls, arbre_vide)


def test_bom_acceptee_et_gardee(cls, copie_demo: Path) -> None:
    chemin = copie_demo / "actions" / FICHE_30
    chemin.write_bytes(b"\xef\xbb\xbf" + chemin.read_bytes())
    assert cls("validate", "--data", copie_demo).exit_code == 0
    resultat = cls(
        "record",
        "30",
        "personnes-concernees",
        "5",
        "--year",
        "2024",
        "--source",
        "S",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 0, resultat.output
    assert chemin.read_bytes().startswith(b"\xef\xbb\xbf")


def test_bogue_affiche_sa_trace_et_invite_a_le_signaler(cls, monkeypatch) -> None:
    import cls_cli.commandes.valider as valider

    def panne(_racine: Path) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(valider, "valider", panne)
    resultat = cls("validate", "--data", DEMO)
    assert resultat.exit_code == 3
    assert "erreur interne de cls" in resultat.output
    assert "Merci de la signaler" in resultat.output


# --- Propriétés ------------------------------------------------------------------------

scalaires = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
)
documents = st.recursive(
    scalaires,
    lambda enfants: (
        st.lists(enfants, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "numero",
                    "titre",
                    "objectif",
                    "indicateurs",
                    "suivi",
                    "mesures",
                    "annee",
                    "valeur",
                    "code",
                    "x",
                ]
            )
            | st.text(max_size=8),
            enfants,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@exemples(ci=30, fuzz=2000)
@given(document=documents)
def test_documents_au_hasard(cls, arbre_vide: Path, document: object) -> None:
    yaml = YAML(typ="safe")
    with (arbre_vide / "actions" / "01-hasard.yaml").open("w", encoding="utf-8") as flux:
        yaml.dump(document, flux)
    _sans_trace(cls("validate", "--data", arbre_vide))
    _sans_trace(cls("report", "--year", "2021", "--data", arbre_vide))


FICHE_TEXTE = (DEMO / "actions" / FICHE_30).read_text(encoding="utf-8")


@st.composite
def fiches_abimees(draw: st.DrawFn) -> str:
    texte = FICHE_TEXTE
    lignes = texte.splitlines(keepends=True)
    mutation = draw(st.sampled_from(["supprimer", "tronquer", "inserer", "remplacer"]))
    if mutation == "supprimer":
        del lignes[draw(st.integers(0, len(lignes) - 1))]
        return "".join(lignes)
    if mutation == "tronquer":
        return texte[: draw(st.integers(0, len(texte)))]
    if mutation == "inserer":
        position = draw(st.integers(0, len(texte)))
        return texte[:position] + draw(st.text(min_size=1, max_size=10)) + texte[position:]
    i = draw(st.integers(0, len(lignes) - 1))
    if ":" in lignes[i]:
        cle = lignes[i].split(":", 1)[0]
        valeur = draw(
            st.sampled_from(
                [
                    "",
                    "yes",
                    "1.1",
                    "2021-01-01",
                    "[1, 2]",
                    "{a: 1}",
                    "'x'",
                    "-5",
                    "null",
                    "é" * 3,
                    "&a x",
                    "*a",
                ]
            )
        )
        lignes[i] = f"{cle}: {valeur}\n"
    return "".join(lignes)


@exemples(ci=30, fuzz=1500)
@given(texte=fiches_abimees(), valeur=st.text(max_size=8))
def test_fiches_abimees(cls, arbre_30: Path, texte: str, valeur: str) -> None:
    copie_demo = arbre_30
    chemin = copie_demo / "actions" / FICHE_30
    chemin.write_text(texte, encoding="utf-8")
    _sans_trace(cls("validate", "--data", copie_demo))
    _sans_trace(cls("report", "--year", "2023", "--format", "json", "--data", copie_demo))
    avant = chemin.read_bytes()
    resultat = cls(
        "record",
        "30",
        "personnes-concernees",
        valeur or "1",
        "--year",
        "2025",
        "--source",
        "S",
        "--data",
        copie_demo,
    )
    _sans_trace(resultat)
    if resultat.exit_code != 0:
        assert chemin.read_bytes() == avant
    shutil.copy(DEMO / "actions" / FICHE_30, chemin)


@exemples(ci=30, fuzz=1500)
@given(lignes=st.lists(st.lists(st.text(max_size=12), max_size=16), max_size=6))
def test_tableaux_au_hasard(cls, arbre_30: Path, tmp_path: Path, lignes: list[list[str]]) -> None:
    copie_demo = arbre_30
    entete = (
        "Fiche;Action;Porteurs;Année;Ligne;Code indicateur;Libellé de l'indicateur;Type;"
        "Cible;Dernière valeur connue;Valeur (ou statut);Si pas de valeur : pourquoi;"
        "Avancement (%);Source;Commentaire"
    )
    corps = "\n".join(
        ";".join(c.replace(";", ",").replace("\n", " ") for c in ligne) for ligne in lignes
    )
    fichier = tmp_path / "hasard.csv"
    fichier.write_text(entete + "\n" + corps + "\n", encoding="utf-8")
    avant = _instantane(copie_demo)
    resultat = cls("import", fichier, "--data", copie_demo)
    _sans_trace(resultat)
    if resultat.exit_code != 0:
        assert _instantane(copie_demo) == avant


FICHES_DEMO = sorted((DEMO / "actions").glob("*.yaml"))


@given(
    fichier=st.sampled_from(FICHES_DEMO),
    choix=st.randoms(use_true_random=False),
    annee=st.integers(2020, 2025),
)
def test_record_puis_validate_reste_valide(
    cls, arbre_vide: Path, fichier: Path, choix, annee: int
) -> None:
    copie_demo = arbre_vide
    for ancien in (arbre_vide / "actions").iterdir():
        ancien.unlink()
    # Seule dans un arbre sans avenants, la fiche retirée (40) ne cite plus son avenant.
    texte = re.sub(r"^retiree:\n(?:  .*\n)+", "", fichier.read_text(encoding="utf-8"), flags=re.M)
    (arbre_vide / "actions" / fichier.name).write_text(texte, encoding="utf-8")
    yaml = YAML(typ="safe")
    fiche = yaml.load(texte)
    if not fiche["indicateurs"]:
        return
    ind = choix.choice(fiche["indicateurs"])
    valeur = {
        "nombre": str(choix.randint(0, 5000)),
        "taux": f"{choix.randint(1, 100)},5"[:4],  # « 0,5 » : 0,5 % ou 50 % ? refusé
        "booleen": choix.choice(["oui", "non"]),
        "texte": "Bilan « qualitatif » : ok",
    }
    resultat = cls(
        "record",
        str(fiche["numero"]),
        ind["code"],
        valeur[ind["type"]],
        "--year",
        str(annee),
        "--source",
        "S",
        "--replace",
        "--data",
        copie_demo,
    )
    assert resultat.exit_code == 0, resultat.output
    assert cls("validate", "--data", copie_demo).exit_code == 0
    shutil.copy(fichier, copie_demo / "actions" / fichier.name)


@exemples(ci=200, fuzz=50_000)
@given(texte=st.text(max_size=60))
def test_markdown_une_cellule_reste_une_cellule(texte: str) -> None:
    ligne = f"| {md(texte)} | b |"
    assert "\n" not in ligne
    cellules = [c for c in __import__("re").split(r"(?<!\\)\|", ligne)]
    assert len(cellules) == 4
