"""Concurrent writers: how many "save and send to review" pairs per second one editor reaches
alone, and N editors together, each in their own process with their own database connection,
all in the same state (they share its workload row, the contended one).

Each writer reports on its own indicators' past periods through the real service
(``update_save_and_submit``: save, checks, audit events, workload counts), so what is measured
is the write path people use, without the HTTP layer. Everything it creates is removed at the
end (the indicators, their periods, reports and audit events).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, transaction

from transversal.institutions.models import Institution, InstitutionKind

# Enough ended periods that no writer runs out within a measurement.
PERIODS_PER_WRITER = 480
PREFIX = "Escritura concurrente (bench)"


@dataclass(frozen=True)
class WriterResult:
    writers: int
    pairs: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0


def _institution() -> Institution:
    institution = (
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF, state__isnull=False)
        .order_by("state__code", "pk")
        .first()
    )
    if institution is None:
        raise RuntimeError("No hay una instancia estatal en la base de datos: cargue datos antes.")
    return institution


def prepare(writers: int) -> list[list[int]]:
    """One monthly indicator per writer with ``PERIODS_PER_WRITER`` ended periods; returns each
    writer's period ids."""
    from transversal.monitoring.models import ReportingPeriod
    from transversal.monitoring.services import indicator_create, periods_generate

    institution = _institution()
    plan = []
    for n in range(writers):
        indicator = indicator_create(
            actor=None,
            owner=institution,
            name=f"{PREFIX} {n}",
            unit="personas",
            measure="count",
            frequency="monthly",
            direction="ascending",
            by_sex=False,
            is_synthetic=True,
        )
        start = dt.date(1970, 1, 1)
        end = dt.date(1970 + PERIODS_PER_WRITER // 12 - 1, 12, 31)
        periods_generate(actor=None, indicator=indicator, start=start, end=end)
        plan.append(
            list(
                ReportingPeriod.objects.filter(indicator=indicator)
                .order_by("start")
                .values_list("pk", flat=True)
            )
        )
    return plan


def _write(period_ids: list[int], seconds: float, start_at: float, queue) -> None:
    from transversal.monitoring.models import ReportingPeriod
    from transversal.monitoring.services import update_save_and_submit

    connections.close_all()  # a fresh connection in this process
    while time.time() < start_at:
        time.sleep(0.001)
    deadline = time.time() + seconds
    pairs = 0
    for period_id in period_ids:
        if time.time() >= deadline:
            break
        period = ReportingPeriod.objects.select_related("indicator__owner").get(pk=period_id)
        update_save_and_submit(
            actor=None, period=period, expected_version=None, value=Decimal(pairs % 50 + 1)
        )
        pairs += 1
    queue.put(pairs)
    connections.close_all()


def measure(period_ids: list[list[int]], writers: int, seconds: float) -> WriterResult:
    """Run ``writers`` processes for ``seconds`` and count the pairs they completed."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    connections.close_all()
    start_at = time.time() + 0.5
    processes = [
        context.Process(target=_write, args=(period_ids[n], seconds, start_at, queue))
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    pairs = sum(queue.get() for _ in processes)
    return WriterResult(writers=writers, pairs=pairs, seconds=seconds)


def clean_up() -> None:
    """Remove everything the measurement created (its indicators cascade to periods; reports
    and audit events are removed explicitly, as reports are protected)."""
    from django.contrib.contenttypes.models import ContentType

    from transversal.audit.models import AuditEvent
    from transversal.monitoring.models import Indicator, ProgressUpdate
    from transversal.monitoring.services import workload_refresh

    with transaction.atomic():
        indicators = Indicator.objects.filter(name__startswith=PREFIX)
        updates = ProgressUpdate.objects.filter(period__indicator__in=indicators)
        update_type = ContentType.objects.get_for_model(ProgressUpdate)
        AuditEvent.objects.filter(
            target_type=update_type,
            target_id__in=[str(pk) for pk in updates.values_list("pk", flat=True)],
        ).delete()
        updates.delete()
        indicators.delete()
    workload_refresh()


def table(rows: list[tuple[int, WriterResult, WriterResult]], seconds: float) -> str:
    lines = [
        f"Pares guardar+enviar por segundo ({seconds:g} s por medición)",
        "",
        "| ronda | 1 persona | N personas | N | × una persona |",
        "|---:|---:|---:|---:|---:|",
    ]
    for number, alone, together in rows:
        ratio = together.rate / alone.rate if alone.rate else 0.0
        lines.append(
            f"| {number} | {alone.rate:.1f} | {together.rate:.1f} | {together.writers} "
            f"| {ratio:.2f} |"
        )
    return "\n".join(lines)
