from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import Indicator, ReportingPeriod
from transversal.monitoring.services import indicator_create, periods_generate

pytestmark = pytest.mark.django_db

SHEET = {
    "name": "Porcentaje de municipios con instancia municipal de las mujeres",
    "unit": "porcentaje",
    "measure": "percentage",
    "frequency": "quarterly",
    "direction": "ascending",
    "threshold_green": "90",
    "threshold_yellow": "70",
    "threshold_overachievement": "150",
    "baseline_year": "2024",
    "baseline_value": "40",
}


def make_indicator(owner, **extra) -> Indicator:
    fields = {
        "name": "Indicador de prueba",
        "unit": "porcentaje",
        "measure": "percentage",
        "frequency": "quarterly",
        "direction": "ascending",
        **extra,
    }
    return indicator_create(actor=None, owner=owner, **fields)


class TestCreate:
    def url(self, institution):
        return reverse("monitoring:new", args=[institution.slug])

    def test_an_editor_creates_an_indicator_with_its_technical_sheet(
        self, client_for, editor, durango
    ):
        response = client_for(editor).post(
            # by_sex is a checkbox the page shows ticked: a browser sends it.
            self.url(durango),
            {**SHEET, "by_sex": "on", "disaggregations": ["age", "indigenous"]},
        )
        assert response.status_code == 302
        indicator = Indicator.objects.get()
        assert indicator.owner == durango and indicator.baseline_value == Decimal("40")
        assert indicator.all_disaggregations == ["sex", "age", "indigenous"]
        assert AuditEvent.objects.filter(verb="indicator.create", actor=editor).count() == 1

    def test_a_read_only_member_gets_403_and_an_outsider_404(
        self, client_for, viewer, outsider, durango
    ):
        assert client_for(viewer).post(self.url(durango), SHEET).status_code == 403
        assert client_for(outsider).post(self.url(durango), SHEET).status_code == 404
        assert not Indicator.objects.exists()

    def test_a_baseline_percentage_above_100_gets_a_spanish_message(
        self, client_for, editor, durango
    ):
        response = client_for(editor).post(self.url(durango), {**SHEET, "baseline_value": "120"})
        assert response.status_code == 200
        assert "Un porcentaje no puede ser mayor que 100." in response.content.decode()
        assert not Indicator.objects.exists()

    def test_thresholds_out_of_order_are_rejected(self, client_for, editor, durango):
        response = client_for(editor).post(self.url(durango), {**SHEET, "threshold_yellow": "95"})
        assert "El umbral amarillo no puede ser mayor que el verde." in response.content.decode()
        assert not Indicator.objects.exists()


class TestEdit:
    def test_an_editor_changes_the_sheet_and_the_change_is_audited(
        self, client_for, editor, durango
    ):
        indicator = make_indicator(durango)
        response = client_for(editor).post(
            reverse("monitoring:edit", args=[indicator.code]), {**SHEET, "name": "Nuevo nombre"}
        )
        assert response.status_code == 302
        indicator.refresh_from_db()
        assert indicator.name == "Nuevo nombre"
        event = AuditEvent.objects.get(verb="indicator.update")
        assert event.changes["name"] == ["Indicador de prueba", "Nuevo nombre"]

    def test_writes_reject_get_where_they_are_post_only(self, client_for, editor, durango):
        indicator = make_indicator(durango)
        assert (
            client_for(editor)
            .get(reverse("monitoring:calendar", args=[indicator.code]))
            .status_code
            == 405
        )

    def test_a_read_only_member_reads_but_cannot_edit(self, client_for, viewer, durango):
        indicator = make_indicator(durango)
        client = client_for(viewer)
        assert client.get(reverse("monitoring:detail", args=[indicator.code])).status_code == 200
        assert (
            client.post(reverse("monitoring:edit", args=[indicator.code]), SHEET).status_code == 403
        )
        assert (
            client.post(reverse("monitoring:targets", args=[indicator.code]), {}).status_code == 403
        )

    def test_a_private_indicator_is_404_for_outsiders_and_anonymous_but_a_public_one_is_readable(
        self, client_for, outsider, durango
    ):
        private = make_indicator(durango)
        public = make_indicator(durango, is_public=True)
        assert (
            client_for(outsider).get(reverse("monitoring:detail", args=[private.code])).status_code
            == 404
        )
        assert (
            client_for(None).get(reverse("monitoring:detail", args=[private.code])).status_code
            == 404
        )
        assert (
            client_for(None).get(reverse("monitoring:detail", args=[public.code])).status_code
            == 200
        )
        assert (
            client_for(None).get(reverse("monitoring:detail", args=["no-es-uuid"])).status_code
            == 404
        )


class TestCalendarAndTargets:
    def test_the_calendar_is_generated_from_the_frequency_and_not_duplicated(
        self, client_for, editor, durango
    ):
        indicator = make_indicator(durango)
        client = client_for(editor)
        url = reverse("monitoring:calendar", args=[indicator.code])
        client.post(url, {"start": "01/01/2025", "end": "31/12/2025", "due_days": "15"})
        client.post(url, {"start": "01/01/2025", "end": "30/06/2026", "due_days": "15"})
        labels = list(indicator.periods.order_by("start").values_list("label", flat=True))
        assert labels == ["2025-T1", "2025-T2", "2025-T3", "2025-T4", "2026-T1", "2026-T2"]
        assert indicator.periods.get(label="2025-T4").due_date == dt.date(2026, 1, 15)
        assert AuditEvent.objects.filter(verb="indicator.periods_generate").count() == 2

    def test_a_refused_calendar_names_the_field_at_fault(self, client_for, editor, durango):
        indicator = make_indicator(durango)
        url = reverse("monitoring:calendar", args=[indicator.code])
        response = client_for(editor).post(
            url, {"start": "31/02/2025", "end": "31/12/2025", "due_days": "15"}, follow=True
        )
        assert 'role="alert">Desde: Introduzca una fecha válida.</p>' in response.content.decode()
        assert not indicator.periods.exists()

    def test_targets_are_edited_in_one_grid_all_or_nothing(self, client_for, editor, durango):
        indicator = make_indicator(durango)
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
        )
        client = client_for(editor)
        url = reverse("monitoring:targets", args=[indicator.code])
        response = client.post(
            url, {"2025-T1": "50", "2025-T2": "60", "2025-T3": "130", "2025-T4": ""}
        )
        assert response.status_code == 200
        assert "Un porcentaje no puede ser mayor que 100." in response.content.decode()
        assert not ReportingPeriod.objects.filter(target__isnull=False).exists()
        response = client.post(
            url, {"2025-T1": "50", "2025-T2": "60", "2025-T3": "70", "2025-T4": "80"}
        )
        assert response.status_code == 302
        assert list(indicator.periods.order_by("start").values_list("target", flat=True)) == [
            50,
            60,
            70,
            80,
        ]
        assert AuditEvent.objects.filter(verb="indicator.targets_update").count() == 1

    def test_saving_unchanged_targets_says_so_as_information_not_success(
        self, client_for, editor, durango
    ):
        indicator = make_indicator(durango)
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)
        )
        client = client_for(editor)
        url = reverse("monitoring:targets", args=[indicator.code])
        client.post(url, {"2025-T1": "50", "2025-T2": "60"})
        response = client.post(url, {"2025-T1": "50", "2025-T2": "60"}, follow=True)
        assert (
            '<p class="message info">No hubo cambios que guardar.</p>' in response.content.decode()
        )
        assert AuditEvent.objects.filter(verb="indicator.targets_update").count() == 1

    def test_a_locked_period_keeps_its_target(self, client_for, editor, durango):
        indicator = make_indicator(durango, measure="count", unit="municipios")
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)
        )
        indicator.periods.filter(label="2025-T1").update(target=10, locked=True)
        client_for(editor).post(
            reverse("monitoring:targets", args=[indicator.code]), {"2025-T1": "99", "2025-T2": "12"}
        )
        assert indicator.periods.get(label="2025-T1").target == 10
        assert indicator.periods.get(label="2025-T2").target == 12

    def test_a_negative_count_is_rejected(self, client_for, editor, durango):
        indicator = make_indicator(durango, measure="count", unit="municipios")
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)
        )
        response = client_for(editor).post(
            reverse("monitoring:targets", args=[indicator.code]), {"2025-T1": "-3"}
        )
        assert "El valor no puede ser negativo." in response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_indicator_list_takes_constant_queries(client_for, coordinator, durango, zacatecas):
    client = client_for(coordinator)
    make_indicator(durango)
    make_indicator(zacatecas)
    few = count_queries(client, reverse("monitoring:list"))
    for n in range(6):
        make_indicator(durango if n % 2 else zacatecas, name=f"Indicador {n}")
    # session, user, scope, header institutions (+names), editable institutions (+names),
    # indicators, owner names
    assert count_queries(client, reverse("monitoring:list")) == few


def test_the_indicator_page_takes_constant_queries(client_for, editor, durango):
    client = client_for(editor)
    small = make_indicator(durango)
    periods_generate(
        actor=None, indicator=small, start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31)
    )
    large = make_indicator(durango)
    periods_generate(
        actor=None, indicator=large, start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31)
    )
    # indicator with owner, owner names, periods, goals, plus session/user/scope/header
    assert count_queries(client, reverse("monitoring:detail", args=[small.code])) == count_queries(
        client, reverse("monitoring:detail", args=[large.code])
    )
