from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from transversal.audit.models import AuditEvent
from transversal.followup import services as followup
from transversal.improvement import services
from transversal.improvement.models import Finding, FindingSource, FindingStatus
from transversal.monitoring.tests.factories import approved, indicator_with_calendar
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db

RED, GREEN = Decimal(10), Decimal(95)  # against a target of 100


def _evaluation(institution, **extra):
    return services.evaluation_create(
        actor=None,
        institution=institution,
        year=2026,
        kind="external",
        title="Evaluación de procesos del programa estatal",
        evaluator="Despacho evaluador externo",
        started_on=dt.date(2026, 2, 1),
        ended_on=dt.date(2026, 5, 30),
        **extra,
    )


def _red_findings(indicator):
    return Finding.objects.filter(indicator=indicator, source=FindingSource.RED_LIGHT)


def test_two_consecutive_red_periods_propose_exactly_one_finding(zacatecas):
    indicator = indicator_with_calendar(zacatecas)
    approved(indicator, "2025-T1", RED)
    assert not _red_findings(indicator).exists()
    approved(indicator, "2025-T2", RED)
    approved(indicator, "2025-T3", RED)  # the same run of reds: no second proposal
    approved(indicator, "2025-T4", RED)  # nor a fourth
    finding = _red_findings(indicator).get()
    assert finding.status == FindingStatus.PROPOSED
    assert finding.period.label == "2025-T2"
    assert "2025" in finding.text and indicator.name in finding.text
    assert AuditEvent.objects.filter(verb="finding.propose").count() == 1
    assert services.findings_propose_all() == 0  # a later sweep finds nothing new


def test_a_red_period_between_other_colours_proposes_nothing(zacatecas):
    indicator = indicator_with_calendar(zacatecas)
    approved(indicator, "2025-T1", RED)
    approved(indicator, "2025-T2", GREEN)
    approved(indicator, "2025-T3", RED)
    assert not _red_findings(indicator).exists()


def test_a_pair_approved_out_of_order_is_still_found(zacatecas):
    indicator = indicator_with_calendar(zacatecas)
    approved(indicator, "2025-T2", RED)
    approved(indicator, "2025-T1", RED)
    assert _red_findings(indicator).get().period.label == "2025-T2"


def test_a_lone_red_period_proposes_nothing_and_joining_a_proposed_run_nothing_more(zacatecas):
    indicator = indicator_with_calendar(zacatecas)
    for label in ("2025-T1", "2025-T2", "2025-T4"):
        approved(indicator, label, RED)
    assert _red_findings(indicator).count() == 1
    approved(indicator, "2025-T3", RED)  # joins both into one run, already proposed
    assert _red_findings(indicator).count() == 1


def test_dismissing_a_proposal_needs_a_reason_and_records_it(zacatecas, reviewer):
    indicator = indicator_with_calendar(zacatecas)
    approved(indicator, "2025-T1", RED)
    approved(indicator, "2025-T2", RED)
    finding = _red_findings(indicator).get()
    with pytest.raises(ValidationError) as caught:
        services.finding_dismiss(actor=reviewer, finding=finding, reason="  ")
    assert "reason" in caught.value.message_dict
    finding.refresh_from_db()
    assert finding.status == FindingStatus.PROPOSED
    services.finding_dismiss(
        actor=reviewer, finding=finding, reason="La meta se recalendarizó en el convenio."
    )
    finding.refresh_from_db()
    assert (finding.status, finding.decided_by) == (FindingStatus.DISMISSED, reviewer)
    event = AuditEvent.objects.get(verb="finding.dismiss")
    assert event.note == "La meta se recalendarizó en el convenio."
    with pytest.raises(ValidationError):
        services.finding_accept(actor=reviewer, finding=finding)


def test_an_asm_answers_only_an_accepted_finding(zacatecas, durango):
    indicator = indicator_with_calendar(zacatecas)
    approved(indicator, "2025-T1", RED)
    approved(indicator, "2025-T2", RED)
    proposed = _red_findings(indicator).get()
    values = dict(
        text="Revisar la estrategia de capacitación",
        kind="institutional",
        priority="high",
        owner=zacatecas,
        due_date=dt.date(2026, 10, 31),
    )
    with pytest.raises(ValidationError):
        services.action_add(actor=None, finding=proposed, **values)
    services.finding_accept(actor=None, finding=proposed)
    action = services.action_add(actor=None, finding=proposed, **values)
    assert action.label == f"ASM {proposed.label}.1"
    assert (action.followup.kind, action.followup.verifier) == ("asm", zacatecas)
    assert action.followup.due_date == dt.date(2026, 10, 31)
    second = services.action_add(actor=None, finding=proposed, **{**values, "priority": "low"})
    assert second.number == 2


def test_findings_are_numbered_per_institution_and_year(zacatecas, durango):
    evaluation = _evaluation(zacatecas)
    first = services.finding_add(
        actor=None, institution=zacatecas, evaluation=evaluation, text="Uno"
    )
    second = services.finding_add(
        actor=None, institution=zacatecas, evaluation=evaluation, text="Dos"
    )
    other = services.finding_add(
        actor=None, institution=durango, evaluation=_evaluation(durango), text="Otro"
    )
    assert (first.label, second.label, other.label) == ("H-2026-01", "H-2026-02", "H-2026-01")
    with pytest.raises(ValidationError):
        services.finding_add(actor=None, institution=durango, evaluation=evaluation, text="X")
    with pytest.raises(ValidationError) as caught:
        services.finding_add(actor=None, institution=zacatecas, evaluation=evaluation, text=" ")
    assert "text" in caught.value.message_dict


def test_an_evaluation_covers_only_the_evaluated_institutions_own_indicators(zacatecas, durango):
    theirs = indicator_with_calendar(durango)
    with pytest.raises(ValidationError):
        _evaluation(zacatecas, indicators=[theirs])
    evaluation = _evaluation(zacatecas, indicators=[indicator_with_calendar(zacatecas)])
    assert evaluation.indicators.count() == 1
    with pytest.raises(ValidationError) as caught:
        services.evaluation_create(
            actor=None,
            institution=zacatecas,
            year=2026,
            kind="internal",
            title="Al revés",
            evaluator="Área de planeación",
            started_on=dt.date(2026, 5, 1),
            ended_on=dt.date(2026, 4, 1),
        )
    assert "ended_on" in caught.value.message_dict


def test_an_evaluation_report_is_checked_and_kept_once(zacatecas):
    evaluation = _evaluation(zacatecas)
    pdf = blank_pdf("Informe final")
    services.evaluation_report_add(
        actor=None, evaluation=evaluation, upload=pdf, filename="informe.pdf"
    )
    with pytest.raises(ValidationError):
        services.evaluation_report_add(
            actor=None, evaluation=evaluation, upload=pdf, filename="copia.pdf"
        )
    with pytest.raises(ValidationError):
        services.evaluation_report_add(
            actor=None, evaluation=evaluation, upload=b"MZ\x90\x00", filename="informe.pdf"
        )
    assert evaluation.reports.count() == 1


def test_the_owner_reports_and_another_person_verifies_an_asm(zacatecas, outsider):
    from transversal.accounts.models import Role
    from transversal.conftest import make_member

    checker = make_member("revision.zac@prueba.test", zacatecas, Role.REVIEWER)
    finding = services.finding_add(
        actor=checker, institution=zacatecas, evaluation=_evaluation(zacatecas), text="Hallazgo"
    )
    action = services.action_add(
        actor=checker,
        finding=finding,
        text="Actualizar el manual",
        kind="specific",
        priority="medium",
        owner=zacatecas,
        due_date=dt.date(2026, 12, 31),
    )
    item = action.followup
    followup.followup_note_add(actor=outsider, item=item, text="Manual en revisión jurídica")
    with pytest.raises(ValidationError):
        followup.followup_verify(actor=outsider, item=item)
    followup.followup_verify(actor=checker, item=item)
    item.refresh_from_db()
    assert item.status == "verified"


def test_an_asm_may_not_fall_due_before_what_its_finding_speaks_of(zacatecas):
    finding = services.finding_add(
        actor=None, institution=zacatecas, evaluation=_evaluation(zacatecas), text="Hallazgo"
    )
    with pytest.raises(ValidationError) as caught:
        services.action_add(
            actor=None,
            finding=finding,
            text="Tarde",
            kind="specific",
            priority="low",
            owner=zacatecas,
            due_date=dt.date(2020, 1, 1),
        )
    assert "01/02/2026" in caught.value.message_dict["due_date"][0]
    assert not finding.actions.exists()
