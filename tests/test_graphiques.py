"""Les graphiques du rapport HTML : SVG intégrés sans script, chacun avec un titre et un
tableau de données équivalent, valeurs écrites sur le graphique, lisibles en noir et blanc."""

from __future__ import annotations

import re

import pytest

from cls_cli.avenants import charger_avenants
from cls_cli.calculs import LIBELLES_STATUT
from cls_cli.chargement import charger
from cls_cli.modele_rapport import Rapport
from cls_cli.rapport import construire
from cls_cli.rendu import pourcentage, rendre
from tests import golden
from tests.conftest import DEMO


def _rapport(annee: int, debut: int | None = None) -> Rapport:
    return construire(
        charger(DEMO).referentiel,
        annee,
        golden.DATE,
        golden.ORIGINE,
        debut,
        avenants=charger_avenants(DEMO).valides(),
    )


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def _svg(html: str, titre: str) -> str:
    return next(s for s in _svgs(html) if f"<title>{titre}</title>" in s)


def _luminance(couleur: str) -> float:
    r, g, b = (int(couleur[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize(("annee", "debut"), [(2021, None), (2023, 2020)])
def test_chaque_graphique_a_un_titre_et_aucun_script(annee: int, debut: int | None) -> None:
    html = rendre(_rapport(annee, debut), "html")
    assert "<script" not in html
    svgs = _svgs(html)
    assert len(svgs) >= (3 if debut else 2)
    for svg in svgs:
        assert re.search(
            r"<svg[^>]* role=\"img\" aria-label=\"[^\"]+\"[^>]*>\s*<title>[^<]+</title>", svg
        )


def test_realisation_par_axe_valeur_sur_chaque_barre() -> None:
    r = _rapport(2021)
    svg = _svg(rendre(r, "html"), "Réalisation par axe")
    for axe in r.axes:
        assert f">{axe.code}. {axe.libelle}</text>" in svg  # l'axe par son nom
        assert f">{pourcentage(axe.avancement, 'fr')}</text>" in svg


def test_evolution_valeur_a_chaque_point() -> None:
    r = _rapport(2023, 2020)
    svg = _svg(rendre(r, "html"), "Évolution de l'avancement par axe")
    valeurs = re.findall(r'text-anchor="middle">([^<]+)</text>', svg)
    attendues = [
        pourcentage(e.avancement, "fr")
        for ligne in [*(a.evolution for a in r.axes), r.contrat.evolution]
        for e in ligne
    ]
    assert valeurs == attendues
    assert len(attendues) == 4 * (len(r.axes) + 1)  # 2020 à 2023, chaque axe et le contrat


def test_statuts_par_axe_barres_empilees_et_tableau() -> None:
    r = _rapport(2023)
    html = rendre(r, "html")
    svg = _svg(html, "Statuts par axe")
    for axe in r.axes:
        assert sum(axe.statuts.values()) == len([a for a in r.actions if a.axe == axe.code])
    # un segment par statut présent, avec son nombre en infobulle, dans l'ordre des axes
    segments = re.findall(r"<title>([^<:]+) : (\d+)</title></rect>", svg)
    assert segments == [
        (libelle, str(n))
        for axe in r.axes
        for code, n in axe.statuts.items()
        if n
        for libelle in [LIBELLES_STATUT[code]]
    ]
    # le tableau de données équivalent suit le graphique
    tableau = html.split(svg, 1)[1].split("</table>", 1)[0]
    for axe in r.axes:
        ligne = re.search(rf"<tr><td>{axe.code}\. .*?</tr>", tableau)
        assert ligne, axe.code
        assert re.findall(r'<td class="n">(\d+)</td>', ligne.group(0)) == [
            str(n) for n in axe.statuts.values()
        ]


def test_teintes_des_statuts_distinctes_en_noir_et_blanc() -> None:
    """Imprimées en niveaux de gris, deux teintes voisines restent distinctes (écart de
    luminance d'au moins 0,1), et le chiffre écrit dessus contraste avec elle."""
    svg = _svg(rendre(_rapport(2021), "html"), "Statuts par axe")
    legende = re.findall(r'<rect x="\d+" y="\d+" width="14" height="14" fill="(#[0-9a-f]{6})"', svg)
    assert len(legende) == len(LIBELLES_STATUT)
    luminances = [_luminance(c) for c in legende]
    assert all(b - a <= -0.1 for a, b in zip(luminances, luminances[1:], strict=False))
    for fond, texte in re.findall(
        r'fill="(#[0-9a-f]{6})" stroke[^>]*><title>[^<]*</title></rect>\s*<text[^>]*'
        r'fill="(#[0-9a-f]{6})"',
        svg,
    ):
        assert abs(_luminance(fond) - _luminance(texte)) > 0.4


def test_serie_des_indicateurs_recalculee_a_la_main() -> None:
    """La série du petit graphique : le cumul à chaque année mesurée pour un indicateur
    « somme », la mesure de l'année sinon ; rien pour un indicateur oui/non ou texte."""
    r = _rapport(2023, 2020)
    vus = 0
    for action in r.actions:
        for ind in action.indicateurs:
            mesurees = [m for m in ind.mesures if isinstance(m.valeur, int | float)]
            if ind.type not in ("nombre", "taux"):
                assert ind.serie == []
                continue
            attendu = []
            for m in mesurees:
                valeur = (
                    sum(x.valeur for x in mesurees if x.annee <= m.annee)  # type: ignore[misc]
                    if ind.agregation == "somme" and ind.type == "nombre"
                    else m.valeur
                )
                attendu.append((m.annee, float(valeur)))  # type: ignore[arg-type]
            assert [(p.annee, p.valeur) for p in ind.serie] == attendu, (action.numero, ind.code)
            vus += bool(attendu)
    assert vus > 50


def test_petit_graphique_par_indicateur_contre_sa_cible() -> None:
    r = _rapport(2023, 2020)
    html = rendre(r, "html")
    fiche_1 = html.split('id="fiche-1"', 1)[1].split("</article>", 1)[0]
    ind = next(i for i in next(a for a in r.actions if a.numero == 1).indicateurs if i.serie)
    svg = _svg(fiche_1, f"{ind.libelle} : valeurs et cible")
    assert 'stroke-dasharray="5 3"' in svg  # la cible, en tirets (lisible en noir et blanc)
    assert ">cible 20</text>" in svg
    assert re.findall(r'text-anchor="middle">([^<]+)</text>', svg)[::2] == ["4", "8", "14", "20"]
