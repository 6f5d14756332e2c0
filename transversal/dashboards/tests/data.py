"""A small known dataset for the dashboards, and a way to grow it for query-count tests.

Durango (10): an IP-321 agreement in force (2025–2026) with four goals:
goal 1 (economic empowerment) measured by indicator A, goal 4 (economic
empowerment) stored green, goal 2 (human development) stored red, goal 3
(no area) without data. Indicator A: 2025-T1 approved (95 of 100: green),
T2 submitted, T3 a draft, T4 nothing. Indicator B (measures no goal): T1
submitted, T2–T4 nothing.
→ goals 2 green, 0 yellow, 1 red, 1 without data: 66.7 % green, red roll-up;
  pending reviews 2 (A-T2, B-T1); overdue 5 (A-T3, A-T4, B-T2, B-T3, B-T4).

Zacatecas (32): an IP-400 agreement signed (not in force), one goal (violence
prevention) stored green, indicator C: T1 submitted, T2–T4 nothing.
→ 100 % green; pending 1; overdue 3.

Every 2025 period is past its due date (15 days after the period's end).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.agreements.models import Agreement, Goal
from transversal.monitoring.services import update_submit
from transversal.monitoring.tests.factories import (
    approve_all_levels,
    approved,
    draft,
    indicator_with_calendar,
    second_pair_of_eyes,
    submitted,
)

TODAY = dt.date(2026, 6, 1)


def agreement(
    national,
    institution,
    *,
    round="IP-321",
    status="in_force",
    areas=("economic_empowerment",),  # noqa: A002
    title="Convenio de colaboración de prueba",
    valid_from=dt.date(2025, 1, 1),
    valid_to=dt.date(2026, 12, 31),
):
    return Agreement.objects.create(
        national_institution=national,
        state=institution.state,
        state_institution=institution,
        round=round,
        title=title,
        status=status,
        valid_from=valid_from,
        valid_to=valid_to,
        emphasis_areas=list(areas),
    )


def known_dataset(national, durango, zacatecas) -> dict:
    dgo = agreement(national, durango)
    goal1 = Goal.objects.create(
        agreement=dgo,
        number=1,
        description="Capacitar al personal estatal",
        area="economic_empowerment",
    )
    Goal.objects.create(
        agreement=dgo,
        number=2,
        description="Ampliar la atención",
        area="human_development",
        light="red",
    )
    Goal.objects.create(agreement=dgo, number=3, description="Publicar el programa estatal")
    Goal.objects.create(
        agreement=dgo,
        number=4,
        description="Crear centros de desarrollo",
        area="economic_empowerment",
        light="green",
    )
    a = indicator_with_calendar(durango, name="Personas capacitadas en igualdad sustantiva")
    a.goals.add(goal1)
    approved(a, "2025-T1", Decimal(95))
    submitted(a, "2025-T2", Decimal(50))
    draft(a, "2025-T3", Decimal(10))
    b = indicator_with_calendar(durango, name="Centros de atención en operación")
    submitted(b, "2025-T1", Decimal(80))

    zac = agreement(
        national,
        zacatecas,
        round="IP-400",
        status="signed",
        areas=("violence_prevention",),
        # signed, its validity not yet recorded: not in force on any date
        valid_from=None,
        valid_to=None,
    )
    Goal.objects.create(
        agreement=zac,
        number=1,
        description="Operar el refugio estatal",
        area="violence_prevention",
        light="green",
    )
    c = indicator_with_calendar(zacatecas, name="Mujeres atendidas en el refugio")
    submitted(c, "2025-T1", Decimal(40))
    return {"agreement": dgo, "goal": goal1, "indicator": a, "other": b, "zacatecas": c}


def grow(national, institution, copies: int) -> None:
    """More rows per relation for one institution: agreements, goals, indicators, updates,
    breakdowns."""
    for n in range(copies):
        extra = agreement(national, institution, title=f"Convenio adicional {n}")
        for number in (1, 2, 3):
            goal = Goal.objects.create(
                agreement=extra,
                number=number,
                description=f"Meta {number}",
                area="human_development",
            )
        indicator = indicator_with_calendar(
            institution, name=f"Indicador adicional {n}", disaggregations=["sex"]
        )
        indicator.goals.add(goal)
        approved_with_breakdown(
            indicator,
            "2025-T1",
            Decimal(90),
            {"sex": {"women": Decimal(60), "men": Decimal(30), "unspecified": Decimal(0)}},
        )
        submitted(indicator, "2025-T2", Decimal(20))


def approved_with_breakdown(indicator, label: str, value: Decimal, breakdown: dict):
    update = draft(indicator, label, value, breakdown=breakdown)
    update = update_submit(actor=None, update=update, expected_version=update.version)
    return approve_all_levels(actor=second_pair_of_eyes(), update=update)
