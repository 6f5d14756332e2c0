"""The open-data file of gender statistics: one row per published value, with the gap columns of
its place, year and age group computed on the way out (``portal.datasets`` describes it)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from django.db.models import QuerySet

from transversal.genderstats import gaps
from transversal.genderstats.models import Measure, Sex, StatValue

COLUMNS = (
    "indicator__slug",
    "indicator__name",
    "indicator__unit",
    "indicator__measure",
    "indicator__direction",
    "indicator__source__name",
    "indicator__source__publisher",
    "indicator__source__edition",
    "indicator__source__year",
    "indicator__source__table",
    "indicator__source__url",
    "year",
    "state__code",
    "age_group",
    "sex",
    "value",
    "cv",
    "ci_low",
    "ci_high",
    "is_synthetic",
)
ORDER = ("indicator__slug", "year", "state__code", "age_group", "sex", "pk")
_SLUG, _MEASURE, _YEAR, _STATE, _AGE, _SEX = 0, 3, 11, 12, 13, 14
_VALUE, _CV, _LOW, _HIGH = 15, 16, 17, 18


def values() -> QuerySet[StatValue]:
    return StatValue.objects.all()


def _precision(row: tuple) -> str:
    return gaps.precision(row[_CV], row[_LOW], row[_HIGH], row[_VALUE])


def rows(stored: Iterator[tuple]) -> Iterator[tuple]:
    """Each value with its place's code (00 national), its own precision, and the gap, ratio,
    femininity index (counts only) and gap precision of its cell, the same on the cell's rows."""
    for _key, group in groupby(stored, key=lambda r: (r[_SLUG], r[_YEAR], r[_STATE], r[_AGE])):
        group = list(group)
        by_sex = {row[_SEX]: row for row in group}
        women, men = by_sex.get(Sex.WOMEN), by_sex.get(Sex.MEN)
        w = women[_VALUE] if women else None
        m = men[_VALUE] if men else None
        count = group[0][_MEASURE] == Measure.COUNT
        both = women is not None and men is not None
        cell = (
            gaps.gap(w, m),
            gaps.ratio(w, m),
            gaps.femininity_index(w, m) if count else None,
            gaps.worst(_precision(women), _precision(men)) if both else "",
        )
        for row in group:
            yield (
                *row[:_STATE],
                row[_STATE] or "00",
                *row[_STATE + 1 : _HIGH + 1],
                _precision(row),
                *cell,
                row[-1],
            )
