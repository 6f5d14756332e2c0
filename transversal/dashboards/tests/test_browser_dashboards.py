"""A coordinator in a real Chromium: changes the map measure, drills down from the map to a state,
an agreement, an indicator's charts, a period and its evidence; axe-core checks both dashboards."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from transversal.testing import blank_pdf, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page, name: str, artifacts_dir) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    (artifacts_dir / f"{name}-axe.txt").write_text(
        results.generate_report() if serious else "sin violaciones graves\n"
    )
    assert serious == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in serious
    ]


@pytest.fixture
def dataset(national, durango, zacatecas):
    from transversal.dashboards.tests.data import known_dataset
    from transversal.monitoring.services import evidence_add, update_submit
    from transversal.monitoring.tests.factories import (
        approve_all_levels,
        draft,
        second_pair_of_eyes,
    )

    data = known_dataset(national, durango, zacatecas)
    update = draft(
        data["indicator"],
        "2025-T4",
        Decimal(98),
        breakdown={"sex": {"women": Decimal(70), "men": Decimal(28)}},
    )
    evidence_add(
        actor=None,
        update=update,
        upload=io.BytesIO(blank_pdf()),
        filename="lista-de-asistencia.pdf",
    )
    update = update_submit(actor=None, update=update, expected_version=update.version)
    approve_all_levels(actor=second_pair_of_eyes(), update=update)
    return data


def test_a_coordinator_reads_the_map_and_drills_down_to_the_evidence(
    page: Page, live_server, coordinator, dataset, artifacts_dir
):
    base = live_server.url
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            csp_errors.append(m.text)
            if "Content Security Policy" in m.text or "unsafe-eval" in m.text
            else None
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, coordinator.email)

    # The national map, by share of goals green.
    page.goto(f"{base}/tableros/")
    expect(page.get_by_role("heading", name="Mapa: Metas en verde (%)")).to_be_visible()
    durango = page.get_by_role("link", name="Durango:")
    expect(durango).to_contain_text("66.7 %")  # 2 of 3 goals with data are green
    expect(durango).to_contain_text("Crítico")  # the colour always comes with its label
    assert_accessible(page, "tablero-nacional", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-1-nacional.png")

    # The coordinator switches the measure to pending reviews.
    page.get_by_label("Colorear el mapa por").select_option(label="Reportes por revisar")
    page.get_by_role("button", name="Aplicar").click()
    expect(page.get_by_role("heading", name="Mapa: Reportes por revisar")).to_be_visible()
    expect(page.get_by_role("link", name="Durango:")).to_contain_text("2 por revisar")
    screenshot(page, artifacts_dir / "tableros-2-pendientes.png")

    # Keyboard: the tiles are links in the tab order.
    page.get_by_role("link", name="Durango:").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tablero de Durango", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Semáforo de la entidad")).to_be_visible()
    assert_accessible(page, "tablero-estatal", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-3-durango.png")

    # The agreement page from the list of the state's convenios, and back (the programme panel
    # names the same convenio with a link to the same page).
    agreements = page.get_by_role("region", name="Convenios y sus metas")
    agreements.get_by_role("link", name="Convenio de colaboración de prueba").click()
    expect(page.get_by_role("heading", name="Convenio de colaboración de prueba")).to_be_visible()
    page.go_back()

    # The indicator's charts render inside their containers, with their data tables.
    page.get_by_role(
        "link", name="Ver gráficas de Personas capacitadas en igualdad sustantiva"
    ).click()
    expect(
        page.get_by_role("heading", name="Personas capacitadas en igualdad sustantiva", level=1)
    ).to_be_visible()
    expect(page.locator("#chart-progress svg").first).to_be_attached(timeout=20_000)
    expect(page.locator("#chart-sex svg").first).to_be_attached()
    expect(page.get_by_role("table").first).to_contain_text("Valor aprobado")
    assert_accessible(page, "graficas-indicador", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-4-graficas.png")
    page.go_back()

    # The latest approved period, and its evidence file.
    page.get_by_role("link", name="4.º trimestre 2025").click()
    evidence = page.get_by_role("link", name="lista-de-asistencia.pdf")
    expect(evidence).to_be_visible()
    screenshot(page, artifacts_dir / "tableros-5-periodo.png")
    response = page.request.get(base + evidence.get_attribute("href"))
    assert response.status == 200
    assert response.body().startswith(b"%PDF")

    assert csp_errors == []
