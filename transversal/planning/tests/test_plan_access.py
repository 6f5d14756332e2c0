from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.models import Plan, PlanKind, PlanStatus
from transversal.planning.tests.factories import generated_plan, make_plan

pytestmark = pytest.mark.django_db


def test_a_draft_is_seen_by_members_and_national_but_not_by_outsiders_or_anonymous(
    client_for, durango, viewer, coordinator, outsider
):
    plan = make_plan(durango)
    url = reverse("planning:detail", args=[plan.code])
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404


def test_a_published_plan_is_public(client_for, durango):
    plan = make_plan(durango, publish=True)
    response = client_for(None).get(reverse("planning:detail", args=[plan.code]))
    assert response.status_code == 200
    assert "Objetivo 1 de igualdad" in response.content.decode()


def test_the_list_filters_by_kind_and_hides_other_drafts(
    client_for, durango, zacatecas, national, outsider
):
    make_plan(durango, title="Borrador de Durango")
    make_plan(durango, publish=True, title="Programa publicado de Durango")
    make_plan(national, kind=PlanKind.NATIONAL_PROGRAM, publish=True, title="Programa nacional")
    html = client_for(outsider).get(reverse("planning:list")).content.decode()
    assert "Programa publicado de Durango" in html and "Borrador de Durango" not in html
    html = (
        client_for(None)
        .get(reverse("planning:list"), {"kind": "national_program"})
        .content.decode()
    )
    assert "Programa nacional" in html and "Programa publicado de Durango" not in html


def test_the_list_offers_the_draft_status_only_to_people_who_may_see_drafts(
    client_for, durango, viewer
):
    make_plan(durango, title="Borrador de Durango")
    assert 'value="draft"' not in client_for(None).get(reverse("planning:list")).content.decode()
    assert 'value="draft"' in client_for(viewer).get(reverse("planning:list")).content.decode()


class TestPublish:
    def url(self, plan):
        return reverse("planning:publish", args=[plan.code])

    def test_it_rejects_get(self, client_for, durango, editor):
        assert client_for(editor).get(self.url(make_plan(durango))).status_code == 405

    def test_it_hides_the_plan_from_outsiders(self, client_for, durango, outsider):
        assert client_for(outsider).post(self.url(make_plan(durango))).status_code == 404

    def test_it_refuses_read_only_members(self, client_for, durango, viewer, reviewer):
        plan = make_plan(durango)
        assert client_for(viewer).post(self.url(plan)).status_code == 403
        assert client_for(reviewer).post(self.url(plan)).status_code == 403
        assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT

    def test_an_editor_publishes(self, client_for, durango, editor):
        plan = make_plan(durango)
        before = AuditEvent.objects.count()
        assert client_for(editor).post(self.url(plan)).status_code == 302
        assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.filter(verb="plan.publish", actor=editor).count() == 1

    def test_national_plans_are_managed_by_national_members(
        self, client_for, national, coordinator, editor
    ):
        plan = make_plan(national, kind=PlanKind.NATIONAL_PROGRAM)
        assert client_for(editor).post(self.url(plan)).status_code == 404
        assert client_for(coordinator).post(self.url(plan)).status_code == 302


class TestItemEdit:
    def url(self, plan):
        return reverse("planning:item_edit", args=[plan.code, plan.items.get(code="1").pk])

    def test_it_hides_and_refuses(self, client_for, durango, outsider, viewer):
        plan = make_plan(durango)
        assert client_for(outsider).post(self.url(plan), {}).status_code == 404
        assert client_for(viewer).post(self.url(plan), {}).status_code == 403

    def test_an_editor_changes_the_text(self, client_for, durango, editor):
        plan = make_plan(durango)
        before = AuditEvent.objects.count()
        response = client_for(editor).post(
            self.url(plan), {"level": "objective", "code": "1", "text": "Nuevo texto"}
        )
        assert response.status_code == 302
        assert plan.items.get(code="1").text == "Nuevo texto"
        assert AuditEvent.objects.count() == before + 1

    def test_a_duplicate_number_gets_a_message(self, client_for, durango, editor):
        plan = make_plan(durango)
        response = client_for(editor).post(
            self.url(plan), {"level": "objective", "code": "2", "text": "x"}
        )
        assert "Ya hay un elemento con el número 2" in response.content.decode()
        assert plan.items.get(code="1").text == "Objetivo 1 de igualdad"


def _tree_queries(client, plan) -> int:
    url = reverse("planning:detail", args=[plan.code])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_tree_page_costs_the_same_queries_for_20_or_500_items(client_for, durango, viewer):
    client = client_for(viewer)
    small, large = generated_plan(durango, 20), generated_plan(durango, 500)
    assert large.items.count() == 500
    _tree_queries(client, small)  # warm caches (content types, session)
    # session, user, memberships, plan with owner, owner names, items with "is aligned"
    assert _tree_queries(client, small) == _tree_queries(client, large)
    html = client.get(reverse("planning:detail", args=[large.code])).content.decode()
    assert '<details open class="tree-children">' in html and "Línea 1.1.1" in html
