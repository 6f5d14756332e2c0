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
    from transversal.monitoring.services import evidence_add, update_approve, update_submit
    from transversal.monitoring.tests.factories import draft
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
    update = update_approve(actor=reviewer, update=update)
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
