"""The demo's small PDFs read as written, accents and «» included, in another reader."""

from __future__ import annotations

import subprocess

from transversal.core.demofiles import demo_pdf


def test_a_demo_pdf_reads_its_spanish_text_in_pdftotext(tmp_path):
    path = tmp_path / "acta.pdf"
    path.write_bytes(demo_pdf("Acta firmada de la sesión O-1: «dato sintético» (año 2026)."))

    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()

    assert "Acta firmada de la sesión O-1: «dato sintético» (año 2026)." in text
