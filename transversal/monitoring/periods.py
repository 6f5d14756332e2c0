"""The reporting calendar: periods of an indicator and their labels.

Periods are calendar-aligned: months; quarters January–March, April–June,
July–September, October–December; semesters January–June and July–December;
calendar years; and biennia of two calendar years counted from the year the
calendar starts in (a calendar starting in 2024 has 2024-2025, 2026-2027…).
A period's ``end`` is its last day (inclusive); its report is due
``due_days`` days after it ends.

Labels are stable identifiers, used in URLs and on the command line; never
change their shape:

=============  ===============  ==========================
frequency      label            shown as
=============  ===============  ==========================
``monthly``    ``2025-M03``     marzo 2025
``quarterly``  ``2025-T4``      4.º trimestre 2025
``semiannual`` ``2025-S2``      2.º semestre 2025
``annual``     ``2025``         2025
``biennial``   ``2024-2025``    2024-2025
=============  ===============  ==========================

(T is for trimestre, S for semestre.) Labels are upper case, ASCII digits,
with nothing around them. Years run from 1900 to 2999.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHLY = "monthly"
QUARTERLY = "quarterly"
SEMIANNUAL = "semiannual"
ANNUAL = "annual"
BIENNIAL = "biennial"
FREQUENCIES = (MONTHLY, QUARTERLY, SEMIANNUAL, ANNUAL, BIENNIAL)

FREQUENCY_LABELS = {
    MONTHLY: "mensual",
    QUARTERLY: "trimestral",
    SEMIANNUAL: "semestral",
    ANNUAL: "anual",
    BIENNIAL: "bienal",
}

MONTHS_PER_PERIOD = {MONTHLY: 1, QUARTERLY: 3, SEMIANNUAL: 6, ANNUAL: 12, BIENNIAL: 24}


MIN_YEAR = 1900
MAX_YEAR = 2999
MAX_PERIODS = 600
DEFAULT_DUE_DAYS = 15
MAX_DUE_DAYS = 366

_LABEL_PATTERNS = (
    (MONTHLY, re.compile(r"([0-9]{4})-M(0[1-9]|1[0-2])")),
    (QUARTERLY, re.compile(r"([0-9]{4})-T([1-4])")),
    (SEMIANNUAL, re.compile(r"([0-9]{4})-S([12])")),
    (ANNUAL, re.compile(r"([0-9]{4})()")),
    (BIENNIAL, re.compile(r"([0-9]{4})-([0-9]{4})")),
)

# Spanish ordinals before a masculine noun: "1.er trimestre", "2.º semestre".


@dataclass(frozen=True)
class PeriodSpec:
    """One reporting period: first and last day (inclusive) and due date."""

    label: str
    start: date
    end: date
    due_date: date


def generate_periods(
    frequency: str, start: date, end: date, *, due_days: int = DEFAULT_DUE_DAYS
) -> list[PeriodSpec]:
    """The calendar-aligned periods that overlap ``start``..``end``.

    The first period contains ``start`` and the last contains ``end``; they
    follow each other without gaps. Biennia count from ``start``'s year.
    Raises ValueError when the range is reversed, outside 1900–2999, needs
    more than 600 periods, or ``due_days`` is outside 0–366.
    """
    _check_frequency(frequency)
    _check_range(start, end, due_days)
    size = MONTHS_PER_PERIOD[frequency]
    first = _month_index(start) - _offset(frequency, start)
    count = (_month_index(end) - first) // size + 1
    if count > MAX_PERIODS:
        raise ValueError(
            f"El rango de fechas genera {count:,} periodos {FREQUENCY_LABELS[frequency]}es; "
            f"el máximo es {MAX_PERIODS:,}."
        )
    return [_spec(frequency, first + k * size, size, due_days) for k in range(count)]


def period_label(frequency: str, start: date) -> str:
    """The label of the period of ``frequency`` that begins on ``start``."""
    _check_frequency(frequency)
    aligned = start.day == 1 and _offset(frequency, start) == 0
    if not aligned:
        raise ValueError(
            f"El {start:%d/%m/%Y} no es el inicio de un periodo {FREQUENCY_LABELS[frequency]}."
        )
    year, month = start.year, start.month
    if frequency == MONTHLY:
        return f"{year:04d}-M{month:02d}"
    if frequency == QUARTERLY:
        return f"{year:04d}-T{(month - 1) // 3 + 1}"
    if frequency == SEMIANNUAL:
        return f"{year:04d}-S{(month - 1) // 6 + 1}"
    if frequency == ANNUAL:
        return f"{year:04d}"
    return f"{year:04d}-{year + 1:04d}"


def parse_period_label(label: str) -> tuple[str, date, date]:
    """(frequency, first day, last day) of a label such as "2025-T4"."""
    for frequency, pattern in _LABEL_PATTERNS:
        match = pattern.fullmatch(label) if isinstance(label, str) else None
        if match:
            return _parse_match(frequency, int(match[1]), match[2], label)
    raise _bad_label(label)


def period_display(label: str) -> str:
    """How a period reads: "4.º trimestre 2025", "marzo 2025" (translated in English)."""
    from django.utils.translation import get_language

    return _period_display(label, get_language())


@functools.lru_cache(maxsize=4096)
def _period_display(label: str, language: str | None) -> str:
    """Memoised per label and active language: reports show the same few labels thousands of
    times."""
    from django.utils.dates import MONTHS
    from django.utils.translation import gettext as _

    frequency, start, _end = parse_period_label(label)
    ordinals = {1: _("1.er"), 2: _("2.º"), 3: _("3.er"), 4: _("4.º")}
    if frequency == MONTHLY:
        return f"{str(MONTHS[start.month]).lower()} {start.year}"
    if frequency == QUARTERLY:
        return _("%(ordinal)s trimestre %(year)s") % {
            "ordinal": ordinals[(start.month - 1) // 3 + 1],
            "year": start.year,
        }
    if frequency == SEMIANNUAL:
        return _("%(ordinal)s semestre %(year)s") % {
            "ordinal": ordinals[(start.month - 1) // 6 + 1],
            "year": start.year,
        }
    if frequency == ANNUAL:
        return str(start.year)
    return f"{start.year}-{start.year + 1}"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _check_frequency(frequency: str) -> None:
    if frequency not in MONTHS_PER_PERIOD:
        raise ValueError(f"Frecuencia desconocida: {frequency!r}.")


def _check_range(start: date, end: date, due_days: int) -> None:
    if end < start:
        raise ValueError("La fecha final es anterior a la fecha inicial.")
    if start.year < MIN_YEAR or end.year > MAX_YEAR:
        raise ValueError(f"Las fechas deben estar entre los años {MIN_YEAR} y {MAX_YEAR}.")
    if not 0 <= due_days <= MAX_DUE_DAYS:
        raise ValueError(f"El plazo de entrega debe ser de 0 a {MAX_DUE_DAYS} días.")


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _offset(frequency: str, day: date) -> int:
    """Months between ``day``'s month and the start of its period."""
    if frequency == BIENNIAL:
        return day.month - 1
    return (day.month - 1) % MONTHS_PER_PERIOD[frequency]


def _first_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _last_day(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def _spec(frequency: str, first_month: int, size: int, due_days: int) -> PeriodSpec:
    start = _first_day(first_month)
    end = _last_day(first_month + size - 1)
    return PeriodSpec(
        label=period_label(frequency, start),
        start=start,
        end=end,
        due_date=end + timedelta(days=due_days),
    )


def _parse_match(frequency: str, year: int, part: str, label: str) -> tuple[str, date, date]:
    size = MONTHS_PER_PERIOD[frequency]
    if frequency == BIENNIAL:
        if int(part) != year + 1:
            raise _bad_label(label)
        month = 1
    elif frequency == ANNUAL:
        month = 1
    else:
        month = (int(part) - 1) * size + 1
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad_label(label)
    first = year * 12 + month - 1
    return frequency, _first_day(first), _last_day(first + size - 1)


def _bad_label(label: object) -> ValueError:
    return ValueError(
        f"Periodo no válido: {label!r}. Use por ejemplo 2025-M03 (mes), 2025-T4 "
        "(trimestre), 2025-S2 (semestre), 2025 (año) o 2024-2025 (bienio)."
    )
