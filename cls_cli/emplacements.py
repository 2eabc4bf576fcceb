"""Les emplacements du dossier de données : ses fichiers, et comment on le trouve.

``--data X`` désigne X, tel quel (:func:`dossier_designe`) ; sans ``--data``, le dossier
est cherché en remontant depuis le dossier courant (:func:`trouver_racine`), et la
commande annonce celui qu'elle a trouvé.
"""

from __future__ import annotations

from pathlib import Path

from cls_cli.erreurs import ErreurDonnees, ErreurUsage, Probleme

FICHIER_AXES = "axes.yaml"
FICHIER_CONTRAT = "contrat.yaml"
DOSSIER_FICHES = "actions"


def trouver_racine(depart: Path) -> Path:
    """Le dossier ``data/`` contenant ``axes.yaml`` le plus proche, en remontant."""
    depart = depart.resolve()
    for dossier in (depart, *depart.parents):
        for candidat in (dossier, dossier / "data"):
            if (candidat / FICHIER_AXES).is_file():
                return candidat
    raise ErreurUsage(
        f"aucun dossier de données trouvé depuis {depart} : il faut un dossier « data/ » "
        f"contenant {FICHIER_AXES}. Placez-vous dans le dépôt du contrat ou indiquez-le avec "
        "--data DOSSIER."
    )


def dossier_designe(dossier: Path) -> Path:
    """Le dossier donné par ``--data``, tel quel : il doit contenir ``axes.yaml`` (aucune
    recherche ailleurs, pour ne jamais vérifier un autre arbre que celui demandé)."""
    if not dossier.is_dir():
        raise ErreurUsage(
            f"le dossier de données « {dossier} » (--data) n'existe pas : indiquez le dossier "
            f"qui contient {FICHIER_AXES}, {FICHIER_CONTRAT} et {DOSSIER_FICHES}/"
        )
    if (dossier / FICHIER_AXES).is_file():
        return dossier
    if (dossier / "data" / FICHIER_AXES).is_file():
        correction = f"indiquez le sous-dossier qui le contient : --data {dossier / 'data'}"
    else:
        correction = (
            f"indiquez avec --data le dossier qui contient {FICHIER_AXES}, "
            f"{FICHIER_CONTRAT} et {DOSSIER_FICHES}/, ou créez-y {FICHIER_AXES}"
        )
    raise ErreurDonnees(
        dossier / FICHIER_AXES,
        1,
        1,
        f"{FICHIER_AXES} est introuvable dans le dossier de données désigné par --data ({dossier})",
        correction,
        "fichier-absent",
    )


def emplacement(chemin: Path, racine: Path) -> str:
    """L'emplacement d'un fichier de l'arbre tel que le cœur le note : à partir du dossier de
    données lui-même (``data/actions/07-x.yaml``), sans dépendre du dossier courant. La
    coquille le rend relatif au dossier courant à l'affichage (``console.lieu``)."""
    for fichier, dossier in ((chemin, racine), (chemin.resolve(), racine.resolve())):
        try:
            return str(Path(dossier.name) / fichier.relative_to(dossier))
        except ValueError:
            continue
    return str(chemin)


def relocaliser(p: Probleme, chemin: str) -> Probleme:
    """Le même problème, situé dans le fichier ``chemin``."""
    return Probleme(chemin, p.ligne, p.colonne, p.niveau, p.message, p.correction, p.regle)
