"""Reads of gender statistics: tables by state, series by year, a state's gaps and the flat
rows of the API and open data. Gaps and flags are computed here from the stored values (with
``gaps``), never stored."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet

from transversal.genderstats import gaps
from transversal.genderstats.models import ContextIndicator, Measure, Sex, StatValue
from transversal.territory.models import State


def indicators() -> QuerySet[ContextIndicator]:
    """Every indicator with its source, its span of years and how many values it has."""
    return (
        ContextIndicator.objects.select_related("source")
        .annotate(
            first_year=Min("values__year"),
            last_year=Max("values__year"),
            value_count=Count("values"),
        )
        .order_by("name", "pk")
    )


@dataclass
class Cell:
    """One place (a state or the country), one year and age group: the three figures and what
    is computed from them."""

    state: State | None
    year: int
    age_group: str
    women: StatValue | None = None
    men: StatValue | None = None
    total: StatValue | None = None
    indicator: ContextIndicator | None = None
    rank: int | None = None
    national_note: str = ""

    def figure(self, sex: str) -> Decimal | None:
        row = {Sex.WOMEN: self.women, Sex.MEN: self.men, Sex.TOTAL: self.total}[sex]
        return None if row is None else row.value

    @property
    def women_value(self) -> Decimal | None:
        return self.figure(Sex.WOMEN)

    @property
    def men_value(self) -> Decimal | None:
        return self.figure(Sex.MEN)

    @property
    def total_value(self) -> Decimal | None:
        return self.figure(Sex.TOTAL)

    @property
    def gap(self) -> Decimal | None:
        return gaps.gap(self.women_value, self.men_value)

    @property
    def ratio(self) -> Decimal | None:
        return gaps.ratio(self.women_value, self.men_value)

    @property
    def femininity_index(self) -> Decimal | None:
        if self.indicator is None or self.indicator.measure != Measure.COUNT:
            return None
        return gaps.femininity_index(self.women_value, self.men_value)

    def _precision(self, row: StatValue | None) -> str:
        if row is None:
            return gaps.UNKNOWN
        return gaps.precision(row.cv, row.ci_low, row.ci_high, row.value)

    @property
    def precision(self) -> str:
        """The gap's precision: that of its less precise figure."""
        if self.women is None or self.men is None:
            return gaps.UNKNOWN
        return gaps.worst(self._precision(self.women), self._precision(self.men))

    @property
    def precision_label(self) -> str:
        return str(gaps.PRECISION_LABELS[self.precision])

    @property
    def is_synthetic(self) -> bool:
        return any(r is not None and r.is_synthetic for r in (self.women, self.men, self.total))

    @property
    def is_estimated(self) -> bool:
        """The flag comes from an interval, not from a published coefficient."""
        rows = [r for r in (self.women, self.men) if r is not None]
        return bool(rows) and any(r.cv is None and r.ci_low is not None for r in rows)


def _cells(values, indicator_by_pk=None) -> dict[tuple, Cell]:
    cells: dict[tuple, Cell] = {}
    for row in values:
        key = (row.indicator_id, row.year, row.state_id, row.age_group)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(row.state, row.year, row.age_group)
            known = (indicator_by_pk or {}).get(row.indicator_id)
            cell.indicator = known if known is not None else row.indicator
        setattr(cell, {Sex.WOMEN: "women", Sex.MEN: "men", Sex.TOTAL: "total"}[row.sex], row)
    return cells


@dataclass
class StateTable:
    indicator: ContextIndicator
    year: int | None
    age_group: str
    years: list[int]
    age_groups: list[str]
    rows: list[Cell]  # one per state, in INEGI order, empty cells for missing states
    national: Cell
    ranked: list[Cell] = field(default_factory=list)


def state_table(indicator: ContextIndicator, year: int | None, age_group: str = "") -> StateTable:
    """The indicator by state for a year (the latest when none is given): women, men, total,
    gap, ratio, femininity index, precision and rank; and the national figure."""
    # Queries: the years and age groups (1), the states (1), the year's values (1).
    spans = list(
        StatValue.objects.filter(indicator=indicator)
        .values_list("year", "age_group")
        .distinct()
        .order_by("year", "age_group")
    )
    years = sorted({y for y, _a in spans})
    age_groups = sorted({a for _y, a in spans})
    if age_group not in age_groups:
        age_group = "" if "" in age_groups or not age_groups else age_groups[0]
    if year not in years:
        year = years[-1] if years else None
    states = list(State.objects.order_by("code"))
    values = StatValue.objects.filter(
        indicator=indicator, year=year, age_group=age_group
    ).select_related("state")
    cells = _cells(values, {indicator.pk: indicator})
    rows = []
    for state in states:
        cell = cells.get((indicator.pk, year, state.pk, age_group)) or Cell(
            state, year or 0, age_group
        )
        cell.state, cell.indicator = state, indicator
        rows.append(cell)
    ranks = gaps.rank_by_gap({c.state.code: c.gap for c in rows}, indicator.direction)
    for cell in rows:
        cell.rank = ranks.get(cell.state.code)
    national = _national(indicator, cells.get((indicator.pk, year, None, age_group)), rows, year)
    ranked = sorted((c for c in rows if c.rank), key=lambda c: (c.rank, c.state.code))
    return StateTable(indicator, year, age_group, years, age_groups, rows, national, ranked)


class _Figure:
    """A computed national figure standing in for a stored value."""

    def __init__(self, value: Decimal, synthetic: bool):
        self.value, self.cv, self.ci_low, self.ci_high = value, None, None, None
        self.is_synthetic = synthetic


def _national(indicator, published: Cell | None, rows: list[Cell], year) -> Cell:
    cell = Cell(None, year or 0, rows[0].age_group if rows else "", indicator=indicator)
    notes = []
    for sex, attribute in ((Sex.WOMEN, "women"), (Sex.MEN, "men"), (Sex.TOTAL, "total")):
        stored = getattr(published, attribute) if published else None
        state_rows = [getattr(c, attribute) for c in rows if getattr(c, attribute) is not None]
        synthetic = (
            stored.is_synthetic if stored is not None else any(r.is_synthetic for r in state_rows)
        )
        figure = gaps.national_figure(
            None if stored is None else stored.value,
            [r.value for r in state_rows],
            is_count=indicator.measure == Measure.COUNT,
            synthetic=synthetic,
        )
        if stored is not None:
            setattr(cell, attribute, stored)
        elif figure.value is not None:
            setattr(cell, attribute, _Figure(figure.value, synthetic))
        if sex != Sex.TOTAL or figure.value is not None:
            notes.append(figure.note)
    cell.national_note = "; ".join(dict.fromkeys(notes))
    return cell


@dataclass
class SeriesPoint:
    year: int
    women: Decimal | None
    men: Decimal | None
    total: Decimal | None
    gap: Decimal | None
    precision_label: str
    is_synthetic: bool


def series(indicator: ContextIndicator, state: State | None, age_group: str = "") -> list:
    """Year by year for one state (or the published national rows): one query."""
    values = StatValue.objects.filter(
        indicator=indicator, state=state, age_group=age_group
    ).select_related("state")
    cells = _cells(values.order_by("year"), {indicator.pk: indicator})
    points = []
    for (_i, year, _s, _a), cell in sorted(cells.items(), key=lambda item: item[0][1]):
        points.append(
            SeriesPoint(
                year,
                cell.women_value,
                cell.men_value,
                cell.total_value,
                cell.gap,
                cell.precision_label,
                cell.is_synthetic,
            )
        )
    return points


def series_spec(indicator: ContextIndicator, points: list[SeriesPoint], title: str) -> dict:
    """A Vega-Lite line chart, women and men by year (the page's table has the same data)."""
    from transversal.genderstats.charts import sex_series_spec

    return sex_series_spec(points, unit=indicator.unit, title=title)


def state_gaps(state: State) -> list[Cell]:
    """For each indicator with figures for the state: the latest year's cell, ranked among the
    states for that year. Two queries: the values of the latest years, and the indicators."""
    latest = dict(
        StatValue.objects.filter(state=state, age_group="")
        .values("indicator_id")
        .annotate(last=Max("year"))
        .values_list("indicator_id", "last")
    )
    if not latest:
        return []
    indicator_by_pk = {
        i.pk: i for i in ContextIndicator.objects.select_related("source").filter(pk__in=latest)
    }
    years = set(latest.values())
    values = StatValue.objects.filter(
        indicator_id__in=latest, year__in=years, age_group=""
    ).select_related("state")
    by_indicator: dict[int, list[Cell]] = defaultdict(list)
    for (indicator_id, year, state_id, _a), cell in _cells(values, indicator_by_pk).items():
        if year == latest[indicator_id] and state_id is not None:
            by_indicator[indicator_id].append(cell)
    out = []
    for indicator_id, cells in by_indicator.items():
        indicator = indicator_by_pk[indicator_id]
        ranks = gaps.rank_by_gap({c.state.code: c.gap for c in cells}, indicator.direction)
        own = next((c for c in cells if c.state.pk == state.pk), None)
        if own is not None:
            own.rank = ranks.get(state.code)
            own.ranked_count = len(ranks)
            out.append(own)
    return sorted(out, key=lambda c: c.indicator.name)


def flat_rows(*, indicator: str = "", state: str = "", year: int | None = None) -> list[Cell]:
    """One cell per indicator, year, place and age group, for the API and open data.
    ``state`` is an INEGI code, or "00" for the national rows. Two queries."""
    values = StatValue.objects.select_related("state")
    if indicator:
        values = values.filter(indicator__slug=indicator)
    if state == "00":
        values = values.filter(state__isnull=True)
    elif state:
        values = values.filter(state__code=state)
    if year:
        values = values.filter(year=year)
    indicator_by_pk = {i.pk: i for i in ContextIndicator.objects.select_related("source")}
    cells = _cells(values.order_by("indicator_id", "year", "state__code"), indicator_by_pk)
    return [
        cells[key]
        for key in sorted(
            cells,
            key=lambda k: (
                indicator_by_pk[k[0]].slug,
                k[1],
                cells[k].state.code if cells[k].state else "00",
                k[3],
            ),
        )
    ]


def preview_rows(rows: list[dict]) -> list[dict]:
    """An import's stored rows as its preview shows them: each with its indicator's name, its
    state's name and its sex's label beside the codes (two queries however many rows). A code
    the catalogue no longer has shows as itself."""
    if not rows:
        return []
    indicator_names = dict(
        ContextIndicator.objects.filter(slug__in={row["indicator"] for row in rows}).values_list(
            "slug", "name"
        )
    )
    state_names = dict(
        State.objects.filter(code__in={row["state"] for row in rows if row["state"]}).values_list(
            "code", "short_name"
        )
    )
    sexes = dict(Sex.choices)
    return [
        {
            **row,
            "indicator_name": indicator_names.get(row["indicator"], row["indicator"]),
            "state_name": state_names.get(row["state"], row["state"]),
            "sex_label": sexes.get(row["sex"], row["sex"]),
        }
        for row in rows
    ]
