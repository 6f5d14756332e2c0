"""Tests for the reporting calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transversal.monitoring.periods import (
    ANNUAL,
    BIENNIAL,
    FREQUENCIES,
    FREQUENCY_LABELS,
    MAX_PERIODS,
    MONTHLY,
    QUARTERLY,
    SEMIANNUAL,
    PeriodSpec,
    generate_periods,
    parse_period_label,
    period_display,
    period_label,
)

frequencies = st.sampled_from(FREQUENCIES)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


def labels(periods: list[PeriodSpec]) -> list[str]:
    return [p.label for p in periods]


# ---------------------------------------------------------------------------
# Worked examples
# ---------------------------------------------------------------------------


def test_quarters_of_a_partial_year():
    periods = generate_periods(QUARTERLY, date(2025, 2, 10), date(2025, 11, 30))

    assert periods == [
        PeriodSpec("2025-T1", date(2025, 1, 1), date(2025, 3, 31), date(2025, 4, 15)),
        PeriodSpec("2025-T2", date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 15)),
        PeriodSpec("2025-T3", date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 15)),
        PeriodSpec("2025-T4", date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 15)),
    ]


def test_months_across_a_leap_february():
    periods = generate_periods(MONTHLY, date(2024, 1, 31), date(2024, 3, 1), due_days=0)

    assert labels(periods) == ["2024-M01", "2024-M02", "2024-M03"]
    assert periods[1].end == date(2024, 2, 29) == periods[1].due_date


def test_semesters():
    periods = generate_periods(SEMIANNUAL, date(2024, 7, 1), date(2025, 7, 1))

    assert labels(periods) == ["2024-S2", "2025-S1", "2025-S2"]
    assert periods[0].start == date(2024, 7, 1)


def test_years_of_a_state_plan():
    periods = generate_periods(ANNUAL, date(2022, 9, 15), date(2027, 9, 14), due_days=30)

    assert labels(periods) == ["2022", "2023", "2024", "2025", "2026", "2027"]
    assert periods[-1].due_date == date(2028, 1, 30)


def test_biennia_are_aligned_to_the_start_year():
    assert labels(generate_periods(BIENNIAL, date(2024, 5, 1), date(2029, 1, 1))) == [
        "2024-2025",
        "2026-2027",
        "2028-2029",
    ]
    assert labels(generate_periods(BIENNIAL, date(2025, 1, 1), date(2026, 6, 1))) == ["2025-2026"]


def test_a_single_day_gives_one_period():
    assert labels(generate_periods(QUARTERLY, date(2025, 12, 31), date(2025, 12, 31))) == [
        "2025-T4"
    ]


def test_a_reversed_range_is_an_error():
    with pytest.raises(ValueError, match="anterior"):
        generate_periods(MONTHLY, date(2025, 2, 1), date(2025, 1, 31))


def test_too_many_periods_is_an_error():
    generate_periods(MONTHLY, date(2000, 1, 1), date(2049, 12, 31))  # exactly 600

    with pytest.raises(ValueError, match="601 periodos mensuales; el máximo es 600"):
        generate_periods(MONTHLY, date(2000, 1, 1), date(2050, 1, 1))


@pytest.mark.parametrize("due_days", [-1, 367])
def test_due_days_must_be_reasonable(due_days):
    with pytest.raises(ValueError, match="plazo"):
        generate_periods(ANNUAL, date(2025, 1, 1), date(2025, 1, 1), due_days=due_days)


def test_years_outside_the_calendar_are_an_error():
    with pytest.raises(ValueError, match="1900 y 2999"):
        generate_periods(ANNUAL, date(1899, 1, 1), date(1900, 1, 1))


def test_unknown_frequency_is_an_error():
    with pytest.raises(ValueError, match="Frecuencia"):
        generate_periods("weekly", date(2025, 1, 1), date(2025, 2, 1))


def test_frequencies_have_spanish_labels():
    assert [FREQUENCY_LABELS[f] for f in FREQUENCIES] == [
        "mensual",
        "trimestral",
        "semestral",
        "anual",
        "bienal",
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2025-M03", (MONTHLY, date(2025, 3, 1), date(2025, 3, 31))),
        ("2024-M02", (MONTHLY, date(2024, 2, 1), date(2024, 2, 29))),
        ("2025-T4", (QUARTERLY, date(2025, 10, 1), date(2025, 12, 31))),
        ("2025-S2", (SEMIANNUAL, date(2025, 7, 1), date(2025, 12, 31))),
        ("2025", (ANNUAL, date(2025, 1, 1), date(2025, 12, 31))),
        ("2024-2025", (BIENNIAL, date(2024, 1, 1), date(2025, 12, 31))),
    ],
)
def test_parse_period_label(label, expected):
    assert parse_period_label(label) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "2025-M13",
        "2025-M3",
        "2025-M00",
        "2025-T5",
        "2025-T0",
        "2025-S3",
        "2025-t4",
        " 2025",
        "2025\n",
        "2024-2026",
        "2025-2024",
        "１２３４",
        "1899",
        "3000",
        "25-T1",
        "2025-Q4",
        None,
    ],
)
def test_parse_period_label_rejects_junk_in_spanish(junk):
    with pytest.raises(ValueError, match="Periodo no válido"):
        parse_period_label(junk)


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("2025-M03", "marzo 2025"),
        ("2025-M09", "septiembre 2025"),
        ("2025-T1", "1.er trimestre 2025"),
        ("2025-T2", "2.º trimestre 2025"),
        ("2025-T3", "3.er trimestre 2025"),
        ("2025-T4", "4.º trimestre 2025"),
        ("2025-S1", "1.er semestre 2025"),
        ("2025-S2", "2.º semestre 2025"),
        ("2025", "2025"),
        ("2024-2025", "2024-2025"),
    ],
)
def test_period_display_in_spanish(label, text):
    assert period_display(label) == text


def test_period_label_requires_the_first_day_of_a_period():
    assert period_label(QUARTERLY, date(2025, 10, 1)) == "2025-T4"
    with pytest.raises(ValueError, match="no es el inicio de un periodo trimestral"):
        period_label(QUARTERLY, date(2025, 11, 1))


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@given(frequencies, days, days, st.integers(0, 366))
def test_generated_periods_tile_the_range(frequency, a, b, due_days):
    start, end = sorted((a, b))
    try:
        periods = generate_periods(frequency, start, end, due_days=due_days)
    except ValueError as error:
        assert "máximo" in str(error)
        return

    assert 1 <= len(periods) <= MAX_PERIODS
    assert periods[0].start <= start <= periods[0].end
    assert periods[-1].start <= end <= periods[-1].end
    for previous, following in zip(periods, periods[1:], strict=False):
        assert following.start == previous.end + timedelta(days=1)
    for period in periods:
        assert period.start <= period.end
        assert period.start <= end and period.end >= start
        assert period.due_date == period.end + timedelta(days=due_days)
        assert parse_period_label(period.label) == (frequency, period.start, period.end)
        assert period_display(period.label)
    assert len(set(labels(periods))) == len(periods)


@given(frequencies, days)
def test_the_period_of_a_day_contains_it(frequency, day):
    (period,) = generate_periods(frequency, day, day)

    assert period.start <= day <= period.end
    assert period.start.day == 1


@given(frequencies, days)
def test_labels_round_trip(frequency, day):
    (period,) = generate_periods(frequency, day, day)

    parsed_frequency, start, end = parse_period_label(period.label)

    assert period_label(parsed_frequency, start) == period.label
    assert (start, end) == (period.start, period.end)


@given(st.text(alphabet="0123456789-MTS ", max_size=12) | st.text(max_size=12))
def test_parse_period_label_either_parses_or_raises_value_error(text):
    try:
        frequency, start, end = parse_period_label(text)
    except ValueError as error:
        assert "Periodo no válido" in str(error)
    else:
        assert period_label(frequency, start) == text
        assert start <= end
