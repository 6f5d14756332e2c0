"""Large imports run as background jobs (``transversal.jobs``).

The preview stays as it is; confirming an import of more than ``QUEUE_ABOVE_ROWS`` rows records
a ``Job`` with the validated rows and queues ``sheet_import_task`` in the same transaction. The
worker applies them with ``import_apply`` (one transaction, the same conflict checks as a
confirmation on the page) and marks the job done inside that transaction, so an import is
written once or not at all: a worker that dies mid-import leaves nothing, and the job is queued
again once. The person follows the job's page and then reaches the imported drafts (or the
indicator list, for targets).
"""

from __future__ import annotations

from django.conf import settings
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
from transversal.monitoring.spreadsheets.apply import ImportFailed, import_apply
from transversal.monitoring.spreadsheets.template import TARGETS

# Imports with more rows than this run as jobs; smaller ones are applied while the person waits.
QUEUE_ABOVE_ROWS = 300
# The rows are applied in one transaction, so a worker that died wrote nothing: one more try.
MAX_ATTEMPTS = 2
# Problems of a failed job named in its message.
PROBLEMS_SHOWN = 5


class TooManyJobs(Exception):
    """Over a cap of jobs in preparation (``JOBS_MAX_ACTIVE_*``): nothing was created."""


def result_url(institution, kind: str) -> str:
    """Where the imported rows are seen: the drafts in the work list, or the indicator list."""
    if kind == TARGETS:
        return f"{reverse('monitoring:list')}?institucion={institution.slug}"
    return f"{reverse('work:list')}?ver=borradores&institucion={institution.slug}"


def done_message(kind: str, count: int) -> str:
    if kind == TARGETS:
        return ngettext("Se importó %(n)s meta.", "Se importaron %(n)s metas.", count) % {
            "n": count
        }
    return ngettext(
        "Se guardó %(n)s borrador. Revíselo en esta lista y envíelo a revisión.",
        "Se guardaron %(n)s borradores. Revíselos en esta lista, elija los que estén "
        "listos y envíelos a revisión juntos.",
        count,
    ) % {"n": count}


def job_admit(actor) -> None:
    """Room for one more job of ``actor`` under the caps, or ``TooManyJobs``; inside the
    transaction that records the job (the registers' imports take the same turn)."""
    runner.admission_turn()
    active = runner.active(Job.objects.all())
    mine = active.filter(requested_by=actor).count()
    if mine >= settings.JOBS_MAX_ACTIVE_PER_PERSON:
        raise TooManyJobs(
            _(
                "Ya tiene %(n)d trabajos en espera o en proceso, el máximo por persona. Espere "
                "a que termine alguno y vuelva a confirmar."
            )
            % {"n": mine}
        )
    everyone = active.count()
    if everyone >= settings.JOBS_MAX_ACTIVE_TOTAL:
        raise TooManyJobs(
            _(
                "El sistema ya tiene %(n)d trabajos en espera o en proceso, el máximo a la vez. "
                "Intente de nuevo en unos minutos."
            )
            % {"n": everyone}
        )


def sheet_import_enqueue(*, actor, institution, pending: dict, back_url: str = "") -> Job:
    """Record the import as a job and queue it, in one transaction; ``TooManyJobs`` creates
    nothing. The rows were validated by the preview; the worker checks conflicts again."""
    runner.recover_kind(_job_kind())
    rows = pending["rows"]
    name = institution.current_name
    with transaction.atomic():
        job_admit(actor)
        job = Job(
            kind=JobKind.SPREADSHEET_IMPORT,
            requested_by=actor,
            title=_("Importación de «%(file)s» (%(institution)s)")
            % {
                "file": pending["filename"][:80],
                "institution": (name.acronym or name.name) if name else institution.slug,
            },
            params={
                "institution": institution.slug,
                "kind": pending["kind"],
                "filename": pending["filename"],
                "rows": rows,
                "back_url": back_url,
            },
            message=_("En espera: %(n)s filas por aplicar.") % {"n": len(rows)},
        )
        job.full_clean()
        job.save()
        runner.job_enqueue(_job_kind(), job.pk)
    job.refresh_from_db()  # an immediate queue (the tests') has already run it
    return job


def sheet_import_run(job_id: int) -> None:
    """The task's body: apply the job's rows, or fail it with the problems found."""
    runner.job_run(_job_kind(), job_id, _apply, done_message="")


def _apply(job: Job, progress: runner.Progress) -> dict:
    params = job.params
    try:
        institution, _scope = get_institution_for_user(
            job.requested_by, params["institution"], EDIT
        )
    except (Http404, PermissionDenied):
        raise runner.JobError(
            _("Ya no puede editar los indicadores de esa institución; no se guardó nada.")
        ) from None
    rows = params["rows"]
    progress(10, _("Aplicando %(n)s filas…") % {"n": len(rows)})
    url = result_url(institution, params["kind"])
    try:
        with transaction.atomic():
            count = import_apply(
                actor=job.requested_by,
                institution=institution,
                kind=params["kind"],
                rows=rows,
                filename=params["filename"],
            )
            fields = {
                "result": {"count": count, "link": _link_text(params["kind"])},
                "result_url": url,
                # The rows are written: keep what was asked, not the rows again.
                "params": {**params, "rows": len(rows)},
            }
            # Done in the import's own transaction: written once, or not at all.
            runner.job_finish(Job, job.pk, message=done_message(params["kind"], count), **fields)
    except ImportFailed as exc:
        raise runner.JobError(_failure(exc)) from None
    return {**fields, "message": done_message(params["kind"], count)}


def _link_text(kind: str) -> str:
    return _("Ver las metas") if kind == TARGETS else _("Ver los borradores importados")


def _failure(exc: ImportFailed) -> str:
    lead = (
        _("Alguien cambió los datos después de la vista previa; no se guardó nada.")
        if exc.conflict
        else _("No se guardó nada.")
    )
    problems = [str(problem) for problem in exc.problems[:PROBLEMS_SHOWN]]
    return " ".join([lead, *problems])


@task()
def sheet_import_task(job_id: int) -> None:
    sheet_import_run(job_id)


def _rows():
    return Job.objects.filter(kind=JobKind.SPREADSHEET_IMPORT)


def _job_kind() -> runner.JobKind:
    return runner.kind(JobKind.SPREADSHEET_IMPORT)


def register_job_kind() -> None:
    """Called by the monitoring app at start-up (the jobs app sits below it)."""
    runner.register_kind(
        runner.JobKind(
            name=JobKind.SPREADSHEET_IMPORT,
            model=Job,
            task=sheet_import_task,
            max_attempts=MAX_ATTEMPTS,
            queryset=_rows,
        )
    )
