"""Large register imports: the preview stays as it is; confirming queues a job that the worker
writes in one transaction with the same checks, and the person follows it to the register's
list. Same threshold and caps as the progress import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from transversal.audit.models import AuditEvent
from transversal.jobs.models import Job, JobKind, JobStatus
from transversal.jobs.tests.worker import run_worker
from transversal.registers import jobs as register_jobs
from transversal.registers.models import ServiceCount
from transversal.registers.tests.test_import import municipalities, service_row
from transversal.registers.tests.test_import_views import preview_of
from transversal.registers.views_import import SESSION_KEY

pytestmark = pytest.mark.django_db
municipalities = municipalities  # the catalogue fixture (autouse where it is defined)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROWS = [service_row(**{"Municipio (clave INEGI)": code}) for code in ("10005", "10007")]


@pytest.fixture(autouse=True)
def small_threshold(settings, monkeypatch):
    """Two rows count as a large import here; tasks wait in the database for the worker."""
    monkeypatch.setattr(register_jobs, "QUEUE_ABOVE_ROWS", 1)
    settings.TASKS = DATABASE_QUEUE


def _poll(client, job):
    return client.get(
        reverse("jobs:detail", args=[job.code]), headers={"HX-Request": "true"}
    ).content.decode()


def test_confirming_a_large_import_queues_a_job_that_the_worker_writes(
    client_for, editor, durango, monkeypatch
):
    client = client_for(editor)
    preview = preview_of(client, durango, ROWS)
    page = client.get(preview).content.decode()
    assert "se guardarán en segundo plano" in page, "the preview says what confirming does"

    queued = client.post(preview + "confirmar/")

    job = Job.objects.get()
    assert queued.status_code == 302 and queued.url == reverse("jobs:detail", args=[job.code])
    assert job.kind == JobKind.REGISTER_IMPORT and job.status == JobStatus.QUEUED
    assert not ServiceCount.objects.exists(), "nothing is written before the worker runs"
    assert SESSION_KEY not in client.session
    waiting = _poll(client, job)
    assert 'hx-trigger="every 1s"' in waiting and "<progress" in waiting

    run_worker(monkeypatch)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert sorted(ServiceCount.objects.values_list("municipality__code", "women")) == [
        ("10005", 95),
        ("10007", 95),
    ]
    assert set(ServiceCount.objects.values_list("created_by", flat=True)) == {editor.pk}
    verbs = AuditEvent.objects.filter(actor=editor).values_list("verb", flat=True)
    assert sorted(verbs) == ["service.create", "service.create", "service.import"]
    listed = f"{reverse('registers:list', args=['service'])}?institucion={durango.slug}"
    assert job.result_url == listed and job.params["rows"] == 2
    done = _poll(client, job)
    assert "hx-trigger" not in done and "Se importaron 2 registros." in done
    assert f'href="{listed}"'.replace("&", "&amp;") in done and "Ver los registros" in done


def test_a_conflict_found_by_the_worker_writes_nothing_and_says_why(
    client_for, editor, durango, monkeypatch
):
    from transversal.registers.tests.entry_world import service
    from transversal.territory.models import Municipality

    client = client_for(editor)
    client.post(preview_of(client, durango, ROWS) + "confirmar/")
    service(
        durango,
        month=dt.date(2025, 3, 1),
        municipality=Municipality.objects.get(code="10007"),
        women=1,
        attentions=1,
    )

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Alguien capturó registros después de la vista previa" in job.message
    assert "Fila 3" in job.message and "Ya hay un registro capturado" in job.message
    assert ServiceCount.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="service.import").exists()
    assert "No se completó." in _poll(client, job)


def test_over_the_cap_nothing_is_queued_and_the_preview_stays(
    client_for, editor, durango, settings
):
    settings.JOBS_MAX_ACTIVE_PER_PERSON = 1
    Job.objects.create(kind=JobKind.SPREADSHEET_IMPORT, requested_by=editor)
    client = client_for(editor)
    preview = preview_of(client, durango, ROWS)

    refused = client.post(preview + "confirmar/")

    assert refused.status_code == 429
    assert "Ya tiene 1 trabajos en espera o en proceso" in refused.content.decode()
    assert Job.objects.count() == 1 and SESSION_KEY in client.session


def test_over_the_cap_of_everyone_nothing_is_queued(
    client_for, editor, state_admin, durango, settings
):
    settings.JOBS_MAX_ACTIVE_TOTAL = 1
    Job.objects.create(kind=JobKind.REGISTER_IMPORT, requested_by=state_admin)
    client = client_for(editor)

    refused = client.post(preview_of(client, durango, ROWS) + "confirmar/")

    assert refused.status_code == 429
    assert "El sistema ya tiene 1 trabajos en espera o en proceso" in refused.content.decode()
    assert Job.objects.count() == 1


def test_an_import_whose_worker_died_is_written_once_by_the_next_worker(
    client_for, editor, durango, monkeypatch
):
    client = client_for(editor)
    client.post(preview_of(client, durango, ROWS) + "confirmar/")
    old = timezone.now() - dt.timedelta(hours=1)
    Job.objects.update(status=JobStatus.RUNNING, attempts=1, heartbeat_at=old)

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert ServiceCount.objects.count() == 2
    assert AuditEvent.objects.filter(verb="service.import").count() == 1


def test_a_worker_that_fails_mid_import_leaves_nothing_written(
    client_for, editor, durango, monkeypatch
):
    client = client_for(editor)
    client.post(preview_of(client, durango, ROWS) + "confirmar/")

    def dies(*args, **kwargs):
        raise RuntimeError("the worker's process ends here")

    # After the entries and their events are inserted, before the import's own event.
    monkeypatch.setattr(register_jobs.importing, "audit_record", dies)
    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert not ServiceCount.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="service.").exists()


def test_someone_who_can_no_longer_edit_gets_a_failed_job_and_nothing_written(
    client_for, editor, durango, monkeypatch
):
    client = client_for(editor)
    client.post(preview_of(client, durango, ROWS) + "confirmar/")
    editor.memberships.all().delete()

    run_worker(monkeypatch)

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "Ya no puede capturar registros" in job.message
    assert not ServiceCount.objects.exists()
