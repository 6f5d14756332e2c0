"""A drawn chart speaks the page's language: its accessible name is the page's own sentence,
not the library's «Vega visualization», the library adds no English descriptions of marks,
axes or legends, and the series are named in English on the English page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPANISH_NAME = (
    "Gráfica de valores aprobados, meta y línea base por periodo; los mismos datos están en la "
    "tabla."
)
# What Vega writes on its own: the role description, the default label and the English
# descriptions of axes, legends and marks.
ENGLISH_ARIA = ("visualization", "Vega", "axis", "legend", "mark", "titled", "values")


@pytest.fixture
def indicator(durango):
    from transversal.dashboards.tests.data import approved_with_breakdown
    from transversal.monitoring.tests.factories import indicator_with_calendar

    indicator = indicator_with_calendar(
        durango, name="Personas capacitadas", baseline_value=Decimal(50), disaggregations=["sex"]
    )
    for label, women, men in (("2025-T1", 40, 34), ("2025-T4", 80, 60)):
        approved_with_breakdown(
            indicator,
            label,
            Decimal(women + men),
            {"sex": {"women": Decimal(women), "men": Decimal(men)}},
        )
    return indicator


def _drawn(page: Page, url: str) -> None:
    page.goto(url)
    for chart in page.locator(".chart").all():
        chart.scroll_into_view_if_needed()
        expect(chart.locator("svg").first).to_be_attached(timeout=20_000)
    expect(page.locator(".chart.rendered")).to_have_count(page.locator(".chart").count())


def _aria_texts(page: Page) -> list[str]:
    """Every ARIA label, description and role description on the charts and inside them that
    assistive technology reads (not under aria-hidden)."""
    return page.eval_on_selector_all(
        ".chart, .chart *",
        """nodes => nodes.filter(n => !n.closest("[aria-hidden=true]"))
            .flatMap(n => ["aria-label", "aria-roledescription", "aria-description"]
            .map(a => n.getAttribute(a)).filter(Boolean))""",
    )


def test_the_spanish_chart_is_named_by_the_page_with_no_english_aria(
    page: Page, live_server, coordinator, indicator, artifacts_dir
):
    sign_in(page, live_server.url, coordinator.email)
    _drawn(page, f"{live_server.url}/tableros/indicador/{indicator.code}/")

    expect(page.get_by_role("img", name=SPANISH_NAME)).to_be_visible()
    expect(
        page.get_by_role(
            "img",
            name="Gráfica de barras de los valores aprobados por sexo; los mismos datos están "
            "en la tabla.",
        )
    ).to_be_visible()
    texts = _aria_texts(page)
    assert texts, "the charts have no name"
    for text in texts:
        assert not any(word in text for word in ENGLISH_ARIA), text
    assert page.locator(".chart[aria-roledescription]").count() == 0
    assert page.locator(".chart svg:not([aria-hidden=true])").count() == 0
    # The legend draws the series in Spanish.
    expect(page.locator("#chart-progress svg").first).to_contain_text("Valor aprobado")
    assert_accessible(page, "chart-es", artifacts_dir)


def test_the_english_chart_names_its_series_in_english(
    page: Page, live_server, coordinator, indicator, artifacts_dir
):
    sign_in(page, live_server.url, coordinator.email)
    page.get_by_role("button", name="English").click()
    _drawn(page, f"{live_server.url}/tableros/indicador/{indicator.code}/")

    legend = page.locator("#chart-progress svg").first
    expect(legend).to_contain_text("Approved value")
    expect(legend).to_contain_text("Baseline")
    for spanish in ("Valor aprobado", "Línea base"):
        expect(legend).not_to_contain_text(spanish)
        expect(page.locator("main")).not_to_contain_text(spanish)
    for text in _aria_texts(page):
        assert "Vega" not in text and "visualization" not in text, text
        assert "Gráfica" not in text, text
    assert_accessible(page, "chart-en", artifacts_dir)
