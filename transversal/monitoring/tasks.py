"""This app's background work on the queue of the jobs app (``transversal.jobs``): large
spreadsheet imports (``spreadsheets.jobs``) and the reminder run (``send_reminders --enqueue``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from transversal.jobs import runner
from transversal.jobs.models import Job, JobKind
from transversal.monitoring.reminders import DEFAULT_DAYS, reminders_send
from transversal.monitoring.services import workload_refresh
from transversal.monitoring.spreadsheets.jobs import register_job_kind as register_sheet_imports


def reminders_enqueue(*, days: int = DEFAULT_DAYS) -> Job:
    """Queue a reminder run (what ``send_reminders`` does), recorded as a ``Job``."""
    with transaction.atomic():
        job = Job(
            kind=JobKind.REMINDERS,
            title=_("Envío de recordatorios"),
            params={"days": days},
        )
        job.full_clean()
        job.save()
        runner.job_enqueue(runner.kind(JobKind.REMINDERS), job.pk)
    job.refresh_from_db()  # an immediate queue (the tests') has already run it
    return job


def reminders_run(job_id: int) -> None:
    runner.job_run(runner.kind(JobKind.REMINDERS), job_id, _send, done_message="")


def _send(job: Job, progress: runner.Progress) -> dict:
    today = timezone.localdate()
    progress(10, _("Actualizando los pendientes y vencidos…"))
    workload_refresh(today=today)
    progress(50, _("Enviando recordatorios…"))
    result = reminders_send(today=today, days=job.params.get("days", DEFAULT_DAYS))
    counts = {"sent": result.sent - result.failed, "already_sent": result.already_sent}
    counts["failed"] = result.failed
    message = _("Recordatorios enviados: %(n)s; ya enviados antes: %(m)s") % {
        "n": counts["sent"],
        "m": counts["already_sent"],
    }
    if result.failed:
        message += " " + _(
            "No se pudieron enviar %(n)s; se intentará de nuevo en la próxima ejecución."
        ) % {"n": result.failed}
    return {"message": message, "result": counts}


@task()
def reminders_task(job_id: int) -> None:
    reminders_run(job_id)


def _reminder_rows():
    return Job.objects.filter(kind=JobKind.REMINDERS)


def register_job_kinds() -> None:
    """Called at start-up by the monitoring app. A reminder run sends e-mail: a run whose
    worker died is marked failed, never repeated by the queue (the next daily run catches up:
    reminders are logged and never sent twice)."""
    register_sheet_imports()
    runner.register_kind(
        runner.JobKind(
            name=JobKind.REMINDERS,
            model=Job,
            task=reminders_task,
            max_attempts=1,
            queryset=_reminder_rows,
        )
    )
