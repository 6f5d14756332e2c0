"""Reads of the registers' pages: the filtered list, its totals and the home page's counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from transversal.accounts.access import Scope
from transversal.institutions.models import Institution, InstitutionName
from transversal.registers.access import readable_entries
from transversal.registers.models import (
    REGISTER_MODELS,
    Audience,
    FeedProposal,
    MechanismKind,
    Modality,
    RegisterKind,
    ServiceType,
    TrainingEvent,
    title_key,
    women_share,
)
from transversal.territory.models import Municipality, State

ALL_YEARS = "todos"  # the year filter's value for «Todos los años»

# Each register's own category filters: query parameter -> (model field, choices).
CATEGORY_FILTERS: dict[str, dict[str, tuple[str, type]]] = {
    RegisterKind.TRAINING: {
        "poblacion": ("audience", Audience),
        "modalidad": ("modality", Modality),
    },
    RegisterKind.AFFIRMATIVE: {},
    RegisterKind.PARTICIPATION: {"tipo": ("mechanism_kind", MechanismKind)},
    RegisterKind.SERVICE: {"servicio": ("service_type", ServiceType)},
}


@dataclass
class Filters:
    """The filters a list was asked for, each checked (an unknown value is no filter)."""

    state: State | None = None
    institution: Institution | None = None
    year: int | None = None  # None with ``all_years``, or before ``year_totals`` picks one
    all_years: bool = False  # «Todos los años» chosen: the totals add up several years
    # No year asked for: ``year_totals`` set ``year`` to the latest with entries. The form
    # keeps offering «the latest», so that another state or filter brings its own latest year.
    latest_year: bool = False
    month: int | None = None
    municipality: Municipality | None = None
    categories: dict[str, str] = field(default_factory=dict)  # parameter -> value
    # The filters given a value that does not read (or that the person may not use): parameter
    # -> the value as given, cut short. The list shows what it would without them, and says so.
    ignored: dict[str, str] = field(default_factory=dict)

    def chosen(self) -> dict[str, object]:
        """What the filter form shows as selected."""
        return {
            "entidad": self.state.code if self.state else "",
            "institucion": self.institution.slug if self.institution else "",
            "anio": ALL_YEARS if self.all_years else ("" if self.latest_year else self.year or ""),
            "mes": self.month or "",
            "municipio": self.municipality.code if self.municipality else "",
            **self.categories,
        }


def _int(text: str, low: int, high: int) -> int | None:
    text = (text or "").strip()
    if text.isdigit() and low <= int(text) <= high:
        return int(text)
    return None


def read_filters(scope: Scope, register: str, params: QueryDict) -> Filters:
    """The filters of ``params``. Without a year (or with one that does not read) the year is
    left for ``year_totals``; «todos» asks for every year."""
    filters = Filters(
        year=_int(params.get("anio", ""), 2000, 2100),
        all_years=params.get("anio", "").strip() == ALL_YEARS,
        month=_int(params.get("mes", ""), 1, 12) if register == RegisterKind.SERVICE else None,
    )
    given = {name: params.get(name, "").strip() for name in ("entidad", "institucion", "municipio")}
    if given["entidad"] and scope.is_national:
        filters.state = State.objects.filter(code=given["entidad"][:2]).first()
    if given["institucion"]:
        institutions = Institution.objects.select_related("state").filter(
            slug=given["institucion"][:80]
        )
        if not scope.is_national:
            institutions = institutions.filter(pk__in=scope.institution_ids())
        filters.institution = institutions.first()
    if given["municipio"]:
        filters.municipality = (
            Municipality.objects.filter(
                code=given["municipio"][:5], state_id__in=_place_states(scope, filters)
            )
            .select_related("state")
            .first()
        )
    for param, (_name, choices) in CATEGORY_FILTERS[register].items():
        value = params.get(param, "")
        if value in choices.values:
            filters.categories[param] = value
        elif value.strip():
            filters.ignored[param] = _cut(value)
    _note_ignored(filters, register, params, given)
    return filters


def _cut(value: str) -> str:
    """A value as given, short enough to quote back."""
    value = value.strip()
    return value if len(value) <= 40 else f"{value[:40]}…"


def _note_ignored(filters: Filters, register: str, params: QueryDict, given: dict) -> None:
    """Record in ``filters.ignored`` each place or time filter given that did not take."""
    year = params.get("anio", "").strip()
    taken = {
        "entidad": filters.state is not None,
        "institucion": filters.institution is not None,
        "anio": filters.year is not None or filters.all_years,
        "mes": filters.month is not None,
        "municipio": filters.municipality is not None,
    }
    values = {**given, "anio": year, "mes": params.get("mes", "").strip()}
    if register != RegisterKind.SERVICE:
        values["mes"] = ""  # only the services are counted by month: no such filter elsewhere
    for name in ("entidad", "institucion", "anio", "mes", "municipio"):
        if values[name] and not taken[name]:
            filters.ignored[name] = _cut(values[name])


def _place_states(scope: Scope, filters: Filters) -> list[int]:
    if filters.state is not None:
        return [filters.state.pk]
    if filters.institution is not None and filters.institution.state_id:
        return [filters.institution.state_id]
    return [] if scope.is_national else sorted(scope.state_ids)


def entries(scope: Scope, register: str, filters: Filters) -> QuerySet:
    """The entries the person reads, filtered, with what a list row shows."""
    model = REGISTER_MODELS[register]
    names = InstitutionName.objects.only("institution_id", "sequence", "name", "acronym")
    rows = _filtered(scope, register, filters).prefetch_related(
        Prefetch("institution__names", queryset=names)
    )
    if register == RegisterKind.AFFIRMATIVE:
        rows = rows.prefetch_related("municipalities")
    else:
        rows = rows.select_related("municipality")
    if register == RegisterKind.PARTICIPATION:
        rows = rows.select_related("system")
    return rows.order_by(*model._meta.ordering, "pk")


def _filtered(scope: Scope, register: str, filters: Filters) -> QuerySet:
    rows = readable_entries(scope, register)
    if filters.state is not None:
        rows = rows.filter(institution__state=filters.state)
    if filters.institution is not None:
        rows = rows.filter(institution=filters.institution)
    if filters.year is not None:
        rows = rows.filter(counted_on__year=filters.year)
    if filters.month is not None:
        rows = rows.filter(counted_on__month=filters.month)
    for param, value in filters.categories.items():
        rows = rows.filter(**{CATEGORY_FILTERS[register][param][0]: value})
    if filters.municipality is not None:
        if register == RegisterKind.AFFIRMATIVE:
            rows = rows.filter(municipalities=filters.municipality)
        else:
            rows = rows.filter(municipality=filters.municipality)
    return rows


@dataclass(frozen=True)
class Totals:
    entries: int
    women: int
    men: int
    unspecified: int
    synthetic: int = 0  # entries marked «dato sintético»

    @property
    def people(self) -> int:
        return self.women + self.men + self.unspecified

    @property
    def women_share(self) -> Decimal | None:
        return women_share(self.women, self.people)

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.entries + other.entries,
            self.women + other.women,
            self.men + other.men,
            self.unspecified + other.unspecified,
            self.synthetic + other.synthetic,
        )


NO_ENTRIES = Totals(0, 0, 0, 0)


def _sums() -> dict:
    return {
        "n": Count("pk", distinct=True),
        "w": Sum("women"),
        "m": Sum("men"),
        "u": Sum("sex_unspecified"),
        "s": Count("pk", distinct=True, filter=Q(is_synthetic=True)),
    }


def _totals(sums: dict) -> Totals:
    return Totals(sums["n"] or 0, sums["w"] or 0, sums["m"] or 0, sums["u"] or 0, sums["s"] or 0)


def totals_by_year(rows: QuerySet) -> dict[int, Totals]:
    """Each year's totals of ``rows`` (by the year they count on), newest first (one query)."""
    grouped = (
        rows.order_by()
        .annotate(counted_year=ExtractYear("counted_on"))
        .values("counted_year")
        .annotate(**_sums())
        .order_by("-counted_year")
    )
    return {int(row["counted_year"]): _totals(row) for row in grouped}


@dataclass(frozen=True)
class YearTotals:
    """What a list adds up: one year's entries, never several years' unless asked for.

    ``years`` are those with entries under the other filters (newest first). ``year`` is the
    one shown, or None when every year was asked for: then ``totals`` is the sum of ``years``
    and ``by_year`` gives each one's. ``latest`` says the year was not asked for but is the
    latest with entries."""

    years: list[int]
    year: int | None
    totals: Totals
    by_year: dict[int, Totals]
    latest: bool = False

    @property
    def all_years(self) -> bool:
        return self.year is None and bool(self.years)


def year_totals(scope: Scope, register: str, filters: Filters) -> YearTotals:
    """The list's totals, settling its year: without one asked for, the latest year with
    entries under the other filters (``filters.year`` is set to it). One query."""
    by_year = totals_by_year(_filtered(scope, register, replace(filters, year=None)))
    years = list(by_year)
    if filters.year is None and not filters.all_years and years:
        filters.year = years[0]
        filters.latest_year = True
    if filters.year is not None:
        totals = by_year.get(filters.year, NO_ENTRIES)
        return YearTotals(years, filters.year, totals, by_year, latest=filters.latest_year)
    return YearTotals(years, None, sum(by_year.values(), NO_ENTRIES), by_year)


def register_totals(scope: Scope) -> dict[str, YearTotals]:
    """Each register's totals of its latest year in the person's scope, for the home page
    (one query each)."""
    return {register: year_totals(scope, register, Filters()) for register in REGISTER_MODELS}


def filter_choices(scope: Scope, filters: Filters) -> dict[str, list]:
    """The states, institutions and municipalities a list's filters offer."""
    states = list(State.objects.order_by("code")) if scope.is_national else []
    names = InstitutionName.objects.only("institution_id", "sequence", "name", "acronym")
    institutions = Institution.objects.prefetch_related(Prefetch("names", queryset=names)).order_by(
        "slug"
    )
    if scope.is_national:
        institutions = (
            institutions.filter(state=filters.state) if filters.state else institutions.none()
        )
    else:
        institutions = institutions.filter(pk__in=scope.institution_ids())
    place_states = _place_states(scope, filters)
    places = (
        list(
            Municipality.objects.filter(state_id__in=place_states)
            .only("code", "name", "state_id")
            .order_by("name")
        )
        if place_states
        else []
    )
    return {"states": states, "institutions": list(institutions), "municipalities": places}


def training_namesakes(
    institution, starts: Iterable[dt.date], *, exclude=None
) -> dict[tuple[dt.date, str], list[TrainingEvent]]:
    """The institution's training events that start on one of ``starts``, by their start and
    ``title_key`` (titles alike but for case, accents and spaces): what a new event with the
    same start and title probably repeats. One query; ``exclude`` is the entry being edited."""
    starts = set(starts)
    if not starts:
        return {}
    events = TrainingEvent.objects.filter(institution=institution, start__in=starts)
    if exclude is not None and exclude.pk:
        events = events.exclude(pk=exclude.pk)
    found: dict[tuple[dt.date, str], list[TrainingEvent]] = {}
    for event in events.only(
        "code", "name", "start", "end", "women", "men", "sex_unspecified"
    ).order_by("start", "pk"):
        found.setdefault((event.start, title_key(event.name)), []).append(event)
    return found


def counted_by_reports(entry) -> bool:
    """Whether a report's value was computed from the entry (a FeedProposal lists it)."""
    code = str(entry.code)
    # JSON containment has no SQLite lookup: the text search narrows, the list decides.
    proposals = FeedProposal.objects.filter(entry_codes__icontains=code).only("entry_codes")
    return any(code in proposal.entry_codes for proposal in proposals)
