"""What each person has to do: periods overdue, due soon, returned or in draft, and what waits for
review, for the institutions in their scope ("Mis pendientes"). Reads only.

A period's status on the calendar and in the work list comes from :func:`period_status`, one rule
for both. A period counts as overdue exactly as the dashboards count it
(``selectors.overdue_by_state``): past its due date without a report sent or approved.

Apps above this one add their own group of work (tiles and rows, e.g. the work programmes'
quarterly reports and decisions) with :func:`register_source` at start-up; :func:`other_work`
gathers them for the work list and the home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from transversal.accounts.access import Scope
from transversal.monitoring.models import Evidence, ProgressUpdate, ReportingPeriod, UpdateStatus

# How far ahead "due soon" looks.
DUE_SOON_DAYS = 30


class Work:
    """The work list's filters (query-string values, in Spanish)."""

    OVERDUE = "vencidos"
    DUE_SOON = "proximos"
    RETURNED = "devueltos"
    DRAFT = "borradores"
    SUBMITTED = "enviados"
    PENDING = ""  # overdue, due soon, returned or draft: everything the editor must act on

    LABELS = {
        OVERDUE: _("Vencidos"),
        DUE_SOON: _("Vencen en los próximos 30 días"),
        RETURNED: _("Devueltos con observaciones"),
        DRAFT: _("Borradores sin enviar"),
        SUBMITTED: _("Enviados, en revisión"),
    }
    ORDER = (OVERDUE, DUE_SOON, RETURNED, DRAFT, SUBMITTED)


class PeriodStatus:
    """A period's status as people read it on the calendar and in the work list."""

    NO_REPORT = "sin_reporte"
    DRAFT = "borrador"
    SUBMITTED = "enviado"
    VALIDATING = "en_validacion"
    RETURNED = "devuelto"
    APPROVED = "aprobado"
    OVERDUE = "vencido"

    LABELS = {
        NO_REPORT: _("Sin reporte"),
        DRAFT: _("Borrador"),
        SUBMITTED: _("Enviado"),
        VALIDATING: _("En validación nacional"),
        RETURNED: _("Devuelto"),
        APPROVED: _("Aprobado"),
        OVERDUE: _("Vencido"),
    }


@dataclass(frozen=True)
class Status:
    key: str
    overdue: bool  # past its due date without a report sent or approved

    @property
    def label(self) -> str:
        return str(PeriodStatus.LABELS[self.key])


# Sent reports: never overdue (``selectors.REPORTED_STATUSES``, which imports this module).
SENT = (UpdateStatus.SUBMITTED, UpdateStatus.VALIDATING, UpdateStatus.APPROVED)


def period_status(update_status: str | None, due_date: dt.date, today: dt.date) -> Status:
    """One rule for the calendar and the work list. A returned report stays "devuelto" (the
    reviewer's observations are what the editor must read) and is flagged overdue when late."""
    overdue = due_date < today and update_status not in SENT
    if update_status == UpdateStatus.APPROVED:
        return Status(PeriodStatus.APPROVED, False)
    if update_status == UpdateStatus.SUBMITTED:
        return Status(PeriodStatus.SUBMITTED, False)
    if update_status == UpdateStatus.VALIDATING:
        return Status(PeriodStatus.VALIDATING, False)
    if update_status == UpdateStatus.RETURNED:
        return Status(PeriodStatus.RETURNED, overdue)
    if overdue:
        return Status(PeriodStatus.OVERDUE, True)
    if update_status == UpdateStatus.DRAFT:
        return Status(PeriodStatus.DRAFT, False)
    return Status(PeriodStatus.NO_REPORT, False)


def _current(field: str) -> Subquery:
    return Subquery(
        ProgressUpdate.objects.filter(period=OuterRef("pk"), is_current=True).values(field)[:1]
    )


def with_current_report(periods: QuerySet[ReportingPeriod]) -> QuerySet[ReportingPeriod]:
    """Each period with its current report's status, value, public key, version and evidence
    count, as subqueries (no query per row)."""
    evidence = (
        Evidence.objects.filter(update__period=OuterRef("pk"), update__is_current=True)
        .order_by()
        .values("update__period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return periods.annotate(
        current_status=_current("status"),
        current_value=_current("value"),
        current_code=_current("code"),
        current_version=_current("version"),
        evidence_count=Coalesce(Subquery(evidence[:1]), 0),
    )


def _unsent() -> Q:
    unsent = [UpdateStatus.DRAFT, UpdateStatus.RETURNED]
    return Q(current_status__isnull=True) | Q(current_status__in=unsent)


def work_conditions(today: dt.date) -> dict[str, Q]:
    """Each filter as a condition on :func:`with_current_report`'s annotations."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return {
        Work.OVERDUE: Q(due_date__lt=today) & _unsent(),
        Work.DUE_SOON: Q(due_date__gte=today, due_date__lte=soon) & _unsent(),
        Work.RETURNED: Q(current_status=UpdateStatus.RETURNED),
        Work.DRAFT: Q(current_status=UpdateStatus.DRAFT),
        # Sent and not yet final: waiting for the state's review or the national validation.
        Work.SUBMITTED: Q(current_status__in=[UpdateStatus.SUBMITTED, UpdateStatus.VALIDATING]),
    }


def pending_condition(today: dt.date) -> Q:
    conditions = work_conditions(today)
    return (
        conditions[Work.OVERDUE]
        | conditions[Work.DUE_SOON]
        | conditions[Work.RETURNED]
        | conditions[Work.DRAFT]
    )


def work_periods(scope: Scope) -> QuerySet[ReportingPeriod]:
    """Periods of the indicators a person works on: every institution for national members, their
    own institutions otherwise. Closed periods are never work."""
    periods = ReportingPeriod.objects.filter(locked=False)
    if not scope.is_national:
        periods = periods.filter(indicator__owner_id__in=scope.institution_ids())
    return with_current_report(periods)


def work_counts(periods: QuerySet[ReportingPeriod], today: dt.date) -> dict[str, int]:
    """How many periods each filter holds, plus the total pending: one query."""
    conditions = work_conditions(today)
    aggregates = {key: Count("pk", filter=condition) for key, condition in conditions.items()}
    aggregates["pending"] = Count("pk", filter=pending_condition(today))
    return periods.aggregate(**aggregates)


def work_items(
    periods: QuerySet[ReportingPeriod],
    today: dt.date,
    *,
    show: str = Work.PENDING,
    state: str | None = None,
    institution: str | None = None,
) -> QuerySet[ReportingPeriod]:
    """The rows of the work list, most urgent first (earliest due date), with what a row shows."""
    condition = work_conditions(today).get(show) or pending_condition(today)
    periods = periods.filter(condition)
    if state:
        periods = periods.filter(indicator__owner__state__code=state)
    if institution:
        periods = periods.filter(indicator__owner__slug=institution)
    return (
        periods.select_related("indicator__owner__state")
        .prefetch_related("indicator__owner__names")
        .order_by("due_date", "indicator__name", "start", "pk")
    )


def tiles(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(filter, label, count) for each count tile, in the list's order."""
    return [(key, str(Work.LABELS[key]), counts[key]) for key in Work.ORDER]


def annotate_status(rows, today: dt.date) -> list[ReportingPeriod]:
    rows = list(rows)
    for row in rows:
        row.status = period_status(row.current_status, row.due_date, today)
    return rows


# What apps above this one add ("Mis pendientes" of other things than periods).


@dataclass(frozen=True)
class RowStatus:
    """A row's status as ``_period_status.html`` prints it: ``key`` is a ``PeriodStatus`` key
    (the style: "vencido" and "devuelto" stand out), ``label`` the words."""

    key: str
    label: str
    overdue: bool = False


@dataclass(frozen=True)
class WorkRow:
    """One thing to do, linking straight to the page where it is done."""

    kind: str  # the key of the tile that counts it
    title: str
    url: str
    status: RowStatus
    date: dt.date | None = None
    date_label: str = ""  # "fecha límite", "en espera desde"…
    state: str = ""  # the state's short name
    is_synthetic: bool = False
    update_status: str = ""  # "draft" adds "con borrador guardado" to an overdue row


@dataclass(frozen=True)
class WorkTile:
    key: str  # also the anchor of its rows on the work list (``<group>-<key>``)
    label: str
    count: int
    style: str = ""  # a ``Work`` filter whose tile style it takes ("vencidos", "devueltos")
    url: str = ""  # elsewhere than its rows on the work list (e.g. the review queue)


@dataclass(frozen=True)
class WorkGroup:
    """A source's tiles and rows, shown in its own group beside the periods' tiles (its units
    are not periods, so its counts never join theirs)."""

    key: str
    title: str
    tiles: list[WorkTile]
    rows: list[WorkRow] = field(default_factory=list)
    note: str = ""  # e.g. that only the oldest rows are listed when a tile counts more

    def rows_of(self, kind: str) -> list[WorkRow]:
        return [row for row in self.rows if row.kind == kind]

    @property
    def pending(self) -> int:
        """How many things the group's rows stand for: its tiles' counts (a source may list
        only the oldest of them), never fewer than the rows listed."""
        return max(len(self.rows), sum(tile.count for tile in self.tiles if not tile.url))

    @property
    def sections(self) -> list[tuple[WorkTile, list[WorkRow]]]:
        """(tile, its rows) for each tile whose rows the work list shows."""
        return [(tile, self.rows_of(tile.key)) for tile in self.tiles if not tile.url]


WorkSource = Callable[[Scope, dt.date], "WorkGroup | None"]
_SOURCES: list[WorkSource] = []


def register_source(source: WorkSource) -> None:
    """Add ``source(scope, today)``'s group to every person's work list and home page (an app
    above this one, in ``AppConfig.ready``; registering it twice changes nothing). It returns
    ``None`` when the person has nothing of that kind to do, and reads a constant number of
    queries whatever the data."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def other_work(scope: Scope, today: dt.date) -> list[WorkGroup]:
    groups = (source(scope, today) for source in _SOURCES)
    return [group for group in groups if group is not None]
