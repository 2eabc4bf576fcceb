"""Les lectures jamais fausses en silence : le dossier de données, chaque fiche comptée,
les nombres finis, les années du contrat, la sortie terminal sûre (ticket 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CAS


def test_data_explicite_sans_axes_dans_un_arbre_valide(cls, copie_data: Path) -> None:
    """--data X veut dire X : pas de recherche vers le haut qui validerait un autre arbre."""
    sous_dossier = copie_data / "actions"
    resultat = cls("validate", "--data", sous_dossier)
    assert resultat.exit_code == 1
    assert "axes.yaml est introuvable dans le dossier de données désigné par --data" in (
        resultat.output
    )
    assert "fiches vérifiées" not in resultat.output
    assert "Traceback" not in resultat.output


def test_data_explicite_propose_le_sous_dossier_data(cls, copie_data: Path) -> None:
    resultat = cls("list", "--data", copie_data.parent)
    assert resultat.exit_code == 1
    assert f"--data {copie_data}" in " ".join(resultat.output.split())


def test_data_explicite_inexistant_code_2(cls, tmp_path: Path) -> None:
    resultat = cls("validate", "--data", tmp_path / "absent")
    assert resultat.exit_code == 2
    assert "n'existe pas" in resultat.output


def test_data_explicite_n_annonce_rien(cls, copie_data: Path) -> None:
    resultat = cls("validate", "--data", copie_data)
    assert resultat.exit_code == 0
    assert resultat.stderr == ""


def test_actions_vide_est_une_erreur(cls, arbre_vide: Path) -> None:
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "aucune fiche dans actions/" in resultat.output
    assert "(aucune-fiche)" in resultat.output


def test_contrat_absent_est_une_erreur(cls, arbre_vide: Path) -> None:
    shutil.copy(CAS / "valides" / "01-complete.yaml", arbre_vide / "actions" / "01-a.yaml")
    (arbre_vide / "contrat.yaml").unlink()
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "contrat.yaml est introuvable" in resultat.output
    assert "(fichier-absent)" in resultat.output


def _casser_une_fiche(data: Path) -> str:
    """Rend invalide la première fiche de ``data`` (une clé inconnue) ; rend son nom."""
    fiche = sorted((data / "actions").glob("*.yaml"))[0]
    fiche.write_text(fiche.read_text(encoding="utf-8") + "porteur: x\n", encoding="utf-8")
    return fiche.name


@pytest.mark.parametrize(
    "commande",
    [("report", "--year", "2021"), ("stats", "--year", "2021"), ("list",)],
)
def test_fiche_invalide_refusee(cls, copie_demo: Path, commande: tuple[str, ...]) -> None:
    """Jamais un total plus petit avec un code 0 : la fiche invalide est nommée."""
    nom = _casser_une_fiche(copie_demo)
    resultat = cls(*commande, "--data", copie_demo)
    assert resultat.exit_code == 1
    sortie = " ".join(resultat.output.split())
    assert f"1 fiche(s) ne se chargent pas et manqueraient au résultat : {nom}" in sortie
    assert "cls validate" in sortie and "--partial" in sortie
    assert "Traceback" not in resultat.output


@pytest.mark.parametrize(
    "commande", [("stats", "--year", "2021"), ("list",)], ids=["stats", "list"]
)
def test_partiel_bandeau_terminal(cls, copie_demo: Path, commande: tuple[str, ...]) -> None:
    nom = _casser_une_fiche(copie_demo)
    resultat = cls(*commande, "--partial", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    sortie = " ".join(resultat.output.split())
    assert "Résultat partiel : 1 fiche(s) laissée(s) de côté" in sortie
    assert nom in sortie and "clé inconnue « porteur »" in sortie


@pytest.mark.parametrize("format_", ["md", "html", "json"])
def test_partiel_bandeau_rapport(cls, copie_demo: Path, format_: str) -> None:
    nom = _casser_une_fiche(copie_demo)
    resultat = cls("report", "--year", "2021", "-f", format_, "--partial", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    if format_ == "json":
        ecartees = json.loads(resultat.stdout)["fiches_ecartees"]
        assert [Path(e["fichier"]).name for e in ecartees] == [nom]
        assert "clé inconnue « porteur »" in ecartees[0]["problemes"][0]["message"]
    else:
        assert "Rapport partiel : 1 fiche(s) laissée(s) de côté." in resultat.stdout
        assert nom in resultat.stdout and "porteur" in resultat.stdout


def test_axes_invalide_refuse_meme_partiel(cls, copie_demo: Path) -> None:
    (copie_demo / "axes.yaml").write_text("axes: 3\n", encoding="utf-8")
    resultat = cls("stats", "--year", "2021", "--partial", "--data", copie_demo)
    assert resultat.exit_code == 1
    assert "axes.yaml" in resultat.output


def _fiche_complete(arbre: Path, remplacer: tuple[str, str] | None = None) -> Path:
    texte = (CAS / "valides" / "01-complete.yaml").read_text(encoding="utf-8")
    if remplacer is not None:
        assert remplacer[0] in texte
        texte = texte.replace(*remplacer, 1)
    chemin = arbre / "actions" / "01-x.yaml"
    chemin.write_text(texte, encoding="utf-8")
    return chemin


@pytest.mark.parametrize("nombre", [".inf", "-.inf", ".nan", ".NaN", "1e400"])
def test_nombre_non_fini_refuse_dans_une_fiche(cls, arbre_vide: Path, nombre: str) -> None:
    _fiche_complete(arbre_vide, ("valeur: 12", f"valeur: {nombre}"))
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "doit être un nombre fini" in resultat.output or "au plus" in resultat.output
    assert "doit valoir true ou false" not in resultat.output


def test_budget_infini_refuse(cls, arbre_vide: Path) -> None:
    _fiche_complete(arbre_vide, ("  texte: Chartres métropole\n", "  texte: x\n  budget: .inf\n"))
    resultat = cls("validate", "--data", arbre_vide)
    assert resultat.exit_code == 1
    assert "« ressources.budget » doit être un nombre fini" in resultat.output


def test_record_inf_refuse(cls, arbre_vide: Path) -> None:
    chemin = _fiche_complete(arbre_vide)
    avant = chemin.read_bytes()
    resultat = cls("record", "1", "participants", "inf", "--year", "2022", "--data", arbre_vide)
    assert resultat.exit_code in (1, 2)
    assert chemin.read_bytes() == avant


def test_rapport_json_strict(cls, copie_demo: Path) -> None:
    """Le rapport JSON est du JSON strict : ni Infinity ni NaN, même pour des valeurs
    extrêmes."""

    def refuser(constante: str) -> None:
        raise AssertionError(f"constante non JSON : {constante}")

    resultat = cls("report", "--year", "2021", "-f", "json", "--data", copie_demo)
    assert resultat.exit_code == 0
    json.loads(resultat.stdout, parse_constant=refuser)


def test_encodeur_json_refuse_nan() -> None:
    """Le modèle du rapport refuse NaN à la construction (jamais de ``null`` silencieux)."""
    from cls_cli.modele_rapport import PointEvolution

    with pytest.raises(ValueError, match="finite number"):
        PointEvolution(annee=2021, avancement=float("nan"))


@pytest.mark.parametrize(
    "commande",
    [
        ("report", "--year", "99999"),
        ("report", "--year", "2021", "--from", "1999"),
        ("stats", "--year", "99999"),
        ("stats", "--year", "2031"),
        ("list", "--year", "2014"),
        ("template", "--year", "99999", "-o", "{tmp}/t.csv"),
    ],
)
def test_annee_hors_periode_refusee(
    cls, copie_demo: Path, tmp_path: Path, commande: tuple[str, ...]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in commande]
    resultat = cls(*args, "--data", copie_demo)
    assert resultat.exit_code == 2
    assert "hors de la période du contrat (2020-2025) plus 5 ans" in resultat.output
    assert "de 2015 à 2030" in resultat.output
    assert not (tmp_path / "t.csv").exists()


@pytest.mark.parametrize("annee", [2015, 2030])
def test_annee_dans_la_marge_acceptee(cls, copie_demo: Path, annee: int) -> None:
    assert cls("stats", "--year", str(annee), "--data", copie_demo).exit_code == 0


def test_annees_permises_sans_contrat() -> None:
    from cls_cli.periode import annees_permises

    assert annees_permises(None) == (1900, 2100)


ESC_TITRE = 'titre: "Titre \\e[2J\\e]0;pirate\\a\\e[31m rouge"'


def _titre_avec_esc(chemin: Path) -> None:
    lignes = chemin.read_text(encoding="utf-8").splitlines(keepends=True)
    lignes = [ESC_TITRE + "\n" if ligne.startswith("titre:") else ligne for ligne in lignes]
    chemin.write_text("".join(lignes), encoding="utf-8")


def _sans_controle(sortie: str) -> None:
    assert "\x1b" not in sortie and "\x07" not in sortie
    assert "\\x1b" in sortie and "\\x07" in sortie  # montrés, échappés


def test_esc_dans_un_titre_show(cls, arbre_vide: Path) -> None:
    _titre_avec_esc(_fiche_complete(arbre_vide))
    resultat = cls("show", "1", "--data", arbre_vide)
    assert resultat.exit_code == 0
    _sans_controle(resultat.output)


@pytest.mark.parametrize("format_", ["text", "md"])
def test_esc_dans_un_titre_diff_et_history(cls, tmp_path: Path, format_: str) -> None:
    from tests.scenarios_git import FICHE_7, depot_initial, enregistrer

    data = depot_initial(tmp_path)
    _titre_avec_esc(data / "actions" / FICHE_7)
    resultat = cls("diff", "--format", format_, "--data", data)
    assert resultat.exit_code == 0, resultat.output
    _sans_controle(resultat.output)
    enregistrer(data, "Titre \x1b[31m piégé")
    resultat = cls("history", "7", "--format", format_, "--data", data)
    assert resultat.exit_code == 0, resultat.output
    _sans_controle(resultat.output)


def test_esc_dans_un_titre_rapport_markdown_sur_la_sortie(cls, copie_demo: Path) -> None:
    _titre_avec_esc(sorted((copie_demo / "actions").glob("*.yaml"))[0])
    resultat = cls("report", "--year", "2021", "--data", copie_demo)
    assert resultat.exit_code == 0, resultat.output
    _sans_controle(resultat.stdout)


def test_esc_dans_le_rapport_json_reste_du_json(cls, copie_demo: Path) -> None:
    _titre_avec_esc(sorted((copie_demo / "actions").glob("*.yaml"))[0])
    resultat = cls("report", "--year", "2021", "-f", "json", "--data", copie_demo)
    assert "\x1b" not in resultat.stdout
    titres = [a["titre"] for a in json.loads(resultat.stdout)["actions"]]
    assert "Titre \x1b[2J\x1b]0;pirate\x07\x1b[31m rouge" in titres


def test_tous_les_problemes_d_une_fiche(cls, arbre_vide: Path) -> None:
    """Une fiche sans huit clés obligatoires : huit problèmes, pas le premier seulement."""
    (arbre_vide / "actions" / "01-x.yaml").write_text(
        'numero: 1\nobjectif: "1.1.1"\n', encoding="utf-8"
    )
    sortie = cls("validate", "--data", arbre_vide).output
    manquantes = [
        "titre",
        "porteurs",
        "partenaires",
        "description",
        "public_cible",
        "territoire",
        "calendrier",
        "ressources",
    ]
    for cle in manquantes:
        assert f"la clé obligatoire « {cle} » manque" in sortie, cle
    assert sortie.count("(modele)") == len(manquantes)


def test_code_d_axe_invalide_conseil_juste(cls, copie_demo: Path) -> None:
    axes = copie_demo / "axes.yaml"
    texte = axes.read_text(encoding="utf-8")
    axes.write_text(texte.replace('code: "1"', 'code: "A 1"', 1), encoding="utf-8")
    sortie = cls("validate", "--data", copie_demo).output
    assert "« axes[1].code » a une forme invalide ('A 1')" in sortie
    assert "s'écrit comme dans le contrat, sans espace" in sortie
    assert "minuscules sans accents" not in sortie


def test_axes_vide_dit_quoi_y_mettre(cls, copie_demo: Path) -> None:
    (copie_demo / "axes.yaml").write_text("", encoding="utf-8")
    sortie = cls("validate", "--data", copie_demo).output
    assert "le fichier est vide" in sortie and "« axes: »" in sortie
    assert "supprimez-le" not in sortie
    (copie_demo / "axes.yaml").write_text("axes: []\n", encoding="utf-8")
    sortie = " ".join(cls("validate", "--data", copie_demo).output.split())
    assert "« axes » ne doit pas être vide ; correction : ajoutez au moins un axe" in sortie


def test_objectif_inconnu_propose_des_codes(cls, arbre_vide: Path) -> None:
    _fiche_complete(arbre_vide, ('objectif: "1.1.1"', 'objectif: "1.1.9"'))
    sortie = cls("validate", "--data", arbre_vide).output
    assert "les plus proches : 1.1." in sortie
    assert "cls list affiche" not in sortie


def test_show_affiche_le_code_des_indicateurs(cls) -> None:
    """cls record a besoin du code de l'indicateur : cls show le montre."""
    from tests.conftest import DATA

    sortie = cls("show", "28", "--data", DATA).output
    assert "code : pharmaciens-partenaires" in sortie


def test_emplacements_du_coeur_sans_dossier_courant(tmp_path: Path, monkeypatch) -> None:
    """Le cœur situe les fichiers à partir du dossier de données, où que la commande soit
    lancée ; seule la coquille les rend relatifs au dossier courant."""
    from cls_cli.emplacements import emplacement

    racine = tmp_path / "data"
    fiche = racine / "actions" / "07-x.yaml"
    vus = set()
    for dossier in (tmp_path, racine / "actions", Path("/")):
        dossier.mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(dossier)
        vus.add(emplacement(fiche, racine))
    assert vus == {str(Path("data") / "actions" / "07-x.yaml")}


def test_validate_depuis_actions_montre_des_chemins_relatifs(cls, arbre_vide: Path, monkeypatch):
    _fiche_complete(arbre_vide, ('objectif: "1.1.1"', 'objectif: "1.1.9"'))
    monkeypatch.chdir(arbre_vide / "actions")
    resultat = cls("validate")
    assert resultat.stdout.startswith("01-x.yaml:"), resultat.stdout
    monkeypatch.chdir(arbre_vide.parent)
    assert cls("validate").stdout.startswith("data/actions/01-x.yaml:")
