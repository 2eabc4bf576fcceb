"""Produit examples/demo/data : le contrat livré, avec un suivi 2020-2023 FICTIF.

Les chiffres sont tirés au hasard (graine fixe, donc reproductibles) et quelques cas
sont posés à la main pour que la démonstration et les tests couvrent toutes les
situations : action abandonnée, action reportée, actions jamais renseignées, indicateurs
jamais mesurés, valeur manquante avec sa raison, indicateur qui doit baisser (fiche 30),
cible atteinte deux fois, indicateur booléen et indicateur texte.

Usage : python tools/generer_demo.py   (réécrit examples/demo/data ; relisez le diff)
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cls_cli.yamlio import charger_fichier, vers_texte  # noqa: E402

RACINE = Path(__file__).resolve().parent.parent
SORTIE = RACINE / "examples" / "demo" / "data"
ANNEES = (2020, 2021, 2022, 2023)

JAMAIS_RENSEIGNEES = {13, 34, 49}
ABANDONNEE = 28
REPORTEE = 22
SOURCE = "Bilan annuel du porteur (fictif)"


def suivi_de(numero: int, alea: random.Random) -> list[tuple[int, str, int | None, str | None]]:
    """La trajectoire fictive d'une action : (année, statut, avancement, commentaire)."""
    if numero in JAMAIS_RENSEIGNEES:
        return []
    if numero == ABANDONNEE:
        return [
            (2020, "en_cours", 20, "Étude lancée au premier semestre (fictif)."),
            (2021, "en_cours", 30, None),
            (2022, "abandonnee", None, "Le transporteur a cessé son activité (fictif)."),
        ]
    if numero == REPORTEE:
        return [
            (2020, "a_lancer", None, None),
            (2021, "a_lancer", None, None),
            (2022, "reportee", None, "Programme immobilier du Pôle gare décalé (fictif)."),
            (2023, "reportee", None, None),
        ]
    depart = alea.choice((2020, 2020, 2021, 2022))
    vitesse = alea.choice((15, 20, 25, 35))
    trajectoire = []
    avancement = 0
    for annee in ANNEES:
        if annee < depart:
            if annee == 2020 and alea.random() < 0.3:
                continue  # pas de point de suivi cette année-là
            trajectoire.append((annee, "a_lancer", None, None))
            continue
        avancement = min(100, avancement + vitesse + alea.choice((0, 5, 10)))
        if avancement >= 100:
            trajectoire.append((annee, "realisee", None, None))
            break
        donne = avancement if alea.random() < 0.6 else None
        trajectoire.append((annee, "en_cours", donne, None))
    return trajectoire


def mesures_de(indicateur: CommentedMap, actives: list[int], alea: random.Random) -> None:
    """Ajoute cibles, références et mesures fictives à un indicateur."""
    type_ = indicateur["type"]
    somme = indicateur.get("agregation") == "somme"
    mesures = CommentedSeq()
    if type_ == "nombre":
        echelle = alea.choice((5, 12, 40, 150))
        if alea.random() < 0.5:
            indicateur["cible"] = echelle * (len(ANNEES) if somme else 2)
        if not somme and alea.random() < 0.4:
            ref = CommentedMap()
            ref["annee"] = 2019
            ref["valeur"] = max(0, echelle // 2)
            indicateur["reference"] = ref
        for annee in actives:
            mesures.append(_mesure(annee, int(echelle * alea.uniform(0.6, 1.6))))
    elif type_ == "taux":
        indicateur["unite"] = "%"
        indicateur["cible"] = 80
        for annee in actives:
            mesures.append(_mesure(annee, round(alea.uniform(60, 95), 1)))
    elif type_ == "booleen":
        for annee in actives:
            mesures.append(_mesure(annee, annee >= actives[-1]))
    else:
        for annee in actives[-1:]:
            mesures.append(_mesure(annee, "Appréciation qualitative positive du porteur (fictif)."))
    indicateur["mesures"] = mesures


def _mesure(annee: int, valeur: object) -> CommentedMap:
    m = CommentedMap()
    m["annee"] = annee
    m["valeur"] = valeur
    m["source"] = SOURCE
    return m


def cas_particuliers(numero: int, doc: CommentedMap) -> None:
    """Les situations posées à la main (voir la docstring du module)."""
    indicateurs = {ind["code"]: ind for ind in doc["indicateurs"]}
    if numero == 30:
        # Indicateur qui doit baisser : référence 120 en 2019, cible 60.
        ind = indicateurs["consultations-services-medicaux"]
        ind.pop("cible", None)
        ref = CommentedMap()
        ref["annee"] = 2019
        ref["valeur"] = 120
        ind["reference"] = ref
        ind["cible"] = 60
        ind["mesures"] = CommentedSeq(
            [_mesure(2020, 110), _mesure(2021, 95), _mesure(2022, 84), _mesure(2023, 78)]
        )
        ind.move_to_end("mesures")
    if numero == 1:
        # Cible atteinte deux fois : 4 ans de sensibilisation, 2 400 personnes pour 1 200.
        ind = indicateurs["personnes-sensibilisees"]
        ind["cible"] = 1200
        ind["mesures"] = CommentedSeq(
            [_mesure(2020, 450), _mesure(2021, 600), _mesure(2022, 650), _mesure(2023, 700)]
        )
        ind.move_to_end("mesures")
    if numero == 7:
        # Une valeur manquante, avec sa raison.
        ind = indicateurs["personnes-beneficiaires-ald"]
        for mesure in ind["mesures"]:
            if mesure["annee"] == 2021:
                del mesure["valeur"]
                mesure.insert(1, "manquante", "non collectée : séances suspendues (fictif)")
    if numero == 24:
        ind = indicateurs["creation-annuaire"]
        ind["mesures"] = CommentedSeq([_mesure(2020, False), _mesure(2021, True)])
    if numero in (3, 16):
        # Indicateurs jamais mesurés malgré une action en cours.
        for ind in doc["indicateurs"]:
            ind["mesures"] = CommentedSeq()


def main() -> None:
    if SORTIE.exists():
        shutil.rmtree(SORTIE)
    (SORTIE / "actions").mkdir(parents=True)
    for nom in ("axes.yaml", "contrat.yaml"):
        texte = (RACINE / "data" / nom).read_text(encoding="utf-8")
        (SORTIE / nom).write_text(texte.replace("=../schemas/", "=../../../schemas/", 1), "utf-8")
    alea = random.Random(2020)
    for chemin in sorted((RACINE / "data" / "actions").glob("*.yaml")):
        doc, _ = charger_fichier(chemin)
        numero = doc["numero"]
        trajectoire = suivi_de(numero, alea)
        actives = [a for a, statut, _, _ in trajectoire if statut in ("en_cours", "realisee")]
        if trajectoire and trajectoire[-1][1] == "realisee":
            actives += [a for a in ANNEES if a > trajectoire[-1][0]][:1]
        for i, ind in enumerate(doc["indicateurs"]):
            if actives and not (i % 4 == 3 and alea.random() < 0.5):
                mesures_de(ind, actives, alea)
        cas_particuliers(numero, doc)
        for ind in doc["indicateurs"]:  # l'ordre des clés du modèle
            for cle in ("unite", "cible", "reference", "agregation", "mesures"):
                if cle in ind:
                    ind.move_to_end(cle)
        suivi = CommentedSeq()
        for annee, statut, avancement, commentaire in trajectoire:
            point = CommentedMap()
            point["annee"] = annee
            point["statut"] = statut
            if avancement is not None:
                point["avancement"] = avancement
            if commentaire:
                point["commentaire"] = commentaire
            suivi.append(point)
        doc["suivi"] = suivi
        texte = vers_texte(doc).replace("=../../schemas/", "=../../../../schemas/", 1)
        (SORTIE / "actions" / chemin.name).write_text(texte, encoding="utf-8")


if __name__ == "__main__":
    main()
