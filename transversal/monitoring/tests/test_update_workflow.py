"""The reporting workflow, service by service: draft → submitted → returned → approved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from transversal.agreements.models import Agreement, Goal
from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate, ReportingPeriod, StateSummary
from transversal.monitoring.services import (
    NOT_EDITABLE,
    PERIOD_LOCKED,
    StaleEdit,
    update_approve,
    update_check,
    update_correct,
    update_return,
    update_save,
    update_submit,
)
from transversal.monitoring.tests.factories import (
    approved,
    draft,
    indicator_with_calendar,
    period,
    submitted,
)

pytestmark = pytest.mark.django_db


def test_a_value_can_come_from_numerator_and_denominator(durango):
    indicator = indicator_with_calendar(
        durango, measure="percentage", unit="%", targets={"2025-T1": 50}
    )
    update = update_save(
        actor=None,
        period=period(indicator),
        expected_version=None,
        numerator=Decimal(3),
        denominator=Decimal(8),
    )
    assert update.value == Decimal("37.5000")


@pytest.mark.parametrize(
    ("measure", "kwargs", "message"),
    [
        ("count", {"value": Decimal(-1)}, "no puede ser negativo"),
        ("percentage", {"value": Decimal(101)}, "no puede ser mayor que 100"),
        ("count", {"value": Decimal("2.5")}, "no lleva decimales"),
        (
            "count",
            {"numerator": Decimal(1), "denominator": Decimal(0)},
            "denominador no puede ser cero",
        ),
        ("count", {"numerator": Decimal(1)}, "numerador y denominador, o ninguno"),
        ("count", {"value": Decimal("Infinity")}, "número finito"),
        ("count", {"value": Decimal("NaN")}, "número finito"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(durango, measure, kwargs, message):
    indicator = indicator_with_calendar(durango, measure=measure, targets={"2025-T1": 50})
    with pytest.raises(ValidationError, match=message):
        update_save(actor=None, period=period(indicator), expected_version=None, **kwargs)
    assert not ProgressUpdate.objects.exists()


def test_sex_breakdown_must_add_up_to_the_total_unless_a_reason_is_given(durango):
    indicator = indicator_with_calendar(durango)
    breakdown = {"sex": {"women": Decimal(60), "men": Decimal(30)}}
    with pytest.raises(ValidationError, match="Sexo suma 90 y el total es 95"):
        draft(indicator, breakdown=breakdown)
    assert not ProgressUpdate.objects.exists()
    update = draft(
        indicator, breakdown=breakdown, disaggregation_note="Cinco registros sin sexo capturado."
    )
    assert update.breakdown.count() == 2


def test_a_bad_value_and_a_breakdown_that_does_not_add_up_are_reported_together(durango):
    indicator = indicator_with_calendar(durango)
    with pytest.raises(ValidationError) as refused:
        draft(
            indicator,
            value=Decimal("2.5"),
            breakdown={"sex": {"women": Decimal(1), "men": Decimal(1)}},
        )
    assert refused.value.message_dict == {
        "value": ["Un número absoluto no lleva decimales."],
        "__all__": [
            "Sexo suma 2 y el total es 2.5: corrija los valores o explique por qué no coinciden."
        ],
    }
    assert not ProgressUpdate.objects.exists()


def test_update_check_answers_from_what_it_is_given_without_a_query(
    durango, django_assert_num_queries
):
    indicator = indicator_with_calendar(
        durango, measure="percentage", unit="%", targets={"2025-T1": 50}
    )
    current = submitted(indicator, value=Decimal(10))
    the_period = ReportingPeriod.objects.select_related("indicator").get(pk=current.period_id)
    numbers = {
        "value": None,
        "numerator": Decimal(1),
        "denominator": Decimal(4),
        "breakdown": None,
        "note": "",
    }
    with django_assert_num_queries(0):
        assert update_check(period=the_period, current=None, **numbers) == Decimal("25.0000")
        with pytest.raises(ValidationError, match="está enviado y no se puede editar") as refused:
            update_check(period=the_period, current=current, **numbers)
        assert refused.value.code == NOT_EDITABLE
        the_period.locked = True
        with pytest.raises(ValidationError, match="está cerrado") as refused:
            update_check(period=the_period, current=None, **numbers)
        assert refused.value.code == PERIOD_LOCKED
    assert ProgressUpdate.objects.get() == current


def test_a_population_group_cannot_exceed_the_total(durango):
    indicator = indicator_with_calendar(durango, disaggregations=["indigenous"])
    with pytest.raises(ValidationError, match="no puede ser mayor que el total"):
        draft(indicator, breakdown={"indigenous": {"of_which": Decimal(200)}})


def test_a_breakdown_not_in_the_sheet_is_refused(durango):
    indicator = indicator_with_calendar(durango)
    with pytest.raises(ValidationError, match="no está prevista"):
        draft(indicator, breakdown={"age": {"15-29": Decimal(95)}})


def test_a_locked_period_receives_no_report(durango):
    indicator = indicator_with_calendar(durango)
    indicator.periods.filter(label="2025-T1").update(locked=True)
    with pytest.raises(ValidationError, match="está cerrado"):
        draft(indicator)


def test_two_stale_edits_the_second_gets_a_conflict_and_the_first_is_intact(durango):
    indicator = indicator_with_calendar(durango)
    first = draft(indicator, value=Decimal(10))
    opened_with = first.version  # two people open the same draft
    update_save(
        actor=None,
        period=first.period,
        expected_version=opened_with,
        value=Decimal(20),
        narrative="Primera",
    )
    with pytest.raises(StaleEdit):
        update_save(
            actor=None,
            period=first.period,
            expected_version=opened_with,
            value=Decimal(30),
            narrative="Segunda",
        )
    first.refresh_from_db()
    assert first.value == Decimal(20) and first.narrative == "Primera"


def test_a_second_new_update_for_the_same_period_conflicts_instead_of_duplicating(durango):
    indicator = indicator_with_calendar(durango)
    draft(indicator)
    with pytest.raises(StaleEdit):
        draft(indicator)
    assert ProgressUpdate.objects.count() == 1


def test_submit_needs_a_value_and_notifies_reviewers(
    durango, reviewer, editor, django_capture_on_commit_callbacks
):
    indicator = indicator_with_calendar(durango)
    empty = update_save(
        actor=editor, period=period(indicator), expected_version=None, narrative="Sin valor aún"
    )
    with pytest.raises(ValidationError, match="Capture el valor"):
        update_submit(actor=editor, update=empty, expected_version=empty.version)
    update = update_save(
        actor=editor, period=empty.period, expected_version=empty.version, value=Decimal(80)
    )
    with django_capture_on_commit_callbacks(execute=True):
        update_submit(actor=editor, update=update, expected_version=update.version)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert "Avance enviado a revisión" in mail.outbox[0].subject


def test_return_requires_a_comment_and_tells_the_editor(
    durango, reviewer, editor, django_capture_on_commit_callbacks
):
    indicator = indicator_with_calendar(durango)
    update = submitted(indicator, actor=editor)
    with pytest.raises(ValidationError, match="Escriba una observación"):
        update_return(actor=reviewer, update=update, comment="   ")
    update.refresh_from_db()
    assert update.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        update_return(actor=reviewer, update=update, comment="Falta la lista de asistencia.")
    update.refresh_from_db()
    assert update.status == "returned"
    assert (
        mail.outbox[-1].to == [editor.email]
        and "Falta la lista de asistencia." in mail.outbox[-1].body
    )


def test_approval_locks_the_update_and_rolls_the_light_up_to_state(durango, national):
    indicator = indicator_with_calendar(durango)
    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        round="IP-321",
        title="Convenio de prueba",
        status="in_force",
    )
    goal = Goal.objects.create(agreement=agreement, number=1, description="Meta de prueba")
    indicator.goals.add(goal)
    update = approved(indicator, value=Decimal(95))  # 95 % of a target of 100: green
    assert (
        update.status == "approved"
        and update.light == "green"
        and update.progress == Decimal("95.0")
    )
    for model, pk in ((type(indicator), indicator.pk), (Goal, goal.pk), (Agreement, agreement.pk)):
        assert model.objects.get(pk=pk).light == "green"
    assert StateSummary.objects.get(state=durango.state).light == "green"
    with pytest.raises(ValidationError, match="no se puede editar"):
        update_save(
            actor=None, period=update.period, expected_version=update.version, value=Decimal(1)
        )


def test_a_correction_is_a_new_revision_with_a_reason_and_the_approved_one_stays(durango):
    indicator = indicator_with_calendar(durango)
    original = approved(indicator, value=Decimal(95))
    with pytest.raises(ValidationError, match="motivo"):
        update_correct(actor=None, update=original, reason="")
    revision = update_correct(
        actor=None, update=original, reason="El registro de marzo estaba duplicado."
    )
    original.refresh_from_db()
    assert (original.status, original.is_current, original.value) == (
        "approved",
        False,
        Decimal(95),
    )
    assert (revision.revision, revision.status, revision.is_current) == (2, "draft", True)
    assert revision.correction_reason == "El registro de marzo estaba duplicado."


def test_every_workflow_service_leaves_an_audit_event(durango, editor, reviewer):
    indicator = indicator_with_calendar(durango)
    before = AuditEvent.objects.count()
    update = draft(indicator, actor=editor)
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    update = update_return(actor=reviewer, update=update, comment="Corrija")
    update = update_save(
        actor=editor, period=update.period, expected_version=update.version, value=Decimal(96)
    )
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    update_approve(actor=reviewer, update=update)
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True)[before:])
    assert verbs == [
        "update.create",
        "update.submit",
        "update.return",
        "update.save",
        "update.submit",
        "update.approve",
    ]
    assert all(e.changes for e in AuditEvent.objects.order_by("id")[before:])
