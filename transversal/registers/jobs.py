"""Large register imports run as background jobs (``transversal.jobs``), as the progress
import's do (``monitoring.spreadsheets.jobs``): same threshold, same caps.

Confirming an import of more than ``QUEUE_ABOVE_ROWS`` rows records a ``Job`` with the
validated rows and queues ``register_import_task`` in the same transaction. The worker writes
them with ``importing.import_confirm`` (one transaction, the same checks as a confirmation on
the page) and marks the job done inside that transaction: a worker that dies mid-import leaves
nothing written, and the job is queued again once. The person follows the job's page and then
reaches the register's list.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from transversal.accounts.access import EDIT, get_institution_for_user
from transversal.jobs import runner
from transversal.jobs.models import Job, JobKind
from transversal.monitoring.spreadsheets.jobs import QUEUE_ABOVE_ROWS, TooManyJobs, job_admit
from transversal.registers import importing
from transversal.registers.models import REGISTER_MODELS

__all__ = ["QUEUE_ABOVE_ROWS", "TooManyJobs", "register_import_enqueue"]

# The rows are written in one transaction, so a worker that died wrote nothing: one more try.
MAX_ATTEMPTS = 2
# Problems of a failed job named in its message.
PROBLEMS_SHOWN = 5


def result_url(register: str, institution) -> str:
    """The register's list, filtered to the institution."""
    return f"{reverse('registers:list', args=[register])}?institucion={institution.slug}"


def done_message(count: int) -> str:
    return ngettext("Se importó %(n)s registro.", "Se importaron %(n)s registros.", count) % {
        "n": count
    }


def register_import_enqueue(
    *, actor, register: str, institution, rows: list, filename: str, back_url: str = ""
) -> Job:
    """Record the import as a job and queue it, in one transaction; ``TooManyJobs`` creates
    nothing. ``rows`` are the preview's, packed (``importing.pack_rows``); the worker checks
    them again against the entries recorded meanwhile."""
    runner.recover_kind(_job_kind())
    name = institution.current_name
    plural = REGISTER_MODELS[register]._meta.verbose_name_plural
    with transaction.atomic():
        job_admit(actor)
        job = Job(
            kind=JobKind.REGISTER_IMPORT,
            requested_by=actor,
            title=_("Importación de %(what)s de «%(file)s» (%(institution)s)")
            % {
                "what": plural,
                "file": filename[:80],
                "institution": (name.acronym or name.name) if name else institution.slug,
            },
            params={
                "register": register,
                "institution": institution.slug,
                "filename": filename,
                "rows": rows,
                "back_url": back_url,
            },
            message=_("En espera: %(n)s filas por guardar.") % {"n": len(rows)},
        )
        job.full_clean()
        job.save()
        runner.job_enqueue(_job_kind(), job.pk)
    job.refresh_from_db()  # an immediate queue (the tests') has already run it
    return job


def register_import_run(job_id: int) -> None:
    """The task's body: write the job's rows, or fail it with the problems found."""
    runner.job_run(_job_kind(), job_id, _apply, done_message="")


def _apply(job: Job, progress: runner.Progress) -> dict:
    params = job.params
    register = params["register"]
    try:
        institution, _scope = get_institution_for_user(
            job.requested_by, params["institution"], EDIT
        )
    except (Http404, PermissionDenied):
        raise runner.JobError(
            _("Ya no puede capturar registros de esa institución; no se guardó nada.")
        ) from None
    rows = importing.unpack_rows(register, params["rows"])
    progress(10, _("Guardando %(n)s filas…") % {"n": len(rows)})
    try:
        with transaction.atomic():
            count = importing.import_confirm(
                actor=job.requested_by,
                register=register,
                institution=institution,
                rows=rows,
                filename=params["filename"],
            )
            fields = {
                "result": {"count": count, "link": _("Ver los registros")},
                "result_url": result_url(register, institution),
                # The rows are written: keep what was asked, not the rows again.
                "params": {**params, "rows": len(rows)},
            }
            # Done in the import's own transaction: written once, or not at all.
            runner.job_finish(Job, job.pk, message=done_message(count), **fields)
    except importing.ImportFailed as exc:
        raise runner.JobError(_failure(exc)) from None
    return {**fields, "message": done_message(count)}


def _failure(exc: importing.ImportFailed) -> str:
    lead = (
        _("Alguien capturó registros después de la vista previa; no se guardó nada.")
        if exc.conflict
        else _("No se guardó nada.")
    )
    problems = [str(problem) for problem in exc.problems[:PROBLEMS_SHOWN]]
    return " ".join([lead, *problems])


@task()
def register_import_task(job_id: int) -> None:
    register_import_run(job_id)


def _rows():
    return Job.objects.filter(kind=JobKind.REGISTER_IMPORT)


def _job_kind() -> runner.JobKind:
    return runner.kind(JobKind.REGISTER_IMPORT)


def register_job_kind() -> None:
    """Called by the registers app at start-up (the jobs app sits below it)."""
    runner.register_kind(
        runner.JobKind(
            name=JobKind.REGISTER_IMPORT,
            model=Job,
            task=register_import_task,
            max_attempts=MAX_ATTEMPTS,
            queryset=_rows,
        )
    )
