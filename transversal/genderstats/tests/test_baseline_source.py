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
