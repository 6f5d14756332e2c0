"""Producing report files: directly (the management command) or as a background job (the web page).

Background jobs run in a daemon thread started after the request's transaction
commits. That is enough for one server and a few reports a day; a real task
queue (Celery, RQ, Django 6's tasks framework…) can replace ``_start_thread``
without touching anything else: the job row already carries the status,
progress and result the page polls. If the process dies mid-job the row stays
"running": the page says so after ``STALE_AFTER`` and the person asks again.
Because every job is a thread, ``report_job_create`` refuses a request (``TooManyReports``,
nothing created) when the person already has ``REPORTS_MAX_ACTIVE_PER_PERSON`` jobs queued or
running, or the site ``REPORTS_MAX_ACTIVE_TOTAL``; stale jobs no longer count.
Tests (and ``REPORTS_RUN_INLINE = True``) run the job synchronously.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope, can_read_state, readable_states, scope_for
from transversal.audit.services import audit_record
from transversal.core.typing import Actor
from transversal.monitoring.periods import period_label
from transversal.reports.assembly import (
    Report,
    ReportError,
    build_report,
    find_state,
    parse_period,
    report_filename,
)
from transversal.reports.models import JobStatus, ReportFormat, ReportJob
from transversal.territory.models import State

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=30)
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
    *, actor: Actor, state: State | None, period: str, fmt: str, run_inline: bool | None = None
) -> ReportJob:
    """Record the request and start generating it once the transaction commits."""
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
    with transaction.atomic():
        _admit(actor)  # raises TooManyReports: no row, no audit event, no thread
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
    inline = getattr(settings, "REPORTS_RUN_INLINE", False) if run_inline is None else run_inline
    if inline:
        report_job_run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _active_jobs():
    """Jobs queued or running that are not stale: what the caps count."""
    return ReportJob.objects.filter(
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        created_at__gt=timezone.now() - STALE_AFTER,
    )


# Any constant: the key of the PostgreSQL advisory lock that makes admissions take turns.
_ADMISSION_LOCK = 0x7265706F7274


def _admit(actor) -> None:
    """Refuse a request over the caps; runs inside the transaction that creates the job.

    Every job is a thread of the web process (until a task queue arrives), so both the
    person's and the site's reports in preparation are capped. Admissions take turns so that
    two requests cannot both see room for one: SQLite's immediate transactions already
    serialise writers; on PostgreSQL a transaction-scoped advisory lock does it."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADMISSION_LOCK])
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


def _start_thread(job_id: int) -> None:
    # Replace with a task queue's enqueue call when one is adopted (see the module docstring).
    threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"report-job-{job_id}", daemon=True
    ).start()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        report_job_run(job_id)
    finally:
        connections.close_all()


def _set(job_id: int, **fields) -> None:
    ReportJob.objects.filter(pk=job_id).update(**fields)


def report_job_run(job_id: int) -> None:
    """Generate the job's file; every outcome ends in "done" or "failed" with a Spanish message."""
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    _set(job_id, status=JobStatus.RUNNING, progress=5, message="Iniciando…")
    try:
        state = None if job.is_national else find_state(job.scope)
        name = report_filename(state, job.period, job.format)
        with tempfile.TemporaryDirectory(prefix="transversal-report-") as folder:
            output = Path(folder) / name
            report_generate(
                period=job.period,
                state=state,
                fmt=job.format,
                output=output,
                scope=scope_for(job.requested_by),
                progress=lambda percent, message: _set(job_id, progress=percent, message=message),
            )
            with output.open("rb") as handle:
                job.file.save(name, File(handle), save=False)
        _set(
            job_id,
            status=JobStatus.DONE,
            progress=100,
            message="El reporte está listo.",
            file=job.file.name,
            finished_at=timezone.now(),
        )
    except ReportError as exc:
        _set(job_id, status=JobStatus.FAILED, message=str(exc), finished_at=timezone.now())
    except Exception:  # noqa: BLE001 - the page must learn that the job ended
        log.exception("Report job %s failed", job_id)
        _set(
            job_id,
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=(
                "No se pudo generar el reporte por un error interno. Intente de nuevo o avise a "
                "soporte."
            ),
        )


def is_stale(job: ReportJob) -> bool:
    return not job.is_finished and timezone.now() - job.created_at > STALE_AFTER
