"""Checking the rows of an upload against the institution's indicators; nothing is written.

``validate_updates`` and ``validate_targets`` check the rows the reader gives against the
indicators ``indicator_set`` loaded, with the same pure checks the services apply
(``update_check``, the one ``update_save`` runs, and ``validate_value``). They return the
changes and every problem, row by row, in a ``Validation``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from transversal.core.cells import CellError, parse_text
from transversal.core.templatetags.transversal import format_mx
from transversal.monitoring.models import Disaggregation, Indicator, ReportingPeriod, validate_value
from transversal.monitoring.services import (
    BREAKDOWN,
    NOT_EDITABLE,
    PERIOD_LOCKED,
    compute_value,
    update_check,
)
from transversal.monitoring.spreadsheets.reader import (
    SheetRows,
    check_upload,
    open_sheet,
    parse_label,
    parse_number,
)
from transversal.monitoring.spreadsheets.template import (
    BREAKDOWN_LABEL,
    TARGET_COLUMNS,
    TARGETS,
    UPDATE_COLUMNS,
    UPDATES,
    all_breakdown_columns,
    breakdown_of,
    current_update,
    display_of,
    indicator_set,
)

NARRATIVE_MAX = 10_000
NOTE_MAX = 2_000


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("Hoja %(s)s: %(m)s") % {"s": self.sheet, "m": self.message}
        return _("Hoja %(s)s, fila %(r)s, columna %(c)s: %(m)s") % {
            "s": self.sheet,
            "r": self.row,
            "c": self.column,
            "m": self.message,
        }

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Change:
    """One row that would change something, with what the confirm step needs (JSON-safe)."""

    row: int
    indicator: str
    period: str
    action: str
    before: str
    after: str
    payload: dict

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "indicator": self.indicator,
            "period": self.period,
            "action": self.action,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class Validation:
    kind: str
    sheet: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# Checking the rows -------------------------------------------------------------------------


class SheetCheck:
    """One check of a sheet's rows: the indicators they may name, rows seen, problems found.

    What does not change from one row to the next (a code in canonical form, a column's header,
    a period's display) is worked out once and kept here."""

    def __init__(self, institution, indicators: list[Indicator], sheet: SheetRows, kind: str):
        self.institution = institution
        self.by_code = {str(i.code): i for i in indicators}
        self.periods = {(code, p.label): p for code, i in self.by_code.items() for p in i.calendar}
        self.sheet = sheet
        self.result = Validation(kind=kind, sheet=sheet.sheet)
        self.seen: dict[tuple[str, str], int] = {}
        self.words = {
            "create": _("Nuevo borrador"),
            "edit": _("Editar borrador"),
            "none": _("Sin reporte"),
            "target": _("Cambiar meta"),
        }
        self.codes: dict[
            str, str
        ] = {}  # a valid code as written (stripped, lower case) -> canonical form
        self.headers: dict[str, str] = {}
        self.displays: dict[str, str] = {}  # period label -> display_of

    def header(self, key: str) -> str:
        if key not in self.headers:
            self.headers[key] = self._header(key)
        return self.headers[key]

    def _header(self, key: str) -> str:
        if key in self.sheet.columns:
            return self.sheet.columns[key]
        for column in (*UPDATE_COLUMNS, *TARGET_COLUMNS, *all_breakdown_columns()):
            if column.key == key:
                return str(column.label)
        return str(BREAKDOWN_LABEL)

    def display(self, period: ReportingPeriod) -> str:
        if period.label not in self.displays:
            self.displays[period.label] = display_of(period)
        return self.displays[period.label]

    def problem(self, row: int, key: str, message: str) -> None:
        self.result.problems.append(Problem(self.sheet.sheet, row, self.header(key), message))

    def locate(self, number: int, record: dict) -> tuple[Indicator, ReportingPeriod] | None:
        raw_code = record.get("code")
        code = str(raw_code).strip().lower() if raw_code is not None else ""
        label = parse_label(record.get("period"))
        if not code:
            self.problem(number, "code", _("Falta la clave del indicador."))
            return None
        written = code
        code = self.codes.get(written)
        if code is None:
            try:
                code = self.codes[written] = str(uuid.UUID(written))
            except ValueError:
                self.problem(
                    number,
                    "code",
                    _("La clave «%(c)s» no es válida: copie la de la plantilla sin cambiarla.")
                    % {"c": written[:40]},
                )
                return None
        indicator = self.by_code.get(code)
        if indicator is None:
            # Another institution's key reads exactly like a missing one (missing and foreign look
            # alike, as everywhere): the sheet must not confirm that an indicator exists elsewhere.
            self.problem(
                number,
                "code",
                _("La clave %(c)s no corresponde a ningún indicador de esta institución.")
                % {"c": code},
            )
            return None
        period = self.periods.get((code, label))
        if period is None:
            self.problem(
                number,
                "period",
                _("El periodo «%(p)s» no está en el calendario del indicador.") % {"p": label[:20]},
            )
            return None
        first = self.seen.setdefault((code, label), number)
        if first != number:
            self.problem(
                number,
                "period",
                _("Este indicador y periodo ya aparecen en la fila %(n)s.") % {"n": first},
            )
            return None
        return indicator, period

    def finish(self) -> Validation:
        self.result.problems.sort(key=lambda p: (p.row or 0, p.column))
        return self.result


# The column of each refusal update_check names by its code.
_CHECK_COLUMNS = {PERIOD_LOCKED: "period", NOT_EDITABLE: "status", BREAKDOWN: "breakdown"}


def _errors(exc: ValidationError, default: str) -> Iterator[tuple[str, str]]:
    """(column key, message) for each message of a service's ValidationError: a refusal with a
    known code goes to its column, a number's field to its own, anything else to ``default``."""
    groups = exc.error_dict.items() if hasattr(exc, "error_dict") else ((None, exc.error_list),)
    for name, errors in groups:
        for error in errors:
            key = _CHECK_COLUMNS.get(error.code) or (
                name if name in ("value", "numerator", "denominator") else default
            )
            for message in error:
                yield key, message


def _show(number: Decimal | None) -> str:
    return (
        format_mx(number) if number is not None else _("(vacío)")
    )  # only for emptied values: rare


def validate_updates(institution, indicators: list[Indicator], sheet: SheetRows) -> Validation:
    """Check every row of the "Avances" sheet; nothing is written."""
    check = SheetCheck(institution, indicators, sheet, UPDATES)
    for number, record in sheet.rows:
        check.result.rows += 1
        located = check.locate(number, record)
        if located is None:
            continue
        change = _update_row(check, number, record, *located)
        if change is None:
            continue
        check.result.changes.append(change)
    return check.finish()


def _read_update_cells(check: SheetCheck, number: int, record: dict, indicator: Indicator):
    ok = True
    numbers: dict[str, Decimal | None] = {}
    for key in ("value", "numerator", "denominator"):
        try:
            numbers[key] = parse_number(record.get(key))
        except CellError as exc:
            check.problem(number, key, exc.message)
            ok = False
    texts: dict[str, str] = {}
    for key, limit in (("narrative", NARRATIVE_MAX), ("note", NOTE_MAX)):
        try:
            texts[key] = parse_text(record.get(key), limit)
        except CellError as exc:
            check.problem(number, key, exc.message)
            ok = False
    allowed = indicator.all_disaggregations
    breakdown: dict[str, dict[str, Decimal]] = {}
    for key, raw in record.items():
        if ":" not in key:
            continue
        dimension, category = key.split(":", 1)
        try:
            value = parse_number(raw)
        except CellError as exc:
            check.problem(number, key, exc.message)
            ok = False
            continue
        if value is None:
            continue
        if dimension not in allowed:
            check.problem(
                number,
                key,
                _("La desagregación «%(d)s» no está prevista en la ficha del indicador.")
                % {"d": Disaggregation(dimension).label},
            )
            ok = False
            continue
        breakdown.setdefault(dimension, {})[category] = value
    return ok, numbers, texts, breakdown


def _update_row(
    check: SheetCheck, number: int, record: dict, indicator: Indicator, period: ReportingPeriod
):
    ok, numbers, texts, breakdown = _read_update_cells(check, number, record, indicator)
    if not ok:
        return None
    if all(v is None for v in numbers.values()) and not any(texts.values()) and not breakdown:
        return None  # an empty row changes nothing
    try:
        # The value as it would be stored, to tell a row that repeats the current report (even
        # of a closed period or a submitted update) from one that changes it.
        computed = compute_value(
            indicator.measure, numbers["value"], numbers["numerator"], numbers["denominator"]
        )
    except ValidationError as exc:
        for key, message in _errors(exc, "value"):
            check.problem(number, key, message)
        return None
    current = current_update(period)
    if current is not None and (
        current.value == computed
        and current.numerator == numbers["numerator"]
        and current.denominator == numbers["denominator"]
        and current.narrative == texts["narrative"]
        and current.disaggregation_note == texts["note"]
        and breakdown_of(current) == breakdown
    ):
        check.result.unchanged += 1
        return None
    try:
        computed = update_check(
            period=period,
            current=current,
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
            breakdown=breakdown,
            note=texts["note"],
        )
    except ValidationError as exc:
        for key, message in _errors(exc, "value"):
            check.problem(number, key, message)
        return None
    payload = {
        "row": number,
        "indicator": str(indicator.code),
        "period": period.label,
        "version": current.version if current is not None else None,
        "value": _text(numbers["value"]),
        "numerator": _text(numbers["numerator"]),
        "denominator": _text(numbers["denominator"]),
        "narrative": texts["narrative"],
        "note": texts["note"],
        "breakdown": {d: {c: str(v) for c, v in values.items()} for d, values in breakdown.items()},
    }
    return Change(
        row=number,
        indicator=indicator.name,
        period=check.display(period),
        action=check.words["edit" if current is not None else "create"],
        before=_show(current.value) if current is not None else check.words["none"],
        after=_show(computed),
        payload=payload,
    )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def validate_targets(institution, indicators: list[Indicator], sheet: SheetRows) -> Validation:
    """Check every row of the "Metas" sheet; nothing is written."""
    check = SheetCheck(institution, indicators, sheet, TARGETS)
    for number, record in sheet.rows:
        check.result.rows += 1
        located = check.locate(number, record)
        if located is None:
            continue
        indicator, period = located
        try:
            target = parse_number(record.get("target"))
        except CellError as exc:
            check.problem(number, "target", exc.message)
            continue
        if target == period.target:
            check.result.unchanged += 1
            continue
        if period.locked:
            check.problem(
                number,
                "target",
                _("El periodo %(label)s está cerrado; su meta ya no cambia.")
                % {"label": period.label},
            )
            continue
        if target is not None:
            try:
                validate_value(indicator.measure, target, field="target")
            except ValidationError as exc:
                for message in exc.messages:
                    check.problem(number, "target", message)
                continue
        check.result.changes.append(
            Change(
                row=number,
                indicator=indicator.name,
                period=check.display(period),
                action=check.words["target"],
                before=_show(period.target),
                after=_show(target),
                payload={
                    "row": number,
                    "indicator": str(indicator.code),
                    "period": period.label,
                    "before": _text(period.target),
                    "target": _text(target),
                },
            )
        )
    return check.finish()


def validate_upload(institution, upload, filename: str, kind: str) -> Validation:
    """Check the file by content, read the sheet of ``kind`` and validate every row."""
    check_upload(upload, filename)
    indicators = indicator_set(institution)
    validate = validate_updates if kind == UPDATES else validate_targets
    with open_sheet(upload, kind) as sheet:
        return validate(institution, indicators, sheet)
