"""Demo indicators and progress reports, every figure invented and marked as such.

Durango's and Zacatecas's institutes get quarterly indicators over the last two
years, linked to their plan items when the planning demo loaded them; their
reports end in every workflow status so the personas' review queue, the traffic
lights and the history have something to show, and one of Durango's stays red over
its last two approved quarters, which the improvement app proposes as a finding.
Every convenio goal of the 32 states gets an annual indicator reported over the
convenio's years: a seeded, deterministic mix of values (so the national map shows
every colour), reports approved, waiting for review, returned or still drafts, and
small PDFs as evidence on some. Everything goes through the services, so the audit
trail, the workload counts and the lights are the ones people would produce.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from transversal.accounts.demo import PERSONAS
from transversal.accounts.models import Membership, Role, User
from transversal.agreements.models import AgreementStatus, Goal
from transversal.core.demofiles import demo_pdf
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod, UpdateStatus
from transversal.monitoring.services import (
    comment_add,
    evidence_add,
    indicator_create,
    periods_generate,
    targets_update,
    update_approve,
    update_return,
    update_save,
    update_submit,
    update_validate,
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
# The personas' quarterly story: the last five quarters that have ended, oldest first, then the
# quarter under way (its figure can only be a draft until it ends).
STORY = ("approved", "approved", "approved", "submitted", "returned")
# Each report's figure against its target, in the story's order: the approved ones show the three
# colours of the lights.
FACTORS = (
    Decimal("0.97"),
    Decimal("0.78"),
    Decimal("0.55"),
    Decimal("1.02"),
    Decimal("0.9"),
    Decimal("0.8"),
)
# One of Durango's indicators stays red over its last two approved quarters, so the improvement
# cycle shows the finding the system proposes for a sustained red light (its approvals propose it
# through ``monitoring.services.on_approval``) waiting for a person's decision.
SUSTAINED_RED = (
    "iem-durango",
    "Porcentaje de municipios con instancia municipal de las mujeres en operación",
)
SUSTAINED_RED_FACTORS = (Decimal("0.97"), Decimal("0.6"), Decimal("0.55"), *FACTORS[3:])
SEED = "transversal-demo"
NARRATIVE = "Avance de demostración (dato sintético)."


def _people() -> dict[str, tuple[User | None, User | None]]:
    """Each state institute's editor and reviewer: the personas for Durango and Zacatecas, the
    invented people of the accounts demo elsewhere (one query)."""
    people: dict[str, list] = {}
    memberships = Membership.objects.filter(
        is_active=True, role__in=[Role.EDITOR, Role.REVIEWER], user__is_active=True
    ).select_related("user", "institution")
    personas = {email for email, *_rest in PERSONAS}
    for membership in memberships.order_by("user__email"):
        slot = 0 if membership.role == Role.EDITOR else 1
        pair = people.setdefault(membership.institution.slug, [None, None])
        user = membership.user
        # A persona wins over anyone else (the demo's stories are theirs).
        if pair[slot] is None or (user.email in personas and pair[slot].email not in personas):
            pair[slot] = user
    return {slug: (pair[0], pair[1]) for slug, pair in people.items()}


def load(log) -> None:
    people = _people()
    today = timezone.localdate()
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
            baseline_year=today.year - 3,
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
            actor=None,
            indicator=indicator,
            start=dt.date(today.year - 2, 1, 1),
            end=dt.date(today.year, 12, 31),
        )
        periods = list(indicator.periods.order_by("start"))
        targets = _targets(measure, direction, baseline, [p.label for p in periods])
        targets_update(actor=None, indicator=indicator, targets=targets)
        editor, reviewer = people.get(slug, (None, None))
        _story(indicator, periods, targets, editor, reviewer, today)
        created += 1
    created += _goal_indicators(people, today)
    if created:
        log(f"Indicadores de demostración (dato sintético): {created}.")


def _link_plan_item(indicator: Indicator, code: str) -> None:
    item = (
        PlanItem.objects.filter(code=code, plan__institution=indicator.owner).first()
        or PlanItem.objects.filter(code=code, plan__state=indicator.owner.state).first()
    )
    if item is not None:
        indicator.plan_items.add(item)


def _targets(
    measure: str, direction: str, baseline: Decimal, labels: list[str]
) -> dict[str, Decimal]:
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


def _value(measure: str, target: Decimal, factor: Decimal) -> Decimal:
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


def _story(indicator, periods, targets, editor, reviewer, today) -> None:
    ended = [p for p in periods if p.has_ended(today)]
    under_way = [p for p in periods if not p.has_ended(today)][:1]
    chosen = list(zip(ended[-len(STORY) :], STORY[-len(ended) :], strict=True))
    chosen += [(period, "draft") for period in under_way]
    sustained_red = (indicator.owner.slug, indicator.name) == SUSTAINED_RED
    factors = SUSTAINED_RED_FACTORS if sustained_red else FACTORS
    for n, (period, final) in enumerate(chosen):
        value = _value(indicator.measure, targets[period.label], factors[n % len(factors)])
        update = update_save(
            actor=editor,
            period=period,
            expected_version=None,
            value=value,
            narrative=NARRATIVE,
            breakdown=_breakdown(indicator, value),
            is_synthetic=True,
        )
        _walk(update, final, editor, reviewer)


def _national_validator() -> User | None:
    """The national institution's reviewer or admin who validates the goals' figures: a
    reviewer first (the national validator persona when loaded), else an admin."""
    membership = (
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=[Role.REVIEWER, Role.ADMIN],
            institution__kind=InstitutionKind.NATIONAL,
        )
        .select_related("user")
        .order_by("-role", "user__email")  # "reviewer" sorts after "admin"
        .first()
    )
    return membership.user if membership else None


def _walk(update: ProgressUpdate, final: str, editor, reviewer) -> None:
    """Take a saved draft to its final status through the review workflow."""
    if final == "draft":
        return
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    if final == "approved" and _second_pair_of_eyes(editor, reviewer):
        update = update_approve(actor=reviewer, update=update)
        validator = _national_validator() if update.status == UpdateStatus.VALIDATING else None
        if validator is not None:  # a goal's figure: the national institution validates it
            update_validate(actor=validator, update=update)
    elif final == "returned" and reviewer is not None:
        update_return(
            actor=reviewer, update=update, comment="Adjunte la evidencia del periodo (ejemplo)."
        )
        comment_add(
            actor=editor,
            update=update,
            text="Se está reuniendo la lista de asistencia (ejemplo).",
        )


# Convenio goals across the country ----------------------------------------------------------

# How well a state does, by the remainder of its code: on track, at risk or behind (the map shows
# all three); a goal may do a step better or worse. Each figure moves around its goal's level by a
# seeded amount.
LEVELS = (Decimal("0.97"), Decimal("0.8"), Decimal("0.58"))
# The last period that has ended: where the review workflow still is.
LAST_STATUSES = (
    ("approved", 50),
    ("submitted", 20),
    ("returned", 15),
    ("draft", 15),
)


def _goal_indicators(people, today: dt.date) -> int:
    """One annual indicator per convenio goal, reported over the convenio's years up to the goal's
    due date: earlier years approved, the last one that ended wherever its review is, and the
    year under way a draft now and then. A draft convenio without dates has no calendar; a
    signed one that has not started has nothing to report yet."""
    created = 0
    goals = (
        Goal.objects.filter(is_synthetic=True, indicators__isnull=True)
        .select_related("agreement__state_institution", "agreement__state")
        .order_by("agreement__state__code", "number")
    )
    for goal in goals:
        owner = goal.agreement.state_institution
        if owner is None:
            continue
        indicator = indicator_create(
            actor=None,
            owner=owner,
            name=f"Cumplimiento de la meta {goal.number} del convenio",
            measure="percentage",
            unit="porcentaje de avance",
            frequency="annual",
            direction="ascending",
            is_public=True,
            is_synthetic=True,
            goals=[goal],
            definition=(
                "Porcentaje de las acciones comprometidas para la meta que se concluyeron "
                "(dato sintético)."
            ),
            data_source="Informes de la instancia estatal (dato sintético)",
        )
        created += 1
        agreement = goal.agreement
        if agreement.status == AgreementStatus.DRAFT or agreement.valid_from is None:
            continue  # a draft without dates has no reporting calendar yet
        start = agreement.valid_from
        end = goal.due_date or agreement.valid_to or dt.date(start.year + 2, 12, 31)
        periods = periods_generate(actor=None, indicator=indicator, start=start, end=end)
        periods.sort(key=lambda p: p.start)
        targets_update(
            actor=None,
            indicator=indicator,
            targets={
                p.label: (Decimal(100) * (i + 1) / len(periods)).quantize(Decimal("0.1"))
                for i, p in enumerate(periods)
            },
        )
        periods = list(indicator.periods.order_by("start"))
        editor, reviewer = people.get(owner.slug, (None, None))
        rng = random.Random(f"{SEED}-{agreement.state.code}-{goal.number}")
        # A state's goals lean to its level, but not all the same way: a goal may do a step
        # better or worse than the state's other goals.
        step = 0 if goal.number == 1 else rng.choice((0, 0, 1, -1))
        level = LEVELS[(int(agreement.state.code) + step) % len(LEVELS)]
        _goal_story(indicator, periods, level, rng, editor, reviewer, today)
    return created


def _goal_story(indicator, periods, level, rng, editor, reviewer, today) -> None:
    ended = [p for p in periods if p.has_ended(today)]
    under_way = [p for p in periods if p.start <= today and not p.has_ended(today)]
    recent = today - dt.timedelta(days=365)
    for n, period in enumerate(ended):
        # The first year is always approved, so every state with a year behind it has a light;
        # only the year that ended last may still be in review (older ones were settled).
        last = n == len(ended) - 1 and n > 0 and period.end >= recent
        final = _pick(rng) if last else "approved"
        factor = level + Decimal(rng.randint(-6, 6)) / 100
        value = min(Decimal(100), period.target * factor).quantize(Decimal("0.1"))
        update = update_save(
            actor=editor,
            period=period,
            expected_version=None,
            value=value,
            narrative=NARRATIVE,
            is_synthetic=True,
        )
        if final != "draft" and rng.random() < 0.3:
            _attach_evidence(update, editor, period)
        _walk(update, final, editor, reviewer)
    for period in under_way:
        if rng.random() < 0.3:
            update_save(
                actor=editor,
                period=period,
                expected_version=None,
                value=(period.target * level / 2).quantize(Decimal("0.1")),
                narrative=NARRATIVE,
                is_synthetic=True,
            )


def _pick(rng: random.Random) -> str:
    statuses, weights = zip(*LAST_STATUSES, strict=True)
    return rng.choices(statuses, weights=weights)[0]


def _attach_evidence(update: ProgressUpdate, editor, period: ReportingPeriod) -> None:
    name = f"informe-{period.label}.pdf"
    text = f"Informe de avance {period.label}: documento de demostración (dato sintético)."
    evidence_add(
        actor=editor,
        update=update,
        upload=ContentFile(demo_pdf(text), name=name),
        filename=name,
        description="Informe de demostración (dato sintético).",
    )
