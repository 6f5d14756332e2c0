from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from transversal.reports.assembly import build_report
from transversal.reports.docx import render_docx
from transversal.reports.pdf import render_pdf
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "LibreOffice (soffice) is required in CI: install libreoffice-writer-nogui and "
                "libreoffice-calc-nogui"
            )
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


def convert_with_libreoffice(source: Path, folder: Path) -> Path:
    """Open the file in LibreOffice headless and print it to PDF: proves the file is valid for
    another reader."""
    result = subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    output = folder / (source.stem + ".pdf")
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert output.exists() and output.stat().st_size > 0, result.stdout.decode(errors="replace")
    return output


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_docx_opens_and_holds_the_key_figures(dataset, tmp_path):
    output = tmp_path / "durango.docx"
    render_docx(build_report(period="2025-T4", state=State.objects.get(code="10")), output)

    text = _docx_text(output)
    assert "Reporte estatal de avance: Durango" in text
    assert "4.º trimestre 2025" in text
    assert "Meta 1. Capacitar al servicio público" in [
        p.text for p in Document(str(output)).paragraphs
    ]
    assert "4.º trimestre 2025 | 100 | 80 | 80.0 % | ▲ Con riesgo" in text
    assert "4.º trimestre 2025 | 100 | 120 | 120.0 % | ● Aceptable" in text
    assert "Fecha de corte de los datos" in text
    assert "Avance menor a 70 % de la meta." in text  # the legend
    assert (
        len(Document(str(output)).inline_shapes) >= 4
    )  # summary and one chart per indicator with rows


def test_the_pdf_text_has_the_state_the_period_a_goal_and_the_legend(dataset, tmp_path):
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period="2025-T4", state=State.objects.get(code="10")), output)

    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Durango" in text
    assert "4.º trimestre 2025" in text
    assert "Meta 1. Capacitar al servicio público" in text
    assert "Indicador A de capacitación" in text
    line = next(line for line in text.splitlines() if "80.0 %" in line)
    assert "100" in line and "80" in line and "Con riesgo" in line
    assert "Cómo leer el semáforo" in text and "Avance menor a 70 % de la meta." in text
    assert "dato sintético" not in text.lower()


def test_the_pdf_is_tagged_for_screen_readers(dataset, tmp_path):
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period="2025-T4", state=State.objects.get(code="10")), output)

    info = subprocess.run(["pdfinfo", str(output)], capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info
    structure = subprocess.run(
        ["pdfinfo", "-struct", str(output)], capture_output=True, check=True
    ).stdout.decode()
    assert "H1" in structure and "Table" in structure and "TH" in structure


def test_the_pdf_marks_synthetic_data(dataset, tmp_path):
    dataset["a"].__class__.objects.filter(pk=dataset["a"].pk).update(is_synthetic=True)
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period="2025-T4", state=State.objects.get(code="10")), output)

    text = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Dato sintético." in text and "dato sintético" in text


def test_libreoffice_opens_the_national_docx(dataset, tmp_path):
    source = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), source)

    convert_with_libreoffice(source, tmp_path)


def test_the_national_docx_counts_goals_and_names_only_the_critical_indicators(dataset, tmp_path):
    output = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), output)

    text = _docx_text(output)
    # Meta | Fecha | Indicadores | Aceptable | Con riesgo | Crítico | Sin dato | Semáforo
    assert "1. Capacitar al servicio público | — | 1 | 0 | 1 | 0 | 0 | ▲" in text
    assert "2. Publicar el registro de casos | — | 2 | 1 | 0 | 1 | 0 | ■" in text
    # Institutional indicators outside the goals, counted per state (C in Durango, Z in Zacatecas).
    assert text.count("\n1 | 1 | 0 | 0 | 0") == 2
    # Only the indicators in "Crítico" get a row (B), with their latest approved period; the
    # others are counted, and every indicator is in the state's own report.
    assert "Indicador B de publicación | 4.º trimestre 2025 | 100 | 50 | 50.0 % | ■ Crítico" in text
    assert "Indicador D anual" not in text and "Indicador C institucional" not in text
    assert "Avance por meta" not in text
    assert "Detalle de" not in text and "Narrativa" not in text
    assert "reporte estatal de cada entidad" in text


def test_the_national_pdf_counts_goals_and_names_only_the_critical_indicators(dataset, tmp_path):
    output = tmp_path / "nacional.pdf"
    render_pdf(build_report(period="2025"), output)

    text = subprocess.run(
        ["pdftotext", str(output), "-"], capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "Capacitar al servicio público" in text and "Publicar el registro de casos" in text
    assert "Indicador B de publicación" in text and "Indicadores en estado crítico" in text
    assert "Indicador A de capacitación" not in text and "Indicador Z de Zacatecas" not in text
    assert "Detalle de" not in text and "Narrativa" not in text
    assert "reporte estatal de cada entidad" in text


def _goal_rows(text: str) -> tuple[str, str]:
    """The national PDF's two goal rows of Durango's convenio, each with its wrapped lines."""
    first, second = text.index("1. Capacitar"), text.index("2. Publicar")
    return text[first:second], text[second : text.index("\n\n", second)]


@pytest.mark.parametrize("invented", [{1, 2}, {2}])
def test_the_national_pdf_marks_invented_goals_once_when_all_are(dataset, tmp_path, invented):
    """A convenio whose goals are all invented carries one «dato sintético» line above its goal
    table instead of a mark in every row; a mix keeps the mark on the invented rows only."""
    Goal = dataset["goals"][0].__class__
    Goal.objects.filter(pk__in=[g.pk for g in dataset["goals"] if g.number in invented]).update(
        is_synthetic=True
    )
    output = tmp_path / "nacional.pdf"
    render_pdf(build_report(period="2025"), output)

    text = subprocess.run(
        ["pdftotext", "-layout", str(output), "-"], capture_output=True, check=True
    ).stdout.decode()
    note = "Todas las metas de este convenio son inventadas para demostración"
    first, second = _goal_rows(text)
    assert "sintético" not in first
    if invented == {1, 2}:
        assert text.count(note) == 1 and "sintético" not in second
    else:
        assert note not in text and "dato sintético" in second


def test_the_national_docx_marks_invented_goals_once_when_all_are(dataset, tmp_path):
    Goal = dataset["goals"][0].__class__
    Goal.objects.filter(pk__in=[g.pk for g in dataset["goals"]]).update(is_synthetic=True)
    output = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), output)

    document = Document(str(output))
    notes = [p.text for p in document.paragraphs if "Todas las metas de este convenio" in p.text]
    assert notes == [
        "Todas las metas de este convenio son inventadas para demostración: [dato sintético]"
    ]
    goal_cells = [
        cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        if cell.text.startswith(("1. Capacitar", "2. Publicar"))
    ]
    assert goal_cells and not any("sintético" in cell for cell in goal_cells)


@pytest.mark.parametrize(
    "count, sentence",
    [
        (1, "1 entidad no tiene convenio vigente ni indicadores con periodos en este reporte"),
        (2, "2 entidades no tienen convenio vigente ni indicadores con periodos en este reporte"),
    ],
)
def test_the_national_report_counts_states_without_data_in_the_right_number(
    dataset, tmp_path, count, sentence
):
    import dataclasses

    from transversal.reports.pdf import render_html

    report = build_report(period="2025")
    assert len(report.states_without_data) >= 2
    report = dataclasses.replace(report, states_without_data=report.states_without_data[:count])

    assert sentence in " ".join(render_html(report).split())
    output = tmp_path / "nacional.docx"
    render_docx(report, output)
    assert sentence in _docx_text(output)
