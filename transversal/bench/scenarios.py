"""What the benchmark measures: the pages, exports, reports and imports people wait for.

Each scenario is prepared once (a context manager that yields the thing to time and
undoes what it set up), then run many times by :mod:`transversal.bench.runner`. Pages
go through ``django.test.Client``: the whole middleware stack, sessions and templates,
as a signed-in national coordinator (or with an API token), without a network. A
scenario that cannot run on this database raises :class:`Skip` with the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import Client

from transversal.accounts.models import Membership, Role, User
from transversal.api.services import token_create
from transversal.bench import floors
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring import periods as calendar
from transversal.monitoring import spreadsheets
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod
from transversal.reports.services import report_generate
from transversal.territory.models import State

NATIONAL_EMAIL = "coordinacion.nacional@bench.transversal.test"
STATE_CODE = "10"  # Durango: the state dashboard the issue names
REPORT_PERIOD = "2025"
IMPORT_ROWS = 10_000


class Skip(Exception):
    """The scenario cannot run here (no data, a missing system package); the message says why."""


@dataclass
class Context:
    """What every scenario shares: the national coordinator, a signed-in client, an API token."""

    user: Any
    client: Client
    token: str
    workdir: Path
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    """What one run returns beyond its time: rows produced, for throughput figures."""

    rows: int = 0


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    prepare: Callable[[Context], Any]  # a context manager factory yielding a zero-argument callable
    floor: Callable[[], Any] | None = None
    max_runs: int | None = (
        None  # slow scenarios: fewer runs, no warm-up, queries counted on the timed runs
    )
    throughput: str = ""  # "rows" when rows per second matter


def national_coordinator():
    """A national coordinator for the benchmark (admin of the institution «nacional»)."""
    national = Institution.objects.filter(slug="nacional").first()
    if national is None:
        raise Skip("no hay institución «nacional»: ejecute migrate (la crea) y generate_dataset")
    user = User.objects.filter(email=NATIONAL_EMAIL).first() or User.objects.create(
        email=NATIONAL_EMAIL, full_name="Coordinación nacional (sintético)", password="!"
    )
    Membership.objects.get_or_create(user=user, institution=national, defaults={"role": Role.ADMIN})
    return user


def make_context(workdir: Path) -> Context:
    user = national_coordinator()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    _token, secret = token_create(actor=user, name="bench")
    return Context(user=user, client=client, token=secret, workdir=workdir)


# Running a page ----------------------------------------------------------------------------


def _get(client: Client, url: str, **headers) -> Result:
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} respondió {response.status_code}")
    if response.streaming:
        rows = 0
        for chunk in response.streaming_content:
            rows += chunk.count(b"\n")
        return Result(rows=max(rows - 1, 0))  # minus the header line
    _ = response.content
    return Result()


@contextmanager
def _page(
    ctx: Context, url: str, *, api: bool = False, cold: bool = False
) -> Iterator[Callable[[], Result]]:
    """GET ``url`` once untimed (a broken page fails here), then yield the timed request. With
    ``cold``, every run first empties Django's cache: the page as the first person after a
    change sees it (header, counts and fragments recomputed), not as the cache serves it."""
    headers = {"Authorization": f"Bearer {ctx.token}"} if api else {}
    client = Client() if api else ctx.client
    _get(client, url, **headers)
    if not cold:
        yield lambda: _get(client, url, **headers)
        return

    def run() -> Result:
        cache.clear()
        return _get(client, url, **headers)

    yield run


def _bench_indicator():
    indicator = (
        Indicator.objects.filter(owner__state__code=STATE_CODE, owner__slug__startswith="bench-")
        .order_by("pk")
        .first()
        or Indicator.objects.order_by("pk").first()
    )
    if indicator is None:
        raise Skip("no hay indicadores: genere datos con generate_dataset")
    return indicator


def national_page(ctx: Context):
    return _page(ctx, "/tableros/")


def national_page_cold(ctx: Context):
    return _page(ctx, "/tableros/", cold=True)


def state_page(ctx: Context):
    return _page(ctx, f"/tableros/entidad/{STATE_CODE}/")


def state_page_cold(ctx: Context):
    return _page(ctx, f"/tableros/entidad/{STATE_CODE}/", cold=True)


def indicator_page(ctx: Context):
    return _page(ctx, f"/indicadores/{_bench_indicator().code}/")


def review_queue_page(ctx: Context):
    return _page(ctx, "/indicadores/revision/")


def review_queue_page_cold(ctx: Context):
    return _page(ctx, "/indicadores/revision/", cold=True)


def api_updates(ctx: Context):
    return _page(ctx, "/api/v1/updates?limit=50", api=True)


def api_indicators(ctx: Context):
    return _page(ctx, "/api/v1/indicators?limit=50", api=True)


def approved_csv(ctx: Context):
    return _page(ctx, "/datos/valores-aprobados.csv")


# Search --------------------------------------------------------------------------------------

SEARCH_BROAD = "indicador sintético"  # every synthetic indicator matches: ranking all of them
SEARCH_NARROW = "convenio durango"


@contextmanager
def _search(ctx: Context, query: str, *, anonymous: bool = False):
    """The results page; the index is rebuilt first (untimed), because generate_dataset writes
    in bulk, which sends none of the signals that keep it up to date."""
    from urllib.parse import urlencode

    from transversal.search.index import rebuild

    rebuild()
    url = "/buscar/?" + urlencode({"q": query})
    if anonymous:
        client = Client()
        _get(client, url)
        yield lambda: _get(client, url)
        return
    with _page(ctx, url) as run:
        yield run


def search_broad(ctx: Context):
    return _search(ctx, SEARCH_BROAD)


def search_broad_anonymous(ctx: Context):
    return _search(ctx, SEARCH_BROAD, anonymous=True)


def search_narrow(ctx: Context):
    return _search(ctx, SEARCH_NARROW)


# Reports -----------------------------------------------------------------------------------


@contextmanager
def _report(ctx: Context, fmt: str) -> Iterator[Callable[[], Result]]:
    year = _report_year()
    output = ctx.workdir / f"nacional-{year}.{fmt}"

    def run() -> Result:
        report_generate(period=year, state=None, fmt=fmt, output=output)
        if not output.exists() or output.stat().st_size == 0:
            raise RuntimeError(f"el reporte {fmt} quedó vacío")
        return Result()

    try:
        import weasyprint  # noqa: F401 - only to tell a missing package from a slow report
    except ImportError as exc:  # pragma: no cover - installed with the project
        if fmt == "pdf":
            raise Skip(f"falta WeasyPrint: {exc}") from None
    yield run


def _report_year() -> str:
    """2025 (the issue's year) when it has approved reports, else the latest year that has."""
    from django.db.models import Max

    latest = ProgressUpdate.objects.filter(
        status="approved", is_current=True, period__start__year__lte=2025
    ).aggregate(last=Max("period__start"))["last"]
    if latest is None:
        raise Skip("no hay avances aprobados: el reporte no tendría datos")
    return str(latest.year)


def report_docx(ctx: Context):
    return _report(ctx, "docx")


def report_pdf(ctx: Context):
    return _report(ctx, "pdf")


# Spreadsheet import ------------------------------------------------------------------------


@contextmanager
def xlsx_import(ctx: Context) -> Iterator[Callable[[], Result]]:
    """Validate a filled 10,000-row "Avances" sheet (what the preview does before confirming).

    The benchmark institution gets enough quarterly indicators for 10,000 rows inside a
    transaction that is rolled back at the end: the database is left as it was."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with transaction.atomic():
        institution = _import_institution()
        indicators = spreadsheets.indicator_set(institution)
        content = _filled_workbook(spreadsheets.build_workbook(indicators), IMPORT_ROWS)

        def run() -> Result:
            upload = SimpleUploadedFile("avances.xlsx", content)
            result = spreadsheets.validate_upload(
                institution, upload, "avances.xlsx", spreadsheets.UPDATES
            )
            if result.rows != IMPORT_ROWS or not result.ok:
                first = result.problems[0] if result.problems else None
                raise RuntimeError(
                    f"importación: {result.rows} filas, {len(result.problems)} problemas ({first})"
                )
            return Result(rows=result.rows)

        try:
            yield run
        finally:
            transaction.set_rollback(True)


def _import_institution():
    """A municipal institute with 417 quarterly indicators × 24 quarters (10,008 periods), no
    reports."""

    state = State.objects.filter(code=STATE_CODE).first()
    if state is None:
        raise Skip("no hay entidades federativas: ejecute migrate")
    institution = Institution.objects.create(
        slug="bench-importacion",
        kind=InstitutionKind.MUNICIPAL_IMM,
        state=state,
        legal_form="Organismo sintético",
    )
    specs = calendar.generate_periods(
        calendar.QUARTERLY, dt.date(2020, 1, 1), dt.date(2025, 12, 31)
    )
    count = -(-IMPORT_ROWS // len(specs))
    Indicator.objects.bulk_create(
        Indicator(
            owner=institution,
            name=f"Indicador de importación {n:04d} (dato sintético)",
            unit="personas",
            measure="count",
            frequency=calendar.QUARTERLY,
            direction="ascending",
            baseline_year=2019,
            baseline_value=Decimal(10),
            disaggregations=["sex"],
            is_synthetic=True,
        )
        for n in range(1, count + 1)
    )
    ReportingPeriod.objects.bulk_create(
        (
            ReportingPeriod(
                indicator=i,
                label=s.label,
                start=s.start,
                end=s.end,
                due_date=s.due_date,
                target=Decimal(100),
            )
            for i in Indicator.objects.filter(owner=institution)
            for s in specs
        ),
        batch_size=5000,
    )
    return institution


def _filled_workbook(template: bytes, rows: int) -> bytes:
    """The downloaded template with a value and its split by sex on the first ``rows`` rows."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    header = {cell.value: cell.column for cell in sheet[1]}
    value, women, men = header["Valor"], header["Sexo: Mujeres"], header["Sexo: Hombres"]
    for row in range(2, rows + 2):
        n = 40 + row % 50
        sheet.cell(row, value).value = n
        sheet.cell(row, women).value = n - n // 3
        sheet.cell(row, men).value = n // 3
    if sheet.max_row > rows + 1:
        sheet.delete_rows(rows + 2, sheet.max_row - rows - 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("national_dashboard", "Tablero nacional /tableros/", national_page, floors.national),
    Scenario(
        "national_dashboard_cold",
        "Tablero nacional, caché vacía en cada corrida",
        national_page_cold,
        floors.national,
    ),
    Scenario(
        "state_dashboard",
        f"Tablero estatal /tableros/entidad/{STATE_CODE}/",
        state_page,
        lambda: floors.state(STATE_CODE),
    ),
    Scenario(
        "state_dashboard_cold",
        "Tablero estatal, caché vacía en cada corrida",
        state_page_cold,
        lambda: floors.state(STATE_CODE),
    ),
    Scenario(
        "indicator_page",
        "Indicador /indicadores/<clave>/",
        indicator_page,
        lambda: floors.indicator(_bench_indicator().pk),
    ),
    Scenario(
        "review_queue",
        "Cola de revisión /indicadores/revision/",
        review_queue_page,
        floors.review_queue,
    ),
    Scenario(
        "review_queue_cold",
        "Cola de revisión, caché vacía en cada corrida",
        review_queue_page_cold,
        floors.review_queue,
    ),
    Scenario("api_updates", "API /api/v1/updates?limit=50", api_updates, floors.api_updates),
    Scenario(
        "api_indicators", "API /api/v1/indicators?limit=50", api_indicators, floors.api_indicators
    ),
    Scenario(
        "open_data_csv",
        "CSV /datos/valores-aprobados.csv",
        approved_csv,
        floors.approved_values_csv,
        throughput="rows",
    ),
    Scenario("search_broad", f"Buscar «{SEARCH_BROAD}» /buscar/", search_broad),
    Scenario(
        "search_broad_anonymous",
        f"Buscar «{SEARCH_BROAD}» sin sesión (solo lo público)",
        search_broad_anonymous,
    ),
    Scenario("search_narrow", f"Buscar «{SEARCH_NARROW}» /buscar/", search_narrow),
    # Reports: 3 timed runs after one warm-up (one run alone said more about the machine).
    Scenario("report_docx", f"Reporte nacional DOCX {REPORT_PERIOD}", report_docx, max_runs=3),
    Scenario("report_pdf", f"Reporte nacional PDF {REPORT_PERIOD}", report_pdf, max_runs=3),
    Scenario(
        "xlsx_import",
        f"Importación XLSX de {IMPORT_ROWS:,} filas (validación)",
        xlsx_import,
        max_runs=3,
        throughput="rows",
    ),
)
BY_NAME = {s.name: s for s in SCENARIOS}


def workdir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="transversal-bench-")
