"""Les colonnes du tableau de collecte (``cls template``, ``cls import``, campagne) :
une seule définition, lue par l'écriture (:mod:`cls_cli.tableur`, :mod:`cls_cli.tableur_xlsx`)
et par la relecture."""

from __future__ import annotations

#: (clé, en-tête) ; les colonnes à remplir par le porteur sont dans A_REMPLIR.
COLONNES: tuple[tuple[str, str], ...] = (
    ("fiche", "Fiche"),
    ("action", "Action"),
    ("porteurs", "Porteurs"),
    ("annee", "Année"),
    ("ligne", "Ligne"),
    ("indicateur", "Code indicateur"),
    ("libelle", "Libellé de l'indicateur"),
    ("type", "Type"),
    ("cible", "Cible"),
    ("derniere", "Dernière valeur connue"),
    ("valeur", "Valeur (ou statut)"),
    ("manquante", "Si pas de valeur : pourquoi"),
    ("avancement", "Avancement (%)"),
    ("source", "Source"),
    ("commentaire", "Commentaire"),
)
A_REMPLIR = ("valeur", "manquante", "avancement", "source", "commentaire")
OBLIGATOIRES = (
    "fiche",
    "annee",
    "ligne",
    "indicateur",
    "valeur",
    "manquante",
    "avancement",
    "source",
    "commentaire",
)
LIGNE_INDICATEUR = "indicateur"
LIGNE_STATUT = "statut"
