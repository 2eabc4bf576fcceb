"""Mesure de vitesse de cls, et des outils qu'une équipe mettrait sinon en CI.

Lancé par ``make bench``. Génère deux arbres synthétiques (benchmarks/generer.py) : 1 contrat
(56 fiches) et 100 contrats (5 600 fiches), chacun dans un dépôt git de deux commits ; puis
chronomètre chaque commande comme un processus entier (démarrage de Python compris),
médiane de plusieurs lancements, avec la mémoire maximale du processus ; et, sur les mêmes
fichiers, check-jsonschema (avec le schéma de ``cls schema``) et yamllint. Écrit le tableau,
les rapports aux outils voisins et la machine dans benchmarks/RESULTS.md.

Mesure aussi ``cls rollup`` de 300 contrats de 60 fiches (:data:`ROLLUP`), chacun son
arbre de données, et la campagne annuelle sur une copie du contrat livré (data/ :
56 fiches, un classeur par porteur) : préparation, classeurs remplis avec openpyxl,
collecte.

Usage : python -m benchmarks.bench [--rapide] [--import | --campagne | --rollup]
  --rapide : moins de lancements ; --import, --campagne, --rollup : seulement ces
  mesures, affichées sans réécrire RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generer import DATA, FICHES_PAR_CONTRAT, generer, modeles_fiches, texte_fiche

RACINE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLS = str(BIN / "cls")
RESULTATS = Path(__file__).resolve().parent / "RESULTS.md"
SCHEMA = RACINE / "schemas" / "fiche.schema.json"
GIT = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass
class Mesure:
    commande: str
    fiches: int
    secondes: float
    memoire_mo: float
    lancements: int


def lancer(
    commande: list[str], cwd: Path | None = None, code_attendu: int = 0
) -> tuple[float, float]:
    """Durée (s) et mémoire maximale (Mo) d'un processus entier.

    ``code_attendu`` : le code de sortie d'une mesure valide (1 pour l'arbre vide, que
    ``cls validate`` refuse depuis le ticket 15 : la mesure reste celle du coût fixe).
    """
    debut = time.perf_counter()
    processus = subprocess.Popen(
        commande, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, statut, usage = os.wait4(processus.pid, 0)
    duree = time.perf_counter() - debut
    code = os.waitstatus_to_exitcode(statut)
    if commande[0] == CLS and code != code_attendu:
        raise SystemExit(f"échec de {' '.join(commande)} (code {code}) : mesure invalide")
    return duree, usage.ru_maxrss / 1024


def mesurer(
    nom: str,
    fiches: int,
    commande: list[str],
    lancements: int,
    preparer: Callable[[int], list[str]] | None = None,
    code_attendu: int = 0,
) -> Mesure:
    durees, memoires = [], []
    for i in range(lancements):
        if preparer is not None:
            commande = preparer(i)
        duree, memoire = lancer(commande, code_attendu=code_attendu)
        durees.append(duree)
        memoires.append(memoire)
    mesure = Mesure(nom, fiches, statistics.median(durees), max(memoires), lancements)
    print(f"  {nom:<34} {fiches:>5} fiches : {mesure.secondes:6.3f} s  {mesure.memoire_mo:6.0f} Mo")
    return mesure


def git(depot: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=depot, check=True, capture_output=True, env={**os.environ, **GIT}
    )


def arbre(dossier: Path, contrats: int) -> Path:
    """Un dépôt git : un commit avec l'arbre, un second qui change 1 % des fiches."""
    data = generer(dossier / "data", contrats)
    git(dossier, "init", "-q")
    git(dossier, "add", "-A")
    git(dossier, "commit", "-q", "-m", "arbre")
    for chemin in sorted((data / "actions").iterdir())[::100]:
        texte = chemin.read_text(encoding="utf-8")
        chemin.write_text(texte.replace("statut: en_cours", "statut: realisee", 1), "utf-8")
    git(dossier, "commit", "-q", "-am", "un pour cent des fiches change")
    return data


def tableau_de_collecte(data: Path, sortie: Path) -> Path:
    """Le tableau de collecte 2025, rempli comme par les porteurs (chaque valeur + 1)."""
    from openpyxl import load_workbook

    subprocess.run(
        [CLS, "template", "--year", "2025", "-o", str(sortie), "--force", "--data", str(data)],
        check=True,
        capture_output=True,
    )
    classeur = load_workbook(sortie)
    for feuille in classeur.worksheets:
        entetes = [c.value for c in feuille[1]]
        ligne_, valeur = entetes.index("Ligne") + 1, entetes.index("Valeur (ou statut)") + 1
        avancement, source = entetes.index("Avancement (%)") + 1, entetes.index("Source") + 1
        for ligne in range(2, feuille.max_row + 1):
            if feuille.cell(ligne, ligne_).value == "statut":
                feuille.cell(ligne, valeur).value = "en cours"
                feuille.cell(ligne, avancement).value = 90
            else:
                feuille.cell(ligne, valeur).value = 50 + ligne % 40
                feuille.cell(ligne, source).value = "Tableau de bord (fictif)"
    classeur.save(sortie)
    return sortie


def retours_de_campagne(dossier: Path, retours: Path) -> Path:
    """Les classeurs de ``dossier`` remplis comme par les porteurs, rangés dans ``retours``."""
    from openpyxl import load_workbook

    retours.mkdir(parents=True, exist_ok=True)
    for chemin in sorted(dossier.glob("*.xlsx")):
        classeur = load_workbook(chemin)
        feuille = classeur["Saisie"]
        entetes = [c.value for c in feuille[1]]
        ligne_, valeur = entetes.index("Ligne") + 1, entetes.index("Valeur (ou statut)") + 1
        type_, code = entetes.index("Type") + 1, entetes.index("Code indicateur") + 1
        for ligne in range(2, feuille.max_row + 1):
            cle = f"{feuille.cell(ligne, 1).value}{feuille.cell(ligne, code).value}"
            if feuille.cell(ligne, ligne_).value == "statut":
                feuille.cell(ligne, valeur).value = "en cours"
            elif feuille.cell(ligne, type_).value == "taux":
                feuille.cell(ligne, valeur).value = 0.5
            elif feuille.cell(ligne, type_).value == "booleen":
                feuille.cell(ligne, valeur).value = "oui"
            else:  # la même valeur chez les co-porteurs d'une fiche
                feuille.cell(ligne, valeur).value = 50 + sum(map(ord, cle)) % 40
        classeur.save(retours / chemin.name)
    return retours


def mesures_campagne(
    data: Path, n: int, lancements: int, travail: Path, suffixe: str = ""
) -> list[Mesure]:
    """cls campaign prepare (un classeur par porteur) et collect (tous les retours) ;
    ``suffixe`` distingue les mesures du contrat livré de celles de l'arbre généré."""
    dossier = travail / "campagne-2025"
    resultats = [
        mesurer(
            PREPARE + suffixe,
            n,
            [
                CLS,
                "campaign",
                "prepare",
                "--year",
                "2025",
                "-o",
                str(dossier),
                "--force",
                "--data",
                str(data),
            ],
            1 if n > 1000 else lancements,
        )  # fmt: skip
    ]
    retours = retours_de_campagne(dossier, travail / "retours-2025")
    copie = travail / "copie-campagne"

    def copie_fraiche(_: int) -> list[str]:
        if copie.exists():
            shutil.rmtree(copie)
        shutil.copytree(data, copie)
        return [CLS, "campaign", "collect", "--year", "2025", str(retours), "--replace",
                "--data", str(copie)]  # fmt: skip

    resultats.append(
        mesurer(
            COLLECT + suffixe,
            n,
            [],
            1 if n > 1000 else lancements,
            preparer=copie_fraiche,
        )
    )
    return resultats


def mesures_contrat_livre(lancements: int, travail: Path) -> list[Mesure]:
    """La campagne 2025 du contrat livré (une copie de data/, jamais data/ lui-même)."""
    dossier = travail / "contrat-livre"
    data = Path(shutil.copytree(RACINE / "data", dossier / "data"))
    n = len(list((data / "actions").glob("*.yaml")))
    print(f"Contrat livré (data/), {n} fiches :")
    return mesures_campagne(data, n, lancements, dossier, LIVRE)


def mesure_import(data: Path, lancements: int, travail: Path) -> Mesure:
    """cls import d'un tableau 2025 rempli (chaque fiche change), sur une copie fraîche."""
    n = len(list((data / "actions").iterdir()))
    classeur = tableau_de_collecte(data, travail / "collecte-2025.xlsx")
    copie = travail / "copie-import"

    def copie_fraiche(_: int) -> list[str]:
        if copie.exists():
            shutil.rmtree(copie)
        shutil.copytree(data, copie)
        return [CLS, "import", str(classeur), "--replace", "--data", str(copie)]

    return mesurer(IMPORT, n, [], 1 if n > 1000 else lancements, preparer=copie_fraiche)


def mesures_arbre(data: Path, lancements: int, travail: Path) -> list[Mesure]:
    n = len(list((data / "actions").iterdir()))
    d = str(data)
    fichiers = sorted(str(p) for p in (data / "actions").iterdir())
    lent = max(1, lancements // 2) if n > 1000 else lancements
    voisin = 1 if n > 1000 else lancements  # plus d'une minute et demie par lancement
    resultats = [
        mesurer("cls validate", n, [CLS, "validate", "--data", d], lancements),
        mesurer(
            CJ,
            n,
            [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), *fichiers],
            voisin,
        ),
        mesurer("yamllint", n, [str(BIN / "yamllint"), "-f", "parsable", d], voisin),
    ]
    for format_ in ("md", "html", "json"):
        sortie = str(travail / f"rapport.{format_}")
        resultats.append(
            mesurer(
                f"cls report --year 2023 ({format_})",
                n,
                [
                    CLS,
                    "report",
                    "--year",
                    "2023",
                    "--date",
                    "2024-01-15",
                    "-o",
                    sortie,
                    "--data",
                    d,
                ],
                lent,
            )
        )
    resultats.append(
        mesurer(
            "cls record (une valeur)",
            n,
            [],
            11 if lancements > 1 else 1,  # ne dépend pas de la taille de l'arbre : peu coûteux
            preparer=lambda i: [
                CLS,
                "record",
                "1",
                "indicateur-1",
                str(40 + i),
                "--year",
                "2025",
                "--replace",
                "--data",
                d,
            ],  # fmt: skip
        )
    )
    resultats.append(
        mesurer(
            "cls diff HEAD~1 HEAD",
            n,
            [CLS, "diff", "HEAD~1", "HEAD", "--data", d],
            lent,
        )
    )
    resultats.append(mesure_import(data, lancements, travail))
    return resultats + mesures_campagne(data, n, lancements, travail)


#: cls rollup : 300 contrats de 60 fiches (ticket 22), chacun son arbre de données.
ROLLUP_CONTRATS, ROLLUP_FICHES = 300, 60
ROLLUP = "cls rollup (300 contrats de 60 fiches, md)"


def contrats_rollup(dossier: Path, contrats: int, fiches: int) -> list[Path]:
    """``contrats`` arbres de ``fiches`` fiches synthétiques, aux titres différents."""
    alea = random.Random(2020)
    modeles = modeles_fiches()
    titre = next(
        x for x in (DATA / "contrat.yaml").read_text("utf-8").splitlines() if x.startswith("titre:")
    )
    racines = []
    for i in range(1, contrats + 1):
        data = dossier / f"contrat-{i:03d}" / "data"
        (data / "actions").mkdir(parents=True)
        shutil.copy(DATA / "axes.yaml", data / "axes.yaml")
        texte = (DATA / "contrat.yaml").read_text("utf-8")
        (data / "contrat.yaml").write_text(
            texte.replace(titre, f"titre: CLS fictif n° {i}", 1), "utf-8"
        )
        for numero in range(1, fiches + 1):
            (data / "actions" / f"{numero:02d}-fiche.yaml").write_text(
                texte_fiche(modeles[(numero - 1) % len(modeles)], numero, alea), "utf-8"
            )
        racines.append(data)
    return racines


def mesure_rollup(travail: Path, lancements: int) -> Mesure:
    """``cls rollup`` des 300 contrats, année commune, rendu Markdown écrit dans un fichier."""
    racines = contrats_rollup(travail / "rollup", ROLLUP_CONTRATS, ROLLUP_FICHES)
    sortie = travail / "rollup.md"
    commande = [CLS, "rollup", *map(str, racines), "-o", str(sortie), "--force"]
    return mesurer(ROLLUP, ROLLUP_CONTRATS * ROLLUP_FICHES, commande, lancements)


def machine() -> str:
    modele = "inconnu"
    try:
        for ligne in Path("/proc/cpuinfo").read_text().splitlines():
            if ligne.startswith("model name"):
                modele = ligne.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cœurs ({modele}), "
        f"Python {platform.python_version()}"
    )


CJ = "check-jsonschema (même schéma)"
IMPORT = "cls import (tableau d'une année)"
PREPARE = "cls campaign prepare"
COLLECT = "cls campaign collect (tous les retours)"
#: Suffixe des mesures faites sur le contrat livré (data/) plutôt que sur un arbre généré.
LIVRE = " — contrat livré"
#: cls import avant l'épissure (un aller-retour ruamel par fiche), benchmarks/RESULTS.md du
#: 2026-11-24, même machine de référence : à 56 et 5 600 fiches, durée en s.
IMPORT_AVANT = {56: 3.002, 5600: 286.931}
#: Cible de l'import, par fiche changée (coût fixe retiré).
IMPORT_PAR_FICHE_MS = 10.0
CIBLES = {
    ("cls validate", 56): 0.25,
    ("cls validate", 5600): 3.0,
    ("cls report --year 2023 (md)", 5600): 5.0,
    ("cls report --year 2023 (html)", 5600): 5.0,
    ("cls report --year 2023 (json)", 5600): 5.0,
    ("cls record (une valeur)", 56): 0.3,
    ("cls record (une valeur)", 5600): 0.3,
    (IMPORT, 5600): 60.0,
    (ROLLUP, ROLLUP_CONTRATS * ROLLUP_FICHES): 30.0,
    (PREPARE + LIVRE, 56): 5.0,
    (COLLECT + LIVRE, 56): 5.0,
    (PREPARE, 56): 5.0,
    (COLLECT, 56): 5.0,
    (PREPARE, 5600): 60.0,
    (COLLECT, 5600): 60.0,
}


def lignes_cibles(mesures: list[Mesure], seulement: str = "") -> list[str]:
    """Chaque cible mesurée (celles dont la commande contient ``seulement``), tenue ou non."""
    par = {(m.commande, m.fiches): m for m in mesures}
    lignes = []
    for (commande, fiches), cible in CIBLES.items():
        m = par.get((commande, fiches))
        if m and seulement in commande:
            ok = "oui" if m.secondes < cible else "**non**"
            lignes.append(
                f"| {commande}, {fiches} fiches : < {cible} s | {m.secondes:.3f} s | {ok} |"
            )
    return lignes


def section_import(mesures: list[Mesure], vide: Mesure) -> list[str]:
    """L'import avant et après l'épissure, et la cible par fiche changée."""
    lignes = [
        "## cls import : avant et après l'épissure",
        "",
        "Le tableau de collecte 2025 rempli (chaque fiche change), importé avec --replace. "
        "Avant : un aller-retour ruamel par fiche ; après : épissure des lignes "
        "(cls_cli/epissure.py). Par fiche : durée moins le coût fixe, divisée par le nombre "
        "de fiches.",
        "",
        "| Fiches | Avant | Maintenant | Par fiche avant | Par fiche maintenant | "
        f"Cible < {IMPORT_PAR_FICHE_MS:g} ms/fiche |",
        "| ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for m in mesures:
        if m.commande != IMPORT or m.fiches not in IMPORT_AVANT:
            continue
        avant = IMPORT_AVANT[m.fiches]
        pa = max(avant - vide.secondes, 0) / m.fiches * 1000
        pm = max(m.secondes - vide.secondes, 0) / m.fiches * 1000
        ok = "oui" if pm < IMPORT_PAR_FICHE_MS else "**non**"
        lignes.append(
            f"| {m.fiches} | {avant:.3f} s | {m.secondes:.3f} s | {pa:.2f} ms | {pm:.2f} ms | "
            f"{ok} |"
        )
    return [*lignes, ""]


def rediger(mesures: list[Mesure], vide: Mesure) -> str:
    par = {(m.commande, m.fiches): m for m in mesures}
    tailles = sorted({m.fiches for m in mesures if m.commande != ROLLUP})  # arbres d'un seul
    lignes = [
        "# Vitesse de cls : résultats de `make bench`",
        "",
        f"Mesuré le {dt.date.today().isoformat()} sur : {machine()}.",
        "",
        "Arbres synthétiques (benchmarks/generer.py, FICTIFS) : des fiches de la taille d'une "
        "fiche suivie pendant tout le contrat (2 à 5 indicateurs, 6 années de mesures et de "
        "suivi, environ 3,7 Ko), 1 contrat = 56 fiches, 100 contrats = 5 600 fiches. Chaque "
        "durée est celle d'un processus entier (démarrage de Python compris), médiane de "
        "plusieurs lancements ; la mémoire est le maximum résident du processus.",
        "",
        "| Commande | Fiches | Durée (médiane) | Mémoire max | Lancements | "
        "× check-jsonschema | × yamllint |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in mesures:
        cj = par.get(("check-jsonschema (même schéma)", m.fiches))
        yl = par.get(("yamllint", m.fiches))
        comparable = m.commande.startswith("cls") and not m.commande.endswith(LIVRE)
        rapport_cj = f"{m.secondes / cj.secondes:.2f}" if cj and comparable else ""
        rapport_yl = f"{m.secondes / yl.secondes:.2f}" if yl and comparable else ""
        lignes.append(
            f"| {m.commande} | {m.fiches} | {m.secondes:.3f} s | {m.memoire_mo:.0f} Mo | "
            f"{m.lancements} | {rapport_cj} | {rapport_yl} |"
        )
    lignes += ["", "Un rapport inférieur à 1 : cls est plus rapide que l'outil voisin.", ""]
    lignes += [
        "Les mesures « contrat livré » sont faites sur une copie de data/ (un classeur par "
        "porteur du vrai contrat), pas sur l'arbre généré : pas de rapport aux outils voisins.",
        "",
    ]
    lignes += ["## Cibles", "", "| Cible | Mesuré | Tenue |", "| --- | ---: | :---: |"]
    lignes += lignes_cibles(mesures)
    for fiches in tailles:
        v, cj = (
            par.get(("cls validate", fiches)),
            par.get(("check-jsonschema (même schéma)", fiches)),
        )
        if v and cj:
            ok = "oui" if v.secondes < cj.secondes else "**non**"
            lignes.append(
                f"| cls validate plus rapide que check-jsonschema, {fiches} fiches | "
                f"{v.secondes:.3f} s contre {cj.secondes:.3f} s | {ok} |"
            )
    grandes = [m for m in mesures if m.commande.startswith("cls") and m.fiches == 5600]
    if grandes:
        pire = max(grandes, key=lambda m: m.memoire_mo)
        lignes.append(
            f"| Mémoire max d'une commande cls à 5 600 fiches (la plus gourmande : "
            f"{pire.commande}) : < 300 Mo | {pire.memoire_mo:.0f} Mo | "
            f"{'oui' if pire.memoire_mo < 300 else '**non**'} |"
        )
    lignes += [
        "",
        "## Croissance avec le nombre de fiches",
        "",
        f"Coût fixe (démarrage, `cls validate` sur un arbre sans fiche) : {vide.secondes:.3f} s. "
        "Coût par fiche, une fois ce coût fixe retiré :",
        "",
        "| Commande | par fiche à 56 | par fiche à 5 600 | rapport |",
        "| --- | ---: | ---: | ---: |",
    ]
    petit, grand = tailles[0], tailles[-1]
    for commande in dict.fromkeys(m.commande for m in mesures if m.commande.startswith("cls")):
        a, b = par.get((commande, petit)), par.get((commande, grand))
        if a and b and commande != "cls record (une valeur)":
            pa = max(a.secondes - vide.secondes, 0) / petit * 1000
            pb = max(b.secondes - vide.secondes, 0) / grand * 1000
            lignes.append(
                f"| {commande} | {pa:.2f} ms | {pb:.2f} ms | {pb / pa if pa else 0:.2f} |"
            )
    lignes += [
        "",
        "Un rapport proche de 1 (ou inférieur) : la durée croît linéairement avec le nombre "
        "de fiches (100 fois plus de fiches, 100 fois plus de travail, pas davantage). "
        "`cls record` ne lit que la fiche qu'il modifie : sa durée ne dépend pas de la taille "
        "de l'arbre.",
        "",
    ]
    lignes += section_import(mesures, vide)
    return "\n".join(lignes)


def main_campagne(rapide: bool) -> None:
    """Seulement la campagne : contrat livré, puis arbres de 56 et 5 600 fiches."""
    with tempfile.TemporaryDirectory(prefix="cls-bench-") as dossier:
        travail = Path(dossier)
        mesures = mesures_contrat_livre(5 if rapide else 11, travail)
        for contrats, lancements in ((1, 5 if rapide else 11), (100, 1)):
            n = contrats * FICHES_PAR_CONTRAT
            print(f"Arbre de {contrats} contrat(s), {n} fiches :")
            data = generer(travail / f"arbre-{contrats}" / "data", contrats)
            mesures += mesures_campagne(data, n, lancements, travail / f"arbre-{contrats}")
    print("\n".join(["", "| Cible | Mesuré | Tenue |", "| --- | ---: | :---: |"]))
    print("\n".join(lignes_cibles(mesures, "campaign")))


def main() -> None:
    """``--rapide`` : moins de lancements ; ``--import`` (seulement cls import),
    ``--campagne`` (seulement cls campaign) et ``--rollup`` (seulement cls rollup) :
    résultat affiché sans réécrire RESULTS.md."""
    rapide = "--rapide" in sys.argv
    seul_import = "--import" in sys.argv
    if "--campagne" in sys.argv:
        main_campagne(rapide)
        return
    if "--rollup" in sys.argv:
        with tempfile.TemporaryDirectory(prefix="cls-bench-") as dossier:
            m = mesure_rollup(Path(dossier), 1 if rapide else 3)
        cible = CIBLES[(ROLLUP, m.fiches)]
        print(f"Cible : < {cible} s ; {'tenue' if m.secondes < cible else 'NON TENUE'}.")
        return
    with tempfile.TemporaryDirectory(prefix="cls-bench-") as dossier:
        travail = Path(dossier)
        mesures: list[Mesure] = []
        vide_data = generer(travail / "vide" / "data", 0)
        vide = mesurer(
            "cls validate (arbre vide)",
            0,
            [CLS, "validate", "--data", str(vide_data)],
            9,
            code_attendu=1,
        )
        for contrats, lancements in ((1, 5 if rapide else 11), (100, 1 if rapide else 5)):
            print(f"Arbre de {contrats} contrat(s), {contrats * FICHES_PAR_CONTRAT} fiches :")
            if seul_import:
                data = generer(travail / f"arbre-{contrats}" / "data", contrats)
                mesures.append(mesure_import(data, lancements, travail))
            else:
                data = arbre(travail / f"arbre-{contrats}", contrats)
                mesures += mesures_arbre(data, lancements, travail)
        if not seul_import:
            mesures += mesures_contrat_livre(5 if rapide else 11, travail)
            print(f"{ROLLUP_CONTRATS} arbres de {ROLLUP_FICHES} fiches :")
            mesures.append(mesure_rollup(travail, 1 if rapide else 3))
    if seul_import:
        print("\n".join(section_import(mesures, vide)))
        return
    RESULTATS.write_text(rediger(mesures, vide), encoding="utf-8")
    print(f"Résultats écrits dans {RESULTATS.relative_to(RACINE)}")


if __name__ == "__main__":
    main()
