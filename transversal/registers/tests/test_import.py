"""Importing register entries from the XLSX template: template, parse (preview) and confirm.

Files are built from the downloaded template with openpyxl, as a person fills it in Excel.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from transversal.audit.models import AuditEvent
from transversal.registers import importing
from transversal.registers.importing import FileRejected, ImportFailed
from transversal.registers.models import REGISTER_MODELS, ServiceCount, TrainingEvent

pytestmark = pytest.mark.django_db

# Part of INEGI's catalogue (the test database has the states only).
MUNICIPALITIES = {
    "10001": "Canatlán",
    "10002": "Canelas",
    "10003": "Coneto de Comonfort",
    "10004": "Cuencamé",
    "10005": "Durango",
    "10006": "General Simón Bolívar",
    "10007": "Gómez Palacio",
    "10008": "Guadalupe Victoria",
    "32056": "Zacatecas",
}


@pytest.fixture(autouse=True)
def municipalities(db):
    from transversal.territory.models import Municipality, State

    for code, name in MUNICIPALITIES.items():
        Municipality.objects.get_or_create(
            code=code, defaults={"state": State.objects.get(code=code[:2]), "name": name}
        )


CURP = "GOMC850312MDGRRR09"

# A valid row of each register, by header (Durango's municipalities: 10005 is Durango).
ROWS = {
    "training": {
        "Nombre del evento": "Taller de masculinidades no violentas",
        "Tema": "Prevención de la violencia",
        "Población a la que se dirige": "Personas servidoras públicas",
        "Modalidad": "Presencial",
        "Horas": 8,
        "Inicio (dd/mm/aaaa)": dt.datetime(2025, 3, 10),
        "Término (dd/mm/aaaa)": "11/03/2025",
        "Municipio (clave INEGI)": "10005",
        "Institución que organiza": "Instituto Estatal de las Mujeres",
        "Constancias entregadas": 20,
        "Mujeres": 15,
        "Hombres": 10,
        "Sexo no especificado": 0,
    },
    "affirmative": {
        "Nombre de la acción": "Becas para madres estudiantes",
        "Fundamento jurídico": "Ley de Igualdad del Estado, artículo 12",
        "Grupo al que se dirige": "Madres jefas de familia estudiantes",
        "Inicio (dd/mm/aaaa)": "01/02/2025",
        "Término (dd/mm/aaaa)": "30/06/2025",
        "Municipios (claves INEGI separadas por comas)": "10005, 10007",
        "Recursos ejercidos (pesos)": "125,000.50",
        "Mujeres": 40,
        "Hombres": 0,
        "Sexo no especificado": 0,
        "De ellas y ellos: población indígena": 5,
    },
    "participation": {
        "Nombre del mecanismo": "Observatorio de participación política de las mujeres",
        "Tipo": "Observatorio",
        "Año": 2025,
        "Municipio (clave INEGI)": "",
        "Integrantes del sector público": 4,
        "Integrantes de la sociedad civil": 6,
        "Sesiones celebradas en el año": 3,
        "Acuerdos tomados en el año": 7,
        "Mujeres": 8,
        "Hombres": 2,
        "Sexo no especificado": 0,
    },
    "service": {
        "Mes (mm/aaaa)": "03/2025",
        "Servicio": "Asesoría jurídica",
        "Atención por violencia (sí/no)": "Sí",
        "Municipio (clave INEGI)": "10005",
        "Atenciones brindadas": 130,
        "Mujeres": 95,
        "Hombres": 3,
        "Sexo no especificado": 0,
        "0 a 14 años": 0,
        "15 a 29 años": 40,
        "30 a 44 años": 38,
        "45 a 64 años": 20,
        "65 años o más": 0,
    },
}


def filled(register, institution, rows, *, extra_headers=()) -> SimpleUploadedFile:
    """The downloaded template with ``rows`` (dicts by header) from row 2 on."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(importing.template_workbook(register, institution)))
    sheet = workbook[importing.data_sheet_name(register)]
    headers = [cell.value for cell in sheet[1] if cell.value]
    for offset, header in enumerate(extra_headers):
        sheet.cell(row=1, column=len(headers) + offset + 1, value=header)
    headers += list(extra_headers)
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(headers)
        assert not unknown, unknown
        for index, header in enumerate(headers, start=1):
            if header in row:
                sheet.cell(row=number, column=index, value=row[header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(f"{register}.xlsx", buffer.getvalue())


def service_row(**changes) -> dict:
    return {**ROWS["service"], **changes}


def messages(parsed) -> list[str]:
    return [str(problem) for problem in parsed.problems]


# The template -------------------------------------------------------------------------------


@pytest.mark.parametrize("register", list(ROWS))
def test_the_template_has_the_data_sheet_instructions_and_catalogues(register, durango):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(importing.template_workbook(register, durango)))
    assert workbook.sheetnames[:2] == [importing.data_sheet_name(register), "Instrucciones"]
    assert "Municipios" in workbook.sheetnames
    municipalities = workbook["Municipios"]
    codes = [row[0] for row in municipalities.iter_rows(min_row=2, values_only=True)]
    assert "10005" in codes and all(code.startswith("10") for code in codes)
    data = workbook[importing.data_sheet_name(register)]
    assert [c.value for c in data[1]][-1] == "Observaciones"
    assert data.data_validations.dataValidation, "drop-down lists and number checks"


def test_the_training_template_lists_audiences_and_modalities_in_spanish(durango):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(importing.template_workbook("training", durango)))
    audiences = [r[0] for r in workbook["Poblaciones"].iter_rows(min_row=2, values_only=True)]
    assert "Personas servidoras públicas" in audiences
    assert [r[0] for r in workbook["Modalidades"].iter_rows(min_row=2, values_only=True)] == [
        "Presencial",
        "En línea",
        "Mixta",
    ]


def test_the_template_takes_two_queries(durango, django_assert_num_queries):
    # Municipalities of the state; coordination systems (participation only).
    with django_assert_num_queries(2):
        importing.template_workbook("participation", durango)


# Round trip: template, rows, parse, confirm ------------------------------------------------


@pytest.mark.parametrize("register", list(ROWS))
def test_a_filled_template_round_trips_into_entries(register, durango, editor):
    upload = filled(register, durango, [ROWS[register]])
    parsed = importing.parse(register, durango, upload)
    assert messages(parsed) == []
    assert len(parsed.rows) == 1
    count = importing.import_confirm(
        actor=editor, register=register, institution=durango, rows=parsed.rows, filename="f.xlsx"
    )
    assert count == 1
    entry = REGISTER_MODELS[register].objects.get()
    assert entry.institution == durango and entry.created_by == editor
    assert entry.women == ROWS[register]["Mujeres"]
    verbs = AuditEvent.objects.filter(actor=editor).order_by("pk").values_list("verb", flat=True)
    assert list(verbs) == [f"{register}.create", f"{register}.import"]


def test_the_imported_training_keeps_dates_hours_and_municipality(durango, editor):
    parsed = importing.parse("training", durango, filled("training", durango, [ROWS["training"]]))
    importing.import_confirm(
        actor=editor, register="training", institution=durango, rows=parsed.rows
    )
    event = TrainingEvent.objects.get()
    assert (event.start, event.end, event.counted_on) == (
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 11),
        dt.date(2025, 3, 11),
    )
    assert event.hours == Decimal(8) and event.municipality.code == "10005"
    assert (event.audience, event.modality) == ("public_servants", "in_person")


def test_the_affirmative_action_gets_its_municipalities_and_resources(durango, editor):
    from transversal.registers.models import AffirmativeAction

    parsed = importing.parse(
        "affirmative", durango, filled("affirmative", durango, [ROWS["affirmative"]])
    )
    importing.import_confirm(
        actor=editor, register="affirmative", institution=durango, rows=parsed.rows
    )
    action = AffirmativeAction.objects.get()
    assert sorted(m.code for m in action.municipalities.all()) == ["10005", "10007"]
    assert action.resources == Decimal("125000.50")


def test_the_preview_shows_the_rows_and_the_totals(durango):
    rows = [service_row(), service_row(**{"Municipio (clave INEGI)": "10007"})]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    assert parsed.totals == {
        "rows": 2,
        "women": 190,
        "men": 6,
        "sex_unspecified": 0,
        "total": 196,
    }
    assert [row["row"] for row in parsed.shown] == [2, 3]
    assert parsed.shown[0]["when"] == "03/2025"
    assert parsed.shown[0]["title"] == "Asesoría jurídica"


# Personal data ------------------------------------------------------------------------------


def test_a_services_row_with_a_curp_is_refused_naming_the_row(durango, editor):
    rows = [service_row(), service_row(**{"Observaciones": f"Usuaria con CURP {CURP}"})]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    assert not parsed.ok and parsed.rows == []
    assert messages(parsed) == [
        "Fila 3, columna «Observaciones»: Parece contener una CURP («"
        + CURP
        + "»). Los registros cuentan personas sin identificarlas: no escriba nombres, CURP, "
        "teléfonos, correos ni domicilios."
    ]
    assert ServiceCount.objects.count() == 0


def test_a_services_row_with_a_personal_name_is_refused_naming_the_row(durango):
    rows = [service_row(**{"Observaciones": "Atendida: María Fernanda López"}), service_row()]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Observaciones")]
    assert "un nombre de persona" in messages(parsed)[0]
    assert messages(parsed)[0].startswith("Fila 2, columna «Observaciones»")


def test_a_curp_in_a_column_the_template_does_not_have_is_refused(durango):
    rows = [service_row(**{"Usuaria": CURP})]
    parsed = importing.parse(
        "service", durango, filled("service", durango, rows, extra_headers=["Usuaria"])
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Usuaria")]
    assert "una CURP" in parsed.problems[0].message


def test_a_telephone_typed_as_a_number_in_an_extra_column_is_refused(durango):
    rows = [service_row(**{"Contacto": 6181234567})]
    parsed = importing.parse(
        "service", durango, filled("service", durango, rows, extra_headers=["Contacto"])
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Contacto")]
    assert "un número telefónico" in parsed.problems[0].message


def test_a_curp_in_a_count_column_is_named_as_personal_data(durango):
    parsed = importing.parse(
        "service", durango, filled("service", durango, [service_row(Mujeres=CURP)])
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Mujeres")]
    assert "una CURP" in parsed.problems[0].message


def test_an_extra_column_without_personal_data_is_ignored_and_named(durango):
    rows = [service_row(**{"Total": 98})]
    parsed = importing.parse(
        "service", durango, filled("service", durango, rows, extra_headers=["Total"])
    )
    assert parsed.ok and parsed.ignored_columns == ["Total"]


def test_a_municipality_named_like_a_person_is_read_as_the_municipality(durango):
    # Guadalupe Victoria is a municipality of Durango: its name in the municipality column and
    # in the notes is a place, not a person.
    row = service_row(
        **{
            "Municipio (clave INEGI)": "Guadalupe Victoria",
            "Observaciones": "Módulo itinerante en Guadalupe Victoria",
        }
    )
    parsed = importing.parse("service", durango, filled("service", durango, [row]))
    assert messages(parsed) == []
    assert parsed.shown[0]["place"] == "Guadalupe Victoria"


# Totals against parts, duplicates -----------------------------------------------------------


def test_age_groups_that_do_not_add_up_to_the_people_are_refused(durango):
    parsed = importing.parse(
        "service",
        durango,
        filled("service", durango, [service_row(**{"15 a 29 años": 41})]),
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Edad no especificada")]
    assert "Los grupos de edad suman 99 y las personas por sexo 98" in parsed.problems[0].message


def test_members_by_sector_that_do_not_add_up_are_refused(durango):
    row = {**ROWS["participation"], "Integrantes de la sociedad civil": 5}
    parsed = importing.parse("participation", durango, filled("participation", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Integrantes de otros sectores")]


def test_fewer_attentions_than_people_are_refused(durango):
    row = service_row(**{"Atenciones brindadas": 90})
    parsed = importing.parse("service", durango, filled("service", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Atenciones brindadas")]


def test_a_row_repeated_in_the_file_is_a_problem(durango):
    parsed = importing.parse(
        "service", durango, filled("service", durango, [service_row(), service_row()])
    )
    assert messages(parsed) == [
        "Fila 3: Repite la fila 2 (mismo servicio, mes, tipo de atención y municipio)."
    ]


def test_a_row_that_repeats_a_recorded_entry_is_a_problem_not_an_overwrite(durango, editor):
    first = importing.parse("service", durango, filled("service", durango, [service_row()]))
    importing.import_confirm(actor=editor, register="service", institution=durango, rows=first.rows)
    again = importing.parse(
        "service",
        durango,
        filled(
            "service",
            durango,
            [
                service_row(**{"Municipio (clave INEGI)": "10007"}),
                service_row(
                    Mujeres=1,
                    **{
                        "0 a 14 años": None,
                        "15 a 29 años": None,
                        "30 a 44 años": None,
                        "45 a 64 años": None,
                        "65 años o más": None,
                    },
                ),
            ],
        ),
    )
    assert [p.row for p in again.problems] == [3]
    assert "Ya hay un registro capturado" in again.problems[0].message
    assert ServiceCount.objects.get().women == 95


def training_row(**changes) -> dict:
    return {**ROWS["training"], **changes}


def test_a_training_like_one_recorded_is_warned_of_and_still_imported(durango, editor):
    TrainingEvent.objects.create(
        institution=durango,
        name="Taller de Masculinidades no violentas",
        topic="Prevención",
        audience="general",
        modality="online",
        hours=Decimal(2),
        start=dt.date(2025, 3, 10),
        end=dt.date(2025, 3, 14),
        organiser="Instituto",
        women=3,
    )
    # The same start and title but for case, accents and spaces; another end, so it is not
    # the exact repetition the import refuses.
    row = training_row(**{"Nombre del evento": " TALLER de masculinidades  no violéntas"})
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert parsed.ok and parsed.problems == []
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "")]
    assert "ya registró «Taller de Masculinidades no violentas»" in parsed.warnings[0].message
    assert "10/03/2025 – 14/03/2025" in parsed.warnings[0].message
    assert parsed.shown[0]["warned"] is True
    importing.import_confirm(
        actor=editor, register="training", institution=durango, rows=parsed.rows
    )
    assert TrainingEvent.objects.count() == 2


def test_two_rows_with_the_same_start_and_title_are_warned_of(durango):
    rows = [
        training_row(),
        training_row(**{"Municipio (clave INEGI)": "10007"}),  # another place: not refused
        training_row(**{"Inicio (dd/mm/aaaa)": dt.datetime(2025, 3, 11)}),
    ]
    parsed = importing.parse("training", durango, filled("training", durango, rows))
    assert parsed.ok
    assert [str(w) for w in parsed.warnings] == [
        "Fila 3: Tiene el mismo título e inicio que la fila 2: revise que no sea el mismo "
        "evento dos veces."
    ]
    assert [row["warned"] for row in parsed.shown] == [False, True, False]


def test_a_training_of_another_institution_or_start_is_not_warned_of(durango, zacatecas):
    for institution, start in ((zacatecas, dt.date(2025, 3, 10)), (durango, dt.date(2025, 3, 9))):
        TrainingEvent.objects.create(
            institution=institution,
            name=ROWS["training"]["Nombre del evento"],
            topic="Prevención",
            audience="general",
            modality="online",
            hours=Decimal(2),
            start=start,
            end=dt.date(2025, 3, 11),
            organiser="Instituto",
            women=3,
        )
    parsed = importing.parse("training", durango, filled("training", durango, [training_row()]))
    assert parsed.ok and parsed.warnings == []


def test_one_bad_row_saves_nothing(durango):
    rows = [service_row(), service_row(**{"Municipio (clave INEGI)": "99999"})]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "Municipio (clave INEGI)")]
    assert parsed.rows == []


# Hostile cells ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-3, "No puede ser negativo."),
        (2.5, "Escriba un número entero."),
        ("muchas", "no es un número"),
        (10**12, "El número es demasiado grande."),
        ("1e400", ""),
        (dt.datetime(2025, 3, 1), "Escriba un número, no una fecha u hora."),
        (True, "Escriba un número, no VERDADERO o FALSO."),
        ("#¡REF!", "error de Excel"),
        (None, "Escriba la cantidad (0 si no hubo)."),
    ],
)
def test_a_count_cell_that_is_not_a_whole_number_is_refused(value, expected, durango):
    parsed = importing.parse(
        "service", durango, filled("service", durango, [service_row(Hombres=value)])
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Hombres")]
    assert expected in parsed.problems[0].message


def test_a_formula_without_a_saved_result_reads_as_an_empty_cell(durango):
    # openpyxl writes formulas without their result; Excel saves both and the result is read.
    parsed = importing.parse(
        "service", durango, filled("service", durango, [service_row(Hombres="=1+2")])
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Hombres")]
    assert parsed.problems[0].message == "Escriba la cantidad (0 si no hubo)."


def test_a_date_in_a_text_column_is_refused(durango):
    row = {**ROWS["training"], "Tema": dt.datetime(2025, 3, 1)}
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert [(p.row, p.column, p.message) for p in parsed.problems] == [
        (2, "Tema", "Escriba un texto, no una fecha.")
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/02/2025", "Esa fecha no existe."),
        ("2025/03/10", "Escriba la fecha como dd/mm/aaaa."),
        ("10/03/1925", "El año debe estar entre 2000 y 2100."),
        ("el lunes", "Escriba la fecha como dd/mm/aaaa."),
    ],
)
def test_a_date_that_does_not_read_is_refused(value, expected, durango):
    row = {**ROWS["training"], "Inicio (dd/mm/aaaa)": value}
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert [(p.row, p.column, p.message) for p in parsed.problems] == [
        (2, "Inicio (dd/mm/aaaa)", expected)
    ]


def test_a_value_outside_the_catalogue_lists_the_valid_ones(durango):
    row = {**ROWS["training"], "Modalidad": "Telepatía"}
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert parsed.problems[0].column == "Modalidad"
    assert "Presencial, En línea, Mixta" in parsed.problems[0].message


def test_the_hours_keep_the_models_limits(durango):
    row = {**ROWS["training"], "Horas": 5000}
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Horas")]


def test_a_training_that_ends_before_it_starts_is_refused(durango):
    row = {**ROWS["training"], "Término (dd/mm/aaaa)": "01/03/2025"}
    parsed = importing.parse("training", durango, filled("training", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Término (dd/mm/aaaa)")]


def test_a_file_that_is_not_a_workbook_is_rejected(durango):
    with pytest.raises(FileRejected):
        importing.parse("service", durango, SimpleUploadedFile("x.xlsx", b"%PDF-1.4 nope"))


def test_another_registers_template_is_rejected_with_the_sheet_it_lacks(durango):
    upload = filled("training", durango, [ROWS["training"]])
    with pytest.raises(FileRejected, match="Servicios a mujeres"):
        importing.parse("service", durango, upload)


def test_an_empty_template_says_it_has_no_rows(durango):
    parsed = importing.parse("service", durango, filled("service", durango, []))
    assert messages(parsed) == ["El archivo no tiene filas con datos."]


def test_a_municipality_of_another_state_is_refused(durango):
    row = service_row(**{"Municipio (clave INEGI)": "32056"})  # Zacatecas, Zacatecas
    parsed = importing.parse("service", durango, filled("service", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Municipio (clave INEGI)")]


# Confirmation -------------------------------------------------------------------------------


def test_an_entry_recorded_since_the_preview_fails_the_whole_import(durango, editor):
    rows = [service_row(**{"Municipio (clave INEGI)": "10007"}), service_row()]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    other = importing.parse("service", durango, filled("service", durango, [service_row()]))
    importing.import_confirm(actor=editor, register="service", institution=durango, rows=other.rows)
    with pytest.raises(ImportFailed) as failed:
        importing.import_confirm(
            actor=editor, register="service", institution=durango, rows=parsed.rows
        )
    assert failed.value.conflict and failed.value.problems[0].row == 3
    assert ServiceCount.objects.count() == 1


def test_the_preview_takes_a_bounded_number_of_queries(durango, django_assert_num_queries):
    rows = [
        service_row(**{"Municipio (clave INEGI)": code})
        for code in ("10001", "10002", "10003", "10004", "10005", "10006", "10007", "10008")
    ]
    upload = filled("service", durango, rows)
    # Municipalities of the state; the entries already recorded in the file's months. The same
    # for 8 rows as for 1.
    with django_assert_num_queries(2):
        parsed = importing.parse("service", durango, upload)
    assert parsed.ok and len(parsed.rows) == 8


def test_the_training_preview_takes_a_bounded_number_of_queries(durango, django_assert_num_queries):
    rows = [
        training_row(**{"Nombre del evento": f"Taller {n}", "Municipio (clave INEGI)": code})
        for n, code in enumerate(("10001", "10002", "10003", "10004", "10005", "10006"))
    ]
    upload = filled("training", durango, rows)
    # Municipalities of the state; the entries already recorded in the file's dates; the
    # events recorded on its start dates (the possible duplicates). The same for 6 rows as for 1.
    with django_assert_num_queries(3):
        parsed = importing.parse("training", durango, upload)
    assert parsed.ok and len(parsed.rows) == 6


def test_a_file_with_more_rows_than_one_import_takes_is_rejected(durango, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [
        service_row(**{"Municipio (clave INEGI)": code}) for code in ("10001", "10002", "10003")
    ]
    with pytest.raises(FileRejected, match="más de 2 filas"):
        importing.parse("service", durango, filled("service", durango, rows))


def test_the_confirmation_takes_only_the_states_municipalities(durango, editor):
    parsed = importing.parse("service", durango, filled("service", durango, [service_row()]))
    parsed.rows[0]["fields"]["municipality"] = "32056"  # Zacatecas: never offered to Durango
    with pytest.raises(ImportFailed):
        importing.import_confirm(
            actor=editor, register="service", institution=durango, rows=parsed.rows
        )
    assert ServiceCount.objects.count() == 0


def test_a_row_the_services_refuse_at_confirmation_fails_the_whole_import(durango, editor):
    rows = [service_row(), service_row(**{"Municipio (clave INEGI)": "10007"})]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    parsed.rows[1]["fields"]["notes"] = f"CURP {CURP}"  # as if the preview had missed it
    with pytest.raises(ImportFailed) as failed:
        importing.import_confirm(
            actor=editor, register="service", institution=durango, rows=parsed.rows
        )
    assert failed.value.problems[0].row == 3 and not failed.value.conflict
    assert ServiceCount.objects.count() == 0
    assert not AuditEvent.objects.filter(verb__startswith="service.").exists()


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("servicios-marzo.xlsx", "servicios-marzo.xlsx"),
        (f"servicios_{CURP}.xlsx", "archivo.xlsx"),
        ("lista María Fernanda López.xlsx", "archivo.xlsx"),
    ],
)
def test_a_file_name_that_looks_like_personal_data_is_not_kept(name, kept, durango, editor):
    parsed = importing.parse("service", durango, filled("service", durango, [service_row()]))
    importing.import_confirm(
        actor=editor, register="service", institution=durango, rows=parsed.rows, filename=name
    )
    assert AuditEvent.objects.get(verb="service.import").note == kept


@pytest.mark.parametrize("register", list(ROWS))
def test_the_import_event_reads_in_words_on_the_institutions_history(register):
    from transversal.audit.display import has_label
    from transversal.audit.registry import verb_label
    from transversal.institutions.models import Institution

    assert str(verb_label(f"{register}.import")).startswith("importó desde Excel")
    assert has_label(Institution, register)


def test_the_problems_read_in_the_order_of_the_rows(durango, editor):
    first = importing.parse("service", durango, filled("service", durango, [service_row()]))
    importing.import_confirm(actor=editor, register="service", institution=durango, rows=first.rows)
    other = service_row(**{"Municipio (clave INEGI)": "10007"})
    again = importing.parse(
        "service", durango, filled("service", durango, [service_row(), other, other])
    )
    assert [p.row for p in again.problems] == [2, 4]


def test_a_month_still_to_come_is_refused_naming_the_row(durango):
    from django.utils import timezone

    next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    row = service_row(**{"Mes (mm/aaaa)": next_month.strftime("%m/%Y")})
    parsed = importing.parse("service", durango, filled("service", durango, [row]))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "Mes (mm/aaaa)")]
    assert "El mes aún no empieza" in parsed.problems[0].message
