"""Reads over plans: lists, trees built in Python from one query, alignment chains, coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from transversal.accounts.access import Scope, scope_for
from transversal.audit.models import AuditEvent
from transversal.planning.models import KIND_RANK, Alignment, Plan, PlanItem, PlanKind, PlanStatus


def visible_plans(user) -> QuerySet[Plan]:
    """Plans the person may see: published ones, plus drafts of their institutions (all for
    national members)."""
    scope = scope_for(user)
    plans = Plan.objects.with_owner().annotate(item_count=Count("items"))
    if scope.is_national:
        return plans
    visible = ~Q(status=PlanStatus.DRAFT)
    if scope.roles:
        visible |= Q(institution__in=scope.institution_ids())
    return plans.filter(visible)


def active_alignments() -> QuerySet[Alignment]:
    return Alignment.objects.filter(removed_at__isnull=True)


@dataclass
class Node:
    item: PlanItem
    children: list[Node] = field(default_factory=list)
    alignment_count: int = 0


def plan_tree(plan: Plan) -> list[Node]:
    """The whole tree from one query, whatever its size."""
    linked = active_alignments().filter(Q(from_item=OuterRef("pk")) | Q(to_item=OuterRef("pk")))
    items = plan.items.annotate(is_aligned=Exists(linked)).order_by("order")
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for item in items:
        node = nodes[item.pk] = Node(item)
        parent = nodes.get(item.parent_id) if item.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def subtree(plan: Plan, item: PlanItem) -> list[Node]:
    for root in plan_tree(plan):
        found = _find(root, item.pk)
        if found:
            return found.children
    return []


def _find(node: Node, pk: int) -> Node | None:
    if node.item.pk == pk:
        return node
    for child in node.children:
        found = _find(child, pk)
        if found:
            return found
    return None


def item_with_plan(plan: Plan, item_id: int) -> PlanItem | None:
    return plan.items.select_related("plan").filter(pk=item_id).first()


def ancestors(item: PlanItem) -> list[PlanItem]:
    """The item's parents inside its plan, top first (one query)."""
    rows = {
        i.pk: i
        for i in PlanItem.objects.filter(plan=item.plan_id).only(
            "id", "parent_id", "code", "text", "level"
        )
    }
    chain = []
    current = rows.get(item.parent_id) if item.parent_id else None
    while current is not None:
        chain.append(current)
        current = rows.get(current.parent_id) if current.parent_id else None
    return list(reversed(chain))


@dataclass
class Link:
    alignment: Alignment
    other: PlanItem  # the item at the other end

    @property
    def plan(self) -> Plan:
        return self.other.plan


def _visible_alignments(user) -> QuerySet[Alignment]:
    """Alignments whose two plans the person may see: a published item linked to a draft
    plan must not show the draft's title, text or the link's note."""
    visible = visible_plans(user).order_by().values("pk")
    return active_alignments().filter(from_item__plan__in=visible, to_item__plan__in=visible)


def item_links(item: PlanItem, user) -> tuple[list[Link], list[Link], list[Link]]:
    """(upward, downward, same-level) links: by the rank of the other end's plan kind."""
    rows = (
        _visible_alignments(user)
        .filter(Q(from_item=item) | Q(to_item=item))
        .select_related("from_item__plan__state", "to_item__plan__state", "author")
    )
    up, down, side = [], [], []
    rank = KIND_RANK[item.plan.kind]
    for alignment in rows:
        other = alignment.to_item if alignment.from_item_id == item.pk else alignment.from_item
        link = Link(alignment, other)
        other_rank = KIND_RANK[other.plan.kind]
        (up if other_rank < rank else down if other_rank > rank else side).append(link)
    return up, down, side


def alignment_chain(item: PlanItem, user, *, max_steps: int = 6) -> list[list[PlanItem]]:
    """Paths climbing through alignments to ever higher plans, e.g. an institutional
    objective → a PED strategy → a national programme objective. One query per step."""
    paths: list[list[PlanItem]] = [[item]]
    finished: list[list[PlanItem]] = []
    for _step in range(max_steps):
        ends = {path[-1].pk: path[-1] for path in paths}
        if not ends:
            break
        rows = (
            _visible_alignments(user)
            .filter(Q(from_item__in=ends) | Q(to_item__in=ends))
            .select_related("from_item__plan", "to_item__plan")
        )
        higher: dict[int, list[PlanItem]] = {}
        for alignment in rows:
            for here, there in (
                (alignment.from_item, alignment.to_item),
                (alignment.to_item, alignment.from_item),
            ):
                if (
                    here.pk in ends
                    and KIND_RANK[there.plan.kind] < KIND_RANK[ends[here.pk].plan.kind]
                ):
                    higher.setdefault(here.pk, []).append(there)
        next_paths = []
        for path in paths:
            ups = higher.get(path[-1].pk, [])
            if not ups:
                if len(path) > 1:
                    finished.append(path)
                continue
            next_paths.extend([*path, up] for up in ups)
        paths = next_paths
    finished.extend(p for p in paths if len(p) > 1)
    return finished


def plan_events(plan: Plan) -> QuerySet:
    """Audit events of the plan, its items and the alignments that touch it, as one queryset."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    def ids(queryset: QuerySet) -> QuerySet:
        # AuditEvent keeps target ids as text.
        return queryset.annotate(text_id=Cast("pk", CharField())).values("text_id")

    types = ContentType.objects.get_for_models(Plan, PlanItem, Alignment)
    return AuditEvent.objects.filter(
        Q(target_type=types[Plan], target_id=str(plan.pk))
        | Q(target_type=types[PlanItem], target_id__in=ids(PlanItem.objects.filter(plan=plan)))
        | Q(
            target_type=types[Alignment],
            target_id__in=ids(Alignment.objects.filter(Q(from_plan=plan) | Q(to_plan=plan))),
        )
    )


# Indicators and convenio goals sit above plans on the floor plan (docs/ARCHITECTURE.md): the
# monitoring app hands planning the two reads its pages need when it starts (monitoring/apps.py),
# the way apps register their history pages. Without it, plans show no indicators.
@dataclass(frozen=True)
class MeasureSource:
    visible_indicators: Callable[[Scope], QuerySet]  # indicators the person may see
    item_indicators: Callable[
        [Scope, PlanItem], list
    ]  # those that measure an item, with their goals


_measures: MeasureSource | None = None


def register_measures(source: MeasureSource) -> None:
    global _measures
    _measures = source


def _visible_indicators(user) -> QuerySet | None:
    return _measures.visible_indicators(scope_for(user)) if _measures else None


def item_indicators(user, item: PlanItem) -> list:
    """Indicators the person may see that measure the item, each with the goals it
    measures in ``visible_goals`` (only goals of agreements the person may see)."""
    return _measures.item_indicators(scope_for(user), item) if _measures else []


def national_framework_on(day: dt.date, plans: QuerySet[Plan] | None = None) -> Plan | None:
    """The national framework in force on ``day``: the published national programme whose years
    include the day's year (the one that started last when two overlap), among ``plans`` when
    given. PROIGUALDAD 2020-2024 up to 2024, the Programa Sectorial de las Mujeres 2025-2030 from
    2025 (``national_frameworks``). One query."""
    year = day.year
    return (
        (Plan.objects.all() if plans is None else plans)
        .filter(kind=PlanKind.NATIONAL_PROGRAM, status=PlanStatus.PUBLISHED)
        .filter(Q(start_year__isnull=True) | Q(start_year__lte=year))
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .order_by(F("start_year").desc(nulls_last=True), "pk")
        .first()
    )


def reference_day(plan: Plan, today: dt.date) -> dt.date:
    """The date whose national framework a plan is read against: today, or the last day of the
    plan's period when it ended before today (a 2019-2024 plan answered to PROIGUALDAD)."""
    if plan.end_year is not None and plan.end_year < today.year:
        return dt.date(plan.end_year, 12, 31)
    return today


@dataclass
class Coverage:
    unaligned: list[PlanItem]
    uncovered_national: list[PlanItem]
    total: int
    without_indicator: list[PlanItem]
    framework: Plan | None = None  # the national framework in force on ``on`` (state plans)
    on: dt.date | None = None


def plan_coverage(user, plan: Plan, on: dt.date | None = None) -> Coverage:
    """Items of the plan with no alignment and with no indicator the person may see
    (one query); for a state's plan, the items of the national framework in force on ``on``
    (by default :func:`reference_day`) that no item of that state's plans aligns to (two
    more: the framework, its uncovered items)."""
    linked = active_alignments().filter(Q(from_item=OuterRef("pk")) | Q(to_item=OuterRef("pk")))
    visible = _visible_indicators(user)
    measured = (
        Count("indicators", filter=Q(indicators__in=visible.values("pk")))
        if visible is not None
        else Value(0)
    )
    items = list(
        plan.items.annotate(is_aligned=Exists(linked), indicator_count=measured).order_by("order")
    )
    unaligned = [i for i in items if not i.is_aligned]
    uncovered: list[PlanItem] = []
    framework = None
    on = on or reference_day(plan, timezone.localdate())
    if plan.state_id:
        framework = national_framework_on(on)
        state_items = PlanItem.objects.filter(plan__state=plan.state_id)
        touched = active_alignments().filter(
            Q(from_item=OuterRef("pk"), to_item__in=state_items)
            | Q(to_item=OuterRef("pk"), from_item__in=state_items)
        )
        if framework is not None:
            uncovered = list(
                PlanItem.objects.filter(plan=framework)
                .annotate(covered=Exists(touched))
                .filter(covered=False)
                .select_related("plan")
                .order_by("order")
            )
    without = [i for i in items if not i.indicator_count]
    return Coverage(unaligned, uncovered, len(items), without, framework, on)
