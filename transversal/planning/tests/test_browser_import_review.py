"""On a phone, an editor sees which items to review and includes a line the reader left out
(issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).parent / "fixtures" / "ingest" / "plan_flat_axes.txt"


def test_a_phone_review_marks_items_and_includes_a_left_out_line(
    browser: Browser, live_server, outsider, zacatecas, artifacts_dir
):
    from transversal.planning.models import Plan

    context = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, outsider.email)  # the Zacatecas editor
    page.goto(f"{live_server.url}/planes/importar/")
    page.get_by_label("Tipo de plan").select_option("ped")
    page.get_by_label("Documento").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Leer documento").click()
    expect(page.get_by_role("heading", name="Revisar importación")).to_be_visible()
    expect(page.get_by_text("⚠ Revisar").first).to_be_visible()
    expect(page.get_by_role("heading", name="Líneas que no se tomaron")).to_be_visible()
    screenshot(page, artifacts_dir / "planning-review-390.png")
    # Nothing spills sideways on a phone.
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391"
        " && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide

    line = page.get_by_role("group", name="Línea 1")
    line.get_by_label("Incluir como elemento").check()
    line.get_by_label("Número").fill("5.1")
    line.get_by_label("Debajo de").select_option(
        label="5 Igualdad sustantiva entre mujeres y hombres"
    )
    page.get_by_role("button", name="Guardar plan").click()
    expect(page.get_by_text("Honestidad, todo servidor público").first).to_be_visible()
    plan = Plan.objects.get(institution=zacatecas)
    assert plan.items.get(code="5.1").parent.code == "5"
