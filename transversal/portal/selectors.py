"""What the public may read, and nothing else.

Every public query of the portal and of the open-data files starts here, so the
rule "only published, signed and approved data" is written once:

- plans: published or archived (never drafts);
- agreements: ``PUBLIC_STATUSES`` (never drafts nor terminated ones), with their
  commitments, goals and amendments;
- indicators: ``is_public`` only; their periods and targets;
- values: the *current* revision of a period, and only when it is *approved*
  (a draft, submitted or returned report, or a correction in progress, shows no
  value; review comments are never read here);
- evidence: ``is_public`` files of those approved revisions only;
- breakdowns: through :func:`transversal.core.disclosure.protect`, the one
  small-count rule of every public output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.text import slugify

from transversal.agreements.models import PUBLIC_STATUSES, Agreement, Commitment, Goal
from transversal.core.disclosure import min_count, protect
from transversal.institutions.models import Institution, InstitutionKind, InstitutionName
from transversal.monitoring import rules
from transversal.monitoring.models import (
    SUBSET_GROUPS,
    DisaggregatedValue,
    Disaggregation,
    Evidence,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.planning.models import Plan, PlanItem, PlanStatus
from transversal.territory.models import State

PUBLIC_PLAN_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.ARCHIVED)
PUBLIC_AGREEMENT_STATUSES = tuple(sorted(PUBLIC_STATUSES))


# Base querysets: the public filter, nothing else ---------------------------------------


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)


def public_plan_items() -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES)


def public_agreements() -> QuerySet[Agreement]:
    return Agreement.objects.filter(status__in=PUBLIC_AGREEMENT_STATUSES)


def public_commitments() -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement__status__in=PUBLIC_AGREEMENT_STATUSES)


def public_goals() -> QuerySet[Goal]:
    return Goal.objects.filter(agreement__status__in=PUBLIC_AGREEMENT_STATUSES)


def public_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_public=True)


def public_periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(indicator__is_public=True)


def approved_updates() -> QuerySet[ProgressUpdate]:
    """The current, approved revision of each period of a public indicator."""
    return ProgressUpdate.objects.filter(
        status=UpdateStatus.APPROVED, is_current=True, period__indicator__is_public=True
    )


def approved_breakdown() -> QuerySet[DisaggregatedValue]:
    return DisaggregatedValue.objects.filter(
        update__status=UpdateStatus.APPROVED,
        update__is_current=True,
        update__period__indicator__is_public=True,
    )


def public_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        is_public=True,
        update__status=UpdateStatus.APPROVED,
        update__is_current=True,
        update__period__indicator__is_public=True,
    )


def current_name_subquery(outer: str = "pk", column: str = "name") -> Subquery:
    """The latest name (highest sequence) of an institution, for ``values_list`` rows."""
    return Subquery(
        InstitutionName.objects.filter(institution=OuterRef(outer))
        .order_by("-sequence")
        .values(column)[:1]
    )


# States ---------------------------------------------------------------------------------


def state_slug(state: State) -> str:
    """Readable, stable URL key: the slug of the short name ("ciudad-de-mexico")."""
    return slugify(state.short_name)


def states_by_slug() -> dict[str, State]:
    """All 32 states keyed by slug (one query)."""
    return {state_slug(state): state for state in State.objects.all()}


def state_for_slug(slug: str) -> State | None:
    return states_by_slug().get(slug)


@dataclass
class LightSummary:
    green: int = 0
    yellow: int = 0
    red: int = 0
    no_data: int = 0
    colour: str = rules.NO_DATA
    synthetic: bool = False  # some goal (or its agreement) is invented: the page says so

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.no_data


# How many goals of a group are invented, or belong to an invented agreement: an aggregate in
# the roll-up's own query, so marking them costs no query.
SYNTHETIC_GOALS = Count("pk", filter=Q(is_synthetic=True) | Q(agreement__is_synthetic=True))


def goal_light_summary(goals: QuerySet[Goal]) -> LightSummary:
    """Roll-up of the goals of *public* agreements only (one aggregate query).

    The stored ``StateSummary`` also counts goals of draft agreements, so the
    portal never shows it."""
    rows = list(goals.order_by().values("light").annotate(n=Count("pk"), fake=SYNTHETIC_GOALS))
    counts = {row["light"]: row["n"] for row in rows}
    colours: list[str] = []
    for colour, number in counts.items():
        colours.extend([colour] * number)
    summary = rules.rollup(colours)
    return LightSummary(
        green=counts.get(rules.GREEN, 0),
        yellow=counts.get(rules.YELLOW, 0),
        red=counts.get(rules.RED, 0),
        no_data=counts.get(rules.NO_DATA, 0),
        colour=summary.colour,
        synthetic=any(row["fake"] for row in rows),
    )


def state_lights() -> dict[int, tuple[str, bool]]:
    """Per state id, the roll-up colour of its public agreements' goals and whether any of them
    is synthetic (one query)."""
    rows = (
        public_goals()
        .order_by()
        .values("agreement__state_id", "light")
        .annotate(n=Count("pk"), fake=SYNTHETIC_GOALS)
    )
    colours: dict[int, list[str]] = {}
    synthetic: set[int] = set()
    for row in rows:
        colours.setdefault(row["agreement__state_id"], []).extend([row["light"]] * row["n"])
        if row["fake"]:
            synthetic.add(row["agreement__state_id"])
    return {
        state_id: (rules.rollup(values).colour, state_id in synthetic)
        for state_id, values in colours.items()
    }


def state_list() -> list[dict]:
    """Every state with its institute(s) and the count of public items (four queries)."""
    imefs = Prefetch(
        "institutions",
        queryset=Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).prefetch_related(
            "names"
        ),
        to_attr="imefs",
    )
    states = State.objects.prefetch_related(imefs).annotate(
        agreement_count=Count(
            "agreements", filter=Q(agreements__status__in=PUBLIC_AGREEMENT_STATUSES), distinct=True
        ),
    )
    # A query that groups drops the model's ordering: say INEGI order again, or the database
    # picks one (SQLite walked the ISO index: Chihuahua before Chiapas).
    states = states.order_by("code")
    lights = state_lights()
    rows = []
    for state in states:
        light, synthetic = lights.get(state.pk, (rules.NO_DATA, False))
        rows.append(
            {"state": state, "slug": state_slug(state), "light": light, "synthetic": synthetic}
        )
    return rows


# Institutions ---------------------------------------------------------------------------


def institution_profiles() -> QuerySet[Institution]:
    """What the shared profile partial reads (three queries for any number)."""
    return Institution.objects.select_related("state").prefetch_related("names", "objectives")


def indicator_list() -> QuerySet[Indicator]:
    """Public indicators with their owner and latest approved value (two queries)."""
    latest = approved_updates().filter(period__indicator=OuterRef("pk")).order_by("-period__start")
    return (
        public_indicators()
        .select_related("owner__state")
        .prefetch_related("owner__names")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_label=Subquery(latest.values("period__label")[:1]),
            latest_synthetic=Subquery(latest.values("is_synthetic")[:1]),
        )
        .order_by("owner__state__code", "name")
    )


# Plans ----------------------------------------------------------------------------------


def plan_list() -> QuerySet[Plan]:
    return public_plans().with_owner().annotate(item_count=Count("items"))


@dataclass
class Node:
    item: PlanItem
    children: list[Node] = field(default_factory=list)


def plan_tree(plan: Plan) -> list[Node]:
    """The plan's items as a tree, from one query, whatever its size."""
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for item in plan.items.order_by("order", "pk"):
        node = nodes[item.pk] = Node(item)
        parent = nodes.get(item.parent_id) if item.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


# Agreements -----------------------------------------------------------------------------


def agreement_list() -> QuerySet[Agreement]:
    """Public agreements with their goal count and whether any goal is invented (its light
    then rests on synthetic data)."""
    return (
        public_agreements()
        .with_parties()
        .annotate(
            goal_count=Count("goals"),
            synthetic_goals=Count("goals", filter=Q(goals__is_synthetic=True)),
        )
    )


def agreement_detail() -> QuerySet[Agreement]:
    """An agreement with commitments, goals (and their public indicators) and amendments."""
    return (
        public_agreements()
        .with_parties()
        .prefetch_related(
            "commitments",
            "amendments",
            "signatories",
            Prefetch(
                "goals",
                queryset=Goal.objects.order_by("number").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=public_indicators().order_by("name"),
                        to_attr="public_indicators",
                    )
                ),
            ),
        )
    )


# Indicators -----------------------------------------------------------------------------


def indicator_detail() -> QuerySet[Indicator]:
    return public_indicators().select_related("owner__state").prefetch_related("owner__names")


@dataclass
class Cell:
    """One public breakdown value: ``value`` is None when it was suppressed."""

    dimension: str
    category: str
    label: str
    value: Decimal | None
    suppressed: bool

    @property
    def dimension_label(self) -> str:
        labels = dict(Disaggregation.choices)
        return str(labels.get(self.dimension, self.dimension))


@dataclass
class PeriodRow:
    period: ReportingPeriod
    update: ProgressUpdate | None
    breakdown: list[Cell]
    evidence: list[Evidence]


def indicator_periods(indicator: Indicator) -> list[PeriodRow]:
    """Each period with its target and, when approved, its value, breakdown and public evidence
    (four queries: periods, approved updates, their breakdown, their public evidence)."""
    periods = list(indicator.periods.order_by("start"))
    updates = {
        update.period_id: update
        for update in approved_updates()
        .filter(period__indicator=indicator)
        .prefetch_related(
            Prefetch("breakdown", queryset=DisaggregatedValue.objects.order_by("dimension", "id")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(is_public=True).order_by("created_at"),
                to_attr="public_evidence",
            ),
        )
    }
    rows = []
    for period in periods:
        update = updates.get(period.pk)
        cells: list[Cell] = []
        if update is not None:
            raw = [(v.dimension, v.category, v.value) for v in update.breakdown.all()]
            labels = {(v.dimension, v.category): v.category_label for v in update.breakdown.all()}
            for dimension, category, value, suppressed in protect(
                update.value,
                raw,
                measure=indicator.measure,
                threshold=min_count(),
                subsets=SUBSET_GROUPS,
            ):
                cells.append(
                    Cell(dimension, category, labels[(dimension, category)], value, suppressed)
                )
        rows.append(
            PeriodRow(period, update, cells, list(update.public_evidence) if update else [])
        )
    return rows


def indicator_goals(indicator: Indicator) -> list[Goal]:
    return list(
        indicator.goals.filter(agreement__status__in=PUBLIC_AGREEMENT_STATUSES)
        .select_related("agreement__state")
        .order_by("agreement__state__code", "number")
    )


# Home -----------------------------------------------------------------------------------


@dataclass
class Published:
    plans: int
    agreements: int
    goals: int
    indicators: int
    values: int
    latest_approval: dt.datetime | None


def published_counts() -> Published:
    """What the public portal holds, in five small aggregate queries."""
    from django.db.models import Max

    values = approved_updates().aggregate(n=Count("pk"), latest=Max("reviewed_at"))
    return Published(
        plans=public_plans().count(),
        agreements=public_agreements().count(),
        goals=public_goals().count(),
        indicators=public_indicators().count(),
        values=values["n"],
        latest_approval=values["latest"],
    )
