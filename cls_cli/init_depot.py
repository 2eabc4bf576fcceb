"""``cls init`` : un nouveau dépôt de données de Contrat Local de Santé, prêt à remplir.

:func:`fichiers_du_depot` est pure : elle rend, chemin relatif par chemin relatif, le
contenu de chaque fichier du dépôt (contrat, axe exemple, dossier des fiches, schémas pour
l'éditeur, README de la coordination, ``.gitignore``, pre-commit, intégration continue
GitHub et GitLab). :func:`creer_depot` les écrit sans jamais remplacer un fichier existant.

Le dossier ``data/actions/`` est créé vide, avec un fichier ``.gitkeep`` (pour que git le
garde) : ``cls validate`` y voit un contrat qui commence et ne le refuse pas, mais
avertit qu'il n'a encore aucune fiche et dit quoi remplir (voir :mod:`cls_cli.chargement`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from cls_cli.emplacements import DOSSIER_FICHES, FICHIER_AXES, FICHIER_CONTRAT
from cls_cli.erreurs import ErreurUsage
from cls_cli.modeles import ANNEE_MAX, ANNEE_MIN, NON_PRECISE, STRUCTURES
from cls_cli.schema import DOSSIER_SCHEMAS, SCHEMAS, ligne_schema, texte
from cls_cli.yamlio import vers_texte

#: Le fichier qui garde ``data/actions/`` dans git tant qu'il n'a aucune fiche.
GARDE_ACTIONS = ".gitkeep"
PROVISOIRE = "PROVISOIRE"
#: Le code de l'objectif exemple où ranger une fiche, selon le nombre de niveaux.
_CODE_EXEMPLE = {1: "1", 2: "1.1", 3: "1.1.1"}

_GITIGNORE = """\
# cls : transactions et verrou d'écriture en cours (jamais à versionner)
.cls/
# sorties produites par cls (rapports, exports) : régénérables
rapports/
*.sqlite
cls-export/
"""

_PRE_COMMIT = """\
# Vérifie les données avant chaque commit (pip install pre-commit && pre-commit install).
# Le crochet « local » utilise la commande cls installée sur le poste.
repos:
  - repo: local
    hooks:
      - id: cls-validate
        name: cls validate (Contrat Local de Santé)
        entry: cls validate --data data
        language: system
        files: ^data/
        pass_filenames: false
"""

_GITHUB = """\
# cls validate à chaque envoi et demande de fusion ; adaptez CLS_PAQUET (d'où pip
# installe cls : l'adresse git du projet cls, ou un nom de paquet).
name: cls
on:
  push:
  pull_request:
permissions:
  contents: read
env:
  CLS_PAQUET: "cls-cli"
jobs:
  valider:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: python -m pip install "$CLS_PAQUET"
      - run: cls validate --data data
"""

_GITLAB = """\
# cls validate à chaque envoi ; adaptez CLS_PAQUET (d'où pip installe cls).
variables:
  CLS_PAQUET: "cls-cli"
valider:
  image: python:3.11
  script:
    - python -m pip install "$CLS_PAQUET"
    - cls validate --data data
"""


@dataclass(frozen=True)
class NouveauContrat:
    nom: str
    debut: int
    fin: int
    territoire: str | None = None
    signature: dt.date | None = None
    niveaux: int = 3  # niveaux au-dessus des fiches (voir STRUCTURES)


def _verifier(c: NouveauContrat) -> None:
    if not c.nom.strip():
        raise ErreurUsage("--nom est vide : donnez le titre du contrat (ex. « CLS de Dreux »)")
    for option, annee in (("--debut", c.debut), ("--fin", c.fin)):
        if not ANNEE_MIN <= annee <= ANNEE_MAX:
            raise ErreurUsage(f"{option} {annee} : une année entre {ANNEE_MIN} et {ANNEE_MAX}")
    if c.fin < c.debut:
        raise ErreurUsage(f"--fin {c.fin} précède --debut {c.debut}")
    if not 1 <= c.niveaux <= len(STRUCTURES):
        raise ErreurUsage(
            f"--niveaux {c.niveaux} : 1 (axes), 2 (axes et objectifs) ou 3 (axes, objectifs "
            "stratégiques et opérationnels)"
        )


def _contrat(c: NouveauContrat) -> str:
    doc = CommentedMap()
    doc["titre"] = " ".join(c.nom.split())
    doc["territoire"] = c.territoire or doc["titre"]
    if c.territoire is None:
        doc.yaml_add_eol_comment(f"{PROVISOIRE} : le territoire couvert", "territoire")
    # Jamais de date inventée : sans --signature, la date est « non précisée ».
    doc["date_signature"] = c.signature or NON_PRECISE
    if c.signature is None:
        doc.yaml_add_eol_comment(
            "à remplacer par la date de signature (AAAA-MM-JJ) quand elle est connue",
            "date_signature",
        )
    doc["periode"] = CommentedMap(debut=c.debut, fin=c.fin)
    doc["structure"] = CommentedSeq(STRUCTURES[c.niveaux - 1])
    doc["structure"].fa.set_flow_style()
    doc.yaml_add_eol_comment("les niveaux au-dessus des fiches, voir le README", "structure")
    doc["signataires"] = CommentedSeq()
    doc.yaml_add_eol_comment("- organisme: …, representant: …, qualite: …", "signataires")
    doc["communes"] = CommentedSeq()
    doc.yaml_add_eol_comment("une commune par ligne, précédée de « - »", "communes")
    entete = (
        f"{ligne_schema('contrat.schema.json')}# Créé par « cls init » : complétez les "
        f"valeurs {PROVISOIRE}, les signataires et les communes.\n"
    )
    return entete + vers_texte(doc)


def _axes(niveaux: int) -> str:
    exemple = "Exemple à remplacer : libellé {} tel qu'écrit dans le contrat"
    if niveaux < 3:
        axe = CommentedMap(code=DoubleQuotedScalarString("1"))
        axe["libelle"] = exemple.format("du premier axe")
        if niveaux == 2:
            objectif = CommentedMap(code=DoubleQuotedScalarString("1.1"))
            objectif["libelle"] = exemple.format("du premier objectif")
            axe["objectifs"] = CommentedSeq([objectif])
        return _entete_axes() + vers_texte(CommentedMap(axes=CommentedSeq([axe])))
    oo = CommentedMap(
        code=DoubleQuotedScalarString("1.1.1"),
        libelle=exemple.format("du premier objectif opérationnel"),
    )
    os_ = CommentedMap(
        code=DoubleQuotedScalarString("1.1"),
        libelle=exemple.format("du premier objectif stratégique"),
        objectifs_operationnels=CommentedSeq([oo]),
    )
    axe = CommentedMap(
        code=DoubleQuotedScalarString("1"),
        libelle=exemple.format("du premier axe"),
        objectifs_strategiques=CommentedSeq([os_]),
    )
    return _entete_axes() + vers_texte(CommentedMap(axes=CommentedSeq([axe])))


def _entete_axes() -> str:
    return (
        f"{ligne_schema('axes.schema.json')}# Créé par « cls init » : remplacez l'axe "
        "exemple par les axes et objectifs du contrat.\n"
    )


def _readme(c: NouveauContrat) -> str:
    return f"""\
# {" ".join(c.nom.split())} ({c.debut}-{c.fin})

Les données du Contrat Local de Santé, suivies avec `cls`. Ce dépôt a été créé par
`cls init` ; il reste à le remplir :

1. `data/contrat.yaml` : remplacez les valeurs marquées {PROVISOIRE} (territoire) et
   `non_precise` (date de signature) si le contrat les donne, ajoutez les signataires et
   les communes ;
2. `data/axes.yaml` : remplacez l'axe exemple par les axes et objectifs du contrat, avec
   leurs codes tels que le contrat les écrit (`1`, `A`, `3.1`, `II-2`) ; `structure:` de
   `data/contrat.yaml` dit combien de niveaux il a ;
3. créez chaque fiche-action avec `cls new --objectif {_CODE_EXEMPLE[c.niveaux]} --titre "…"`,
   puis remplacez chaque « À COMPLÉTER » du fichier créé dans `data/actions/` (un champ
   que le contrat ne donne pas s'écrit `non_precise`) ;
4. lancez `cls validate` après chaque modification : il dit ce qui reste à remplir.

Ensuite, chaque année : `cls template` et `cls import` (tableau de collecte des
porteurs), `cls record` et `cls status`, puis `cls report --year AAAA`.

Les fichiers de `data/` désignent leur schéma dans `{DOSSIER_SCHEMAS}/` : un éditeur comme
VS Code (extension YAML) complète et vérifie la saisie. Après une mise à jour de cls,
`cls schema --install` les réécrit. `.pre-commit-config.yaml`, `.github/workflows/cls.yml`
et `.gitlab-ci.yml` lancent `cls validate` avant chaque commit et à chaque envoi.
"""


def fichiers_du_depot(c: NouveauContrat) -> dict[str, str]:
    """Chemin relatif (``/``) -> contenu de chaque fichier du nouveau dépôt."""
    _verifier(c)
    fichiers = {
        f"data/{FICHIER_CONTRAT}": _contrat(c),
        f"data/{FICHIER_AXES}": _axes(c.niveaux),
        f"data/{DOSSIER_FICHES}/{GARDE_ACTIONS}": "",
        "README.md": _readme(c),
        ".gitignore": _GITIGNORE,
        ".pre-commit-config.yaml": _PRE_COMMIT,
        ".github/workflows/cls.yml": _GITHUB,
        ".gitlab-ci.yml": _GITLAB,
    }
    fichiers |= {f"{DOSSIER_SCHEMAS}/{nom}": texte(nom) for nom in SCHEMAS}
    return fichiers


@dataclass(frozen=True)
class DepotCree:
    ecrits: tuple[str, ...]
    gardes: tuple[str, ...]  # existaient déjà : laissés tels quels
    git: bool  # un dépôt git a été créé


def creer_depot(dossier: Path, c: NouveauContrat, force: bool) -> DepotCree:
    """Écrit le dépôt dans ``dossier`` (créé au besoin). Un dossier non vide est refusé
    sans ``force`` ; avec ``force``, aucun fichier existant n'est remplacé. Crée un dépôt
    git si ``dossier`` n'est dans aucun."""
    from cls_cli.depot import dans_un_depot, initialiser_git
    from cls_cli.transaction import message_systeme

    fichiers = fichiers_du_depot(c)
    if dossier.exists() and not dossier.is_dir():
        raise ErreurUsage(f"{dossier} est un fichier : donnez un dossier (nouveau ou vide)")
    if dossier.is_dir() and any(dossier.iterdir()) and not force:
        raise ErreurUsage(
            f"{dossier} n'est pas vide : choisissez un dossier nouveau ou vide, ou ajoutez "
            "--force pour y ajouter les fichiers manquants (aucun fichier existant n'est remplacé)"
        )
    ecrits, gardes = [], []
    try:
        git = not dans_un_depot(dossier.parent if not dossier.exists() else dossier)
        for relatif, contenu in fichiers.items():
            chemin = dossier / relatif
            chemin.parent.mkdir(parents=True, exist_ok=True)
            try:
                with chemin.open("x", encoding="utf-8", newline="\n") as flux:
                    flux.write(contenu)
            except FileExistsError:
                gardes.append(relatif)
                continue
            ecrits.append(relatif)
    except OSError as exc:
        raise message_systeme(exc, exc.filename or dossier, "d'écrire ce fichier") from None
    if git:
        git = initialiser_git(dossier)
    return DepotCree(tuple(ecrits), tuple(gardes), git)
