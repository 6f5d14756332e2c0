"""In a real Chromium: the national coordination imports a statistics file (a bad one first,
refused with its row named and nothing saved, then a good one, previewed and confirmed); an
anonymous visitor then reads the indicator's map, table and series chart and a state's gaps;
axe-core finds no serious or critical violation on the public pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.genderstats.models import StatValue
from transversal.genderstats.tests.factories import HEADER, make_indicator
from transversal.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = "\n".join(
    [
        HEADER,
        "ocupadas,2022,10,mujeres,,300000,Personas,ENDIREH,12,,",
        "ocupadas,2022,10,hombres,,450000,Personas,ENDIREH,16,,",
        "ocupadas,2024,10,mujeres,,310500,Personas,ENDIREH,12,,",
        "ocupadas,2024,10,hombres,,452300,Personas,ENDIREH,31,,",
        "ocupadas,2024,32,mujeres,,291200,Personas,ENDIREH,5,,",
        "ocupadas,2024,32,hombres,,410050,Personas,ENDIREH,5,,",
    ]
)
BAD = GOOD + "\nocupadas,2024,01,mujeres,,mucho,Personas,ENDIREH,,,"


def upload(page: Page, base: str, content: str, tmp_path, name: str) -> None:
    path = tmp_path / name
    path.write_text(content + "\n")
    page.goto(f"{base}/observatorio/estadisticas/")
    page.get_by_role("link", name="Importar valores (CSV o XLSX)").click()
    page.get_by_label("Archivo CSV o XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Revisar el archivo").click()


def test_the_coordination_imports_and_a_visitor_reads_the_gaps(
    browser, live_server, coordinator, tmp_path, artifacts_dir
):
    make_indicator("ocupadas", measure="conteo", unit="Personas", direction="negative")
    page = browser.new_context(locale="es-MX").new_page()
    sign_in(page, live_server.url, coordinator.email)

    upload(page, live_server.url, BAD, tmp_path, "malo.csv")
    expect(page.get_by_text("no se guardó nada")).to_be_visible()
    expect(page.get_by_text("Fila 8, columna «valor»:")).to_be_visible()
    assert not StatValue.objects.exists()

    upload(page, live_server.url, GOOD, tmp_path, "bueno.csv")
    expect(page.get_by_text("6 valores nuevos")).to_be_visible()
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_text("Se importaron los valores.")).to_be_visible()
    assert StatValue.objects.count() == 6

    visitor = browser.new_context(locale="es-MX").new_page()
    visitor.goto(f"{live_server.url}/portal/estadisticas/")
    visitor.get_by_role("link", name="Indicador ocupadas").click()
    durango = visitor.get_by_role("row").filter(has_text="Durango")
    expect(durango).to_contain_text("-141,800")  # 310,500 − 452,300
    expect(durango).to_contain_text("68.6")  # women per 100 men
    expect(durango).to_contain_text("precisión baja")
    expect(visitor.locator(".tile.s10")).to_contain_text("brecha mayor")
    assert_accessible(visitor, "genderstats-indicator", artifacts_dir)

    visitor.get_by_role("link", name="Durango", exact=True).first.click()
    expect(visitor.get_by_role("heading", name="Serie por año: Durango")).to_be_visible()
    expect(visitor.locator("#chart-series svg")).to_be_visible()
    visitor.get_by_role("link", name="Todas las brechas de Durango").click()
    expect(visitor.get_by_role("heading", name="Brechas de género: Durango")).to_be_visible()
    expect(visitor.get_by_text("1 de 2")).to_be_visible()
    assert_accessible(visitor, "genderstats-state", artifacts_dir)
