"""The small-count rule (core.disclosure.protect): examples from the issue, and properties over
random breakdowns that no suppressed value can be worked out from what is published.

:func:`disclosures` is the attacker: it reads only what an output publishes (the total and the
cells) and lists every small count it can work out by subtraction. The tests of each public
output (portal, open data, API) call it on what they read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transversal.core import disclosure
from transversal.core.disclosure import protect
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    SUBSET_GROUPS,
    Disaggregation,
    Measure,
)

D = Decimal
SEX = tuple(code for code, _label in PARTITION_CATEGORIES[Disaggregation.SEX])
AGE = tuple(code for code, _label in PARTITION_CATEGORIES[Disaggregation.AGE])

Published = Iterable[tuple[str, str, Decimal | None]]


def disclosures(
    total: Decimal,
    published: Published,
    *,
    threshold: int,
    subsets: Collection[str] = SUBSET_GROUPS,
    truth: Mapping[tuple[str, str], Decimal] | None = None,
) -> list[str]:
    """What a reader of ``published`` (dimension, category, value or None when suppressed) learns
    that the rule forbids, given the published total: an empty list when nothing.

    - a partition (any dimension not in ``subsets``) with exactly one blank gives it back: the
      total minus the others;
    - blanks of a partition that add up to a count between 1 and the threshold minus 1 give that
      small count back (unless every cell of the partition is blank: then their sum is the
      published total itself);
    - a published "of which" cell whose rest (total minus it) is a small count gives the rest back;
    - with ``truth``, a published small count (or a published value that is not the true one).
    """
    found: list[str] = []
    by_dimension: dict[str, list[tuple[str, Decimal | None]]] = {}
    for dimension, category, value in published:
        by_dimension.setdefault(dimension, []).append((category, value))
        if value is None or truth is None:
            continue
        if value != truth[(dimension, category)]:
            found.append(
                f"{dimension}/{category} is published as {value}, "
                f"not {truth[(dimension, category)]}"
            )
        elif 0 < value < threshold:
            found.append(
                f"{dimension}/{category} = {value} is published although it is below {threshold}"
            )
    for dimension, cells in by_dimension.items():
        if dimension in subsets:
            for category, value in cells:
                if value is not None and 0 < total - value < threshold:
                    found.append(
                        f"{dimension}/{category}: the rest {total - value} = total - {value}"
                    )
            continue
        blanks = [category for category, value in cells if value is None]
        hidden = total - sum(value for _category, value in cells if value is not None)
        if len(blanks) == 1:
            found.append(f"{dimension}/{blanks[0]} = total - the others = {hidden}")
        elif blanks and len(blanks) < len(cells) and 0 < hidden < threshold:
            found.append(f"{dimension}: the blanks {blanks} add up to {hidden}")
    return found


def as_published(cells) -> list[tuple[str, str, Decimal | None]]:
    return [(c.dimension, c.category, c.value) for c in cells]


def shown(cells) -> dict[tuple[str, str], Decimal | None]:
    return {(c.dimension, c.category): c.value for c in cells}


# Examples ----------------------------------------------------------------------------------------


def test_the_issue_case_blanks_both_cells_of_each_pair():
    rows = [
        ("sex", "women", D(3)),
        ("sex", "men", D(116)),
        ("age", "15-29", D(2)),
        ("age", "30-44", D(117)),
    ]
    cells = protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert shown(cells) == {
        ("sex", "women"): None,
        ("sex", "men"): None,
        ("age", "15-29"): None,
        ("age", "30-44"): None,
    }
    assert all(c.suppressed for c in cells)
    assert disclosures(D(119), as_published(cells), threshold=5) == []


def test_the_attacker_finds_what_the_old_api_published():
    # total 119, women blank, men 116: women = 3 by subtraction.
    assert disclosures(D(119), [("sex", "women", None), ("sex", "men", D(116))], threshold=5) == [
        "sex/women = total - the others = 3"
    ]


def test_a_lone_suppressed_cell_takes_the_smallest_other_with_it():
    rows = [("sex", "women", D(90)), ("sex", "men", D(3)), ("sex", "unspecified", D(7))]
    cells = protect(D(100), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert shown(cells) == {
        ("sex", "women"): D(90),
        ("sex", "men"): None,
        ("sex", "unspecified"): None,
    }


def test_two_small_blanks_that_add_up_to_a_small_count_take_a_third():
    rows = [("sex", "women", D(1)), ("sex", "men", D(116)), ("sex", "unspecified", D(2))]
    cells = protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert [c.value for c in cells] == [None, None, None]
    # 3 + 4 = 7: enough on their own.
    rows = [("sex", "women", D(3)), ("sex", "men", D(112)), ("sex", "unspecified", D(4))]
    cells = protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert [c.value for c in cells] == [None, D(112), None]


def test_zeros_are_published_but_a_partition_never_keeps_one_blank():
    rows = [("sex", "women", D(0)), ("sex", "men", D(119)), ("sex", "unspecified", D(0))]
    assert [
        c.value for c in protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    ] == [D(0), D(119), D(0)]
    # Women 3 and men 116 both go; the zero stays.
    rows = [("sex", "women", D(3)), ("sex", "men", D(116)), ("sex", "unspecified", D(0))]
    assert [
        c.value for c in protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    ] == [None, None, D(0)]


def test_a_small_total_publishes_no_breakdown_at_all():
    rows = [
        ("sex", "women", D(3)),
        ("sex", "men", D(0)),
        ("age", "15-29", D(3)),
        ("indigenous", "of_which", D(0)),
    ]
    cells = protect(D(3), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert [c.value for c in cells] == [None, None, None]
    # The age partition has one category only: a blank there would still be the total, so it is
    # left out.
    assert [(c.dimension, c.category) for c in cells] == [
        ("sex", "women"),
        ("sex", "men"),
        ("indigenous", "of_which"),
    ]


def test_a_zero_total_publishes_its_zeros():
    rows = [("sex", "women", D(0)), ("sex", "men", D(0))]
    assert [
        c.value for c in protect(D(0), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    ] == [D(0), D(0)]


def test_population_groups_are_subsets_blanked_alone_when_they_or_their_rest_are_small():
    small = protect(
        D(119),
        [("indigenous", "of_which", D(3))],
        measure="count",
        threshold=5,
        subsets=SUBSET_GROUPS,
    )
    assert small == [disclosure.Cell("indigenous", "of_which", None, True)]
    small_rest = protect(
        D(119),
        [("disability", "of_which", D(116))],
        measure="count",
        threshold=5,
        subsets=SUBSET_GROUPS,
    )
    assert small_rest == [disclosure.Cell("disability", "of_which", None, True)]
    fine = protect(
        D(119),
        [("afro_mexican", "of_which", D(60)), ("sex", "women", D(119))],
        measure="count",
        threshold=5,
        subsets=SUBSET_GROUPS,
    )
    assert [c.value for c in fine] == [D(60), D(119)]


def test_a_partition_that_leaves_a_small_rest_unassigned_protects_it():
    # 119 people, 116 classified by sex (a note explains the 3 others): the 3 must not be published.
    rows = [("sex", "women", D(100)), ("sex", "men", D(16))]
    cells = protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert [c.value for c in cells] == [None, None]


def test_other_measures_are_never_suppressed():
    rows = [("sex", "women", D("2.5")), ("sex", "men", D("97.5"))]
    for measure in sorted(set(Measure.values) - {Measure.COUNT}):
        cells = protect(D(100), rows, measure=measure, threshold=5, subsets=SUBSET_GROUPS)
        assert [c.suppressed for c in cells] == [False, False], measure


def test_the_threshold_defaults_to_the_setting(settings):
    rows = [("sex", "women", D(3)), ("sex", "men", D(116))]
    settings.OPEN_DATA_MIN_COUNT = 3
    assert disclosure.min_count() == 3
    assert [c.value for c in protect(D(119), rows, measure="count", subsets=SUBSET_GROUPS)] == [
        D(3),
        D(116),
    ]
    settings.OPEN_DATA_MIN_COUNT = 4
    assert [c.value for c in protect(D(119), rows, measure="count", subsets=SUBSET_GROUPS)] == [
        None,
        None,
    ]


def test_the_count_measure_is_the_monitoring_one():
    assert disclosure.COUNT == Measure.COUNT


def test_core_imports_no_domain_app():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(disclosure))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    imported |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith("transversal.")}


# Properties --------------------------------------------------------------------------------------


@st.composite
def split(draw, total: int, categories: tuple[str, ...]) -> dict[str, Decimal]:
    """``total`` split among some of ``categories`` (at least one); zeros sometimes left out."""
    chosen = draw(
        st.lists(st.sampled_from(categories), min_size=1, max_size=len(categories), unique=True)
    )
    cuts = sorted(
        draw(st.lists(st.integers(0, total), min_size=len(chosen) - 1, max_size=len(chosen) - 1))
    )
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    keep_zeros = draw(st.booleans())
    result = {
        category: D(part)
        for category, part in zip(chosen, parts, strict=True)
        if part or keep_zeros
    }
    return result or {chosen[0]: D(parts[0])}


@st.composite
def breakdowns(
    draw, *, shortfalls: bool = False
) -> tuple[Decimal, dict[str, dict[str, Decimal]], int]:
    """A total, its partitions by sex and by age, maybe population groups, and a threshold.
    With ``shortfalls``, a partition may leave part of the total unassigned (as a note allows)."""
    threshold = draw(st.integers(1, 12))
    total = draw(st.integers(0, 15) | st.integers(0, 400))

    def assigned() -> int:
        return total - draw(st.integers(0, total)) if shortfalls and draw(st.booleans()) else total

    breakdown = {"sex": draw(split(assigned(), SEX))}
    if draw(st.booleans()):
        breakdown["age"] = draw(split(assigned(), AGE))
    for group in draw(st.lists(st.sampled_from(SUBSET_GROUPS), unique=True, max_size=2)):
        breakdown[str(group)] = {"of_which": D(draw(st.integers(0, total)))}
    return D(total), breakdown, threshold


def flat(breakdown: dict[str, dict[str, Decimal]]) -> list[tuple[str, str, Decimal]]:
    return [
        (dimension, category, value)
        for dimension, values in breakdown.items()
        for category, value in values.items()
    ]


@given(breakdowns() | breakdowns(shortfalls=True))
def test_no_suppressed_value_can_be_worked_out_from_what_is_published(case):
    total, breakdown, threshold = case
    rows = flat(breakdown)
    cells = protect(total, rows, measure="count", threshold=threshold, subsets=SUBSET_GROUPS)
    truth = {(dimension, category): value for dimension, category, value in rows}
    assert disclosures(total, as_published(cells), threshold=threshold, truth=truth) == []


@given(breakdowns(shortfalls=True))
def test_what_is_published_is_the_approved_value_and_what_is_left_out_is_a_lone_partition(case):
    total, breakdown, threshold = case
    rows = flat(breakdown)
    cells = protect(total, rows, measure="count", threshold=threshold, subsets=SUBSET_GROUPS)
    kept = {(c.dimension, c.category) for c in cells}
    for dimension, category, value in rows:
        if (dimension, category) not in kept:
            assert dimension not in SUBSET_GROUPS and len(breakdown[dimension]) == 1
            assert 0 < value < threshold or 0 < total - value < threshold
    assert [(c.dimension, c.category) for c in cells] == [
        (d, c) for d, c, _v in rows if (d, c) in kept
    ]
    for cell in cells:
        assert cell.suppressed == (cell.value is None)
        assert cell.value is None or cell.value == breakdown[cell.dimension][cell.category]


@given(breakdowns(shortfalls=True))
def test_a_small_total_publishes_nothing_but_zeros_of_a_zero_total(case):
    total, breakdown, threshold = case
    cells = protect(
        total, flat(breakdown), measure="count", threshold=threshold, subsets=SUBSET_GROUPS
    )
    if 0 < total < threshold:
        assert all(c.value is None for c in cells)
    if total == 0:
        assert all(c.value == 0 for c in cells)


@given(breakdowns(), st.sampled_from(sorted(set(Measure.values) - {Measure.COUNT})))
def test_other_measures_are_published_as_they_are(case, measure):
    total, breakdown, threshold = case
    rows = flat(breakdown)
    cells = protect(total, rows, measure=measure, threshold=threshold, subsets=SUBSET_GROUPS)
    assert [(c.dimension, c.category, c.value) for c in cells] == rows


@pytest.mark.parametrize(
    "rows",
    [
        [("sex", "women", D(3)), ("sex", "men", D(116))],
        [
            ("sex", "women", D(3)),
            ("age", "0-14", D(2)),
            ("sex", "men", D(116)),
            ("age", "15-29", D(117)),
        ],
    ],
)
def test_rows_of_a_dimension_need_not_be_next_to_each_other(rows):
    cells = protect(D(119), rows, measure="count", threshold=5, subsets=SUBSET_GROUPS)
    assert all(c.value is None for c in cells)
