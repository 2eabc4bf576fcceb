"""Saisie du suivi dans les fiches : mesures d'indicateurs et points de suivi annuels.

Le cœur modifie un document YAML aller-retour (:func:`poser_mesure`, :func:`poser_suivi`)
sans toucher au reste : clés, commentaires, guillemets et sauts de ligne restent tels
quels, et un commentaire qui suivait le dernier élément d'une liste reste à sa place
au lieu de passer au-dessus de l'élément ajouté.

:func:`session` tient le verrou le temps d'une lecture-modification-écriture ;
:func:`ouvrir` lit une fiche ; :func:`enregistrer` vérifie chaque nouveau texte (modèle
et règles de cohérence, erreurs seulement) et n'écrit rien si l'un d'eux est invalide ;
puis chaque fichier est remplacé de façon atomique.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from cls_cli.chargement import (
    DOSSIER_FICHES,
    FICHIER_AXES,
    FICHIER_CONTRAT,
    FicheChargee,
    Referentiel,
    analyser,
    charger_modele,
    chemin_affiche,
)
from cls_cli.ecriture import remplacer, verrou
from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau
from cls_cli.modeles import Axes, Contrat, Fiche, Statut, Valeur
from cls_cli.verification import verifier
from cls_cli.yamlio import charger_texte, decoder, vers_texte

Effet = Literal["ajoutee", "remplacee", "inchangee"]


class Conflit(ValueError):
    """Une valeur existe déjà pour cette année et ``--replace`` n'a pas été donné."""

    def __init__(self, message: str, existant: CommentedMap) -> None:
        super().__init__(message)
        self.ligne = existant.lc.line + 1


@dataclass(frozen=True)
class SaisieMesure:
    annee: int
    valeur: Valeur | None = None
    manquante: str | None = None
    date: dt.date | None = None
    source: str | None = None
    commentaire: str | None = None

    def en_yaml(self) -> CommentedMap:
        m = CommentedMap()
        m["annee"] = self.annee
        if self.manquante is not None:
            m["manquante"] = self.manquante
        else:
            m["valeur"] = self.valeur
        for cle in ("date", "source", "commentaire"):
            if getattr(self, cle) is not None:
                m[cle] = getattr(self, cle)
        return m


@dataclass(frozen=True)
class SaisieSuivi:
    annee: int
    statut: Statut
    avancement: int | float | None = None
    commentaire: str | None = None

    def en_yaml(self) -> CommentedMap:
        m = CommentedMap()
        m["annee"] = self.annee
        m["statut"] = self.statut
        if self.avancement is not None:
            m["avancement"] = self.avancement
        if self.commentaire is not None:
            m["commentaire"] = self.commentaire
        return m


# --- Commentaires en fin de liste ------------------------------------------------------


def _dernier_porteur_de_commentaire(noeud: Any) -> tuple[Any, Any] | None:
    """Le (conteneur, clé) du dernier scalaire d'un bloc : là où ruamel accroche le
    commentaire qui suit le bloc."""
    if isinstance(noeud, CommentedMap) and noeud:
        cle = list(noeud)[-1]
        valeur = noeud[cle]
        if isinstance(valeur, CommentedMap | CommentedSeq) and valeur and not _en_flux(valeur):
            return _dernier_porteur_de_commentaire(valeur)
        return noeud, cle
    if isinstance(noeud, CommentedSeq) and noeud:
        valeur = noeud[-1]
        if isinstance(valeur, CommentedMap | CommentedSeq) and valeur and not _en_flux(valeur):
            return _dernier_porteur_de_commentaire(valeur)
        return noeud, len(noeud) - 1
    return None


def _en_flux(noeud: CommentedMap | CommentedSeq) -> bool:
    return bool(noeud.fa.flow_style())


def _jeton_final(conteneur: Any, cle: Any) -> Any:
    entree = conteneur.ca.items.get(cle)
    if not entree:
        return None
    position = 0 if isinstance(conteneur, CommentedSeq) else 2
    return entree[position] if len(entree) > position else None


def _poser_jeton(conteneur: Any, cle: Any, jeton: Any) -> None:
    if isinstance(conteneur, CommentedSeq):
        entree = conteneur.ca.items.setdefault(cle, [None, None, None, None])
        entree[0] = jeton
    else:
        entree = conteneur.ca.items.setdefault(cle, [None, None, None, None])
        entree[2] = jeton


def ajouter_dans(bloc: CommentedSeq | CommentedMap, cle: Any, valeur: Any) -> None:
    """Ajoute ``valeur`` en fin de ``bloc`` (à la clé ``cle`` pour un dictionnaire).

    ruamel accroche les lignes de commentaire qui suivent un bloc à son dernier scalaire :
    ajoutées naïvement, elles se retrouveraient au-dessus du nouvel élément. On garde sur
    l'ancien dernier scalaire son commentaire de fin de ligne (« valeur: 12  # note ») et
    on reporte les lignes suivantes sur le nouveau dernier scalaire.
    """
    ancien = _dernier_porteur_de_commentaire(bloc)
    jeton = _jeton_final(*ancien) if ancien else None
    deplace = None
    if jeton is not None:
        if jeton.value.startswith("#"):
            premiere, _, reste = jeton.value.partition("\n")
            if reste:
                jeton.value = premiere + "\n"
                deplace = "\n" + reste
        else:
            deplace = jeton.value
            if ancien is not None:
                _poser_jeton(ancien[0], ancien[1], None)
    if isinstance(bloc, CommentedSeq):
        if _en_flux(bloc):
            bloc.fa.set_block_style()
        bloc.append(valeur)
    else:
        bloc[cle] = valeur
    if deplace:
        nouveau = _dernier_porteur_de_commentaire(bloc)
        if nouveau is not None:
            _poser_jeton(
                nouveau[0], nouveau[1], CommentToken(deplace, jeton.start_mark if jeton else None)
            )


# --- Modifications d'un document -------------------------------------------------------


def _premier_element(parent: CommentedMap, cle: str, element: CommentedMap) -> None:
    """Crée (ou remplit, si elle est vide) la liste ``parent[cle]`` avec ``element``."""
    seq = CommentedSeq([element])
    if cle in parent and list(parent)[-1] != cle:
        parent[cle] = seq  # la clé garde sa place et son commentaire de fin de ligne
    else:
        ajouter_dans(parent, cle, seq)


def _indicateur(doc: CommentedMap, code: str) -> CommentedMap:
    for ind in doc.get("indicateurs") or []:
        if isinstance(ind, CommentedMap) and ind.get("code") == code:
            return ind
    codes = ", ".join(str(i.get("code")) for i in doc.get("indicateurs") or [])
    raise KeyError(
        f"la fiche {doc.get('numero')} n'a pas d'indicateur « {code} » "
        f"(indicateurs : {codes or 'aucun'})"
    )


def _texte_mesure(m: Any) -> str:
    if "manquante" in m:
        return f"manquante ({m['manquante']})"
    return repr(m.get("valeur")) if isinstance(m.get("valeur"), str) else str(m.get("valeur"))


def _identique(existant: CommentedMap, nouveau: CommentedMap) -> bool:
    return {k: existant[k] for k in existant} == {k: nouveau[k] for k in nouveau}


def _poser_par_annee(
    parent: CommentedMap,
    cle: str,
    nouveau: CommentedMap,
    remplacer: bool,
    conflit: Callable[[CommentedMap], str],
) -> Effet:
    """Ajoute ``nouveau`` à la liste ``parent[cle]`` ou y remplace l'entrée de même année.

    Une entrée identique ne change rien ; une entrée différente n'est remplacée qu'avec
    ``remplacer``, sinon :class:`Conflit` (avec le texte de ``conflit(ancienne)``).
    """
    liste = parent.get(cle)
    if not isinstance(liste, CommentedSeq) or not liste:
        _premier_element(parent, cle, nouveau)
        return "ajoutee"
    for i, existant in enumerate(liste):
        if isinstance(existant, CommentedMap) and existant.get("annee") == nouveau["annee"]:
            if _identique(existant, nouveau):
                return "inchangee"
            if not remplacer:
                raise Conflit(conflit(existant), existant)
            liste[i] = nouveau
            return "remplacee"
    ajouter_dans(liste, None, nouveau)
    return "ajoutee"


def poser_mesure(doc: CommentedMap, code: str, saisie: SaisieMesure, remplacer: bool) -> Effet:
    """Ajoute (ou remplace) la mesure ``saisie`` de l'indicateur ``code``."""
    return _poser_par_annee(
        _indicateur(doc, code),
        "mesures",
        saisie.en_yaml(),
        remplacer,
        lambda ancienne: (
            f"l'indicateur « {code} » a déjà une mesure pour {saisie.annee} : "
            f"{_texte_mesure(ancienne)}"
        ),
    )


def poser_suivi(doc: CommentedMap, saisie: SaisieSuivi, remplacer: bool) -> Effet:
    """Ajoute (ou remplace) le point de suivi de l'année ``saisie.annee``."""

    def conflit(ancien: CommentedMap) -> str:
        texte = f"{ancien.get('statut')}"
        if "avancement" in ancien:
            texte += f", avancement {ancien['avancement']} %"
        return f"la fiche a déjà un point de suivi pour {saisie.annee} : {texte}"

    return _poser_par_annee(doc, "suivi", saisie.en_yaml(), remplacer, conflit)


# --- Lecture, vérification, écriture ---------------------------------------------------


def index_fiches(racine: Path) -> dict[str, list[Path]]:
    """Les fichiers de fiches par préfixe de nom (``07`` pour ``07-titre.yaml``), en une
    seule lecture du dossier : pour trouver des milliers de fiches sans relire le dossier
    pour chacune (voir :func:`chemin_fiche`)."""
    index: dict[str, list[Path]] = {}
    for chemin in sorted((racine / DOSSIER_FICHES).glob("*-*.yaml")):
        index.setdefault(chemin.name.split("-", 1)[0], []).append(chemin)
    return index


def chemin_fiche(racine: Path, numero: int, index: dict[str, list[Path]] | None = None) -> Path:
    """Le fichier de la fiche ``numero`` (``actions/NN-*.yaml``), sans lire les autres
    (ou trouvé dans ``index``, de :func:`index_fiches`)."""
    if index is not None:
        candidats = index.get(f"{numero:02d}", [])
    else:
        # Un seul parcours du dossier, sans motif à interpréter pour chaque nom : la durée
        # de cls record ne dépend presque pas du nombre de fiches.
        debut, dossier = f"{numero:02d}-", racine / DOSSIER_FICHES
        noms: list[str] = []
        with contextlib.suppress(FileNotFoundError), os.scandir(dossier) as entrees:
            noms = [e.name for e in entrees if e.name.startswith(debut)]
        candidats = sorted(dossier / nom for nom in noms if nom.endswith(".yaml"))
    if not candidats:
        raise ErreurUsage(
            f"la fiche {numero} n'existe pas dans {racine / DOSSIER_FICHES} "
            "(cls list affiche les fiches)"
        )
    if len(candidats) > 1:
        liste = ", ".join(c.name for c in candidats)
        raise ErreurUsage(f"plusieurs fichiers pour la fiche {numero} : {liste} ; gardez-en un")
    return candidats[0]


@dataclass
class Contexte:
    """Ce qu'il faut pour vérifier une fiche seule : l'arbre des axes et le contrat."""

    racine: Path
    axes: Axes | None
    contrat: Contrat | None

    @classmethod
    def lire(cls, racine: Path) -> Contexte:
        _, axes, _ = charger_modele(racine / FICHIER_AXES, Axes, racine)
        contrat = None
        if (racine / FICHIER_CONTRAT).is_file():
            _, contrat, _ = charger_modele(racine / FICHIER_CONTRAT, Contrat, racine)
        return cls(racine, axes, contrat)


def verifier_texte(texte: str, chemin: Path, contexte: Contexte) -> None:
    """Lève ErreurDonnees si le nouveau texte d'une fiche n'est pas valide."""
    document, fiche, problemes = analyser(texte, chemin, Fiche, contexte.racine)
    if fiche is not None:
        ref = Referentiel(
            contexte.racine,
            contexte.axes,
            contexte.contrat,
            [FicheChargee(chemin, document, fiche)],
            None,
        )
        problemes += verifier(ref, frozenset({Niveau.ERREUR}))  # seules les erreurs bloquent
    erreurs = [p for p in problemes if p.niveau is Niveau.ERREUR]
    if erreurs:
        p = erreurs[0]
        raise ErreurDonnees(
            p.chemin,
            p.ligne,
            p.colonne,
            f"la modification rendrait la fiche invalide, rien n'a été écrit : {p.message}",
            p.correction,
            p.regle,
        )


@dataclass
class FicheOuverte:
    chemin: Path
    texte: str
    doc: CommentedMap
    bom: bool = False  # le fichier commençait par une BOM : on la garde


def ouvrir(chemin: Path, racine: Path) -> FicheOuverte:
    """Lit une fiche pour la modifier ; refuse si sa mise en forme ne peut être gardée."""
    octets = chemin.read_bytes()
    texte = decoder(octets, chemin)
    doc = charger_texte(texte, chemin)
    if not isinstance(doc, CommentedMap):
        raise ErreurDonnees(
            chemin_affiche(chemin, racine),
            1,
            1,
            "la fiche n'est pas un bloc de clés",
            "corrigez-la (cls validate)",
        )
    if vers_texte(doc) != texte:
        raise ErreurDonnees(
            chemin_affiche(chemin, racine),
            1,
            1,
            "la mise en forme de ce fichier ne peut pas être conservée à l'identique "
            "(indentation, guillemets ou sauts de ligne différents du format des fiches)",
            "remettez-le au format des fiches livrées (2 espaces par niveau, tiret des "
            "listes à 2 espaces) puis relancez ; rien n'a été modifié",
            "mise-en-forme",
        )
    return FicheOuverte(chemin, texte, doc, bom=octets.startswith(b"\xef\xbb\xbf"))


@contextlib.contextmanager
def session(racine: Path) -> Iterator[Contexte]:
    """Verrou sur le dossier des fiches le temps d'une lecture-modification-écriture."""
    with verrou(racine / DOSSIER_FICHES / "_"):
        yield Contexte.lire(racine)


@dataclass(frozen=True)
class Ecriture:
    """Le nouveau contenu, déjà vérifié, d'une fiche modifiée (BOM d'origine comprise)."""

    chemin: Path
    contenu: str


def preparer_ecriture(fiche: FicheOuverte, contexte: Contexte) -> Ecriture | None:
    """Le nouveau texte d'une fiche modifiée, vérifié (ErreurDonnees s'il rendrait la fiche
    invalide) ; None si la modification ne change rien au fichier.

    Seul le texte est gardé : ``cls import`` peut ainsi préparer des milliers de fiches
    sans garder leurs documents aller-retour en mémoire.
    """
    texte = vers_texte(fiche.doc)
    if texte == fiche.texte:
        return None
    verifier_texte(texte, fiche.chemin, contexte)
    return Ecriture(fiche.chemin, ("\ufeff" if fiche.bom else "") + texte)


def ecrire(ecritures: list[Ecriture]) -> list[Path]:
    """Remplace chaque fichier par son nouveau contenu (déjà vérifié), de façon atomique."""
    for ecriture in ecritures:

        def relire(temporaire: Path, attendu: str = ecriture.contenu) -> None:
            # Le texte a été vérifié : on s'assure que le disque rend bien ce texte-là,
            # octet pour octet, avant de remplacer l'ancien fichier.
            if temporaire.read_bytes() != attendu.encode("utf-8"):
                raise ErreurUsage(
                    f"{temporaire} relu ne contient pas ce qui vient d'y être écrit "
                    "(disque plein ou défaillant ?) : l'ancien fichier est gardé tel quel"
                )

        remplacer(ecriture.chemin, ecriture.contenu, relire)
    return [e.chemin for e in ecritures]


def enregistrer(fiches: list[FicheOuverte], contexte: Contexte) -> list[Path]:
    """Vérifie toutes les fiches modifiées, puis les écrit ; rien n'est écrit si l'une est
    invalide. Rend les fichiers effectivement changés."""
    ecritures = [e for f in fiches if (e := preparer_ecriture(f, contexte)) is not None]
    return ecrire(ecritures)
