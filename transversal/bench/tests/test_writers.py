"""The concurrent-writers benchmark (``manage.py bench_writers``): its pages mode sends a report
through the period's page as an editor does, and its clean-up leaves nothing behind. The
processes and their timing are not tested here (a test database in memory is not shared with
forked processes); the measurement itself is in docs/performance.md."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session

from transversal.accounts.models import Membership, User
from transversal.audit.models import AuditEvent
from transversal.bench import writers
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod, UpdateStatus

pytestmark = pytest.mark.django_db


def test_a_pair_through_the_page_sends_the_figure_and_the_clean_up_removes_all(durango):
    audit_before = AuditEvent.objects.count()
    (period_ids,) = writers.prepare(1)
    (editor_id,) = writers.editors(1)
    assert Membership.objects.get(user_id=editor_id).institution == durango
    client = writers._client(editor_id)
    writers._SESSIONS.append(client.session.session_key)
    period = ReportingPeriod.objects.select_related("indicator__owner").get(pk=period_ids[0])

    writers._through_the_page(client, period, Decimal("7"))

    update = ProgressUpdate.objects.get(period=period, is_current=True)
    assert update.status == UpdateStatus.SUBMITTED
    assert update.value == Decimal("7")
    assert update.submitted_by_id == editor_id

    writers.clean_up()
    assert not Indicator.objects.filter(name__startswith=writers.PREFIX).exists()
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()
    assert not User.objects.filter(pk=editor_id).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_refused_page_is_reported_not_counted(durango):
    (period_ids,) = writers.prepare(1)
    (editor_id,) = writers.editors(1)
    client = writers._client(editor_id)
    writers._SESSIONS.append(client.session.session_key)
    period = ReportingPeriod.objects.select_related("indicator__owner").get(pk=period_ids[0])
    try:
        with pytest.raises(RuntimeError, match="página del periodo respondió 200 y 200"):
            writers._through_the_page(client, period, Decimal("-1"))  # a count is never negative
        assert not ProgressUpdate.objects.filter(period=period).exists()
    finally:
        writers.clean_up()


def test_another_processs_cpu_is_read_from_proc_and_a_missing_one_is_none():
    import os
    import time

    before = writers._process_cpu(os.getpid())
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:  # burn a little CPU in this process
        pass
    after = writers._process_cpu(os.getpid())
    assert before is not None and after > before
    assert writers._process_cpu(2**22 + 1) is None  # above Linux's largest pid


def test_the_table_gives_the_cpus_busy_and_the_ceiling_they_set(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    alone = writers.WriterResult(writers=1, pairs=130, seconds=10, cpu=9.8)
    together = writers.WriterResult(writers=5, pairs=210, seconds=10, cpu=19.6)
    unknown = writers.WriterResult(writers=5, pairs=210, seconds=10, cpu=None)

    lines = writers.table([(1, alone, together), (2, alone, unknown)], 10).splitlines()

    assert lines[0] == "Pares guardar+enviar por segundo (10 s por medición; 2 CPU)"
    assert lines[4] == "| 1 | 13.0 | 21.0 | 5 | 1.62 | 0.98 · 1.96 | 2.04× |"
    assert lines[5] == "| 2 | 13.0 | 21.0 | 5 | 1.62 | — | — |"
