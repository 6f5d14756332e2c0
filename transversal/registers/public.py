"""What the public may see of the registers: counts by state and year, through the one small-count
rule (:func:`transversal.core.disclosure.protect`).

Every public output of the registers (the portal page, the open-data files, the API's aggregates)
reads :func:`public_aggregates` or, for the files, :func:`grouped` and :func:`assemble` on the same
grouped query: one place decides what is published. Never a row of a register, its notes, its
evidence, who recorded it nor its municipalities.

Why only state and year, and no quarters, months or municipalities: the rule protects each
breakdown of one published total, and nothing else. Publishing a year and its quarters (or a
state and its municipalities, or the nation as the sum of the states) would give a suppressed
cell back by subtraction from the level above it. So each register is published at one level:
per state (``00`` for the national institution's own entries, which no state includes) and per
year in which entries are counted (``counted_on``). The number of entries and of people are
totals and are never blanked (as an indicator's reported value); the breakdowns are: people by
sex, and the register's own partition of the same people (a training's audience, a service's
type, a mechanism's members by sector). The women's share is given only when the women's count
is published, since the share times the total would give it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from transversal.core.disclosure import COUNT, Cell, min_count, protect
from transversal.registers.models import (
    REGISTER_MODELS,
    Audience,
    RegisterKind,
    ServiceType,
    women_share,
)

NATIONAL = "00"  # the code of the national institution's own entries (no state)

SEX = "sex"
SEX_CATEGORIES = (
    ("women", _("Mujeres")),
    ("men", _("Hombres")),
    ("unspecified", _("Sexo no especificado")),
)
SECTOR_CATEGORIES = (
    ("government", _("Sector público")),
    ("civil_society", _("Sociedad civil")),
    ("academia", _("Academia")),
    ("private", _("Sector privado")),
    ("other_sectors", _("Otros sectores")),
)


@dataclass(frozen=True)
class Dimension:
    """A partition of a register's people that the public sees, besides sex."""

    key: str
    label: Any
    categories: tuple[tuple[str, Any], ...]
    # Either the register field whose value is the category (one grouped row per category), or
    # one summed field per category (the members of a mechanism by sector).
    field: str = ""
    summed: tuple[str, ...] = ()


DIMENSIONS: dict[str, Dimension | None] = {
    RegisterKind.TRAINING: Dimension(
        "audience", _("Población a la que se dirige"), tuple(Audience.choices), field="audience"
    ),
    RegisterKind.AFFIRMATIVE: None,
    RegisterKind.PARTICIPATION: Dimension(
        "sector",
        _("Sector de las personas integrantes"),
        SECTOR_CATEGORIES,
        summed=(
            "members_government",
            "members_civil_society",
            "members_academia",
            "members_private",
            "members_other",
        ),
    ),
    RegisterKind.SERVICE: Dimension(
        "service_type", _("Servicio"), tuple(ServiceType.choices), field="service_type"
    ),
}
ENTRY_LABELS = {
    RegisterKind.TRAINING: _("Eventos"),
    RegisterKind.AFFIRMATIVE: _("Acciones"),
    RegisterKind.PARTICIPATION: _("Mecanismos"),
    RegisterKind.SERVICE: _("Conteos mensuales"),
}


@dataclass(frozen=True)
class Aggregate:
    """One register's entries of one state and year, as the public may see them."""

    register: str
    state: str  # INEGI code; NATIONAL for the national institution's own entries
    year: int
    entries: int
    people: int
    women_share: Decimal | None  # %, one decimal; None when the women's count is suppressed
    cells: tuple[Cell, ...]  # people by sex, then by the register's dimension
    is_synthetic: bool  # at least one of its entries is invented for demonstration

    def of(self, dimension: str) -> list[Cell]:
        return [cell for cell in self.cells if cell.dimension == dimension]


# The grouped query --------------------------------------------------------------------------

_KEYS = ("place", "counted_year", "category")


def columns(register: str) -> tuple[str, ...]:
    """The ``values_list`` columns of :func:`grouped`, in the order :func:`assemble` reads."""
    dimension = DIMENSIONS[register]
    summed = dimension.summed if dimension is not None else ()
    return (*_KEYS, "entries", "synthetic", "women_sum", "men_sum", "unspecified_sum", *summed)


def grouped(register: str, *, state: str | None = None, year: int | None = None) -> QuerySet:
    """One row per state, year and (for training and services) category: the number of entries,
    how many are synthetic and the people summed. One query, whatever the number of entries."""
    model = REGISTER_MODELS[register]
    dimension = DIMENSIONS[register]
    entries = model.objects.order_by()
    if state == NATIONAL:
        entries = entries.filter(institution__state__isnull=True)
    elif state:
        entries = entries.filter(institution__state__code=state)
    if year is not None:
        entries = entries.filter(counted_on__year=year)
    category = F(dimension.field) if dimension is not None and dimension.field else Value("")
    sums = {name: Sum(name) for name in (dimension.summed if dimension is not None else ())}
    return (
        entries.values(
            place=Coalesce(F("institution__state__code"), Value(NATIONAL)),
            counted_year=ExtractYear("counted_on"),
            category=category,
        )
        .annotate(
            entries=Count("pk"),
            synthetic=Count("pk", filter=Q(is_synthetic=True)),
            women_sum=Sum("women"),
            men_sum=Sum("men"),
            unspecified_sum=Sum("sex_unspecified"),
            **sums,
        )
        .order_by(*_KEYS)
    )


def assemble(
    register: str, rows: Iterable[tuple], *, threshold: int | None = None
) -> Iterator[Aggregate]:
    """The aggregates of the grouped rows (``columns`` order, sorted by state and year), each
    breakdown protected by the one rule."""
    dimension = DIMENSIONS[register]
    limit = min_count() if threshold is None else threshold
    for (state, year), group in groupby(rows, key=lambda row: (row[0], row[1])):
        group = list(group)
        entries = sum(row[3] for row in group)
        synthetic = sum(row[4] for row in group)
        women, men, unspecified = (sum(row[i] or 0 for row in group) for i in (5, 6, 7))
        people = women + men + unspecified
        breakdown = [(SEX, "women", women), (SEX, "men", men), (SEX, "unspecified", unspecified)]
        if dimension is not None and dimension.field:
            by_category = {row[2]: 0 for row in group}
            for row in group:
                by_category[row[2]] += sum(row[i] or 0 for i in (5, 6, 7))
            breakdown += [
                (dimension.key, code, by_category.get(code, 0))
                for code, _label in dimension.categories
            ]
        elif dimension is not None:
            for position, (code, _label) in enumerate(dimension.categories):
                value = sum(row[8 + position] or 0 for row in group)
                breakdown.append((dimension.key, code, value))
        cells = tuple(protect(people, breakdown, measure=COUNT, subsets=(), threshold=limit))
        yield Aggregate(
            register=register,
            state=state,
            year=int(year),
            entries=entries,
            people=people,
            women_share=_women_share(cells, people),
            cells=cells,
            is_synthetic=synthetic > 0,
        )


def _women_share(cells: Iterable[Cell], people: int) -> Decimal | None:
    women = next((c for c in cells if c.dimension == SEX and c.category == "women"), None)
    if women is None or women.value is None or not people:
        return None
    return women_share(women.value, people)


def public_aggregates(
    register: str, *, state: str | None = None, year: int | None = None
) -> list[Aggregate]:
    """The register's public aggregates, by state and year (one query)."""
    rows = grouped(register, state=state, year=year).values_list(*columns(register))
    return list(assemble(register, rows))


def public_years() -> list[int]:
    """Every year with entries in some register, newest first (one query per register)."""
    years: set[int] = set()
    for model in REGISTER_MODELS.values():
        years.update(
            model.objects.order_by()
            .annotate(y=ExtractYear("counted_on"))
            .values_list("y", flat=True)
            .distinct()
        )
    return sorted(years, reverse=True)
