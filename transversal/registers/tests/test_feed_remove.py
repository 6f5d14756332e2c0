"""Removing an indicator's register source (POST /registros/indicadores/<code>/fuente/quitar/):
its value is typed by hand again; the proposals already made keep their rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.registers.models import IndicatorFeed
from transversal.registers.services import feed_remove
from transversal.registers.tests.feed_factories import fed_indicator

pytestmark = pytest.mark.django_db


def remove_url(indicator) -> str:
    return reverse("registers:feed_remove", args=[indicator.code])


@pytest.fixture
def fed(durango):
    return fed_indicator(durango, filters={"audience": ["public_servants"]})


def test_the_editor_removes_the_source_and_the_indicator_page_says_it_is_typed_again(
    client_for, editor, fed
):
    client = client_for(editor)
    response = client.post(remove_url(fed), follow=True)
    assert not IndicatorFeed.objects.filter(indicator=fed).exists()
    assert "vuelve a capturarse a mano" in response.content.decode()
    event = AuditEvent.objects.get(verb="indicator.feed_remove")
    assert event.changes["register_feed"][0][0] == "training"
    assert event.changes["register_feed"][1] is None


def test_the_feed_page_offers_removal_only_when_there_is_a_source(client_for, editor, durango):
    plain = fed_indicator(durango, register=None)
    fed = fed_indicator(durango, filters={})
    page = client_for(editor).get(reverse("registers:feed_edit", args=[fed.code]))
    assert remove_url(fed) in page.content.decode()
    page = client_for(editor).get(reverse("registers:feed_edit", args=[plain.code]))
    assert remove_url(plain) not in page.content.decode()


def test_removing_twice_says_there_was_nothing_to_remove_and_writes_nothing(editor, fed):
    assert feed_remove(actor=editor, indicator=fed) is True
    assert feed_remove(actor=editor, indicator=fed) is False
    assert AuditEvent.objects.filter(verb="indicator.feed_remove").count() == 1


def test_outsiders_get_404_and_read_only_members_403(client_for, outsider, viewer, fed):
    assert client_for(outsider).post(remove_url(fed)).status_code == 404
    assert client_for(viewer).post(remove_url(fed)).status_code == 403
    assert client_for(viewer).get(remove_url(fed)).status_code == 405
    assert IndicatorFeed.objects.filter(indicator=fed).exists()
