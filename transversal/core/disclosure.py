"""Small-count protection: the one rule every public output applies to a breakdown.

The portal pages, every open-data file (CSV and JSON, hence the data package),
and the API for anyone outside the owning institution call :func:`protect` and
nothing else. It is a pure function: the caller reads the rows, this module
decides which of them the public may see.

The rule, for the breakdown of one reported value (``total``) with threshold
*k* (``OPEN_DATA_MIN_COUNT``, 5 unless configured):

1. **Only counts.** Breakdowns of counts (measure ``count``) are protected.
   Percentages, rates, indices and amounts in pesos are not numbers of people
   and are published as they are.

2. **Groups.** A *partition* dimension (sex, age group, municipality: any
   dimension not listed in ``subsets``) splits the total: its cells add up to
   it. A population group (indigenous, Afro-Mexican, with a disability) is an
   "of which" *subset*: each of its categories is one cell of a two-cell
   partition whose other cell, "the rest" (total minus the cell), is never
   published. Every group has such a rest: for a partition it is what its cells
   leave unassigned (normally zero; more when a note explains the gap).

3. **Primary suppression.** A cell is blanked when it counts at least one and
   fewer than *k*. Zeros are published: a zero describes nobody, and blanking
   every structural zero (no one of unspecified sex, no one aged 65 or more in
   a youth programme) would empty the tables for no protection. A rest between
   1 and *k* − 1 is a small count too (publishing every cell of an "of which"
   group of 119 with 116 indigenous people tells that 3 are not): it makes the
   group need protection although the rest itself is never shown.

4. **Complementary suppression.** Anyone can subtract the published cells from
   the total, so in a group that needs protection the blanked cells must
   together count at least *k*: a single blank, or several that add up to a
   small number, would give a small count back by subtraction. The smallest
   other non-zero cells are blanked, one at a time, until the blanked cells add
   up to *k* or more; when even that is not enough, the whole group is blanked,
   zeros included. A partition never keeps exactly one blank (a zero goes with
   it when nothing else is left), and two blanks are enough only when they add
   up to *k*: women 1, unspecified 2 and men 116 of 119 blanks men too, or
   1 + 2 = 3 would be published by subtraction. A partition reported with one
   category only (women 3 of 3) cannot be protected by a blank, which would
   still equal the total: it is left out of the output. The rest of a subset is
   never published, so an "of which" cell below *k* is blanked alone (the
   reader learns only that it and the rest add up to the total).

5. **The total.** The total is the indicator's reported result, the figure the
   system exists to publish, and it is never blanked here: it counts what an
   institution did, not people cross-classified by a personal attribute, and
   the public progress percentage and target would give it back anyway. What a
   small total changes is its breakdown: when 0 < total < *k* and the cells add
   up to it, every cell of every group is a small count or a zero that tells
   something about the few people counted ("no men" among 3 people says all 3
   are women), and steps 3 and 4 blank all of them. A zero total has only zero
   cells, and they are published.

Groups are protected independently: no output crosses two dimensions, so the
only link between them is the total, which step 4 already assumes known. The
total is assumed known even when it is missing, since a fully published
partition would give it back. Published values are never changed, only
withheld: a published cell is the approved value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import NamedTuple

COUNT = "count"  # the only measure whose breakdowns are numbers of people
DEFAULT_MIN_COUNT = 5

Number = Decimal | int


class Cell(NamedTuple):
    """One breakdown value as the public sees it: ``value`` is None when it is suppressed."""

    dimension: str
    category: str
    value: Number | None
    suppressed: bool


def min_count() -> int:
    """The configured threshold (``OPEN_DATA_MIN_COUNT``): counts below it are small."""
    from django.conf import settings

    return int(getattr(settings, "OPEN_DATA_MIN_COUNT", DEFAULT_MIN_COUNT))


def protect(
    total: Number | None,
    breakdown: Iterable[tuple[str, str, Number]],
    *,
    measure: str,
    subsets: Collection[str],
    threshold: int | None = None,
) -> list[Cell]:
    """The breakdown ``(dimension, category, value)`` of ``total`` as the public may see it,
    in the order given, following the rule in this module's docstring. A partition
    reported with a single category that needs protection is left out altogether: its
    blank would still be the total, and its presence would say who all the people are.

    ``subsets`` names the "of which" dimensions (every other dimension is a partition
    of the total; the monitoring app's ``SUBSET_GROUPS``); ``threshold`` defaults to
    :func:`min_count`."""
    rows = list(breakdown)
    if measure != COUNT:
        return [Cell(dimension, category, value, False) for dimension, category, value in rows]
    limit = min_count() if threshold is None else threshold
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, (dimension, category, _value) in enumerate(rows):
        # Each "of which" category is its own group; a partition is one group.
        key = (dimension, category if dimension in subsets else None)
        groups.setdefault(key, []).append(index)
    hidden: set[int] = set()
    withheld: set[int] = set()
    for (_dimension, subset_category), members in groups.items():
        cells = [(index, rows[index][2]) for index in members]
        blanked = _blanked(cells, total, limit, partition=subset_category is None)
        if subset_category is None and len(members) == 1 and blanked:
            withheld |= blanked  # a lone blank of a partition is the total itself
        hidden |= blanked
    return [
        Cell(dimension, category, None if index in hidden else value, index in hidden)
        for index, (dimension, category, value) in enumerate(rows)
        if index not in withheld
    ]


def _small(value: Number | None, limit: int) -> bool:
    return value is not None and 0 < value < limit


def _blanked(
    cells: list[tuple[int, Number | None]], total: Number | None, limit: int, *, partition: bool
) -> set[int]:
    """Which cells of one group to blank: primary, then complementary (steps 3 and 4)."""
    hidden = {index for index, value in cells if _small(value, limit)}
    rest = (
        None
        if total is None
        else total - sum(value for _index, value in cells if value is not None)
    )
    if not hidden and not _small(rest, limit):
        return hidden
    blanked = sum(value for index, value in cells if index in hidden)
    # Non-zero cells first, smallest first: a blanked zero hides nothing.
    others = sorted(
        (value == 0, value, index)
        for index, value in cells
        if index not in hidden and value is not None
    )
    for _zero, value, index in others:
        if blanked >= limit and (len(hidden) >= 2 or not partition):
            break
        hidden.add(index)
        blanked += value
    if blanked < limit or (partition and len(hidden) < 2):
        hidden = {index for index, _value in cells}
    return hidden
