"""Figures on the monitoring forms: shown as people write them ("140", "1,200.5") and read back
the same way ("1,200", "1 200"), on the period page, the targets page and the technical sheet."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod
from transversal.monitoring.tests.factories import draft, indicator_with_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(
        durango,
        measure="amount",
        unit="pesos",
        targets={"2025-T1": 1200.5, "2025-T2": 140},
        baseline_value=Decimal("1500.2500"),
    )


def period_url(indicator, label="2025-T1"):
    return reverse("monitoring:period", args=[indicator.code, label])


def value_of(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    assert match, f"no input {name}"
    shown = re.search(r'value="([^"]*)"', match.group(0))
    return shown.group(1) if shown else ""


class TestPeriodPage:
    def test_a_saved_figure_is_prefilled_without_trailing_zeros(
        self, client_for, editor, indicator
    ):
        draft(
            indicator,
            value=Decimal("140.0000"),
            breakdown={"sex": {"women": Decimal("139.5"), "men": Decimal("0.5")}},
        )
        page = client_for(editor).get(period_url(indicator)).content.decode()
        assert value_of(page, "value") == "140"
        assert value_of(page, "d__sex__women") == "139.5"
        assert value_of(page, "d__sex__men") == "0.5"
        assert "140.0000" not in page

    def test_a_thousand_is_prefilled_with_its_comma(self, client_for, editor, indicator):
        draft(indicator, value=Decimal("1200.5000"))
        page = client_for(editor).get(period_url(indicator)).content.decode()
        assert value_of(page, "value") == "1,200.5"

    def test_figures_with_a_thousands_comma_or_space_are_saved(self, client_for, editor, indicator):
        response = client_for(editor).post(
            period_url(indicator),
            {"value": "1,200", "d__sex__women": "1 000", "d__sex__men": " 200 "},
        )
        assert response.status_code == 302
        update = ProgressUpdate.objects.get()
        assert update.value == 1200
        assert {r.category: r.value for r in update.breakdown.all()} == {
            "women": 1000,
            "men": 200,
        }

    def test_a_decimal_comma_is_refused_with_a_spanish_message_and_nothing_is_saved(
        self, client_for, editor, indicator
    ):
        response = client_for(editor).post(period_url(indicator), {"value": "1,20"})
        page = response.content.decode()
        assert response.status_code == 200
        assert "use el punto para los decimales" in page
        assert value_of(page, "value") == "1,20"
        assert not ProgressUpdate.objects.exists()


class TestTargetsPage:
    def test_targets_are_prefilled_without_trailing_zeros(self, client_for, editor, indicator):
        page = client_for(editor).get(reverse("monitoring:targets", args=[indicator.code]))
        page = page.content.decode()
        assert value_of(page, "2025-T1") == "1,200.5" and value_of(page, "2025-T2") == "140"

    def test_a_target_typed_with_a_thousands_separator_is_saved(
        self, client_for, editor, indicator
    ):
        response = client_for(editor).post(
            reverse("monitoring:targets", args=[indicator.code]),
            {"2025-T1": "2,500", "2025-T2": "140", "2025-T3": "100", "2025-T4": "1\u00a0000.25"},
        )
        assert response.status_code == 302
        targets = dict(ReportingPeriod.objects.values_list("label", "target"))
        assert targets["2025-T1"] == 2500 and targets["2025-T4"] == Decimal("1000.25")


class TestTechnicalSheet:
    def test_the_baseline_is_prefilled_without_trailing_zeros(self, client_for, editor, indicator):
        page = client_for(editor).get(reverse("monitoring:edit", args=[indicator.code]))
        page = page.content.decode()
        assert value_of(page, "baseline_value") == "1,500.25"
        assert value_of(page, "threshold_green") == "90"

    def test_a_baseline_typed_with_a_thousands_comma_is_saved(self, client_for, editor, durango):
        response = client_for(editor).post(
            reverse("monitoring:new", args=[durango.slug]),
            {
                "name": "Mujeres atendidas",
                "unit": "pesos",
                "measure": "amount",
                "frequency": "quarterly",
                "direction": "ascending",
                "threshold_green": "90",
                "threshold_yellow": "70",
                "threshold_overachievement": "150",
                "baseline_year": "2024",
                "baseline_value": "12,345.5",
                "by_sex": "on",
            },
        )
        assert response.status_code == 302
        assert Indicator.objects.get().baseline_value == Decimal("12345.5")
