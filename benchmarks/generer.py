"""Arbres de données synthétiques pour les mesures de vitesse : N contrats de 56 fiches.

Chaque fiche reprend le texte d'une fiche réelle du contrat (titre, descriptif, porteurs…)
avec un numéro propre, 2 à 5 indicateurs et 6 années (2020-2025) de mesures et de points
de suivi : environ 3 Ko, la taille d'une fiche suivie pendant tout le contrat. Les valeurs
sont tirées au hasard avec une graine fixe : le même appel donne les mêmes fichiers.
Tout est FICTIF et n'est écrit que dans le dossier demandé (jamais dans data/).

Usage : python -m benchmarks.generer DOSSIER NB_CONTRATS
"""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

from cls_cli.chargement import charger

RACINE = Path(__file__).resolve().parent.parent
DATA = RACINE / "data"
ANNEES = range(2020, 2026)
FICHES_PAR_CONTRAT = 56
STATUTS = ("a_lancer", "en_cours", "en_cours", "realisee")
SOURCES = ("Bilan annuel du porteur", "Tableau de bord CPAM", "Enquête auprès des participants")
COMMENTAIRES = (
    "Action menée avec les partenaires du quartier.",
    "Retard lié au recrutement de l'animateur.",
    "Fréquentation en hausse après la campagne d'information.",
)


def _q(texte: object) -> str:
    """Un scalaire YAML sûr : une chaîne JSON est un scalaire YAML entre guillemets doubles."""
    return json.dumps(texte, ensure_ascii=False)


def _liste(cle: str, elements: list[str]) -> list[str]:
    if not elements:
        return [f"{cle}: []"]
    return [f"{cle}:", *(f"  - {_q(e)}" for e in elements)]


def texte_fiche(modele: dict[str, object], numero: int, alea: random.Random) -> str:
    """Le texte YAML d'une fiche synthétique, dans le style des fiches livrées."""
    m = modele
    lignes = [
        "# yaml-language-server: $schema=../../schemas/fiche.schema.json",
        f"numero: {numero}",
        f"titre: {_q(m['titre'])}",
        f"objectif: {_q(m['objectif'])}",
        f"nature: {m['nature']}",
        *_liste("porteurs", m["porteurs"]),  # type: ignore[arg-type]
        *_liste("partenaires", m["partenaires"]),  # type: ignore[arg-type]
        f"description: {_q(m['description'])}",
        *_liste("public_cible", m["public_cible"]),  # type: ignore[arg-type]
        f"territoire: {_q(m['territoire'])}",
        "calendrier:",
        "  texte: 2020-2025",
        "  debut: 2020",
        "  fin: 2025",
        "ressources:",
        f"  texte: {_q(m['ressources'])}",
        "indicateurs:",
    ]
    for i in range(alea.randint(2, 5)):
        cible = alea.randint(50, 500)
        lignes += [
            f"  - code: indicateur-{i + 1}",
            f"    libelle: {_q(f'Nombre de personnes touchées par l action ({i + 1})')}",
            "    type: nombre",
            f"    cible: {cible}",
            "    agregation: somme",
            "    mesures:",
        ]
        for annee in ANNEES:
            lignes += [
                f"      - annee: {annee}",
                f"        valeur: {alea.randint(0, cible // 3)}",
                f"        source: {_q(alea.choice(SOURCES))}",
            ]
    lignes.append("suivi:")
    avancement = 0
    for annee in ANNEES:
        avancement = min(100, avancement + alea.choice((10, 15, 20, 25)))
        statut = "realisee" if avancement == 100 else alea.choice(STATUTS[1:3])
        lignes += [f"  - annee: {annee}", f"    statut: {statut}", f"    avancement: {avancement}"]
        if alea.random() < 0.3:
            lignes.append(f"    commentaire: {_q(alea.choice(COMMENTAIRES))}")
    return "\n".join(lignes) + "\n"


def modeles_fiches() -> list[dict[str, object]]:
    """Le texte des fiches réelles de data/, que les fiches synthétiques reprennent."""
    return [
        {
            "titre": f.titre,
            "objectif": f.objectif,
            "nature": f.nature,
            "porteurs": list(f.porteurs),
            "partenaires": list(f.partenaires),
            "description": f.description,
            "public_cible": list(f.public_cible),
            "territoire": f.territoire,
            "ressources": f.ressources if isinstance(f.ressources, str) else f.ressources.texte,
        }
        for f in charger(DATA).referentiel.fiches_valides()
    ]


def generer(dossier: Path, nb_contrats: int, graine: int = 2020) -> Path:
    """Écrit dans ``dossier`` un arbre de ``nb_contrats`` × 56 fiches ; rend son chemin."""
    alea = random.Random(graine)
    modeles = modeles_fiches()
    if dossier.exists():
        shutil.rmtree(dossier)
    (dossier / "actions").mkdir(parents=True)
    shutil.copy(DATA / "axes.yaml", dossier / "axes.yaml")
    shutil.copy(DATA / "contrat.yaml", dossier / "contrat.yaml")
    for numero in range(1, nb_contrats * FICHES_PAR_CONTRAT + 1):
        modele = modeles[(numero - 1) % len(modeles)]
        (dossier / "actions" / f"{numero:02d}-fiche.yaml").write_text(
            texte_fiche(modele, numero, alea), encoding="utf-8"
        )
    return dossier


if __name__ == "__main__":
    generer(Path(sys.argv[1]), int(sys.argv[2]))
