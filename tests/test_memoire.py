"""La mémoire des calculs répétés : un résultat par objet et par année, le temps d'un
appel de fonction avec_memoire, et rien en dehors."""

from __future__ import annotations

from collections.abc import Callable

from cls_cli.memoire import avec_memoire, retenue


def _compteur() -> tuple[list[tuple[object, int]], Callable[[object, int], tuple[int, int]]]:
    appels: list[tuple[object, int]] = []

    @retenue
    def calcul(objet: object, annee: int) -> tuple[int, int]:
        appels.append((objet, annee))
        return id(objet), annee

    return appels, calcul


def test_un_calcul_par_objet_et_par_annee_pendant_l_appel() -> None:
    appels, calcul = _compteur()
    a, b = object(), object()

    @avec_memoire
    def ensemble() -> list[object]:
        return [calcul(a, 2021), calcul(a, 2021), calcul(a, 2022), calcul(b, 2021)]

    resultats = ensemble()
    assert resultats == [(id(a), 2021), (id(a), 2021), (id(a), 2022), (id(b), 2021)]
    assert appels == [(a, 2021), (a, 2022), (b, 2021)]


def test_sans_memoire_hors_de_l_appel_et_oubliee_apres() -> None:
    appels, calcul = _compteur()
    a = object()
    calcul(a, 2021)
    calcul(a, 2021)
    assert len(appels) == 2
    avec_memoire(lambda: calcul(a, 2021))()
    avec_memoire(lambda: calcul(a, 2021))()
    assert len(appels) == 4  # chaque appel repart d'une mémoire vide


def test_appels_imbriques_partagent_la_memoire() -> None:
    appels, calcul = _compteur()
    a = object()
    interieur = avec_memoire(lambda: calcul(a, 2021))
    avec_memoire(lambda: (interieur(), interieur(), calcul(a, 2021)))()
    assert len(appels) == 1
