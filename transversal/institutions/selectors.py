from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from transversal.institutions.models import Institution, InstitutionKind, InstitutionName
from transversal.territory.models import State


def national_institution() -> Institution | None:
    return Institution.objects.with_names().filter(kind=InstitutionKind.NATIONAL).first()


def institution_profiles() -> QuerySet[Institution]:
    """Institutions with everything their public profile shows (three queries for any number)."""
    return Institution.objects.select_related("state", "municipality").prefetch_related(
        "names", "objectives"
    )


def state_imefs_prefetch(to_attr: str = "imefs") -> Prefetch:
    return Prefetch(
        "institutions",
        queryset=Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).prefetch_related(
            "names"
        ),
        to_attr=to_attr,
    )


def states_with_institutes() -> QuerySet[State]:
    """Every state with its women's institute(s) and their names: three queries in all."""
    return State.objects.prefetch_related(state_imefs_prefetch())


def institution_registry(
    *, state_code: str = "", kind: str = "", status: str = "", text: str = ""
) -> QuerySet[Institution]:
    """The registry's list, filtered: state, kind, operating status and a text that matches any
    name the institution has had, its acronym, municipality, agency or head. Three queries
    a page (institutions with state and municipality, their names, the count)."""
    queryset = Institution.objects.select_related("state", "municipality").prefetch_related("names")
    if state_code:
        queryset = queryset.filter(state__code=state_code)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(operating_status=status)
    if text:
        matching = InstitutionName.objects.filter(
            Q(name__icontains=text) | Q(acronym__icontains=text)
        ).values("institution_id")
        queryset = queryset.filter(
            Q(pk__in=matching)
            | Q(municipality__name__icontains=text)
            | Q(agency_name__icontains=text)
            | Q(head_name__icontains=text)
            | Q(slug__icontains=text)
        )
    return queryset.order_by("state__code", "kind", "slug")
