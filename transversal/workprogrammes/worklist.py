"""The yearly cycle in «Mis pendientes» (``monitoring.worklist``, below this app: registered at
start-up with ``register_source``).

- The state's editors and admins: quarterly reports of a validated programme or one in
  execution not sent yet (none or a draft) that are overdue or due within the work list's 30
  days, a programme observed waiting for their correction and a quarterly report observed.
- The national validators (reviewers and admins of the national institution): programmes
  proposed or corrected waiting for their decision, quarterly reports sent waiting to be
  received, and the goal figures waiting for the national validation (counted; the review
  queue's "Por validar (nacional)" tab lists them).

Each row links to the page where the thing is done. Reads only: at most five queries whatever
the number of programmes and reports. The group shows to editors only while their institution
has a programme not closed, so editors of other institutions see no empty tiles.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.accounts.models import Role
from transversal.monitoring import queue
from transversal.monitoring.worklist import (
    DUE_SOON_DAYS,
    PeriodStatus,
    RowStatus,
    Work,
    WorkGroup,
    WorkRow,
    WorkTile,
)
from transversal.workprogrammes.access import is_validator
from transversal.workprogrammes.models import (
    AWAITING_NATIONAL,
    EXECUTION_STAGES,
    QUARTERS,
    QuarterlyReport,
    ReportStatus,
    Stage,
    WorkProgramme,
)

GROUP = "programa"  # the group's anchor on the work list
EDIT_ROLES = (Role.ADMIN, Role.EDITOR)


class Kind:
    """The group's tiles (and the anchors of their rows on the work list)."""

    OVERDUE = "informes-vencidos"
    DUE_SOON = "informes-proximos"
    OBSERVED = "observados"
    TO_DECIDE = "por-validar"
    TO_RECEIVE = "por-recibir"
    FIGURES = "cifras-por-validar"


def _day(moment: dt.datetime | None) -> dt.date | None:
    """The calendar day of a timestamp where the people are (an evening in Mexico is already
    the next day in UTC)."""
    return timezone.localtime(moment).date() if moment is not None else None


def _programme_url(programme: WorkProgramme, anchor: str = "") -> str:
    url = reverse("workprogrammes:programme", args=[programme.code])
    return f"{url}#{anchor}" if anchor else url


def _report_url(programme: WorkProgramme, quarter: int) -> str:
    return reverse("workprogrammes:report", args=[programme.code, quarter])


def _report_title(programme: WorkProgramme, quarter: int) -> str:
    return _("Informe del trimestre %(q)s · programa de trabajo %(year)s") % {
        "q": quarter,
        "year": programme.year,
    }


def _unsent_status(report: QuarterlyReport | None, overdue: bool) -> RowStatus:
    """The words and style of a period's row: overdue, or without report, or a draft."""
    if overdue:
        return RowStatus(PeriodStatus.OVERDUE, str(PeriodStatus.LABELS[PeriodStatus.OVERDUE]), True)
    if report is not None:
        return RowStatus(PeriodStatus.DRAFT, str(PeriodStatus.LABELS[PeriodStatus.DRAFT]))
    return RowStatus(PeriodStatus.NO_REPORT, _("Sin informe"))


def _editor_rows(institution_ids: list[int], today: dt.date) -> list[WorkRow] | None:
    """Two queries: the programmes not closed and their reports. None when the person writes
    no open programme (an editor of another kind of institution, or a state between years)."""
    programmes = (
        WorkProgramme.objects.filter(agreement__state_institution_id__in=institution_ids)
        .exclude(stage=Stage.CLOSED)
        .select_related("agreement__state")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=QuarterlyReport.objects.only(
                    "pk", "programme_id", "quarter", "status", "reviewed_at"
                ),
            )
        )
        .order_by("year", "agreement__state__code", "pk")
    )
    programmes = list(programmes)
    if not programmes:
        return None
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = []
    for programme in programmes:
        if programme.stage not in (*EXECUTION_STAGES, Stage.OBSERVED):
            continue
        common = {
            "state": programme.agreement.state.short_name,
            "is_synthetic": programme.is_synthetic,
        }
        if programme.stage == Stage.OBSERVED:
            rows.append(
                WorkRow(
                    kind=Kind.OBSERVED,
                    title=_("Programa de trabajo %(year)s: envíe la corrección")
                    % {"year": programme.year},
                    url=_programme_url(programme, "observaciones"),
                    status=RowStatus(PeriodStatus.RETURNED, str(Stage.OBSERVED.label)),
                    date=_day(programme.stage_changed_at),
                    date_label=_("observado el"),
                    **common,
                )
            )
            continue
        reports = {report.quarter: report for report in programme.reports.all()}
        for quarter in QUARTERS:
            report = reports.get(quarter)
            due = programme.report_due_date(quarter)
            if report is not None and report.status == ReportStatus.OBSERVED:
                rows.append(
                    WorkRow(
                        kind=Kind.OBSERVED,
                        title=_report_title(programme, quarter),
                        url=_report_url(programme, quarter),
                        status=RowStatus(PeriodStatus.RETURNED, str(ReportStatus.OBSERVED.label)),
                        date=due,
                        date_label=_("fecha límite"),
                        **common,
                    )
                )
                continue
            unsent = report is None or report.status == ReportStatus.DRAFT
            if not unsent or due > horizon:
                continue
            overdue = due < today
            rows.append(
                WorkRow(
                    kind=Kind.OVERDUE if overdue else Kind.DUE_SOON,
                    title=_report_title(programme, quarter),
                    url=_report_url(programme, quarter),
                    status=_unsent_status(report, overdue),
                    date=due,
                    date_label=_("fecha límite"),
                    update_status="draft" if report is not None else "",
                    **common,
                )
            )
    return rows


def _validator_rows() -> list[WorkRow]:
    """Two queries: the programmes waiting for a decision and the reports sent."""
    rows = []
    waiting = (
        WorkProgramme.objects.filter(stage__in=AWAITING_NATIONAL)
        .select_related("agreement__state")
        .order_by("stage_changed_at", "pk")
    )
    for programme in waiting:
        rows.append(
            WorkRow(
                kind=Kind.TO_DECIDE,
                title=_("Programa de trabajo %(year)s: obsérvelo o valídelo")
                % {"year": programme.year},
                url=_programme_url(programme, "observaciones"),
                status=RowStatus(PeriodStatus.SUBMITTED, programme.get_stage_display()),
                date=_day(programme.stage_changed_at),
                date_label=_("en espera desde"),
                state=programme.agreement.state.short_name,
                is_synthetic=programme.is_synthetic,
            )
        )
    sent = (
        QuarterlyReport.objects.filter(status=ReportStatus.SENT)
        .select_related("programme__agreement__state")
        .order_by("sent_at", "pk")
    )
    for report in sent:
        programme = report.programme
        rows.append(
            WorkRow(
                kind=Kind.TO_RECEIVE,
                title=_report_title(programme, report.quarter),
                url=_report_url(programme, report.quarter),
                status=RowStatus(PeriodStatus.SUBMITTED, str(ReportStatus.SENT.label)),
                date=_day(report.sent_at),
                date_label=_("enviado el"),
                state=programme.agreement.state.short_name,
                is_synthetic=programme.is_synthetic,
            )
        )
    return rows


def work(scope: Scope, today: dt.date) -> WorkGroup | None:
    """The person's group of the yearly cycle, or None when they neither write a state's
    programme nor validate nationally."""
    editing = sorted(pk for pk, role in scope.roles.items() if role in EDIT_ROLES)
    validator = is_validator(scope)
    own = _editor_rows(editing, today) if editing else None
    if own is None and not validator:
        return None
    rows = own or []
    tiles = []
    if own is not None:
        tiles += [
            WorkTile(Kind.OVERDUE, _("Informes trimestrales vencidos"), 0, style=Work.OVERDUE),
            WorkTile(
                Kind.DUE_SOON, _("Informes que vencen en los próximos 30 días"), 0, Work.DUE_SOON
            ),
            WorkTile(
                Kind.OBSERVED, _("Programa o informes observados: corregir"), 0, Work.RETURNED
            ),
        ]
    if validator:
        rows += _validator_rows()
        tiles += [
            WorkTile(Kind.TO_DECIDE, _("Programas por validar"), 0),
            WorkTile(Kind.TO_RECEIVE, _("Informes trimestrales por recibir"), 0),
            WorkTile(
                Kind.FIGURES,
                _("Cifras de metas por validar (nacional)"),
                queue.validating_updates(scope).count(),
                url=f"{reverse('monitoring:review_queue')}?etapa={queue.VALIDATE_STAGE}",
            ),
        ]
    rows.sort(key=lambda row: (row.date or dt.date.max, row.state, row.title))
    counted = [
        tile if tile.url else WorkTile(tile.key, tile.label, _count(rows, tile.key), tile.style)
        for tile in tiles
    ]
    return WorkGroup(GROUP, _("Programa de trabajo"), counted, rows)


def _count(rows: list[WorkRow], kind: str) -> int:
    return sum(row.kind == kind for row in rows)
