"""Open data files: the package descriptor, CSV and JSON, formula neutralisation, suppression,
streaming."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from hypothesis import given
from hypothesis import strategies as st

from transversal.agreements.models import Agreement, Goal
from transversal.monitoring.models import ProgressUpdate
from transversal.portal import datasets
from transversal.portal.tests.conftest import body
from transversal.portal.tests.world import HYPERLINK
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

TABLE_SCHEMA_TYPES = {"string", "integer", "number", "boolean", "date", "datetime"}


def read_csv(client, name: str) -> list[dict]:
    text = body(client.get(f"/datos/{name}.csv"))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def reference_csv(dataset: datasets.Dataset) -> str:
    """The file as a plain ``csv.writer`` writes ``csv_cell`` of every value: the rule the
    streamed file must keep, however it is produced."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.field_names)
    types = [f.type for f in dataset.fields]
    for row in dataset.iter_rows():
        writer.writerow(
            [datasets.csv_cell(value, type_) for value, type_ in zip(row, types, strict=True)]
        )
    return buffer.getvalue()


def test_the_data_package_describes_every_file_it_lists_and_every_file_is_served(client, world):
    response = client.get("/datos/datapackage.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    package = json.loads(response.content)
    assert package["name"] == "transversal-datos-abiertos" and package["title"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    names = [resource["name"] for resource in package["resources"]]
    assert len(names) == len(set(names)) == 2 * len(datasets.DATASETS)
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._/-]+", resource["name"])
        assert {"path", "format", "mediatype", "schema"} <= set(resource)
        fields = resource["schema"]["fields"]
        assert fields and all(f["type"] in TABLE_SCHEMA_TYPES and f["description"] for f in fields)
        for key in resource["schema"].get("primaryKey", []):
            assert key in [f["name"] for f in fields]
        for foreign in resource["schema"].get("foreignKeys", []):
            target = next(
                r for r in package["resources"] if r["name"] == foreign["reference"]["resource"]
            )
            assert foreign["reference"]["fields"] in [f["name"] for f in target["schema"]["fields"]]
        served = client.get(f"/datos/{resource['path']}")
        assert served.status_code == 200, resource["path"]
        text = body(served)
        names_in_order = [f["name"] for f in fields]
        if resource["format"] == "csv":
            assert served["Content-Type"] == "text/csv; charset=utf-8"
            assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == names_in_order
        else:
            rows = json.loads(text)
            assert isinstance(rows, list)
            for row in rows:
                assert list(row) == names_in_order


def test_the_descriptor_stays_in_spanish_for_english_visitors(client, world):
    client.cookies["django_language"] = "en"
    package = json.loads(client.get("/datos/datapackage.json").content)
    assert package["resources"][0]["title"] == "Entidades federativas"


def test_csv_has_a_bom_and_neutralises_formulas_but_not_numbers(client, world):
    goals = read_csv(client, "metas")
    descriptions = [row["descripcion"] for row in goals]
    assert "'" + HYPERLINK in descriptions
    assert HYPERLINK not in descriptions
    assert all(re.fullmatch(r"\d+", row["numero"]) for row in goals)
    values = read_csv(client, "valores-aprobados")
    assert [row["valor"] for row in values] == ["95"]
    assert values[0]["fecha_aprobacion"] == dt.date.today().isoformat()


def test_json_keeps_the_text_as_typed_and_numbers_as_numbers(client, world):
    goals = json.loads(body(client.get("/datos/metas.json")))
    assert HYPERLINK in [goal["descripcion"] for goal in goals]
    values = json.loads(body(client.get("/datos/valores-aprobados.json")))
    assert values[0]["valor"] == 95 and values[0]["meta"] == 100
    assert values[0]["sobrecumplimiento"] is False


def test_dates_are_iso_and_lists_are_joined(client, world):
    agreements = read_csv(client, "convenios")
    assert agreements[0]["fecha_firma"] == "2025-02-03"
    assert agreements[0]["areas_enfasis"] == "empoderamiento_economico;prevencion_violencia"
    periods = read_csv(client, "periodos")
    assert periods[0]["inicio"] == "2025-01-01" and periods[0]["fin"] == "2025-03-31"


def test_institutions_carry_their_current_name(client, world):
    rows = {row["clave_institucion"]: row for row in read_csv(client, "instituciones")}
    assert rows["iem-durango-test"]["nombre_vigente"] == "Instituto Estatal de las Mujeres"
    assert rows["iem-durango-test"]["clave_entidad"] == "10"


def test_small_counts_are_suppressed_with_a_flag(client, world):
    rows = read_csv(client, "valores-desagregados")
    by_category = {row["categoria"]: row for row in rows if row["desagregacion"] == "sexo"}
    assert (
        by_category["mujeres"]["valor"] == "90" and by_category["mujeres"]["suprimido"] == "false"
    )
    for hidden in ("hombres", "no_especificado"):
        assert by_category[hidden]["valor"] == "" and by_category[hidden]["suprimido"] == "true"
    as_json = json.loads(body(client.get("/datos/valores-desagregados.json")))
    assert {row["categoria"]: row["valor"] for row in as_json} == {
        "mujeres": 90,
        "hombres": None,
        "no_especificado": None,
    }


def test_the_threshold_follows_the_setting(client, world, settings):
    settings.OPEN_DATA_MIN_COUNT = 2
    rows = {row["categoria"]: row for row in read_csv(client, "valores-desagregados")}
    # men = 3 is no longer small; unspecified = 2 is not below 2 either.
    assert rows["hombres"]["valor"] == "3" and rows["no_especificado"]["valor"] == "2"


def test_the_index_explains_the_licence_the_datasets_and_the_suppression_rule(client, world):
    html = body(client.get("/datos/"))
    assert "CC-BY-4.0" in html and "Creative Commons" in html
    assert "menores que 5" in html and "suprimido" in html
    for dataset in datasets.DATASETS:
        assert f"/datos/{dataset.name}.csv" in html and f"/datos/{dataset.name}.json" in html


def test_files_are_streamed_and_open_to_any_site(client, world):
    for dataset in datasets.DATASETS:
        for fmt in ("csv", "json"):
            response = client.get(f"/datos/{dataset.name}.{fmt}")
            assert isinstance(response, StreamingHttpResponse)
            assert response["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in client.get("/datos/entidades.csv")["Content-Disposition"]


def test_a_large_table_is_written_in_chunks_of_bounded_size(client, world):
    from transversal.monitoring.models import ReportingPeriod

    day = dt.date(2030, 1, 1)
    ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            indicator=world.indicator,
            label=f"X{n:05d}",
            start=day,
            end=day,
            due_date=day,
            target=Decimal(n),
        )
        for n in range(3000)
    )
    for fmt in ("csv", "json"):
        response = client.get(f"/datos/periodos.{fmt}")
        assert isinstance(response, StreamingHttpResponse)
        chunks = [chunk.decode("utf-8") for chunk in response.streaming_content]
        per_chunk = [chunk.count("X0") + chunk.count("X1") + chunk.count("X2") for chunk in chunks]
        assert sum(per_chunk) == 3000
        assert len(chunks) >= 3000 // datasets.BATCH_ROWS
        assert max(per_chunk) <= datasets.BATCH_ROWS
    rows = json.loads(body(client.get("/datos/periodos.json")))
    assert len(rows) == 3000 + 4
    assert body(client.get("/datos/periodos.csv")) == reference_csv(datasets.BY_NAME["periodos"])


def test_cells_are_written_as_their_type_says():
    assert datasets.csv_cell(Decimal("-5.5000"), "number") == "-5.5"
    assert datasets.csv_cell(Decimal("100.0000"), "number") == "100"
    assert datasets.csv_cell("-5", "string") == "'-5"
    assert datasets.csv_cell("@SUM(A1)", "string") == "'@SUM(A1)"
    assert datasets.csv_cell("\tx", "string") == "'\tx"
    assert datasets.csv_cell(None, "date") == ""
    assert datasets.csv_cell(dt.date(2025, 3, 31), "date") == "2025-03-31"
    assert datasets.csv_cell(True, "boolean") == "true"
    assert datasets.json_value(Decimal("-0.2500")) == "-0.25"


def test_every_csv_file_is_what_a_plain_csv_writer_makes_of_its_rows(client, world):
    approved = ProgressUpdate.objects.filter(status="approved", period__indicator=world.indicator)
    approved.update(narrative='-1, dijo "ella"\r\nsegunda línea', progress=Decimal("12.50"))
    Goal.objects.filter(agreement=world.agreement, number=1).update(description="@SUMA(A1),\tfin")
    Agreement.objects.filter(pk=world.agreement.pk).update(title='+52 "Durango"')
    for dataset in datasets.DATASETS:
        assert body(client.get(f"/datos/{dataset.name}.csv")) == reference_csv(dataset), (
            dataset.name
        )
    narrative = read_csv(client, "valores-aprobados")[0]
    assert narrative["narrativa"] == '\'-1, dijo "ella"\r\nsegunda línea'
    assert narrative["avance_porcentaje"] == "12.5"
    assert "'@SUMA(A1),\tfin" in [goal["descripcion"] for goal in read_csv(client, "metas")]
    assert read_csv(client, "convenios")[0]["titulo"] == '\'+52 "Durango"'


def test_every_csv_file_reads_its_rows_through_the_public_queryset_api_in_chunks(
    client, world, monkeypatch
):
    # No private query compiler (it changes between Django versions without notice): one
    # ``QuerySet.iterator`` per file, fetching CHUNK_SIZE rows per round trip.
    chunk_sizes = []
    iterator = QuerySet.iterator

    def counted(queryset, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return iterator(queryset, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", counted)
    for dataset in datasets.DATASETS:
        chunk_sizes.clear()
        text = "".join(datasets.stream_csv(dataset))
        assert chunk_sizes == [datasets.CHUNK_SIZE], dataset.name
        assert text == reference_csv(dataset), dataset.name


def test_the_approval_date_is_the_local_day_the_database_would_compute(client, world, settings):
    settings.TIME_ZONE = "America/Mexico_City"
    approved = ProgressUpdate.objects.filter(status="approved", period__indicator=world.indicator)
    # 03:30 on 1 April in UTC is still 31 March in Mexico City.
    approved.update(reviewed_at=dt.datetime(2025, 4, 1, 3, 30, tzinfo=dt.UTC))
    assert list(approved.values_list("reviewed_at__date", flat=True)) == [dt.date(2025, 3, 31)]
    assert read_csv(client, "valores-aprobados")[0]["fecha_aprobacion"] == "2025-03-31"
    assert (
        json.loads(body(client.get("/datos/valores-aprobados.json")))[0]["fecha_aprobacion"]
        == "2025-03-31"
    )
    approved.update(reviewed_at=None)
    assert read_csv(client, "valores-aprobados")[0]["fecha_aprobacion"] == ""
    assert (
        json.loads(body(client.get("/datos/valores-aprobados.json")))[0]["fecha_aprobacion"] is None
    )


FORMULAS = st.sampled_from(
    ["=1+1", "-5", "+52", "@A1", "\tx", "\rx", "a,b", 'dijo "sí"', "a\nb", "a\rb", ""]
)
VALUES = {
    "string": st.none() | st.text(max_size=12) | FORMULAS,
    "number": st.none()
    | st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    ),
    "integer": st.none() | st.integers(-(10**9), 10**9) | st.booleans(),
    "date": st.none() | st.dates(),
    "boolean": st.none() | st.booleans(),
    "datetime": st.none() | st.datetimes(),
}


@given(st.data())
def test_any_row_is_written_as_csv_writer_writes_its_cells(data):
    types = data.draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=5))
    rows = data.draw(st.lists(st.tuples(*(VALUES[type_] for type_ in types)), max_size=4))
    dataset = datasets.Dataset(
        name="prueba",
        title="",
        description="",
        queryset=State.objects.none,
        columns=("code",),
        rows=lambda _values: iter(rows),
        fields=tuple(datasets.Field(f"columna_{n}", type_, "") for n, type_ in enumerate(types)),
    )
    assert "".join(datasets.stream_csv(dataset)) == reference_csv(dataset)


def test_a_column_with_more_distinct_values_than_it_remembers_is_still_written_right(
    client, world, monkeypatch
):
    monkeypatch.setattr(datasets, "MEMO_SIZE", 2)
    for dataset in datasets.DATASETS:
        assert body(client.get(f"/datos/{dataset.name}.csv")) == reference_csv(dataset), (
            dataset.name
        )


def test_a_remembered_column_never_mixes_up_equal_values_written_differently():
    write = datasets._remembered(repr)
    values = [0, -0.0, 0.0, False, Decimal("-0"), 1, True, 1.0, Decimal("1.0")]
    assert [write(value) for value in values] == [repr(value) for value in values]
    noon = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)
    same_instant = noon.astimezone(dt.timezone(dt.timedelta(hours=-6)))
    assert [write(noon), write(same_instant)] == [repr(noon), repr(same_instant)]
