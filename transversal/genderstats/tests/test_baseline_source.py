"""A plan item and a convenio indicator cite a context indicator as their baseline source,
through their apps' services, audited; deleting the statistic leaves them without one."""

from __future__ import annotations

import pytest

from transversal.audit.models import AuditEvent
from transversal.genderstats.tests.factories import make_indicator
from transversal.monitoring.models import Indicator
from transversal.monitoring.services import indicator_baseline_source_set
from transversal.planning.models import Plan, PlanItem
from transversal.planning.services import item_baseline_source_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(durango):
    plan = Plan.objects.create(
        code="ped", title="PED", kind="ped", status="published", institution=durango
    )
    return PlanItem.objects.create(plan=plan, level="objective", text="Autonomía económica")


def test_a_plan_item_cites_a_statistic_once(coordinator, item):
    source = make_indicator("participacion")
    changes = item_baseline_source_set(actor=coordinator, item=item, source=source)
    assert changes == {"baseline_source": [None, "Indicador participacion"]}
    assert item_baseline_source_set(actor=coordinator, item=item, source=source) == {}
    item.refresh_from_db()
    assert item.baseline_source == source
    assert AuditEvent.objects.filter(verb="plan_item.update", actor=coordinator).count() == 1


def test_an_indicator_cites_a_statistic_and_loses_it_when_it_is_deleted(coordinator, durango):
    indicator = Indicator.objects.create(
        owner=durango, name="Participación", unit="%", direction="ascending"
    )
    source = make_indicator("participacion")
    indicator_baseline_source_set(actor=coordinator, indicator=indicator, source=source)
    event = AuditEvent.objects.get(verb="indicator.update")
    assert event.changes == {"baseline_source": [None, "Indicador participacion"]}
    source.delete()
    indicator.refresh_from_db()
    assert indicator.baseline_source is None


@pytest.fixture
def own_indicator(durango):
    return Indicator.objects.create(
        owner=durango, name="Participación", unit="%", direction="ascending"
    )


def test_the_editor_cites_a_statistic_from_the_item_page(client_for, editor, item):
    from django.urls import reverse

    source = make_indicator("participacion")
    client = client_for(editor)
    url = reverse("planning:item_baseline", args=[item.plan.code, item.pk])
    assert "Indicador participacion" in client.get(url).content.decode()
    response = client.post(url, {"source": source.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.baseline_source == source
    client.post(url, {"source": ""})
    item.refresh_from_db()
    assert item.baseline_source is None


def test_the_editor_cites_a_statistic_from_the_indicator_page(client_for, editor, own_indicator):
    from django.urls import reverse

    source = make_indicator("participacion")
    client = client_for(editor)
    url = reverse("monitoring:baseline_source", args=[own_indicator.code])
    assert client.post(url, {"source": source.pk}).status_code == 302
    own_indicator.refresh_from_db()
    assert own_indicator.baseline_source == source


def test_a_read_only_member_gets_403_and_an_outsider_404(
    client_for, viewer, outsider, item, own_indicator
):
    from django.urls import reverse

    source = make_indicator("participacion")
    urls = [
        reverse("planning:item_baseline", args=[item.plan.code, item.pk]),
        reverse("monitoring:baseline_source", args=[own_indicator.code]),
    ]
    for person, status in ((viewer, 403), (outsider, 404)):
        client = client_for(person)
        for url in urls:
            assert client.post(url, {"source": source.pk}).status_code == status, (person, url)
    item.refresh_from_db()
    own_indicator.refresh_from_db()
    assert item.baseline_source is None and own_indicator.baseline_source is None


def test_an_unknown_statistic_is_refused_with_a_message(client_for, editor, own_indicator):
    from django.urls import reverse

    client = client_for(editor)
    url = reverse("monitoring:baseline_source", args=[own_indicator.code])
    response = client.post(url, {"source": 999999})
    assert response.status_code == 200
    assert "Seleccione una opción válida" in response.content.decode()
