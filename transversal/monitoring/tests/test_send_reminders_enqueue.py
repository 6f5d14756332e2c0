"""send_reminders --enqueue: the reminder run as a background job; the command alone still sends
at once."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from transversal.jobs.models import Job, JobKind, JobStatus
from transversal.jobs.tests.worker import run_worker
from transversal.monitoring.models import ReminderLog
from transversal.monitoring.tests.factories import indicator_with_calendar
from transversal.monitoring.tests.test_reminders import TODAY

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def indicator(durango, editor, state_admin, monkeypatch, settings):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    settings.TASKS = DATABASE_QUEUE
    return indicator_with_calendar(durango, name="Mujeres capacitadas en igualdad sustantiva")


def test_enqueue_queues_the_run_and_the_worker_sends_it(
    indicator, django_capture_on_commit_callbacks, monkeypatch
):
    out = StringIO()
    call_command("send_reminders", "--enqueue", "--days", "7", stdout=out)

    job = Job.objects.get()
    assert job.kind == JobKind.REMINDERS and job.status == JobStatus.QUEUED
    assert job.params == {"days": 7}
    assert f"trabajo {job.code}" in out.getvalue()
    assert not ReminderLog.objects.exists() and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.message == "Recordatorios enviados: 4; ya enviados antes: 0"
    assert job.result == {"sent": 4, "already_sent": 0, "failed": 0}
    assert len(mail.outbox) == 2


def test_a_run_whose_worker_died_is_failed_not_repeated(indicator, monkeypatch):
    call_command("send_reminders", "--enqueue", stdout=StringIO())
    old = timezone.now() - dt.timedelta(hours=1)
    Job.objects.update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=old)

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "ya no se reintentará" in job.message
    assert not mail.outbox


def test_enqueue_and_dry_run_do_not_go_together(indicator):
    with pytest.raises(CommandError, match="--enqueue y --dry-run"):
        call_command("send_reminders", "--enqueue", "--dry-run")
    assert not Job.objects.exists()
