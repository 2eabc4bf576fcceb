"""D'où viennent les chiffres : les sources des mesures, regroupées par porteur (l'annexe
« Sources des mesures par porteur » du rapport annuel)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cls_cli.calculs import porteurs
from cls_cli.modeles import Fiche


@dataclass(frozen=True)
class SourcePorteur:
    """Une source citée par les mesures des fiches d'un porteur (``None`` : mesures sans
    source), les fiches concernées et le nombre de mesures."""

    source: str | None
    fiches: tuple[int, ...]
    mesures: int


def sources_par_porteur(
    fiches: Sequence[Fiche], annee: int
) -> list[tuple[str, list[SourcePorteur]]]:
    """Pour chaque porteur (voir :func:`cls_cli.calculs.porteurs`), les sources des mesures
    de ses fiches jusqu'à ``annee`` ; les porteurs par nom, les sources par ordre
    alphabétique, « sans source » en dernier. Un porteur sans aucune mesure n'y figure pas."""
    resultat = []
    for nom, groupe in porteurs(fiches):
        numeros: dict[str | None, set[int]] = {}  # complétés sur place : pas de copie
        comptes: Counter[str | None] = Counter()
        for f in groupe:
            for ind in f.indicateurs:
                for m in ind.mesures:
                    if m.annee <= annee:
                        numeros.setdefault(m.source, set()).add(f.numero)
                        comptes[m.source] += 1
        if comptes:
            ordre = sorted(comptes, key=lambda s: (s is None, (s or "").casefold(), s or ""))
            resultat.append(
                (
                    nom,
                    [SourcePorteur(s, tuple(sorted(numeros[s])), comptes[s]) for s in ordre],
                )
            )
    return sorted(resultat, key=lambda ps: (ps[0].casefold(), ps[0]))
