"""The index follows the writes: services, cascades, bulk-created plan items, and the rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from transversal.accounts.access import scope_for
from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import agreement_transition, agreement_update, goal_update
from transversal.institutions.services import institution_name_add
from transversal.monitoring.services import indicator_update
from transversal.planning.ingest.plan_parser import DraftItem, DraftPlan
from transversal.planning.models import PlanKind
from transversal.planning.services import item_update, plan_create_from_draft, plan_publish
from transversal.search.models import Kind, SearchEntry
from transversal.search.selectors import search

pytestmark = pytest.mark.django_db


def titles(user, query: str) -> set[str]:
    results = search(scope_for(user), query)
    return {entry.title for entry in results.page.object_list} if results.page else set()


def test_a_renamed_indicator_is_found_by_its_new_name_only(world, coordinator):
    indicator_update(
        actor=coordinator, indicator=world.public_indicator, name="Tasa de homicidios dolosos"
    )
    assert titles(None, "homicidios") == {"Tasa de homicidios dolosos"}
    assert titles(None, "feminicidios") == set()


def test_an_indicator_made_public_is_found_by_anonymous_visitors(world, coordinator):
    assert titles(None, "capacitadas violencia") == set()
    indicator_update(actor=coordinator, indicator=world.private_indicator, is_public=True)
    assert titles(None, "capacitadas violencia") == {world.private_indicator.name}


def test_signing_a_draft_agreement_makes_it_and_its_goals_public(world, outsider):
    assert titles(outsider, "confidencial") == set()
    agreement_transition(
        actor=None,
        agreement=world.draft_agreement,
        to_status=AgreementStatus.SIGNED,
        on=dt.date(2025, 1, 1),
    )
    assert titles(outsider, "confidencial") == {"Convenio confidencial de Durango"}
    assert "1. Capacitación reservada de servidoras públicas" in titles(outsider, "reservada")


def test_a_renamed_agreement_is_named_beside_its_goals(world, coordinator):
    agreement_update(actor=None, agreement=world.signed_agreement, title="Convenio renovado")
    entry = SearchEntry.objects.get(kind=Kind.GOAL, object_id=world.signed_goal.pk)
    assert entry.summary == "Convenio renovado"


def test_an_edited_goal_is_found_by_its_new_words(world, coordinator):
    goal_update(actor=None, goal=world.signed_goal, description="Refugios para mujeres")
    assert titles(None, "refugio") == {"1. Refugios para mujeres"}


def test_publishing_a_plan_makes_its_items_public(world, outsider):
    assert titles(outsider, "objetivo reservado") == set()
    plan_publish(actor=None, plan=world.draft_plan)
    assert titles(outsider, "objetivo reservado") == {"1 Objetivo reservado"}


def test_an_edited_item_is_found_by_its_new_text(world, coordinator):
    item = world.published_plan.items.get(code="2")
    item_update(actor=coordinator, item=item, text="Autonomía física de las mujeres")
    assert titles(None, "autonomia fisica") == {"2 Autonomía física de las mujeres"}
    assert titles(None, "economica") == set()


def test_items_created_in_bulk_are_indexed_when_the_plan_commits(
    durango, django_capture_on_commit_callbacks
):
    draft = DraftPlan(
        title="Programa importado de Durango",
        period_start=2025,
        period_end=2030,
        items=[DraftItem(level="objective", code="1", text="Prevenir la trata de personas")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_create_from_draft(
            actor=None, institution=durango, kind=PlanKind.STATE_EQUALITY_PROGRAM, draft=draft
        )
        plan_publish(actor=None, plan=plan)
    assert titles(None, "trata personas") == {"1 Prevenir la trata de personas"}


def test_a_new_institution_name_is_found(durango):
    institution_name_add(
        actor=None,
        institution=durango,
        name="Secretaría de las Mujeres de Durango",
        acronym="SMD",
        valid_from=dt.date(2026, 1, 1),
    )
    assert titles(None, "smd") == {"Secretaría de las Mujeres de Durango"}
    assert "Instituto Estatal de las Mujeres (Durango)" not in titles(None, "smd")
    assert titles(None, "instituto estatal durango")  # former names are still found


def test_deleting_things_removes_their_entries(world):
    plan = world.draft_plan
    removed = {(Kind.PLAN, plan.pk)} | {
        (Kind.PLAN_ITEM, pk) for pk in plan.items.values_list("pk", flat=True)
    }
    removed |= {
        (Kind.AGREEMENT, world.draft_agreement.pk),
        (Kind.GOAL, world.draft_goal.pk),
        (Kind.INDICATOR, world.private_indicator.pk),
    }
    plan.delete()
    world.draft_agreement.delete()
    world.private_indicator.delete()
    left = set(SearchEntry.objects.values_list("kind", "object_id"))
    assert not removed & left
    assert (Kind.GOAL, world.signed_goal.pk) in left


def _snapshot():
    return sorted(
        SearchEntry.objects.values_list(
            "kind", "object_id", "title", "title_terms", "body_terms", "is_public",
            "institution_id", "state_id",
        )
    )  # fmt: skip


def test_the_reindex_command_rebuilds_the_same_index_and_is_idempotent(world):
    before = _snapshot()
    SearchEntry.objects.filter(kind=Kind.INDICATOR).delete()
    SearchEntry.objects.filter(kind=Kind.PLAN).update(title="stale", is_public=True)
    SearchEntry.objects.create(
        kind=Kind.AGREEMENT, object_id=999_999, code="x", title="ghost", title_terms="ghost"
    )
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before
    assert titles(None, "ghost") == set()


def test_the_full_text_index_agrees_with_the_entries_and_is_used(world):
    """Each engine's own index: on SQLite the FTS5 table passes its integrity check after every
    kind of write; on PostgreSQL searches go through the GIN index. One test for both databases,
    so neither run skips it."""
    if connection.vendor == "sqlite":
        world.draft_plan.delete()
        plan_publish(actor=None, plan=world.published_plan)
        call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        with connection.cursor() as cursor:
            # Raises "database disk image is malformed" when the index and the table disagree.
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        return
    from transversal.search import engines
    from transversal.search.text import query_terms

    matched = engines.matching(SearchEntry.objects.all(), query_terms("violencia"))
    sql, params = matched.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned anyway
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "search_entry_vector_idx" in plan
