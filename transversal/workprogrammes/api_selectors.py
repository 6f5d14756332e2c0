"""Reads for the outputs of the yearly cycle beyond the pages: the REST API and the open data.

The API is tenant data: what ``access.readable_programmes`` lets the caller read (their state's
programmes; every one for the national institution), with the figures of a list computed in the
query (sums and counts by correlated subqueries), so a page of any length costs the same number
of queries. The open data publishes the programmes past elaboration of published convenios as
figures: per source the resources approved, in force and exercised, each goal's progress
scheduled and achieved. Exercised amounts and achieved progress come from the quarterly reports
the state sent (a draft counts for nothing). Neither output reads a person: who observed,
answered, sent, reviewed, uploaded or closed stays on the pages.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from transversal.agreements.models import PUBLIC_STATUSES
from transversal.workprogrammes.models import (
    QUARTERS,
    SENT_STATUSES,
    SOURCES,
    ClosingDocument,
    Observation,
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Stage,
    WorkProgramme,
)

MONEY = DecimalField(max_digits=16, decimal_places=2)
PERCENT = DecimalField(max_digits=7, decimal_places=1)


def _sum(queryset: QuerySet, group: str, expression) -> Coalesce:
    """``expression`` summed over the rows of a correlated ``queryset`` (0 when none)."""
    summed = queryset.order_by().values(group).annotate(s=Sum(expression)).values("s")
    return Coalesce(Subquery(summed, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def _count(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def in_force(source: str):
    """The amount that counts (``ProgrammeLine.in_force``) as a column expression."""
    return Coalesce(F(f"{source}_modified"), F(f"{source}_approved"), output_field=MONEY)


def with_figures(programmes: QuerySet[WorkProgramme]) -> QuerySet[WorkProgramme]:
    """Programmes with their goals, reports and open observations counted and, per source,
    ``<source>_approved_total``, ``<source>_in_force_total`` and ``<source>_exercised_total``
    (the reports sent), in the programmes' one query."""
    lines = ProgrammeLine.objects.filter(programme=OuterRef("pk"))
    reports = QuarterlyReport.objects.filter(programme=OuterRef("pk"))
    exercised = ReportLine.objects.filter(
        report__programme=OuterRef("pk"), report__status__in=SENT_STATUSES
    )
    sums = {}
    for source in SOURCES:
        sums[f"{source}_approved_total"] = _sum(lines, "programme", F(f"{source}_approved"))
        sums[f"{source}_in_force_total"] = _sum(lines, "programme", in_force(source))
        sums[f"{source}_exercised_total"] = _sum(
            exercised, "report__programme", F(f"{source}_exercised")
        )
    return programmes.annotate(
        goal_count=_count(lines, "programme"),
        reports_sent=_count(reports.filter(status__in=SENT_STATUSES), "programme"),
        reports_received=_count(reports.filter(status=ReportStatus.ACKNOWLEDGED), "programme"),
        open_observations=_count(
            Observation.objects.filter(programme=OuterRef("pk"), answered_at__isnull=True),
            "programme",
        ),
        **sums,
    )


def _line_figures(lines: QuerySet[ProgrammeLine]) -> QuerySet[ProgrammeLine]:
    """Lines with ``achieved_q<n>``, the progress recorded when the quarter's report was sent
    (NULL while it is not), ``validated_q<n>``, the validated progress recorded when it was
    received, and ``<source>_exercised_total`` over the reports sent."""
    sent = ReportLine.objects.filter(line=OuterRef("pk"), report__status__in=SENT_STATUSES)
    achieved = {
        f"achieved_q{quarter}": Subquery(
            sent.filter(report__quarter=quarter).values("achieved")[:1], output_field=PERCENT
        )
        for quarter in QUARTERS
    }
    # Only validated figures are public: the progress recorded when the national institution
    # received the quarter's report, with the figures it had validated by then.
    received = sent.filter(report__status=ReportStatus.ACKNOWLEDGED)
    validated = {
        f"validated_q{quarter}": Subquery(
            received.filter(report__quarter=quarter).values("validated")[:1], output_field=PERCENT
        )
        for quarter in QUARTERS
    }
    exercised = {
        f"{source}_exercised_total": _sum(sent, "line", F(f"{source}_exercised"))
        for source in SOURCES
    }
    return lines.annotate(**achieved, **validated, **exercised)


def with_detail(programmes: QuerySet[WorkProgramme]) -> QuerySet[WorkProgramme]:
    """The programme's figures and everything its detail lists: lines with their goals and
    figures, reports, observations with their goal and quarter, closing documents (four
    prefetch queries)."""
    return with_figures(programmes).prefetch_related(
        Prefetch(
            "lines",
            queryset=_line_figures(ProgrammeLine.objects.select_related("goal")).order_by(
                "goal__number", "pk"
            ),
        ),
        Prefetch("reports", queryset=QuarterlyReport.objects.order_by("quarter", "pk")),
        Prefetch(
            "observations",
            queryset=Observation.objects.select_related("line__goal", "report").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch(
            "closing_documents",
            queryset=ClosingDocument.objects.order_by("created_at", "pk"),
        ),
    )


def published_programme(prefix: str = "") -> Q:
    """Past elaboration (proposed or later) and of a convenio the public may see."""
    return ~Q(**{f"{prefix}stage": Stage.DRAFT}) & Q(
        **{f"{prefix}agreement__status__in": PUBLIC_STATUSES}
    )


def published_programmes() -> QuerySet[WorkProgramme]:
    return (
        with_figures(WorkProgramme.objects.filter(published_programme()))
        .select_related("agreement__state")
        .order_by("agreement__state__code", "-year", "agreement__code", "pk")
    )


def published_lines() -> QuerySet[ProgrammeLine]:
    return (
        _line_figures(ProgrammeLine.objects.filter(published_programme("programme__")))
        .select_related("programme__agreement__state", "goal")
        .order_by(
            "programme__agreement__state__code",
            "-programme__year",
            "programme__agreement__code",
            "programme_id",
            "goal__number",
            "pk",
        )
    )
