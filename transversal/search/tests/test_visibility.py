"""The index's rule for who finds what is the rule of each object's own page, for every persona."""

from __future__ import annotations

import pytest

from transversal.accounts.access import scope_for
from transversal.agreements.models import Goal
from transversal.agreements.selectors import visible_agreements
from transversal.institutions.models import Institution
from transversal.monitoring.selectors import indicators_for
from transversal.planning.models import PlanItem
from transversal.planning.selectors import visible_plans
from transversal.search.models import Kind
from transversal.search.selectors import visible_entries

pytestmark = pytest.mark.django_db

PERSONAS = ["coordinator", "editor", "viewer", "state_admin", "outsider", None]


def readable_by_pages(user) -> set[tuple[str, int]]:
    scope = scope_for(user)
    agreements = visible_agreements(scope)
    plans = visible_plans(user)
    return (
        {(Kind.INDICATOR, pk) for pk in indicators_for(scope).values_list("pk", flat=True)}
        | {(Kind.AGREEMENT, pk) for pk in agreements.values_list("pk", flat=True)}
        | {
            (Kind.GOAL, pk)
            for pk in Goal.objects.filter(agreement__in=agreements).values_list("pk", flat=True)
        }
        | {(Kind.PLAN, pk) for pk in plans.values_list("pk", flat=True)}
        | {
            (Kind.PLAN_ITEM, pk)
            for pk in PlanItem.objects.filter(plan__in=plans.values("pk")).values_list(
                "pk", flat=True
            )
        }
        | {(Kind.INSTITUTION, pk) for pk in Institution.objects.values_list("pk", flat=True)}
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_finds_exactly_what_the_pages_let_them_read(world, request, persona):
    user = request.getfixturevalue(persona) if persona else None
    indexed = set(visible_entries(scope_for(user)).values_list("kind", "object_id"))
    assert indexed == readable_by_pages(user)


def test_the_world_has_something_private_for_each_outsider_to_miss(world, outsider):
    everything = readable_by_pages(None) | readable_by_pages(outsider)
    national = set()
    for kind, source in (
        (Kind.INDICATOR, world.private_indicator),
        (Kind.AGREEMENT, world.draft_agreement),
        (Kind.GOAL, world.draft_goal),
        (Kind.PLAN, world.draft_plan),
        (Kind.PLAN, world.national_draft),
    ):
        national.add((kind, source.pk))
    assert not national & everything
