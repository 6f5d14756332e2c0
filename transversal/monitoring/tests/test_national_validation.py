"""Two levels of approval for convenio goals: the state reviews, the national institution
validates, and only then does the figure count anywhere (update_approve, update_validate,
update_return, requires_national_validation)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.agreements.models import Agreement, Goal
from transversal.audit.models import AuditEvent
from transversal.conftest import make_member
from transversal.dashboards.selectors import Filters, national_rows
from transversal.monitoring.models import (
    CommentKind,
    Indicator,
    ProgressUpdate,
    StateSummary,
    UpdateStatus,
)
from transversal.monitoring.selectors import requires_national_validation
from transversal.monitoring.services import (
    indicator_update,
    update_approve,
    update_return,
    update_submit,
    update_validate,
)
from transversal.monitoring.tests.factories import (
    indicator_with_calendar,
    submitted,
    validating,
)

pytestmark = pytest.mark.django_db

CSV = reverse("portal:dataset_csv", args=["valores-aprobados"])
JSON = reverse("portal:dataset_json", args=["valores-aprobados"])


@pytest.fixture
def national_reviewer(national):
    return make_member("validacion@prueba.test", national, Role.REVIEWER)


@pytest.fixture
def goal(durango, national):
    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        round="IP-321",
        title="Convenio de prueba",
        status="in_force",
    )
    return Goal.objects.create(agreement=agreement, number=1, description="Meta de prueba")


@pytest.fixture
def goal_indicator(durango, goal):
    return indicator_with_calendar(durango, is_public=True, goals=[goal])


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def _durango_row(durango):
    return next(row for row in national_rows(Filters()) if row.state.pk == durango.state_id)


def what_counts(client, indicator, durango) -> dict:
    """Every place an approved figure shows: the indicator's light and latest approved report,
    its goal's light, the state's stored summary, the national dashboard's row, the open-data
    CSV and JSON, and the API's public periods and updates (anonymous)."""
    indicator = Indicator.objects.get(pk=indicator.pk)
    summary = StateSummary.objects.filter(state=durango.state).first()
    periods = client.get(f"/api/v1/indicators/{indicator.code}/periods").json()["items"]
    updates = client.get("/api/v1/updates").json()["items"]
    return {
        "light": indicator.light,
        "latest_approved": indicator.latest_approved_id,
        "goal": Goal.objects.get(indicators=indicator).light,
        "summary": summary and (summary.light, summary.goals_green, summary.goals_no_data),
        "national": dict(_durango_row(durango).goals),
        "csv": _body(client.get(CSV)),
        "json": json.loads(_body(client.get(JSON))),
        "api_periods": [(p["label"], p["approved_value"]) for p in periods],
        "api_updates": sorted(u["code"] for u in updates),
    }


class TestNothingCountsUntilTheNationalValidation:
    def test_a_state_approval_changes_no_figure_and_the_validation_changes_them_all(
        self, client, goal_indicator, durango, editor, reviewer, national_reviewer
    ):
        update = submitted(goal_indicator, actor=editor)
        before = what_counts(client, goal_indicator, durango)

        update = update_approve(actor=reviewer, update=update, comment="Cifras completas.")

        assert update.status == UpdateStatus.VALIDATING
        assert update.reviewed_by == reviewer and update.reviewed_at is not None
        assert update.validated_by is None and update.light == "no_data" and not update.progress
        assert what_counts(client, goal_indicator, durango) == before

        update = update_validate(actor=national_reviewer, update=update)

        after = what_counts(client, goal_indicator, durango)
        assert update.status == UpdateStatus.APPROVED and update.light == "green"
        assert (update.validated_by, update.reviewed_by) == (national_reviewer, reviewer)
        assert after["light"] == after["goal"] == "green"
        assert after["latest_approved"] == update.pk
        assert after["summary"][0] == "green" and after["national"]["green"] == 1
        assert before["national"]["green"] == 0
        assert str(goal_indicator.code) in after["csv"]
        assert str(goal_indicator.code) not in before["csv"]
        assert after["json"] != before["json"]
        assert dict(before["api_periods"])["2025-T1"] is None
        assert dict(after["api_periods"])["2025-T1"] == "95.0000"
        assert after["api_updates"] == [str(update.code)] and before["api_updates"] == []

    def test_the_state_approval_is_recorded_with_its_comment_and_the_validation_apart(
        self, goal_indicator, editor, reviewer, national_reviewer
    ):
        update = submitted(goal_indicator, actor=editor)
        update = update_approve(actor=reviewer, update=update, comment="Cifras completas.")
        update = update_validate(actor=national_reviewer, update=update, comment="Conforme.")
        verbs = list(
            AuditEvent.objects.filter(target_id=str(update.pk))
            .order_by("pk")
            .values_list("verb", "changes")
        )
        assert verbs[-2:] == [
            ("update.approve", {"status": ["submitted", "validating"]}),
            ("update.validate", {"status": ["validating", "approved"]}),
        ]
        assert list(update.comments.values_list("kind", "text")) == [
            (CommentKind.APPROVAL, "Cifras completas."),
            (CommentKind.APPROVAL, "Conforme."),
        ]


class TestWhoGivesWhichLevel:
    def test_a_national_reviewer_approving_gives_both_levels_at_once(
        self, goal_indicator, editor, national_reviewer
    ):
        update = update_approve(
            actor=national_reviewer, update=submitted(goal_indicator, actor=editor)
        )
        assert update.status == UpdateStatus.APPROVED
        assert update.validated_by == national_reviewer and update.validated_at is not None
        assert Indicator.objects.get(pk=goal_indicator.pk).latest_approved_id == update.pk

    def test_the_national_coordinator_admin_also_approves_in_one_step(
        self, goal_indicator, editor, coordinator
    ):
        update = update_approve(actor=coordinator, update=submitted(goal_indicator, actor=editor))
        assert update.status == UpdateStatus.APPROVED and update.validated_by == coordinator

    def test_a_state_reviewer_or_admin_cannot_validate(
        self, goal_indicator, editor, reviewer, state_admin
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        for person in (reviewer, state_admin):
            with pytest.raises(ValidationError, match="institución nacional"):
                update_validate(actor=person, update=update)
        update.refresh_from_db()
        assert update.status == UpdateStatus.VALIDATING and update.validated_by is None

    def test_a_submitted_update_is_not_validated_before_the_state_approves(
        self, goal_indicator, editor, national_reviewer
    ):
        update = submitted(goal_indicator, actor=editor)
        with pytest.raises(ValidationError, match="Solo se validan"):
            update_validate(actor=national_reviewer, update=update)


class TestFourEyesOnTheValidation:
    def test_nobody_validates_what_they_approved_at_state_level(
        self, goal_indicator, editor, national
    ):
        # A state reviewer who also joins the national institution after approving.
        both = make_member("doble@prueba.test", goal_indicator.owner, Role.REVIEWER)
        update = validating(goal_indicator, actor=editor, reviewer=both)
        from transversal.accounts.models import Membership

        Membership.objects.create(user=both, institution=national, role=Role.REVIEWER)
        both = type(both).objects.get(pk=both.pk)  # a fresh scope
        with pytest.raises(ValidationError, match="usted lo aprobó en la entidad"):
            update_validate(actor=both, update=update)
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.VALIDATING

    def test_nobody_validates_what_they_captured(self, goal_indicator, national, reviewer):
        capturer = make_member("captura.nacional@prueba.test", national, Role.ADMIN)
        update = validating(goal_indicator, actor=capturer, reviewer=reviewer)
        with pytest.raises(ValidationError, match="usted lo capturó"):
            update_validate(actor=capturer, update=update)


class TestTheNationalReturn:
    def test_the_national_validator_returns_it_to_the_state_with_observations(
        self, goal_indicator, editor, reviewer, national_reviewer
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        update = update_return(
            actor=national_reviewer, update=update, comment="La cifra no coincide con el acta."
        )
        assert update.status == UpdateStatus.RETURNED
        comment = update.comments.order_by("-pk").first()
        assert (comment.kind, comment.author) == (CommentKind.RETURN, national_reviewer)
        # The state corrects and sends it again: a fresh review from the first level.
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        assert update.reviewed_by is None and update.validated_by is None
        assert update_approve(actor=reviewer, update=update).status == UpdateStatus.VALIDATING

    def test_a_state_reviewer_cannot_return_an_update_in_national_validation(
        self, goal_indicator, editor, reviewer, state_admin
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        with pytest.raises(ValidationError, match="solo la institución nacional"):
            update_return(actor=state_admin, update=update, comment="Quiero cambiarlo.")
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.VALIDATING


class TestWhichIndicatorsNeedIt:
    def test_a_single_level_indicator_is_approved_by_the_state_as_before(
        self, durango, editor, reviewer
    ):
        indicator = indicator_with_calendar(durango)
        assert not requires_national_validation(indicator)
        update = update_approve(actor=reviewer, update=submitted(indicator, actor=editor))
        assert update.status == UpdateStatus.APPROVED and update.light == "green"
        assert update.validated_by is None
        assert Indicator.objects.get(pk=indicator.pk).light == "green"

    def test_the_flag_on_the_sheet_asks_for_two_levels_without_any_goal(
        self, durango, editor, reviewer
    ):
        indicator = indicator_with_calendar(durango)
        indicator_update(actor=None, indicator=indicator, national_validation=True)
        indicator.refresh_from_db()
        assert requires_national_validation(indicator)
        update = update_approve(actor=reviewer, update=submitted(indicator, actor=editor))
        assert update.status == UpdateStatus.VALIDATING
        assert Indicator.objects.get(pk=indicator.pk).light == "no_data"

    def test_an_indicator_the_national_institution_owns_has_one_level(self, national, goal, editor):
        indicator = indicator_with_calendar(national, goals=[goal], national_validation=True)
        assert not requires_national_validation(indicator)
        national_editor = make_member("captura.nac@prueba.test", national, Role.EDITOR)
        update = submitted(indicator, actor=national_editor)
        national_reviewer = make_member("revision.nac@prueba.test", national, Role.REVIEWER)
        update = update_approve(actor=national_reviewer, update=update)
        assert update.status == UpdateStatus.APPROVED and update.validated_by is None

    def test_a_goal_indicator_requires_it(self, goal_indicator):
        assert requires_national_validation(goal_indicator)


def period_url(update) -> str:
    return reverse("monitoring:period", args=[update.period.indicator.code, update.period.label])


class TestTheReportPage:
    def test_a_national_reviewer_gets_validate_and_return_and_validating_approves_it(
        self, client_for, goal_indicator, editor, reviewer, national_reviewer
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        client = client_for(national_reviewer)
        page = client.get(period_url(update)).content.decode()
        assert "En validación nacional" in page
        assert reverse("monitoring:update_validate", args=[update.code]) in page
        assert reverse("monitoring:update_return", args=[update.code]) in page
        assert "Devolver con observaciones" in page
        response = client.post(
            reverse("monitoring:update_validate", args=[update.code]), {"comment": "Conforme."}
        )
        assert response.status_code == 302 and response["Location"] == period_url(update)
        update.refresh_from_db()
        assert update.status == UpdateStatus.APPROVED and update.validated_by == national_reviewer

    def test_a_national_return_from_the_page_needs_its_observations(
        self, client_for, goal_indicator, editor, reviewer, national_reviewer
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        client = client_for(national_reviewer)
        url = reverse("monitoring:update_return", args=[update.code])
        client.post(url, {"comment": ""})
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.VALIDATING
        client.post(url, {"comment": "Falta el acta de la sesión."})
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.RETURNED

    def test_after_a_national_return_the_validator_sees_what_changed_since(
        self, client_for, goal_indicator, editor, reviewer, national_reviewer
    ):
        from transversal.monitoring.services import update_save

        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        update = update_return(actor=national_reviewer, update=update, comment="Revise la cifra.")
        update = update_save(
            actor=editor,
            period=update.period,
            expected_version=update.version,
            value=Decimal(91),
        )
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        update = update_approve(actor=reviewer, update=update)
        page = client_for(national_reviewer).get(period_url(update)).content.decode()
        assert "Cambios desde la devolución" in page and "91" in page

    def test_a_national_reviewer_is_told_their_approval_is_also_the_validation(
        self, client_for, goal_indicator, editor, reviewer, national_reviewer
    ):
        update = submitted(goal_indicator, actor=editor)
        told = "su aprobación, como revisora o revisor nacional, es también la validación"
        assert told in client_for(national_reviewer).get(period_url(update)).content.decode()
        assert told not in client_for(reviewer).get(period_url(update)).content.decode()

    def test_the_state_reads_that_it_waits_and_has_no_validate_button(
        self, client_for, goal_indicator, editor, reviewer
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        client = client_for(reviewer)
        page = client.get(period_url(update)).content.decode()
        assert "espera la validación nacional" in page
        assert reverse("monitoring:update_validate", args=[update.code]) not in page
        assert reverse("monitoring:update_return", args=[update.code]) not in page
        response = client.post(reverse("monitoring:update_validate", args=[update.code]))
        assert response.status_code == 302  # refused with a message, nothing written
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.VALIDATING

    def test_validate_rejects_get_hides_from_outsiders_and_forbids_read_only_members(
        self, client_for, goal_indicator, editor, reviewer, viewer, outsider, national_reviewer
    ):
        update = validating(goal_indicator, actor=editor, reviewer=reviewer)
        url = reverse("monitoring:update_validate", args=[update.code])
        assert client_for(national_reviewer).get(url).status_code == 405
        assert client_for(outsider).post(url).status_code == 404
        assert client_for(viewer).post(url).status_code == 403
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.VALIDATING

    def test_the_calendar_shows_the_period_in_national_validation(
        self, client_for, goal_indicator, editor, reviewer
    ):
        validating(goal_indicator, actor=editor, reviewer=reviewer)
        page = client_for(editor).get(reverse("monitoring:detail", args=[goal_indicator.code]))
        assert "status-en_validacion" in page.content.decode()


class TestTheQueue:
    QUEUE = reverse("monitoring:review_queue")

    def test_national_reviewers_validate_on_their_own_tab(
        self, client_for, goal_indicator, editor, reviewer, national_reviewer
    ):
        waiting = validating(goal_indicator, "2025-T1", actor=editor, reviewer=reviewer)
        sent = submitted(goal_indicator, "2025-T2", actor=editor)
        client = client_for(national_reviewer)
        review = client.get(self.QUEUE)
        assert [row.code for row in review.context["rows"]] == [sent.code]
        assert "Por validar (nacional)" in review.content.decode()
        validate = client.get(self.QUEUE, {"etapa": "validar"})
        assert [row.code for row in validate.context["rows"]] == [waiting.code]
        assert "espera la validación nacional" in validate.content.decode()

    def test_state_reviewers_keep_seeing_what_was_submitted_only(
        self, client_for, goal_indicator, editor, reviewer
    ):
        validating(goal_indicator, "2025-T1", actor=editor, reviewer=reviewer)
        sent = submitted(goal_indicator, "2025-T2", actor=editor)
        client = client_for(reviewer)
        for query in ({}, {"etapa": "validar"}):
            response = client.get(self.QUEUE, query)
            assert [row.code for row in response.context["rows"]] == [sent.code]
            assert "Por validar (nacional)" not in response.content.decode()

    def test_the_validation_tab_takes_the_same_queries_for_1_and_4_updates(
        self, client_for, goal, durango, editor, reviewer, national_reviewer
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(national_reviewer)

        def queries(rows: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(self.QUEUE, {"etapa": "validar"})
            assert len(response.context["rows"]) == rows
            return len(captured)

        first = indicator_with_calendar(durango, name="Meta uno", goals=[goal])
        validating(first, "2025-T1", actor=editor, reviewer=reviewer)
        few = queries(1)
        second = indicator_with_calendar(durango, name="Meta dos", goals=[goal])
        for label in ("2025-T2", "2025-T3"):
            validating(first, label, actor=editor, reviewer=reviewer)
        validating(second, "2025-T1", actor=editor, reviewer=reviewer)
        # The review queue's budget (test_review_queue.TestQueryBudget), over the other stage.
        assert queries(4) == few


class TestTheSheet:
    def test_an_editor_asks_for_national_validation_on_the_technical_sheet(
        self, client_for, durango, editor
    ):
        from transversal.monitoring.tests.test_indicators import SHEET

        indicator = indicator_with_calendar(durango)
        response = client_for(editor).post(
            reverse("monitoring:edit", args=[indicator.code]),
            {**SHEET, "national_validation": "on"},
        )
        assert response.status_code == 302
        indicator.refresh_from_db()
        assert indicator.national_validation and requires_national_validation(indicator)
        page = client_for(editor).get(reverse("monitoring:detail", args=[indicator.code]))
        assert "Requiere validación nacional" in page.content.decode()


@pytest.mark.parametrize("seed", range(4))
def test_the_stored_workload_follows_both_levels_and_equals_a_recount(
    seed, goal_indicator, durango, editor, reviewer, national_reviewer
):
    """Waiting for national validation is reported (never overdue) and no longer waits for the
    state's review: the counts each write moves equal a full recount."""
    import random

    from django.utils import timezone

    from transversal.monitoring.services import workload_refresh
    from transversal.monitoring.tests.test_workload_counts import recounted, stored

    rng = random.Random(seed)
    today = timezone.localdate()
    workload_refresh()
    for _step in range(30):
        period = rng.choice(list(goal_indicator.periods.all()))
        current = ProgressUpdate.objects.filter(period=period, is_current=True).first()
        action = rng.choice(["save", "submit", "approve", "validate", "return", "national_return"])
        try:
            if action == "save" or current is None:
                from transversal.monitoring.services import update_save

                update_save(
                    actor=editor,
                    period=period,
                    expected_version=current.version if current else None,
                    value=Decimal(rng.randint(1, 99)),
                )
            elif action == "submit":
                update_submit(actor=editor, update=current, expected_version=current.version)
            elif action == "approve":
                update_approve(actor=reviewer, update=current)
            elif action == "validate":
                update_validate(actor=national_reviewer, update=current)
            elif action == "return":
                update_return(actor=reviewer, update=current, comment="Revisar")
            else:
                update_return(actor=national_reviewer, update=current, comment="Revisar")
        except ValidationError:
            pass
        assert stored(durango.state_id) == recounted(durango.state_id, today), action


def test_the_institutes_yearly_cycle_counts_a_report_in_national_validation_as_in_review(
    goal_indicator, durango, editor, reviewer
):
    from django.utils import timezone

    from transversal.improvement.selectors import execute_counts

    update = validating(goal_indicator, actor=editor, reviewer=reviewer)
    year = update.period.due_date.year
    counts = execute_counts(durango, year, timezone.localdate())
    assert counts["submitted"] == 1 and counts["approved"] == 0
    parts = ("approved", "submitted", "returned", "overdue", "upcoming")
    assert sum(counts[part] for part in parts) == counts["total"]


def test_the_validation_tab_reads_its_partial_index_as_the_review_tab_reads_its_own(
    goal_indicator, editor, reviewer, national_reviewer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transversal.accounts.access import scope_for
    from transversal.monitoring import queue

    validating(goal_indicator, actor=editor, reviewer=reviewer)
    rows = queue.review_queue_for(scope_for(national_reviewer), stage=queue.VALIDATE_STAGE)
    with CaptureQueriesContext(connection) as queries:
        assert len(list(rows[:50])) == rows.count() == 1
    if connection.vendor != "sqlite":
        # PostgreSQL's planner picks among several usable indexes by its statistics, which a
        # test database of a few rows does not have: check the index and its condition instead.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'update_validating_idx'"
            )
            (definition,) = cursor.fetchone()
        assert "'validating'" in definition and "is_current" in definition
        return
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "update_validating_idx" in plan, query["sql"]
