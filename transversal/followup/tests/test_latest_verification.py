"""``selectors.latest_verification``: the verifier's last decision on an item, with its note."""

from __future__ import annotations

import pytest
from django.utils import timezone

from transversal.audit.models import AuditEvent
from transversal.followup import services
from transversal.followup.models import FollowUp
from transversal.followup.selectors import latest_verification
from transversal.institutions.models import display_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(durango, zacatecas):
    """Durango answers for it; Zacatecas verifies it."""
    return services.followup_create(
        kind="otro", title="Presentar el informe", owner=durango, verifier=zacatecas
    )


def _done(item, editor):
    services.followup_note_add(actor=editor, item=item, text="Se entregó el informe")
    return services.followup_mark_done(actor=editor, item=item)


def test_it_is_none_until_the_verifier_decides(item, editor):
    assert latest_verification(item) is None
    item = _done(item, editor)
    assert latest_verification(item) is None


def test_it_gives_the_outcome_day_institution_person_and_note(item, editor, outsider, zacatecas):
    _done(item, editor)
    item = services.followup_verify(actor=outsider, item=item, note="Evidencia suficiente.")
    verification = latest_verification(item)
    assert verification.verified
    assert verification.outcome == "Verificado y cerrado como cumplido"
    assert verification.on == timezone.localdate()
    assert verification.institution == display_name(zacatecas)
    assert verification.person == "captura.zac" and verification.institution_recorded
    assert verification.note == "Evidencia suficiente."


def test_a_refusal_gives_its_reason_until_a_later_verification(item, editor, outsider):
    _done(item, editor)
    item = services.followup_reopen(actor=outsider, item=item, reason="Falta la lista firmada.")
    refused = latest_verification(item)
    assert not refused.verified and refused.note == "Falta la lista firmada."
    assert refused.outcome == "Verificación rechazada: volvió a «en proceso»"
    _done(item, editor)
    item = services.followup_verify(actor=outsider, item=item)
    assert latest_verification(item).verified and latest_verification(item).note == ""


def test_reopening_a_verified_item_revokes_it_and_a_cancelled_one_is_no_verification(
    durango, zacatecas, item, editor, outsider
):
    _done(item, editor)
    item = services.followup_verify(actor=outsider, item=item)
    item = services.followup_reopen(actor=outsider, item=item, reason="Se detectó un error.")
    revoked = latest_verification(item)
    assert not revoked.verified and revoked.outcome == "Verificación revocada: se reabrió"

    other = services.followup_create(
        kind="otro", title="Otro compromiso", owner=durango, verifier=zacatecas
    )
    other = services.followup_cancel(actor=outsider, item=other, reason="Duplicado")
    other = services.followup_reopen(actor=outsider, item=other, reason="Se retoma")
    assert latest_verification(other) is None


def test_it_names_the_verifier_of_that_day_after_the_items_verifier_changes(
    item, editor, outsider, zacatecas, national
):
    _done(item, editor)
    item = services.followup_verify(actor=outsider, item=item, note="Evidencia suficiente.")
    FollowUp.objects.filter(pk=item.pk).update(verifier=national)
    item = FollowUp.objects.get(pk=item.pk)
    verification = latest_verification(item)
    assert verification.institution == display_name(zacatecas)
    assert verification.institution_recorded


def test_a_refusal_keeps_the_verifier_of_that_day_too(item, editor, outsider, zacatecas, national):
    _done(item, editor)
    services.followup_reopen(actor=outsider, item=item, reason="Falta la lista firmada.")
    FollowUp.objects.filter(pk=item.pk).update(verifier=national)
    refused = latest_verification(FollowUp.objects.get(pk=item.pk))
    assert not refused.verified and refused.institution == display_name(zacatecas)


def test_an_event_older_than_that_record_names_todays_verifier_and_says_so(
    item, editor, outsider, national
):
    _done(item, editor)
    item = services.followup_verify(actor=outsider, item=item)
    event = AuditEvent.objects.get(verb="followup.verify", target_id=str(item.pk))
    del event.changes["verifier_institution"]  # as events were written before it was kept
    event.save(update_fields=["changes"])
    FollowUp.objects.filter(pk=item.pk).update(verifier=national)
    verification = latest_verification(FollowUp.objects.get(pk=item.pk))
    assert verification.institution == display_name(national)
    assert not verification.institution_recorded


def test_the_history_reads_the_verifier_institution_as_it_stood_not_as_a_change(
    item, editor, outsider, zacatecas
):
    from django.contrib.contenttypes.models import ContentType

    from transversal.audit.selectors import history_events, history_rows

    _done(item, editor)
    services.followup_verify(actor=outsider, item=item)
    events = history_events(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(FollowUp),
            target_id=str(item.pk),
            verb="followup.verify",
        )
    )
    (row,) = history_rows(events)
    (fact,) = [change for change in row.changes if change.field == "Institución que verifica"]
    assert fact.new == display_name(zacatecas) and not fact.show_old
    status = next(change for change in row.changes if change.field != fact.field)
    assert status.show_old  # the real changes still read old → new
