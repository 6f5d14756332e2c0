"""The XLSX template and its import: download, fill, preview, confirm, persona by persona."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.core.exports import neutralise_cell, restore_cell
from transversal.monitoring import spreadsheets
from transversal.monitoring.models import ProgressUpdate, ReportingPeriod
from transversal.monitoring.services import update_save
from transversal.monitoring.spreadsheets import reader
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, period, submitted
from transversal.monitoring.views_spreadsheets import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(durango, disaggregations=["indigenous"])


@pytest.fixture
def percentage(durango):
    return indicator_with_calendar(
        durango,
        name="Porcentaje de municipios con IMM",
        measure="percentage",
        unit="porcentaje",
        targets={"2025-T1": 50, "2025-T2": 60, "2025-T3": 70, "2025-T4": 80},
    )


def template_url(institution):
    return reverse("monitoring:sheet_template", args=[institution.slug])


def import_url(institution):
    return reverse("monitoring:sheet_import", args=[institution.slug])


def download(client, institution) -> openpyxl.Workbook:
    response = client.get(template_url(institution))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def headers(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def fill(workbook, sheet_name: str, indicator, label: str, values: dict) -> None:
    """Write ``values`` ({header: value}) on the row of that indicator and period."""
    sheet = workbook[sheet_name]
    columns = {name: index for index, name in enumerate(headers(sheet), start=1)}
    for row in range(2, sheet.max_row + 1):
        if (
            sheet.cell(row, columns["Clave del indicador"]).value == str(indicator.code)
            and sheet.cell(row, columns["Periodo"]).value == label
        ):
            for header, value in values.items():
                sheet.cell(row, columns[header]).value = value
            return
    raise AssertionError(f"no row for {indicator} {label}")


def row_of(workbook, sheet_name: str, indicator, label: str) -> int:
    sheet = workbook[sheet_name]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == str(indicator.code) and sheet.cell(row, 3).value == label:
            return row
    raise AssertionError("row not found")


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, institution, content: bytes, kind: str = "avances", name: str = "avances.xlsx"):
    return client.post(
        import_url(institution), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def confirm_url(response) -> str:
    return response.url + "confirmar/"


class TestTemplate:
    def test_a_member_downloads_one_row_per_indicator_and_period(
        self, client_for, viewer, indicator, durango
    ):
        draft(
            indicator,
            "2025-T2",
            value=Decimal(80),
            breakdown={"sex": {"women": Decimal(50), "men": Decimal(30)}},
        )
        response = client_for(viewer).get(template_url(durango))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert 'filename="indicadores-iem-durango-test.xlsx"' in response["Content-Disposition"]
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["Avances", "Metas", "Instrucciones"]
        sheet = workbook["Avances"]
        assert headers(sheet) == [
            "Clave del indicador",
            "Indicador",
            "Periodo",
            "Periodo legible",
            "Fecha límite",
            "Meta",
            "Estado del avance",
            "Valor",
            "Numerador",
            "Denominador",
            "Narrativa",
            "Motivo si las desagregaciones no suman el total",
            "Sexo: Mujeres",
            "Sexo: Hombres",
            "Sexo: No especificado",
            "Población indígena: De ellas o ellos",
        ]
        assert sheet.freeze_panes == "A2"
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [r[2] for r in rows] == ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]
        t2 = rows[1]
        assert t2[0] == str(indicator.code) and t2[3] == "2.º trimestre 2025" and t2[5] == 100
        assert t2[6] == "Borrador" and t2[7] == 80 and t2[12:14] == (50, 30)
        assert (
            sheet["E2"].number_format == "DD/MM/YYYY"
            and sheet["E2"].value.date() == period(indicator).due_date
        )
        assert sheet.data_validations.dataValidation, "numbers are validated in Excel"
        targets = workbook["Metas"]
        assert headers(targets) == [
            "Clave del indicador",
            "Indicador",
            "Periodo",
            "Periodo legible",
            "Meta",
        ]
        assert targets.max_row == 5
        assert "punto decimal" in " ".join(c.value or "" for c in workbook["Instrucciones"]["A"])

    def test_outsiders_get_404_and_anonymous_people_sign_in(
        self, client_for, outsider, indicator, durango
    ):
        assert client_for(outsider).get(template_url(durango)).status_code == 404
        assert client_for(None).get(template_url(durango)).status_code == 302

    def test_text_that_would_run_as_a_formula_is_written_as_text(self, client_for, editor, durango):
        evil = indicator_with_calendar(durango, name='=HYPERLINK("http://x.test","clic")')
        draft(evil, "2025-T1", value=Decimal(5), narrative="@SUM(1+1)")
        sheet = download(client_for(editor), durango)["Avances"]
        name, narrative = sheet["B2"], sheet["K2"]
        assert name.data_type == "s" and name.value == "'" + evil.name
        assert narrative.data_type == "s" and narrative.value == "'@SUM(1+1)"
        assert (
            neutralise_cell("-2+3") == "'-2+3"
            and neutralise_cell(-5) == -5
            and neutralise_cell("Mujeres") == "Mujeres"
        )
        assert restore_cell(neutralise_cell("=1")) == "=1"

    def test_its_queries_do_not_grow_with_indicators_and_periods(self, client_for, editor, durango):
        client = client_for(editor)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                client.get(template_url(durango))
            return len(queries)

        first = indicator_with_calendar(durango, name="A")
        draft(first, value=Decimal(3), breakdown={"sex": {"women": Decimal(2), "men": Decimal(1)}})
        one = count()
        for name in ("B", "C"):
            other = indicator_with_calendar(durango, name=name, disaggregations=["age"])
            draft(other, "2025-T1", value=Decimal(3))
            draft(other, "2025-T2", value=Decimal(4), breakdown={"sex": {"women": Decimal(4)}})
        # session + user + membership scope + institution (with names) + indicators, periods,
        # current updates, breakdowns: the same whatever the number of rows.
        assert count() == one


class TestRoundTrip:
    def test_download_fill_upload_preview_and_confirm_creates_drafts_with_breakdown(
        self, client_for, editor, indicator, durango
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T1",
            {
                "Valor": 95,
                "Narrativa": "Talleres en 12 municipios",
                "Sexo: Mujeres": 70,
                "Sexo: Hombres": 25,
                "Población indígena: De ellas o ellos": 9,
            },
        )
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T2",
            {"Numerador": 40, "Denominador": 1, "Sexo: Mujeres": 40},
        )
        response = upload(client, durango, as_bytes(workbook))
        assert response.status_code == 302
        assert not ProgressUpdate.objects.exists(), "the preview writes nothing"
        preview = client.get(response.url)
        page = preview.content.decode()
        assert "Vista previa" in page and "Nuevo borrador" in page and "1.er trimestre 2025" in page
        done = client.post(confirm_url(response))
        assert done.status_code == 302
        t1 = ProgressUpdate.objects.get(period__label="2025-T1")
        assert t1.status == "draft" and t1.value == 95 and t1.created_by == editor
        assert {(r.dimension, r.category, r.value) for r in t1.breakdown.all()} == {
            ("sex", "women", 70),
            ("sex", "men", 25),
            ("indigenous", "of_which", 9),
        }
        assert ProgressUpdate.objects.get(period__label="2025-T2").value == 40
        assert AuditEvent.objects.filter(verb="update.create", actor=editor).count() == 2
        assert AuditEvent.objects.filter(verb="monitoring.sheet_import", actor=editor).count() == 1
        assert SESSION_KEY not in client.session
        # Next: the imported drafts, listed with a box each to send them to review together.
        assert done.url == f"{reverse('work:list')}?ver=borradores&institucion={durango.slug}"
        listed = client.get(done.url).content.decode()
        assert "Se guardaron 2 borradores" in listed
        assert listed.count('type="checkbox" name="avance"') == 2

    def test_numbers_typed_as_text_read_as_on_the_forms(
        self, client_for, editor, indicator, durango
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T1",
            {"Valor": "1,234", "Sexo: Mujeres": " 1 234 "},
        )
        response = upload(client, durango, as_bytes(workbook))
        assert response.status_code == 302
        client.post(confirm_url(response))
        update = ProgressUpdate.objects.get(period__label="2025-T1")
        assert update.value == 1234
        assert update.breakdown.get(category="women").value == 1234

    def test_a_second_import_edits_the_draft_and_unchanged_rows_are_skipped(
        self, client_for, editor, indicator, durango
    ):
        client = client_for(editor)
        existing = draft(indicator, "2025-T1", value=Decimal(10))
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T3", {"Valor": 12})
        response = upload(client, durango, as_bytes(workbook))
        preview = client.get(response.url).content.decode()
        assert "1 fila cambiaría;" in preview and "1 fila ya coincide con lo guardado" in preview
        client.post(confirm_url(response))
        existing.refresh_from_db()
        assert existing.version == 1 and ProgressUpdate.objects.count() == 2

    def test_targets_are_imported_through_the_targets_service(
        self, client_for, state_admin, indicator, durango
    ):
        client = client_for(state_admin)
        workbook = download(client, durango)
        fill(workbook, "Metas", indicator, "2025-T3", {"Meta": 150})
        fill(workbook, "Metas", indicator, "2025-T4", {"Meta": None})
        response = upload(client, durango, as_bytes(workbook), kind="metas")
        assert "Cambiar meta" in client.get(response.url).content.decode()
        assert client.post(confirm_url(response)).status_code == 302
        assert dict(indicator.periods.values_list("label", "target")) == {
            "2025-T1": 100,
            "2025-T2": 100,
            "2025-T3": 150,
            "2025-T4": None,
        }
        event = AuditEvent.objects.get(verb="indicator.targets_update", actor=state_admin)
        assert set(event.changes) == {"2025-T3", "2025-T4"}

    def test_one_bad_row_writes_nothing_and_names_the_row_and_column(
        self, client_for, editor, indicator, percentage, durango
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T1", {"Valor": 30})
        fill(workbook, "Avances", percentage, "2025-T1", {"Valor": 120})
        bad_row = row_of(workbook, "Avances", percentage, "2025-T1")
        response = upload(client, durango, as_bytes(workbook))
        assert response.status_code == 200
        page = response.content.decode()
        assert "El archivo tiene 1 problema; no se guardó nada." in page
        assert (
            f"<td>{bad_row}</td><td>Valor</td><td>Un porcentaje no puede ser mayor que 100.</td>"
            in page
        )
        assert not ProgressUpdate.objects.exists()
        assert SESSION_KEY not in client.session


def _problems(client, durango, workbook, kind="avances") -> str:
    response = upload(client, durango, as_bytes(workbook), kind=kind)
    assert response.status_code == 200, "a file with problems is never stored for confirmation"
    return response.content.decode()


class TestRowValidation:
    def test_unknown_or_foreign_indicators_and_periods_outside_the_calendar(
        self, client_for, editor, indicator, durango, zacatecas
    ):
        foreign = indicator_with_calendar(zacatecas)
        client = client_for(editor)
        workbook = download(client, durango)
        sheet = workbook["Avances"]
        sheet.append([str(foreign.code), "", "2025-T1", None, None, None, None, 4])
        sheet.append(
            ["00000000-0000-4000-8000-000000000000", "", "2025-T1", None, None, None, None, 4]
        )
        sheet.append(["no-es-clave", "", "2025-T1", None, None, None, None, 4])
        sheet.append([str(indicator.code), "", "2031-T1", None, None, None, None, 4])
        page = _problems(client, durango, workbook)
        # Another institution's indicator reads exactly like a missing one: the sheet must not
        # confirm that a key exists elsewhere.
        missing = "00000000-0000-4000-8000-000000000000"
        message = "La clave {} no corresponde a ningún indicador de esta institución."
        assert (
            f"<td>6</td><td>Clave del indicador</td><td>{message.format(foreign.code)}</td>" in page
        )
        assert f"<td>7</td><td>Clave del indicador</td><td>{message.format(missing)}</td>" in page
        assert "otra institución" not in page
        assert (
            "<td>8</td><td>Clave del indicador</td><td>La clave «no-es-clave» no es válida" in page
        )
        assert (
            "<td>9</td><td>Periodo</td>"
            "<td>El periodo «2031-T1» no está en el calendario del indicador." in page
        )
        assert not ProgressUpdate.objects.exists()

    def test_locked_periods_and_submitted_updates_cannot_change(
        self, client_for, editor, indicator, durango
    ):
        ReportingPeriod.objects.filter(indicator=indicator, label="2025-T1").update(locked=True)
        submitted(indicator, "2025-T2", value=Decimal(7))
        client = client_for(editor)
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T1", {"Valor": 3})
        fill(workbook, "Avances", indicator, "2025-T2", {"Valor": 8})
        page = _problems(client, durango, workbook)
        assert (
            "<td>2</td><td>Periodo</td>"
            "<td>El periodo 1.er trimestre 2025 está cerrado: ya no recibe reportes." in page
        )
        assert (
            "<td>3</td><td>Estado del avance</td><td>El avance está enviado y no se puede editar."
            in page
        )
        assert ProgressUpdate.objects.get().value == 7

    @pytest.mark.parametrize(
        ("cell", "message"),
        [
            ("muchas", "«muchas» no es un número"),
            ("1,20", "«1,20» no es claro: use el punto para los decimales"),
            ("1 234,5", "use el punto para los decimales"),
            ("NaN", "El valor debe ser un número finito."),
            ("inf", "El valor debe ser un número finito."),
            ("#DIV/0!", "La celda tiene un error de Excel (#DIV/0!)"),
            (3.5, "Un número absoluto no lleva decimales."),
            (-2, "El valor no puede ser negativo."),
            ("1e400", "no es un número"),
        ],
    )
    def test_cells_that_are_not_valid_numbers(
        self, client_for, editor, indicator, durango, cell, message
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T1", {"Valor": cell})
        page = _problems(client, durango, workbook)
        assert "<td>2</td><td>Valor</td>" in page and message in page
        assert not ProgressUpdate.objects.exists()

    def test_breakdowns_that_do_not_add_up_or_are_not_allowed(
        self, client_for, editor, indicator, durango
    ):
        other = indicator_with_calendar(durango, name="Sin desagregación indígena")
        client = client_for(editor)
        workbook = download(client, durango)
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T1",
            {"Valor": 95, "Sexo: Mujeres": 70, "Sexo: Hombres": 5},
        )
        fill(
            workbook,
            "Avances",
            other,
            "2025-T1",
            {"Valor": 5, "Población indígena: De ellas o ellos": 1},
        )
        page = _problems(client, durango, workbook)
        assert "<td>Desagregaciones</td><td>Sexo suma 75 y el total es 95" in page
        assert (
            "<td>Población indígena: De ellas o ellos</td>"
            "<td>La desagregación «Población indígena» no está prevista" in page
        )

    def test_the_same_indicator_and_period_twice(self, client_for, editor, indicator, durango):
        client = client_for(editor)
        workbook = download(client, durango)
        workbook["Avances"].append([str(indicator.code), "", "2025-T1", None, None, None, None, 4])
        workbook["Avances"].append([str(indicator.code), "", "2025-t1", None, None, None, None, 5])
        page = _problems(client, durango, workbook)
        assert (
            "<td>6</td><td>Periodo</td><td>Este indicador y periodo ya aparecen en la fila 2."
            in page
        )
        assert (
            "<td>7</td><td>Periodo</td><td>Este indicador y periodo ya aparecen en la fila 2."
            in page
        )

    def test_a_target_of_a_percentage_above_100(self, client_for, editor, percentage, durango):
        client = client_for(editor)
        workbook = download(client, durango)
        fill(workbook, "Metas", percentage, "2025-T2", {"Meta": 101})
        page = _problems(client, durango, workbook, kind="metas")
        assert "<td>3</td><td>Meta</td><td>Un porcentaje no puede ser mayor que 100." in page


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bomb_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def broken_xlsx_bytes() -> bytes:
    """Passes the container check (an OOXML workbook by its parts) but is not a readable
    workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<esto no es xml")
    return buffer.getvalue()


class TestRejectedFiles:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (lambda good: good[: len(good) // 2], "El archivo está dañado o incompleto"),
            (lambda good: broken_xlsx_bytes(), "no se pudo leer como hoja de cálculo de Excel"),
            (
                lambda good: docx_bytes(),
                (
                    "indica una hoja de cálculo de Excel (XLSX) (.xlsx), pero su contenido es un "
                    "documento de Word"
                ),
            ),
            (lambda good: zip_bomb_bytes(), "puede ser un archivo malicioso"),
            (lambda good: b"", "vacío"),
            (lambda good: b"Clave,Periodo\n1,2\n", "pero su contenido es un archivo de texto"),
        ],
        ids=["truncated", "unreadable", "docx", "zip-bomb", "empty", "csv-named-xlsx"],
    )
    def test_it_explains_in_spanish_and_writes_nothing(
        self, client_for, editor, indicator, durango, content, message
    ):
        client = client_for(editor)
        good = client.get(template_url(durango)).content
        response = upload(client, durango, content(good))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ProgressUpdate.objects.exists() and SESSION_KEY not in client.session

    def test_a_workbook_without_the_sheet_or_its_headers(
        self, client_for, editor, indicator, durango
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        workbook["Avances"]["C1"] = "Trimestre"
        assert (
            "le falta la columna «Periodo»"
            in upload(client, durango, as_bytes(workbook)).content.decode()
        )
        del workbook["Metas"]
        assert (
            "no tiene la hoja «Metas»"
            in upload(client, durango, as_bytes(workbook), kind="metas").content.decode()
        )


class TestPersonas:
    def _pending(self, client, durango, indicator) -> str:
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T1", {"Valor": 9})
        response = upload(client, durango, as_bytes(workbook))
        assert response.status_code == 302
        return response.url

    def test_import_needs_edit_rights(
        self, client_for, editor, viewer, reviewer, outsider, coordinator, indicator, durango
    ):
        content = as_bytes(download(client_for(editor), durango))
        assert client_for(viewer).get(import_url(durango)).status_code == 403
        assert upload(client_for(viewer), durango, content).status_code == 403
        assert upload(client_for(reviewer), durango, content).status_code == 403
        assert upload(client_for(coordinator), durango, content).status_code == 403
        assert upload(client_for(outsider), durango, content).status_code == 404
        assert client_for(None).get(import_url(durango)).status_code == 302
        assert client_for(editor).get(import_url(durango)).status_code == 200

    def test_confirm_and_discard_reject_get_outsiders_and_viewers(
        self, client_for, editor, viewer, outsider, indicator, durango
    ):
        client = client_for(editor)
        preview = self._pending(client, durango, indicator)
        for url in (preview + "confirmar/", preview + "descartar/"):
            assert client.get(url).status_code == 405
        client = client_for(outsider)
        assert client.post(preview + "confirmar/").status_code == 404
        assert client_for(viewer).post(preview + "confirmar/").status_code == 403
        assert client_for(viewer).get(preview).status_code == 403
        assert not ProgressUpdate.objects.exists()

    def test_a_preview_belongs_to_the_session_that_made_it(
        self, client_for, editor, state_admin, indicator, durango
    ):
        preview = self._pending(client_for(editor), durango, indicator)
        client = client_for(state_admin)
        response = client.post(preview + "confirmar/", follow=True)
        assert "La vista previa ya no está disponible" in response.content.decode()
        assert not ProgressUpdate.objects.exists()

    def test_discard_forgets_the_pending_import(self, client_for, editor, indicator, durango):
        client = client_for(editor)
        preview = self._pending(client, durango, indicator)
        response = client.post(preview + "descartar/", follow=True)
        assert "Se descartó la importación" in response.content.decode()
        assert SESSION_KEY not in client.session
        assert client.post(preview + "confirmar/").status_code == 302
        assert not ProgressUpdate.objects.exists()


class TestStalePreview:
    def test_an_edit_between_preview_and_confirm_aborts_everything(
        self, client_for, editor, reviewer, indicator, durango
    ):
        client = client_for(editor)
        existing = draft(indicator, "2025-T2", value=Decimal(20))
        workbook = download(client, durango)
        fill(workbook, "Avances", indicator, "2025-T1", {"Valor": 9})
        fill(workbook, "Avances", indicator, "2025-T2", {"Valor": 21})
        response = upload(client, durango, as_bytes(workbook))
        update_save(
            actor=reviewer,
            period=period(indicator, "2025-T2"),
            expected_version=existing.version,
            value=Decimal(22),
        )
        conflict = client.post(confirm_url(response))
        assert conflict.status_code == 409
        page = conflict.content.decode()
        assert (
            "Otra persona guardó este avance después de la vista previa; no se guardó nada." in page
        )
        assert not ProgressUpdate.objects.filter(period__label="2025-T1").exists()
        assert ProgressUpdate.objects.get(period__label="2025-T2").value == 22
        assert not AuditEvent.objects.filter(verb="monitoring.sheet_import").exists()
        assert client.get(response.url).status_code == 200, "the pending import is kept to show why"

    def test_a_target_changed_between_preview_and_confirm_aborts_everything(
        self, client_for, editor, indicator, durango
    ):
        from transversal.monitoring.services import targets_update

        client = client_for(editor)
        workbook = download(client, durango)
        fill(workbook, "Metas", indicator, "2025-T1", {"Meta": 110})
        fill(workbook, "Metas", indicator, "2025-T2", {"Meta": 120})
        response = upload(client, durango, as_bytes(workbook), kind="metas")
        targets_update(actor=None, indicator=indicator, targets={"2025-T2": Decimal(130)})
        assert client.post(confirm_url(response)).status_code == 409
        assert dict(indicator.periods.values_list("label", "target"))["2025-T1"] == 100


# Reading faster, reading the same ------------------------------------------------------------


def crafted_xlsx(
    sheet_data: str, *, dimension: str | None = "A1:C3", shared: tuple[str, ...] = ()
) -> bytes:
    """A workbook whose "Avances" sheet is exactly this <sheetData> (style 1 is a date format),
    with these shared strings: cell and row shapes other writers than openpyxl produce."""
    base = openpyxl.Workbook()
    base.active.title = "Avances"
    base.active["A1"] = dt.datetime(2025, 1, 2)  # gives the workbook a date style
    original = zipfile.ZipFile(io.BytesIO(as_bytes(base)))
    assert re.search(r'<c r="A1" s="1"', original.read("xl/worksheets/sheet1.xml").decode())
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'<worksheet xmlns="{ns}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            archive.writestr(item, data)
        items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in shared)
        archive.writestr(
            "xl/sharedStrings.xml", f'<sst xmlns="{ns}" count="{len(shared)}">{items}</sst>'
        )
    return buffer.getvalue()


def inline(coordinate: str, content: str) -> str:
    return f'<c r="{coordinate}" t="inlineStr">{content}</c>'


CRAFTED_SHEETS = {
    "inline strings": (
        '<row r="1">'
        + inline("A1", "<is><t>Clave</t></is>")
        + inline("B1", "<is><t/></is>")
        + inline("C1", '<is><t xml:space="preserve">  dos  </t></is>')
        + inline("D1", "<is><t>Fecha l&#237;mite</t></is>")
        + "</row>"
        '<row r="2">'
        + inline("A2", "<is><r><rPr><b/></rPr><t>ne</t></r><r><t>grita</t></r></is>")
        + inline("B2", "<is/>")
        + inline("C2", "")
        + inline("D2", '<is><t>base</t><rPh sb="0" eb="1"><t>x</t></rPh></is>')
        + inline("E2", "<is><t>a<b/>b</t></is>")
        + "</row>"
    ),
    "shared strings, numbers, dates, booleans, errors and cached formulas": (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1"><v>12</v></c>'
        '<c r="D1" t="n"><v>1.5E3</v></c><c r="E1" s="1"><v>45659.5</v></c>'
        '<c r="F1" t="b"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="e"><v>#DIV/0!</v></c><c r="B2" t="str"><f>A1</f><v> 12 </v></c>'
        '<c r="C2"><f>1+1</f><v>2</v></c><c r="D2" t="d"><v>2025-03-01T00:00:00</v></c>'
        '<c r="E2"><v></v></c>'
        '<c r="F2" s="1"/><c r="G2" t="s"><v>2</v></c></row>'
    ),
    "rows and cells without coordinates, gaps, repeats and far columns": (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="4"><c><v>4</v></c><c t="inlineStr"><is><t>sin r</t></is></c>'
        '<c r="E4"><v>5</v></c><c><v>6</v></c></row>'
        '<row><c r="A5"><v>5</v></c><c r="DR5"><v>122</v></c><c r="DP5"><v>120</v></c></row>'
        '<row r="5"><c r="A5"><v>55</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>'
        '<row r="7"><c r="B7" t="inlineStr"><is><t>siete</t></is></c></row>'
    ),
}


class TestReadingTheSheet:
    """The reader that decodes inline strings faster gives what openpyxl's iter_rows gives."""

    def rows_both_ways(self, content: bytes) -> tuple[list, list]:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook["Avances"]
            expected = list(sheet.iter_rows(values_only=True, max_col=spreadsheets.MAX_COLUMNS))
            return list(reader._sheet_values(sheet)), expected
        finally:
            workbook.close()

    def test_the_installed_openpyxl_gets_the_fast_reader(self):
        assert reader._cell_parser() is not None, (
            "openpyxl changed series: check _parsed_rows and CellParser against it, then update "
            "_CHECKED_OPENPYXL"
        )

    @pytest.mark.parametrize("name", list(CRAFTED_SHEETS))
    @pytest.mark.parametrize(
        "dimension", ["A1:H7", "A1:C2", None], ids=["dimension", "short-dimension", "no-dimension"]
    )
    def test_the_same_values_and_empty_rows_as_openpyxl(self, name, dimension):
        content = crafted_xlsx(
            CRAFTED_SHEETS[name], dimension=dimension, shared=("Periodo", "  ", "dos")
        )
        fast, expected = self.rows_both_ways(content)
        assert fast == expected
        assert any(any(v is not None for v in row) for row in fast)

    def test_the_downloaded_template_filled_in(self, client_for, editor, indicator, durango):
        draft(indicator, "2025-T2", value=Decimal(8), narrative="'=SUMA(1)")
        workbook = download(client_for(editor), durango)
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T1",
            {"Valor": 3.25, "Narrativa": "  con espacios ", "Sexo: Mujeres": "2"},
        )
        workbook["Avances"].append([None])
        workbook["Avances"].append([" ", "", "2025-T1"])
        fast, expected = self.rows_both_ways(as_bytes(workbook))
        assert fast == expected and len(fast) == 7

    def test_a_damaged_cell_is_still_a_damaged_file(self, client_for, editor, indicator, durango):
        content = crafted_xlsx(
            '<row r="1">'
            + inline("A1", "<is><t>Clave del indicador</t></is>")
            + inline("B1", "<is><t>Periodo</t></is>")
            + '</row><row r="2"><c r="A2"><v>doce</v></c></row>'
        )
        with pytest.raises(spreadsheets.SheetRejected, match="puede estar dañado"):
            spreadsheets.validate_upload(
                durango, SimpleUploadedFile("a.xlsx", content), "a.xlsx", spreadsheets.UPDATES
            )


def _outcome(result) -> dict:
    return {
        "rows": result.rows,
        "unchanged": result.unchanged,
        "problems": [p.as_dict() for p in result.problems],
        "changes": [{**c.as_dict(), "payload": c.payload} for c in result.changes],
    }


class TestSameValidation:
    def test_the_fast_reader_and_openpyxl_reader_validate_alike(
        self, client_for, editor, indicator, percentage, durango, monkeypatch
    ):
        ReportingPeriod.objects.filter(indicator=percentage, label="2025-T4").update(locked=True)
        draft(indicator, "2025-T3", value=Decimal(6), breakdown={"sex": {"women": Decimal(6)}})
        workbook = download(client_for(editor), durango)
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T1",
            {"Valor": 10, "Sexo: Mujeres": 4, "Sexo: Hombres": 5},
        )
        fill(
            workbook,
            "Avances",
            indicator,
            "2025-T2",
            {"Valor": "1,5", "Población indígena: De ellas o ellos": 2},
        )
        fill(
            workbook,
            "Avances",
            percentage,
            "2025-T1",
            {"Numerador": 1, "Denominador": 3, "Narrativa": "x" * 20},
        )
        fill(workbook, "Avances", percentage, "2025-T2", {"Valor": True, "Sexo: Hombres": 1})
        fill(workbook, "Avances", percentage, "2025-T4", {"Valor": 50})
        workbook["Avances"].append(
            [str(indicator.code).upper(), "", "2025-t1", None, None, None, None, 4]
        )
        content = as_bytes(workbook)

        def validate():
            return _outcome(
                spreadsheets.validate_upload(
                    durango, SimpleUploadedFile("a.xlsx", content), "a.xlsx", spreadsheets.UPDATES
                )
            )

        fast = validate()
        monkeypatch.setattr(reader, "_cell_parser", lambda: None)
        assert validate() == fast
        assert fast["problems"] and fast["changes"] and fast["unchanged"] == 1


class TestIndicatorSet:
    def test_calendars_and_current_reports_in_four_queries(
        self, durango, django_assert_num_queries
    ):
        second = indicator_with_calendar(durango, name="B")
        first = indicator_with_calendar(durango, name="A", disaggregations=["age"])
        draft(
            second,
            "2025-T2",
            value=Decimal(9),
            breakdown={"sex": {"women": Decimal(5), "men": Decimal(4)}},
        )
        submitted(first, "2025-T4", value=Decimal(2))
        with django_assert_num_queries(4):
            indicators = spreadsheets.indicator_set(durango)
            assert [i.pk for i in indicators] == [first.pk, second.pk]
            assert [p.label for p in indicators[1].calendar] == [
                "2025-T1",
                "2025-T2",
                "2025-T3",
                "2025-T4",
            ]
            t2 = indicators[1].calendar[1]
            (update,) = t2.current_updates
            assert update.value == 9 and update.period is t2 and t2.indicator is indicators[1]
            assert {(r.dimension, r.category, r.value) for r in update.breakdown.all()} == {
                ("sex", "women", 5),
                ("sex", "men", 4),
            }
            assert [len(p.current_updates) for p in indicators[0].calendar] == [0, 0, 0, 1]
            assert indicators[0].calendar[3].current_updates[0].status == "submitted"

    def test_an_institution_without_indicators_or_periods(self, durango, django_assert_num_queries):
        with django_assert_num_queries(1):
            assert spreadsheets.indicator_set(durango) == []
        ReportingPeriod.objects.filter(indicator=indicator_with_calendar(durango)).delete()
        with django_assert_num_queries(2):
            (indicator,) = spreadsheets.indicator_set(durango)
            assert indicator.calendar == []


class TestRowsWorkedOutOnce:
    def test_codes_written_differently_are_the_same_indicator_and_bad_codes_fail_every_time(
        self, client_for, editor, indicator, durango
    ):
        client = client_for(editor)
        workbook = download(client, durango)
        sheet = workbook["Avances"]
        sheet.append(
            [f"  {str(indicator.code).upper()} ", "", "2025-T1", None, None, None, None, 4]
        )
        sheet.append(["{" + str(indicator.code) + "}", "", "2025-T1", None, None, None, None, 4])
        sheet.append(["no-es-clave", "", "2025-T1", None, None, None, None, 4])
        sheet.append(["NO-ES-CLAVE", "", "2025-T1", None, None, None, None, 4])
        page = _problems(client, durango, workbook)
        assert (
            "<td>6</td><td>Periodo</td><td>Este indicador y periodo ya aparecen en la fila 2."
            in page
        )
        assert (
            "<td>7</td><td>Periodo</td><td>Este indicador y periodo ya aparecen en la fila 2."
            in page
        )
        assert (
            "<td>8</td><td>Clave del indicador</td><td>La clave «no-es-clave» no es válida" in page
        )
        assert (
            "<td>9</td><td>Clave del indicador</td><td>La clave «no-es-clave» no es válida" in page
        )

    @pytest.mark.parametrize(
        ("measure", "cells", "message"),
        [
            (
                "count",
                {"Valor": 5, "Población indígena: De ellas o ellos": 6},
                "Población indígena no puede ser mayor que el total.",
            ),
            (
                "count",
                {"Valor": 5, "Sexo: Mujeres": 1, "Sexo: Hombres": 1},
                "Sexo suma 2 y el total es 5",
            ),
            (
                "count",
                {"Valor": 5, "Sexo: Mujeres": 1.5},
                "Sexo: Un número absoluto no lleva decimales.",
            ),
            (
                "percentage",
                {"Valor": 50, "Sexo: Mujeres": 101},
                "Sexo: Un porcentaje no puede ser mayor que 100.",
            ),
            (
                "percentage",
                {"Valor": 50, "Sexo: Mujeres": 10, "Población indígena: De ellas o ellos": 70},
                None,
            ),
        ],
    )
    def test_each_indicator_keeps_its_own_breakdown_rules(
        self, client_for, editor, durango, measure, cells, message
    ):
        client = client_for(editor)
        plain = indicator_with_calendar(durango, name="Sin desagregaciones")
        checked = indicator_with_calendar(
            durango, name="Con población indígena", measure=measure, disaggregations=["indigenous"]
        )
        workbook = download(client, durango)
        fill(workbook, "Avances", plain, "2025-T1", {"Valor": 3, "Sexo: Mujeres": 3})
        fill(workbook, "Avances", checked, "2025-T1", cells)
        fill(
            workbook,
            "Avances",
            plain,
            "2025-T2",
            {"Valor": 4, "Población indígena: De ellas o ellos": 1},
        )
        response = upload(client, durango, as_bytes(workbook))
        page = response.content.decode()
        not_planned = "La desagregación «Población indígena» no está prevista"
        assert response.status_code == 200 and page.count(not_planned) == 1
        if message is None:
            assert "<td>Desagregaciones</td>" not in page
        else:
            row = row_of(workbook, "Avances", checked, "2025-T1")
            assert f"<td>{row}</td><td>Desagregaciones</td><td>{message}" in page


class TestOneRuleWithUpdateSave:
    """The preview refuses a row with the messages update_save gives for the same numbers (both call
    update_check), each on the column it concerns."""

    @pytest.mark.parametrize(
        ("case", "cells", "columns"),
        [
            ("locked", {"value": "5"}, ["Periodo"]),
            ("submitted", {"value": "5"}, ["Estado del avance"]),
            (
                "open",
                {"value": "2.5", "sex:women": "1", "sex:men": "1"},
                ["Desagregaciones", "Valor"],
            ),
            ("open", {"value": "-3"}, ["Valor"]),
            ("open", {"numerator": "1"}, ["Denominador"]),  # the missing one
            ("open", {"numerator": "1", "denominator": "0"}, ["Denominador"]),
            ("open", {"value": "5", "sex:women": "4"}, ["Desagregaciones"]),
        ],
        ids=[
            "locked",
            "submitted",
            "value-and-breakdown",
            "negative",
            "numerator-alone",
            "zero",
            "breakdown",
        ],
    )
    def test_the_preview_refuses_what_update_save_refuses_with_the_same_messages(
        self, durango, case, cells, columns
    ):
        indicator = indicator_with_calendar(durango)
        current = submitted(indicator, value=Decimal(7)) if case == "submitted" else None
        if case == "locked":
            ReportingPeriod.objects.filter(indicator=indicator, label="2025-T1").update(locked=True)
        record = {"code": str(indicator.code), "period": "2025-T1", **cells}
        sheet = spreadsheets.SheetRows(sheet="Avances", columns={}, rows=iter([(2, record)]))
        preview = spreadsheets.validate_updates(durango, spreadsheets.indicator_set(durango), sheet)

        numbers = {key: Decimal(text) for key, text in cells.items() if ":" not in key}
        breakdown: dict = {}
        for key, text in cells.items():
            if ":" in key:
                dimension, category = key.split(":")
                breakdown.setdefault(dimension, {})[category] = Decimal(text)
        with pytest.raises(ValidationError) as refused:
            update_save(
                actor=None,
                period=period(indicator),
                expected_version=current.version if current else None,
                breakdown=breakdown,
                **numbers,
            )
        assert [p.column for p in preview.problems] == columns
        assert sorted(p.message for p in preview.problems) == sorted(refused.value.messages)
        assert not preview.changes
