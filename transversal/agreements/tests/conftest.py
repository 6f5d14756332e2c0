"""Agreement fixtures on top of the shared personas (transversal/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from transversal.agreements.models import AgreementStatus, EmphasisArea, Party
from transversal.agreements.services import (
    agreement_create,
    agreement_transition,
    commitment_add,
    goal_add,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def pdf(name: str = "convenio.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_agreement(
    national,
    institution,
    *,
    status: str = AgreementStatus.DRAFT,
    title: str = "Convenio de prueba",
    goals: int = 0,
    commitments: int = 0,
    round: str = "IP-321",
    areas=None,
):  # noqa: A002
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=title,
        round=round,
        valid_from=dt.date(2015, 3, 1),
        valid_to=dt.date(2018, 11, 30),
        purpose="Coordinar acciones.",
        emphasis_areas=areas if areas is not None else [EmphasisArea.ECONOMIC_EMPOWERMENT],
    )
    path = [AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.CONCLUDED]
    if status in path:
        for target in path[: path.index(status) + 1]:
            agreement_transition(
                actor=None, agreement=agreement, to_status=target, on=dt.date(2015, 3, 1)
            )
    for number in range(1, goals + 1):
        goal_add(actor=None, agreement=agreement, number=number, description=f"Meta {number}")
    for number in range(1, commitments + 1):
        commitment_add(
            actor=None, agreement=agreement, party=Party.NATIONAL, text=f"Compromiso {number}"
        )
        commitment_add(
            actor=None, agreement=agreement, party=Party.STATE, text=f"Compromiso estatal {number}"
        )
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def draft(national, durango):
    return make_agreement(national, durango, title="Convenio en borrador")


@pytest.fixture
def signed(national, durango):
    return make_agreement(
        national,
        durango,
        status=AgreementStatus.SIGNED,
        title="Convenio firmado",
        goals=1,
        commitments=1,
    )
