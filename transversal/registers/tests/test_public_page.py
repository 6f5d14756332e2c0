"""The registers' page on the public portal (/portal/registros/): a table per register by state
for a year, a state filter and a tile map, all from registers.public (so through the one
small-count rule), never a row of a register."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from transversal.portal.tests.conftest import body
from transversal.portal.views_registers import SMALL, map_classes, map_legend, map_split
from transversal.registers.tests import public_world as w

pytestmark = pytest.mark.django_db

URL = "/portal/registros/"


def page(client, params: dict | None = None) -> str:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return body(response)


def section(text: str, register: str) -> str:
    [found] = re.findall(rf'<section[^>]*id="registro-{register}">(.*?)</section>', text, re.S)
    return found


def table_rows(fragment: str) -> list[list[str]]:
    """Each body row of each table in the fragment as its cells' text."""
    rows = []
    for tbody in re.findall(r"<tbody>(.*?)</tbody>", fragment, re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def test_each_register_has_a_table_by_state_for_the_latest_year(
    client, durango, zacatecas, national
):
    w.training(durango, women=1200, men=40, audience="public_servants")
    w.training(durango, women=9, men=9, end=dt.date(2024, 3, 1))
    w.training(zacatecas, women=20, men=10, audience="general")
    w.training(national, women=30, men=20)
    text = page(client)
    rows = table_rows(section(text, "training"))
    # Sex table, then audience table: the nation's own entries first, then the states.
    assert rows == [
        ["Institución nacional", "1", "50", "30", "20", "0", "60"],
        ["Durango", "1", "1,240", "1,200", "40", "0", "96.8"],
        ["Zacatecas", "1", "30", "20", "10", "0", "66.7"],
        ["Institución nacional", "50", "0", "0"],
        ["Durango", "1,240", "0", "0"],
        ["Zacatecas", "0", "30", "0"],
    ]
    assert "No hay registros de este año." in section(text, "service")
    earlier = table_rows(section(page(client, {"anio": "2024"}), "training"))
    assert earlier[0] == ["Durango", "1", "18", "9", "9", "0", "50"]


def test_small_counts_show_as_suppressed_and_the_share_is_left_out(client, durango):
    w.service(durango, women=40, men=3, service_type="legal")
    rows = table_rows(section(page(client), "service"))
    assert rows[0] == ["Durango", "1", "43", "suprimido", "suprimido", "0", "—"]
    assert rows[1][2] == "43"  # legal: 43 of 43 people


def test_synthetic_figures_say_so(client, durango, zacatecas):
    w.affirmative(durango, synthetic=True)
    w.affirmative(zacatecas)
    text = page(client)
    rows = table_rows(section(text, "affirmative"))
    assert rows[0][0] == "Durango dato sintético"
    assert rows[1][0] == "Zacatecas"
    assert "no son datos oficiales" in text


def test_the_state_filter_keeps_one_state_but_the_map_keeps_all(client, durango, zacatecas):
    w.participation(durango, women=6, men=6)
    w.participation(zacatecas, women=10, men=10)
    text = page(client, {"entidad": "zacatecas", "mapa": "participation"})
    rows = table_rows(section(text, "participation"))
    assert [row[0] for row in rows] == ["Zacatecas", "Zacatecas"]
    tiles = re.findall(r'<li class="tile s(\d\d) (level-\d)">', text)
    assert len(tiles) == 32
    assert dict(tiles)["10"] == "level-1" and dict(tiles)["32"] == "level-3"
    assert 'href="/portal/registros/?anio=2025&amp;entidad=durango&amp;mapa=participation"' in text
    national = page(client, {"entidad": "nacional"})
    assert "No hay registros de este año." in section(national, "participation")


def _legend(text: str) -> dict[str, str]:
    """The map legend's lines by their swatch's class, as text."""
    [legend] = re.findall(r'<div id="registers-legend">(.*?)</div>', text, re.S)
    items = re.findall(r'<li><span class="swatch ([\w-]+)"[^>]*></span>(.*?)</li>', legend, re.S)
    return {css: html.unescape(re.sub(r"\s+", " ", line)).strip() for css, line in items}


def _range(line: str) -> tuple[int, int]:
    """The figures a legend line covers: «de 50 a 700 personas» or «10 personas»."""
    found = re.search(r"de ([\d,]+) a ([\d,]+) personas", line) or re.search(
        r": ([\d,]+)() personas", line
    )
    low, high = found.groups()
    return int(low.replace(",", "")), int((high or low).replace(",", ""))


def test_the_map_legend_states_the_figures_of_each_class_and_leaves_small_counts_out(client):
    from transversal.conftest import make_institution

    counts = {"01": 3, "02": 10, "03": 10, "05": 50, "07": 700, "10": 1240, "32": 5300}
    for code, people in counts.items():
        w.training(make_institution(f"imef-{code}", code, "Instituto"), women=people, men=0)
    text = page(client)
    tiles = {
        code: (css, int(figure.replace(",", "")), label)
        for code, css, figure, label in re.findall(
            r'<li class="tile s(\d\d) ([\w-]+)">.*?<span class="tile-figure">([^<]*)</span>\s*'
            r'<span class="tile-label">([^<]*)</span>',
            text,
            re.S,
        )
        if figure != "—"
    }
    assert {code: figure for code, (_css, figure, _l) in tiles.items()} == counts
    legend = _legend(text)
    for css, n in (("level-3", 2), ("level-2", 2), ("level-1", 2)):
        low, high = _range(legend[css])
        shown = [figure for tile_css, figure, _label in tiles.values() if tile_css == css]
        assert len(shown) == n and all(low <= figure <= high for figure in shown), css
        assert f"({n} entidades)" in legend[css]
    assert legend["level-3"].startswith("más personas: de 1,240 a 5,300 personas")
    assert legend["level-1"].startswith("menos personas: 10 personas")  # a tie, one class
    # The small count (3 of fewer than 5) is said to be one and takes no shade of the scale.
    assert tiles["01"] == ("level-small", 3, "conteo pequeño")
    assert legend["level-small"].startswith("conteo pequeño: de 1 a 4 personas")
    assert "(1 entidad)" in legend["level-small"]
    assert legend["level-0"] == "sin registros (25 entidades)"


def _explanation(text: str) -> str:
    """The legend's paragraph that states the rule, as text."""
    [legend] = re.findall(r'<div id="registers-legend">(.*?)</div>', text, re.S)
    [paragraph] = [p for p in re.findall(r"<p[^>]*>(.*?)</p>", legend, re.S) if "Cada" in p]
    return html.unescape(re.sub(r"\s+", " ", paragraph))


def test_with_ties_the_legends_explanation_states_this_years_split_as_the_legend_does(client):
    from transversal.conftest import make_institution

    # Eight states: without ties 2, 4 and 2; the three tens share the lowest level.
    counts = dict(zip(["01", "02", "03", "05", "07", "10", "14", "32"], [10, 10, 10, 20, 30,
                  40, 50, 60], strict=True))  # fmt: skip
    for code, people in counts.items():
        w.training(make_institution(f"imef-{code}", code, "Instituto"), women=people, men=0)
    text = page(client)
    legend = _legend(text)
    assert "(3 entidades)" in legend["level-1"]
    assert "(3 entidades)" in legend["level-2"]
    assert "(2 entidades)" in legend["level-3"]
    explanation = _explanation(text)
    assert (
        "Este año: 3 entidades en «menos personas», 3 en «nivel intermedio» y 2 en «más personas»."
        in explanation
    )
    # The quarter/half/quarter split is given as what holds without ties, never as this year's.
    assert "sin empates y con las 32 entidades clasificadas serían 8, 16 y 8" in explanation
    assert "(con las 32 entidades: 8, 16 y 8)" not in explanation


def test_with_all_32_states_and_a_tie_the_split_is_the_legends_not_8_16_and_8():
    people = {f"{n:02d}": 10 * n for n in range(1, 33)}
    people["09"] = people["10"] = 80  # a tie with the eighth: across the first boundary
    classes = map_classes(people, 5)
    counts = {
        css: int(re.search(r"\((\d+) entidad", line).group(1))
        for css, line in map_legend(classes, people, 5, 32)
        if css in ("level-1", "level-2", "level-3")
    }
    assert counts == {"level-1": 10, "level-2": 14, "level-3": 8}
    assert map_split(classes, 5) == (
        "Este año: 10 entidades en «menos personas», 14 en «nivel intermedio» y 8 en "
        "«más personas»."
    )


def test_without_states_of_enough_people_the_split_says_none_has_a_level(client, durango):
    w.training(durango, women=2, men=0)
    assert "Este año ninguna entidad tiene 5 personas o más: ninguna tiene nivel." in (
        _explanation(page(client))
    )


def _map(text: str) -> str:
    [found] = re.findall(r'<section aria-labelledby="h-map">(.*?)</section>', text, re.S)
    return found


def test_the_map_says_dato_sintetico_when_a_figure_on_it_counts_invented_entries(
    client, durango, zacatecas
):
    w.training(durango, synthetic=True)
    w.training(zacatecas)
    text = _map(page(client))
    [heading] = re.findall(r'<h2 id="h-map">(.*?)</h2>', text, re.S)
    assert "dato sintético" in heading
    [note] = re.findall(r'<p class="synthetic-notice" id="map-synthetic">(.*?)</p>', text, re.S)
    note = html.unescape(re.sub(r"<[^>]+>", "", note))
    assert note == (
        "dato sintético La cifra de Durango incluye registros inventados para demostración: "
        "no es un dato oficial."
    )
    w.training(zacatecas, synthetic=True)
    assert "Todas las cifras de este mapa incluyen registros inventados" in _map(page(client))


def test_the_map_counts_the_states_with_invented_figures_when_there_are_many(client, durango):
    from transversal.conftest import make_institution

    w.training(durango)
    for code in ("01", "02", "03", "05", "07", "14", "19", "24", "32"):
        w.training(make_institution(f"imef-{code}", code, "Instituto"), synthetic=True)
    text = _map(page(client))
    assert "dato sintético" in re.findall(r'<h2 id="h-map">(.*?)</h2>', text, re.S)[0]
    assert (
        "Las cifras de 9 entidades incluyen registros inventados para demostración (las tablas "
        "las señalan): no son datos oficiales." in html.unescape(text)
    )


def test_the_map_is_not_marked_when_its_figures_are_all_real(client, durango, national):
    w.training(durango)
    w.training(national, synthetic=True)  # in the tables, not on the map
    w.affirmative(durango, synthetic=True)  # another register than the map's
    text = page(client)
    assert "dato sintético" not in _map(text)
    assert "dato sintético" in section(text, "affirmative")
    assert "dato sintético" in _map(page(client, {"mapa": "affirmative"}))


def test_unknown_filters_fall_back_to_the_defaults(client, durango):
    w.training(durango)
    text = page(client, {"anio": "1999", "entidad": "atlantida", "mapa": "<b>", "x": "1"})
    assert '<option value="2025" selected>' in text
    assert '<option value="training" selected>' in text
    assert [row[0] for row in table_rows(section(text, "training"))] == ["Durango", "Durango"]


def test_no_text_of_an_entry_reaches_the_page(client, durango, national):
    w.one_of_each(durango)
    w.one_of_each(national)
    text = page(client)
    assert w.PRIVATE not in text and w.NOTE not in text


def test_without_entries_the_page_says_there_is_nothing_yet(client):
    assert "Aún no hay registros publicados." in page(client)


def test_the_portal_home_and_its_menu_link_to_the_page(client):
    home = body(client.get(reverse("portal:home")))
    assert home.count(f'href="{URL}"') == 2  # the menu and the home's paragraph
    assert 'href="/portal/registros/" aria-current="page"' in page(client)


def test_the_page_links_to_the_open_data_files(client, durango):
    w.training(durango)
    text = page(client)
    for name in (
        "registros-capacitacion",
        "registros-acciones-afirmativas",
        "registros-participacion",
        "registros-servicios",
    ):
        assert f'href="/datos/{name}.csv"' in text


def test_the_page_takes_nine_queries_whatever_the_data(client, durango, zacatecas, national):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client, {"anio": "2012"})
        return len(captured)

    w.grow(durango, 2, 1)
    w.grow(durango, 2, 2)
    before = count()
    w.grow(zacatecas, 6, 1)
    w.grow(zacatecas, 6, 2)
    w.grow(national, 5, 2)
    # The states; the years with entries, one per register; each register's grouped rows.
    assert count() == before == 9


# The map's one classification ------------------------------------------------------------


@given(
    people=st.dictionaries(
        st.sampled_from([f"{n:02d}" for n in range(1, 33)]), st.integers(0, 20_000)
    ),
    threshold=st.integers(1, 12),
)
def test_the_legend_covers_exactly_the_figures_of_each_class(people, threshold):
    classes = map_classes(people, threshold)
    legend = dict(map_legend(classes, people, threshold, 32))
    for code, n in people.items():
        if n == 0:
            assert classes[code] == 0
        elif n < threshold:
            assert classes[code] == SMALL  # a small count takes no level
        else:
            low, high = _range(legend[f"level-{classes[code]}"])
            assert low <= n <= high
    # Equal figures share a level and the levels' ranges follow each other without overlap.
    for code, n in people.items():
        assert all(classes[other] == classes[code] for other, m in people.items() if m == n)
    ranges = [
        _range(legend[f"level-{n}"]) for n in (1, 2, 3) if "ninguna" not in legend[f"level-{n}"]
    ]
    assert all(lower[1] < higher[0] for lower, higher in zip(ranges, ranges[1:], strict=False))
    counts = [re.search(r"\(([\d,]+) entidad", line) for line in legend.values()]
    assert sum(int(found.group(1)) for found in counts if found) == 32
    # The explanation's split of this year is the legend's, ties and all.
    split = re.search(r"Este año: (\d+) entidad(?:es)? .*?, (\d+) en .*? y (\d+) en", map_split(
        classes, threshold))  # fmt: skip
    found = [re.search(r"\((\d+) entidad", legend[f"level-{n}"]) for n in (1, 2, 3)]
    per_level = [int(level.group(1)) if level else 0 for level in found]  # 0: «ninguna entidad»
    assert [int(n) for n in split.groups()] == per_level if split else per_level == [0, 0, 0]
