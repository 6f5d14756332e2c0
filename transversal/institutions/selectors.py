from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from transversal.institutions.models import Institution, InstitutionKind
from transversal.territory.models import State


def national_institution() -> Institution | None:
    return Institution.objects.with_names().filter(kind=InstitutionKind.NATIONAL).first()


def institution_profiles() -> QuerySet[Institution]:
    """Institutions with everything their public profile shows (three queries for any number)."""
    return Institution.objects.select_related("state").prefetch_related("names", "objectives")


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
