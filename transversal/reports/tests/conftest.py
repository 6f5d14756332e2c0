"""A known dataset for reports: Durango with an agreement in force in 2025, two goals and four
indicators, and Zacatecas with one institutional indicator.

Durango, 2025-T4 (targets 100; progress = value / target without a baseline):
  goal 1 ← A (quarterly): T3 approved 95 (Aceptable), T4 approved 80 (Con riesgo)
  goal 2 ← B (quarterly): T4 approved 50 (Crítico); D (annual, 2025 target 10, approved 10)
  no goal   C (quarterly): T4 approved 120 (Aceptable, 120 %)
Zacatecas: Z (quarterly): T4 approved 99 (Aceptable); T3 only submitted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.monitoring.services import indicator_create, periods_generate, targets_update
from transversal.monitoring.tests.factories import approved, indicator_with_calendar, submitted

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _private_media_and_immediate_jobs(settings, tmp_path):
    """Report jobs run as soon as they are queued (the immediate backend of the task queue)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_queue(settings):
    """The queue as on the server: tasks wait in the database for a worker."""
    settings.TASKS = DATABASE_QUEUE


def make_dataset(national, durango, zacatecas):
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=durango,
        title="Convenio de colaboración 2025 con Durango",
        round="IP-321",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    for status in (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE):
        agreement_transition(
            actor=None, agreement=agreement, to_status=status, on=dt.date(2025, 1, 15)
        )
    goal1 = goal_add(
        actor=None, agreement=agreement, number=1, description="Capacitar al servicio público"
    )
    goal2 = goal_add(
        actor=None, agreement=agreement, number=2, description="Publicar el registro de casos"
    )

    a = indicator_with_calendar(durango, name="Indicador A de capacitación", goals=[goal1])
    approved(a, "2025-T3", Decimal(95))
    approved(a, "2025-T4", Decimal(80))
    b = indicator_with_calendar(durango, name="Indicador B de publicación", goals=[goal2])
    approved(b, "2025-T4", Decimal(50))
    c = indicator_with_calendar(durango, name="Indicador C institucional")
    approved(c, "2025-T4", Decimal(120))
    d = indicator_create(
        actor=None,
        owner=durango,
        name="Indicador D anual",
        unit="informes",
        measure="count",
        frequency="annual",
        direction="ascending",
        goals=[goal2],
    )
    periods_generate(actor=None, indicator=d, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    targets_update(actor=None, indicator=d, targets={"2025": Decimal(10)})
    approved(d, "2025", Decimal(10))
    z = indicator_with_calendar(zacatecas, name="Indicador Z de Zacatecas")
    submitted(z, "2025-T3", Decimal(70))
    approved(z, "2025-T4", Decimal(99))
    return {"agreement": agreement, "goals": (goal1, goal2), "a": a, "b": b, "c": c, "d": d, "z": z}


@pytest.fixture
def dataset(national, durango, zacatecas):
    return make_dataset(national, durango, zacatecas)


EVIDENCE_NAME = "lista-de-asistencia-octubre.pdf"
NARRATIVE = "Se atendió a 2,421 personas en los cinco centros regionales durante el trimestre."


def add_detailed_indicator(dataset, durango):
    """Indicator E measures goal 1 with a 2025-T4 value of 2,421 approved by a named reviewer:
    women 1,695 and men 726, 291 indigenous, no age groups (the sheet lists them), a narrative
    and one evidence file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from transversal.accounts.models import User
    from transversal.monitoring.services import evidence_add, update_submit
    from transversal.monitoring.tests.factories import approve_all_levels, draft
    from transversal.testing import blank_pdf

    e = indicator_with_calendar(
        durango,
        name="Indicador E de atención",
        goals=[dataset["goals"][0]],
        disaggregations=["age", "indigenous"],
        targets={"2025-T1": 2500, "2025-T2": 2500, "2025-T3": 2500, "2025-T4": 2500},
    )
    update = draft(
        e,
        "2025-T4",
        Decimal(2421),
        narrative=NARRATIVE,
        breakdown={
            "sex": {"women": Decimal(1695), "men": Decimal(726)},
            "indigenous": {"of_which": Decimal(291)},
        },
    )
    content = blank_pdf("Lista de asistencia")
    evidence_add(
        actor=None,
        update=update,
        upload=SimpleUploadedFile(EVIDENCE_NAME, content, content_type="application/pdf"),
        filename=EVIDENCE_NAME,
    )
    update.refresh_from_db()
    update = update_submit(actor=None, update=update, expected_version=update.version)
    reviewer = User.objects.create_user(
        email="lucia.hernandez@prueba.test", password=None, full_name="Lucía Hernández Soto"
    )
    update = approve_all_levels(actor=reviewer, update=update)
    return {"indicator": e, "update": update, "evidence": content}


def pdf_text(path, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext reads it (poppler-utils), whitespace collapsed unless
    ``layout`` keeps the lines of tables."""
    import subprocess

    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, capture_output=True, check=True).stdout.decode()
    return text if layout else " ".join(text.split())


def docx_text(path) -> str:
    """Paragraphs and table rows (cells joined by " | ") in the document's order."""
    from docx import Document
    from docx.table import Table

    parts = []
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            parts.extend(" | ".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            parts.append(block.text)
    return "\n".join(parts)


LONG_ACUERDO = (
    "Presentar ante el pleno del Sistema el Programa Estatal para la Igualdad entre Mujeres y "
    "Hombres 2025-2030, con sus indicadores, metas, presupuesto estimado y el calendario de "
    "seguimiento trimestral de cada dependencia responsable"
)


def add_coordination(durango, zacatecas):
    """Durango's SEI in 2025 (three members with a vote: the IEM, Zacatecas's SEMUJER and a
    civil society network), Zacatecas without a system:

      O-1 10/02/2025 held, the IEM and the network present: quorum 2 of 3 (2 required)
      E-1 05/05/2025 cancelled;  O-2 10/06/2025 held, no attendance recorded
      O-3 10/10/2025 planned, its date passed (overdue)
      acuerdos of O-1: 01 overdue (due 30/04/2025, long text, SEMUJER also responsible,
      Ana Torres), 02 verified on time, 03 verified late; of O-2: 01 open, due in 2030.
      → 3 sessions planned, 2 held, 1 overdue; 4 acuerdos, 2 open, 1 overdue, 2 fulfilled,
      1 on time (25.0 %).
    """
    from transversal.coordination import services
    from transversal.coordination.tests.factories import make_resolution, make_session, make_system
    from transversal.followup.models import FollowUp

    system = make_system(durango, members=[zacatecas])
    first = make_session(system, dt.date(2025, 2, 10))
    present = {
        m.pk
        for m in services.session_members(first)
        if m.institution_id == durango.pk or m.name.startswith("Red de Mujeres")
    }
    services.attendance_record(actor=None, session=first, present=present, represented_by={})
    services.session_hold(actor=None, session=first)
    cancelled = make_session(system, dt.date(2025, 5, 5), kind="extraordinary")
    services.session_cancel(actor=None, session=cancelled, reason="Sin quórum")
    second = make_session(system, dt.date(2025, 6, 10))
    services.session_hold(actor=None, session=second)
    make_session(system, dt.date(2025, 10, 10))
    overdue = services.resolution_add(
        actor=None,
        session=first,
        text=LONG_ACUERDO,
        owner=durango,
        co_owners=[zacatecas],
        responsible_person="Ana Torres",
        due_date=dt.date(2025, 4, 30),
    )
    on_time = make_resolution(first, durango, due=dt.date(2025, 3, 31), text="Aprobar el acta")
    late = make_resolution(first, durango, due=dt.date(2025, 6, 30), text="Publicar el padrón")
    make_resolution(second, durango, due=dt.date(2030, 12, 31), text="Evaluar el programa")
    FollowUp.objects.filter(pk=on_time.followup_id).update(
        status="verified", done_on=dt.date(2025, 3, 20), closed_on=dt.date(2025, 3, 25)
    )
    FollowUp.objects.filter(pk=late.followup_id).update(
        status="verified", closed_on=dt.date(2025, 8, 1)
    )
    return {"system": system, "sessions": (first, second), "overdue": overdue}


@pytest.fixture
def coordination(durango, zacatecas):
    return add_coordination(durango, zacatecas)


def grow_coordination(durango, zacatecas):
    """More of everything the coordination section reads: a second Durango system and one for
    Zacatecas, each with held sessions, attendance and overdue acuerdos with co-owners."""
    from transversal.coordination import services
    from transversal.coordination.tests.factories import make_session, make_system

    for secretariat, other, acronym in (
        (durango, zacatecas, "SEPASEV"),
        (zacatecas, durango, "SZ"),
    ):
        system = make_system(secretariat, members=[other], acronym=acronym)
        for day in (dt.date(2025, 3, 3), dt.date(2025, 7, 7)):
            session = make_session(system, day)
            members = services.session_members(session)
            services.attendance_record(
                actor=None, session=session, present={m.pk for m in members}, represented_by={}
            )
            services.session_hold(actor=None, session=session)
            for text in ("Uno", "Dos"):
                services.resolution_add(
                    actor=None,
                    session=session,
                    text=text,
                    owner=other,
                    co_owners=[secretariat],
                    due_date=dt.date(2025, 8, 1),
                )
