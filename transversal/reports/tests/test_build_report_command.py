from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from docx import Document

pytestmark = pytest.mark.django_db


def test_it_writes_a_state_pdf(dataset, tmp_path, capsys):
    output = tmp_path / "zacatecas.pdf"
    call_command(
        "build_report",
        "--state",
        "32",
        "--period",
        "2025-T4",
        "--format",
        "pdf",
        "--output",
        str(output),
    )

    assert output.read_bytes().startswith(b"%PDF")
    assert "Zacatecas" in capsys.readouterr().out


def test_it_writes_the_national_docx(dataset, tmp_path):
    output = tmp_path / "nacional.docx"
    call_command(
        "build_report",
        "--national",
        "--period",
        "2025",
        "--format",
        "docx",
        "--output",
        str(output),
    )

    headings = [
        p.text for p in Document(str(output)).paragraphs if p.style.name.startswith("Heading")
    ]
    assert "Durango" in headings and "Zacatecas" in headings


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "99", "--period", "2025-T4"], "Entidad federativa desconocida"),
        (["--state", "10", "--period", "2025-X4"], "Periodo no válido"),
        (["--state", "10", "--period", "2023"], "No hay datos para 2023 en Durango"),
        (["--national", "--period", "2019-T1"], "No hay datos"),
    ],
)
def test_it_explains_errors_in_spanish(dataset, tmp_path, args, message):
    output = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--format", "pdf", "--output", str(output))
    assert not output.exists()


def test_it_refuses_a_missing_folder(dataset, tmp_path):
    with pytest.raises(CommandError, match="No existe la carpeta"):
        call_command(
            "build_report",
            "--national",
            "--period",
            "2025",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "no" / "x.pdf"),
        )
