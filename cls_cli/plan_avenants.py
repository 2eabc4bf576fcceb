"""Les écritures des avenants par le chemin unique : un plan qui touche l'avenant (et la fiche).

``cls new --avenant N`` crée la fiche ET inscrit « fiche_ajoutee » dans ``avenants/N.yaml`` ;
``cls withdraw NUMERO --avenant N`` inscrit « fiche_retiree » (avec son motif) ET écrit
``retiree`` dans la fiche (quelques lignes insérées après ``numero:``, le reste de la
fiche gardé octet pour octet ; déjà présente et d'accord, la fiche n'est pas touchée). Chaque
fois, :func:`planifier_ajout` ou :func:`planifier_retrait` rend un
:class:`~cls_cli.plan.Plan` que :func:`cls_cli.plan.appliquer` écrit en tout ou rien, sous
le verrou de :func:`cls_cli.plan.session`. Le changement est ajouté en fin de la liste
``changements`` en aller-retour ruamel : le reste du fichier est gardé octet pour octet.

Avant d'écrire, le plan vérifie que l'arbre resterait cohérent (les règles de
``cls validate`` sur les avenants) : une écriture qui ferait apparaître une erreur est
refusée et rien n'est écrit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from cls_cli.avenants import DOSSIER_AVENANTS, Avenant, AvenantCharge, Avenants, charger_avenants
from cls_cli.chargement import FicheChargee, analyser, emplacement, position
from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Niveau, Probleme
from cls_cli.identifiants import identifiant
from cls_cli.modeles import Fiche, Retrait
from cls_cli.plan import Bilan, Plan, planifier_creation
from cls_cli.references import contexte
from cls_cli.suivi import ajouter_dans
from cls_cli.transaction import Changement, message_systeme
from cls_cli.yamlio import charger_texte, decoder, vers_texte

if TYPE_CHECKING:
    from cls_cli.chargement import Referentiel
    from cls_cli.creation import NouvelleFiche


@dataclass(frozen=True)
class AvenantOuvert:
    """Un avenant lu pour y ajouter un changement."""

    charge: AvenantCharge
    avenant: Avenant
    texte: str
    doc: CommentedMap
    octets: bytes


def ouvrir_avenant(racine: Path, avenants: Avenants, numero: int) -> AvenantOuvert:
    """L'avenant n° ``numero``, prêt à recevoir un changement.

    ErreurUsage s'il n'existe pas ; ErreurDonnees s'il est invalide ou si sa mise en forme
    ne peut pas être gardée à l'identique.
    """
    nom = f"{numero}.yaml"
    charge = next(
        (a for a in avenants.fichiers if a.avenant is not None and a.avenant.numero == numero),
        next((a for a in avenants.fichiers if a.chemin.name == nom), None),
    )
    if charge is None:
        numeros = ", ".join(str(a.numero) for a in avenants.valides()) or "aucun"
        raise ErreurUsage(
            f"pas d'avenant n° {numero} (avenants : {numeros}) : commencez-le avec "
            "« cls amend new --date AAAA-MM-JJ --motif … » ; rien n'a été écrit"
        )
    lieu = emplacement(charge.chemin, racine)
    if charge.avenant is None:
        erreur = next(
            (p for p in avenants.problemes if p.chemin == lieu and p.niveau is Niveau.ERREUR),
            None,
        )
        raise ErreurDonnees(
            lieu,
            erreur.ligne if erreur else 1,
            erreur.colonne if erreur else 1,
            f"l'avenant n° {numero} est invalide, rien n'a été écrit"
            + (f" : {erreur.message}" if erreur else ""),
            erreur.correction if erreur and erreur.correction else "corrigez-le (cls validate)",
            erreur.regle if erreur else "",
        )
    try:
        octets = charge.chemin.read_bytes()
    except OSError as exc:
        raise message_systeme(exc, lieu, "de lire l'avenant") from None
    texte = decoder(octets, Path(lieu))
    doc = charger_texte(texte, Path(lieu))
    if not isinstance(doc, CommentedMap) or vers_texte(doc) != texte:
        raise ErreurDonnees(
            lieu,
            1,
            1,
            "la mise en forme de cet avenant ne peut pas être conservée à l'identique "
            "(indentation, guillemets ou sauts de ligne inhabituels) ; rien n'a été écrit",
            "remettez-le au format des avenants créés par « cls amend new » (2 espaces par "
            "niveau, tiret des listes à 2 espaces) ou inscrivez le changement à la main",
            "mise-en-forme",
        )
    return AvenantOuvert(charge, charge.avenant, texte, doc, octets)


def _avec_changement(ouvert: AvenantOuvert, changement: dict[str, Any]) -> str:
    """Le texte de l'avenant avec ``changement`` ajouté en fin de ``changements``."""
    element = CommentedMap()
    for cle, valeur in changement.items():
        element[cle] = valeur
    doc = ouvert.doc
    liste = doc.get("changements")
    if isinstance(liste, CommentedSeq):
        ajouter_dans(liste, None, element)
    else:  # clé absente (le modèle la permet : liste vide par défaut)
        ajouter_dans(doc, "changements", CommentedSeq([element]))
    return vers_texte(doc)


def _relu(racine: Path, ouvert: AvenantOuvert, texte: str) -> AvenantCharge:
    """L'avenant tel qu'il serait écrit ; ErreurDonnees s'il ne serait plus valide."""
    document, avenant, problemes = analyser(
        texte, ouvert.charge.chemin, Avenant, racine, contexte(racine)
    )
    if avenant is None:
        p = problemes[0]
        raise ErreurDonnees(
            p.chemin,
            p.ligne,
            p.colonne,
            f"le changement rendrait l'avenant invalide, rien n'a été écrit : {p.message}",
            p.correction,
            p.regle,
        )
    return AvenantCharge(ouvert.charge.chemin, document, avenant)


def _changement_avenant(ouvert: AvenantOuvert, texte: str) -> Changement:
    bom = "\ufeff" if ouvert.octets.startswith(b"\xef\xbb\xbf") else ""  # gardée, comme lue
    return Changement(ouvert.charge.chemin, (bom + texte).encode("utf-8"), ouvert.octets)


def _deja(avenants: Avenants, fiche: int, types: tuple[str, ...]) -> tuple[Avenant, str] | None:
    """Le premier avenant qui ajoute ou retire déjà la fiche ``fiche`` (et le type)."""
    for av in avenants.valides():
        for ch in av.changements:
            if ch.fiche == fiche and ch.type in types:
                return av, ch.type
    return None


def planifier_ajout(racine: Path, numero_avenant: int, fiche: NouvelleFiche) -> Plan:
    """Le plan de ``cls new --avenant N`` : créer la fiche et l'inscrire dans l'avenant N
    (« fiche_ajoutee »), les deux ou rien."""
    avenants = charger_avenants(racine)
    ouvert = ouvrir_avenant(racine, avenants, numero_avenant)
    deja = _deja(avenants, fiche.numero, ("fiche_ajoutee", "fiche_retiree"))
    if deja is not None:
        av, type_ = deja
        verbe = "ajoute" if type_ == "fiche_ajoutee" else "retire"
        raise ErreurDonnees(
            emplacement(racine / DOSSIER_AVENANTS / f"{av.numero}.yaml", racine),
            1,
            1,
            f"l'avenant n° {av.numero} {verbe} déjà une fiche {identifiant(fiche)}, qui "
            "n'existe pas encore ; rien n'a été écrit",
            f"si cet avenant prévoyait cette fiche, lancez « cls new » sans --avenant ; sinon "
            f"corrigez le numéro dans avenants/{av.numero}.yaml",
            "avenant-fiche-double",
        )
    texte = _avec_changement(ouvert, {"type": "fiche_ajoutee", "fiche": fiche.numero})
    _relu(racine, ouvert, texte)
    creation = planifier_creation(fiche.chemin, fiche.texte)
    return Plan((*creation.changements, _changement_avenant(ouvert, texte)), Bilan())


def _ligne_des_changements(doc: CommentedMap) -> int:
    if "changements" in doc:
        return int(doc.lc.key("changements")[0]) + 1
    return 1


def _cle(p: Probleme) -> tuple[str, str, str]:
    return (p.chemin, p.regle, p.message)


LIGNE_NUMERO = re.compile(r"numero:[ ]*[0-9]+[ ]*(#.*)?\r?\n")


def lignes_retiree(retrait: Retrait, fin_de_ligne: str = "\n") -> str:
    """Le bloc ``retiree:`` tel que l'écrit ruamel avec la configuration du projet."""
    bloc = CommentedMap()
    for cle in ("avenant", "annee", "motif"):
        bloc[cle] = getattr(retrait, cle)
    return vers_texte(CommentedMap([("retiree", bloc)])).replace("\n", fin_de_ligne)


@dataclass(frozen=True)
class Insertion:
    """Le texte de la fiche avec ``retiree`` : ``nombre`` lignes insérées après la ligne
    ``apres`` (celle de ``numero:``, comptée à partir de 1)."""

    texte: str
    apres: int
    nombre: int


def inserer_retiree(texte: str, retrait: Retrait) -> Insertion | None:
    """Le texte de la fiche avec le bloc ``retiree`` inséré après la ligne ``numero:`` du
    premier niveau ; None si cette ligne n'est pas au format des fiches livrées (une seule,
    en tête de ligne, finie par un saut de ligne)."""
    lignes = texte.splitlines(keepends=True)
    rangs = [i for i, ligne in enumerate(lignes) if LIGNE_NUMERO.fullmatch(ligne)]
    if len(rangs) != 1 or any(ligne.startswith("retiree:") for ligne in lignes):
        return None
    rang = rangs[0]
    fin = "\r\n" if lignes[rang].endswith("\r\n") else "\n"
    bloc = lignes_retiree(retrait, fin)
    nouveau = "".join([*lignes[: rang + 1], bloc, *lignes[rang + 1 :]])
    return Insertion(nouveau, rang + 1, bloc.count("\n"))


@dataclass(frozen=True)
class FicheRetiree:
    """La fiche telle que ``cls withdraw`` l'écrirait : son changement (None : elle porte
    déjà le bon ``retiree``), la fiche relue et l'insertion faite (pour situer les lignes)."""

    changement: Changement | None
    chargee: FicheChargee
    insertion: Insertion | None


def _a_la_main(fc: FicheChargee, racine: Path, retrait: Retrait, pourquoi: str) -> ErreurDonnees:
    bloc = lignes_retiree(retrait).rstrip("\n").replace("\n", " / ")
    return ErreurDonnees(
        emplacement(fc.chemin, racine),
        1,
        1,
        f"{pourquoi} ; rien n'a été écrit",
        f"ajoutez vous-même à la fiche les lignes « {bloc} » (sous « numero: »), puis "
        "relancez la commande : elle n'écrira plus que l'avenant",
        "mise-en-forme",
    )


def fiche_retiree(racine: Path, fc: FicheChargee, retrait: Retrait) -> FicheRetiree:
    """La fiche ``fc`` avec ``retiree`` : inchangée si elle le porte déjà (mots du motif
    compris), ErreurDonnees si elle porte un autre retrait ou si l'insertion sortirait du
    format des fiches livrées (jamais de réécriture devinée)."""
    fiche = fc.fiche
    lieu = emplacement(fc.chemin, racine)
    if fiche is None:  # planifier_retrait ne passe que des fiches valides
        raise ErreurUsage(f"{lieu} : fiche invalide (cls validate) ; rien n'a été écrit")
    if fiche.retiree is not None:
        porte = fiche.retiree.model_copy(update={"motif": " ".join(fiche.retiree.motif.split())})
        if porte == retrait:
            return FicheRetiree(None, fc, None)
        raise ErreurDonnees(
            lieu,
            *position(fc.arbre_yaml, ("retiree",)),
            f"la fiche {identifiant(fiche)} porte déjà « retiree » (avenant n° "
            f"{fiche.retiree.avenant}, {fiche.retiree.annee}) ; rien n'a été écrit",
            "si c'est ce retrait qui vaut, supprimez « retiree » de la fiche et relancez ; "
            "sinon, laissez la fiche telle quelle (cls validate dit ce qui manque)",
            "retiree-discordante",
        )
    try:
        octets = fc.chemin.read_bytes()
    except OSError as exc:
        raise message_systeme(exc, lieu, "de lire la fiche") from None
    texte = decoder(octets, Path(lieu))
    insertion = inserer_retiree(texte, retrait)
    if insertion is None:
        raise _a_la_main(
            fc, racine, retrait, "la ligne « numero: » de cette fiche n'a pas la forme attendue"
        )
    document, relue, _ = analyser(insertion.texte, fc.chemin, Fiche, racine)
    if relue is None or relue != fiche.model_copy(update={"retiree": retrait}):
        raise _a_la_main(
            fc,
            racine,
            retrait,
            "la fiche relue après l'ajout de « retiree » ne serait plus la même",
        )
    bom = "\ufeff" if octets.startswith(b"\xef\xbb\xbf") else ""
    changement = Changement(fc.chemin, (bom + insertion.texte).encode("utf-8"), octets)
    return FicheRetiree(changement, FicheChargee(fc.chemin, document, relue), insertion)


def _sur_le_disque(p: Probleme, lieu: str, insertion: Insertion | None) -> int:
    """La ligne de ``p`` dans la fiche telle qu'elle est sur le disque (sans l'insertion)."""
    if insertion is None or p.chemin != lieu or p.ligne <= insertion.apres:
        return p.ligne
    return max(p.ligne - insertion.nombre, insertion.apres)


def planifier_retrait(ref: Referentiel, numero_fiche: int, numero_avenant: int, motif: str) -> Plan:
    """Le plan de ``cls withdraw`` : inscrire « fiche_retiree » (avec ``motif``) dans
    l'avenant N et ``retiree`` dans la fiche, les deux ou rien. Refusé si la fiche n'existe
    pas, est déjà retirée, ou si l'arbre ne serait plus cohérent (une mesure ou un point
    de suivi postérieur à l'année du retrait…)."""
    from cls_cli.regles_avenants import verifier_avenants

    racine = ref.racine
    motif = " ".join(motif.split())
    if not motif:
        raise ErreurUsage("le motif est vide : dites pourquoi la fiche est retirée (--motif …)")
    fc = next(
        (f for f in ref.fiches if f.fiche is not None and f.fiche.numero == numero_fiche), None
    )
    if fc is None:
        raise ErreurUsage(
            f"la fiche {numero_fiche} n'existe pas (ou est invalide : cls validate) ; "
            "rien n'a été écrit (cls list donne les numéros)"
        )
    nom = identifiant(fc.fiche) if fc.fiche else str(numero_fiche)
    avenants = charger_avenants(racine)
    ouvert = ouvrir_avenant(racine, avenants, numero_avenant)
    deja = _deja(avenants, numero_fiche, ("fiche_retiree",))
    if deja is not None:
        av = deja[0]
        raise ErreurUsage(
            f"la fiche {nom} est déjà retirée par l'avenant n° {av.numero} "
            f"({av.date.isoformat()}) ; rien n'a été écrit"
        )
    texte = _avec_changement(
        ouvert, {"type": "fiche_retiree", "fiche": numero_fiche, "motif": motif}
    )
    nouveau = _relu(racine, ouvert, texte)
    retrait = Retrait(avenant=numero_avenant, annee=ouvert.avenant.date.year, motif=motif)
    fiche = fiche_retiree(racine, fc, retrait)
    apres = replace(
        avenants,
        fichiers=[nouveau if a is ouvert.charge else a for a in avenants.fichiers],
    )
    ref_apres = replace(ref, fiches=[fiche.chargee if f is fc else f for f in ref.fiches])
    avant = {_cle(p) for p in verifier_avenants(ref, avenants) if p.niveau is Niveau.ERREUR}
    lieu = emplacement(ouvert.charge.chemin, racine)
    lieu_fiche = emplacement(fc.chemin, racine)
    nouvelles = [
        p
        for p in verifier_avenants(ref_apres, apres)
        if p.niveau is Niveau.ERREUR and _cle(p) not in avant
    ]
    # D'abord ce qui touche l'avenant lui-même (le changement proposé), puis les fiches.
    for p in sorted(nouvelles, key=lambda p: p.chemin != lieu)[:1]:
        ligne, colonne = _sur_le_disque(p, lieu_fiche, fiche.insertion), p.colonne
        if p.chemin == lieu:
            # la position est dans le texte proposé : montrer la liste sur le disque
            ligne, colonne = _ligne_des_changements(ouvert.doc), 1
        raise ErreurDonnees(
            p.chemin,
            ligne,
            colonne,
            f"retirer la fiche {nom} par l'avenant n° {numero_avenant} "
            f"({ouvert.avenant.date.isoformat()}) rendrait l'arbre incohérent, rien n'a "
            f"été écrit : {p.message}",
            p.correction,
            p.regle,
        )
    changements: tuple[Changement, ...] = (_changement_avenant(ouvert, texte),)
    if fiche.changement is not None:
        changements = (*changements, fiche.changement)
    return Plan(changements, Bilan())
