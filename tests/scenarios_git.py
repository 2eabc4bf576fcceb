"""Des dépôts git temporaires et des changements types, pour tester ``cls diff``.

Chaque scénario part des données livrées (``data/``) enregistrées dans un commit, fait
éventuellement une préparation enregistrée dans un second commit, puis un seul genre de
changement dans l'arbre de travail. Les tests (tests/test_versions.py) vérifient que
``cls diff`` dit exactement ce changement ; ``make golden`` régénère les sorties texte et
Markdown de référence (tests/golden/diff/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from cls_cli.cli import app
from cls_cli.yamlio import charger_fichier, vers_texte

RACINE = Path(__file__).resolve().parent.parent
DATA = RACINE / "data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "diff"
FICHE_7 = "07-encourager-sport-sante-sport-ordonnance.yaml"
IDENTITE = {
    "GIT_AUTHOR_NAME": "Coordination CLS",
    "GIT_AUTHOR_EMAIL": "cls@example.org",
    "GIT_AUTHOR_DATE": "2024-03-15T10:00:00+01:00",
    "GIT_COMMITTER_NAME": "Coordination CLS",
    "GIT_COMMITTER_EMAIL": "cls@example.org",
    "GIT_COMMITTER_DATE": "2024-03-15T10:00:00+01:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(depot: Path, *args: str) -> str:
    sortie = subprocess.run(
        ["git", *args],
        cwd=depot,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **IDENTITE},
    )
    return sortie.stdout


def enregistrer(data: Path, message: str) -> None:
    git(data.parent, "add", "-A")
    git(data.parent, "commit", "-q", "-m", message)


def depot_initial(dossier: Path) -> Path:
    """Un dépôt git dont le premier commit contient les données livrées ; rend data/."""
    data = Path(shutil.copytree(DATA, dossier / "data"))
    git(dossier, "init", "-q", "-b", "main")
    enregistrer(data, "Contrat signé")
    return data


def lancer(data: Path, *args: str) -> None:
    """``cls ARGS --data DATA``, qui doit réussir."""
    resultat = CliRunner().invoke(app, [*args, "--data", str(data)])
    assert resultat.exit_code == 0, resultat.output


def modifier_yaml(chemin: Path, modification: Callable[[object], None]) -> None:
    document, _ = charger_fichier(chemin)
    modification(document)
    chemin.write_text(vers_texte(document), encoding="utf-8")


# --- Les changements ---------------------------------------------------------------------


def champ(data: Path) -> None:
    fiche = data / "actions" / FICHE_7
    texte = fiche.read_text(encoding="utf-8")
    texte = texte.replace(
        "titre: Encourager le sport santé (sport sur ordonnance)",
        "titre: Encourager le sport santé",
    ).replace(
        "  Développer le dispositif sports santé\n",
        "  Développer et évaluer le dispositif sports santé\n",
    )
    fiche.write_text(texte, encoding="utf-8")


def mesure_2021(data: Path) -> None:
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "120", "--year", "2021",
        "--source", "CPAM")  # fmt: skip


def mesure_modifiee(data: Path) -> None:
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "135", "--year", "2021",
        "--source", "CPAM", "--replace")  # fmt: skip


def mesure_supprimee(data: Path) -> None:
    def retirer(doc: object) -> None:
        doc["indicateurs"][0]["mesures"].pop(0)  # type: ignore[index]

    modifier_yaml(data / "actions" / FICHE_7, retirer)


def mesure_2021_close(data: Path) -> None:
    mesure_2021(data)
    lancer(data, "campaign", "close", "--year", "2021", "--decision", "COPIL du 12 mars 2022",
        "--date", "2022-03-12")  # fmt: skip


def mesure_rouverte(data: Path) -> None:
    """Une mesure d'une année close changée avec --reopen : cls diff doit le signaler."""
    lancer(data, "record", "7", "personnes-beneficiaires-ald", "135", "--year", "2021",
        "--source", "CPAM", "--replace", "--reopen")  # fmt: skip


def statut_2021(data: Path) -> None:
    lancer(data, "status", "7", "en_cours", "--year", "2021", "--progress", "40")


def statut_modifie(data: Path) -> None:
    lancer(data, "status", "7", "realisee", "--year", "2021", "--progress", "100", "--replace")


def nouvelle_fiche(data: Path) -> None:
    lancer(data, "new", "--objectif", "1.1.2", "--titre", "Prévenir les chutes des personnes âgées")


def fiche_supprimee(data: Path) -> None:
    for chemin in (data / "actions").glob("05-*.yaml"):
        chemin.unlink()


def objectif_renomme(data: Path) -> None:
    axes = data / "axes.yaml"
    texte = axes.read_text(encoding="utf-8")
    ancien = re.search(r"code: \"2\.1\.1\"\n\s+libelle: (.*)\n", texte)
    assert ancien is not None
    axes.write_text(
        texte.replace(ancien.group(1), "Faciliter l'accès aux soins de premier recours"),
        encoding="utf-8",
    )


def reformatage(data: Path) -> None:
    """Même contenu, autre écriture : commentaires déplacés, guillemets, listes en ligne."""
    fiche = data / "actions" / FICHE_7
    texte = fiche.read_text(encoding="utf-8")
    texte = (
        texte.replace("numero: 7\n", "# Fiche relue en COPIL\nnumero: 7  # numéro du contrat\n")
        .replace(
            "titre: Encourager le sport santé (sport sur ordonnance)",
            "titre: 'Encourager le sport santé (sport sur ordonnance)'",
        )
        .replace(
            "  - DDCSPP\n  - ARS\n  - CCAS\n  - associations sportives\n"
            "  - organisations professionnelles de santé\n",
            "  [DDCSPP, ARS, CCAS, associations sportives,\n"
            "   organisations professionnelles de santé]\n",
        )
        .replace("territoire: Chartres métropole", 'territoire: "Chartres métropole"')
    )
    texte = texte.replace("calendrier:\n  texte: Chaque année\n", "")
    texte += "calendrier: {texte: Chaque année}\n"
    fiche.write_text(texte, encoding="utf-8")


@dataclass(frozen=True)
class Scenario:
    nom: str
    changement: Callable[[Path], None]
    preparation: Callable[[Path], None] | None = None


SCENARIOS = (
    Scenario("champ", champ),
    Scenario("mesure-ajoutee", mesure_2021),
    Scenario("mesure-modifiee", mesure_modifiee, mesure_2021),
    Scenario("mesure-supprimee", mesure_supprimee, mesure_2021),
    Scenario("mesure-annee-close", mesure_rouverte, mesure_2021_close),
    Scenario("suivi-ajoute", statut_2021),
    Scenario("suivi-modifie", statut_modifie, statut_2021),
    Scenario("fiche-ajoutee", nouvelle_fiche),
    Scenario("fiche-supprimee", fiche_supprimee),
    Scenario("objectif-renomme", objectif_renomme),
    Scenario("reformatage", reformatage),
)


def preparer(scenario: Scenario, dossier: Path) -> Path:
    """Le dépôt du scénario, changement fait dans l'arbre de travail ; rend data/."""
    data = depot_initial(dossier)
    if scenario.preparation is not None:
        scenario.preparation(data)
        enregistrer(data, "Préparation")
    scenario.changement(data)
    return data


def sans_commit(texte: str) -> str:
    """La sortie sans les identifiants de commit (qui dépendent de la version de git)."""
    return re.sub(r"\b[0-9a-f]{10}\b", "<commit>", texte)


def sortie_diff(data: Path, format_: str) -> tuple[int, str]:
    resultat = CliRunner().invoke(app, ["diff", "--format", format_, "--data", str(data)])
    return resultat.exit_code, sans_commit(resultat.output)


def main() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory() as dossier:
            data = preparer(scenario, Path(dossier))
            for format_, extension in (("text", "txt"), ("md", "md")):
                _, sortie = sortie_diff(data, format_)
                (GOLDEN / f"{scenario.nom}.{extension}").write_text(sortie, encoding="utf-8")
                print(f"écrit : tests/golden/diff/{scenario.nom}.{extension}")


if __name__ == "__main__":
    main()
