"""Concurrent writers: how many "save and send to review" pairs per second one editor reaches
alone, and N editors together, each in their own process with their own database connection,
all in the same state (they share its workload row, the contended one).

Each writer reports on its own indicators' past periods through the real service
(``update_save_and_submit``: save, checks, audit events, workload counts), so what is measured
is the write path people use, without the HTTP layer. With ``pages`` each writer is an editor
going through the period's page as a person does (open it, "Guardar y enviar a revisión", see
the page it leads to), in Django's test client: middleware, session, form, template and the
service, with only the service's transaction holding the database's write lock. Everything it
creates is removed at the end (the indicators, their periods, reports and audit events, and the
editors with their sessions).
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
EDITOR_EMAIL = "escritura.{n}@bench.transversal.test"
_SESSIONS: list[str] = []  # the pages mode's sessions, removed by clean_up


@dataclass(frozen=True)
class WriterResult:
    writers: int
    pairs: int
    seconds: float
    # CPU seconds the writers and their PostgreSQL backends used while measured (None when a
    # backend's could not be read: a server on another machine).
    cpu: float | None = None

    @property
    def rate(self) -> float:
        return self.pairs / self.seconds if self.seconds else 0.0

    @property
    def cores(self) -> float | None:
        """How many CPUs the writers kept busy on average."""
        return self.cpu / self.seconds if self.cpu is not None and self.seconds else None


def _backend_pid() -> int | None:
    """The PostgreSQL backend process serving this connection (None on SQLite, which runs in the
    writer's own process and is counted with it)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of another process on this machine, from /proc (None when it
    cannot be read)."""
    import os

    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _CpuClock:
    """This process's CPU time plus its database backend's, read at the start and the end."""

    def __init__(self) -> None:
        self.backend = _backend_pid()
        self.start = self._now()

    def _now(self) -> float | None:
        own = time.process_time()
        if self.backend is None:
            return own
        backend = _process_cpu(self.backend)
        return None if backend is None else own + backend

    def used(self) -> float | None:
        end = self._now()
        return None if end is None or self.start is None else end - self.start


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


def _write(period_ids: list[int], seconds: float, start_at: float, queue, editor_id=None):
    """One writer's loop; puts (pairs, session key, error) on ``queue`` whatever happens, so the
    parent never waits for a writer that failed."""
    from transversal.monitoring.models import ReportingPeriod
    from transversal.monitoring.services import update_save_and_submit

    connections.close_all()  # a fresh connection in this process
    pairs, session, error, cpu = 0, None, "", None
    try:
        client = _client(editor_id) if editor_id is not None else None
        session = client.session.session_key if client is not None else None
        while time.time() < start_at:
            time.sleep(0.001)
        clock = _CpuClock()
        deadline = time.time() + seconds
        for period_id in period_ids:
            if time.time() >= deadline:
                break
            period = ReportingPeriod.objects.select_related("indicator__owner").get(pk=period_id)
            value = Decimal(pairs % 50 + 1)
            if client is None:
                update_save_and_submit(
                    actor=None, period=period, expected_version=None, value=value
                )
            else:
                _through_the_page(client, period, value)
            pairs += 1
        cpu = clock.used()
    except Exception as exc:  # reported by the parent, with the writer's count so far
        error = f"{type(exc).__name__}: {exc}"
    finally:
        queue.put((pairs, session, error, cpu))
        connections.close_all()


def _client(editor_id: int):
    """A signed-in test client for the editor (the session is written before the clock starts)."""
    from django.conf import settings
    from django.test import Client

    from transversal.accounts.models import User

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client(secure=settings.SECURE_SSL_REDIRECT)
    client.force_login(
        User.objects.get(pk=editor_id), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def _through_the_page(client, period, value: Decimal) -> None:
    """Open the period's page, save and send, and see the page the redirect leads to."""
    from django.urls import reverse

    url = reverse("monitoring:period", args=[period.indicator.code, period.label])
    opened = client.get(url)
    sent = client.post(url, {"version": "", "value": str(value), "intent": "submit"})
    if opened.status_code != 200 or sent.status_code != 302:
        raise RuntimeError(
            f"la página del periodo respondió {opened.status_code} y {sent.status_code}: {url}"
        )
    if client.get(sent["Location"]).status_code != 200:
        raise RuntimeError(f"la página tras enviar no respondió 200: {sent['Location']}")


def editors(count: int) -> list[int]:
    """``count`` editors of the state's institute (for the pages mode)."""
    from transversal.accounts.models import Membership, Role, User

    institution = _institution()
    ids = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            email=EDITOR_EMAIL.format(n=n),
            defaults={"full_name": f"Escritura {n} (sintético)", "password": "!"},
        )
        Membership.objects.get_or_create(
            user=user, institution=institution, defaults={"role": Role.EDITOR}
        )
        ids.append(user.pk)
    return ids


def measure(
    period_ids: list[list[int]], writers: int, seconds: float, editor_ids=None
) -> WriterResult:
    """Run ``writers`` processes for ``seconds`` and count the pairs they completed (through the
    pages when ``editor_ids`` gives each writer its editor)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    connections.close_all()
    start_at = time.time() + 0.5
    processes = [
        context.Process(
            target=_write,
            args=(period_ids[n], seconds, start_at, queue, editor_ids[n] if editor_ids else None),
        )
        for n in range(writers)
    ]
    for process in processes:
        process.start()
    outcomes = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    _SESSIONS.extend(session for _pairs, session, _error, _cpu in outcomes if session)
    errors = [error for _pairs, _session, error, _cpu in outcomes if error]
    if errors:
        raise RuntimeError("Una persona no pudo escribir: " + "; ".join(errors))
    cpus = [cpu for _p, _s, _e, cpu in outcomes]
    return WriterResult(
        writers=writers,
        pairs=sum(p for p, _s, _e, _c in outcomes),
        seconds=seconds,
        cpu=None if None in cpus else sum(cpus),
    )


def clean_up() -> None:
    """Remove everything the measurement created (its indicators cascade to periods; reports
    and audit events are removed explicitly, as reports are protected)."""
    from django.contrib.contenttypes.models import ContentType

    from transversal.audit.models import AuditEvent
    from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod
    from transversal.monitoring.services import workload_refresh

    with transaction.atomic():
        indicators = Indicator.objects.filter(name__startswith=PREFIX)
        updates = ProgressUpdate.objects.filter(period__indicator__in=indicators)
        for model, keys in (
            (ProgressUpdate, updates.values_list("pk", flat=True)),
            (
                ReportingPeriod,
                ReportingPeriod.objects.filter(indicator__in=indicators).values_list(
                    "pk", flat=True
                ),
            ),
            (Indicator, indicators.values_list("pk", flat=True)),
        ):
            AuditEvent.objects.filter(
                target_type=ContentType.objects.get_for_model(model),
                target_id__in=[str(pk) for pk in keys],
            ).delete()
        updates.delete()
        indicators.delete()
        # The pages mode's editors, their memberships, sessions and audit events.
        from django.contrib.sessions.models import Session

        from transversal.accounts.models import Membership, User

        people = User.objects.filter(email__in=[EDITOR_EMAIL.format(n=n) for n in range(100)])
        Session.objects.filter(session_key__in=_SESSIONS).delete()
        _SESSIONS.clear()
        AuditEvent.objects.filter(actor__in=people).delete()
        Membership.objects.filter(user__in=people).delete()
        people.delete()
    workload_refresh()


def table(rows: list[tuple[int, WriterResult, WriterResult]], seconds: float) -> str:
    """Pairs per second alone and together, with the CPUs each kept busy (the writers and their
    database backends) and the ceiling that sets on this machine: its CPUs over the CPUs one
    writer keeps busy, the most N writers could reach at the same CPU per pair."""
    import os

    cpus = os.cpu_count() or 1
    lines = [
        f"Pares guardar+enviar por segundo ({seconds:g} s por medición; {cpus} CPU)",
        "",
        "| ronda | 1 persona | N personas | N | × una persona | CPU ocupadas: 1 · N "
        "| techo de esta máquina |",
        "|---:|---:|---:|---:|---:|---|---:|",
    ]
    for number, alone, together in rows:
        ratio = together.rate / alone.rate if alone.rate else 0.0
        if alone.cores and together.cores is not None:
            busy = f"{alone.cores:.2f} · {together.cores:.2f}"
            ceiling = f"{cpus / alone.cores:.2f}×"
        else:
            busy = ceiling = "—"
        lines.append(
            f"| {number} | {alone.rate:.1f} | {together.rate:.1f} | {together.writers} "
            f"| {ratio:.2f} | {busy} | {ceiling} |"
        )
    return "\n".join(lines)
