from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transversal.audit.models import AuditEvent
from transversal.genderstats import selectors, services
from transversal.genderstats.models import ImportStatus, StatImport, StatValue
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def employed(db):
    return make_indicator(
        "poblacion-ocupada", measure="conteo", unit="Personas", direction="negative"
    )


GOOD = [
    HEADER,
    "poblacion-ocupada,2024,10,mujeres,,310500,Personas,ENDIREH,,,",
    "poblacion-ocupada,2024,10,hombres,,452300,Personas,ENDIREH,,,",
    "poblacion-ocupada,2024,32,Mujeres,,291200,personas,endireh,,,",
    "poblacion-ocupada,2024,32,Hombres,,410050,Personas,ENDIREH,,,",
]


def _preview(coordinator, lines):
    return services.import_preview(actor=coordinator, upload=csv_file(lines), filename="e.csv")


def _refused(coordinator, lines) -> list[dict]:
    with pytest.raises(services.ImportRefused) as refused:
        _preview(coordinator, lines)
    return [p.as_dict() for p in refused.value.problems]


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(coordinator, employed):
    bad = [*GOOD, "poblacion-ocupada,2024,33,mujeres,,1000,Personas,ENDIREH,,,"]
    assert _refused(coordinator, bad) == [
        {
            "row": 6,
            "column": "clave_entidad",
            "message": "«33» no es una clave de entidad: use 01 a 32, o 00 (o vacía) para la "
            "nacional.",
        }
    ]
    assert not StatImport.objects.exists()
    assert not StatValue.objects.exists()


def test_every_problem_of_a_row_names_its_column_in_spanish(coordinator, employed):
    problems = _refused(
        coordinator,
        [
            HEADER,
            "no-existe,20x4,10,M,,abc,Personas,ENOE,-1,,",
            "poblacion-ocupada,2024,10,mujeres,,12.5,Pesos,ENOE,,5,",
        ],
    )
    found = {(p["row"], p["column"]) for p in problems}
    assert found == {
        (2, "indicador"),
        (2, "anio"),
        (2, "sexo"),
        (2, "valor"),
        (2, "cv"),
        (3, "valor"),  # a count is a whole number
        (3, "unidad"),
        (3, "fuente"),
        (3, "ls"),  # one limit without the other
    }


def test_a_repeated_figure_names_the_first_row(coordinator, employed):
    problems = _refused(coordinator, [*GOOD, GOOD[1]])
    assert problems[0]["row"] == 6
    assert "fila 2" in problems[0]["message"]


def test_a_good_file_produces_gaps_ratio_and_femininity_index_by_hand(coordinator, employed):
    stat_import = _preview(coordinator, GOOD)
    assert stat_import.status == ImportStatus.PREVIEW
    assert stat_import.result == {"created": 4, "updated": 0, "unchanged": 0}
    services.import_apply(actor=coordinator, stat_import=stat_import)
    table = selectors.state_table(employed, 2024)
    durango = next(row for row in table.rows if row.state.code == "10")
    # 310,500 − 452,300 = −141,800; 310,500 / 452,300 = 0.68649…; × 100 = 68.6 women per 100 men
    assert durango.gap == Decimal("-141800")
    assert durango.ratio == Decimal("0.6865")
    assert durango.femininity_index == Decimal("68.6")
    zacatecas = next(row for row in table.rows if row.state.code == "32")
    assert zacatecas.gap == Decimal("-118850")  # 291,200 − 410,050
    # Negative gaps are the disadvantage here: Durango's −141,800 ranks first.
    assert [(c.state.code, c.rank) for c in table.ranked] == [("10", 1), ("32", 2)]


def test_applying_leaves_one_audit_event(coordinator, employed):
    stat_import = services.import_apply(actor=coordinator, stat_import=_preview(coordinator, GOOD))
    event = AuditEvent.objects.get(verb="statimport.apply")
    assert event.actor == coordinator
    assert event.target_id == str(stat_import.pk)
    assert event.changes["created"] == [None, 4]


def test_importing_the_same_values_again_changes_nothing(coordinator, employed):
    services.import_apply(actor=coordinator, stat_import=_preview(coordinator, GOOD))
    before = list(StatValue.objects.order_by("pk").values())
    again = _preview(coordinator, GOOD)
    assert again.result == {"created": 0, "updated": 0, "unchanged": 4}
    applied = services.import_apply(actor=coordinator, stat_import=again)
    assert applied.result == {"created": 0, "updated": 0, "unchanged": 4}
    assert list(StatValue.objects.order_by("pk").values()) == before


def test_a_changed_value_is_updated_in_place(coordinator, employed):
    services.import_apply(actor=coordinator, stat_import=_preview(coordinator, GOOD))
    changed = [GOOD[0], GOOD[1].replace("310500", "310600")]
    applied = services.import_apply(actor=coordinator, stat_import=_preview(coordinator, changed))
    assert applied.result == {"created": 0, "updated": 1, "unchanged": 0}
    assert StatValue.objects.get(state__code="10", sex="mujeres").value == Decimal("310600")


def test_an_import_is_applied_once(coordinator, employed):
    stat_import = _preview(coordinator, GOOD)
    services.import_apply(actor=coordinator, stat_import=stat_import)
    stat_import.refresh_from_db()
    with pytest.raises(ValidationError):
        services.import_apply(actor=coordinator, stat_import=stat_import)


def test_national_rows_take_00_or_an_empty_key_and_a_dropped_zero_is_restored(
    coordinator, employed
):
    lines = [
        HEADER,
        "poblacion-ocupada,2024,00,mujeres,,100,Personas,ENDIREH,,,",
        "poblacion-ocupada,2024,,hombres,,120,Personas,ENDIREH,,,",
        "poblacion-ocupada,2024,1,hombres,,7,Personas,ENDIREH,,,",
    ]
    services.import_apply(actor=coordinator, stat_import=_preview(coordinator, lines))
    assert StatValue.objects.filter(state__isnull=True).count() == 2
    assert StatValue.objects.get(state__code="01").value == 7


def test_a_file_that_is_not_a_table_is_refused_with_a_message(coordinator, employed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("e.csv", b"\x00\x01\x02binary", content_type="text/csv")
    with pytest.raises(ValidationError):
        services.import_preview(actor=coordinator, upload=upload, filename="e.csv")


def test_a_missing_column_is_named(coordinator, employed):
    with pytest.raises(ValidationError) as error:
        _preview(coordinator, ["indicador,anio,sexo,valor,unidad,fuente", "a,2024,mujeres,1,x,y"])
    assert "clave_entidad" in str(error.value)


def test_one_missing_column_reads_in_the_singular_and_several_in_the_plural(coordinator, employed):
    with pytest.raises(ValidationError) as one:
        _preview(coordinator, ["indicador,anio,sexo,valor,unidad,fuente", "a,2024,mujeres,1,x,y"])
    assert "Al archivo le falta la columna «clave_entidad». Las columnas son:" in str(one.value)
    with pytest.raises(ValidationError) as several:
        _preview(coordinator, ["a,b,c", "1,2,3"])
    assert (
        "Al archivo le faltan las columnas «indicador», «anio», «clave_entidad», «sexo», "
        "«valor», «unidad», «fuente». Las columnas son:"
    ) in str(several.value)


@pytest.mark.parametrize("year", ["dos mil", "2024.5.1", "1e3"])
def test_a_year_that_is_not_a_number_gets_a_year_example(coordinator, employed, year):
    problems = _refused(
        coordinator, [HEADER, f"poblacion-ocupada,{year},10,mujeres,,1,Personas,ENDIREH,,,"]
    )
    assert problems == [
        {
            "row": 2,
            "column": "anio",
            "message": f"«{year}» no es un año. Escriba el año con cuatro cifras, por ejemplo "
            "2024.",
        }
    ]


def test_the_value_column_keeps_the_number_example(coordinator, employed):
    problems = _refused(
        coordinator, [HEADER, "poblacion-ocupada,2024,10,mujeres,,mil,Personas,ENDIREH,,,"]
    )
    assert [p["message"] for p in problems] == [
        "«mil» no es un número. Escriba, por ejemplo, 1200, 1,200 o 1,200.5."
    ]


def test_an_xlsx_file_reads_like_the_csv(coordinator, employed):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD:
        cells = line.split(",")
        sheet.append([int(c) if c.isdigit() and len(c) > 2 else c or None for c in cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("e.xlsx", buffer.getvalue())
    stat_import = services.import_preview(actor=coordinator, upload=upload, filename="e.xlsx")
    assert stat_import.problems == []
    assert stat_import.result["created"] == 4


def test_a_hostile_file_name_is_kept_harmless(coordinator, employed):
    stat_import = services.import_preview(
        actor=coordinator, upload=csv_file(GOOD), filename="a\x00b<script>.csv"
    )
    assert "\x00" not in stat_import.filename and "<" not in stat_import.filename
