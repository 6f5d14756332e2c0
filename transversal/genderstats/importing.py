"""Reading and checking a tidy statistics file (CSV or XLSX); nothing is written here.

One row per published figure, with the columns ``indicador`` (the indicator's key), ``anio``,
``clave_entidad`` (INEGI 01–32; 00 or empty for the national figure), ``sexo``, ``grupo_edad``
(optional), ``valor``, ``unidad``, ``fuente`` and optionally ``cv``, ``li`` and ``ls``. The file
is checked by content (``core.uploads``) before it is parsed. Every problem names its row and
column; a file with any problem is refused whole.

The progress import's reader lives in ``monitoring`` (a higher layer), so this module reads the
two formats itself with the same shared pieces: the upload checks, the number parser of the
forms and the export's formula neutralisation reversed.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.core import cells
from transversal.core.cells import CellError, FileRejected, Problem
from transversal.core.templatetags.transversal import format_mx
from transversal.core.uploads import CSV_DELIMITERS, MB, UploadRejected, inspect_upload
from transversal.genderstats.models import ContextIndicator, Measure, Sex
from transversal.territory.models import State

MAX_UPLOAD_BYTES = 5 * MB
MAX_ROWS = 20_000
MAX_COLUMNS = 40
NUMBER_LIMIT = Decimal("1e13")  # 13 whole digits: a gap of two fits the API's 14

COLUMNS = {  # key -> header
    "indicator": "indicador",
    "year": "anio",
    "state": "clave_entidad",
    "sex": "sexo",
    "age_group": "grupo_edad",
    "value": "valor",
    "unit": "unidad",
    "source": "fuente",
    "cv": "cv",
    "ci_low": "li",
    "ci_high": "ls",
}
REQUIRED = ("indicator", "year", "state", "sex", "value", "unit", "source")
HEADER_ALIASES = {"año": "year", "ano": "year", "entidad": "state", "clave entidad": "state"}
SEXES = {
    "mujeres": Sex.WOMEN,
    "mujer": Sex.WOMEN,
    "femenino": Sex.WOMEN,
    "hombres": Sex.MEN,
    "hombre": Sex.MEN,
    "masculino": Sex.MEN,
    "total": Sex.TOTAL,
    "ambos sexos": Sex.TOTAL,
}


@dataclass
class Checked:
    rows: list[dict]  # normalised, JSON-ready
    problems: list[Problem]


def _normal(text: Any) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").split())


_HEADERS = {_normal(header): key for key, header in COLUMNS.items()} | {
    _normal(alias): key for alias, key in HEADER_ALIASES.items()
}


# Reading ----------------------------------------------------------------------------------


def read_upload(upload, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the person sees it, {column key: raw cell}) for each non-empty row."""
    try:
        info = inspect_upload(
            upload, filename, allowed=frozenset({"csv", "xlsx"}), max_bytes=MAX_UPLOAD_BYTES
        )
    except UploadRejected as exc:
        raise FileRejected(exc.message) from None
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read() if hasattr(upload, "read") else bytes(upload)
    table = _csv_rows(content) if info.kind == "csv" else _xlsx_rows(content)
    return _records(table)


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = content.decode("utf-8-sig")
    first = text.splitlines()[0] if text else ""
    delimiter = max(CSV_DELIMITERS, key=first.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise FileRejected(_("El archivo CSV está mal formado: revise las comillas.")) from None


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many kinds of errors on a malformed file
        raise FileRejected(
            _("El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(values)
    except Exception:
        raise FileRejected(
            _("El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado.")
        ) from None
    finally:
        workbook.close()


def _records(table: Iterator[list[Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    header = next(table, None) or []
    positions: dict[str, int] = {}
    for index, text in enumerate(header[:MAX_COLUMNS]):
        key = _HEADERS.get(_normal(text))
        if key is not None and key not in positions:
            positions[key] = index
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    if missing:
        raise FileRejected(
            ngettext(
                "Al archivo le falta la columna %(c)s. Las columnas son: %(all)s.",
                "Al archivo le faltan las columnas %(c)s. Las columnas son: %(all)s.",
                len(missing),
            )
            % {
                "c": ", ".join(f"«{m}»" for m in missing),
                "all": ", ".join(COLUMNS.values()),
            }
        )
    count = 0
    for number, values in enumerate(table, start=2):
        record = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            raise FileRejected(
                _("El archivo tiene más de %(n)s filas con datos; divídalo en varios archivos.")
                % {"n": format_mx(MAX_ROWS)}
            )
        yield number, record


# Cells ------------------------------------------------------------------------------------


def parse_number(raw: Any) -> Decimal | None:
    return cells.parse_number(raw, limit=NUMBER_LIMIT)


def parse_text(raw: Any, limit: int) -> str:
    return cells.parse_text(raw, limit, fold_spaces=True)


def _year(raw: Any) -> int:
    """A year; what is no number gets a year as its example (the number parser's own example,
    1,200.5, is no year)."""
    try:
        number = parse_number(raw)
    except CellError:
        hint = _("Escriba el año con cuatro cifras, por ejemplo 2024.")
        if isinstance(raw, str):
            hint = _("«%(v)s» no es un año.") % {"v": " ".join(raw.split())[:12]} + " " + hint
        raise CellError(hint) from None
    if number is None:
        raise CellError(_("Escriba el año."))
    if number != number.to_integral_value() or not 1900 <= number <= 2100:
        raise CellError(_("El año debe ser un número entero entre 1900 y 2100."))
    return int(number)


def _state_code(raw: Any, states: dict[str, int]) -> str:
    """ "01".."32", or "" for the national figure (00 or empty)."""
    text = parse_text(raw, 10)
    if text in ("", "0", "00"):
        return ""
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)  # a spreadsheet drops the leading zero of 01
        if text in states:
            return text
    raise CellError(
        _("«%(v)s» no es una clave de entidad: use 01 a 32, o 00 (o vacía) para la nacional.")
        % {"v": text[:12]}
    )


def _sex(raw: Any) -> str:
    text = _normal(parse_text(raw, 20))
    if text in SEXES:
        return SEXES[text]
    raise CellError(
        _("«%(v)s» no es un sexo reconocido: escriba mujeres, hombres o total.") % {"v": text[:20]}
    )


# Checking ---------------------------------------------------------------------------------


def check(records) -> Checked:
    """Every row against the catalogue; the rows normalised and every problem found."""
    indicators = {
        i.slug: i for i in ContextIndicator.objects.select_related("source").order_by("pk")
    }
    states = dict(State.objects.values_list("code", "pk"))
    rows: list[dict] = []
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    for number, record in records:
        row, row_problems = _check_row(number, record, indicators, states)
        problems += row_problems
        if row is None:
            continue
        key = (row["indicator"], row["year"], row["state"], row["sex"], row["age_group"])
        if key in seen:
            problems.append(
                Problem(
                    number,
                    COLUMNS["value"],
                    _(
                        "La fila repite el valor de la fila %(r)s (mismo indicador, año, entidad, "
                        "sexo y grupo de edad)."
                    )
                    % {"r": seen[key]},
                )
            )
            continue
        seen[key] = number
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(None, "", _("El archivo no tiene filas con datos.")))
    return Checked(rows=rows, problems=problems)


def _cell(problems, number, key, parser, raw):
    try:
        return parser(raw)
    except CellError as error:
        problems.append(Problem(number, COLUMNS[key], error.message))
        return None


def _check_row(number: int, record: dict, indicators: dict, states: dict):
    problems: list[Problem] = []
    get = record.get
    slug = _cell(problems, number, "indicator", lambda v: parse_text(v, 80), get("indicator"))
    indicator = indicators.get(slug) if slug else None
    if slug is not None and indicator is None:
        problems.append(
            Problem(
                number,
                COLUMNS["indicator"],
                _("No existe el indicador «%(v)s» en el catálogo; regístrelo antes de importar.")
                % {"v": (slug or "")[:80]}
                if slug
                else _("Escriba la clave del indicador."),
            )
        )
    year = _cell(problems, number, "year", _year, get("year"))
    state = _cell(problems, number, "state", lambda v: _state_code(v, states), get("state"))
    sex = _cell(problems, number, "sex", _sex, get("sex"))
    age = _cell(problems, number, "age_group", lambda v: parse_text(v, 40), get("age_group"))
    value = _cell(problems, number, "value", parse_number, get("value"))
    if value is None and not any(p.column == COLUMNS["value"] for p in problems):
        problems.append(Problem(number, COLUMNS["value"], _("Escriba el valor.")))
    unit = _cell(problems, number, "unit", lambda v: parse_text(v, 100), get("unit"))
    source = _cell(problems, number, "source", lambda v: parse_text(v, 200), get("source"))
    cv = _cell(problems, number, "cv", parse_number, get("cv"))
    low = _cell(problems, number, "ci_low", parse_number, get("ci_low"))
    high = _cell(problems, number, "ci_high", parse_number, get("ci_high"))
    if indicator is not None:
        problems += _against_indicator(number, indicator, value, unit, source)
    if cv is not None and cv < 0:
        problems.append(
            Problem(number, COLUMNS["cv"], _("El coeficiente de variación no puede ser negativo."))
        )
    if (low is None) != (high is None):
        column = COLUMNS["ci_high"] if high is None else COLUMNS["ci_low"]
        problems.append(
            Problem(number, column, _("Escriba los dos límites del intervalo, o ninguno."))
        )
    elif low is not None and value is not None and not low <= value <= high:
        problems.append(
            Problem(
                number,
                COLUMNS["ci_low"],
                _(
                    "El intervalo debe contener el valor: límite inferior ≤ valor ≤ límite "
                    "superior."
                ),
            )
        )
    if problems:
        return None, problems
    return {
        "row": number,
        "indicator": indicator.slug,
        "year": year,
        "state": state,
        "sex": sex,
        "age_group": age,
        "value": str(value),
        "unit": unit,
        "source": source,
        "cv": None if cv is None else str(cv),
        "ci_low": None if low is None else str(low),
        "ci_high": None if high is None else str(high),
    }, []


def _against_indicator(number, indicator, value, unit, source) -> list[Problem]:
    problems = []
    if unit is not None and _normal(unit) != _normal(indicator.unit):
        problems.append(
            Problem(
                number,
                COLUMNS["unit"],
                _("La unidad «%(v)s» no es la del indicador («%(u)s»).")
                % {"v": unit[:100], "u": indicator.unit},
            )
        )
    known = {_normal(indicator.source.slug), _normal(indicator.source.name)}
    if source is not None and _normal(source) not in known:
        problems.append(
            Problem(
                number,
                COLUMNS["source"],
                _("La fuente «%(v)s» no es la del indicador («%(s)s»).")
                % {"v": source[:200], "s": indicator.source.name},
            )
        )
    if value is not None:
        if indicator.measure == Measure.PERCENT and not 0 <= value <= 100:
            problems.append(Problem(number, COLUMNS["value"], _("Un porcentaje va de 0 a 100.")))
        elif indicator.measure == Measure.COUNT and (
            value < 0 or value != value.to_integral_value()
        ):
            problems.append(
                Problem(number, COLUMNS["value"], _("Un conteo es un número entero no negativo."))
            )
    return problems
