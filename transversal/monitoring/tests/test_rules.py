"""Tests for progress, the traffic light and roll-ups."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from transversal.monitoring.rules import (
    ACCUMULATION_CUMULATIVE,
    ACCUMULATION_LATEST,
    ACCUMULATION_PERIOD,
    ASCENDING,
    BASES,
    BASIS_BASELINE,
    COLOURS,
    DEFAULT_THRESHOLDS,
    DESCENDING,
    GREEN,
    LEGEND,
    NO_DATA,
    PROGRESS_LIMIT,
    RED,
    YELLOW,
    Thresholds,
    basis_rule,
    compared_value,
    format_number,
    legend,
    progress,
    rollup,
    traffic_light,
)

RANK = {RED: 0, YELLOW: 1, GREEN: 2}

numbers = st.decimals(
    min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False
)
any_finite = st.decimals(allow_nan=False, allow_infinity=False)
optional_numbers = st.none() | numbers
directions = st.sampled_from([ASCENDING, DESCENDING])
bases = st.sampled_from(BASES)


@st.composite
def thresholds(draw) -> Thresholds:
    values = sorted(draw(st.lists(st.decimals(-200, 400, places=1), min_size=3, max_size=3)))
    return Thresholds(yellow=values[0], green=values[1], overachievement=values[2])


# ---------------------------------------------------------------------------
# Worked examples
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "value", "expected"),
    [
        # Planned change: from 50 to 100, at 75 half of the change is done.
        (ASCENDING, 50, 100, 75, "50.0"),
        (ASCENDING, 50, 100, 100, "100.0"),
        (ASCENDING, 50, 100, 50, "0.0"),
        # Worse than the baseline: 0 %, never negative (shown as "below the baseline").
        (ASCENDING, 50, 100, 40, "0.0"),
        (ASCENDING, 120, 134, 74, "0.0"),
        # Descending: from 20 days to 10, at 12 days 80 % of the reduction.
        (DESCENDING, 20, 10, 12, "80.0"),
        (DESCENDING, 20, 10, 25, "0.0"),
        # A target no better than the baseline is a level to keep.
        (ASCENDING, 10, 10, 10, "100.0"),
        (ASCENDING, 10, 10, 9, "0.0"),
        (ASCENDING, 10, 8, 9, "100.0"),
        (DESCENDING, 5, 5, 6, "0.0"),
        (DESCENDING, 5, 7, 6, "100.0"),
    ],
)
def test_progress_from_the_baseline_when_the_sheet_says_so(
    direction, baseline, target, value, expected
):
    assert progress(direction, baseline, target, value, basis=BASIS_BASELINE) == Decimal(expected)


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "value", "expected"),
    [
        # By default the value is compared with the target, whatever the baseline.
        (ASCENDING, 120, 134, 74, "55.2"),
        (ASCENDING, 120, 154, 140, "90.9"),
        (ASCENDING, 50, 100, 75, "75.0"),
        (ASCENDING, 50, 100, -5, "0.0"),
        (ASCENDING, None, 100, 85, "85.0"),
        (ASCENDING, None, 3, 2, "66.7"),
        (DESCENDING, None, 10, 12.5, "75.0"),
        (DESCENDING, None, 10, 8, "120.0"),
        # Floors and ceilings.
        (ASCENDING, None, 0, 0, "100.0"),
        (ASCENDING, None, -5, -6, "0.0"),
        (DESCENDING, None, 0, 0, "100.0"),
        (DESCENDING, None, 0, 3, "0.0"),
        (DESCENDING, None, 10, 0, "200.0"),
        (DESCENDING, None, 10, 20, "0.0"),
        # Half up at one decimal: 89.95 shows and counts as 90.0.
        (ASCENDING, None, 2000, 1799, "90.0"),
    ],
)
def test_progress_worked_examples(direction, baseline, target, value, expected):
    assert progress(direction, baseline, target, value) == Decimal(expected)


def test_progress_accepts_strings_and_floats():
    assert progress(ASCENDING, "0", "200", 50.5) == Decimal("25.3")


@pytest.mark.parametrize(
    ("value", "colour", "label"),
    [
        (95, GREEN, "Aceptable"),
        (90, GREEN, "Aceptable"),
        (89.9, YELLOW, "Con riesgo"),
        (70, YELLOW, "Con riesgo"),
        (69.9, RED, "Crítico"),
        (None, NO_DATA, "Sin dato"),
    ],
)
def test_traffic_light_boundaries(value, colour, label):
    light = traffic_light(ASCENDING, None, 100, value)

    assert (light.colour, light.label) == (colour, label)


def test_traffic_light_explains_the_numbers_in_spanish():
    light = traffic_light(ASCENDING, None, 100, 85)

    assert light.explanation == (
        "Avance de 85.0 % de la meta: con riesgo (verde desde 90 %, amarillo desde 70 %)."
    )


def test_traffic_light_formats_large_numbers_mexican_style():
    light = traffic_light(ASCENDING, None, 1000, Decimal("12345.6"))

    assert light.explanation.startswith("Avance de 1,234.6 % de la meta: aceptable")


def test_absurd_progress_is_clamped():
    assert progress(ASCENDING, 0, 1, 10**9) == PROGRESS_LIMIT
    assert progress(ASCENDING, 0, 1, -(10**9)) == 0


def test_below_the_baseline_is_said_in_words_not_as_a_negative_percentage():
    light = traffic_light(ASCENDING, 120, 134, 74, basis=BASIS_BASELINE)

    assert (light.progress, light.colour, light.below_baseline) == (Decimal(0), RED, True)
    assert light.explanation.startswith("Por debajo de la línea base (74; la línea base es 120)")
    assert "-" not in light.explanation
    assert not traffic_light(ASCENDING, 120, 134, 74).below_baseline


def test_the_legend_and_the_default_rule_agree_on_140_against_154():
    light = traffic_light(ASCENDING, 120, 154, 140)

    assert (light.progress, light.colour) == (Decimal("90.9"), GREEN)
    green_rule = dict((colour, rule) for colour, _label, rule in legend())[GREEN]
    assert green_rule.startswith("Avance de 90 % de la meta o más")
    assert "valor entre la meta" in basis_rule()
    assert "línea base" in basis_rule(BASIS_BASELINE)


@pytest.mark.parametrize(
    ("accumulation", "values", "expected"),
    [
        (ACCUMULATION_PERIOD, [10, 20, 30], 30),
        (ACCUMULATION_LATEST, [10, 20, 30], 30),
        (ACCUMULATION_CUMULATIVE, [10, 20, 30], 60),
        (ACCUMULATION_CUMULATIVE, [10, None, 30], 40),
        (ACCUMULATION_CUMULATIVE, [10, 20, None], None),
        (ACCUMULATION_PERIOD, [], None),
    ],
)
def test_the_compared_value_follows_the_accumulation(accumulation, values, expected):
    result = compared_value(accumulation, values)

    assert result == (None if expected is None else Decimal(expected))


def test_an_unknown_basis_or_accumulation_is_an_error():
    with pytest.raises(ValueError):
        progress(ASCENDING, None, 1, 1, basis="nada")
    with pytest.raises(ValueError):
        compared_value("nada", [1])


def test_traffic_light_flags_overachievement_as_a_planning_problem():
    light = traffic_light(ASCENDING, 0, 100, 200)

    assert (light.colour, light.overachieved) == (GREEN, True)
    assert "Supera el 150 % de la meta" in light.explanation
    assert "demasiado baja" in light.explanation


def test_progress_at_the_overachievement_threshold_is_not_flagged():
    assert traffic_light(ASCENDING, 0, 100, 150).overachieved is False


def test_traffic_light_uses_custom_thresholds():
    custom = Thresholds(green=Decimal("95.5"), yellow=Decimal(80), overachievement=Decimal(120))

    light = traffic_light(DESCENDING, 100, 50, 55, custom)

    assert (light.progress, light.colour) == (Decimal("90.0"), YELLOW)
    assert "verde desde 95.5 %, amarillo desde 80 %" in light.explanation


def test_traffic_light_explains_a_floor_target():
    light = traffic_light(DESCENDING, None, 0, 3)

    assert light.colour == RED
    assert light.explanation.startswith("Meta no alcanzada (0.0 %; la meta es un nivel")


@pytest.mark.parametrize(
    ("target", "value", "explanation"),
    [
        (100, None, "Sin dato: no se ha reportado un valor para este periodo."),
        (None, 5, "Sin dato: el periodo no tiene meta."),
    ],
)
def test_traffic_light_explains_missing_data(target, value, explanation):
    light = traffic_light(ASCENDING, None, target, value)

    assert (light.colour, light.progress, light.explanation) == (NO_DATA, None, explanation)


def test_non_finite_inputs_give_no_data():
    assert traffic_light(ASCENDING, None, Decimal("NaN"), 5).colour == NO_DATA
    assert progress(ASCENDING, Decimal("Infinity"), 5, 5, basis=BASIS_BASELINE) is None
    assert progress(ASCENDING, None, 5, Decimal("Infinity")) is None


def test_unknown_direction_is_an_error():
    with pytest.raises(ValueError, match="Sentido"):
        progress("stable", 0, 1, 1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"green": Decimal(60), "yellow": Decimal(70)},
        {"green": Decimal(160)},
        {"yellow": Decimal("NaN")},
    ],
)
def test_thresholds_must_be_ordered_numbers(kwargs):
    with pytest.raises(ValueError, match="umbrales"):
        Thresholds(**kwargs)


def test_thresholds_accept_plain_numbers():
    assert Thresholds(green=95, yellow="75.5") == Thresholds(
        green=Decimal(95), yellow=Decimal("75.5")
    )


@pytest.mark.parametrize(
    ("number", "places", "text"),
    [
        (Decimal("1234.5"), 1, "1,234.5"),
        (Decimal("1234567.891"), 2, "1,234,567.89"),
        (Decimal("90"), None, "90"),
        (Decimal("92.50"), None, "92.5"),
        (Decimal("1E+3"), None, "1,000"),
        (Decimal("-0.0"), None, "0"),
    ],
)
def test_format_number_is_mexican_style(number, places, text):
    assert format_number(number, places) == text


def test_legend_lists_every_colour_with_its_rule():
    assert [row[0] for row in LEGEND] == [GREEN, YELLOW, RED, NO_DATA]
    assert LEGEND[1] == (YELLOW, "Con riesgo", "Avance desde 70 % y menor a 90 % de la meta.")
    assert "desde 80 %" in legend(Thresholds(yellow=Decimal(80)))[1][2]


# ---------------------------------------------------------------------------
# Properties of the traffic light
# ---------------------------------------------------------------------------


@given(optional_numbers, numbers, numbers, numbers, thresholds())
def test_a_higher_value_never_gives_a_worse_colour_when_ascending(baseline, target, v1, v2, limits):
    low, high = sorted((v1, v2))

    worse = traffic_light(ASCENDING, baseline, target, low, limits)
    better = traffic_light(ASCENDING, baseline, target, high, limits)

    assert RANK[worse.colour] <= RANK[better.colour]
    assert worse.progress <= better.progress


@given(optional_numbers, numbers, numbers, numbers, thresholds())
def test_a_lower_value_never_gives_a_worse_colour_when_descending(baseline, target, v1, v2, limits):
    low, high = sorted((v1, v2))

    better = traffic_light(DESCENDING, baseline, target, low, limits)
    worse = traffic_light(DESCENDING, baseline, target, high, limits)

    assert RANK[worse.colour] <= RANK[better.colour]
    assert worse.progress <= better.progress


@given(directions, optional_numbers, numbers)
def test_reaching_the_target_is_100_percent_and_green(direction, baseline, target):
    light = traffic_light(direction, baseline, target, target)

    assert light.progress == Decimal(100)
    assert light.colour == GREEN
    assert not light.overachieved


@given(directions, optional_numbers, st.none() | numbers, thresholds())
def test_no_value_is_no_data(direction, baseline, target, limits):
    light = traffic_light(direction, baseline, target, None, limits)

    assert (light.colour, light.progress, light.overachieved) == (NO_DATA, None, False)


@given(directions, optional_numbers, numbers, thresholds())
def test_no_target_is_no_data(direction, baseline, value, limits):
    assert traffic_light(direction, baseline, None, value, limits).colour == NO_DATA


@example(DESCENDING, Decimal("1E+999999"), Decimal("-1E+999999"), Decimal("1E-999999"))
@example(ASCENDING, Decimal("-9E+999999"), Decimal("9E+999999"), Decimal("1E-2000000"))
@example(ASCENDING, Decimal(0), Decimal("1E-2000000"), Decimal("1E+2000000"))
@example(DESCENDING, None, Decimal("1E+999999"), Decimal("1E-999999"))
@given(directions, st.none() | any_finite, any_finite, any_finite)
def test_progress_never_raises_for_finite_decimals(direction, baseline, target, value):
    result = progress(direction, baseline, target, value)

    assert result is None or 0 <= result <= PROGRESS_LIMIT
    if result is not None:
        assert result == result.quantize(Decimal("0.1"))
        assert traffic_light(direction, baseline, target, value).explanation


@given(directions, optional_numbers, numbers, numbers)
def test_reasonable_inputs_always_have_progress(direction, baseline, target, value):
    assert progress(direction, baseline, target, value) is not None


@given(directions, optional_numbers, numbers, numbers, thresholds())
def test_overachieved_implies_green(direction, baseline, target, value, limits):
    light = traffic_light(direction, baseline, target, value, limits)

    assert not light.overachieved or light.colour == GREEN


@given(directions, optional_numbers, numbers, numbers, thresholds())
def test_colour_agrees_with_the_rounded_progress(direction, baseline, target, value, limits):
    light = traffic_light(direction, baseline, target, value, limits)

    if light.progress >= limits.green:
        assert light.colour == GREEN
    elif light.progress >= limits.yellow:
        assert light.colour == YELLOW
    else:
        assert light.colour == RED
    assert format_number(light.progress, 1) in light.explanation


@given(numbers, numbers, numbers)
def test_descending_mirrors_ascending_from_the_baseline(baseline, target, value):
    mirrored = progress(DESCENDING, -baseline, -target, -value, basis=BASIS_BASELINE)

    assert progress(ASCENDING, baseline, target, value, basis=BASIS_BASELINE) == mirrored


@given(directions, st.none() | any_finite, any_finite, any_finite, bases)
def test_progress_is_never_negative_on_either_basis(direction, baseline, target, value, basis):
    result = progress(direction, baseline, target, value, basis=basis)

    assert result is None or result >= 0


@given(directions, numbers, numbers, numbers, bases, thresholds())
def test_below_the_baseline_only_on_the_baseline_basis_and_then_no_better_than_red_or_floor(
    direction, baseline, target, value, basis, limits
):
    light = traffic_light(direction, baseline, target, value, limits, basis=basis)

    if light.below_baseline:
        assert basis == BASIS_BASELINE
        assert "línea base" in light.explanation and "-" not in str(light.progress)


# ---------------------------------------------------------------------------
# Roll-up
# ---------------------------------------------------------------------------


def test_rollup_worked_examples():
    assert rollup([GREEN] * 9 + [RED]).colour == GREEN
    assert rollup([GREEN] * 8 + [RED] * 2).colour == YELLOW
    assert rollup([GREEN] * 6 + [YELLOW] * 4).colour == YELLOW
    assert rollup([GREEN] * 7 + [RED] * 3).colour == YELLOW
    assert rollup([GREEN] * 6 + [RED] * 4).colour == RED
    assert rollup([NO_DATA, NO_DATA]).colour == NO_DATA
    assert rollup([]).colour == NO_DATA


def test_rollup_leaves_items_without_data_out_of_the_shares():
    result = rollup([GREEN] * 9 + [YELLOW] + [NO_DATA] * 5)

    assert (result.green, result.yellow, result.red, result.no_data) == (9, 1, 0, 5)
    assert (result.total, result.with_data) == (15, 10)
    assert result.share_green == Decimal("90.0")
    assert (result.colour, result.label) == (GREEN, "Aceptable")
    assert result.explanation == (
        "9 de 10 con dato en verde (90.0 %), 1 en amarillo y 0 en rojo. 5 sin dato."
    )


def test_rollup_explains_an_empty_group():
    assert rollup([NO_DATA] * 3).explanation == "Ninguno de los 3 elementos tiene dato."
    assert rollup([]).explanation == "Sin elementos."


def test_rollup_uses_exact_shares_not_rounded_ones():
    # 8 of 9 is 88.9 %: not green even though it rounds close to 90.
    assert rollup([GREEN] * 8 + [YELLOW]).colour == YELLOW


def test_rollup_rejects_unknown_colours():
    with pytest.raises(ValueError, match="desconocidos"):
        rollup([GREEN, "purple"])


def test_rollup_of_rollups_goes_up_the_tree():
    goals = [rollup([GREEN, GREEN]), rollup([RED, RED, GREEN]), rollup([NO_DATA])]

    agreement = rollup(goal.colour for goal in goals)

    assert (agreement.green, agreement.red, agreement.no_data) == (1, 1, 1)
    assert agreement.colour == RED


colour_lists = st.lists(st.sampled_from(COLOURS), max_size=60)


@given(colour_lists)
def test_rollup_counts_add_up(colours):
    result = rollup(colours)

    assert result.total == len(colours)
    assert result.with_data == len([c for c in colours if c != NO_DATA])
    assert result.share_green is None or 0 <= result.share_green <= 100


@given(st.integers(1, 100), st.integers(0, 10))
def test_rollup_of_all_green_is_green(greens, missing):
    assert rollup([GREEN] * greens + [NO_DATA] * missing).colour == GREEN


@given(st.integers(1, 100), st.sampled_from([YELLOW, RED]))
def test_rollup_of_one_colour_is_that_colour(count, colour):
    assert rollup([colour] * count).colour == colour


@given(colour_lists)
def test_rollup_is_no_data_exactly_when_nothing_has_data(colours):
    assert (rollup(colours).colour == NO_DATA) == all(c == NO_DATA for c in colours)


@given(colour_lists)
def test_rollup_without_red_items_is_never_red(colours):
    assume(RED not in colours)

    assert rollup(colours).colour != RED


@given(colour_lists, st.data())
def test_improving_one_item_never_worsens_the_rollup(colours, data):
    with_data = [i for i, c in enumerate(colours) if c in (RED, YELLOW)]
    assume(with_data)
    index = data.draw(st.sampled_from(with_data))
    improved = list(colours)
    improved[index] = YELLOW if colours[index] == RED else GREEN

    assert RANK[rollup(colours).colour] <= RANK[rollup(improved).colour]


@given(colour_lists, st.permutations(range(60)))
def test_rollup_ignores_order(colours, order):
    shuffled = [colours[i] for i in order if i < len(colours)]

    assert rollup(shuffled) == rollup(colours)


def test_default_thresholds_are_90_70_150():
    assert (DEFAULT_THRESHOLDS.green, DEFAULT_THRESHOLDS.yellow) == (90, 70)
    assert DEFAULT_THRESHOLDS.overachievement == 150
