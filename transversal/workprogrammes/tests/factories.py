"""A convenio with goals, one quarterly goal indicator per goal and a programme of the year:
the world every work-programme test starts from (built through the services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from transversal.agreements.models import Agreement, AgreementStatus, Goal
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.monitoring.models import Indicator
from transversal.monitoring.services import indicator_create, periods_generate, targets_update
from transversal.workprogrammes import services
from transversal.workprogrammes.models import WorkProgramme

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    agreement: Agreement
    goals: list[Goal]
    indicators: list[Indicator]
    programme: WorkProgramme


def signed_agreement(national, institution, *, goals=2, since=dt.date(2025, 1, 1)) -> Agreement:
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=f"Convenio de colaboración {institution.state.short_name}",
        valid_from=since,
        valid_to=dt.date(2027, 12, 31),
        purpose="Fortalecer el sistema estatal para la igualdad.",
        emphasis_areas=[],
    )
    agreement_transition(
        actor=None, agreement=agreement, to_status=AgreementStatus.SIGNED, on=since
    )
    for number in range(1, goals + 1):
        goal_add(
            actor=None,
            agreement=agreement,
            number=number,
            description=f"Meta {number} del convenio",
        )
    agreement.refresh_from_db()
    return agreement


def goal_indicator(goal: Goal, year: int) -> Indicator:
    indicator = indicator_create(
        actor=None,
        owner=goal.agreement.state_institution,
        name=f"Avance de la meta {goal.number}",
        unit="acciones",
        measure="count",
        frequency="quarterly",
        direction="ascending",
        by_sex=False,
        accumulation="cumulative",
        goals=[goal],
    )
    periods_generate(
        actor=None, indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    targets_update(
        actor=None,
        indicator=indicator,
        # The year's target in every period, compared with the year's accumulated value: 10
        # actions a quarter are 25, 50, 75 and 100 % of it, as the programme schedules them.
        targets={f"{year}-T{q}": Decimal(40) for q in (1, 2, 3, 4)},
    )
    return indicator


def line_values(number: int = 1, **overrides) -> dict:
    values = {
        "means_of_verification": f"Listas de asistencia y constancias de la meta {number}",
        "responsible_area": "Dirección de Planeación",
        "planned": {1: 25, 2: 50, 3: 75, 4: 100},
        "resources": {"federal_approved": Decimal("100000"), "state_approved": Decimal("20000")},
    }
    values.update(overrides)
    return values


def world(national, institution, *, year: int = 2025, goals: int = 2) -> World:
    agreement = signed_agreement(national, institution, goals=goals)
    goal_list = list(agreement.goals.order_by("number"))
    indicators = [goal_indicator(goal, year) for goal in goal_list]
    programme = services.programme_create(actor=None, agreement=agreement, year=year)
    for goal in goal_list:
        services.line_save(actor=None, programme=programme, goal=goal, **line_values(goal.number))
    programme.refresh_from_db()
    return World(agreement, goal_list, indicators, programme)


def validated(programme: WorkProgramme, actor=None) -> WorkProgramme:
    services.programme_propose(actor=actor, programme=programme)
    return services.programme_validate(actor=actor, programme=programme)
