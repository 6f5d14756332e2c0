from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transversal.genderstats import gaps, selectors
from transversal.genderstats.tests.factories import make_indicator, put

figures = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@given(figures, figures)
def test_the_gap_is_women_minus_men_and_the_ratio_agrees_with_it(women, men):
    assert gaps.gap(women, men) + men == women
    ratio = gaps.ratio(women, men)
    if men:
        assert abs(ratio * men - women) <= men * D("0.00005") + D("0.0001")
    else:
        assert ratio is None


def test_the_femininity_index_is_women_per_hundred_men():
    assert gaps.femininity_index(D(105), D(100)) == D("105.0")
    assert gaps.femininity_index(D(1), D(3)) == D("33.3")
    assert gaps.femininity_index(D(1), D(0)) is None


@pytest.mark.parametrize(
    ("cv", "expected"),
    [
        (D("0"), gaps.HIGH),
        (D("15"), gaps.HIGH),
        (D("15.01"), gaps.MODERATE),
        (D("30"), gaps.MODERATE),
        (D("30.5"), gaps.LOW),
        (None, gaps.UNKNOWN),
    ],
)
def test_the_precision_follows_inegi_ranges_of_the_coefficient_of_variation(cv, expected):
    assert gaps.precision(cv) == expected


def test_without_a_coefficient_the_interval_gives_the_precision():
    # Half-width 5 / 1.645 = 3.04 standard error, over 10 = 30.4 %: low.
    assert gaps.precision(None, D("5"), D("15"), D("10")) == gaps.LOW
    # Half-width 2 / 1.645 = 1.216, over 10 = 12.2 %: high.
    assert gaps.precision(None, D("8"), D("12"), D("10")) == gaps.HIGH
    # Half-width 3 / 1.645 = 1.82, over 10 = 18.2 %: moderate.
    assert gaps.precision(None, D("7"), D("13"), D("10")) == gaps.MODERATE


def test_a_gap_is_as_precise_as_its_less_precise_figure():
    assert gaps.worst(gaps.HIGH, gaps.LOW) == gaps.LOW
    assert gaps.worst(gaps.MODERATE, gaps.HIGH) == gaps.MODERATE


def test_the_published_national_figure_wins():
    figure = gaps.national_figure(D(50), [D(1)] * 32, is_count=True)
    assert (figure.value, figure.how) == (D(50), "published")


def test_a_synthetic_national_row_is_never_called_published():
    figure = gaps.national_figure(D(50), [D(1)] * 32, is_count=True, synthetic=True)
    assert (figure.value, figure.how) == (D(50), "synthetic")
    assert "publicada" not in figure.note.replace("no es una cifra publicada", "")
    assert "inventada" in figure.note
    real = gaps.national_figure(D(50), [], is_count=False)
    assert real.note == "cifra nacional publicada"


def test_a_sum_of_synthetic_states_says_so():
    figure = gaps.national_figure(None, [D(2)] * 32, is_count=True, synthetic=True)
    assert figure.value == D(64) and "dato sintético" in figure.note


def test_a_count_sums_the_states_only_when_all_32_are_present():
    assert gaps.national_figure(None, [D(2)] * 32, is_count=True).value == D(64)
    missing = gaps.national_figure(None, [D(2)] * 31, is_count=True)
    assert missing.value is None
    assert "faltan entidades" in missing.note


def test_a_percentage_is_never_summed_nor_averaged():
    figure = gaps.national_figure(None, [D(20)] * 32, is_count=False)
    assert figure.value is None
    assert "no la publica" in figure.note


def test_ranks_put_first_the_state_where_women_fare_worst_and_share_ties():
    values = {"01": D(5), "02": D(-3), "03": D(5), "04": None}
    assert gaps.rank_by_gap(values, "positive") == {"01": 1, "03": 1, "02": 3}
    assert gaps.rank_by_gap(values, "negative") == {"02": 1, "01": 2, "03": 2}


@pytest.mark.django_db
def test_the_table_flags_a_poorly_precise_gap_and_its_national_row():
    indicator = make_indicator("violencia")
    put(indicator, 2021, "10", "mujeres", "40.2", cv=D("12"))
    put(indicator, 2021, "10", "hombres", "20.1", cv=D("31"))
    put(indicator, 2021, "", "mujeres", "39.9", cv=D("2"))
    put(indicator, 2021, "", "hombres", "19.0", cv=D("3"))
    table = selectors.state_table(indicator, 2021)
    durango = next(r for r in table.rows if r.state.code == "10")
    assert durango.precision == gaps.LOW
    assert durango.precision_label == "precisión baja"
    assert table.national.gap == D("20.9")
    assert table.national.precision == gaps.HIGH


@pytest.mark.django_db
def test_a_count_without_a_national_row_says_why_it_has_none():
    indicator = make_indicator("ocupadas", measure="conteo", unit="Personas")
    put(indicator, 2024, "10", "mujeres", 10)
    put(indicator, 2024, "10", "hombres", 12)
    table = selectors.state_table(indicator, 2024)
    assert table.national.gap is None
    assert "faltan entidades" in table.national.national_note
