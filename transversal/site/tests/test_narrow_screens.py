"""A phone 390 px wide: every main page fits without scrolling sideways.

Wide content (tables, the tile map) must scroll inside its own box or shrink to the width;
the page itself never grows wider than the screen. Each person signs in as they would and
walks their pages; every page is photographed at that width for a person to look at.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_NAME = (
    "Porcentaje de municipios con instancia municipal de las mujeres en operación y con "
    "presupuesto asignado"
)


@pytest.fixture
def world(national, durango, zacatecas):
    """The dashboards' known dataset, plus several long-named reports waiting for review and an
    indicator broken down by sex, so tables have many columns and long cells."""
    from transversal.dashboards.tests.data import known_dataset
    from transversal.monitoring.tests.factories import (
        approved,
        indicator_with_calendar,
        submitted,
    )

    data = known_dataset(national, durango, zacatecas)
    for n in range(3):
        indicator = indicator_with_calendar(
            durango, name=f"{LONG_NAME} ({n + 1})", disaggregations=["sex"]
        )
        submitted(indicator, "2025-T1", Decimal(1234567))
    data["by_sex"] = indicator
    approved(data["indicator"], "2025-T4", Decimal(140))
    # Coordination: two systems with sessions and acuerdos, so the dashboards' coordination
    # panel and table have rows.
    from transversal.coordination.tests.factories import make_system
    from transversal.dashboards.tests.test_coordination import coordination_year

    for acronym in ("SEI", "SEPASEV"):
        coordination_year(make_system(durango, acronym=acronym), durango, year=2025)
    # The model's cycle: evaluations, findings and ASM in every status, so the state's cycle panel
    # and the national table have figures.
    from transversal.improvement.tests.test_state_improvement import improvement_year

    improvement_year(durango)
    improvement_year(zacatecas)
    return data


def page_for(browser: Browser, base: str, email: str | None) -> Page:
    page = browser.new_context(viewport=PHONE, locale="es-MX").new_page()
    if email is not None:
        sign_in(page, base, email)
    return page


def too_wide(page: Page, base: str, paths: dict[str, str], artifacts_dir) -> dict[str, int]:
    """Open each page and return those wider than the screen, with their width."""
    wide = {}
    for name, path in paths.items():
        page.goto(base + path)
        if "/tableros/indicador/" in path:
            # The chart is drawn after the page loads: measure once it is there.
            expect(page.locator("#chart-progress svg").first).to_be_attached(timeout=20_000)
        screenshot(page, artifacts_dir / f"390-{name}.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
    return wide


def test_a_state_editor_reads_home_the_state_dashboard_and_a_period_form_on_a_phone(
    browser: Browser, live_server, world, editor, artifacts_dir
):
    page = page_for(browser, live_server.url, editor.email)
    paths = {
        "editor-home": "/",
        "editor-state-dashboard": "/tableros/entidad/10/",
        "editor-state-coordination": "/tableros/entidad/10/?anio=2025#h-coordination",
        "editor-state-cycle": "/tableros/entidad/10/?anio=2025#h-cycle",
        "editor-period-form": f"/indicadores/{world['by_sex'].code}/periodos/2025-T2/",
        "editor-charts": f"/tableros/indicador/{world['indicator'].code}/",
    }
    assert too_wide(page, live_server.url, paths, artifacts_dir) == {}


def test_a_reviewer_reads_home_and_a_review_queue_of_several_rows_on_a_phone(
    browser: Browser, live_server, world, reviewer, artifacts_dir
):
    page = page_for(browser, live_server.url, reviewer.email)
    page.goto(live_server.url + "/indicadores/revision/")
    expect(page.get_by_role("row")).to_have_count(6)  # the heading row and five reports
    paths = {"reviewer-home": "/", "reviewer-queue": "/indicadores/revision/"}
    assert too_wide(page, live_server.url, paths, artifacts_dir) == {}


def test_a_national_coordinator_reads_the_map_and_a_state_on_a_phone(
    browser: Browser, live_server, world, coordinator, artifacts_dir
):
    page = page_for(browser, live_server.url, coordinator.email)
    paths = {
        "coordinator-home": "/",
        "coordinator-national": "/tableros/",
        "coordinator-national-pending": "/tableros/?medida=pendientes",
        "coordinator-national-coordination": "/tableros/?anio=2025&medida=acuerdos_a_tiempo",
        "coordinator-national-cycle": "/tableros/?anio=2025&medida=asm_vencidos",
        "coordinator-national-stage": "/tableros/?anio=2025&medida=etapa_programa",
        "coordinator-programmes": "/tableros/programas/?anio=2025",
        "coordinator-state": "/tableros/entidad/10/",
        "coordinator-queue": "/indicadores/revision/",
    }
    assert too_wide(page, live_server.url, paths, artifacts_dir) == {}
    # The map shrinks to the screen instead of hiding states beyond its edge.
    page.goto(live_server.url + "/tableros/")
    yucatan = page.get_by_role("link", name="Yucatán:")
    assert yucatan.bounding_box()["x"] + yucatan.bounding_box()["width"] <= PHONE["width"]


def test_a_citizen_reads_the_portal_on_a_phone(browser: Browser, live_server, world, artifacts_dir):
    page = page_for(browser, live_server.url, None)
    paths = {"portal-home": "/portal/", "portal-state": "/portal/entidades/durango/"}
    assert too_wide(page, live_server.url, paths, artifacts_dir) == {}
