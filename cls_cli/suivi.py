"""Saisie du suivi dans les fiches : mesures d'indicateurs et points de suivi annuels.

Le cœur modifie un document YAML aller-retour (:func:`poser_mesure`, :func:`poser_suivi`)
sans toucher au reste : clés, commentaires, guillemets et sauts de ligne restent tels
quels, et un commentaire qui suivait le dernier élément d'une liste reste à sa place
au lieu de passer au-dessus de l'élément ajouté.

:func:`ouvrir` lit une fiche ; :func:`verifier_texte` vérifie un nouveau texte (modèle et
règles de cohérence, erreurs seulement). Le plan des écritures et leur application en
tout ou rien sont dans :mod:`cls_cli.plan`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from cls_cli.chargement import (
    FICHIER_AXES,
    FICHIER_CONTRAT,
    FicheChargee,
    Referentiel,
    analyser,
    charger_modele,
    emplacement,
)
from cls_cli.erreurs import ErreurDonnees, Niveau
from cls_cli.modeles import Axes, Contrat, Fiche
from cls_cli.regles_saisie import (
    SaisieMesure,
    SaisieSuivi,
    trouver_indicateur,
)
from cls_cli.transaction import message_systeme
from cls_cli.verification import controler
from cls_cli.yamlio import charger_texte, decoder, vers_texte

Effet = Literal["ajoutee", "remplacee", "inchangee"]


class Conflit(ValueError):
    """Une valeur existe déjà pour cette année et ``--replace`` n'a pas été donné."""

    def __init__(self, message: str, existant: CommentedMap) -> None:
        super().__init__(message)
        self.ligne = existant.lc.line + 1


def en_yaml(saisie: SaisieMesure | SaisieSuivi) -> CommentedMap:
    """La mesure ou le point de suivi tel qu'il s'écrit dans la fiche."""
    m = CommentedMap()
    m["annee"] = saisie.annee
    if isinstance(saisie, SaisieMesure):
        if saisie.manquante is not None:
            m["manquante"] = saisie.manquante
        else:
            m["valeur"] = saisie.valeur
        cles: tuple[str, ...] = ("date", "source", "commentaire")
    else:
        m["statut"] = saisie.statut
        cles = ("avancement", "commentaire")
    for cle in cles:
        if getattr(saisie, cle) is not None:
            m[cle] = getattr(saisie, cle)
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


def indicateur_du_document(doc: CommentedMap, code: str) -> CommentedMap:
    """L'indicateur ``code`` d'une fiche ouverte (ValueError s'il n'existe pas)."""
    indicateurs = [i for i in doc.get("indicateurs") or [] if isinstance(i, CommentedMap)]
    return trouver_indicateur(indicateurs, code, doc.get("numero"), lambda i: i.get("code"))


def texte_mesure(m: Any) -> str:
    """Une mesure écrite (dictionnaire) en texte : « 12 », « manquante (raison) »."""
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
) -> tuple[Effet, CommentedMap | None]:
    """Ajoute ``nouveau`` à la liste ``parent[cle]`` ou y remplace l'entrée de même année.

    Une entrée identique ne change rien ; une entrée différente n'est remplacée qu'avec
    ``remplacer``, sinon :class:`Conflit` (avec le texte de ``conflit(ancienne)``).
    Rend l'effet et l'entrée de même année qui existait (ou None).
    """
    liste = parent.get(cle)
    if not isinstance(liste, CommentedSeq) or not liste:
        _premier_element(parent, cle, nouveau)
        return "ajoutee", None
    for i, existant in enumerate(liste):
        if isinstance(existant, CommentedMap) and existant.get("annee") == nouveau["annee"]:
            if _identique(existant, nouveau):
                return "inchangee", existant
            if not remplacer:
                raise Conflit(conflit(existant), existant)
            liste[i] = nouveau
            return "remplacee", existant
    ajouter_dans(liste, None, nouveau)
    return "ajoutee", None


def poser_mesure(
    doc: CommentedMap, code: str, saisie: SaisieMesure, remplacer: bool
) -> tuple[Effet, str | None]:
    """Ajoute (ou remplace) la mesure ``saisie`` de l'indicateur ``code`` ; rend l'effet
    et l'ancienne valeur de l'année, en texte (None s'il n'y en avait pas)."""
    effet, ancienne = _poser_par_annee(
        indicateur_du_document(doc, code),
        "mesures",
        en_yaml(saisie),
        remplacer,
        lambda ancienne: (
            f"l'indicateur « {code} » a déjà une mesure pour {saisie.annee} : "
            f"{texte_mesure(ancienne)}"
        ),
    )
    return effet, None if ancienne is None else texte_mesure(ancienne)


def texte_suivi(ancien: Any) -> str:
    """Un point de suivi écrit en texte : « en_cours, avancement 40 % »."""
    texte = f"{ancien.get('statut')}"
    if "avancement" in ancien:
        texte += f", avancement {ancien['avancement']} %"
    return texte


def poser_suivi(
    doc: CommentedMap, saisie: SaisieSuivi, remplacer: bool
) -> tuple[Effet, str | None]:
    """Ajoute (ou remplace) le point de suivi de l'année ``saisie.annee`` ; rend l'effet
    et l'ancien point de l'année, en texte (None s'il n'y en avait pas)."""

    def conflit(ancien: CommentedMap) -> str:
        return f"la fiche a déjà un point de suivi pour {saisie.annee} : {texte_suivi(ancien)}"

    effet, ancien = _poser_par_annee(doc, "suivi", en_yaml(saisie), remplacer, conflit)
    return effet, None if ancien is None else texte_suivi(ancien)


# --- Lecture, vérification, écriture ---------------------------------------------------


@dataclass
class Contexte:
    """Ce qu'il faut pour vérifier une fiche seule : l'arbre des axes et le contrat."""

    racine: Path
    axes: Axes | None
    contrat: Contrat | None
    annonces: list[str] = field(default_factory=list)  # à dire à l'utilisateur

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
        problemes += controler(ref, frozenset({Niveau.ERREUR}))  # seules les erreurs bloquent
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
    octets: bytes = b""  # le contenu lu, pour vérifier qu'il n'a pas changé avant d'écrire


def ouvrir(chemin: Path, racine: Path) -> FicheOuverte:
    """Lit une fiche pour la modifier ; refuse si sa mise en forme ne peut être gardée."""
    try:
        octets = chemin.read_bytes()
    except OSError as exc:
        raise message_systeme(exc, chemin, "de lire la fiche") from None
    texte = decoder(octets, chemin)
    doc = charger_texte(texte, chemin)
    if not isinstance(doc, CommentedMap):
        raise ErreurDonnees(
            emplacement(chemin, racine),
            1,
            1,
            "la fiche n'est pas un bloc de clés",
            "corrigez-la (cls validate)",
        )
    if vers_texte(doc) != texte:
        raise ErreurDonnees(
            emplacement(chemin, racine),
            1,
            1,
            "la mise en forme de ce fichier ne peut pas être conservée à l'identique "
            "(indentation, guillemets ou sauts de ligne différents du format des fiches)",
            "remettez-le au format des fiches livrées (2 espaces par niveau, tiret des "
            "listes à 2 espaces) puis relancez ; rien n'a été modifié",
            "mise-en-forme",
        )
    return FicheOuverte(chemin, texte, doc, octets.startswith(b"\xef\xbb\xbf"), octets)
