"""Beyond what axe scores (issue 21): a refused form says what to fix and where, the focus goes
there, the focus ring can be seen on every background, every control on the convenio page has its
own id and name, no link sits inside a <summary>, and a table too wide for a phone scrolls in a
box reached with the keyboard without making the page scroll sideways."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def world(national, durango, zacatecas):
    """The dashboards' known dataset (a convenio with goals, reports waiting for review), a
    commitment on the convenio, an indicator whose numerator and denominator have help texts,
    and a plan with a tree."""
    from transversal.agreements.services import commitment_add
    from transversal.dashboards.tests.data import known_dataset
    from transversal.monitoring.tests.factories import indicator_with_calendar, submitted
    from transversal.planning.tests.factories import generated_plan

    data = known_dataset(national, durango, zacatecas)
    commitment_add(
        actor=None,
        agreement=data["agreement"],
        party="state",
        text="Entregar el informe trimestral",
        area="economic_empowerment",
    )
    data["ratio"] = indicator_with_calendar(
        durango,
        name="Porcentaje de municipios con instancia de las mujeres",
        measure="percentage",
        unit="%",
        numerator_label="Municipios con instancia",
        denominator_label="Municipios de la entidad",
    )
    for n in range(3):
        long_name = f"Porcentaje de municipios con instancia municipal en operación ({n + 1})"
        submitted(indicator_with_calendar(durango, name=long_name), "2025-T1", Decimal(1234567))
    data["plan"] = generated_plan(durango, 12)
    return data


def new_page(browser: Browser, base: str, email: str, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport, locale="es-MX").new_page()
    sign_in(page, base, email)
    return page


DESCRIBED = """(id) => {
  const field = document.getElementById(id);
  const ids = (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
  return {
    invalid: field.getAttribute('aria-invalid'),
    described: ids.map((ref) => {
      const target = document.getElementById(ref);
      return [ref, target ? target.textContent.trim() : null];
    }),
  };
}"""


def summary_links(page: Page) -> list[tuple[str, str]]:
    links = page.locator(".error-summary a")
    return [
        (links.nth(i).get_attribute("href"), links.nth(i).inner_text())
        for i in range(links.count())
    ]


def test_a_refused_progress_form_focuses_its_error_summary_linked_to_each_invalid_field(
    browser: Browser, live_server, world, editor
):
    page = new_page(browser, live_server.url, editor.email, DESKTOP)
    page.goto(f"{live_server.url}/indicadores/{world['ratio'].code}/periodos/2025-T2/")

    # A value that is not a number: the summary takes the focus and links to the value field.
    page.get_by_label("Valor", exact=True).fill("abc")
    page.get_by_role("button", name="Guardar borrador").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="Corrija lo siguiente")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert [href for href, _text in summary_links(page)] == ["#id_value"]
    value = page.evaluate(DESCRIBED, "id_value")
    assert value["invalid"] == "true"
    assert [ref for ref, _text in value["described"]] == ["id_value_error"]
    assert value["described"][0][1]  # the error box exists and says something
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Valor", exact=True)).to_be_focused()

    # A numerator without its denominator: the missing one is marked, described by its help
    # text and by the error.
    page.get_by_label("Valor", exact=True).fill("")
    page.get_by_label("Numerador").fill("5")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert [href for href, _text in summary_links(page)] == ["#id_denominator"]
    denominator = page.evaluate(DESCRIBED, "id_denominator")
    assert denominator["invalid"] == "true"
    assert denominator["described"] == [
        ["id_denominator_helptext", "Municipios de la entidad"],
        ["id_denominator_error", "Capture numerador y denominador, o ninguno de los dos."],
    ]
    numerator = page.evaluate(DESCRIBED, "id_numerator")
    assert numerator["described"] == [["id_numerator_helptext", "Municipios con instancia"]]
    assert page.title().startswith("Error: ")


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


RING = """(el) => {
  const style = getComputedStyle(el);
  // What lies around the ring: the first ancestor with a background of its own.
  let node = el.parentElement, around = 'rgb(255, 255, 255)';
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && !bg.startsWith('rgba(0, 0, 0, 0')) { around = bg; break; }
    node = node.parentElement;
  }
  return {
    visible: el.matches(':focus-visible'),
    outline: style.outlineColor, outlineWidth: style.outlineWidth,
    halo: style.boxShadow, around: around,
  };
}"""

# Every background a focus ring meets: the page, the grey filter bars, the map tiles' fills
# (traffic lights and the count scale) and the purple header.
BACKGROUNDS = {
    "white": (255, 255, 255),
    "filter bar": (0xF4, 0xF5, 0xF7),
    "tile green": (0xD4, 0xED, 0xDB),
    "tile yellow": (0xFB, 0xE7, 0xB0),
    "tile red": (0xF6, 0xD0, 0xCD),
    "tile no data": (0xEC, 0xEE, 0xF1),
    "tile level 1": (0xEF, 0xDF, 0xE9),
    "tile level 2": (0xD9, 0xAD, 0xC9),
    "tile level 3": (0x6A, 0x1B, 0x4D),
    "header": (0x6A, 0x1B, 0x4D),
}


def test_the_focus_ring_stands_out_3_to_1_on_every_background(
    browser: Browser, live_server, world, coordinator, artifacts_dir
):
    page = new_page(browser, live_server.url, coordinator.email, DESKTOP)
    page.goto(f"{live_server.url}/tableros/")
    page.keyboard.press("Tab")  # a keyboard user: focus() below shows the ring
    targets = {
        "header link": page.locator(".site-header").get_by_role("link", name="Planes"),
        "page link": page.locator("main a").first,
        "filter bar": page.locator(".dash-filters select").first,
        "tile": page.get_by_role("link", name="Durango:"),
    }
    measured = {}
    for name, locator in targets.items():
        locator.focus()
        ring = locator.evaluate(RING)
        assert ring["visible"] and ring["outlineWidth"] == "3px", (name, ring)
        outline, halo = _rgb(ring["outline"]), _rgb(ring["halo"])
        around = _rgb(ring["around"])
        # The ring's outer tone against what surrounds it, and its two tones against each other.
        measured[name] = (contrast(outline, around), contrast(outline, halo))
        assert contrast(outline, around) >= 3, (name, ring)
        assert contrast(outline, halo) >= 3, (name, ring)
        # Wherever it lands (a neighbouring tile, the filter bar, the header), one tone stands out.
        for background, rgb in BACKGROUNDS.items():
            best = max(contrast(outline, rgb), contrast(halo, rgb))
            assert best >= 3, (name, background, best)
    assert set(measured) == set(targets)
    (artifacts_dir / "focus-ring-contrast.txt").write_text(
        "".join(
            f"{name}: {against:.1f}:1 against its surroundings, tones {tones:.1f}:1 apart\n"
            for name, (against, tones) in measured.items()
        )
    )


IDS_AND_NAMES = """() => {
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  const unnamed = [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => e.type !== 'hidden')
    .filter((e) => {
      const labelled = [...(e.labels || [])].some((l) => l.textContent.trim());
      return !labelled && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby');
    })
    .map((e) => e.name);
  return {duplicates, unnamed};
}"""


def test_every_control_on_the_convenio_page_has_its_own_id_and_a_name(
    browser: Browser, live_server, world, coordinator
):
    page = new_page(browser, live_server.url, coordinator.email, DESKTOP)
    page.goto(f"{live_server.url}/convenios/{world['agreement'].code}/")
    expect(page.get_by_role("heading", name="Metas")).to_be_visible()
    assert page.evaluate(IDS_AND_NAMES) == {"duplicates": [], "unnamed": []}
    # The goal form's number and area are named by their own labels.
    page.get_by_text("Agregar meta", exact=True).first.click()
    form = page.locator(f"form[action='/convenios/{world['agreement'].code}/metas/']")
    expect(form.get_by_label("Número")).to_have_attribute("id", "meta_number")


def test_no_link_sits_inside_a_summary_of_the_plan_tree(
    browser: Browser, live_server, world, viewer
):
    page = new_page(browser, live_server.url, viewer.email, DESKTOP)
    page.goto(live_server.url + reverse("planning:detail", args=[world["plan"].code]))
    expect(page.locator("details.tree-children summary").first).to_be_visible()
    assert page.locator("summary a, summary button, summary input").count() == 0
    # Each element still opens from its own link, beside the disclosure of its children.
    expect(page.get_by_role("link", name=re.compile("Objetivo 1$"))).to_be_visible()


SCROLL_BOXES = """() => [...document.querySelectorAll('.table-wrap')]
  .filter((box) => box.scrollWidth > box.clientWidth + 1)
  .map((box) => {
    const ref = box.getAttribute('aria-labelledby');
    const source = ref && document.getElementById(ref);
    return {
      tabindex: box.getAttribute('tabindex'),
      role: box.getAttribute('role'),
      name: source ? source.textContent.trim() : box.getAttribute('aria-label'),
    };
  })"""


def test_wide_tables_scroll_in_named_boxes_reached_by_keyboard_and_pages_stay_390_wide(
    browser: Browser, live_server, world, coordinator, reviewer, artifacts_dir
):
    from axe_playwright_python.sync_playwright import Axe

    pages = {
        "queue": (reviewer, "/indicadores/revision/"),
        "convenio": (coordinator, f"/convenios/{world['agreement'].code}/"),
        "state-dashboard": (coordinator, "/tableros/entidad/10/"),
        "indicator": (coordinator, f"/indicadores/{world['indicator'].code}/"),
        "reports": (coordinator, "/reportes/"),
        "plans": (coordinator, "/planes/"),
    }
    rules = {"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}}
    seen = {}
    for name, (person, path) in pages.items():
        page = new_page(browser, live_server.url, person.email, PHONE)
        page.goto(live_server.url + path)
        screenshot(page, artifacts_dir / f"390-keyboard-{name}.png")
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"], name
        # Every fold opened ("Devolver…", the add forms), the page is still as wide as the screen.
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"], name
        boxes = page.evaluate(SCROLL_BOXES)
        for box in boxes:
            assert box["tabindex"] == "0" and box["role"] == "region" and box["name"], (name, box)
        violations = Axe().run(page, options=rules).response["violations"]
        assert violations == [], (name, [n["target"] for v in violations for n in v["nodes"]])
        seen[name] = len(boxes)
        page.context.close()
    # The check ran over real scrolling boxes, not over pages where every table fitted.
    assert sum(seen.values()) > 0, seen
    print("scrolling boxes at 390 px:", seen)
