"""A citizen browses the public portal in a real Chromium, without an account,
downloads an open-data file, and the pages pass an automated accessibility check."""

from __future__ import annotations

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from transversal.portal.tests.world import SECRETS, build_world
from transversal.testing import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def public_world(media, durango, national):
    return build_world(durango, national)


def assert_accessible(page: Page, label: str) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in blocking
    )
    assert not blocking, f"accessibility problems on {label}:\n{report}"


def test_a_citizen_browses_from_home_to_an_indicator_and_downloads_open_data(
    page: Page, live_server, public_world, artifacts_dir
):
    base = live_server.url
    page.goto(f"{base}/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Portal público de la política de igualdad"
    )
    screenshot(page, artifacts_dir / "portal-1-home.png")
    assert_accessible(page, "the portal home")

    page.get_by_role("link", name="Durango", exact=True).click()
    expect(page).to_have_url(f"{base}/portal/entidades/durango/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Durango")
    expect(page.get_by_text("Instituto Estatal de las Mujeres").first).to_be_visible()
    screenshot(page, artifacts_dir / "portal-2-state.png")
    assert_accessible(page, "a state page")

    page.get_by_role("link", name="Personas capacitadas en igualdad sustantiva").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Personas capacitadas en igualdad sustantiva"
    )
    values = page.get_by_role("table", name="Meta, valor aprobado y semáforo de cada periodo")
    first_row = values.get_by_role("row").nth(1)
    expect(first_row).to_contain_text("95")
    expect(first_row).to_contain_text("Aceptable")
    expect(page.get_by_text("Cómo se calcula el semáforo")).to_be_visible()
    html = page.content()
    for marker in SECRETS.values():
        assert marker not in html
    screenshot(page, artifacts_dir / "portal-3-indicator.png")
    assert_accessible(page, "an indicator page")

    page.get_by_role("navigation", name="Portal público").get_by_role(
        "link", name="Datos abiertos"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Datos abiertos")
    expect(page.get_by_text("CC-BY-4.0").first).to_be_visible()
    screenshot(page, artifacts_dir / "portal-4-open-data.png")
    assert_accessible(page, "the open-data index")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="valores-aprobados.csv").click()
    download = download_info.value
    assert download.suggested_filename == "valores-aprobados.csv"
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["valor"] for row in rows] == ["95"]
