"""Demo indicators and progress reports, every figure invented and marked as such.

Each state institute gets indicators with a 2025–2026 quarterly calendar, linked
to its plan items when the planning demo loaded them, plus one indicator per
convenio goal over the goal's years. Reports exist in every workflow status so
the review queue, the traffic lights and the history have something to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.accounts.models import User
from transversal.agreements.models import AgreementStatus, Goal
from transversal.institutions.models import Institution
from transversal.monitoring.models import Indicator
from transversal.monitoring.services import (
    comment_add,
    indicator_create,
    periods_generate,
    targets_update,
    update_approve,
    update_return,
    update_save,
    update_submit,
)
from transversal.planning.models import PlanItem

# (institution slug, name, measure, unit, direction, baseline, disaggregations, plan item code)
INDICATORS = (
    (
        "iem-durango",
        "Personas del servicio público estatal capacitadas en igualdad sustantiva",
        "count",
        "personas",
        "ascending",
        Decimal(120),
        ["age"],
        "2",
    ),
    (
        "iem-durango",
        "Porcentaje de municipios con instancia municipal de las mujeres en operación",
        "percentage",
        "porcentaje",
        "ascending",
        Decimal(64),
        [],
        "1",
    ),
    (
        "semujer-zacatecas",
        "Mujeres atendidas por violencia en los centros de atención del estado",
        "count",
        "mujeres",
        "ascending",
        Decimal(2400),
        ["indigenous", "disability"],
        "2.10.3",
    ),
    (
        "semujer-zacatecas",
        "Días promedio para emitir una orden de protección",
        "rate",
        "días",
        "descending",
        Decimal(5),
        [],
        "2.10.3",
    ),
)
# Synthetic quarterly values for 2025-T1 … 2026-T2 and the status each report ends in.
STORY = (
    ("2025-T1", "approved"),
    ("2025-T2", "approved"),
    ("2025-T3", "approved"),
    ("2025-T4", "submitted"),
    ("2026-T1", "returned"),
    ("2026-T2", "draft"),
)


def _people():
    find = lambda email: User.objects.filter(email=email).first()  # noqa: E731
    return {
        "iem-durango": (
            find("captura.durango@transversal.test"),
            find("revision.durango@transversal.test"),
        ),
        "semujer-zacatecas": (
            find("captura.zacatecas@transversal.test"),
            find("revision.zacatecas@transversal.test"),
        ),
    }


def load(log) -> None:
    people = _people()
    created = 0
    for slug, name, measure, unit, direction, baseline, disaggregations, item_code in INDICATORS:
        owner = Institution.objects.filter(slug=slug).first()
        if owner is None or Indicator.objects.filter(owner=owner, name=name).exists():
            continue
        indicator = indicator_create(
            actor=None,
            owner=owner,
            name=name,
            measure=measure,
            unit=unit,
            frequency="quarterly",
            direction=direction,
            baseline_year=2024,
            baseline_value=baseline,
            # Counts of people split by sex; a percentage of municipalities or a number of days
            # counts no people.
            by_sex=measure == "count",
            disaggregations=disaggregations,
            is_public=True,
            is_synthetic=True,
            definition="Indicador de demostración: sus cifras son inventadas.",
            data_source="Registros administrativos de la institución (dato sintético)",
        )
        _link_plan_item(indicator, item_code)
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31)
        )
        targets = _targets(measure, direction, baseline)
        targets_update(actor=None, indicator=indicator, targets=targets)
        editor, reviewer = people.get(slug, (None, None))
        _story(indicator, targets, editor, reviewer)
        created += 1
    created += _goal_indicators(people)
    if created:
        log(f"Indicadores de demostración (dato sintético): {created}.")


def _link_plan_item(indicator: Indicator, code: str) -> None:
    item = (
        PlanItem.objects.filter(code=code, plan__institution=indicator.owner).first()
        or PlanItem.objects.filter(code=code, plan__state=indicator.owner.state).first()
    )
    if item is not None:
        indicator.plan_items.add(item)


def _targets(measure: str, direction: str, baseline: Decimal) -> dict[str, Decimal]:
    labels = [f"{year}-T{q}" for year in (2025, 2026) for q in range(1, 5)]
    step = Decimal("0.04") if direction == "ascending" else Decimal("-0.05")
    targets = {}
    for n, label in enumerate(labels, start=1):
        value = baseline * (1 + step * n)
        if measure == "percentage":
            value = min(value, Decimal(100))
        targets[label] = (
            value.quantize(Decimal(1)) if measure == "count" else value.quantize(Decimal("0.1"))
        )
    return targets


def _value(measure: str, target: Decimal, n: int) -> Decimal:
    # Alternate above and below target so the lights show all three colours.
    factor = (
        Decimal("0.97"),
        Decimal("0.78"),
        Decimal("0.55"),
        Decimal("1.02"),
        Decimal("0.9"),
        Decimal("0.8"),
    )[n % 6]
    value = target * factor
    if measure == "percentage":
        value = min(value, Decimal(100))
    return value.quantize(Decimal(1)) if measure == "count" else value.quantize(Decimal("0.1"))


def _breakdown(indicator: Indicator, value: Decimal) -> dict:
    if indicator.measure != "count":
        return {}
    women = (value * Decimal("0.7")).quantize(Decimal(1))
    breakdown = {"sex": {"women": women, "men": value - women}}
    if "indigenous" in indicator.disaggregations:
        breakdown["indigenous"] = {"of_which": (value * Decimal("0.12")).quantize(Decimal(1))}
    return breakdown


def _second_pair_of_eyes(editor, reviewer) -> bool:
    """Four eyes: the demo approves with the institution's reviewer, never with the person who
    captured and submitted; without such a reviewer the report stays submitted."""
    return reviewer is not None and (editor is None or reviewer.pk != editor.pk)


def _story(indicator: Indicator, targets: dict, editor, reviewer) -> None:
    periods = {p.label: p for p in indicator.periods.all()}
    for n, (label, final) in enumerate(STORY):
        value = _value(indicator.measure, targets[label], n)
        update = update_save(
            actor=editor,
            period=periods[label],
            expected_version=None,
            value=value,
            narrative="Avance de demostración (dato sintético).",
            breakdown=_breakdown(indicator, value),
            is_synthetic=True,
        )
        if final == "draft":
            continue
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        if final == "approved" and _second_pair_of_eyes(editor, reviewer):
            update_approve(actor=reviewer, update=update)
        elif final == "returned":
            update_return(
                actor=reviewer, update=update, comment="Adjunte la evidencia del periodo (ejemplo)."
            )
            comment_add(
                actor=editor,
                update=update,
                text="Se está reuniendo la lista de asistencia (ejemplo).",
            )


def _goal_indicators(people) -> int:
    """One indicator per convenio goal, reported over the goal's years."""
    created = 0
    for goal in Goal.objects.select_related("agreement__state_institution").filter(
        is_synthetic=True
    ):
        owner = goal.agreement.state_institution
        name = f"Cumplimiento de la meta {goal.number} del convenio"
        if goal.indicators.exists() or owner is None:
            continue
        indicator = indicator_create(
            actor=None,
            owner=owner,
            name=name,
            measure="percentage",
            unit="porcentaje de avance",
            frequency="annual",
            direction="ascending",
            is_synthetic=True,
            goals=[goal],
            definition=(
                "Porcentaje de las acciones comprometidas para la meta que se concluyeron "
                "(dato sintético)."
            ),
        )
        created += 1
        agreement = goal.agreement
        if agreement.status == AgreementStatus.DRAFT or agreement.valid_from is None:
            continue  # a draft without dates has no reporting calendar yet
        start = agreement.valid_from
        end = goal.due_date or agreement.valid_to or dt.date(start.year + 2, 12, 31)
        periods_generate(actor=None, indicator=indicator, start=start, end=end)
        periods = list(indicator.periods.order_by("start"))
        targets_update(
            actor=None,
            indicator=indicator,
            targets={p.label: Decimal(100) * (i + 1) / len(periods) for i, p in enumerate(periods)},
        )
        editor, reviewer = people.get(owner.slug, (None, None))
        if goal.agreement.status in ("in_force", "concluded", "signed"):
            for period in indicator.periods.order_by("start"):
                value = (
                    period.target * (Decimal("0.95") if goal.number != 3 else Decimal("0.6"))
                ).quantize(Decimal("0.1"))
                update = update_save(
                    actor=editor,
                    period=period,
                    expected_version=None,
                    value=value,
                    narrative="Avance de demostración (dato sintético).",
                    is_synthetic=True,
                )
                update = update_submit(actor=editor, update=update, expected_version=update.version)
                if _second_pair_of_eyes(editor, reviewer):
                    update_approve(actor=reviewer, update=update)
    return created
