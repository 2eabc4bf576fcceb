"""Tests écrits pour tuer les mutants survivants du chemin d'écriture (make mutation) :
valeurs limites et synonymes de la saisie, première mesure d'une liste vide."""

from __future__ import annotations

from pathlib import Path

import pytest

from cls_cli.regles_saisie import SaisieMesure, SaisieSuivi, mesure, numero_du_nom
from cls_cli.saisie import lire_avancement, lire_nombre, lire_statut, lire_valeur
from cls_cli.suivi import poser_mesure, poser_suivi
from cls_cli.yamlio import charger_texte, vers_texte


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [("0", 0), ("100", 100), ("0 %", 0), ("100 %", 100), ("12,5 %", 12.5), ("12,5%", 12.5)],
)
def test_taux_bornes_exactes_et_signe_pour_cent(brut: str, attendu: float) -> None:
    valeur = lire_valeur(brut, "taux")
    assert valeur == attendu and type(valeur) is type(attendu)


@pytest.mark.parametrize("brut", ["-0,1 %", "100,1 %", "101", "-1"])
def test_taux_hors_bornes(brut: str) -> None:
    with pytest.raises(ValueError, match="hors de 0-100"):
        lire_valeur(brut, "taux")


def test_taux_fraction_douteuse_et_cellule_au_format_pour_cent() -> None:
    with pytest.raises(ValueError, match="0,6 % ou 60 %"):
        lire_valeur("0,6", "taux")
    assert lire_valeur("0,6", "taux", unite="points") == 0.6
    assert lire_valeur(0.6, "taux", pourcent=True) == 60
    assert lire_valeur(1, "taux", pourcent=True) == 100
    assert lire_valeur(0, "taux", pourcent=True) == 0


@pytest.mark.parametrize(("brut", "attendu"), [("0", 0), ("100", 100), (0, 0), (100, 100)])
def test_avancement_bornes_exactes(brut: str | int, attendu: int) -> None:
    assert lire_avancement(brut) == attendu


@pytest.mark.parametrize("brut", ["101", "-1", "100,5"])
def test_avancement_hors_bornes(brut: str) -> None:
    with pytest.raises(ValueError):
        lire_avancement(brut)


def test_nombre_zero_et_negatif() -> None:
    assert lire_valeur("0", "nombre") == 0
    with pytest.raises(ValueError, match="négatif"):
        lire_valeur("-1", "nombre")
    with pytest.raises(ValueError, match="pourcentage"):
        lire_valeur("12 %", "nombre")
    assert lire_nombre("1 500") == 1500
    assert lire_nombre("-2,5") == -2.5


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("a lancer", "a_lancer"),
        ("À lancer", "a_lancer"),
        ("en cours", "en_cours"),
        ("EN_COURS", "en_cours"),
        ("realisee", "realisee"),
        ("Réalisée", "realisee"),
        ("reportee", "reportee"),
        ("abandonnee", "abandonnee"),
        ("  en   cours ", "en_cours"),
    ],
)
def test_statuts_avec_et_sans_accents(texte: str, attendu: str) -> None:
    assert lire_statut(texte) == attendu


def test_statut_inconnu() -> None:
    with pytest.raises(ValueError, match="statut inconnu « fini »"):
        lire_statut("fini")


@pytest.mark.parametrize(
    "mot", ["oui", "OUI", "o", "vrai", "true", "yes", "1", "x", "réalisé", "realise", "fait"]
)
def test_synonymes_de_oui(mot: str) -> None:
    assert lire_valeur(mot, "booleen") is True


@pytest.mark.parametrize(
    "mot", ["non", "Non", "n", "faux", "false", "no", "0", "non réalisé", "non realise", "pas fait"]
)
def test_synonymes_de_non(mot: str) -> None:
    assert lire_valeur(mot, "booleen") is False


def test_booleen_ni_oui_ni_non() -> None:
    with pytest.raises(ValueError, match="répondez oui ou non"):
        lire_valeur("peut-être", "booleen")


def test_texte_garde_sa_valeur() -> None:
    assert lire_valeur(" Bilan 2024 ", "texte") == "Bilan 2024"
    assert lire_valeur(12.5, "texte") == "12,5"


def test_mesure_valeur_ou_raison() -> None:
    assert mesure(2024, "nombre", "0", None) == SaisieMesure(2024, 0)
    assert mesure(2024, "nombre", " ", "non transmis") == SaisieMesure(2024, None, "non transmis")
    with pytest.raises(ValueError):
        mesure(2024, "nombre", None, "  ")


def test_numero_du_nom() -> None:
    assert numero_du_nom("007-titre.yaml") == 7
    assert numero_du_nom("titre.yaml") is None
    assert numero_du_nom("12-titre.yml") is None


# --- Première entrée d'une liste vide (aller-retour) ----------------------------------


def test_premiere_mesure_d_une_liste_vide_existante() -> None:
    texte = (
        "indicateurs:\n  - code: a  # indicateur a\n    mesures: []\n    type: nombre\n"
        "  - code: b\n    mesures: []\n"
    )
    doc = charger_texte(texte, Path("x.yaml"))
    assert poser_mesure(doc, "a", SaisieMesure(2022, 0), remplacer=False) == ("ajoutee", None)
    assert poser_mesure(doc, "b", SaisieMesure(2022, 3), remplacer=False) == ("ajoutee", None)
    assert vers_texte(doc) == (
        "indicateurs:\n  - code: a  # indicateur a\n    mesures:\n      - annee: 2022\n"
        "        valeur: 0\n    type: nombre\n  - code: b\n    mesures:\n"
        "      - annee: 2022\n        valeur: 3\n"
    )


def test_premier_point_de_suivi_et_remplacement() -> None:
    doc = charger_texte("numero: 1\nsuivi: []\n", Path("x.yaml"))
    poser_suivi(doc, SaisieSuivi(2022, "en_cours", 0), remplacer=False)
    assert vers_texte(doc) == (
        "numero: 1\nsuivi:\n  - annee: 2022\n    statut: en_cours\n    avancement: 0\n"
    )
    effet, ancien = poser_suivi(doc, SaisieSuivi(2022, "realisee", 100), remplacer=True)
    assert (effet, ancien) == ("remplacee", "en_cours, avancement 0 %")
    assert vers_texte(doc).endswith("statut: realisee\n    avancement: 100\n")


# --- Unités d'un taux, erreurs du système, refus ----------------------------------------


@pytest.mark.parametrize("unite", ["%", "pour cent", "Pour Cent de la population", None])
def test_taux_en_pour_cent_refuse_une_fraction_sans_signe(unite: str | None) -> None:
    with pytest.raises(ValueError, match="0,6 % ou 60 %"):
        lire_valeur("0,6", "taux", unite=unite)


@pytest.mark.parametrize(
    ("numero", "conseil"),
    [
        ("ENOSPC", "le disque est plein : libérez de la place puis relancez"),
        ("EFBIG", "le fichier dépasse la taille permise : libérez de la place ou changez"),
        ("EDQUOT", "votre quota de disque est atteint : libérez de la place"),
        ("EACCES", "permission refusée : vérifiez les droits du dossier (ls -l) ou lancez"),
        ("EPERM", "opération non permise : vérifiez les droits du dossier"),
        ("EROFS", "le disque est en lecture seule : copiez les données ailleurs"),
        ("ENOENT", "le dossier n'existe pas : créez-le ou choisissez un autre chemin"),
        ("EISDIR", "c'est un dossier : donnez un nom de fichier"),
        ("ENOTDIR", "un élément du chemin n'est pas un dossier"),
        ("EIO", "vérifiez le disque et les droits, puis relancez"),
    ],
)
def test_message_systeme(numero: str, conseil: str) -> None:
    import errno

    from cls_cli.transaction import message_systeme

    erreur = message_systeme(OSError(getattr(errno, numero), "raison"), "d/f.yaml", "d'écrire")
    p = erreur.probleme
    assert (p.chemin, p.ligne, p.colonne, p.regle) == ("d/f.yaml", 1, 1, "systeme")
    assert p.message == "impossible d'écrire (raison)"
    assert p.correction.startswith(conseil)
    sans_raison = message_systeme(PermissionError(), "f", "de lire")
    assert sans_raison.probleme.message == "impossible de lire (PermissionError)"


def test_detenteur_du_verrou(tmp_path: Path) -> None:
    from cls_cli.transaction import _detenteur

    assert _detenteur(tmp_path) == "une autre commande cls"
    (tmp_path / "detenteur").write_text("  cls import (pid 12)\n", "utf-8")
    assert _detenteur(tmp_path) == "cls import (pid 12)"


def test_erreur_du_refus() -> None:
    from cls_cli.bilan import erreur_du_refus
    from cls_cli.erreurs import ErreurDonnees, ErreurUsage
    from cls_cli.plan import Refus

    racine = Path("/d")
    conflit = erreur_du_refus(
        Refus("p", 3, "déjà 12", Path("/d/actions/3-a.yaml"), 7, True), racine
    )
    assert isinstance(conflit, ErreurDonnees)
    p = conflit.probleme
    assert (p.chemin, p.ligne, p.colonne, p.regle) == ("d/actions/3-a.yaml", 7, 1, "conflit")
    assert p.message == "déjà 12 ; rien n'a été modifié"
    assert p.correction == "ajoutez --replace pour remplacer l'ancienne valeur"
    usage = erreur_du_refus(Refus("t.csv:4", 3, "inconnu", usage=True), racine)
    assert isinstance(usage, ErreurUsage) and str(usage) == "t.csv:4 : inconnu"
    assert str(erreur_du_refus(Refus("", 3, "inconnu", usage=True), racine)) == "inconnu"
    donnees = erreur_du_refus(Refus("f.yaml", 3, "illisible", ligne=5), racine)
    assert isinstance(donnees, ErreurDonnees)
    assert (donnees.probleme.chemin, donnees.probleme.ligne) == ("f.yaml", 5)
    assert donnees.probleme.message == "illisible"


def test_planifier_creation(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.plan import planifier_creation

    chemin = tmp_path / "9-a.yaml"
    plan = planifier_creation(chemin, "numero: 9\n")
    assert [(c.chemin, c.nouveau, c.ancien) for c in plan.changements] == [
        (chemin, b"numero: 9\n", None)
    ]
    assert plan.bilan.details == [] and plan.bilan.refus == []
    chemin.write_text("x", "utf-8")
    with pytest.raises(ErreurUsage, match="existe déjà : rien n'a été écrit"):
        planifier_creation(chemin, "numero: 9\n")


def test_cellule_au_format_pour_cent_sous_un_pour_cent() -> None:
    # 0,005 affiché « 0,5 % » : la personne a tapé le signe %, pas de doute à lever.
    assert lire_valeur(0.005, "taux", pourcent=True) == 0.5
    with pytest.raises(ValueError, match=r"Écrivez-le avec le signe % \(par exemple « 60 % »\)"):
        lire_valeur(0.5, "taux")


def test_conflit_donne_la_ligne_de_la_valeur_existante() -> None:
    from cls_cli.suivi import Conflit

    texte = (
        "numero: 1\nindicateurs:\n  - code: a\n    mesures:\n      - annee: 2021\n"
        "        valeur: 1\n      - annee: 2022\n        valeur: 2\n"
    )
    doc = charger_texte(texte, Path("x.yaml"))
    with pytest.raises(Conflit, match="déjà une mesure pour 2022 : 2") as exc:
        poser_mesure(doc, "a", SaisieMesure(2022, 3), remplacer=False)
    assert exc.value.ligne == 7


def test_commentaire_final_apres_une_liste_de_textes() -> None:
    # Le commentaire qui suit la dernière liste reste en fin de fichier, la note de fin de
    # ligne reste sur sa ligne.
    doc = charger_texte("numero: 1\npartenaires:\n  - A  # note\n# fin\n", Path("x.yaml"))
    poser_suivi(doc, SaisieSuivi(2022, "en_cours"), remplacer=False)
    assert vers_texte(doc) == (
        "numero: 1\npartenaires:\n  - A  # note\nsuivi:\n  - annee: 2022\n"
        "    statut: en_cours\n# fin\n"
    )


# --- ouvrir : le chemin de l'aller-retour, que l'épissure ne prend plus dans le cas courant


def test_ouvrir_garde_texte_bom_et_octets(tmp_path: Path) -> None:
    from cls_cli.suivi import ouvrir

    chemin = tmp_path / "actions" / "1-a.yaml"
    chemin.parent.mkdir()
    octets = "\ufeffnumero: 1\ntitre: Été\n".encode()
    chemin.write_bytes(octets)
    ouverte = ouvrir(chemin, tmp_path)
    assert (ouverte.chemin, ouverte.texte, ouverte.bom, ouverte.octets) == (
        chemin,
        "numero: 1\ntitre: Été\n",
        True,
        octets,
    )
    assert ouverte.doc["titre"] == "Été"
    chemin.write_bytes(octets[3:])
    assert ouvrir(chemin, tmp_path).bom is False


def test_ouvrir_refuse_ce_qui_ne_se_reecrit_pas(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurDonnees
    from cls_cli.suivi import ouvrir

    chemin = tmp_path / "actions" / "1-a.yaml"
    chemin.parent.mkdir()
    chemin.write_text("- a\n", "utf-8")
    with pytest.raises(ErreurDonnees) as exc:
        ouvrir(chemin, tmp_path)
    p = exc.value.probleme
    affiche = f"{tmp_path.name}/actions/1-a.yaml"
    assert (p.chemin, p.ligne, p.colonne) == (affiche, 1, 1)
    assert (p.message, p.correction) == (
        "la fiche n'est pas un bloc de clés",
        "corrigez-la (cls validate)",
    )
    chemin.write_text("numero: 1\nporteurs:\n- A\n", "utf-8")
    with pytest.raises(ErreurDonnees) as exc:
        ouvrir(chemin, tmp_path)
    p = exc.value.probleme
    assert (p.chemin, p.ligne, p.colonne, p.regle) == (affiche, 1, 1, "mise-en-forme")
    assert p.message == (
        "la mise en forme de ce fichier ne peut pas être conservée à l'identique "
        "(indentation, guillemets ou sauts de ligne différents du format des fiches)"
    )
    assert p.correction == (
        "remettez-le au format des fiches livrées (2 espaces par niveau, tiret des "
        "listes à 2 espaces) puis relancez ; rien n'a été modifié"
    )
    chemin.write_text("numero: [1\n", "utf-8")
    with pytest.raises(ErreurDonnees) as exc:
        ouvrir(chemin, tmp_path)
    assert exc.value.probleme.chemin.endswith("1-a.yaml")


def test_ouvrir_un_fichier_absent(tmp_path: Path) -> None:
    from cls_cli.suivi import ouvrir

    chemin = tmp_path / "absent.yaml"
    with pytest.raises(Exception, match="impossible de lire la fiche") as exc:
        ouvrir(chemin, tmp_path)
    p = exc.value.probleme  # type: ignore[attr-defined]
    assert p.chemin == str(chemin)
    assert p.correction.startswith("le dossier n'existe pas")


def test_import_par_l_aller_retour_garde_la_bom(cls, copie_demo: Path) -> None:
    # Un commentaire dans la liste : pas d'épissure ; l'aller-retour garde la BOM.
    chemin = next((copie_demo / "actions").glob("30-*.yaml"))
    texte = chemin.read_text("utf-8").replace(
        "      - annee: 2022\n", "      # note\n      - annee: 2022\n", 1
    )
    chemin.write_bytes(b"\xef\xbb\xbf" + texte.encode())
    resultat = cls(
        "record", "30", "personnes-concernees", "5", "--year", "2024", "--data", copie_demo
    )
    assert resultat.exit_code == 0, resultat.output
    octets = chemin.read_bytes()
    assert octets.startswith(b"\xef\xbb\xbf") and not octets[3:].startswith(b"\xef\xbb\xbf")
    assert "      - annee: 2024\n        valeur: 5\n" in octets.decode("utf-8-sig")


# --- Survivants du second passage (saisie, regles_saisie) --------------------------------


def test_mesure_transmet_format_unite_date_et_commentaire() -> None:
    import datetime as dt

    assert mesure(2024, "taux", 0.6, None, pourcent=True).valeur == 60
    assert mesure(2024, "taux", "0,6", None, unite="points").valeur == 0.6
    saisie = mesure(2024, "nombre", "3", None, dt.date(2024, 5, 1), "bilan", "note")
    assert saisie == SaisieMesure(2024, 3, None, dt.date(2024, 5, 1), "bilan", "note")


def test_bornes_de_lire_nombre() -> None:
    assert lire_nombre(10**15 - 1) == 10**15 - 1
    with pytest.raises(ValueError, match="trop grand"):
        lire_nombre(10**15)
    assert lire_nombre("0" * 40) == 0
    with pytest.raises(ValueError, match="trop long"):
        lire_nombre("0" * 41)


def test_messages_de_lire_valeur() -> None:
    with pytest.raises(ValueError, match="^la valeur est vide$"):
        lire_valeur("  ", "nombre")
    with pytest.raises(
        ValueError, match=r"nombre est attendu \(retirez le format % de la cellule\)$"
    ):
        lire_valeur(0.5, "nombre", pourcent=True)


# --- Troisième passage : survivants de saisie, bilan, transaction, suivi -----------------


@pytest.mark.parametrize(
    ("nombre", "ecrit"),
    [
        (74.9, "74,9"),
        (1234.5, "1234,5"),
        (1.234, "1,2340"),  # « 1,234 » serait refusé comme ambigu à la relecture
        (-1.234, "-1,2340"),  # le signe ne compte pas dans les chiffres avant la virgule
        (-0.5, "-0,5"),
        (1e-07, "0,0000001"),  # jamais en notation scientifique
        (2.0, "2"),
        (12, "12"),
    ],
)
def test_ecrire_nombre(nombre: float, ecrit: str) -> None:
    from cls_cli.saisie import ecrire_nombre

    assert ecrire_nombre(nombre) == ecrit
    assert lire_nombre(ecrit) == nombre


@pytest.mark.parametrize("nombre", [True, float("inf"), float("nan")])
def test_ecrire_nombre_refuse_ce_qui_n_est_pas_un_nombre_fini(nombre: float) -> None:
    from cls_cli.saisie import ecrire_nombre

    with pytest.raises(ValueError, match=r"^« .+ » n'est pas un nombre fini$"):
        ecrire_nombre(nombre)


def test_erreur_du_refus_d_une_fiche_illisible_n_est_pas_un_conflit() -> None:
    from cls_cli.bilan import erreur_du_refus
    from cls_cli.erreurs import ErreurDonnees
    from cls_cli.plan import Refus

    # Le refus d'une fiche illisible porte son chemin, mais --replace n'y changerait rien.
    refus = Refus("d/actions/3-a.yaml", 3, "illisible", Path("/d/actions/3-a.yaml"), 5)
    erreur = erreur_du_refus(refus, Path("/d"))
    assert isinstance(erreur, ErreurDonnees)
    p = erreur.probleme
    assert (p.chemin, p.ligne, p.colonne, p.message) == ("d/actions/3-a.yaml", 5, 1, "illisible")
    assert "--replace" not in p.texte()


def test_message_systeme_sans_numero_d_erreur() -> None:
    from cls_cli.transaction import message_systeme

    p = message_systeme(OSError("panne"), "f", "d'écrire").probleme
    assert p.correction == "vérifiez le disque et les droits, puis relancez"


def test_transaction_en_plan(tmp_path: Path) -> None:
    from cls_cli.transaction import transaction_en_plan

    assert transaction_en_plan(tmp_path) is False
    (tmp_path / ".cls").mkdir()
    assert transaction_en_plan(tmp_path) is False
    (tmp_path / ".cls" / "transaction.json").write_text("{}", "utf-8")
    assert transaction_en_plan(tmp_path) is True


def test_ligne_vide_et_commentaire_apres_une_liste_de_textes() -> None:
    # Le commentaire qui suit une liste de textes, séparé par une ligne vide, passe sous
    # l'entrée ajoutée, une seule fois.
    doc = charger_texte("numero: 1\npartenaires:\n  - A\n\n# fin\n", Path("x.yaml"))
    poser_suivi(doc, SaisieSuivi(2022, "en_cours"), remplacer=False)
    assert vers_texte(doc) == (
        "numero: 1\npartenaires:\n  - A\nsuivi:\n  - annee: 2022\n    statut: en_cours\n\n# fin\n"
    )


def test_phrase_d_une_saisie_inchangee() -> None:
    from cls_cli.bilan import phrase_detail
    from cls_cli.plan import Detail

    d = Detail(30, Path("f.yaml"), "mesure", "p", 2023, "inchangee", "32", "32")
    assert phrase_detail(d) == "Fiche 30, p, 2023 : 32 (saisie déjà présente, inchangée)"
    s = Detail(30, Path("f.yaml"), "statut", "", 2023, "remplacee", "a_lancer", "en_cours")
    assert phrase_detail(s) == "Fiche 30, suivi, 2023 : a_lancer -> en_cours (remplacé)"


def test_cellule_pour_cent_trop_grande_cite_la_cellule() -> None:
    with pytest.raises(ValueError, match=r"^« 10000000000000 » est trop grand"):
        lire_valeur(10**13, "taux", pourcent=True)


def test_premiere_entree_d_une_liste_vide_suivie_d_une_cle_commentee() -> None:
    # « suivi: [] » n'est pas la dernière clé : la liste prend sa place, et la note de
    # fin de ligne de la clé suivante reste sur sa ligne.
    doc = charger_texte("numero: 1\nsuivi: []\ntitre: t  # n\n# fin\n", Path("x.yaml"))
    poser_suivi(doc, SaisieSuivi(2022, "en_cours"), remplacer=False)
    assert vers_texte(doc) == (
        "numero: 1\nsuivi:\n  - annee: 2022\n    statut: en_cours\ntitre: t  # n\n# fin\n"
    )


def test_ouvrir_une_fiche_qui_n_est_pas_en_utf8(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurDonnees
    from cls_cli.suivi import ouvrir

    chemin = tmp_path / "1-a.yaml"
    chemin.write_bytes(b"numero: 1\ntitre: \xe9t\xe9\n")
    with pytest.raises(ErreurDonnees) as exc:
        ouvrir(chemin, tmp_path)
    assert (exc.value.probleme.chemin, exc.value.probleme.ligne) == (str(chemin), 2)


def test_vider_un_sync_pour_plusieurs_fichiers_sinon_fsync(tmp_path: Path, monkeypatch) -> None:
    import os

    from cls_cli.transaction import _vider

    chemins = [tmp_path / f"{i}.tmp" for i in range(3)]
    for c in chemins:
        c.write_bytes(b"x")
    appels: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: appels.append("sync"))
    monkeypatch.setattr(os, "fsync", lambda _fd: appels.append("fsync"))
    _vider(chemins[:1])
    assert appels == ["fsync"]  # un seul fichier : son fsync suffit
    appels.clear()
    _vider(chemins[:2])
    assert appels == ["sync"]
    appels.clear()
    monkeypatch.delattr(os, "sync")  # un système sans sync
    _vider(chemins)
    assert appels == ["fsync"] * 3


def test_appliquer_une_creation(tmp_path: Path) -> None:
    from cls_cli.transaction import Changement, _hachage, appliquer

    assert _hachage(None) is None
    nouveau = tmp_path / "actions" / "9-a.yaml"
    appliquer(tmp_path, [Changement(nouveau, b"numero: 9\n", None)])
    assert nouveau.read_bytes() == b"numero: 9\n"
    assert sorted(p.name for p in (tmp_path / ".cls").iterdir()) == [".gitignore"]


def test_ecrire_vide_sur_le_disque_par_defaut(tmp_path: Path, monkeypatch) -> None:
    import os

    from cls_cli.transaction import _ecrire

    appels: list[int] = []
    monkeypatch.setattr(os, "fsync", appels.append)
    _ecrire(tmp_path / "journal.tmp", b"{}", 0o640)
    assert len(appels) == 1  # le journal est vidé sur le disque avant les renommages
    _ecrire(tmp_path / "0.tmp", b"x", 0o600, vider=False)
    assert len(appels) == 1
    assert (tmp_path / "journal.tmp").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "0.tmp").read_bytes() == b"x"


def test_sauvegarde_par_copie_sans_lien_physique(tmp_path: Path, monkeypatch) -> None:
    import errno
    import os

    from cls_cli.transaction import _sauvegarder

    def sans_lien(*_args: object) -> None:
        raise OSError(errno.EPERM, "pas de lien physique sur ce disque")

    monkeypatch.setattr(os, "link", sans_lien)
    fiche = tmp_path / "1-a.yaml"
    fiche.write_bytes(b"numero: 1\n")
    _sauvegarder(fiche, tmp_path / "0.ancien")
    assert (tmp_path / "0.ancien").read_bytes() == b"numero: 1\n"
    assert fiche.read_bytes() == b"numero: 1\n"


def test_ecrire_refuse_un_fichier_relu_different(tmp_path: Path, monkeypatch) -> None:
    from cls_cli.transaction import _ecrire, message_systeme

    monkeypatch.setattr(Path, "read_bytes", lambda _self: b"autre chose")
    with pytest.raises(OSError) as exc:
        _ecrire(tmp_path / "0.tmp", b"x", 0o600, vider=False)
    p = message_systeme(exc.value, "f", "d'écrire").probleme
    assert p.message == (
        "impossible d'écrire (le fichier relu ne contient pas ce qui vient d'y être écrit)"
    )
    assert p.correction == "vérifiez le disque et les droits, puis relancez"


def test_chemin_fiche_se_sert_de_l_index_donne(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.regles_saisie import chemin_fiche

    # L'index évite de relire le dossier pour chacune de milliers de fiches : il fait foi.
    index = {3: [tmp_path / "actions" / "3-a.yaml"]}
    assert chemin_fiche(tmp_path, 3, index) == tmp_path / "actions" / "3-a.yaml"
    with pytest.raises(ErreurUsage) as exc:
        chemin_fiche(tmp_path, 4, index)
    assert str(exc.value) == (
        f"la fiche 4 n'existe pas dans {tmp_path / 'actions'} (cls list affiche les fiches)"
    )


def test_chemin_fiche_refuse_deux_fichiers_pour_un_numero(tmp_path: Path) -> None:
    from cls_cli.erreurs import ErreurUsage
    from cls_cli.regles_saisie import chemin_fiche

    index = {3: [tmp_path / "03-a.yaml", tmp_path / "3-b.yaml"]}
    with pytest.raises(ErreurUsage) as exc:
        chemin_fiche(tmp_path, 3, index)
    assert str(exc.value) == (
        "plusieurs fichiers pour la fiche 3 : 03-a.yaml, 3-b.yaml ; gardez-en un"
    )
