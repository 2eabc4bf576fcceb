"""Chromium headless pour les tests d'impression.

- :func:`imprimer_pdf` : « imprimer en PDF » une page HTML, comme le ferait l'utilisateur
  (``chromium --print-to-pdf``) ;
- :func:`verifier_a4` : l'assertion commune, toutes les pages en A4 ; :func:`texte_pdf` :
  le texte du PDF, espaces et ligatures normalisés ;
- :class:`Navigateur` : Chromium piloté par le protocole DevTools (CDP) sur un tube, sans
  bibliothèque, pour mesurer la page avec le média « print » émulé ou à la largeur d'un
  téléphone.

``--remote-debugging-pipe`` : Chromium lit les commandes sur le descripteur 3 et répond sur
le 4, chaque message JSON terminé par un octet nul.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from pypdf import PdfReader

#: A4 en pouces (le format que le rapport demande par ``@page { size: A4 }``).
A4_POUCES = (210 / 25.4, 297 / 25.4)
#: A4 en points PDF (1/72 de pouce).
A4_POINTS = (595.28, 841.89)


def chromium() -> str:
    chemin = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chemin, "Chromium manque : make test l'installe (paquet Debian « chromium »)"
    return chemin


def imprimer_pdf(html: str, dossier: Path) -> Path:
    """Écrit ``html`` dans ``dossier`` et l'imprime en PDF avec Chromium headless (sans
    en-tête ni pied de page du navigateur : ceux de ``@page`` seuls) ; rend le PDF."""
    page, pdf = dossier / "page.html", dossier / "page.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={dossier / 'profil'}", "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    return pdf


def verifier_a4(pdf: Path | bytes) -> PdfReader:
    """Vérifie que chaque page du PDF est en A4 (à un point près) ; rend son lecteur."""
    lecteur = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    assert lecteur.pages, "le PDF n'a aucune page"
    for numero, page in enumerate(lecteur.pages, start=1):
        taille = (float(page.mediabox.width), float(page.mediabox.height))
        assert all(abs(t - a) <= 1 for t, a in zip(taille, A4_POINTS, strict=True)), (
            f"page {numero} : {taille[0]:.0f} × {taille[1]:.0f} points, pas A4 (595 × 842)"
        )
    return lecteur


def texte_pdf(lecteur: PdfReader) -> str:
    """Le texte de toutes les pages, espaces réduits et ligatures (ﬀ) redevenues lettres."""
    texte = " ".join(" ".join((p.extract_text() or "").split()) for p in lecteur.pages)
    return unicodedata.normalize("NFKC", texte)


class Navigateur:
    """Un Chromium headless et un onglet ; ``with Navigateur(profil) as nav: …``."""

    def __init__(self, profil: Path) -> None:
        self.profil = profil
        self._id = 0
        self._tampon = b""

    def __enter__(self) -> Navigateur:
        lire_chrome, ecrire_test = os.pipe()  # test -> chromium (fd 3)
        lire_test, ecrire_chrome = os.pipe()  # chromium -> test (fd 4)
        self._processus = subprocess.Popen(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profil}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(3, 4),
            preexec_fn=lambda: (os.dup2(lire_chrome, 3), os.dup2(ecrire_chrome, 4)) and None,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(lire_chrome)
        os.close(ecrire_chrome)
        self._ecrire, self._lire = ecrire_test, lire_test
        cible = self._commande("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._commande(
            "Target.attachToTarget", {"targetId": cible, "flatten": True}
        )["sessionId"]
        self.commande("Page.enable")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._commande("Browser.close")
        except (OSError, AssertionError):
            pass
        os.close(self._ecrire)
        os.close(self._lire)
        try:
            self._processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._processus.kill()
            self._processus.wait()

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._tampon:
            morceau = os.read(self._lire, 1 << 20)
            assert morceau, "Chromium s'est arrêté"
            self._tampon += morceau
        message, self._tampon = self._tampon.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def _commande(
        self, methode: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": methode, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._ecrire, json.dumps(message).encode() + b"\0")
        while True:
            reponse = self._message()
            if reponse.get("id") == self._id:
                assert "error" not in reponse, (methode, reponse["error"])
                return reponse.get("result", {})  # type: ignore[no-any-return]

    def commande(self, methode: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Une commande CDP à l'onglet."""
        return self._commande(methode, params, self._session)

    def ouvrir(self, fichier: Path) -> None:
        self.commande("Page.navigate", {"url": fichier.as_uri()})
        # la page est chargée quand son document est complet (pas de script, pas de réseau)
        for _ in range(600):
            etat = self.evaluer("document.readyState")
            if etat == "complete":
                return
        raise AssertionError(f"{fichier} ne se charge pas")

    def evaluer(self, expression: str) -> Any:
        resultat = self.commande(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}
        )
        assert "exceptionDetails" not in resultat, resultat["exceptionDetails"]
        return resultat["result"].get("value")

    def largeur(self, pixels: int, media: str, mobile: bool = False) -> None:
        """Émule une fenêtre de ``pixels`` de large et le média ``print`` ou ``screen``."""
        self.commande(
            "Emulation.setDeviceMetricsOverride",
            {"width": pixels, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
        )
        self.commande("Emulation.setEmulatedMedia", {"media": media})

    def pdf(self) -> bytes:
        """Le PDF que donnerait « Imprimer » : le format et les marges de ``@page``."""
        resultat = self.commande(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
        )
        return base64.b64decode(resultat["data"])
