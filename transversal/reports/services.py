"""Producing report files: directly (the management command) or as a background job (the web page).

A job is a ``ReportJob`` row (what the person follows) and a task of the queue
(``transversal.jobs``), written in one transaction: ``report_job_create`` records the request
and enqueues ``reports.tasks.report_job_task``, which a worker (``manage.py worker``) runs
through ``report_job_run``; the progress callback renews the job's heartbeat. A report may be
generated twice without harm, so a job whose worker died is queued once more
(``MAX_ATTEMPTS``) before it is marked failed. ``report_job_create`` refuses a request
(``TooManyReports``, nothing created) when the person already has
``REPORTS_MAX_ACTIVE_PER_PERSON`` jobs queued or running, or the site
``REPORTS_MAX_ACTIVE_TOTAL``. Tests run the queue with the immediate backend.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope, can_read_state, readable_states, scope_for
from transversal.audit.services import audit_record
from transversal.core.typing import Actor
from transversal.jobs import runner
from transversal.monitoring.periods import period_label
from transversal.reports.assembly import (
    Report,
    ReportError,
    build_report,
    find_state,
    parse_period,
    report_filename,
)
from transversal.reports.models import ReportFormat, ReportJob
from transversal.territory.models import State

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
ProgressCallback = Callable[[int, str], None]


class TooManyReports(Exception):
    """Over a cap of reports in preparation (``REPORTS_MAX_ACTIVE_*``): nothing was created."""


def _noop(_percent: int, _message: str) -> None:
    return None


def report_generate(
    *,
    period: str,
    state: State | None,
    fmt: str,
    output: Path,
    scope: Scope | None = None,
    progress: ProgressCallback = _noop,
) -> Report:
    """Gather the data once and write it as ``fmt`` ("pdf" or "docx") to ``output``."""
    if fmt not in ReportFormat.values:
        raise ReportError(f"Formato desconocido: «{fmt}». Use pdf o docx.")
    # Reports are Spanish documents, whatever the language of the page that asked for them.
    with translation.override("es-mx"):
        return _generate(
            period=period, state=state, fmt=fmt, output=output, scope=scope, progress=progress
        )


def _generate(*, period, state, fmt, output, scope, progress) -> Report:
    progress(10, "Reuniendo los datos…")
    report = build_report(period=period, state=state, scope=scope)
    progress(40, "Preparando gráficas y tablas…")
    # The renderers load WeasyPrint or python-docx: imported only when a report is made.
    if fmt == ReportFormat.PDF:
        from transversal.reports.pdf import render_pdf

        render_pdf(report, output)
    else:
        from transversal.reports.docx import render_docx

        render_docx(report, output)
    progress(95, "Guardando el archivo…")
    return report


# ---------------------------------------------------------------------------
# Who may ask for what
# ---------------------------------------------------------------------------


def can_request_report(scope: Scope, state: State | None) -> bool:
    """National coordinators: any state and the national report; state members: their states."""
    if state is None:
        return scope.is_national
    return can_read_state(scope, state)


def requestable_states(scope: Scope) -> list[State]:
    return list(readable_states(scope))


# ---------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------


def report_job_create(
    *, actor: Actor, state: State | None, period: str, fmt: str, run_inline: bool = False
) -> ReportJob:
    """Record the request and queue its task in one transaction; ``run_inline`` generates it
    here instead, without the queue."""
    scope = scope_for(actor)
    if not can_request_report(scope, state):
        raise PermissionDenied(_("Su rol no le permite pedir este reporte."))
    try:
        frequency_start_end = parse_period(period)
    except ReportError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if fmt not in ReportFormat.values:
        raise ValidationError({"format": _("Formato desconocido.")})

    label = period_label(frequency_start_end[0], frequency_start_end[1])
    # A dead worker's jobs are queued again or failed first (in their own transaction, kept even
    # when this request is refused): they hold a place only while they may still finish.
    runner.recover_kind(_job_kind())
    with transaction.atomic():
        _admit(actor)  # raises TooManyReports: no row, no audit event, no task
        job = ReportJob(
            requested_by=actor,
            scope=state.code if state else ReportJob.NATIONAL,
            period=label,
            format=fmt,
        )
        job.full_clean()
        job.save()
        audit_record(
            actor=actor,
            verb="report_requested",
            target=job,
            state=state,
            changes={"scope": job.scope, "period": label, "format": fmt},
        )
        if not run_inline:
            runner.job_enqueue(_job_kind(), job.pk)
    if run_inline:
        report_job_run(job.pk)
    job.refresh_from_db()  # an immediate queue (the tests') has already run it
    return job


JOB_KIND = "report"


def _job_kind() -> runner.JobKind:
    return runner.kind(JOB_KIND)


def _active_jobs():
    """Jobs queued or running: what the caps count."""
    return runner.active(ReportJob.objects.all())


def _admit(actor) -> None:
    """Refuse a request over the caps; runs inside the transaction that creates the job, with
    admissions taking turns (``runner.admission_turn``)."""
    runner.admission_turn()
    per_person, total = settings.REPORTS_MAX_ACTIVE_PER_PERSON, settings.REPORTS_MAX_ACTIVE_TOTAL
    active = _active_jobs()
    mine = active.filter(requested_by=actor).count()
    if mine >= per_person:
        raise TooManyReports(
            _(
                "Ya tiene %(n)d reportes en preparación, el máximo por persona. Espere a que "
                "termine alguno (en «Mis reportes recientes» verá su estado) y vuelva a pedirlo."
            )
            % {"n": mine}
        )
    everyone = active.count()
    if everyone >= total:
        raise TooManyReports(
            _(
                "El sistema ya está preparando %(n)d reportes, el máximo a la vez. Intente de "
                "nuevo en unos minutos."
            )
            % {"n": everyone}
        )


def report_job_run(job_id: int) -> None:
    """Generate the job's file (the task's body); every outcome ends in "done" or "failed" with
    a Spanish message, or back in the queue when the database was busy."""
    runner.job_run(
        _job_kind(),
        job_id,
        _write_report,
        done_message=_("El reporte está listo."),
    )


def _write_report(job: ReportJob, progress: runner.Progress) -> dict:
    job = ReportJob.objects.select_related("requested_by").get(pk=job.pk)
    try:
        state = None if job.is_national else find_state(job.scope)
    except ReportError as exc:
        raise runner.JobError(str(exc)) from None
    name = report_filename(state, job.period, job.format)
    with tempfile.TemporaryDirectory(prefix="transversal-report-") as folder:
        output = Path(folder) / name
        try:
            report_generate(
                period=job.period,
                state=state,
                fmt=job.format,
                output=output,
                scope=scope_for(job.requested_by),
                progress=progress,
            )
        except ReportError as exc:
            raise runner.JobError(str(exc)) from None
        with output.open("rb") as handle:
            job.file.save(name, File(handle), save=False)
    return {"file": job.file.name}


def is_stale(job: ReportJob) -> bool:
    """Running, but its worker sent no heartbeat for longer than the lease: it died."""
    return runner.stale(job)
