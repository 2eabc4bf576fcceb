"""Première transcription (une seule fois) du texte du contrat vers data/actions/.

Ce script a produit les fichiers de data/actions/ à partir de
sources/contrat-cls-chartres-metropole-2020-2025.txt. Il est gardé pour
la traçabilité : il montre comment chaque champ a été lu. Les fichiers de
data/ font foi depuis ; ne le relancez pas sur des données déjà suivies
(il écraserait le suivi). Usage : python tools/transcrire.py SORTIE/
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cls_cli.yamlio import vers_texte  # noqa: E402

RACINE = Path(__file__).resolve().parent.parent
SOURCE = RACINE / "sources" / "contrat-cls-chartres-metropole-2020-2025.txt"
PRIORITES_2020 = {4, 11, 16, 21, 23, 24, 27, 28, 50}

NATURES = {
    "Nouvelle action": "nouvelle",
    "Action nouvelle": "nouvelle",
    "Action existante": "existante",
    "action existante": "existante",
    "Action existante pour partie - Action nouvelle pour partie": "mixte",
}

# Listes dont les éléments ne sont séparés que par des espaces dans le texte extrait :
# découpage fait à la main, mot pour mot.
LISTES: dict[tuple[int, str], list[str]] = {
    (1, "partenaires"): ["Mutualité Française", "Lig'Air", "ARS"],
    (2, "porteurs"): [
        "Chartres métropole Eau (CMEau)",
        "Chartres métropole (Service Maîtrise d'ouvrage-usages de la Direction du Cycle de l'Eau)",
    ],
    (3, "partenaires"): ["DSDEN", "CD28", "CESEL"],
    (3, "public_cible"): ["Habitants des quartiers prioritaires", "Mamans"],
    (4, "porteurs"): [
        "Conseil d'Architecture, d'Urbanisme et d'Environnement d'Eure-et-Loir (CAUE)",
        "Chartres métropole",
    ],
    (4, "partenaires"): [
        "Chartres métropole",
        "CAUE 28",
        "Eure-et-Loir Nature",
        "aménageurs et opérateurs immobiliers",
        "médiathèque",
        "boulevard du Graff",
        "DSDEN",
        "etc.",
    ],
    (4, "public_cible"): [
        "Professionnels (architectes, urbanistes, paysagistes, bureaux d'études, aménageurs,"
        " maîtres d'ouvrage, élus, entreprises)",
        "habitants",
    ],
    (5, "porteurs"): ["Profession Sports 28", "Espace diabète 28"],
    (5, "partenaires"): ["Cesel 28", "DSDEN28"],
    (6, "partenaires"): [
        "DSDEN (infirmières et médecins EN)",
        "Communes et CCAS de Chartres, Lucé et Mainvilliers",
    ],
    (8, "partenaires"): [
        "Communes de Chartres, Lucé et Mainvilliers",
        "Services de l'Etat",
        "les associations",
        "etc.",
    ],
    (9, "partenaires"): [
        "DSDEN – infirmières scolaires",
        "Mission Locale de l'arrondissement de Chartres",
        "Foyer d'Accueil Chartrain",
    ],
    (11, "porteurs"): ["CAARUD – Intervenants extérieurs"],
    (13, "porteurs"): [
        "CCAS de Chartres - centre de santé polyvalent",
        "Centre de vaccination départemental",
    ],
    (13, "partenaires"): ["DSDEN", "CCAS et communes intéressés"],
    (14, "partenaires"): ["Mobiliser la Croix Rouge", "DSDEN"],
    (3, "porteurs"): ["CCAS de Chartres - Centre de santé polyvalent"],
    (18, "partenaires"): [
        "Partenaires signataires de la convention de partenariat relative à l'instance de suivi"
    ],
    (19, "porteurs"): ["Vie37 ou CESEL"],
    (19, "partenaires"): ["CCAS", "Chartres métropole", "hôpitaux", "etc."],
    (22, "porteurs"): ["Chartres métropole", "SPL Chartres Aménagement"],
    (23, "porteurs"): ["Chartres métropole", "CIAS"],
    (24, "public_cible"): [
        "Toute population",
        "séniors",
        "personnes en situation de handicap",
        "scolaires",
        "jeunes",
    ],
    (25, "porteurs"): ["Chartres métropole ou CIAS"],
    (25, "partenaires"): [
        "CCAS de Chartres, Lucé et Mainvilliers",
        "CIAS",
        "Etat",
        "CD 28",
        "ARS",
    ],
    (26, "partenaires"): ["Le CD 28 et la CPAM", "MDA"],
    (28, "public_cible"): [
        "Pharmacies pour le transport de médicaments",
        "Habitants dans les QPV",
        "Personnes isolées",
    ],
    (31, "public_cible"): ["Personnes valides", "personnes âgées", "personnes handicapées"],
    (32, "public_cible"): [
        "Personnes en situation de handicap",
        "Personnes en situation de dépendance",
    ],
    (44, "porteurs"): ["Fédération Familles Rurales d'Eure-et-Loir, en lien avec l'ADMR"],
    (46, "partenaires"): [
        "Partenaires de la convention de l'instance de suivi des situations complexes dans le"
        " domaine de l'habitat, à élargir aux autres thématiques (éducation, lien social,"
        " accès à l'emploi, etc.)"
    ],
    (46, "public_cible"): [
        "Personnes souffrant de troubles cognitifs",
        "Personnes souffrant d'autres pathologies",
    ],
    (47, "porteurs"): ["Chartres métropole en lien avec l'URPS"],
    (47, "partenaires"): ["ARS", "CPTS", "URPS", "Chartres métropole"],
    (51, "partenaires"): [
        "Associations locales Familles Rurales",
        "Associations autres désireuses de transmettre un message sur la santé",
    ],
    (51, "public_cible"): ["Familles et aidants familiaux (tous âges)", "Grand public"],
    (53, "partenaires"): [
        "Communes et CCAS de Chartres, Lucé et Mainvilliers",
        "CAF",
        "CD 28",
        "ARS",
    ],
    (12, "porteurs"): [
        "Cesel 28",
        "CAARUD",
        "CICAT",
        "CCAS de Chartres (centre pluridisciplinaire de soins)",
        "DSDEN 28",
    ],
    (12, "public_cible"): [
        "Enfants",
        "adolescents",
        "femmes victimes de violence",
        "personnes en situation de précarité",
    ],
    (7, "porteurs"): [
        "Association pour le Développement de la Médecine et du Sport d'Eure et Loir (ADMS)"
    ],
    (37, "partenaires"): [
        "CD 28 (appel à projets sur l'habitat inclusif)",
        "aménageurs",
        "promoteurs",
        "communes",
        "etc.",
    ],
    (33, "partenaires"): [
        "MDA",
        "ARS",
        "DSDEN",
        "CD 28",
        "CCAS intéressés",
        "associations du champ du handicap",
        "etc.",
    ],
    (36, "porteurs"): [
        "CCAS de Chartres - Service d'Aide et d'Accompagnement au Maintien A Domicile (SAMAD)"
    ],
    (42, "partenaires"): ["CCAS", "CIAS et associations"],
    (43, "partenaires"): ["CCAS", "CIAS et associations"],
    (44, "partenaires"): ["CCAS", "CIAS et associations", "MDA"],
    (45, "partenaires"): ["CCAS", "CIAS et associations", "MDA"],
    (29, "porteurs"): ["CIAS de Chartres métropole"],
    (5, "public_cible"): ["Enfants en milieu scolaire CM1/CM2"],
    (6, "porteurs"): [
        "Programme de Réussite Educative des villes de Chartres, Lucé et Mainvilliers"
    ],
    (28, "partenaires"): [
        "Chartres métropole",
        "communes de Chartres, Lucé et Mainvilliers",
        "DDCSPP",
        "CD 28",
    ],
    (33, "public_cible"): [
        "Enfants en situation de handicap dans les crèches, haltes garderies, écoles"
    ],
    (37, "public_cible"): ["Personnes du 3e âge, valides ou handicapées"],
}

# Découpage de la ligne « Evaluation » en indicateurs, quand la règle générale ne suffit pas.
INDICATEURS: dict[int, list[str]] = {
    9: ["Nombre de personnes informées", "nombre de dépistages réalisés"],
    44: [
        "Nombre de participants au café",
        "assiduité des participants",
        "prise de parole des aidants lors des rencontres",
    ],
    15: [
        "Nombre de personnes rencontrées",
        "Taux de satisfaction",
        "Evolution des connaissances",
        "Questionnaires pré et post intervention",
        "Comptabilisation des participants",
    ],
    6: [
        "Nombre d'enfants bénéficiaires",
        "Types de problématiques rencontrées et solutions préconisées",
        "Impacts sur le bien-être physique et psychique et les résultats scolaires de l'enfant",
        "Nombre de parcours proposés, signés par les parents et effectifs",
        "Nombre d'accompagnements physiques ou financés",
        "Nombre d'entretiens avec les familles",
        "Nombre de rendez-vous impulsés par la Réussite Educative",
        "Evaluations individuelles",
    ],
    45: [
        "Nombre de jeunes aidants touchés, informés et accompagnés",
        "Envoi d'un questionnaire anonyme aux jeunes sur le café des jeunes aidants",
        "Rappel régulier des dispositifs d'aide et d'accompagnement sur l'information auprès"
        " des professionnels",
    ],
    50: [
        "Nombre d'acteurs impliqués",
        "Nombre d'enquêtes et de questionnaires effectués",
        "Rendu de l'étude d'opportunité",
    ],
    51: [
        "Fréquentation des animations/événements",
        "Contacts mail et téléphone pris pour relayer les informations",
    ],
    53: [
        "Groupe de travail santé dans l'évaluation du Contrat de Ville",
        "Nombre de réunions du groupe de travail",
        "Nombre de réunions de coordinations par QPV",
    ],
    30: [
        "Nombre de personnes concernées",
        "Nombre de consultations des services médicaux d'urgence",
    ],
    29: [
        "Nombre d'expériences évaluées",
        "Cahier des charges de la programmation réalisé",
        "Cahier des charges pour déploiement éventuel proposé",
    ],
    28: [
        "Développement de l'activité à destination des pharmacies",
        "Nombre de personnes isolées potentiellement concernées",
        "Nombre de pharmaciens partenaires",
    ],
    26: [
        'Pages web MDA 28 et CPAM 28 pointant sur les fichiers "brochure", "guide d\'utilisation"'
        ' et "vidéo"'
    ],
    25: ["Evaluation des demandes", "Nombre de partenaires et cofinanceurs associés"],
    24: ["Création de l'annuaire", "Enquête annuelle sur l'offre de services"],
    10: ["Nombre de familles suivies", "Amélioration des relations parents/enfants"],
    32: ["Nombre de logements adaptés", "Quantités de transports adaptés", "Nombre de suivis SAVS"],
}

# Années lues à la main quand la règle générale se trompe.
CALENDRIERS: dict[int, tuple[int | None, int | None]] = {
    12: (2019, None),  # « Groupe de travail mis en place en 2019 » : un début, pas une fin
}

DEBUTS_INDICATEUR = r"(?:Nombre|nombre|Taux|Questionnaire|Enquête|Quantité)"

# Les indicateurs de stock (la dernière valeur compte) ; les autres comptages s'additionnent.
STOCKS = (
    "abonnés",
    "communes recevant",
    "veilleurs",
    "établissements",
    "professionnels de santé installés",
    "installations",
    "logements",
    "ménages",
    "membres",
    "communes volontaires",
    "communes impliquées",
    "communes disposant",
    "communes utilisatrices",
    "acteurs",
    "pharmaciens",
    "partenaires et cofinanceurs",
    "mesures mises en place",
    "actions généralisables",
    "séniors impliqués",
    "suivis SAVS",
    "personnes locataires",
    "expériences",
    "actions programmées",
    "personnes concernées",
    "personnes en perte",
    "personnes âgées ou",
    "situations durablement",
    "personnes suivies",
    "personnes dont la situation",
    "familles suivies",
    "personnes isolées potentiellement",
    "enfants et de jeunes",
    "enfants bénéficiaires",
    "enfants concernés",
    "personnes bénéficiaires",
    "consultations des services médicaux d'urgence",  # un flux annuel qu'on veut voir baisser
)

TEXTES = (
    "Types de",
    "Impacts",
    "Amélioration",
    "Evolution",
    "Questionnaire d'évaluation",
    "Questionnaires pré",
    "Evaluation des demandes",
    "Développement de",
    "Niveau de",
    "assiduité",
    "prise de parole",
    "Evaluations individuelles",
    "Rappel régulier",
    "Envoi d'un",
    "Enquête annuelle",
)
BOOLEENS = ("Création", "Cahier des charges", "Rendu de", "Pages web", "Groupe de travail santé")
MOTS_VIDES = {
    "de", "d", "des", "du", "la", "le", "les", "l", "à", "a", "aux", "au", "et", "en", "par",
    "sur", "pour", "un", "une", "nombre", "ou", "lors", "dans",
}  # fmt: skip

MAJ_NON_DEBUT = {
    "Chartres", "Mutualité", "Française", "Education", "Nationale", "Votre", "Agglo", "Justin",
    "Réussite", "Educative", "Programmes", "Barjouville", "Champhol", "Maintenon", "Ville",
    "Contrat", "Programme", "Local", "Habitat", "Société", "Saint-Vincent", "Paul", "Conseils",
    "Centre", "Filibus", "Clos", "Existante", "Bretagne", "Tallemont-Bretagne", "Mainvilliers",
    "Rénov'Habitat", "Trajectoire", "TéléSanté", "Brétigny", "Mission", "Locale", "Foyer",
    "Chartrain", "Santé", "Fédération", "Maison", "Médecins", "Mahamah",
}  # fmt: skip
# Mots qui ouvrent un nouveau paragraphe même après un nom propre ou un sigle.
DEBUTS_FORCES = {
    "Intégrer", "Informers", "Réfléchir", "Maintien", "Modalités", "Valider", "Réalisation",
    "S'appuyer", "Identifier", "Depuis", "Une",
}  # fmt: skip
PREPOSITIONS = {
    "de", "d'", "à", "la", "le", "les", "des", "du", "en", "et", "au", "aux", "sur", "dans",
    "par", "pour", "avec", "l'", "un", "une", "ou", "chez", "vers", ":", "-", "–", "/",
}  # fmt: skip


def propre(texte: str) -> str:
    texte = re.sub(r"<[^>]+>", " ", texte)
    texte = texte.replace(" ^e ", "e ").replace(" ^{er} ", "er ").replace(" ^e", "e")
    return re.sub(r"\s+", " ", texte).strip()


def paragraphes(brut: str) -> str:
    """Rend les paragraphes perdus à l'extraction (balises <p> ou début de phrase)."""
    if "<p>" in brut:
        morceaux = [propre(m) for m in re.findall(r"<p>(.*?)</p>", brut, flags=re.S)]
        return "\n".join(m for m in morceaux if m) + "\n"
    mots = propre(brut).split(" ")
    lignes: list[list[str]] = [[]]
    for i, mot in enumerate(mots):
        precedent = mots[i - 1] if i else ""
        coupe = False
        if i and mot == "*":
            coupe = True
        elif i and precedent.endswith(".") and precedent not in {"etc.", "ex.", "M."}:
            coupe = mot[:1].isupper()
        elif i and mot in DEBUTS_FORCES and precedent.lower() not in PREPOSITIONS:
            coupe = True
        elif (
            i
            and mot[:1].isupper()
            and len(mot) >= 4
            and mot[1:2].islower()
            and mot.strip('"«»().,;:') not in MAJ_NON_DEBUT
            and precedent.lower() not in PREPOSITIONS
            and not precedent.endswith((",", "(", "'", ":", "-", "/"))
            and not precedent.lstrip('"«(')[:1].isupper()
            and precedent != "*"
        ):
            coupe = True
        if coupe and lignes[-1]:
            lignes.append([])
        lignes[-1].append(mot)
    return "\n".join(" ".join(ligne) for ligne in lignes) + "\n"


def decouper_liste(valeur: str) -> list[str]:
    valeur = propre(valeur)
    if not valeur:
        return []
    morceaux = re.split(r"\s*[,;/]\s*", valeur)
    return [m for m in morceaux if m]


def decouper_evaluation(numero: int, texte: str) -> list[str]:
    if numero in INDICATEURS:
        return INDICATEURS[numero]
    if "<p>" in texte:
        return [propre(m) for m in re.findall(r"<p>(.*?)</p>", texte) if propre(m)]
    texte = propre(texte)
    if not texte:
        return []
    parties = re.split(rf"\s+(?={DEBUTS_INDICATEUR}\b)", texte)
    return [p.strip() for p in parties if p.strip()]


def type_et_agregation(libelle: str) -> tuple[str, str | None]:
    if libelle.startswith(TEXTES):
        return "texte", None
    if libelle.startswith(BOOLEENS):
        return "booleen", None
    if "satisfaction" in libelle:
        return "taux", None
    if any(stock in libelle for stock in STOCKS):
        return "nombre", None
    return "nombre", "somme"


def code_indicateur(libelle: str, pris: set[str]) -> str:
    ascii_ = unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode().lower()
    mots = [m for m in re.split(r"[^a-z0-9]+", ascii_) if m and m not in MOTS_VIDES]
    code = "-".join(mots[:3]) or "indicateur"
    base, n = code, 2
    while code in pris:
        code, n = f"{base}-{n}", n + 1
    pris.add(code)
    return code


def slug(titre: str, longueur: int = 6) -> str:
    ascii_ = unicodedata.normalize("NFKD", titre).encode("ascii", "ignore").decode().lower()
    mots = [m for m in re.split(r"[^a-z0-9]+", ascii_) if m and m not in MOTS_VIDES]
    return "-".join(mots[:longueur])


def annees_calendrier(texte: str, debut_contrat: int = 2020, fin_contrat: int = 2025) -> tuple:
    annees = [int(a) for a in re.findall(r"\b(20[0-9]{2})\b", texte)]
    duree = re.search(r"dur[ée]e du CLS|fin du CLS", texte, flags=re.I)
    if not annees:
        return (debut_contrat, fin_contrat) if duree else (None, None)
    debut = min(annees)
    if duree:
        return debut, max(annees + [fin_contrat])
    if len(set(annees)) > 1:
        return debut, max(annees)
    if re.search(r"partir d|[Dd]epuis|Lancement|existant", texte):
        return debut, None
    return debut, debut


def montant(texte: str) -> int | None:
    montants = [int(m.replace(" ", "")) for m in re.findall(r"(\d{1,3}(?: \d{3})*) €", texte)]
    return sum(montants) if montants else None


def lire_fiches(texte: str) -> list[dict]:
    blocs = re.split(r"^FICHE ACTION N° (\d+)\s*$", texte, flags=re.M)
    fiches = []
    for i in range(1, len(blocs), 2):
        numero = int(blocs[i])
        corps = blocs[i + 1].split("\nIX Annexes")[0]
        lignes = [ligne for ligne in corps.splitlines() if ligne.strip()]
        cellules = {}
        for ligne in lignes:
            if "\t" in ligne:
                cle, _, valeur = ligne.partition("\t")
                cellules[cle.strip()] = valeur
        objectif = next(
            re.match(r"^(\d\.\d\.\d)\.?\s", ligne).group(1)  # type: ignore[union-attr]
            for ligne in lignes
            if re.match(r"^\d\.\d\.\d\.?\s", ligne)
        )
        titre = next(
            re.sub(r"^ACTION \d+ : ", "", ligne) for ligne in lignes if ligne.startswith("ACTION ")
        )
        nature = next(NATURES[ligne.strip()] for ligne in lignes if ligne.strip() in NATURES)
        fiches.append(
            {
                "numero": numero,
                "titre": propre(titre),
                "objectif": objectif,
                "nature": nature,
                "cellules": cellules,
            }
        )
    return fiches


def construire(fiche: dict) -> CommentedMap:
    n = fiche["numero"]
    c = fiche["cellules"]

    def liste(champ: str, cellule: str) -> CommentedSeq:
        valeurs = LISTES.get((n, champ), decouper_liste(c[cellule]))
        seq = CommentedSeq(valeurs)
        return seq

    doc = CommentedMap()
    doc["numero"] = n
    doc["titre"] = fiche["titre"]
    doc["objectif"] = DoubleQuotedScalarString(fiche["objectif"])
    doc["nature"] = fiche["nature"]
    doc["porteurs"] = liste("porteurs", "Porteur du projet")
    doc["partenaires"] = liste("partenaires", "Partenariat")
    doc["description"] = LiteralScalarString(paragraphes(c["Descriptif de l'action"]))
    doc["public_cible"] = liste("public_cible", "Public cible")
    doc["territoire"] = propre(c["Territoire"])
    cal = CommentedMap()
    cal["texte"] = propre(c["Calendrier"])
    debut, fin = CALENDRIERS.get(n, annees_calendrier(cal["texte"]))
    if debut is not None:
        cal["debut"] = debut
    if fin is not None:
        cal["fin"] = fin
    doc["calendrier"] = cal
    res = CommentedMap()
    res["texte"] = propre(c["Ressources (Financement et Ressources humaines et matérielles)"])
    budget = montant(res["texte"])
    if budget is not None:
        res["budget"] = budget
    doc["ressources"] = res
    doc["priorites"] = CommentedSeq([2020] if n in PRIORITES_2020 else [])
    indicateurs = CommentedSeq()
    pris: set[str] = set()
    for libelle in decouper_evaluation(n, c["Evaluation"]):
        ind = CommentedMap()
        ind["code"] = code_indicateur(libelle, pris)
        ind["libelle"] = libelle
        type_, agregation = type_et_agregation(libelle)
        ind["type"] = type_
        if agregation:
            ind["agregation"] = agregation
        ind["mesures"] = CommentedSeq()
        indicateurs.append(ind)
    doc["indicateurs"] = indicateurs
    doc["suivi"] = CommentedSeq()
    return doc


ENTETE = "# yaml-language-server: $schema=../../schemas/fiche.schema.json\n"


def main() -> None:
    sortie = Path(sys.argv[1]) if len(sys.argv) > 1 else RACINE / "data" / "actions"
    sortie.mkdir(parents=True, exist_ok=True)
    for fiche in lire_fiches(SOURCE.read_text(encoding="utf-8")):
        doc = construire(fiche)
        nom = f"{fiche['numero']:02d}-{slug(fiche['titre'])}.yaml"
        (sortie / nom).write_text(ENTETE + vers_texte(doc), encoding="utf-8")
        print(nom)


if __name__ == "__main__":
    main()
