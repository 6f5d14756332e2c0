from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from transversal.agreements.models import Agreement
from transversal.agreements.services import agreement_create
from transversal.monitoring.tests.factories import indicator_with_calendar
from transversal.reports.tests.test_renderers import convert_with_libreoffice
from transversal.reports.xlsx import Column, queryset_to_xlsx

pytestmark = pytest.mark.django_db

AGREEMENTS = reverse("reports:export_agreements")
INDICATORS = reverse("reports:export_indicators")


def _sheet(response, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return load_workbook(path).active, path


def test_the_generic_writer_neutralises_formulas_and_keeps_dates(tmp_path):
    rows = [
        {"name": '=HYPERLINK("http://x")', "on": dt.date(2025, 3, 1), "n": 3},
        {"name": "@SUM(A1)", "on": None, "n": 4},
    ]
    columns = [
        Column("Nombre", lambda r: r["name"]),
        Column("Fecha", lambda r: r["on"]),
        Column("N", lambda r: r["n"]),
    ]
    handle = queryset_to_xlsx(rows, columns)
    path = tmp_path / "x.xlsx"
    path.write_bytes(handle.read())

    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["Nombre", "Fecha", "N"] and sheet["A1"].font.b
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@SUM(A1)"
    assert (
        sheet["B2"].value == dt.datetime(2025, 3, 1) and sheet["B2"].number_format == "dd/mm/yyyy"
    )
    assert sheet["C3"].value == 4


def test_the_agreement_export_applies_the_list_filters(
    client_for, coordinator, dataset, national, zacatecas, tmp_path
):
    agreement_create(
        actor=None,
        national_institution=national,
        state_institution=zacatecas,
        title="=cmd|' /C calc'!A0",
        valid_from=dt.date(2025, 1, 1),
    )
    client = client_for(coordinator)

    sheet, _path = _sheet(client.get(AGREEMENTS, {"entidad": "32"}), tmp_path)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "32"
    assert rows[0][3] == "'=cmd|' /C calc'!A0"
    assert rows[0][6] == dt.datetime(2025, 1, 1)

    sheet, _path = _sheet(client.get(AGREEMENTS, {"estado": "in_force"}), tmp_path)
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Convenio de colaboración 2025 con Durango"
    ]


def test_anonymous_visitors_export_only_published_agreements(
    client_for, dataset, national, zacatecas, tmp_path
):
    agreement_create(
        actor=None, national_institution=national, state_institution=zacatecas, title="Borrador"
    )
    sheet, _path = _sheet(client_for(None).get(AGREEMENTS), tmp_path)

    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Convenio de colaboración 2025 con Durango"
    ]


def test_the_indicator_export_shows_what_the_person_may_see(
    client_for, outsider, dataset, tmp_path
):
    sheet, _path = _sheet(client_for(outsider).get(INDICATORS), tmp_path)
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Indicador Z de Zacatecas"
    ]


def test_the_indicator_export_applies_the_institution_filter(
    client_for, coordinator, dataset, durango, tmp_path
):
    sheet, path = _sheet(
        client_for(coordinator).get(INDICATORS, {"institucion": durango.slug}), tmp_path
    )
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 4 and "Indicador Z de Zacatecas" not in names
    convert_with_libreoffice(path, tmp_path)


def test_the_exports_take_a_constant_number_of_queries(
    client_for, coordinator, dataset, national, durango, zacatecas
):
    client = client_for(coordinator)

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(queries)

    # session, user, memberships (scope), then the rows and one prefetch of institution names.
    before = (count(AGREEMENTS), count(INDICATORS))
    for n in range(3):
        agreement_create(
            actor=None,
            national_institution=national,
            state_institution=zacatecas,
            title=f"Extra {n}",
        )
        indicator_with_calendar(durango, name=f"Extra {n}")
    assert Agreement.objects.count() == 4
    assert (count(AGREEMENTS), count(INDICATORS)) == before == (5, 5)
