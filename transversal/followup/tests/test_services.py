from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from transversal.accounts.access import scope_for
from transversal.audit.models import AuditEvent
from transversal.conftest import make_member
from transversal.followup import services
from transversal.followup.models import FollowUp, FollowUpStatus
from transversal.followup.selectors import overdue_count
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _item(owner, verifier, due=dt.date(2026, 1, 31)):
    return services.followup_create(
        kind="acuerdo", title="Presentar el programa", owner=owner, verifier=verifier, due_date=due
    )


def test_a_note_moves_an_open_item_to_in_progress_and_is_audited(durango, zacatecas, editor):
    item = _item(durango, zacatecas)
    services.followup_note_add(actor=editor, item=item, text="Se envió el borrador")
    item.refresh_from_db()
    assert item.status == FollowUpStatus.IN_PROGRESS
    event = AuditEvent.objects.get(verb="followup.note_add")
    assert event.actor == editor and event.changes["status"] == ["open", "in_progress"]


def test_evidence_is_checked_by_content_and_a_twin_refused(durango, zacatecas, editor):
    item = _item(durango, zacatecas)
    pdf = blank_pdf("avance")
    services.followup_evidence_add(
        actor=editor, item=item, upload=SimpleUploadedFile("a.pdf", pdf), filename="a.pdf"
    )
    with pytest.raises(ValidationError) as twin:
        services.followup_evidence_add(
            actor=editor, item=item, upload=SimpleUploadedFile("b.pdf", pdf), filename="b.pdf"
        )
    assert "file" in twin.value.message_dict
    with pytest.raises(ValidationError):
        services.followup_evidence_add(
            actor=editor,
            item=item,
            upload=SimpleUploadedFile("x.pdf", b"<html><script>1</script>"),
            filename="x.pdf",
        )
    assert item.evidence.count() == 1


def test_nobody_verifies_what_they_reported(durango, editor):
    item = _item(durango, durango)  # the secretariat is also the responsible
    services.followup_note_add(actor=editor, item=item, text="Hecho")
    with pytest.raises(ValidationError, match="cuatro ojos"):
        services.followup_verify(actor=editor, item=item)
    other = make_member("otra@prueba.test", durango, "editor")
    services.followup_verify(actor=other, item=item)
    item.refresh_from_db()
    assert item.status == FollowUpStatus.VERIFIED and item.closed_by == other


def test_an_item_without_progress_cannot_be_verified_or_marked_done(durango, zacatecas, editor):
    item = _item(durango, zacatecas)
    with pytest.raises(ValidationError):
        services.followup_verify(actor=editor, item=item)
    with pytest.raises(ValidationError):
        services.followup_mark_done(actor=editor, item=item)


def test_cancel_needs_a_reason_and_reopen_brings_it_back(durango, zacatecas, outsider):
    item = _item(durango, zacatecas)
    with pytest.raises(ValidationError):
        services.followup_cancel(actor=outsider, item=item, reason="  ")
    services.followup_cancel(actor=outsider, item=item, reason="Ya no aplica")
    item.refresh_from_db()
    assert item.status == FollowUpStatus.CANCELLED and item.cancel_reason == "Ya no aplica"
    with pytest.raises(ValidationError):
        services.followup_note_add(actor=outsider, item=item, text="x")
    services.followup_reopen(actor=outsider, item=item, reason="Se retoma")
    item.refresh_from_db()
    assert item.status == FollowUpStatus.IN_PROGRESS and item.cancel_reason == ""


def test_overdue_counts_only_open_items_past_due_of_the_persons_institutions(
    durango, zacatecas, editor
):
    today = dt.date(2026, 3, 1)
    late = _item(durango, zacatecas, due=dt.date(2026, 2, 1))
    _item(durango, zacatecas, due=dt.date(2026, 4, 1))  # not yet due
    shared = _item(zacatecas, zacatecas, due=dt.date(2026, 2, 1))
    shared.co_owners.add(durango)  # co-responsible: counts too
    _item(zacatecas, durango, due=dt.date(2026, 2, 1))  # Durango only verifies it
    assert overdue_count(scope_for(editor), today) == 2
    services.followup_note_add(actor=editor, item=late, text="Hecho", on=dt.date(2026, 2, 2))
    services.followup_mark_done(actor=editor, item=late)
    assert overdue_count(scope_for(editor), today) == 1
    assert FollowUp.objects.overdue(today).count() == 2


def test_a_stored_file_is_named_by_the_server_with_one_dot(durango, zacatecas, editor):
    item = _item(durango, zacatecas)
    evidence = services.followup_evidence_add(
        actor=editor,
        item=item,
        upload=SimpleUploadedFile("../../informe final.PDF", blank_pdf("x")),
        filename="../../informe final.PDF",
    )
    name = evidence.file.name
    assert name.startswith(f"seguimiento/{durango.slug}/") and name.endswith(".pdf")
    assert ".." not in name and "informe" not in name
