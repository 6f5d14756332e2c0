"""A state editor imports a plan chapter in a real Chromium, fixes one item and follows the
alignment chain."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from transversal.planning.ingest.seeds import find_seed
from transversal.testing import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        find_seed("004_") is None, reason="the seeds folder is not beside the checkout"
    ),
]


@pytest.fixture
def national_programme(national):
    from transversal.planning.ingest import DraftItem, DraftPlan
    from transversal.planning.models import PlanKind
    from transversal.planning.services import plan_create_from_draft, plan_publish

    draft = DraftPlan(
        title="Programa nacional de prueba",
        period_start=2020,
        period_end=2024,
        items=[
            DraftItem(
                code="4",
                level="objective",
                text="Combatir los tipos y modalidades de violencia contra las mujeres",
            ),
        ],
    )
    plan = plan_create_from_draft(
        actor=None,
        institution=national,
        kind=PlanKind.NATIONAL_PROGRAM,
        draft=draft,
        code="programa-nacional-prueba",
    )
    plan_publish(actor=None, plan=plan)
    return plan


def test_import_fix_an_item_save_and_follow_the_alignment_chain(
    browser: Browser, live_server, outsider, zacatecas, national_programme, artifacts_dir
):
    from transversal.planning.models import PlanItem
    from transversal.planning.services import alignment_create

    page = browser.new_context(locale="es-MX").new_page()
    sign_in(page, live_server.url, outsider.email)  # the Zacatecas editor

    page.goto(f"{live_server.url}/planes/importar/")
    page.get_by_label("Tipo de plan").select_option("ped")
    page.get_by_label("Documento").set_input_files(str(find_seed("004_")))
    page.get_by_role("button", name="Leer documento").click()
    expect(page.get_by_role("heading", name="Revisar importación")).to_be_visible()
    screenshot(page, artifacts_dir / "planning-1-preview.png")

    # The editor shortens one strategy's text before saving.
    row = page.locator("tr", has=page.locator("input[value='2.10.4']"))
    row.locator("textarea").fill("Operar un programa de capacitación para la reeducación.")
    page.get_by_role("button", name="Guardar plan").click()
    for code in ("2.10.1", "2.10.2", "2.10.3", "2.10.4", "2.10.5", "2.10.6"):
        expect(page.get_by_text(code, exact=False).first).to_be_visible()
    expect(
        page.get_by_text("Operar un programa de capacitación para la reeducación.")
    ).to_be_visible()
    screenshot(page, artifacts_dir / "planning-2-tree.png")

    strategy = PlanItem.objects.get(code="2.10.3", plan__institution=zacatecas)
    objective = PlanItem.objects.get(plan=national_programme, code="4")
    alignment_create(actor=None, from_item=strategy, to_item=objective, note="Prueba")
    page.goto(f"{live_server.url}/planes/{strategy.plan.code}/elementos/{strategy.pk}/")
    chain = page.locator("#chain").locator("xpath=..")
    expect(chain).to_contain_text("Programa nacional de prueba")
    screenshot(page, artifacts_dir / "planning-3-chain.png")
