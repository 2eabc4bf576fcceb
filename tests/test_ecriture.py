"""L'écriture sûre (cls_cli.ecriture) et le filtre des sigles du rapport HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cls_cli.ecriture import ecrire_atomique
from cls_cli.rendu import abreviateur


def test_ecrire_des_morceaux(tmp_path: Path) -> None:
    chemin = tmp_path / "rapport.md"
    ecrire_atomique(chemin, iter(["# Titre\n", "", "Événement « 12 % »\n"]))
    assert chemin.read_bytes() == "# Titre\nÉvénement « 12 % »\n".encode()


def test_erreur_pendant_les_morceaux_garde_l_original(tmp_path: Path) -> None:
    chemin = tmp_path / "rapport.md"
    chemin.write_text("ancien rapport\n", encoding="utf-8")

    def morceaux() -> Iterator[str]:
        yield "début du nouveau…"
        raise RuntimeError("gabarit cassé au milieu du rendu")

    with pytest.raises(RuntimeError):
        ecrire_atomique(chemin, morceaux())
    assert chemin.read_text(encoding="utf-8") == "ancien rapport\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.md"]  # pas de temporaire


def test_abreviateur() -> None:
    abbr = abreviateur({"CLS": "Contrat local de santé", "CLSM": "Conseil <local>"})
    assert str(abbr("Le CLSM & le CLS")) == (
        'Le <abbr title="Conseil &lt;local&gt;">CLSM</abbr> &amp; '
        'le <abbr title="Contrat local de santé">CLS</abbr>'
    )
    assert str(abbr("CLSX")) == "CLSX"  # un mot entier seulement
    assert str(abbr(12)) == "12"
    assert str(abreviateur({})("<b>")) == "&lt;b&gt;"
