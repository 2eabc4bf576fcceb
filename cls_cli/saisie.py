"""Lecture des valeurs tapées par une personne (ligne de commande, tableur), à la française.

« 1 500 », « 1 234,5 », « 12,5 % », « oui »/« non » : chaque fonction rend la valeur typée
ou lève ``ValueError`` avec un message français qui dit ce qui est attendu. Une valeur
douteuse est refusée, jamais devinée :

- « 1.234 » ou « 1,234 » (un à trois chiffres, un séparateur, trois chiffres) peut être
  un décimal ou un millier : refusé, avec les deux lectures ;
- « 0,6 » pour un taux ou un avancement peut vouloir dire 0,6 % ou 60 % (une fraction
  tapée dans un tableur) : refusé sans le signe %, sauf si l'unité de l'indicateur n'est
  pas le pour cent ;
- ``inf``, ``nan``, un nombre trop grand pour être exact : refusés.

Une cellule numérique d'un tableur arrive déjà comme nombre (``int`` ou ``float``) ; si
elle est au format pourcentage (0,6 affiché « 60 % »), ``pourcent=True`` la lit comme
l'affiche le tableur (60).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.modeles import STATUTS, Statut, TypeIndicateur, Valeur

Nombre = int | float
#: Ce qu'un tableur ou la ligne de commande donne : un texte, ou un nombre d'une cellule.
Brut = str | int | float

#: Au-delà, un nombre n'est plus exact en virgule flottante : refusé plutôt qu'arrondi.
NOMBRE_MAX = 10**15
_LONGUEUR_MAX = 40

# Espace, insécable, fine insécable, fine, espace de chiffre, apostrophe (1'234 en Suisse).
_ESPACES = re.compile(r"[ \u00a0\u202f\u2009\u2007']+")
_FORME = re.compile(
    r"(?P<signe>[+-]?)(?P<entier>\d{1,3}(?: \d{3})+|\d+)?(?:(?P<sep>[.,])(?P<decimales>\d*))?"
)
_OUI = frozenset({"oui", "o", "vrai", "true", "yes", "1", "x", "réalisé", "realise", "fait"})
_NON = frozenset({"non", "n", "faux", "false", "no", "0", "non réalisé", "non realise", "pas fait"})


def en_francais(nombre: Nombre) -> str:
    """1234.5 -> « 1234,5 » (pour citer un nombre dans un message)."""
    return str(nombre).replace(".", ",")


def ecrire_nombre(nombre: Nombre) -> str:
    """Un nombre écrit pour être relu par :func:`lire_nombre` à l'identique : 74.9 ->
    « 74,9 », 1234.5 -> « 1234,5 » (milliers sans séparateur), jamais en notation
    scientifique. 1.234 s'écrit « 1,2340 » : « 1,234 » serait refusé comme ambigu."""
    if isinstance(nombre, bool) or not math.isfinite(nombre):
        raise ValueError(f"« {nombre} » n'est pas un nombre fini")
    if isinstance(nombre, int) or nombre.is_integer():
        return str(int(nombre))
    entier, _, decimales = format(Decimal(repr(nombre)), "f").partition(".")
    if len(decimales) == 3 and re.fullmatch(r"[1-9]\d{0,2}", entier.lstrip("-")):
        decimales += "0"
    return f"{entier},{decimales}"


def _fini(nombre: Nombre, texte: object) -> Nombre:
    if isinstance(nombre, float) and not math.isfinite(nombre):
        raise ValueError(f"« {texte} » n'est pas un nombre fini")
    if abs(nombre) >= NOMBRE_MAX:
        raise ValueError(f"« {texte} » est trop grand (plus de 15 chiffres) pour être exact")
    if isinstance(nombre, float) and nombre.is_integer():
        return int(nombre)
    return nombre


def lire_nombre(texte: Brut) -> Nombre:
    """« 1 500 » -> 1500 ; « 1 234,5 » -> 1234.5 ; « 1.5 » -> 1.5 ; un nombre reste lui-même.

    Les milliers sont séparés par des espaces (ordinaires, insécables ou fines) ; la
    virgule ou le point sépare les décimales. « 1.234 » et « 1,234 » sont ambigus
    (millier ou décimal ?) et refusés."""
    if isinstance(texte, bool):
        raise ValueError(f"« {texte} » n'est pas un nombre")
    if isinstance(texte, int | float):
        return _fini(texte, en_francais(texte))
    brut = str(texte).strip()
    if len(brut) > _LONGUEUR_MAX:
        raise ValueError(f"« {brut[:_LONGUEUR_MAX]}… » est trop long pour être un nombre")
    forme = _FORME.fullmatch(_ESPACES.sub(" ", brut.replace("\u2212", "-")))
    if forme is None or not (forme["entier"] or forme["decimales"]):
        raise ValueError(f"« {brut} » n'est pas un nombre (exemples : 1 500, 12,5 ou 0,75)")
    entier = (forme["entier"] or "0").replace(" ", "")
    if forme["sep"] is None:
        return _fini(int(forme["signe"] + entier), brut)
    decimales = forme["decimales"]
    if len(decimales) == 3 and re.fullmatch(r"[1-9]\d{0,2}", forme["entier"] or ""):
        entier = forme["signe"] + entier
        millier = entier + decimales
        raise ValueError(
            f"« {brut} » est ambigu : {entier},{decimales} (décimal) ou {millier} (milliers) ? "
            f"Écrivez {entier},{decimales}0 pour le décimal, {millier} pour le nombre entier"
        )
    return _fini(float(f"{forme['signe']}{entier}.{decimales or '0'}"), brut)


def _cent(nombre: Nombre) -> Nombre:
    """0.825 -> 82.5, sans l'erreur d'arrondi de 0.825 * 100 (82.49999999999999)."""
    return _fini(float(Decimal(repr(float(nombre))) * 100), nombre)


def _pourcentage(brut: Brut, pourcent: bool, fraction_douteuse: bool, quoi: str) -> Nombre:
    """Un pourcentage de 0 à 100 : « 12,5 % », « 60 », ou une cellule 0.6 au format %."""
    if isinstance(brut, str):
        texte = brut.strip()
        signe = texte.endswith("%")
        nombre = lire_nombre(texte.removesuffix("%"))
        affiche = texte
    else:
        signe = pourcent
        nombre = lire_nombre(brut)
        if pourcent:  # 0.825 affiché « 82,5 % » : la valeur que voit la personne
            nombre = _cent(nombre)
        affiche = en_francais(nombre) + (" %" if pourcent else "")
    if fraction_douteuse and not signe and 0 < nombre < 1:
        cent = _cent(nombre)
        raise ValueError(
            f"{quoi} « {affiche} » : {en_francais(nombre)} % ou {en_francais(cent)} % ? "
            "Écrivez-le avec le signe % (par exemple « 60 % »)"
        )
    if not 0 <= nombre <= 100:
        raise ValueError(f"{quoi} « {affiche} » hors de 0-100")
    return nombre


def _unite_pour_cent(unite: str | None) -> bool:
    return unite is None or "%" in unite or "pour cent" in unite.lower()


def lire_valeur(
    brut: Brut, type_: TypeIndicateur, *, pourcent: bool = False, unite: str | None = None
) -> Valeur:
    """La valeur d'un indicateur de type ``type_`` écrite par une personne.

    ``pourcent`` : le nombre vient d'une cellule de tableur au format pourcentage ;
    ``unite`` : l'unité de l'indicateur (un taux dont l'unité n'est pas le pour cent
    accepte 0,6 sans signe %)."""
    if isinstance(brut, str):
        brut = brut.strip()
        if not brut:
            raise ValueError("la valeur est vide")
    if type_ == "nombre":
        if pourcent:
            raise ValueError(
                f"« {en_francais(_cent(lire_nombre(brut)))} % » est au format pourcentage : un "
                "nombre est attendu (retirez le format % de la cellule)"
            )
        if isinstance(brut, str) and brut.endswith("%"):
            raise ValueError(f"« {brut} » est un pourcentage : un nombre est attendu")
        nombre = lire_nombre(brut)
        if nombre < 0:
            raise ValueError(f"« {brut} » est négatif : un nombre positif ou nul est attendu")
        return nombre
    if type_ == "taux":
        return _pourcentage(brut, pourcent, _unite_pour_cent(unite), "taux")
    if type_ == "booleen":
        mot = str(brut).lower()
        if mot in _OUI:
            return True
        if mot in _NON:
            return False
        raise ValueError(f"« {brut} » : répondez oui ou non")
    return brut if isinstance(brut, str) else en_francais(lire_nombre(brut))


#: Codes et libellés, écrits avec des espaces (« a lancer », « à lancer », « en cours »…).
_STATUTS_LUS: dict[str, Statut] = {
    **{code.replace("_", " "): code for code in STATUTS},
    **{LIBELLES_STATUT[code]: code for code in STATUTS},
}


def lire_statut(texte: str) -> Statut:
    """« en cours », « en_cours », « En cours », « realisee » -> le code du statut."""
    cle = " ".join(str(texte).lower().replace("_", " ").split())
    if cle in _STATUTS_LUS:
        return _STATUTS_LUS[cle]
    possibles = ", ".join(LIBELLES_STATUT[s] for s in STATUTS)
    raise ValueError(f"statut inconnu « {texte} » : choisissez parmi {possibles}")


def lire_avancement(brut: Brut, *, pourcent: bool = False) -> Nombre:
    """L'avancement d'une action, de 0 à 100 : « 60 », « 60 % », une cellule 0.6 au format %."""
    return _pourcentage(brut, pourcent, True, "avancement")
