"""Les thèmes de santé partagés (ticket 22) : vocabulaire du paquet, champ ``theme`` des axes
et des fiches validé, héritage du thème de l'axe."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import DEMO

CODES = [
    "sante-mentale",
    "nutrition",
    "addictions",
    "acces-aux-soins",
    "sante-environnement",
    "parentalite",
    "vieillissement",
    "handicap",
    "prevention",
    "coordination",
]


def test_le_vocabulaire_par_defaut_a_ses_codes_stables() -> None:
    from cls_cli.themes import vocabulaire

    assert list(vocabulaire()) == CODES
    assert vocabulaire()["sante-mentale"] == "Santé mentale"


def test_theme_inconnu_d_une_fiche_situe_et_liste_les_admis(cls, copie_demo: Path) -> None:
    fiche = next((copie_demo / "actions").glob("05-*.yaml"))
    texte = fiche.read_text(encoding="utf-8")
    ligne = texte.splitlines().index("theme: nutrition") + 1
    fiche.write_text(texte.replace("theme: nutrition", "theme: nutritoin"), "utf-8")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert f"{fiche.name}:{ligne}:" in resultat.output
    assert "thème inconnu « nutritoin »" in resultat.output
    assert "« nutrition »" in resultat.output and ", ".join(CODES) in resultat.output


def test_theme_inconnu_d_un_axe_situe(cls, copie_demo: Path) -> None:
    axes = copie_demo / "axes.yaml"
    texte = axes.read_text(encoding="utf-8")
    ligne = texte.splitlines().index("    theme: coordination") + 1
    axes.write_text(texte.replace("theme: coordination", "theme: bidule"), "utf-8")
    resultat = cls("validate", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert f"axes.yaml:{ligne}:" in resultat.output and "« bidule »" in resultat.output


def test_theme_facultatif(cls, copie_demo: Path) -> None:
    """Un arbre sans aucun thème reste valide (data/ n'en a pas : le contrat ne le dit pas)."""
    for chemin in [copie_demo / "axes.yaml", *(copie_demo / "actions").glob("*.yaml")]:
        lignes = chemin.read_text(encoding="utf-8").splitlines(keepends=True)
        chemin.write_text("".join(x for x in lignes if "theme:" not in x), "utf-8")
    assert cls("validate", "--data", copie_demo).exit_code == 0


def test_une_fiche_herite_du_theme_de_son_axe() -> None:
    from cls_cli.chargement import charger
    from cls_cli.themes import SANS_THEME, theme_fiche, themes_des_axes

    ref = charger(DEMO).referentiel
    par_axe = themes_des_axes(ref.axes)
    themes = {f.numero: theme_fiche(f, par_axe, ref.axe_de(f)) for f in ref.fiches_valides()}
    brut = {
        f["numero"]: f.get("theme")
        for f in (YAML(typ="safe").load(c.read_text("utf-8")) for c in (DEMO / "actions").glob("*"))
    }
    assert themes[5] == "nutrition" == brut[5]  # le sien
    assert brut[1] is None and themes[1] == "prevention"  # celui de l'axe 1
    assert SANS_THEME not in themes.values()
    ref.axes = (
        ref.axes.model_copy(
            update={"axes": [a.model_copy(update={"theme": None}) for a in ref.axes.axes]}
        )
        if ref.axes
        else None
    )
    premiere = ref.fiches_valides()[0]
    assert theme_fiche(premiere, themes_des_axes(ref.axes), ref.axe_de(premiere)) == SANS_THEME


def test_export_donne_le_theme_des_axes_et_des_fiches(cls, tmp_path: Path) -> None:
    import sqlite3

    base = tmp_path / "demo.sqlite"
    assert cls("export", "--data", DEMO, "-o", base).exit_code == 0
    with sqlite3.connect(base) as connexion:
        axes = dict(connexion.execute("SELECT code, theme FROM axes").fetchall())
        fiches = dict(connexion.execute("SELECT numero, theme FROM fiches").fetchall())
    assert axes == {
        "1": "prevention",
        "2": "acces-aux-soins",
        "3": "vieillissement",
        "4": "coordination",
    }
    assert fiches[5] == "nutrition" and fiches[16] == "sante-mentale"  # le sien
    assert fiches[1] == "prevention"  # celui de son axe
