"""Importing register entries from a spreadsheet: the XLSX template, reading it back, writing it.

Each register has a template (``TEMPLATES``): a sheet with one row per entry and Spanish
headers, an "Instrucciones" sheet and catalogue sheets with the values its coded columns take
(audiences, modalities, mechanism kinds, service types, the state's municipalities by INEGI
code and name, the coordination systems). ``template_workbook`` writes it.

``parse`` reads a filled template and checks every row with the rules an entry typed on the
form meets: the model's own checks (``full_clean``, totals against their parts) and
``services.check_personal_data``. Besides, every cell that holds text, in any column, the
unexpected ones too, is searched for personal data (``core.pii``): a register counts people and
never names them. A row repeated in the file, or one that repeats an entry already recorded
(same service, month and municipality, for instance), is a problem too, never an overwrite.
A training event with the start and title of one recorded or of another row is only warned of
(``Parsed.warnings``, shown in the preview; confirming still imports it): two groups of one
course may share both.
Nothing is written while parsing.

``import_confirm`` writes the rows of a file that had no problem, all or none: one transaction,
``services.entries_create_many`` (the checks of ``entry_save`` on every row, one insert per
batch of entries and of their audit events) and one event for the import, as the progress
import does. It checks again for entries recorded since the preview. About half a millisecond
a row: 4,992 services rows in 2.4 s (docs/performance.md).

As in the progress import, confirming more than ``jobs.QUEUE_ABOVE_ROWS`` rows runs as a
background job (``registers.jobs``). ``MAX_ROWS`` still bounds a file: a state's yearly services
(12 months × 8 services × its municipalities) fits; the preview keeps the rows in the session,
packed (``pack_rows``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.core import cells
from transversal.core.cells import CellError, FileRejected, Problem
from transversal.core.exports import neutralise_cell
from transversal.core.pii import find_personal_data, personal_data_message
from transversal.core.templatetags.transversal import format_mx
from transversal.core.text import strip_bidi
from transversal.core.typing import Actor
from transversal.core.uploads import MB, UploadRejected, inspect_upload
from transversal.monitoring.spreadsheets.template import header_row
from transversal.registers import selectors, services
from transversal.registers.models import (
    REGISTER_MODELS,
    Audience,
    MechanismKind,
    Modality,
    RegisterKind,
    ServiceType,
    title_key,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 5 * MB
MAX_ROWS = 20_000
MAX_COLUMNS = 80
# A run of this many empty rows ends the data: sheets often carry formatted, empty rows.
BLANK_RUN_END = 500
# Rows of the data sheet that carry the drop-down lists and formats.
TEMPLATE_ROWS = MAX_ROWS + 1
COUNT_LIMIT = 10_000_000  # people or attentions in one entry: more is a typing mistake
NOTES_MAX = 2_000
FIRST_YEAR, LAST_YEAR = 2000, 2100

SHEET_HELP = gettext_lazy("Instrucciones")


# Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a register's sheet. ``key`` is the entry's field; ``kind`` says how a cell
    is read: text, count (a whole number of people or events), decimal, date, month, year,
    choice (one of ``choices``, written by its label), yes_no, municipality, municipalities
    (several, separated by commas) or system (a coordination system, by acronym or name)."""

    key: str
    label: Any
    kind: str
    width: int = 14
    required: bool = False
    choices: Any = None
    limit: Decimal | None = None  # decimals: the size a number must stay below

    def __str__(self) -> str:
        return str(self.label)


def _c(key, label, kind, width=14, **options) -> Column:
    return Column(key, label, kind, width, **options)


PEOPLE_COLUMNS = (
    _c("women", gettext_lazy("Mujeres"), "count", required=True),
    _c("men", gettext_lazy("Hombres"), "count", required=True),
    _c("sex_unspecified", gettext_lazy("Sexo no especificado"), "count", required=True),
    _c("age_0_14", gettext_lazy("0 a 14 años"), "optional_count"),
    _c("age_15_29", gettext_lazy("15 a 29 años"), "optional_count"),
    _c("age_30_44", gettext_lazy("30 a 44 años"), "optional_count"),
    _c("age_45_64", gettext_lazy("45 a 64 años"), "optional_count"),
    _c("age_65_plus", gettext_lazy("65 años o más"), "optional_count"),
    _c("age_unspecified", gettext_lazy("Edad no especificada"), "optional_count"),
    _c("indigenous", gettext_lazy("De ellas y ellos: población indígena"), "optional_count"),
    _c("afro_mexican", gettext_lazy("De ellas y ellos: población afromexicana"), "optional_count"),
    _c("disability", gettext_lazy("De ellas y ellos: con discapacidad"), "optional_count"),
)
NOTES = _c("notes", gettext_lazy("Observaciones"), "text", 40)
MUNICIPALITY = _c("municipality", gettext_lazy("Municipio (clave INEGI)"), "municipality", 16)

COLUMNS: dict[str, tuple[Column, ...]] = {
    RegisterKind.TRAINING: (
        _c("name", gettext_lazy("Nombre del evento"), "text", 40, required=True),
        _c("topic", gettext_lazy("Tema"), "text", 30, required=True),
        _c(
            "audience",
            gettext_lazy("Población a la que se dirige"),
            "choice",
            30,
            required=True,
            choices=Audience,
        ),
        _c("modality", gettext_lazy("Modalidad"), "choice", required=True, choices=Modality),
        _c("hours", gettext_lazy("Horas"), "decimal", 10, required=True, limit=Decimal(10_000)),
        _c("start", gettext_lazy("Inicio (dd/mm/aaaa)"), "date", required=True),
        _c("end", gettext_lazy("Término (dd/mm/aaaa)"), "date", required=True),
        MUNICIPALITY,
        _c("organiser", gettext_lazy("Institución que organiza"), "text", 30, required=True),
        _c("certificates", gettext_lazy("Constancias entregadas"), "count"),
        *PEOPLE_COLUMNS,
        NOTES,
    ),
    RegisterKind.AFFIRMATIVE: (
        _c("name", gettext_lazy("Nombre de la acción"), "text", 40, required=True),
        _c("legal_basis", gettext_lazy("Fundamento jurídico"), "text", 40, required=True),
        _c("target_group", gettext_lazy("Grupo al que se dirige"), "text", 30, required=True),
        _c("start", gettext_lazy("Inicio (dd/mm/aaaa)"), "date", required=True),
        _c("end", gettext_lazy("Término (dd/mm/aaaa)"), "date", required=True),
        _c(
            "municipalities",
            gettext_lazy("Municipios (claves INEGI separadas por comas)"),
            "municipalities",
            24,
        ),
        _c(
            "resources",
            gettext_lazy("Recursos ejercidos (pesos)"),
            "decimal",
            16,
            limit=Decimal("1e14"),
        ),
        *PEOPLE_COLUMNS,
        NOTES,
    ),
    RegisterKind.PARTICIPATION: (
        _c("name", gettext_lazy("Nombre del mecanismo"), "text", 40, required=True),
        _c("mechanism_kind", gettext_lazy("Tipo"), "choice", required=True, choices=MechanismKind),
        _c("year", gettext_lazy("Año"), "year", 8, required=True),
        _c("installed_on", gettext_lazy("Fecha de instalación (dd/mm/aaaa)"), "date"),
        MUNICIPALITY,
        _c("system", gettext_lazy("Sistema de coordinación (siglas)"), "system", 18),
        _c("members_government", gettext_lazy("Integrantes del sector público"), "count"),
        _c("members_civil_society", gettext_lazy("Integrantes de la sociedad civil"), "count"),
        _c("members_academia", gettext_lazy("Integrantes de la academia"), "count"),
        _c("members_private", gettext_lazy("Integrantes del sector privado"), "count"),
        _c("members_other", gettext_lazy("Integrantes de otros sectores"), "count"),
        _c("sessions_held", gettext_lazy("Sesiones celebradas en el año"), "count"),
        _c("agreements_reached", gettext_lazy("Acuerdos tomados en el año"), "count"),
        *PEOPLE_COLUMNS,
        NOTES,
    ),
    RegisterKind.SERVICE: (
        _c("month", gettext_lazy("Mes (mm/aaaa)"), "month", 12, required=True),
        _c(
            "service_type",
            gettext_lazy("Servicio"),
            "choice",
            24,
            required=True,
            choices=ServiceType,
        ),
        _c(
            "violence_related",
            gettext_lazy("Atención por violencia (sí/no)"),
            "yes_no",
            required=True,
        ),
        MUNICIPALITY,
        _c("attentions", gettext_lazy("Atenciones brindadas"), "count", required=True),
        *PEOPLE_COLUMNS,
        NOTES,
    ),
}

# The catalogue sheet of each coded column kind (a choice column names its own).
CATALOGUE_SHEETS = {
    Audience: gettext_lazy("Poblaciones"),
    Modality: gettext_lazy("Modalidades"),
    MechanismKind: gettext_lazy("Tipos de mecanismo"),
    ServiceType: gettext_lazy("Tipos de servicio"),
    "municipality": gettext_lazy("Municipios"),
    "system": gettext_lazy("Sistemas"),
}

# What makes two rows the same entry, said in the problem.
DUPLICATE_KEYS: dict[str, tuple[tuple[str, ...], Any]] = {
    RegisterKind.TRAINING: (
        ("name", "start", "end", "municipality"),
        gettext_lazy("mismo nombre, inicio, término y municipio"),
    ),
    RegisterKind.AFFIRMATIVE: (
        ("name", "start", "end"),
        gettext_lazy("mismo nombre, inicio y término"),
    ),
    RegisterKind.PARTICIPATION: (("name", "year"), gettext_lazy("mismo nombre y año")),
    RegisterKind.SERVICE: (
        ("month", "service_type", "violence_related", "municipality"),
        gettext_lazy("mismo servicio, mes, tipo de atención y municipio"),
    ),
}


def data_sheet_name(register: str) -> str:
    return str(RegisterKind(register).label)


def columns_for(register: str) -> tuple[Column, ...]:
    if register not in COLUMNS:
        raise KeyError(register)
    return COLUMNS[register]


# Problems and results ---------------------------------------------------------------------


@dataclass
class Parsed:
    """What a file would save: ``rows`` (JSON-ready, for the confirmation), the rows as the
    preview shows them, the totals, and every problem found."""

    register: str
    rows: list[dict] = field(default_factory=list)
    shown: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the person should look at before confirming, without stopping the import: a
    # training event with the start and title of one already recorded or of another row.
    warnings: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class ImportFailed(Exception):
    """Nothing was written; ``problems`` say why (``conflict``: something changed since the
    preview)."""

    def __init__(self, problems: list[Problem], *, conflict: bool = False):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.conflict = conflict


# Text ---------------------------------------------------------------------------------------


def _normal(text: Any) -> str:
    """A header, a catalogue value or a title as they are compared (``models.title_key``)."""
    return title_key(text)


def _header_map(register: str) -> dict[str, Column]:
    """Headers as written, and without the hint in brackets ("Mes (mm/aaaa)" or "Mes")."""
    found: dict[str, Column] = {}
    for column in columns_for(register):
        label = str(column.label)
        found[_normal(label)] = column
        found.setdefault(_normal(re.sub(r"\s*\(.*\)\s*$", "", label)), column)
    return found


# The catalogues a file is checked against ---------------------------------------------------


@dataclass
class Catalogues:
    municipalities: dict[str, Any]  # INEGI code -> municipality
    municipality_names: dict[str, Any]  # normalised name -> municipality (unique names only)
    systems: dict[str, Any]  # normalised acronym or name -> system (unique ones only)
    systems_list: list[Any]


def _municipalities(institution) -> list:
    from transversal.territory.models import Municipality

    rows = Municipality.objects.filter(is_active=True).select_related("state").order_by("code")
    if institution.state_id:
        rows = rows.filter(state_id=institution.state_id)
    return list(rows)


def _systems(institution) -> list:
    from transversal.coordination.models import System

    rows = System.objects.order_by("acronym", "name")
    if institution.state_id:
        rows = rows.filter(Q(state_id=institution.state_id) | Q(state__isnull=True))
    return list(rows)


def _unique_index(pairs) -> dict[str, Any]:
    index: dict[str, Any] = {}
    clashes: set[str] = set()
    for key, value in pairs:
        if key in index and index[key] is not value:
            clashes.add(key)
        index[key] = value
    return {k: v for k, v in index.items() if k not in clashes}


def catalogues_for(register: str, institution) -> Catalogues:
    """One query for the municipalities, one for the systems (participation only)."""
    municipalities = _municipalities(institution)
    systems = _systems(institution) if register == RegisterKind.PARTICIPATION else []
    return Catalogues(
        municipalities={m.code: m for m in municipalities},
        municipality_names=_unique_index((_normal(m.name), m) for m in municipalities),
        systems=_unique_index(
            [(_normal(s.acronym), s) for s in systems if s.acronym]
            + [(_normal(s.name), s) for s in systems]
        ),
        systems_list=systems,
    )


# The template -------------------------------------------------------------------------------


def help_lines(register: str) -> list[str]:
    sheet = data_sheet_name(register)
    lines = [
        _("Cómo llenar esta plantilla"),
        "",
        _(
            "1. Capture una fila por registro en la hoja «%(s)s», a partir de la fila 2. No "
            "cambie los encabezados ni el nombre de las hojas; puede dejar vacías las columnas "
            "opcionales."
        )
        % {"s": sheet},
        _(
            "2. Este registro cuenta personas: no escriba nombres, CURP, RFC, teléfonos, correos "
            "ni domicilios en ninguna celda, tampoco en columnas que agregue. Un archivo con uno "
            "de ellos se rechaza completo."
        ),
        _(
            "3. Escriba las cantidades de personas como números enteros, sin texto: mujeres, "
            "hombres y sexo no especificado son obligatorias (0 si no hubo). Los grupos de edad "
            "son opcionales, pero si captura alguno deben sumar lo mismo que las personas por "
            "sexo. Las columnas «De ellas y ellos» nunca son mayores que el total."
        ),
        _(
            "4. Escriba las fechas como dd/mm/aaaa (15/03/2025) y los montos con punto decimal, "
            "sin signo de pesos (1234.50 o 1,234.50)."
        ),
        _(
            "5. Las columnas con lista (población, modalidad, tipo, servicio, municipio) aceptan "
            "los valores de las hojas de catálogo. El municipio se escribe con su clave INEGI de "
            "cinco dígitos (o su nombre) y puede quedar vacío si el registro es de toda la "
            "entidad."
        ),
        _(
            "6. Al importar, Transversal muestra una vista previa con lo que se guardaría y revisa "
            "cada fila. Si una sola fila tiene un problema no se guarda nada: corrija el archivo y "
            "vuelva a subirlo. Una fila que repite otra del archivo o un registro ya capturado es "
            "un problema: corrija el registro existente en Transversal."
        ),
        _("7. Cada archivo admite hasta %(n)s filas con datos.") % {"n": format_mx(MAX_ROWS)},
    ]
    specific = {
        RegisterKind.TRAINING: _(
            "Capacitación: un evento por fila; cuenta en la fecha de término. Las constancias "
            "no pueden ser más que las personas participantes."
        ),
        RegisterKind.AFFIRMATIVE: _(
            "Acciones afirmativas: una acción por fila, con su fundamento jurídico; cuenta en la "
            "fecha de término. Escriba varios municipios separados por comas."
        ),
        RegisterKind.PARTICIPATION: _(
            "Mecanismos de participación: una fila por mecanismo y año. Las personas "
            "integrantes por sector deben sumar lo mismo que por sexo. El sistema de "
            "coordinación se escribe con sus siglas (hoja «Sistemas»)."
        ),
        RegisterKind.SERVICE: _(
            "Servicios: una fila por mes, servicio, tipo de atención y municipio, con números "
            "agregados, nunca un caso. Las atenciones no pueden ser menos que las personas "
            "atendidas."
        ),
    }
    return [*lines, "", specific[register]]


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "header": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="D9E2F3"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def _catalogue_sheet(workbook, title, headers: list[str], rows: list[tuple]) -> str:
    """A sheet of valid values; the range of its first column, for a drop-down list."""
    sheet = workbook.create_sheet(str(title)[:31])
    styles = _styles()
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill = styles["header"], styles["header_fill"]
        sheet.column_dimensions[cell.column_letter].width = 14 if index == 1 else 50
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            sheet.cell(row=number, column=index, value=neutralise_cell(value))
    last = max(len(rows) + 1, 2)
    return f"'{sheet.title}'!$A$2:$A${last}"


def template_workbook(register: str, institution) -> bytes:
    """The register's XLSX template for ``institution``: two queries (its state's
    municipalities and, for participation mechanisms, the coordination systems)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = columns_for(register)
    catalogues = catalogues_for(register, institution)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = data_sheet_name(register)
    styles = _styles()
    header_row(sheet, columns)
    help_sheet = workbook.create_sheet(str(SHEET_HELP))
    help_sheet.column_dimensions["A"].width = 110
    for number, line in enumerate(help_lines(register), start=1):
        cell = help_sheet.cell(row=number, column=1, value=neutralise_cell(line))
        cell.alignment = styles["wrap"]
        if number == 1:
            cell.font = styles["header"]

    lists: dict[Any, str] = {}
    for column in columns:
        if column.kind == "choice" and column.choices not in lists:
            lists[column.choices] = _catalogue_sheet(
                workbook,
                CATALOGUE_SHEETS[column.choices],
                [_("Valor"), _("Clave interna")],
                [(str(label), value) for value, label in column.choices.choices],
            )
    if any(c.kind in ("municipality", "municipalities") for c in columns):
        lists["municipality"] = _catalogue_sheet(
            workbook,
            CATALOGUE_SHEETS["municipality"],
            [_("Clave INEGI"), _("Municipio"), _("Entidad")],
            [(m.code, m.name, m.state.name) for m in catalogues.municipalities.values()],
        )
    if any(c.kind == "system" for c in columns):
        lists["system"] = _catalogue_sheet(
            workbook,
            CATALOGUE_SHEETS["system"],
            [_("Siglas"), _("Nombre")],
            [(s.acronym or s.name, s.name) for s in catalogues.systems_list],
        )

    last = TEMPLATE_ROWS
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells_range = f"{letter}2:{letter}{last}"
        validation = _validation_for(column, lists, DataValidation)
        if validation is not None:
            validation.add(cells_range)
            sheet.add_data_validation(validation)
        if column.kind in ("date", "month"):
            style = "MM/YYYY" if column.kind == "month" else "DD/MM/YYYY"
            for row in range(2, min(last, 502)):
                sheet.cell(row=row, column=index).number_format = style
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation_for(column: Column, lists: dict, DataValidation):
    common = {"allow_blank": True, "showErrorMessage": True}
    if column.kind == "choice":
        return DataValidation(
            type="list",
            formula1=lists[column.choices],
            errorTitle=_("Valor no válido"),
            error=_("Elija un valor de la lista."),
            **common,
        )
    if column.kind == "municipality":
        # A warning only: the municipality may be written by its name too.
        return DataValidation(
            type="list",
            formula1=lists["municipality"],
            errorStyle="warning",
            errorTitle=_("Municipio"),
            error=_("Use una clave INEGI de la hoja «Municipios»."),
            **common,
        )
    if column.kind == "system":
        return DataValidation(
            type="list",
            formula1=lists["system"],
            errorStyle="warning",
            errorTitle=_("Sistema"),
            error=_("Use las siglas de la hoja «Sistemas»."),
            **common,
        )
    if column.kind == "yes_no":
        return DataValidation(
            type="list",
            formula1=f'"{_("Sí")},{_("No")}"',
            errorTitle=_("Valor no válido"),
            error=_("Escriba Sí o No."),
            **common,
        )
    if column.kind in ("count", "optional_count"):
        return DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(COUNT_LIMIT - 1),
            errorTitle=_("Número no válido"),
            error=_("Escriba un número entero, 0 o mayor."),
            **common,
        )
    if column.kind == "decimal":
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=str(column.limit),
            errorTitle=_("Número no válido"),
            error=_("Escriba un número con punto decimal y sin símbolos."),
            **common,
        )
    if column.kind == "year":
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(FIRST_YEAR),
            formula2=str(LAST_YEAR),
            errorTitle=_("Año no válido"),
            error=_("Escriba el año con cuatro dígitos."),
            **common,
        )
    return None


# Reading a file -----------------------------------------------------------------------------


def _text_limit(register: str, key: str) -> int:
    if key == "notes":
        return NOTES_MAX
    return REGISTER_MODELS[register]._meta.get_field(key).max_length or NOTES_MAX


def _open(upload, filename: str):
    try:
        inspect_upload(upload, filename, allowed=frozenset({"xlsx"}), max_bytes=MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        raise FileRejected(exc.message) from None
    from openpyxl import load_workbook

    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload if hasattr(upload, "read") else io.BytesIO(bytes(upload))
    try:
        return load_workbook(content, read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on a malformed file
        raise _corrupt() from None


def _corrupt() -> FileRejected:
    return FileRejected(
        _(
            "El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado. "
            "Ábralo en Excel, guárdelo como XLSX y vuelva a subirlo."
        )
    )


@dataclass
class _Layout:
    positions: dict[str, int]  # column key -> index
    extras: dict[int, str]  # index of a column the template does not have -> its header

    def __post_init__(self) -> None:
        self.known = frozenset(self.positions.values())

    def extra_label(self, index: int) -> str:
        from openpyxl.utils import get_column_letter

        return self.extras.get(index) or _("columna %(c)s") % {"c": get_column_letter(index + 1)}


def _layout(register: str, header: tuple) -> _Layout:
    known = _header_map(register)
    positions: dict[str, int] = {}
    extras: dict[int, str] = {}
    for index, text in enumerate(header):
        column = known.get(_normal(text)) if text is not None else None
        if column is not None and column.key not in positions:
            positions[column.key] = index
        elif text is not None and str(text).strip():
            extras[index] = str(text).strip()[:60]
    missing = [str(c.label) for c in columns_for(register) if c.required and c.key not in positions]
    if missing:
        raise FileRejected(
            _(
                "A la hoja «%(s)s» le falta la columna %(c)s. Use la plantilla que descarga de "
                "Transversal y no cambie los encabezados."
            )
            % {"s": data_sheet_name(register), "c": ", ".join(f"«{m}»" for m in missing)}
        )
    return _Layout(positions, extras)


def _records(register: str, workbook) -> tuple[_Layout, Iterator[tuple[int, tuple]]]:
    wanted = _normal(data_sheet_name(register))
    sheets = workbook.worksheets
    sheet = next((s for s in sheets if _normal(s.title) == wanted), None)
    if sheet is None:
        raise FileRejected(
            _(
                "El archivo no tiene la hoja «%(s)s». Use la plantilla de este registro que "
                "descarga de Transversal y no cambie el nombre de las hojas."
            )
            % {"s": data_sheet_name(register)}
        )
    try:
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = next(rows, None) or ()
    except Exception:
        raise _corrupt() from None
    layout = _layout(register, header)
    return layout, _stream(rows)


def _stream(rows) -> Iterator[tuple[int, tuple]]:
    return cells.data_rows(
        rows,
        max_rows=MAX_ROWS,
        blank_run_end=BLANK_RUN_END,
        rejected=FileRejected,
        corrupt=_corrupt,
    )


# Cells --------------------------------------------------------------------------------------

_YES = {"si", "sí", "s", "x", "verdadero", "true", "1"}
_NO = {"no", "n", "falso", "false", "0"}
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{1,2})/(\d{4})|(\d{4})-(\d{1,2})")


def _text(raw: Any, limit: int, *, lines: bool = False) -> str:
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        raise CellError(_("Escriba un texto, no una fecha."))
    if isinstance(raw, bool):
        raise CellError(_("Escriba un texto, no VERDADERO o FALSO."))
    return strip_bidi(cells.parse_text(raw, limit, fold_spaces=not lines))


def _count(raw: Any, *, required: bool) -> int | None:
    number = cells.parse_number(raw, limit=Decimal(COUNT_LIMIT))
    if number is None:
        if required:
            raise CellError(_("Escriba la cantidad (0 si no hubo)."))
        return None
    if number != number.to_integral_value():
        raise CellError(_("Escriba un número entero."))
    if number < 0:
        raise CellError(_("No puede ser negativo."))
    return int(number)


def _decimal(raw: Any, limit: Decimal) -> Decimal | None:
    number = cells.parse_number(raw, limit=limit)
    if number is not None and number < 0:
        raise CellError(_("No puede ser negativo."))
    return number


def _checked_date(year: int, month: int, day: int) -> dt.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            _("El año debe estar entre %(a)s y %(b)s.") % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("Esa fecha no existe.")) from None


def _date(raw: Any) -> dt.date | None:
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return _checked_date(raw.year, raw.month, raw.day)
    if isinstance(raw, dt.date):
        return _checked_date(raw.year, raw.month, raw.day)
    if isinstance(raw, str):
        text = cells.parse_text(raw, 20, fold_spaces=True)
        if not text:
            return None
        found = _DATE.fullmatch(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            return _checked_date(year, month, day)
        found = _ISO_DATE.fullmatch(text)
        if found:
            year, month, day = (int(g) for g in found.groups())
            return _checked_date(year, month, day)
    raise CellError(_("Escriba la fecha como dd/mm/aaaa."))


def _month(raw: Any) -> dt.date | None:
    if isinstance(raw, str):
        text = cells.parse_text(raw, 20, fold_spaces=True)
        found = _MONTH.fullmatch(text)
        if found:
            month, year = (
                (int(found[1]), int(found[2])) if found[1] else (int(found[4]), int(found[3]))
            )
            if not 1 <= month <= 12:
                raise CellError(_("El mes va de 01 a 12."))
            return _checked_date(year, month, 1)
    try:
        day = _date(raw)
    except CellError:
        raise CellError(_("Escriba el mes como mm/aaaa (03/2025).")) from None
    return day.replace(day=1) if day else None


def _year(raw: Any) -> int | None:
    number = cells.parse_number(raw, limit=Decimal(10_000))
    if number is None:
        return None
    if number != number.to_integral_value() or not FIRST_YEAR <= number <= LAST_YEAR:
        raise CellError(
            _("El año debe ser un número entero entre %(a)s y %(b)s.")
            % {"a": FIRST_YEAR, "b": LAST_YEAR}
        )
    return int(number)


@functools.lru_cache(maxsize=32)
def _choice_index(choices, language: str | None) -> dict[str, str]:
    """A catalogue's values by their normalised label and key, once per language (normalising
    the labels for every cell took a third of the reading)."""
    index: dict[str, str] = {}
    for value, label in choices.choices:
        index.setdefault(_normal(label), value)
        index.setdefault(_normal(value), value)
    return index


def _choice(raw: Any, choices) -> str | None:
    text = _normal(_text(raw, 200))
    if not text:
        return None
    found = _choice_index(choices, get_language()).get(text)
    if found is not None:
        return found
    raise CellError(
        _("«%(v)s» no está en el catálogo. Use uno de: %(all)s.")
        % {"v": str(raw)[:60], "all": ", ".join(str(label) for _v, label in choices.choices)}
    )


def _yes_no(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = _normal(_text(raw, 20))
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(_("Escriba Sí o No."))


def _municipality(raw: Any, catalogues: Catalogues):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _text(raw, 120)
    if not text:
        return None
    if text.isdigit() and len(text) <= 5:
        found = catalogues.municipalities.get(text.zfill(5))
    else:
        found = catalogues.municipality_names.get(_normal(text))
    if found is None:
        raise CellError(
            _(
                "«%(v)s» no es un municipio de la entidad: use la clave INEGI de cinco dígitos "
                "de la hoja «Municipios»."
            )
            % {"v": text[:60]}
        )
    return found


def _municipality_list(raw: Any, catalogues: Catalogues) -> list:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return [_municipality(raw, catalogues)]
    text = _text(raw, 4_000)
    found = []
    for part in re.split(r"[,;\n]+", text):
        if part.strip():
            municipality = _municipality(part.strip(), catalogues)
            if municipality not in found:
                found.append(municipality)
    return found


def _system(raw: Any, catalogues: Catalogues):
    text = _text(raw, 300)
    if not text:
        return None
    found = catalogues.systems.get(_normal(text))
    if found is None:
        raise CellError(
            _("«%(v)s» no es un sistema de coordinación de la entidad (hoja «Sistemas»).")
            % {"v": text[:60]}
        )
    return found


def _read_cell(register: str, column: Column, raw: Any, catalogues: Catalogues):
    kind = column.kind
    if kind == "text":
        text = _text(raw, _text_limit(register, column.key), lines=column.key == "notes")
        if not text and column.required:
            raise CellError(_("Escriba este dato."))
        return text
    if kind in ("count", "optional_count"):
        value = _count(raw, required=column.required)
        return 0 if value is None and kind == "count" else value
    readers = {
        "decimal": lambda v: _decimal(v, column.limit),
        "date": _date,
        "month": _month,
        "year": _year,
        "choice": lambda v: _choice(v, column.choices),
        "yes_no": _yes_no,
        "municipality": lambda v: _municipality(v, catalogues),
        "municipalities": lambda v: _municipality_list(v, catalogues),
        "system": lambda v: _system(v, catalogues),
    }
    value = readers[kind](raw)
    if value is None and column.required:
        raise CellError(_("Escriba este dato."))
    return value


# Checking rows ------------------------------------------------------------------------------

# Cells the personal-data check leaves to services.check_personal_data (its own rules on names).
_MODEL_EXCLUDE = ["created_by", "counted_on", "institution", "municipality", "system"]


def _cell_text(raw: Any) -> str | None:
    """The text of a cell to search for personal data: any text, and a number in a column the
    template does not have (a telephone typed as a number)."""
    if raw is None or isinstance(raw, (bool, dt.date, dt.datetime, dt.time)):
        return None
    return str(raw)


def _personal(raw: Any, *, allowed=(), names: bool = True) -> str | None:
    text = _cell_text(raw)
    if not text:
        return None
    found = find_personal_data(text, allowed=allowed, names=names)
    return personal_data_message(found) if found else None


@dataclass
class _Context:
    register: str
    institution: Any
    columns: tuple[Column, ...]
    by_key: dict[str, Column]
    catalogues: Catalogues


def _check_row(context: _Context, layout: _Layout, number: int, values: tuple):
    """(entry, municipalities, problems) for one row: the entry unsaved."""
    register = context.register
    problems: list[Problem] = []

    def add(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    def raw_of(key: str) -> Any:
        index = layout.positions.get(key)
        return values[index] if index is not None and index < len(values) else None

    known = layout.known
    for index, raw in enumerate(values):
        if index not in known:
            message = _personal(raw)
            if message:
                add(layout.extra_label(index), message)

    text_names = services.TEXT_FIELDS[register]
    data: dict[str, Any] = {}
    for column in context.columns:
        raw = raw_of(column.key)
        try:
            data[column.key] = _read_cell(register, column, raw, context.catalogues)
        except CellError as error:
            # A coded or number cell that does not read is searched for personal data (a CURP
            # in a count, a name in the municipality); free texts are searched below, by
            # services.check_personal_data.
            message = _personal(raw) if column.key not in text_names else None
            add(str(column.label), message or error.message)
    municipality = data.get("municipality")
    allowed = [municipality.name] if municipality is not None else []
    texts = {k: v for k, v in data.items() if k in text_names}
    try:
        services.check_personal_data(register, texts, allowed=allowed)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                add(_label(context, key), message)
    if problems:
        return None, None, problems
    municipalities = data.pop("municipalities", None)
    entry = REGISTER_MODELS[register](institution=context.institution, **data)
    try:
        entry.full_clean(exclude=_MODEL_EXCLUDE, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                add(_label(context, key), message)
        return None, None, problems
    return entry, municipalities, []


def _label(context: _Context, key: str) -> str:
    column = context.by_key.get(key)
    return str(column.label) if column is not None else ""


def _key_of(register: str, values: dict) -> tuple:
    fields, _said = DUPLICATE_KEYS[register]
    key = []
    for name in fields:
        value = values.get(name)
        if name == "name":
            value = _normal(value)
        elif hasattr(value, "pk"):
            value = value.pk
        key.append(value)
    return tuple(key)


def _existing_keys(register: str, institution, dates: list[dt.date]) -> set[tuple]:
    """The keys of the institution's entries counted between the file's first and last date:
    one query."""
    if not dates:
        return set()
    fields, _said = DUPLICATE_KEYS[register]
    model = REGISTER_MODELS[register]
    names = [f"{name}_id" if name == "municipality" else name for name in fields]
    rows = model.objects.filter(
        institution=institution, counted_on__range=(min(dates), max(dates))
    ).values_list(*names)
    return {
        tuple(_normal(v) if n == "name" else v for n, v in zip(fields, row, strict=True))
        for row in rows
    }


def _json(value: Any) -> Any:
    if isinstance(value, (dt.date, Decimal)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if hasattr(value, "code"):
        return str(value.code)
    return value


def _payload(register: str, entry, municipalities, number: int) -> dict:
    fields = {}
    for name in services.ENTRY_FIELDS[register]:
        value = getattr(entry, name)
        fields[name] = _json(value)
    return {
        "row": number,
        "fields": fields,
        "municipalities": [m.code for m in municipalities] if municipalities is not None else None,
    }


def _shown(register: str, entry, municipalities, number: int) -> dict:
    """The row as the preview shows it: what identifies the entry, its date and its people."""
    if register == RegisterKind.SERVICE:
        title = entry.get_service_type_display()
        if not entry.violence_related:
            title = _("%(s)s (no por violencia)") % {"s": title}
        place = entry.municipality.name if entry.municipality else _("Toda la entidad")
    else:
        title = entry.name
        if register == RegisterKind.AFFIRMATIVE:
            place = ", ".join(m.name for m in municipalities or []) or _("Toda la entidad")
        else:
            place = entry.municipality.name if entry.municipality else _("Toda la entidad")
    counted = entry.count_date()
    if register == RegisterKind.SERVICE:
        when = f"{counted:%m/%Y}"
    elif register == RegisterKind.PARTICIPATION:
        when = str(entry.year)
    else:
        when = f"{entry.start:%d/%m/%Y} – {entry.end:%d/%m/%Y}"
    return {
        "row": number,
        "title": str(title),
        "when": when,
        "place": str(place),
        "women": entry.women,
        "men": entry.men,
        "sex_unspecified": entry.sex_unspecified,
        "total": entry.total,
        "detail": _detail(register, entry),
    }


def _detail(register: str, entry) -> str:
    if register == RegisterKind.TRAINING:
        return _("%(a)s · %(m)s · %(h)s h") % {
            "a": entry.get_audience_display(),
            "m": entry.get_modality_display(),
            "h": format_mx(entry.hours),
        }
    if register == RegisterKind.AFFIRMATIVE:
        return str(entry.target_group)
    if register == RegisterKind.PARTICIPATION:
        return _("%(k)s · %(s)s sesiones · %(a)s acuerdos") % {
            "k": entry.get_mechanism_kind_display(),
            "s": format_mx(entry.sessions_held),
            "a": format_mx(entry.agreements_reached),
        }
    return _("%(n)s atenciones") % {"n": format_mx(entry.attentions)}


PREVIEW_ROWS = 200


def parse(register: str, institution, file, filename: str | None = None) -> Parsed:
    """Read and check a filled template of ``register`` for ``institution``; write nothing.

    Raises ``FileRejected`` for a file that is not this register's template; otherwise every
    problem found is in ``Parsed.problems`` with its row and column, and every possible
    duplicate that does not stop it in ``Parsed.warnings``. Three queries whatever the number
    of rows (municipalities, systems, the entries already recorded), and for training the
    events recorded on the file's start dates."""
    columns = columns_for(register)
    filename = filename if filename is not None else getattr(file, "name", "archivo.xlsx")
    workbook = _open(file, filename)
    try:
        layout, records = _records(register, workbook)
        context = _Context(
            register,
            institution,
            columns,
            {c.key: c for c in columns},
            catalogues_for(register, institution),
        )
        result = Parsed(register=register, ignored_columns=sorted(set(layout.extras.values())))
        checked: list[tuple[int, Any, Any]] = []
        for number, values in records:
            entry, municipalities, problems = _check_row(context, layout, number, values)
            result.problems += problems
            if entry is not None:
                checked.append((number, entry, municipalities))
    finally:
        workbook.close()
    _check_duplicates(register, institution, checked, result)
    if register == RegisterKind.TRAINING:
        _warn_namesakes(institution, checked, result)
    if not checked and not result.problems:
        result.problems.append(Problem(None, "", _("El archivo no tiene filas con datos.")))
    if result.problems:
        # Row by row, as the person reads the file (a whole-file problem first).
        result.problems.sort(key=lambda problem: problem.row or 0)
        return result
    totals = {"women": 0, "men": 0, "sex_unspecified": 0, "total": 0}
    warned = {warning.row for warning in result.warnings}
    for number, entry, municipalities in checked:
        result.rows.append(_payload(register, entry, municipalities, number))
        if len(result.shown) < PREVIEW_ROWS:
            shown = _shown(register, entry, municipalities, number)
            shown["warned"] = number in warned
            result.shown.append(shown)
        for key in totals:
            totals[key] += getattr(entry, key)
    result.totals = {"rows": len(checked), **totals}
    return result


def _check_duplicates(register: str, institution, checked: list, result: Parsed) -> None:
    fields, said = DUPLICATE_KEYS[register]
    seen: dict[tuple, int] = {}
    keys = []
    for number, entry, _m in checked:
        key = _key_of(register, {name: getattr(entry, name) for name in fields})
        keys.append((number, key))
        if key in seen:
            result.problems.append(
                Problem(
                    number,
                    "",
                    _("Repite la fila %(r)s (%(same)s).") % {"r": seen[key], "same": said},
                )
            )
        else:
            seen[key] = number
    dates = [entry.count_date() for _n, entry, _m in checked]
    existing = _existing_keys(register, institution, [d for d in dates if d])
    for number, key in keys:
        if key in existing:
            result.problems.append(Problem(number, "", _already(said)))


def _warn_namesakes(institution, checked: list, result: Parsed) -> None:
    """A warning for each training row whose start and title (case, accents and spaces aside)
    are those of an event the institution already recorded, or of an earlier row: probably
    the same event twice, though two groups of one course may share both. One query."""
    recorded = selectors.training_namesakes(
        institution, [entry.start for _n, entry, _m in checked if entry.start]
    )
    first_row: dict[tuple, int] = {}
    for number, entry, _m in checked:
        key = (entry.start, title_key(entry.name))
        for event in recorded.get(key, []):
            result.warnings.append(
                Problem(
                    number,
                    "",
                    _(
                        "Esta institución ya registró «%(name)s», con el mismo título e "
                        "inicio (%(start)s – %(end)s): revise que no sea el mismo evento."
                    )
                    % {
                        "name": event.name,
                        "start": f"{event.start:%d/%m/%Y}",
                        "end": f"{event.end:%d/%m/%Y}",
                    },
                )
            )
        if key in first_row:
            result.warnings.append(
                Problem(
                    number,
                    "",
                    _(
                        "Tiene el mismo título e inicio que la fila %(r)s: revise que no sea "
                        "el mismo evento dos veces."
                    )
                    % {"r": first_row[key]},
                )
            )
        else:
            first_row[key] = number


def _already(said) -> str:
    return _(
        "Ya hay un registro capturado con el %(same)s. Corríjalo en Transversal en lugar de "
        "importarlo de nuevo."
    ) % {"same": said}


def display_filename(filename: str) -> str:
    """The file's name as the preview and the audit event keep it, or a plain one when the name
    looks like personal data ("servicios_GOMC850312MDGRRR09.xlsx"): the name is stored too."""
    words = re.sub(r"[_.\-]+", " ", filename or "")
    if not filename or find_personal_data(words):
        return _("archivo.xlsx")
    return filename[:200]


# Writing ------------------------------------------------------------------------------------


def pack_rows(register: str, rows: list[dict]) -> list[list]:
    """The rows of ``parse`` as the session and a job keep them: each row's values in the order
    of ``services.ENTRY_FIELDS`` instead of a dict (a quarter of the size)."""
    names = services.ENTRY_FIELDS[register]
    return [[r["row"], [r["fields"][n] for n in names], r["municipalities"]] for r in rows]


def unpack_rows(register: str, packed: list[list]) -> list[dict]:
    names = services.ENTRY_FIELDS[register]
    return [
        {"row": number, "fields": dict(zip(names, values, strict=True)), "municipalities": many}
        for number, values, many in packed
    ]


def _fields_from(register: str, payload: dict, municipalities: dict, systems: dict) -> dict:
    model = REGISTER_MODELS[register]
    fields: dict[str, Any] = {}
    for name, value in payload["fields"].items():
        if value is None:
            fields[name] = None
            continue
        if name == "municipality":
            fields[name] = municipalities.get(value)
            if fields[name] is None:
                raise KeyError(name)
            continue
        if name == "system":
            fields[name] = systems.get(value)
            if fields[name] is None:
                raise KeyError(name)
            continue
        internal = model._meta.get_field(name).get_internal_type()
        if internal == "DateField":
            value = dt.date.fromisoformat(value)
        elif internal == "DecimalField":
            value = Decimal(value)
        fields[name] = value
    return fields


@transaction.atomic
def import_confirm(
    *, actor: Actor, register: str, institution, rows: list[dict], filename: str = ""
) -> int:
    """Write the rows of a preview that had no problem, all or none, with the checks of
    ``entry_save`` (``services.entries_create_many``); the number of entries created. Raises
    ``ImportFailed`` (nothing written) when an entry was recorded since the preview (checked
    here in one query; the database's constraints are the last guard) or a row is refused."""
    from transversal.coordination.models import System
    from transversal.territory.models import Municipality

    codes = {r["fields"].get("municipality") for r in rows} | {
        code for r in rows for code in (r.get("municipalities") or [])
    }
    places = Municipality.objects.filter(code__in=codes - {None}).select_related("state")
    if institution.state_id:
        places = places.filter(state_id=institution.state_id)
    municipalities = {m.code: m for m in places}
    system_codes = {r["fields"].get("system") for r in rows} - {None}
    systems = (
        {str(s.code): s for s in System.objects.filter(code__in=system_codes)}
        if system_codes
        else {}
    )
    _key_fields, said = DUPLICATE_KEYS[register]
    prepared = []
    for row in rows:
        try:
            fields = _fields_from(register, row, municipalities, systems)
        except KeyError:
            raise ImportFailed(
                [Problem(row["row"], "", _("Un municipio o un sistema del archivo ya no existe."))],
                conflict=True,
            ) from None
        many = None
        if row.get("municipalities") is not None:
            if not set(row["municipalities"]) <= set(municipalities):
                raise ImportFailed(
                    [Problem(row["row"], "", _("Un municipio del archivo ya no existe."))],
                    conflict=True,
                )
            many = [municipalities[code] for code in row["municipalities"]]
        prepared.append((row["row"], fields, many))
    model = REGISTER_MODELS[register]
    dates = [model(**fields).count_date() for _n, fields, _m in prepared]
    existing = _existing_keys(register, institution, [d for d in dates if d])
    for number, fields, _m in prepared:
        if _key_of(register, fields) in existing:
            raise ImportFailed([Problem(number, "", _already(said))], conflict=True)
    try:
        services.entries_create_many(
            actor=actor,
            register=register,
            institution=institution,
            rows=[(fields, many) for _n, fields, many in prepared],
        )
    except services.RowRefused as exc:
        number = prepared[exc.index][0]
        raise ImportFailed([Problem(number, "", message) for message in exc.messages]) from None
    except services.EntriesConflict as exc:
        raise ImportFailed([Problem(None, "", exc.messages[0])], conflict=True) from None
    audit_record(
        actor=actor,
        verb=f"{register}.import",
        target=institution,
        institution=institution,
        changes={register: [None, len(prepared)]},
        note=display_filename(filename) if filename else "",
    )
    return len(prepared)


IMPORT_VERBS = {
    RegisterKind.TRAINING: gettext_lazy("importó desde Excel eventos de capacitación"),
    RegisterKind.AFFIRMATIVE: gettext_lazy("importó desde Excel acciones afirmativas"),
    RegisterKind.PARTICIPATION: gettext_lazy("importó desde Excel mecanismos de participación"),
    RegisterKind.SERVICE: gettext_lazy("importó desde Excel conteos mensuales de servicios"),
}
IMPORT_COUNTS = {
    RegisterKind.TRAINING: gettext_lazy("eventos de capacitación importados"),
    RegisterKind.AFFIRMATIVE: gettext_lazy("acciones afirmativas importadas"),
    RegisterKind.PARTICIPATION: gettext_lazy("mecanismos de participación importados"),
    RegisterKind.SERVICE: gettext_lazy("conteos de servicios importados"),
}


def register_audit_vocabulary() -> None:
    """How the history page reads an import's event (called by the app at start-up)."""
    from transversal.audit.registry import register_fields, register_verbs
    from transversal.institutions.models import Institution

    register_verbs({f"{key}.import": label for key, label in IMPORT_VERBS.items()})
    register_fields(Institution, labels={str(key): label for key, label in IMPORT_COUNTS.items()})
