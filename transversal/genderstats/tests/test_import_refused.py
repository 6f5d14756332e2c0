"""A file with problems is refused whole and leaves nothing behind: no preview row, no audit
event, no file on disk (the upload goes through Django's real handlers and storage, every
upload spilled to a temporary file under a test folder); the person sees each problem in
Spanish on the upload page, as in the registers' import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.genderstats import services
from transversal.genderstats.models import StatImport, StatValue
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

pytestmark = pytest.mark.django_db

GOOD = [
    HEADER,
    "ocupadas,2024,10,mujeres,,100,Personas,ENDIREH,,,",
    "ocupadas,2024,10,hombres,,120,Personas,ENDIREH,,,",
]
BAD = [*GOOD, "ocupadas,2024,33,otro,,5,Personas,ENDIREH,,,"]


@pytest.fixture
def indicator(db):
    return make_indicator("ocupadas", measure="conteo", unit="Personas")


@pytest.fixture
def disk(settings, tmp_path) -> list[Path]:
    """The folders an upload could land in: media, data and the upload handler's spill folder
    (every upload spills to disk, however small)."""
    folders = [tmp_path / "media", tmp_path / "data", tmp_path / "uploads"]
    for folder in folders:
        folder.mkdir()
    settings.MEDIA_ROOT = folders[0]
    settings.DATA_DIR = folders[1]
    settings.FILE_UPLOAD_TEMP_DIR = str(folders[2])
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    return folders


def files_under(folders: list[Path]) -> list[Path]:
    return [path for folder in folders for path in folder.rglob("*") if path.is_file()]


def test_the_service_refuses_a_file_with_problems_and_keeps_no_row(coordinator, indicator):
    with pytest.raises(services.ImportRefused) as refused:
        services.import_preview(actor=coordinator, upload=csv_file(BAD), filename="e.csv")
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (4, "clave_entidad"),
        (4, "sexo"),
    ]
    assert not StatImport.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="statimport").exists()


def test_a_refused_upload_leaves_no_preview_row_and_no_file_on_disk(
    client_for, coordinator, indicator, disk
):
    response = client_for(coordinator).post(reverse("genderstats:import"), {"file": csv_file(BAD)})
    assert response.status_code == 200
    assert not StatImport.objects.exists()
    assert not StatValue.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="statimport").exists()
    assert files_under(disk) == []


def test_the_person_reads_each_problem_in_spanish_on_the_upload_page(
    client_for, coordinator, indicator, disk
):
    response = client_for(coordinator).post(reverse("genderstats:import"), {"file": csv_file(BAD)})
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "El archivo tiene 2 problemas; no se guardó nada." in page
    assert "Fila 4, columna «clave_entidad»:" in page
    assert "Fila 4, columna «sexo»:" in page
    assert "Corrija el archivo y vuelva a subirlo." in page
    assert "Un archivo con problemas no se conserva" in page
    assert "Revisar el archivo" in page  # the form is there to upload the corrected file


def test_a_good_upload_through_the_same_path_keeps_its_preview_and_no_file(
    client_for, coordinator, indicator, disk
):
    """The check above can fail: the same upload without problems does make a preview row."""
    response = client_for(coordinator).post(reverse("genderstats:import"), {"file": csv_file(GOOD)})
    stat_import = StatImport.objects.get()
    assert response.url == reverse("genderstats:import_detail", args=[stat_import.code])
    assert files_under(disk) == []


def test_a_file_that_is_no_table_is_told_to_be_a_csv_or_xlsx(client_for, coordinator, disk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    garbage = SimpleUploadedFile("cifras.xlsx", bytes(range(256)) * 4)
    response = client_for(coordinator).post(reverse("genderstats:import"), {"file": garbage})
    page = response.content.decode()
    assert "No se reconoce el tipo de archivo. Suba un archivo CSV o XLSX." in page
    assert "documento de Office" not in page
    assert not StatImport.objects.exists()
