"""The shared machinery of background jobs: the queue, progress with a heartbeat, and recovery.

The queue is Django's tasks framework (the ``django-tasks`` backport) with its database backend
(``django-tasks-db``): a task row is written in the same transaction as the job's record, so a
request that committed is never lost, and ``manage.py worker`` (or ``db_worker``) runs it.
Tests use the immediate backend, which runs the task at once.

A job's record (``JobState``) tells the person what happens. ``job_run`` claims a queued job
(status "running", one more attempt, heartbeat now), runs the work with a progress callback
that also renews the heartbeat, and ends it "done" or "failed" with a Spanish message. A worker
killed mid-job leaves the record "running" with a heartbeat that ages: ``jobs_recover`` (run by
``manage.py worker`` at start, before admitting a new request and when the job's page polls)
queues it again while its kind allows another attempt, or marks it failed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from transversal.jobs.models import JobState, JobStatus

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Work = Callable[[Any, Progress], dict | None]

# Stored on the record and shown to the person as they are: the worker runs in the site's
# language (Spanish), so they are translated when stored.
STARTING = gettext_lazy("Iniciando…")
REQUEUED = gettext_lazy(
    "El proceso que lo preparaba se detuvo; se volvió a poner en la fila y se reanudará en "
    "cuanto haya un proceso libre."
)
LOST = gettext_lazy(
    "El proceso que lo preparaba se detuvo antes de terminar y ya no se reintentará. "
    "Pídalo de nuevo; si vuelve a ocurrir, avise a soporte."
)
INTERNAL = gettext_lazy("Falló por un error interno. Intente de nuevo o avise a soporte.")
RETRYING = gettext_lazy("La base de datos estaba ocupada; se reintentará en un momento.")


class JobError(Exception):
    """A job that cannot be done for a reason the person should read (Spanish message)."""


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its record's model, the task that runs one by primary key, and how many
    attempts it may take (1: never run twice, e.g. work that sends e-mail)."""

    name: str
    model: type[JobState]
    task: Any  # a django_tasks Task taking the record's primary key
    max_attempts: int = 1
    queryset: Callable[[], models.QuerySet] | None = None  # the kind's rows, when a model is shared

    def rows(self) -> models.QuerySet:
        return self.queryset() if self.queryset else self.model.objects.all()


_KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    """Each app registers its kinds at start-up (``AppConfig.ready``): this app sits below them."""
    _KINDS[kind.name] = kind


def registered_kinds() -> list[JobKind]:
    return list(_KINDS.values())


def kind(name: str) -> JobKind:
    return _KINDS[name]


def lease() -> dt.timedelta:
    """How long a running job may go without a heartbeat before its worker counts as dead."""
    return dt.timedelta(seconds=settings.JOBS_LEASE_SECONDS)


# --------------------------------------------------------------------------- enqueue


def job_enqueue(job_kind: JobKind, pk: int) -> None:
    """Queue the task for record ``pk``; call it inside the transaction that wrote the record,
    so both are kept or neither is."""
    job_kind.task.enqueue(pk)


# --------------------------------------------------------------------------- running


def _update(model: type[JobState], pk: int, **fields) -> int:
    return model.objects.filter(pk=pk).update(**fields)


def job_progress(model: type[JobState], pk: int, percent: int, message: str) -> None:
    """Say how far the job is; renews the heartbeat."""
    _update(
        model,
        pk,
        progress=max(0, min(int(percent), 99)),
        message=message,
        heartbeat_at=timezone.now(),
    )


def job_claim(model: type[JobState], pk: int) -> JobState | None:
    """Take a queued job: "running", one more attempt, heartbeat now. None when it is not
    queued (already done or failed, or another worker has it): the task then does nothing."""
    now = timezone.now()
    taken = (
        model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING,
            attempts=F("attempts") + 1,
            heartbeat_at=now,
            started_at=now,
            progress=1,
            message=str(STARTING),
        )
        if pk is not None
        else 0
    )
    if not taken:
        log.info("Job %s.%s is not queued; nothing to do", model._meta.label, pk)
        return None
    return model.objects.get(pk=pk)


def job_finish(model: type[JobState], pk: int, *, message: str, **fields) -> None:
    _update(
        model,
        pk,
        status=JobStatus.DONE,
        progress=100,
        message=message,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
        **fields,
    )


def job_fail(model: type[JobState], pk: int, message: str) -> None:
    _update(model, pk, status=JobStatus.FAILED, message=message, finished_at=timezone.now())


def job_run(job_kind: JobKind, pk: int, work: Work, *, done_message: str) -> None:
    """Run ``work(job, progress)`` for a queued job; it returns the fields to store on success
    (``message`` replaces ``done_message``).

    A ``JobError`` fails the job with its message; a database that stays locked puts the job
    back in the queue while attempts remain; anything else fails it with a generic message
    (the traceback goes to the log)."""
    model = job_kind.model
    job = job_claim(model, pk)
    if job is None:
        return

    def progress(percent: int, message: str) -> None:
        job_progress(model, pk, percent, message)

    try:
        fields = dict(work(job, progress) or {})
    except JobError as exc:
        job_fail(model, pk, str(exc))
    except OperationalError:
        log.exception("Job %s.%s hit a database error", model._meta.label, pk)
        if job.attempts < job_kind.max_attempts:
            with transaction.atomic():
                _update(model, pk, status=JobStatus.QUEUED, progress=0, message=str(RETRYING))
                job_enqueue(job_kind, pk)
        else:
            job_fail(model, pk, str(INTERNAL))
    except Exception:  # noqa: BLE001 - the person must learn that the job ended
        log.exception("Job %s.%s failed", model._meta.label, pk)
        job_fail(model, pk, str(INTERNAL))
    else:
        job_finish(model, pk, message=fields.pop("message", done_message), **fields)


# --------------------------------------------------------------------------- recovery


def stale(job: JobState, *, now: dt.datetime | None = None) -> bool:
    """A running job whose worker stopped sending heartbeats."""
    now = now or timezone.now()
    return (
        job.status == JobStatus.RUNNING
        and job.heartbeat_at is not None
        and now - job.heartbeat_at > lease()
    )


def recover_kind(job_kind: JobKind, *, now: dt.datetime | None = None) -> tuple[int, int]:
    """Requeue or fail this kind's running jobs whose heartbeat is older than the lease;
    returns (requeued, failed)."""
    now = now or timezone.now()
    requeued = failed = 0
    dead = (
        job_kind.rows()
        .filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - lease())
        .values_list("pk", "attempts", "heartbeat_at")
    )
    for pk, attempts, heartbeat in list(dead):
        with transaction.atomic():
            # Only if nobody touched it since we looked: two recoveries never requeue twice.
            still = job_kind.model.objects.filter(
                pk=pk, status=JobStatus.RUNNING, heartbeat_at=heartbeat
            )
            if attempts < job_kind.max_attempts:
                if still.update(
                    status=JobStatus.QUEUED, progress=0, message=str(REQUEUED), heartbeat_at=None
                ):
                    job_enqueue(job_kind, pk)
                    requeued += 1
            elif still.update(status=JobStatus.FAILED, message=str(LOST), finished_at=now):
                failed += 1
    if requeued or failed:
        log.warning(
            "Recovered %s jobs of a dead worker: %s requeued, %s failed",
            job_kind.name,
            requeued,
            failed,
        )
    return requeued, failed


def jobs_recover(*, now: dt.datetime | None = None) -> dict[str, tuple[int, int]]:
    """Recover every registered kind (the worker does it when it starts)."""
    return {job_kind.name: recover_kind(job_kind, now=now) for job_kind in registered_kinds()}


# --------------------------------------------------------------------------- caps


def active(queryset: models.QuerySet) -> models.QuerySet:
    """Jobs queued or running: what the caps count (a dead worker's jobs are recovered first)."""
    return queryset.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))


# Any constant: the key of the PostgreSQL advisory lock that makes admissions take turns.
_ADMISSION_LOCK = 0x7265706F7274


def admission_turn() -> None:
    """Inside the transaction that creates a job: admissions take turns, so that two requests
    cannot both see room for one. SQLite's immediate transactions already serialise writers;
    on PostgreSQL a transaction-scoped advisory lock does it."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADMISSION_LOCK])
