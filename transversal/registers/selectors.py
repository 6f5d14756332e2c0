"""Reads of the registers' pages: the filtered list, its totals and the home page's counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
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
)
from transversal.territory.models import Municipality, State

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
    year: int | None = None
    month: int | None = None
    municipality: Municipality | None = None
    categories: dict[str, str] = field(default_factory=dict)  # parameter -> value

    def chosen(self) -> dict[str, object]:
        """What the filter form shows as selected."""
        return {
            "entidad": self.state.code if self.state else "",
            "institucion": self.institution.slug if self.institution else "",
            "anio": self.year or "",
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
    filters = Filters(
        year=_int(params.get("anio", ""), 2000, 2100),
        month=_int(params.get("mes", ""), 1, 12) if register == RegisterKind.SERVICE else None,
    )
    code = params.get("entidad", "")[:2]
    if code and scope.is_national:
        filters.state = State.objects.filter(code=code).first()
    slug = params.get("institucion", "")[:80]
    if slug:
        institutions = Institution.objects.select_related("state").filter(slug=slug)
        if not scope.is_national:
            institutions = institutions.filter(pk__in=scope.institution_ids())
        filters.institution = institutions.first()
    place = params.get("municipio", "")[:5]
    if place:
        filters.municipality = (
            Municipality.objects.filter(code=place, state_id__in=_place_states(scope, filters))
            .select_related("state")
            .first()
        )
    for param, (_name, choices) in CATEGORY_FILTERS[register].items():
        value = params.get(param, "")
        if value in choices.values:
            filters.categories[param] = value
    return filters


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
    rows = readable_entries(scope, register).prefetch_related(
        Prefetch("institution__names", queryset=names)
    )
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
    if register == RegisterKind.AFFIRMATIVE:
        if filters.municipality is not None:
            rows = rows.filter(municipalities=filters.municipality)
        rows = rows.prefetch_related("municipalities")
    else:
        if filters.municipality is not None:
            rows = rows.filter(municipality=filters.municipality)
        rows = rows.select_related("municipality")
    if register == RegisterKind.PARTICIPATION:
        rows = rows.select_related("system")
    return rows.order_by(*model._meta.ordering, "pk")


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
        if not self.people:
            return None
        return Decimal(self.women * 100) / Decimal(self.people)


def totals(rows: QuerySet) -> Totals:
    """People by sex and how many entries, for the whole filtered set (one query)."""
    sums = rows.order_by().aggregate(
        n=Count("pk", distinct=True),
        w=Sum("women"),
        m=Sum("men"),
        u=Sum("sex_unspecified"),
        s=Count("pk", distinct=True, filter=Q(is_synthetic=True)),
    )
    return Totals(sums["n"] or 0, sums["w"] or 0, sums["m"] or 0, sums["u"] or 0, sums["s"] or 0)


def register_totals(scope: Scope) -> dict[str, Totals]:
    """Each register's totals in the person's scope, for the home page (one query each)."""
    return {
        register: totals(readable_entries(scope, register).order_by())
        for register in REGISTER_MODELS
    }


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


def counted_by_reports(entry) -> bool:
    """Whether a report's value was computed from the entry (a FeedProposal lists it)."""
    code = str(entry.code)
    # JSON containment has no SQLite lookup: the text search narrows, the list decides.
    proposals = FeedProposal.objects.filter(entry_codes__icontains=code).only("entry_codes")
    return any(code in proposal.entry_codes for proposal in proposals)
