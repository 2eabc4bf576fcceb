"""Lecture et écriture des fichiers YAML du projet : le seul module qui parle à ruamel.yaml
et à yaml-rs.

Deux lecteurs, qui lisent chaque valeur de la même façon :

- :func:`charger_rapide` (yaml-rs, écrit en Rust) rend les valeurs simples d'un document,
  dix fois plus vite ; il renvoie à ruamel (:class:`RepliAllerRetour`) tout texte qu'il
  pourrait lire autrement que lui (ancres, étiquettes, yes/no sans guillemets…) ;
- :func:`charger_texte` (ruamel.yaml, « aller-retour ») garde commentaires et positions :
  il sert à écrire, à situer les problèmes, et à lire ce que le lecteur rapide refuse.

Tout le projet écrit par :func:`yaml_aller_retour` (une seule configuration), de sorte
qu'un fichier chargé puis réécrit sans changement reste identique octet pour octet.

Les problèmes de lecture (encodage, tabulations, syntaxe, clés en double) sont levés
sous la forme d'une :class:`~cls_cli.erreurs.ErreurDonnees` qui porte le fichier, la
ligne, la colonne et la correction à apporter.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cls_cli.erreurs import ErreurDonnees

if TYPE_CHECKING:
    from ruamel.yaml import YAML

# ruamel.yaml est importé à l'usage : valider des fichiers que le lecteur rapide lit seul
# n'en a pas besoin.

#: Largeur de ligne assez grande pour que ruamel ne replie jamais un texte français.
LARGEUR = 4096
#: Limites contre les fichiers hostiles ou accidentels (voir SECURITY.md).
TAILLE_MAX = 1_000_000  # octets par fichier
PROFONDEUR_MAX = 50  # niveaux d'imbrication (une fiche en a 5)


class _AncreRefusee(Exception):
    def __init__(self, ligne: int, colonne: int) -> None:
        super().__init__()
        self.ligne, self.colonne = ligne, colonne


@cache
def _composeur_sans_alias() -> type:
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent

    class ComposeurSansAlias(Composer):
        """Refuse ancres (``&a``) et alias (``*a``) dès leur lecture : les données n'en ont
        jamais besoin, et un document « billion laughs » échoue ainsi tout de suite."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            evenement = self.parser.peek_event()
            if isinstance(evenement, AliasEvent) or getattr(evenement, "anchor", None):
                marque = evenement.start_mark
                raise _AncreRefusee(marque.line + 1, marque.column + 1)
            return super().compose_node(parent, index)

    return ComposeurSansAlias


def yaml_aller_retour() -> YAML:
    """La fabrique unique de lecteurs/écrivains YAML « aller-retour » du projet.

    Indentation 2 pour les dictionnaires, listes indentées de 4 avec le tiret à 2,
    guillemets conservés, lignes jamais repliées : c'est le style des fichiers livrés.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.width = LARGEUR
    yaml.allow_duplicate_keys = False
    yaml.Composer = _composeur_sans_alias()  # type: ignore[assignment]
    yaml.max_depth = PROFONDEUR_MAX
    return yaml


def decoder(octets: bytes, chemin: Path) -> str:
    """Décode un fichier en UTF-8 (une BOM initiale est acceptée et retirée).

    Lève ErreurDonnees en situant le premier octet invalide, ou si le fichier dépasse
    :data:`TAILLE_MAX`.
    """
    if len(octets) > TAILLE_MAX:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"fichier trop gros ({len(octets) // 1000} ko, au plus {TAILLE_MAX // 1000} ko)",
            "une fiche tient en quelques ko : vérifiez qu'il s'agit bien du bon fichier",
            regle="taille",
        )
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        avant = octets[: exc.start]
        ligne = avant.count(b"\n") + 1
        colonne = exc.start - (avant.rfind(b"\n") + 1) + 1
        raise ErreurDonnees(
            chemin,
            ligne,
            colonne,
            "le fichier n'est pas encodé en UTF-8",
            "enregistrez-le en UTF-8 (dans votre éditeur : « Enregistrer sous » > encodage UTF-8)",
            regle="encodage",
        ) from None


def verifier_tabulations(texte: str, chemin: Path) -> None:
    """Refuse les tabulations dans l'indentation, que YAML interdit."""
    if "\t" not in texte:
        return
    for numero, ligne in enumerate(texte.splitlines(), start=1):
        indentation = ligne[: len(ligne) - len(ligne.lstrip(" \t"))]
        if "\t" in indentation:
            raise ErreurDonnees(
                chemin,
                numero,
                indentation.index("\t") + 1,
                "tabulation dans l'indentation (YAML n'accepte que des espaces)",
                "remplacez la tabulation par des espaces (2 par niveau)",
                regle="tabulation",
            )


def verifier_fins_de_ligne(texte: str, chemin: Path) -> None:
    """Refuse un fichier qui mélange fins de ligne Windows (CRLF) et Unix (LF)."""
    if "\r" in texte and "\r\n" in texte:
        seules = re.search(r"(?<!\r)\n", texte)
        if seules:
            ligne = texte.count("\n", 0, seules.start()) + 1
            raise ErreurDonnees(
                chemin,
                ligne,
                1,
                "fins de ligne mélangées (Windows CRLF et Unix LF dans le même fichier)",
                "dans votre éditeur, choisissez une seule fin de ligne (LF) et réenregistrez",
                regle="fins-de-ligne",
            )


def charger_texte(texte: str, chemin: Path) -> Any:
    """Analyse un texte YAML en mode aller-retour (commentaires et positions conservés)."""
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    verifier_tabulations(texte, chemin)
    verifier_fins_de_ligne(texte, chemin)
    try:
        return yaml_aller_retour().load(texte)
    except _AncreRefusee as exc:
        raise ErreurDonnees(
            chemin,
            exc.ligne,
            exc.colonne,
            "ancre (&) ou alias (*) YAML : ces raccourcis ne sont pas acceptés",
            "recopiez la valeur en toutes lettres ; un texte qui commence par & ou * "
            "s'écrit entre guillemets",
            regle="alias",
        ) from None
    except MaxDepthExceededError as exc:
        marque = exc.problem_mark or exc.context_mark
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"imbrication trop profonde (plus de {PROFONDEUR_MAX} niveaux)",
            "une fiche n'a que quelques niveaux : vérifiez les crochets et l'indentation",
            regle="profondeur",
        ) from None
    except DuplicateKeyError as exc:
        marque = exc.problem_mark
        cle = str(exc.problem).split('"')[1] if '"' in str(exc.problem) else ""
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"la clé « {cle} » apparaît deux fois dans le même bloc",
            "gardez une seule fois cette clé (fusionnez les deux valeurs)",
            regle="cle-double",
        ) from None
    except MarkedYAMLError as exc:
        marque = exc.problem_mark or exc.context_mark
        raise ErreurDonnees(
            chemin,
            marque.line + 1 if marque else 1,
            marque.column + 1 if marque else 1,
            f"syntaxe YAML invalide : {exc.problem or exc.context}",
            "vérifiez l'indentation, les « : » après chaque clé et les guillemets",
            regle="syntaxe",
        ) from None
    except ValueError:
        # ruamel lit « 2021-13-45 » comme une date et échoue sans dire où.
        ligne = _premiere_date_invalide(texte)
        raise ErreurDonnees(
            chemin,
            ligne,
            1,
            "date impossible" + (f" à la ligne {ligne}" if ligne else ""),
            "écrivez une date qui existe, AAAA-MM-JJ (ou mettez le texte entre guillemets)",
            regle="syntaxe",
        ) from None
    except YAMLError as exc:
        raise ErreurDonnees(
            chemin,
            1,
            1,
            f"syntaxe YAML invalide : {exc}",
            "vérifiez l'indentation, les « : » après chaque clé et les guillemets",
            regle="syntaxe",
        ) from None


# --- Lecteur rapide ---------------------------------------------------------------------


class RepliAllerRetour(Exception):
    """Le lecteur rapide ne lit pas ce texte à coup sûr comme ruamel : relire avec ruamel."""


#: Ce que le lecteur rapide laisse à ruamel, repéré dans le texte avant toute lecture :
#: ancres, alias, étiquettes, sauts de ligne Unicode que YAML 1.1 et 1.2 traitent
#: différemment (des caractères rares : cherchés d'abord d'un coup), directive %YAML.
_CARACTERES_RARES = ("&", "*", "!", "\x85", "\u2028", "\u2029")
_RARES_SUSPECTS = re.compile(r"[&*!]\S|[\x85\u2028\u2029]")
#: Puis, dans les valeurs lues (mises en JSON, où chaque texte est entre guillemets) : un
#: mot que YAML 1.1 lit comme vrai/faux (yes, no, on, off, y, n : sans guillemets, c'est la
#: règle piege-booleen, que seul ruamel sait appliquer), un texte qui commence par _ = <
#: (lu autrement par les deux lecteurs), une date impossible (ruamel la refuse, yaml-rs la
#: lit comme un texte), une date avec heure, un bloc de texte vide (« | » sans ligne :
#: yaml-rs rend un saut de ligne, ruamel un texte vide).
_VALEURS_SUSPECTES = re.compile(
    r'"(?:[yYnN]|[yY]es|YES|[nN]o|NO|[oO]n|ON|[oO]ff|OFF|[_=<][^"]*|\d{4}-\d\d?-\d\d?|(?:\\n)+)"'
)
_DATE = re.compile(r"\b(\d{4})-(\d\d?)-(\d\d?)\b")
#: Au-delà, l'imbrication possible dépasse PROFONDEUR_MAX : au lecteur qui la borne.
_CROCHETS_MAX = PROFONDEUR_MAX
_INDENTATION_SUSPECTE = "\n" + " " * (2 * PROFONDEUR_MAX)


def _premiere_date_invalide(texte: str) -> int:
    """La ligne (à partir de 1) de la première date impossible du texte, 0 s'il n'y en a pas."""
    import datetime as dt

    for m in _DATE.finditer(texte):
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return texte.count("\n", 0, m.start()) + 1
    return 0


def _marque(valeur: object) -> str:
    """Ce que le JSON de contrôle écrit à la place d'une valeur non JSON : une date passe
    (marquée « § »), tout le reste (date avec heure…) est marqué suspect."""
    import datetime as dt

    if isinstance(valeur, dt.date) and not isinstance(valeur, dt.datetime):
        return "§"
    return "_"


#: yaml-rs lit « _1 » comme le nombre 1, ruamel comme un texte.
_SOULIGNE_CHIFFRE = re.compile(r"_[0-9]")
#: yaml-rs lit aussi comme date un texte entre guillemets ("2021-03-15"), ruamel non.
_DATE_ENTRE_GUILLEMETS = re.compile(r"[\"']\d{4}-\d")


def charger_rapide(texte: str, chemin: Path) -> Any:
    """Les valeurs simples (dict, list, str, int, float, bool, date, None) d'un texte YAML,
    lues par yaml-rs (Rust), une dizaine de fois plus vite que ruamel : les mêmes que
    ``en_python(charger_texte(…))``, à ceci près qu'une clé non textuelle (``1:``) reste un
    nombre (les modèles, stricts, la refusent, et tout est alors relu par ruamel).

    Lève :class:`RepliAllerRetour` quand le texte contient une forme que yaml-rs et ruamel
    pourraient lire différemment (voir :data:`_VALEURS_SUSPECTES`), une clé en double ou une
    erreur de syntaxe : c'est alors ruamel qui lit, et qui situe l'erreur. Lève
    ErreurDonnees pour une tabulation d'indentation ou des fins de ligne mélangées.
    """
    verifier_tabulations(texte, chemin)
    verifier_fins_de_ligne(texte, chemin)
    if (
        (any(c in texte for c in _CARACTERES_RARES) and _RARES_SUSPECTS.search(texte))
        or texte.startswith("%")
        or "\n%" in texte
        or ("_" in texte and _SOULIGNE_CHIFFRE.search(texte))
        or "\n---" in texte  # plusieurs documents : ruamel les refuse
        or "\n..." in texte
        or texte.count("[") + texte.count("{") > _CROCHETS_MAX
        or _INDENTATION_SUSPECTE in texte
    ):
        raise RepliAllerRetour
    import json

    import yaml_rs

    try:
        valeurs = yaml_rs.loads(texte)  # clés en double : erreur (réglage par défaut)
        controle = json.dumps(valeurs, ensure_ascii=False, default=_marque, check_circular=False)
    except (yaml_rs.YAMLDecodeError, ValueError, TypeError, RecursionError):
        raise RepliAllerRetour from None
    if _VALEURS_SUSPECTES.search(controle) or (
        '"§"' in controle and _DATE_ENTRE_GUILLEMETS.search(texte)
    ):
        raise RepliAllerRetour
    return valeurs


def charger_fichier(chemin: Path) -> tuple[Any, str]:
    """Lit un fichier YAML ; renvoie (document aller-retour, texte)."""
    texte = decoder(chemin.read_bytes(), chemin)
    return charger_texte(texte, chemin), texte


def vers_texte(document: Any) -> str:
    """Sérialise un document aller-retour avec la configuration du projet."""
    flux = io.StringIO()
    yaml_aller_retour().dump(document, flux)
    return flux.getvalue()
