"""Work-programme data for the API and open-data tests.

Durango's convenio (signed, 2025–2027, goals 1 and 2; goal 1 measured by an indicator with an
approved figure of 95 in 2025-T1):
  2025  in execution: proposed, observed on goal 1 («Precise los medios de verificación»),
        corrected, validated; Q1 sent and received, Q2 sent and observed («Falta la narrativa»),
        Q3 a draft. Goal 1: federal 100,000.00 approved, modified to 90,000.00; state 20,000.00.
        Goal 2: federal 50,000.00, in kind 5,000.00. Exercised: Q1 federal 30,000.00 and
        state 5,000.00 on goal 1, in kind 1,000.00 on goal 2; Q2 federal 10,000.00 on goal 2;
        the Q3 draft federal 99,999.00 on goal 1 (never counted).
  2026  in elaboration (never published).
Zacatecas's convenio: 2025 closed on 15/01/2026 (set directly: the checklist's periods and
reports are the services' tests), refund of 1,234.50 (reference «LC-2026-0001», 14/01/2026) and
the signed closing minutes «acta-cierre-2025.pdf».
Every person involved has a name that must never reach the API or the open data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from transversal.agreements.models import Agreement, AgreementStatus, Goal
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.workprogrammes import services
from transversal.workprogrammes.models import (
    ClosingDocument,
    QuarterlyReport,
    Stage,
    WorkProgramme,
)

# What must never reach the API or the open data.
OBSERVER = "Leticia Observa Nacional"  # who observed the programme and the report
SENDER = "Rodrigo Envía Estatal"  # who wrote, sent and answered
MINUTES = "acta-cierre-2025.pdf"
MINUTES_SHA = "ab" * 32
PERSONS = (OBSERVER, SENDER)
OBSERVATION = "Precise los medios de verificación de la meta."
REPORT_OBSERVATION = "Falta la narrativa del trimestre."
ANSWER = "Se precisaron los medios de verificación."
DRAFT_NARRATIVE = "MARCA-NARRATIVA-BORRADOR-PROGRAMA"


@dataclass
class ProgrammesWorld:
    agreement: Agreement
    goals: list[Goal]
    executing: WorkProgramme
    draft: WorkProgramme
    q1: QuarterlyReport
    q2: QuarterlyReport
    q3: QuarterlyReport
    closed: WorkProgramme
    zacatecas_agreement: Agreement
    indicator: object


def named(email: str, institution, role: str, name: str):
    from transversal.conftest import make_member

    user = make_member(email, institution, role)
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def signed_agreement(national, institution, goals: int = 2) -> Agreement:
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=f"Convenio de colaboración {institution.state.short_name}",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2027, 12, 31),
        purpose="Fortalecer el sistema estatal para la igualdad.",
        emphasis_areas=[],
    )
    agreement_transition(
        actor=None, agreement=agreement, to_status=AgreementStatus.SIGNED, on=dt.date(2025, 1, 1)
    )
    for number in range(1, goals + 1):
        goal_add(
            actor=None,
            agreement=agreement,
            number=number,
            description=f"Meta {number} del convenio de {institution.state.short_name}",
        )
    agreement.refresh_from_db()
    return agreement


def line(programme, goal, resources: dict, planned=None) -> None:
    services.line_save(
        actor=None,
        programme=programme,
        goal=goal,
        means_of_verification=f"Listas de asistencia de la meta {goal.number}",
        responsible_area="Dirección de Planeación",
        planned=planned or {1: 25, 2: 50, 3: 75, 4: 100},
        resources=resources,
    )


def _sent(programme, quarter: int, lines: dict, sender) -> QuarterlyReport:
    report = services.report_save(
        actor=sender,
        programme=programme,
        quarter=quarter,
        narrative=f"Avance del trimestre {quarter}",
        lines={
            pk: {**lines.get(pk, {}), "justification": "Se reprogramó."}
            for pk in programme.lines.values_list("pk", flat=True)
        },
    )
    return services.report_send(actor=sender, report=report)


def build(durango, zacatecas, national) -> ProgrammesWorld:
    from transversal.accounts.models import Role
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    observer = named("observa.programa@prueba.test", national, Role.REVIEWER, OBSERVER)
    sender = named("envia.programa@prueba.test", durango, Role.EDITOR, SENDER)
    agreement = signed_agreement(national, durango)
    goals = list(agreement.goals.order_by("number"))
    # Approved before it measures the goal: the figure counts without a national validation.
    indicator = indicator_with_calendar(durango, name="Avance de la meta 1 (Durango)")
    approved(indicator, "2025-T1", Decimal(95))
    indicator.goals.add(goals[0])

    executing = services.programme_create(actor=sender, agreement=agreement, year=2025)
    line(
        executing,
        goals[0],
        {
            "federal_approved": Decimal("100000"),
            "state_approved": Decimal("20000"),
            "federal_modified": Decimal("90000"),
        },
    )
    line(
        executing,
        goals[1],
        {"federal_approved": Decimal("50000"), "in_kind_approved": Decimal("5000")},
        planned={2: 40, 4: 100},
    )
    first, second = list(executing.lines.order_by("goal__number"))
    services.programme_propose(actor=sender, programme=executing)
    services.programme_observe(actor=observer, programme=executing, text=OBSERVATION, line=first)
    services.programme_correct(actor=sender, programme=executing, answer=ANSWER)
    services.programme_validate(actor=observer, programme=executing)
    q1 = _sent(
        executing,
        1,
        {
            first.pk: {"federal_exercised": "30000", "state_exercised": "5000"},
            second.pk: {"in_kind_exercised": "1000"},
        },
        sender,
    )
    q1 = services.report_acknowledge(actor=observer, report=q1)
    q2 = _sent(executing, 2, {second.pk: {"federal_exercised": "10000"}}, sender)
    services.report_observe(actor=observer, report=q2, text=REPORT_OBSERVATION)
    q3 = services.report_save(
        actor=sender,
        programme=executing,
        quarter=3,
        narrative=DRAFT_NARRATIVE,
        lines={first.pk: {"federal_exercised": "99999"}},
    )
    draft = services.programme_create(actor=sender, agreement=agreement, year=2026)
    line(draft, goals[0], {"federal_approved": Decimal("7")})

    zacatecas_agreement = signed_agreement(national, zacatecas, goals=1)
    closed = services.programme_create(actor=None, agreement=zacatecas_agreement, year=2025)
    line(closed, zacatecas_agreement.goals.get(), {"federal_approved": Decimal("1234.50")})
    services.programme_propose(actor=None, programme=closed)
    services.programme_validate(actor=observer, programme=closed)
    services.programme_start(actor=None, programme=closed)
    ClosingDocument.objects.create(
        programme=closed,
        file=f"programmes/{closed.code}/acta.pdf",
        original_name=MINUTES,
        kind="pdf",
        extension="pdf",
        mime_type="application/pdf",
        size=10,
        sha256=MINUTES_SHA,
        uploaded_by=observer,
    )
    WorkProgramme.objects.filter(pk=closed.pk).update(
        stage=Stage.CLOSED,
        closed_on=dt.date(2026, 1, 15),
        closed_by=observer,
        refund_amount=Decimal("1234.50"),
        refund_reference="LC-2026-0001",
        refund_date=dt.date(2026, 1, 14),
    )
    for programme in (executing, draft, closed):
        programme.refresh_from_db()
    for report in (q1, q2, q3):
        report.refresh_from_db()
    return ProgrammesWorld(
        agreement=agreement,
        goals=goals,
        executing=executing,
        draft=draft,
        q1=q1,
        q2=q2,
        q3=q3,
        closed=closed,
        zacatecas_agreement=zacatecas_agreement,
        indicator=indicator,
    )


def grow(national, institution, n: int, tag: str) -> None:
    """``n`` more convenios of the institution, each with a programme in execution of three goals,
    two reports sent and an observation: several rows per relation for the query-count tests."""
    for i in range(n):
        agreement = signed_agreement(national, institution, goals=3)
        programme = services.programme_create(actor=None, agreement=agreement, year=2025)
        for goal in agreement.goals.all():
            line(programme, goal, {"federal_approved": Decimal(1000 + i), "state_modified": "5"})
        services.programme_propose(actor=None, programme=programme)
        services.programme_observe(actor=None, programme=programme, text=f"Observación {tag}{i}")
        services.programme_correct(actor=None, programme=programme, answer="Corregido")
        services.programme_validate(actor=None, programme=programme)
        pks = list(programme.lines.values_list("pk", flat=True))
        for quarter in (1, 2):
            _sent(programme, quarter, {pk: {"federal_exercised": "10"} for pk in pks}, None)
