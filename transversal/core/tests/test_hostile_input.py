"""Hostile input against every form the application renders.

The forms are not listed here: every route of the URLconf is filled with the objects of the
isolation world (Durango and Zacatecas, public and private, isolation_world.py) and requested
by the personas who may write; each POST form found in the answers is parsed (lxml) and
attacked one field at a time while the other fields keep a valid value. So a new form is
attacked without touching this file.

For each form a *baseline* is built from the values the form itself renders (filled in by
field type where empty) and submitted first: the attack of a field only proves something when
the same form, without the hostile value, is accepted. Then, field by field:

- values that must be refused (NaN, infinity and huge numbers, impossible dates, unknown
  choices, NUL bytes, strings over the field's maximum length, and empty, oversized,
  mislabelled, executable, bidi-disguised, ZIP-bomb, scripted-PDF and polyglot files) must
  answer with a Spanish message (``role="alert"``) and change nothing: the row count of
  every table and the files under MEDIA_ROOT are compared before and after;
- values that may be accepted (HTML and script, spreadsheet formulas, bidi text, path
  traversal in a file name, very long text, malformed documents stored as evidence) must not
  break anything; where a page shows them, they appear escaped.

The forms of the convenio's yearly cycle (``programas/``) also get negative and worded amounts,
unknown keys and keys of another convenio, programme or state in every choice, and are sent,
with a valid submission, to a wrong code, quarter (0, 5, abc) or goal number: 404, nothing
written.

No answer may be a server error. Every submission runs in a savepoint that is rolled back, so
one attack never changes the next one's baseline. The counts are printed as a figure for
docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from transversal.core.access import iter_views
from transversal.core.tests.isolation_world import World, build_world, programme_years
from transversal.core.tests.test_isolation import fill, targets_for
from transversal.testing import PASSWORD, blank_pdf

# One worker builds the world once and attacks every form (--dist loadgroup); `make test-fast`
# skips it.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("hostile-input")]

# The personas whose pages carry the forms: together they may write everything in state A.
WRITERS = ("coordinator", "A editor", "A reviewer", "A admin", "anonymous")
SKIPPED_NAMESPACES = {"admin", "api"}
PAYLOAD_MARK = "qxhostil"
SCRIPT = f"\"'><script>alert('{PAYLOAD_MARK}')</script><img src=x onerror=alert(1)>"
RAW_SCRIPT = re.compile(
    r"<script>alert\('" + PAYLOAD_MARK + r"'\)</script>|<img src=x onerror", re.I
)
OVERSIZE = 21 * 1024 * 1024  # above every upload limit (evidence, plan documents, sheets)

# Forms whose baseline cannot be made valid from the page alone, with the reason. Their
# fields are still attacked for server errors and writes.
BASELINE_EXCEPTIONS: dict[str, str] = {
    "entrar/": "signing in needs a real password; accounts/tests cover a successful login",
    "mejora/hallazgos/nuevo/": (
        "its returned report and acuerdo are alternatives the page cannot pick between; "
        "improvement/tests/test_finding_form.py covers each valid submission"
    ),
}
# Tables a refused submission may still write, by route, with the reason.
WRITES_ON_REFUSAL: dict[str, set[str]] = {
    "entrar/": {
        "axes_accessattempt",
        "axes_accessfailurelog",
    },  # failed logins count for the lockout
}


@dataclass(frozen=True)
class Hostile:
    label: str
    value: object  # str, or (file name, bytes)
    must_refuse: bool


@dataclass
class Form:
    route: str  # the route pattern the form posts to
    action: str
    persona: str
    fields: list[dict]  # {"name", "kind", "value", "maxlength", "required"}
    source: str  # the page the form was found on


@dataclass
class Outcome:
    form: Form
    field: str
    hostile: Hostile
    status: int
    changed: list[str]
    alert: bool
    error: str = ""
    location: str = ""


@dataclass
class Attack:
    forms: list[Form]
    baselines_ok: dict[str, bool]
    baseline_notes: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    raw_payloads: list[str] = field(default_factory=list)
    escaped_payloads: int = 0
    stray_files: list[str] = field(default_factory=list)
    address_outcomes: list[Outcome] = field(default_factory=list)
    observatory_outcomes: list[Outcome] = field(default_factory=list)


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------


def _zip(members: dict[str, bytes], *, deflate: bool = True) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _bomb(main_part: str) -> bytes:
    """A valid OOXML container whose main part expands 20 MB of zeros: over 1,000 times its size."""
    return _zip({"[Content_Types].xml": b"<Types/>", main_part: b"\0" * (20 * 1024 * 1024)})


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="PNG")
    return out.getvalue()


def _javascript_pdf() -> bytes:
    """A PDF that runs a script when opened."""
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    writer.add_open_action(JavaScript("app.alert('hostil');"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _gif_javascript() -> bytes:
    """GIF89a/*…*/=alert(1); a GIF whose width bytes open a JavaScript comment."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="GIF")
    gif = out.getvalue()
    return gif[:6] + b"/*" + gif[8:] + b"*/=alert(document.domain);"


def _file_corpus() -> list[Hostile]:
    pdf = blank_pdf("hostil")
    return [
        Hostile("empty file", ("vacio.pdf", b""), True),
        Hostile("oversized file", ("enorme.pdf", pdf + b"%" * OVERSIZE), True),
        Hostile("PNG named .pdf", ("informe.pdf", _png()), True),
        Hostile("executable", ("reporte.pdf", b"MZ\x90\x00" + b"\x00" * 200), True),
        Hostile("bidi-disguised .exe", ("evidencia\u202efdp.exe", pdf), True),
        Hostile("HTML named .txt", ("nota.txt", b"<html><script>alert(1)</script></html>"), True),
        Hostile("ZIP bomb as DOCX", ("informe.docx", _bomb("word/document.xml")), True),
        Hostile("ZIP bomb as XLSX", ("avances.xlsx", _bomb("xl/workbook.xml")), True),
        Hostile(
            "macro-enabled DOCX",
            (
                "informe.docx",
                _zip(
                    {
                        "[Content_Types].xml": b"<Types/>",
                        "word/document.xml": b"<w/>",
                        "word/vbaProject.bin": b"\0" * 64,
                    }
                ),
            ),
            True,
        ),
        Hostile("PDF with JavaScript", ("acta.pdf", _javascript_pdf()), True),
        Hostile("GIF/JavaScript polyglot", ("foto.gif", _gif_javascript()), True),
        Hostile(
            "PDF/HTML polyglot", ("acta.pdf", b"<html><script>alert(1)</script>\n" + pdf), True
        ),
        Hostile("path traversal name", ("../../../../etc/cron.d/evidencia.pdf", pdf), False),
        Hostile("malformed PDF", ("roto.pdf", b"%PDF-1.7\n" + b"\xff\xfe basura " * 50), False),
        Hostile(
            "malformed DOCX",
            (
                "roto.docx",
                _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<<<no es xml"}),
            ),
            False,
        ),
        Hostile(
            "malformed XLSX",
            (
                "roto.xlsx",
                _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<no es xml"}),
            ),
            False,
        ),
    ]


TEXT_CORPUS = [
    Hostile("HTML and script", SCRIPT, False),
    Hostile("spreadsheet formula", '=HYPERLINK("http://ejemplo.invalid","clic")', False),
    Hostile("bidi override", "Informe \u202etxt.exe", False),
    Hostile("NUL byte", "texto\x00nulo", True),
    Hostile("very long text", "palabra " * 25_000, False),
]
NUMBER_CORPUS = [
    Hostile(v, v, True) for v in ("NaN", "Infinity", "-inf", "1e309", "9" * 400, "1e-400", "0x1A")
]
DATE_CORPUS = [
    Hostile(v, v, True) for v in ("31/02/2025", "00/00/0000", "01/01/99999", "2025-13-45", "9" * 60)
]
CHOICE_CORPUS = [
    Hostile("unknown choice", "no-existe", True),
    Hostile("SQL in a choice", "' OR '1'='1", True),
]
HIDDEN_CORPUS = [
    Hostile(f"hidden {v!r}", v, False)
    for v in ("", "NaN", "-1", "9" * 40, SCRIPT, "//ejemplo.invalid/", "https://ejemplo.invalid/")
]


def _for_reading(files: list[Hostile]) -> list[Hostile]:
    """A form that reads what it receives (plan, profile and sheet imports) must refuse every
    hostile file, malformed ones included; evidence forms store a malformed file as it is."""
    return [Hostile(h.label, h.value, True) for h in files]


def corpus_for(spec: dict, files: list[Hostile]) -> list[Hostile]:
    kind = spec["kind"]
    if kind == "file":
        return files
    if kind == "number":
        return NUMBER_CORPUS + [Hostile("HTML and script", SCRIPT, True)]
    if kind == "date":
        return DATE_CORPUS + [Hostile("HTML and script", SCRIPT, True)]
    if kind == "choice":
        return CHOICE_CORPUS
    if kind == "hidden":
        return HIDDEN_CORPUS
    if kind == "boolean":
        return [Hostile("odd checkbox value", "no-existe", False)]
    rows = list(TEXT_CORPUS)
    if spec["maxlength"]:
        rows.append(Hostile("over maxlength", "x" * (spec["maxlength"] + 1), True))
    return rows


# The convenio's yearly cycle (workprogrammes): amounts and percentages are never negative or
# words, and a choice never names an object of another convenio, programme or state
# (``cycle_foreign``: goals, commitments, convenios, assistance records, programme lines and
# periods), nor a well-formed key that does not exist.
CYCLE_PREFIX = "programas/"
CYCLE_NUMBERS = [
    Hostile("negative amount", "-1", True),
    Hostile("negative cents", "-0.01", True),
    Hostile("amount in words", "mil pesos", True),
]
UNKNOWN_KEY = Hostile("unknown key", "987654321", True)


def cycle_corpus(form: Form, spec: dict, foreign: dict[str, list[Hostile]]) -> list[Hostile]:
    if not form.route.startswith(CYCLE_PREFIX):
        return []
    if spec["kind"] == "number":
        return CYCLE_NUMBERS
    if spec["kind"] in ("choice", "boolean"):
        return [UNKNOWN_KEY, *foreign.get(spec["name"], [])]
    return []


def cycle_foreign() -> dict[str, list[Hostile]]:
    """By field name, the keys of objects the cycle's forms must refuse for Durango (state A):
    those of its draft convenio and of Zacatecas, a line of another programme, a period of
    another year or state."""
    from transversal.agreements.models import Agreement, AgreementStatus, TechnicalAssistance
    from transversal.monitoring.models import ReportingPeriod
    from transversal.workprogrammes.models import ProgrammeLine

    durango, zacatecas = "iem-durango-test", "semujer-zacatecas-test"
    own_draft = Agreement.objects.get(state_institution__slug=durango, status=AgreementStatus.DRAFT)
    theirs = Agreement.objects.exclude(status=AgreementStatus.DRAFT).get(
        state_institution__slug=zacatecas
    )
    draft_year = programme_years()["draft"]
    executing_year = programme_years()["executing"]

    def keys(label: str, *rows) -> list[Hostile]:
        return [Hostile(f"{label} ({why})", str(row.pk), True) for why, row in rows]

    goals = keys(
        "goal of another convenio",
        ("own draft convenio", own_draft.goals.get()),
        ("another state's", theirs.goals.get(number=1)),
    )
    commitments = keys(
        "commitment of another convenio",
        ("own draft convenio", own_draft.commitments.get()),
        ("another state's", theirs.commitments.get()),
    )
    return {
        "goal": goals,
        "goals": goals,
        "commitments": commitments,
        "agreement": keys(
            "convenio not open to a programme",
            ("own draft", own_draft),
            ("another state's", theirs),
        ),
        "assistance": keys(
            "assistance given to another state",
            ("another state's", TechnicalAssistance.objects.get(recipient__slug=zacatecas)),
        ),
        "line": keys(
            "goal line of another programme",
            (
                "own draft programme",
                ProgrammeLine.objects.get(
                    programme__year=draft_year,
                    programme__agreement__state_institution__slug=durango,
                ),
            ),
            (
                "another state's",
                ProgrammeLine.objects.filter(
                    programme__agreement__state_institution__slug=zacatecas
                ).first(),
            ),
        ),
        "period": keys(
            "period outside the closed year",
            (
                "own, of another year",
                ReportingPeriod.objects.get(
                    indicator__goals__agreement__state_institution__slug=durango,
                    label=f"{executing_year}-T1",
                ),
            ),
            (
                "another state's, closed",
                ReportingPeriod.objects.filter(
                    indicator__owner__slug=zacatecas, locked=True
                ).first(),
            ),
        ),
    }


UUID_IN_PATH = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def cycle_addresses(form: Form) -> list[tuple[str, str]]:
    """(label, address) for a cycle form's action with a wrong code, quarter or goal number:
    with an otherwise valid submission, each must answer 404 and write nothing."""
    if not form.route.startswith(CYCLE_PREFIX):
        return []
    path = urlsplit(form.action).path
    rows = []
    if "<uuid:code>" in form.route:
        rows += [
            ("unknown code", UUID_IN_PATH.sub("00000000-0000-4000-8000-000000000000", path, 1)),
            ("malformed code", UUID_IN_PATH.sub("no-es-una-clave", path, 1)),
        ]
    huge = "9" * 30  # beyond every integer column
    for part, values in (
        ("trimestre", ("0", "5", "abc", huge)),
        ("metas", ("0", "99", "abc", huge)),
    ):
        if f"{part}/<int:" in form.route:
            rows += [
                (f"{part} {value}", re.sub(rf"/{part}/\d+/", f"/{part}/{value}/", path))
                for value in values
            ]
    return rows


# ---------------------------------------------------------------------------
# Finding forms
# ---------------------------------------------------------------------------


def _kind(element) -> str:
    tag = element.tag
    if tag == "select":
        return "choice"
    if tag == "textarea":
        return "text"
    kind = (element.get("type") or "text").lower()
    if kind in ("checkbox", "radio"):
        return "choice"
    if kind == "number" or (element.get("inputmode") or "") in ("decimal", "numeric"):
        # A typed number (core.numbers.NumberField is a text box that reads "1,200"): a number.
        return "number"
    if kind == "date" or "dd/mm/aaaa" in (element.get("placeholder") or ""):
        return "date"
    if kind in ("file", "hidden"):
        return kind
    if kind in ("submit", "button", "reset", "image"):
        return "skip"
    return "text"


def _fields(form) -> list[dict]:
    specs: dict[str, dict] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        kind = _kind(element)
        if kind == "skip":
            continue
        spec = specs.setdefault(
            name,
            {
                "name": name,
                "kind": kind,
                "value": [],
                "options": [],
                "maxlength": int(element.get("maxlength") or 0),
                "min": element.get("min"),
                "max": element.get("max"),
                "required": element.get("required") is not None,
            },
        )
        if element.tag == "select":
            options = [o.get("value", o.text_content()) for o in element.iter("option")]
            spec["options"] = [o for o in options if o]
            selected = [
                o.get("value", o.text_content())
                for o in element.iter("option")
                if o.get("selected") is not None
            ]
            spec["value"] = [v for v in selected if v]
        elif element.tag == "textarea":
            text = element.text or ""
            spec["value"] = [
                text[1:] if text.startswith("\n") else text
            ]  # Django's leading newline
        elif kind == "choice":
            spec["checkbox"] = (element.get("type") or "").lower() == "checkbox"
            spec["options"].append(element.get("value", "on"))
            if element.get("checked") is not None:
                spec["value"].append(element.get("value", "on"))
        elif kind != "file":
            spec["value"] = [element.get("value", "")]
    for spec in specs.values():
        if spec.get("checkbox") and len(spec["options"]) == 1:
            spec["kind"] = "boolean"  # a lone checkbox: any value sent means "yes"
    return list(specs.values())


def _html(response) -> str:
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode("utf-8", "ignore")


def _in_savepoint(call):
    """Run a request and roll back whatever it wrote; the client keeps its session cookies."""
    with transaction.atomic():
        result = call()
        transaction.set_rollback(True)
    return result


def discover(world: World, clients: dict[str, Client]) -> list[Form]:
    forms: dict[tuple, Form] = {}
    for route, namespace, _callback in iter_views():
        if namespace in SKIPPED_NAMESPACES:
            continue
        rows = targets_for(route, world)
        if isinstance(rows, str):
            continue
        for target, values in rows:
            if target is not None and target.state not in ("A", None):
                continue
            url = fill(route, values)
            for persona in WRITERS:
                client = clients[persona]
                response = _in_savepoint(lambda c=client, u=url: c.get(u))
                text = _html(response) if response.status_code == 200 else ""
                if not text:
                    continue
                for form in lxml.html.fromstring(text).forms:
                    if (form.method or "GET").upper() != "POST":
                        continue
                    action = urljoin(url, form.get("action") or url)
                    try:
                        posted_route = resolve(urlsplit(action).path).route
                    except Resolver404:
                        continue
                    specs = _fields(form)
                    key = (posted_route, tuple(sorted(s["name"] for s in specs)))
                    # A cycle form with only a button (propose, remove a goal) is still
                    # sent to wrong addresses.
                    if key not in forms and (specs or posted_route.startswith(CYCLE_PREFIX)):
                        forms[key] = Form(posted_route, action, persona, specs, url)
    return list(forms.values())


# ---------------------------------------------------------------------------
# Attacking
# ---------------------------------------------------------------------------


# Values a field's type cannot suggest, by field name.
FIELD_VALUES = {
    "period": "2025-T4",
    "to_code": "1",
    "old_password": PASSWORD,
    "password": PASSWORD,
    "baseline_year": "2020",
    "url": "https://example.org/fuente.pdf",
}

PLAN_TEXT = """Programa Institucional de las Mujeres 2025-2030

Objetivo 1. Impulsar la autonomía económica de las mujeres.
Estrategia 1.1 Ampliar el acceso de las mujeres al crédito productivo.
Estrategia 1.2 Fortalecer la capacitación para el empleo.
"""
PROFILE_TEXT = """Instituto Estatal de las Mujeres

Creado por el Decreto No. 100, publicado en el Periódico Oficial del Estado el 15/03/2010.

Misión
Impulsar la igualdad sustantiva entre mujeres y hombres en el estado.

Visión
Ser la institución que guía la política de igualdad del estado.
"""


def _workbook() -> bytes:
    from transversal.institutions.models import Institution
    from transversal.monitoring.spreadsheets import build_workbook, indicator_set

    return build_workbook(indicator_set(Institution.objects.get(slug="iem-durango-test")))


# A valid file for the forms that read what they receive, by route; other forms get a PDF.
def _statistics_csv() -> bytes:
    """A tidy file of the world's context indicator (isolation_world._genderstats_objects)."""
    from transversal.genderstats.tests.factories import HEADER

    row = "aislamiento-violencia,2023,10,mujeres,,42.5,Porcentaje,fuente-aislamiento-violencia,,,"
    return f"{HEADER}\n{row}\n".encode()


def _register_workbook() -> bytes:
    """A training events' template of the world's Durango institute with one valid row: the
    import form is found on the first register's page (isolation_world: capacitación first)."""
    from openpyxl import load_workbook

    from transversal.institutions.models import Institution
    from transversal.registers.importing import data_sheet_name, template_workbook

    institution = Institution.objects.get(slug="iem-durango-test")
    workbook = load_workbook(io.BytesIO(template_workbook("training", institution)))
    sheet = workbook[data_sheet_name("training")]
    row = ["Taller de igualdad", "Igualdad sustantiva", "Población general", "Presencial", 4]
    row += ["10/03/2025", "11/03/2025", None, "Instituto Estatal de las Mujeres", 0, 5, 3, 0]
    for column, value in enumerate(row, start=1):
        sheet.cell(row=2, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BASELINE_FILES = {
    "registros/<register:register>/importar/<slug:slug>/": (
        "capacitacion.xlsx",
        _register_workbook,
    ),
    "indicadores/hojas/<slug:slug>/importar/": ("avances.xlsx", _workbook),
    "observatorio/estadisticas/importar/": ("estadisticas.csv", _statistics_csv),
    "planes/importar/": ("programa.txt", lambda: PLAN_TEXT.encode()),
    "planes/perfil/<slug:slug>/importar/": ("perfil.txt", lambda: PROFILE_TEXT.encode()),
}


def _wished_date() -> str:
    from django.utils import timezone

    return f"{timezone.localdate() + dt.timedelta(days=30):%d/%m/%Y}"


# Values a form's own page cannot suggest, by (route, field name): they win over what it renders.
ROUTE_FIELD_VALUES = {
    # This year and the world's others already have a programme (isolation_world.programme_years).
    ("programas/nuevo/", "year"): lambda: str(programme_years()["free"]),
    # A wished date of an assistance request is not before the request.
    ("programas/asistencia/nueva/", "due_date"): _wished_date,
    # A provision's key is a slug, unique in the catalogue.
    ("observatorio/armonizacion/gestion/nueva/", "slug"): lambda: "disposicion-de-prueba",
    # The statistics' sources and indicators: new keys too.
    ("observatorio/estadisticas/fuentes/nueva/", "slug"): lambda: "fuente-de-prueba",
    ("observatorio/estadisticas/fuentes/nueva/", "year"): lambda: "2021",
    ("observatorio/estadisticas/indicadores/nuevo/", "slug"): lambda: "indicador-de-prueba",
    # A services count's month (mm/aaaa), only the services register has one.
    ("registros/<register:register>/nuevo/", "month"): lambda: "04/2025",
}


def baseline_file(route: str) -> SimpleUploadedFile:
    name, make = BASELINE_FILES.get(route, ("evidencia.pdf", lambda: blank_pdf("base")))
    return SimpleUploadedFile(name, make(), "application/octet-stream")


def _number(spec: dict) -> str:
    low = int(float(spec["min"])) if spec["min"] not in (None, "") else None
    high = int(float(spec["max"])) if spec["max"] not in (None, "") else None
    if low is not None and low > 1000:  # a year
        return str(min(2025, high) if high is not None else 2025)
    return str(max(low, 1)) if low is not None else "1"


def _heuristic(spec: dict, route: str) -> list:
    kind = spec["kind"]
    if spec["name"] in FIELD_VALUES:
        return [FIELD_VALUES[spec["name"]]]
    if kind == "file":
        return [baseline_file(route)]
    if kind == "number":
        return [_number(spec)]
    if kind == "date":
        return ["15/03/2025"]
    if kind in ("choice", "boolean"):  # a lone checkbox sends its own value
        return spec["options"][:1]
    if "email" in spec["name"]:
        return ["hostil@prueba.test"]
    if "password" in spec["name"]:
        return ["Igualdad-hostil-2026"]
    return ["Texto de prueba 1"]


def _payload(form: Form, fill_all: bool, choice: tuple[str, str] | None = None) -> dict:
    data = {}
    for spec in form.fields:
        value = [v for v in spec["value"] if v.strip()]
        if not value and (fill_all or spec["required"] or spec["kind"] == "file"):
            value = _heuristic(spec, form.route)
        if (form.route, spec["name"]) in ROUTE_FIELD_VALUES:
            value = [ROUTE_FIELD_VALUES[form.route, spec["name"]]()]
        if choice and spec["name"] == choice[0]:
            value = [choice[1]]
        if spec["kind"] == "file" and not value:
            continue
        data[spec["name"]] = value if value else [""]
    return data


def table_counts() -> dict[str, int]:
    tables = sorted(
        {m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy}
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def media_files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def _submit(client: Client, form: Form, data: dict, media: Path):
    """POST in a rolled-back savepoint; return (response, changed tables and files, follow-up
    html)."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        before, files_before = table_counts(), media_files(media)
        response = client.post(form.action, data)
        after = table_counts()
        changed = [t for t in after if after[t] != before.get(t)]
        changed += [f"file:{f}" for f in media_files(media) - files_before]
        pages = [_html(response)]
        location = response.get("Location", "")
        if response.status_code in (301, 302, 303) and location.startswith("/"):
            pages.append(_html(client.get(location)))  # where a flashed message is shown
        transaction.set_rollback(True)
    client.cookies = SimpleCookie()  # the session as it was: a password change rotates it
    for key, value in cookies.items():
        client.cookies[key] = value
    return response, changed, pages


def _accepted(response, pages: list[str]) -> bool:
    """Answered without an error: a redirect or a page (a preview) with no alert."""
    return response.status_code in (200, 201, 302, 303) and not any(
        'role="alert"' in page for page in pages
    )


def _errors(pages: list[str]) -> list[str]:
    found = []
    for page in pages:
        if page:
            found += [
                " ".join(e.text_content().split())
                for e in lxml.html.fromstring(page).xpath('//*[@role="alert"]')
            ]
    return found


def _shown(data: dict) -> dict:
    return {k: [getattr(v, "name", v) for v in values] for k, values in data.items()}


def _alert(response, pages: list[str]) -> bool:
    """The refusal is explained: a form error on the page, or an error message after a redirect."""
    if response.status_code in (200, 400, 409, 413, 422):
        return 'role="alert"' in pages[0]
    return response.status_code in (302, 303) and any('role="alert"' in page for page in pages[1:])


def _baseline_candidates(form: Form):
    """What the page shows (required fields filled), then every field filled, then other options."""
    yield _payload(form, False)
    yield _payload(form, True)
    for spec in form.fields:
        if spec["kind"] == "choice":
            for option in spec["options"][1:6]:
                yield _payload(form, True, (spec["name"], option))


def attack(
    forms: list[Form],
    clients: dict[str, Client],
    media: Path,
    foreign: dict[str, list[Hostile]] | None = None,
) -> Attack:
    file_corpus = _file_corpus()
    result = Attack(forms, {})
    outside = media.parent
    outside_before = {p.name for p in outside.iterdir()}
    for form in forms:
        client = clients[form.persona]
        baseline = None
        for data in _baseline_candidates(form):
            response, _changed, pages = _submit(client, form, data, media)
            if _accepted(response, pages):
                baseline = data
                break
            result.baseline_notes[form.route] = (
                f"{response.status_code} {_errors(pages)} sent={_shown(data)}"
            )
        result.baselines_ok[form.route] = baseline is not None
        base = baseline or _payload(form, True)
        for spec in form.fields:
            for hostile in corpus_for(
                spec, _for_reading(file_corpus) if form.route in BASELINE_FILES else file_corpus
            ) + cycle_corpus(form, spec, foreign or {}):
                data = {k: v for k, v in base.items()}
                for k, v in data.items():  # fresh upload objects for every request
                    if v and hasattr(v[0], "read"):
                        data[k] = [baseline_file(form.route)]
                if spec["kind"] == "file":
                    name, content = hostile.value
                    data[spec["name"]] = [SimpleUploadedFile(name, content, "application/pdf")]
                else:
                    data[spec["name"]] = [hostile.value]
                response, changed, pages = _submit(client, form, data, media)
                error = ""
                if response.status_code >= 500 and getattr(response, "exc_info", None):
                    error = repr(response.exc_info[1])[:300]
                result.outcomes.append(
                    Outcome(
                        form,
                        spec["name"],
                        hostile,
                        response.status_code,
                        changed,
                        _alert(response, pages),
                        error,
                        response.get("Location", ""),
                    )
                )
                for page in pages:
                    if RAW_SCRIPT.search(page):
                        result.raw_payloads.append(
                            f"{form.route} {spec['name']}: {RAW_SCRIPT.search(page)[0]}"
                        )
                    if (
                        f"alert(&#x27;{PAYLOAD_MARK}&#x27;)" in page
                        or f"alert(&#39;{PAYLOAD_MARK}&#39;)" in page
                    ):
                        result.escaped_payloads += 1
        for label, address in cycle_addresses(form):
            data = {
                k: [baseline_file(form.route)] if v and hasattr(v[0], "read") else v
                for k, v in base.items()
            }
            response, changed, _pages = _submit(client, replace(form, action=address), data, media)
            result.address_outcomes.append(
                Outcome(
                    form,
                    "(address)",
                    Hostile(label, address, True),
                    response.status_code,
                    changed,
                    False,
                )
            )
    result.stray_files = sorted({p.name for p in outside.iterdir()} - outside_before)
    return result


# The statistics import reads a tidy file: rows a preview must refuse, naming the row. A refused
# file writes nothing at all: no preview record, no audit event, never a value. A file it keeps
# as text (a formula, a script) writes only its preview record and that record's audit event.
STATS_IMPORT = "observatorio/estadisticas/importar/"
STATS_ROW = "aislamiento-violencia,2023,{state},mujeres,{age},{value},Porcentaje,{source},{cv},,"
STATS_BAD_ROWS = {
    "unknown state key": {"state": "99"},
    "value NaN": {"value": "NaN"},
    "value infinity": {"value": "inf"},
    "huge value": {"value": "1e309"},
    "value in words": {"value": "cuarenta"},
    "negative coefficient of variation": {"cv": "-3"},
    "NUL byte in the age group": {"age": "15\x00-29"},
    "age group over its length": {"age": "x" * 41},
    "source of another indicator": {"source": "censo-2020"},
}
STATS_REFUSAL_WRITES: set[str] = set()
STATS_PREVIEW_WRITES = {"genderstats_statimport", "audit_auditevent"}


def _stats_file(*rows: dict) -> bytes:
    from transversal.genderstats.tests.factories import HEADER

    base = {"state": "10", "age": "", "value": "42.5", "source": "fuente-aislamiento-violencia"}
    lines = [STATS_ROW.format(**{"cv": "", **base, **row}) for row in rows]
    return "\n".join([HEADER, *lines]).encode() + b"\n"


def observatory_attack(world: World, clients: dict[str, Client], media: Path) -> list[Outcome]:
    """The statistics import with rows it must refuse (alone, and after a good row: nothing
    written, the row named), formulas it may keep as text; its confirmation and the
    harmonization decisions sent to wrong addresses (404) or to an import already applied
    (refused, no value written)."""
    import uuid

    coordinator = clients["coordinator"]
    upload = Form(STATS_IMPORT, "/" + STATS_IMPORT, "coordinator", [], "")
    outcomes = []

    def record(form, label, value, must_refuse, response, changed, pages):
        outcomes.append(
            Outcome(
                form,
                "(file)" if form.route == STATS_IMPORT else "(address)",
                Hostile(label, value, must_refuse),
                response.status_code,
                changed,
                _alert(response, pages),
                location=response.get("Location", ""),
            )
        )

    files = {label: _stats_file(row) for label, row in STATS_BAD_ROWS.items()}
    files["a good row, then a bad one"] = _stats_file({}, {"state": "99", "value": "41"})
    for label, content in files.items():
        data = {"file": [SimpleUploadedFile("estadisticas.csv", content, "text/csv")]}
        record(upload, label, content, True, *_submit(coordinator, upload, data, media))
    for label, age in (("formula", '=HYPERLINK("http://x")'), ("script", SCRIPT[:40])):
        content = _stats_file({"age": age.replace(",", " ")})
        data = {"file": [SimpleUploadedFile("estadisticas.csv", content, "text/csv")]}
        record(upload, label, content, False, *_submit(coordinator, upload, data, media))

    imports = {t.label.rsplit("-", 1)[-1]: t.values["code"] for t in world.targets["gs_import"]}
    proposal = next(t for t in world.targets["harm_proposal"] if t.state == "A")
    cell = next(t for t in world.targets["harm_cell"] if t.state == "A")
    unknown = uuid.uuid4()
    for persona, route, address, label, data in (
        ("coordinator", "importar/<uuid:code>/", f"importar/{unknown}/", "unknown import", {}),
        ("coordinator", "importar/<uuid:code>/", "importar/abc/", "malformed import", {}),
        ("A editor", "importar/<uuid:code>/", f"importar/{imports['preview']}/", "state", {}),
        (
            "coordinator",
            "propuestas/<str:code>/",
            f"propuestas/{unknown}/",
            "unknown proposal",
            {"decision": "accept"},
        ),
        (
            "A editor",
            "propuestas/<str:code>/",
            f"propuestas/{proposal.values['code']}/",
            "a state deciding its own proposal",
            {"decision": "accept"},
        ),
        ("A editor", "celdas/<str:code>/proponer/", f"celdas/{unknown}/proponer/", "cell", {}),
        ("A editor", "celdas/<str:code>/proponer/", "celdas/abc/proponer/", "malformed", {}),
        ("A editor", "celdas/<str:code>/editar/", f"celdas/{cell.values['code']}/editar/", "", {}),
    ):
        prefix = "/observatorio/" + ("estadisticas/" if "importar" in route else "armonizacion/")
        form = Form(prefix[1:] + route, prefix + address, persona, [], "")
        record(
            form,
            label or "a state editing a cell",
            address,
            True,
            *_submit(clients[persona], form, data, media),
        )
    applied = Form(
        STATS_IMPORT + "<uuid:code>/",
        f"/{STATS_IMPORT}{imports['applied']}/",
        "coordinator",
        [],
        "",
    )
    record(applied, "applied import", "", True, *_submit(coordinator, applied, {}, media))
    return outcomes


def _second_published_plan() -> None:
    """The world's two plans are already aligned; a third gives the alignment form a valid
    target."""
    from transversal.accounts.models import Role
    from transversal.institutions.models import Institution
    from transversal.planning.ingest import DraftItem, DraftPlan
    from transversal.planning.models import PlanKind
    from transversal.planning.services import plan_create_from_draft, plan_publish

    durango = Institution.objects.get(slug="iem-durango-test")
    editor = durango.memberships.get(role=Role.EDITOR).user
    plan = plan_create_from_draft(
        actor=editor,
        institution=durango,
        kind=PlanKind.STATE_EQUALITY_PROGRAM,
        title="Programa estatal de igualdad",
        draft=DraftPlan(
            "x", 2025, 2030, [DraftItem(code="1", level="objective", text="Objetivo estatal")]
        ),
    )
    plan_publish(actor=editor, plan=plan)


# Session scope: the crawl rolls its world back and returns plain data, so it is kept until
# the worker ends; a module fixture was built again whenever the worker ran another module's
# tests in between (about a minute each time).
@pytest.fixture(scope="session")
def result(django_db_setup, django_db_blocker, tmp_path_factory) -> Attack:
    from transversal.accounts.models import Role
    from transversal.institutions.models import Institution

    media = tmp_path_factory.mktemp("hostile") / "media"
    media.mkdir()
    overrides = {
        "MEDIA_ROOT": media,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "REPORTS_RUN_INLINE": False,
        "EVIDENCE_MAX_MB": 1,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    with django_db_blocker.unblock(), override_settings(**overrides), transaction.atomic():
        world = build_world()
        _second_published_plan()
        durango = Institution.objects.get(slug="iem-durango-test")
        state_admin = durango.memberships.get(role=Role.ADMIN).user
        clients = {}
        users = {p.name: p.user for p in world.personas} | {"A admin": state_admin}
        for persona in WRITERS:
            client = Client(raise_request_exception=False)
            if users.get(persona) is not None:
                client.force_login(
                    users[persona], backend="django.contrib.auth.backends.ModelBackend"
                )
            clients[persona] = client
        forms = discover(world, clients)
        outcome = attack(forms, clients, media, cycle_foreign())
        outcome.observatory_outcomes = observatory_attack(world, clients, media)
        transaction.set_rollback(True)
    return outcome


def _report(rows: list[Outcome], limit: int = 400) -> str:
    lines = [
        f"{o.form.route} [{o.field}] {o.hostile.label}: {o.status} "
        f"changed={o.changed[:4]} {o.error}"
        for o in rows[:limit]
    ]
    return "\n".join(lines) + (f"\n… and {len(rows) - limit} more" if len(rows) > limit else "")


def test_the_corpus_reaches_every_kind_of_form(result):
    kinds = {spec["kind"] for form in result.forms for spec in form.fields}
    print(
        f"\nhostile input: {len(result.forms)} forms, "
        f"{sum(len(f.fields) for f in result.forms)} fields, "
        f"{len(result.outcomes)} hostile submissions "
        f"({sum(o.hostile.must_refuse for o in result.outcomes)} that must be refused)"
    )
    assert len(result.forms) >= 30
    assert {"text", "number", "date", "choice", "boolean", "file", "hidden"} <= kinds


def test_every_baseline_is_accepted_so_refusals_mean_something(result):
    failing = sorted(
        r for r, ok in result.baselines_ok.items() if not ok and r not in BASELINE_EXCEPTIONS
    )
    assert not failing, (
        "forms whose baseline is refused (fix the heuristics or add an exception):\n"
        + "\n".join(f"{route}: {result.baseline_notes.get(route)}" for route in failing)
    )


def test_no_hostile_input_causes_a_server_error(result):
    failures = [o for o in result.outcomes if o.status >= 500]
    assert not failures, _report(failures)


def test_refused_input_gets_a_message_and_writes_nothing(result):
    failures = [
        o
        for o in result.outcomes
        if o.hostile.must_refuse
        and not o.alert
        or o.hostile.must_refuse
        and set(o.changed) - WRITES_ON_REFUSAL.get(o.form.route, set())
    ]
    assert not failures, _report(failures)


def test_html_in_any_field_is_shown_escaped(result):
    assert not result.raw_payloads, "\n".join(result.raw_payloads[:20])
    assert result.escaped_payloads > 0, "no page showed the payload, so the check could not fail"


def test_no_file_lands_outside_the_media_folder(result):
    assert not result.stray_files
    stored = {f for o in result.outcomes for f in o.changed if f.startswith("file:")}
    assert not [f for f in stored if ".." in f or "\u202e" in f]


def test_no_answer_redirects_off_the_site(result):
    offsite = [
        o for o in result.outcomes if urlsplit(o.location).netloc or urlsplit(o.location).scheme
    ]
    assert not offsite, "\n".join(
        f"{o.form.route} [{o.field}] → {o.location}" for o in offsite[:20]
    )


# Every address of the cycle that takes a POST has its form in the world; these only show one.
CYCLE_READ_ONLY = {
    "programas/",
    "programas/asistencia/",
    "programas/asistencia/<uuid:code>/",
    "programas/actas/<uuid:code>/",
    "programas/<uuid:code>/",
}
# The national validation of a goal's figure, on the report's page (monitoring).
CYCLE_MONITORING_FORMS = {
    "indicadores/avances/<uuid:code>/validar/",
    "indicadores/avances/<uuid:code>/devolver/",
}


def test_every_work_programme_form_is_attacked(result):
    expected = {
        route for route, namespace, _callback in iter_views() if namespace == "workprogrammes"
    } - CYCLE_READ_ONLY
    found = {form.route for form in result.forms}
    assert not (expected | CYCLE_MONITORING_FORMS) - found, sorted(
        (expected | CYCLE_MONITORING_FORMS) - found
    )
    labels = {(o.form.route, o.hostile.label.split(" (")[0]) for o in result.outcomes}
    assert {
        ("programas/<uuid:code>/metas/nueva/", "goal of another convenio"),
        ("programas/<uuid:code>/metas/nueva/", "negative amount"),
        ("programas/<uuid:code>/reintegro/", "negative amount"),
        ("programas/<uuid:code>/reintegro/", "amount in words"),
        ("programas/<uuid:code>/trimestre/<int:quarter>/", "negative amount"),
        ("programas/<uuid:code>/trimestre/<int:quarter>/", "NUL byte"),
        ("programas/<uuid:code>/trimestre/<int:quarter>/", "bidi override"),
        ("programas/<uuid:code>/trimestre/<int:quarter>/", "very long text"),
        ("programas/<uuid:code>/observar/", "goal line of another programme"),
        ("programas/<uuid:code>/reabrir-periodo/", "period outside the closed year"),
        ("programas/asistencia/nueva/", "goal of another convenio"),
        ("programas/asistencia/nueva/", "commitment of another convenio"),
        ("programas/asistencia/<uuid:code>/vincular/", "assistance given to another state"),
        ("programas/nuevo/", "convenio not open to a programme"),
    } <= labels


def test_work_programme_forms_sent_to_a_wrong_address_answer_404_and_write_nothing(result):
    rows = result.address_outcomes
    assert {o.hostile.label for o in rows} >= {
        "unknown code",
        "malformed code",
        "trimestre 0",
        "trimestre 5",
        "trimestre abc",
        "metas 0",
        "metas 99",
        "metas abc",
    }
    failures = [o for o in rows if o.status != 404 or o.changed]
    assert not failures, "\n".join(
        f"{o.form.route} {o.hostile.label} {o.hostile.value}: {o.status} changed={o.changed[:4]}"
        for o in failures
    )


# The national observatory (issue 18): every form of the harmonization matrix and the gender
# statistics is found and attacked; the import, its confirmation and the decisions also get
# rows and addresses of their own.
OBSERVATORY_FORMS = {
    "observatorio/armonizacion/gestion/nueva/",
    "observatorio/armonizacion/gestion/<slug:slug>/editar/",
    "observatorio/armonizacion/celdas/<str:code>/proponer/",
    "observatorio/armonizacion/celdas/<str:code>/editar/",
    "observatorio/armonizacion/propuestas/<str:code>/",
    "observatorio/estadisticas/fuentes/nueva/",
    "observatorio/estadisticas/fuentes/<slug:slug>/",
    "observatorio/estadisticas/indicadores/nuevo/",
    "observatorio/estadisticas/indicadores/<slug:slug>/",
    STATS_IMPORT,
}


def test_every_observatory_form_is_attacked_from_an_accepted_baseline(result):
    found = {form.route for form in result.forms}
    assert OBSERVATORY_FORMS <= found, sorted(OBSERVATORY_FORMS - found)
    assert all(result.baselines_ok[route] for route in OBSERVATORY_FORMS)
    attacked = {o.form.route for o in result.outcomes if o.hostile.must_refuse}
    assert OBSERVATORY_FORMS <= attacked, sorted(OBSERVATORY_FORMS - attacked)


def test_statistics_rows_that_must_be_refused_name_their_row_and_write_no_value(result):
    rows = [o for o in result.observatory_outcomes if o.form.route == STATS_IMPORT]
    assert {o.hostile.label for o in rows} >= set(STATS_BAD_ROWS) | {"a good row, then a bad one"}
    failures = [
        o
        for o in rows
        if o.status >= 500
        or set(o.changed)
        - (STATS_REFUSAL_WRITES if o.hostile.must_refuse else STATS_PREVIEW_WRITES)
        or (o.hostile.must_refuse and not o.alert)
    ]
    assert not failures, _report(failures)


def test_observatory_confirmations_and_decisions_at_wrong_addresses_write_nothing(result):
    rows = [o for o in result.observatory_outcomes if o.form.route != STATS_IMPORT]
    expected = {
        "unknown import": 404,
        "malformed import": 404,
        "state": 403,  # a state member confirming the national import
        "unknown proposal": 404,
        "a state deciding its own proposal": 403,
        "cell": 404,
        "malformed": 404,
        "a state editing a cell": 403,
    }
    got = {o.hostile.label: o.status for o in rows if o.hostile.label in expected}
    assert got == expected
    applied = [o for o in rows if o.hostile.label == "applied import"]
    assert applied and all(
        o.status < 500 and o.alert and "genderstats_statvalue" not in o.changed for o in applied
    ), _report(applied)
    assert not [o for o in rows if o.changed], _report([o for o in rows if o.changed])
