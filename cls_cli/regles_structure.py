"""Les règles de forme de l'arbre des axes et objectifs (axes.yaml) : chaque code est unique,
l'arbre suit la structure déclarée dans contrat.yaml (``structure:``) ; et celles des
identifiants de fiche (uniques, jamais le numéro d'une autre fiche, dans l'ordre des
numéros). Appliquées par :func:`cls_cli.verification.controler` avec les autres règles."""

from __future__ import annotations

from collections.abc import Iterable

from cls_cli.chargement import FicheChargee, Referentiel, emplacement, position
from cls_cli.erreurs import Niveau, Probleme
from cls_cli.identifiants import ambiguite, doublon, identifiant, renumerotation
from cls_cli.modeles import CLE_DU_NIVEAU, Fiche

#: Le nom de chaque niveau de l'arbre, pour les messages.
NOMS_NIVEAUX = {
    "axe": "axe",
    "objectif": "objectif",
    "objectif_strategique": "objectif stratégique",
    "objectif_operationnel": "objectif opérationnel",
}


#: Au-delà, chaque avertissement d'ordre dit seulement le numéro de sa fiche (pas la liste).
_LISTE_MAX = 5


def _codes_axes(ref: Referentiel) -> Iterable[tuple[tuple[int | str, ...], str, list[str]]]:
    """Chaque code de axes.yaml avec son emplacement et les clés de sous-niveaux remplies."""
    for i, axe in enumerate(ref.axes.axes if ref.axes else []):
        remplies = [c for c in ("objectifs", "objectifs_strategiques") if getattr(axe, c)]
        yield ("axes", i, "code"), axe.code, remplies
        for j, o in enumerate(axe.objectifs):
            yield ("axes", i, "objectifs", j, "code"), o.code, []
        for j, os_ in enumerate(axe.objectifs_strategiques):
            base: tuple[int | str, ...] = ("axes", i, "objectifs_strategiques", j)
            yield (*base, "code"), os_.code, []
            for k, oo in enumerate(os_.objectifs_operationnels):
                yield (*base, "objectifs_operationnels", k, "code"), oo.code, []


def regle_arbre_axes(ref: Referentiel) -> Iterable[Probleme]:
    """Chaque code n'apparaît qu'une fois dans l'arbre ; l'arbre suit la structure déclarée
    dans contrat.yaml (``structure:``)."""
    if ref.axes is None:
        return
    vus: dict[str, int] = {}
    chemin = emplacement(ref.racine / "axes.yaml", ref.racine)
    structure = ref.arbre.structure
    attendue = CLE_DU_NIVEAU[structure[1]] if len(structure) > 1 else None
    niveaux = ", ".join(ref.arbre.structure)

    def pb(loc: tuple[int | str, ...], message: str, correction: str) -> Probleme:
        ligne, colonne = position(ref.arbre_yaml_axes, loc)
        return Probleme(chemin, ligne, colonne, Niveau.ERREUR, message, correction, "arbre-axes")

    for loc, code, remplies in _codes_axes(ref):
        ligne = position(ref.arbre_yaml_axes, loc)[0]
        if code in vus:
            yield pb(
                loc,
                f"le code {code} apparaît deux fois (déjà ligne {vus[code]})",
                "donnez à chaque axe et objectif un code unique",
            )
        vus.setdefault(code, ligne)
        for cle in remplies if ref.contrat else ():  # sans contrat lisible, pas de structure
            if cle != attendue:
                yield pb(
                    (*loc[:-1], cle),
                    f"l'axe {code} a des « {cle} », mais contrat.yaml déclare la structure "
                    f"[{niveaux}]",
                    f"rangez ses objectifs sous « {attendue} »"
                    if attendue
                    else "retirez ces objectifs (les fiches se rangent sous l'axe)",
                )


def regle_branches_vides(ref: Referentiel) -> Iterable[Probleme]:
    """Un axe ou un objectif au-dessus du niveau le plus bas sans rien dessous : aucune fiche
    ne peut s'y ranger (un oubli, le plus souvent ; un avertissement)."""
    arbre = ref.arbre
    chemin = emplacement(ref.racine / "axes.yaml", ref.racine)
    for loc, code, _ in _codes_axes(ref):
        noeud = arbre.noeuds.get(code)
        if noeud is None or noeud.enfants or noeud.niveau not in arbre.structure[:-1]:
            continue
        sous = NOMS_NIVEAUX[arbre.structure[arbre.structure.index(noeud.niveau) + 1]]
        ligne, colonne = position(ref.arbre_yaml_axes, loc)
        yield Probleme(
            chemin,
            ligne,
            colonne,
            Niveau.AVERTISSEMENT,
            f"l'{NOMS_NIVEAUX[noeud.niveau]} {code} n'a aucun {sous} : aucune fiche ne peut s'y "
            "ranger",
            f"ajoutez-lui au moins un {sous}, ou retirez-le de axes.yaml",
            "branche-vide",
        )


def regle_identifiants(ref: Referentiel) -> Iterable[Probleme]:
    """L'identifiant d'une fiche (tel que le contrat l'écrit) est unique et n'est pas le
    numéro d'une autre fiche (erreurs) ; l'ordre naturel des identifiants suit celui des
    numéros (avertissement : les rapports classent les fiches par numéro)."""
    valides = [fc for fc in ref.fiches if fc.fiche]
    fiches = [fc.fiche for fc in valides if fc.fiche]

    def pb(fc: FicheChargee, niveau: Niveau, message: str, correction: str, r: str) -> Probleme:
        ligne, colonne = position(fc.arbre_yaml, ("identifiant",))
        chemin = emplacement(fc.chemin, ref.racine)
        return Probleme(chemin, ligne, colonne, niveau, message, correction, r)

    # Chaque fiche n'est comparée qu'à celles qui pourraient la contredire (linéaire).
    par_numero = {f.numero: f for f in reversed(fiches)}  # le premier l'emporte
    premiers: dict[str, Fiche] = {}
    for fc in valides:
        fiche = fc.fiche
        if fiche is None or fiche.identifiant is None:
            continue
        ident = fiche.identifiant
        premier = premiers.setdefault(ident.casefold(), fiche)
        autre = par_numero.get(int(ident)) if ident.isdigit() else None
        for refus, regle in (
            (doublon([premier] if premier is not fiche else [], ident), "identifiant-double"),
            (
                ambiguite([autre] if autre and autre is not fiche else [], ident),
                "identifiant-ambigu",
            ),
        ):
            if refus:
                yield pb(fc, Niveau.ERREUR, *refus, regle)
    nouveaux = renumerotation(fiches)
    if not nouveaux:
        return
    noms = {f.numero: identifiant(f) for f in fiches}
    liste = ", ".join(f"« {noms[n]} » : n° {n} -> {m}" for n, m in sorted(nouveaux.items()))
    for fc in valides:
        if fc.fiche and fc.fiche.numero in nouveaux:
            n = fc.fiche.numero
            correction = (
                f"renumérotez ces fiches ({liste}), numéro et nom de fichier NN-…"
                if len(nouveaux) <= _LISTE_MAX
                else f"donnez-lui le n° {nouveaux[n]}, numéro et nom de fichier NN-… "
                f"({len(nouveaux)} fiches à renuméroter, chacune signalée ici)"
            )
            yield pb(
                fc,
                Niveau.AVERTISSEMENT,
                f"la fiche « {noms[n]} » a le n° {n}, mais l'ordre naturel de son identifiant "
                f"lui donne le n° {nouveaux[n]} : les rapports la classent hors de l'ordre du "
                "contrat",
                correction,
                "identifiant-ordre",
            )
