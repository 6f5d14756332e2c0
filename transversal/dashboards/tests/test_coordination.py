"""Interinstitutional coordination on the dashboards: the state's panel (sessions held of those
planned, overdue sessions flagged, acuerdos open, overdue and fulfilled, the share fulfilled on
time), the national table of the 32 states and the map coloured by that share.

The known world, in 2025 (every date of it is past, so it reads the same whatever day the tests
run): Durango's equality system held O-1 (10/02), left O-2 planned past its date (10/06) and
cancelled O-3. Of O-1's five acuerdos, one was fulfilled on time, one late, one is open past its
due date, one was attended and waits for verification and one was cancelled.
→ Durango: 1 of 2 sessions held, 1 overdue; 4 acuerdos: 1 open (overdue), 1 waiting, 2 fulfilled,
  1 on time: 25.0 %.
Zacatecas has a system with nothing in 2025; Aguascalientes has none.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transversal.coordination import services
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.dashboards.tests.data import known_dataset
from transversal.dashboards.tests.test_national import LAYOUT_QUERIES, tile
from transversal.followup.models import FollowUp
from transversal.followup.services import followup_note_add, followup_verify

pytestmark = pytest.mark.django_db

YEAR = 2025


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _set(resolution, **fields):
    FollowUp.objects.filter(pk=resolution.followup_id).update(**fields)


def coordination_year(system, owner, *, year: int = YEAR) -> dict:
    held = make_session(system, dt.date(year, 2, 10))
    services.session_hold(actor=None, session=held)
    make_session(system, dt.date(year, 6, 10))
    cancelled = make_session(system, dt.date(year, 9, 10))
    services.session_cancel(actor=None, session=cancelled, reason="Sin quórum")
    on_time, late, overdue, waiting, dropped = (
        make_resolution(held, owner, due=dt.date(year, 6, 30), text=f"Acuerdo {n}")
        for n in range(5)
    )
    _set(on_time, status="verified", done_on=dt.date(year, 6, 1), closed_on=dt.date(year, 6, 5))
    _set(late, status="verified", closed_on=dt.date(year, 7, 15))
    _set(waiting, status="done", due_date=dt.date(year, 12, 31), done_on=dt.date(year, 11, 1))
    _set(dropped, status="cancelled", cancel_reason="Se fusionó con otro")
    return {"held": held, "overdue": overdue}


@pytest.fixture
def world(durango, zacatecas):
    system = make_system(durango)
    make_system(zacatecas, acronym="SEIZ")
    return {"system": system, **coordination_year(system, durango)}


def state_page(client, code: str = "10", query: str = f"?anio={YEAR}"):
    response = client.get(f"/tableros/entidad/{code}/{query}")
    html = response.content.decode()
    panel = re.search(r'<section aria-labelledby="h-coordination".*?</section>', html, re.S)
    return response, html, panel.group(0) if panel else ""


# The state's panel ------------------------------------------------------------------------------


def test_the_panel_shows_the_states_sessions_and_acuerdos_of_the_year(
    client_for, coordinator, world
):
    _response, _html, panel = state_page(client_for(coordinator))
    words = text(panel)
    assert "Coordinación interinstitucional en 2025" in words
    assert "1 de 2 sesiones celebradas (de las programadas en el año)" in words
    assert "1 sesión programada vencida: pasó su fecha sin registrarse como celebrada" in words
    assert "1 acuerdo abierto, en proceso" in words
    assert "1 acuerdo vencido" in words
    assert "1 acuerdo atendido, por verificar" in words
    assert "2 acuerdos cumplidos" in words
    assert "25.0 % cumplidos a tiempo, de los 4 acuerdos del año" in words
    # Overdue sessions and acuerdos are flagged by more than their words.
    assert panel.count('class="counter-alert"') == 2


def test_each_figure_leads_to_the_systems_calendar_of_that_year(client_for, coordinator, world):
    _response, _html, panel = state_page(client_for(coordinator))
    calendar = f'href="/coordinacion/sistemas/{world["system"].code}/?anio=2025#calendar"'
    assert panel.count(calendar) == 7  # six counters and the system's row
    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", panel, re.S).group(0)
    cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["1", "2", "1", "4", "1", "2"]


def test_with_several_systems_the_figures_lead_to_their_table(
    client_for, coordinator, durango, world
):
    violence = make_system(durango, acronym="SEPASEV")
    coordination_year(violence, durango)
    _response, _html, panel = state_page(client_for(coordinator))
    assert 'href="#coordination-systems"' in panel
    assert "2 de 4 sesiones celebradas" in text(panel)
    assert f'href="/coordinacion/sistemas/{violence.code}/?anio=2025#calendar"' in panel


def test_a_state_without_a_system_says_so(client_for, coordinator, world):
    _response, _html, panel = state_page(client_for(coordinator), code="01")
    assert "La entidad no tiene sistemas de coordinación registrados." in text(panel)
    assert 'href="/coordinacion/"' in panel
    assert "counter-figure" not in panel


def test_a_state_with_a_system_and_nothing_that_year_reads_zero(client_for, outsider, world):
    _response, _html, panel = state_page(client_for(outsider), code="32")
    words = text(panel)
    assert "0 de 0 sesiones celebradas" in words
    assert "— cumplidos a tiempo: no hay acuerdos del año" in words
    assert "counter-alert" not in panel


def test_the_panel_shows_this_year_unless_asked_and_offers_the_next_and_previous(
    client_for, editor, world
):
    this_year = timezone.localdate().year
    _response, _html, panel = state_page(client_for(editor), query="")
    assert f"Coordinación interinstitucional en {this_year}" in text(panel)
    assert f'href="?anio={this_year - 1}#h-coordination"' in panel
    assert f'href="?anio={this_year + 1}#h-coordination"' in panel


@pytest.mark.parametrize("year", ["dos-mil", "1850", "²⁰²⁵", "99999999999999999999", "%00"])
def test_a_bad_year_gives_a_spanish_message_and_this_year(client_for, editor, world, year):
    response, html, panel = state_page(client_for(editor), query=f"?anio={year}")
    assert response.status_code == 400
    assert "Se ignoró un año no válido" in html
    assert f"Coordinación interinstitucional en {timezone.localdate().year}" in text(panel)


# The national view ------------------------------------------------------------------------------


def national(client, query: str = f"?anio={YEAR}&medida=acuerdos_a_tiempo") -> str:
    response = client.get(f"/tableros/{query}")
    assert response.status_code == 200
    return response.content.decode()


def coordination_row(html: str, name: str) -> list[str]:
    section = re.search(r'<section aria-labelledby="h-coordination".*?</section>', html, re.S)
    row = re.search(
        rf'<th scope="row"><a href="[^"]*">{name}</a>(.*?)</tr>', section.group(0), re.S
    ).group(0)
    return [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_national_table_has_every_state_with_its_figures(client_for, coordinator, world):
    html = national(client_for(coordinator))
    assert coordination_row(html, "Durango") == ["1", "2", "1", "4", "1", "2", "25.0 %"]
    assert coordination_row(html, "Zacatecas") == ["0"] * 6 + ["—"]
    section = re.search(r'<section aria-labelledby="h-coordination".*?</section>', html, re.S)
    assert section.group(0).count('<th scope="row">') == 32
    assert 'href="/tableros/entidad/10/?anio=2025#h-coordination"' in section.group(0)
    words = text(section.group(0))
    assert "Aguascalientes sin sistema registrado" in words
    assert "2 de 32 entidades con sistema de coordinación registrado" in words
    assert "25.0 % cumplidos a tiempo, de los 4 acuerdos del año" in words


def test_the_map_colours_the_states_by_the_share_fulfilled_on_time(client_for, coordinator, world):
    html = national(client_for(coordinator))
    assert tile(html, "10") == "level-1 Dgo. Durango: 25.0 % a tiempo"
    assert tile(html, "32") == "level-0 Zac. Zacatecas: — sin acuerdos"
    assert tile(html, "01") == "level-0 Ags. Aguascalientes: — sin sistema"
    assert "Mapa: Acuerdos de coordinación cumplidos a tiempo (%)" in html
    words = text(html)
    assert "80 % o más cumplidos a tiempo" in words  # the legend
    assert 'href="#h-coordination"' in html  # to the table, the map's text alternative


def test_a_state_fulfilling_most_on_time_is_darkest(client_for, coordinator, world):
    FollowUp.objects.exclude(status="cancelled").update(
        status="verified", done_on=dt.date(YEAR, 6, 1)
    )
    assert tile(national(client_for(coordinator)), "10") == "level-3 Dgo. Durango: 100.0 % a tiempo"


def test_the_section_offers_the_map_keeping_the_filters(client_for, coordinator, world):
    html = national(client_for(coordinator), query="?anio=2025&ronda=")
    assert 'href="?anio=2025&amp;ronda=&amp;medida=acuerdos_a_tiempo#h-map"' in html


def test_without_a_year_chosen_the_section_shows_this_year(client_for, coordinator, world):
    html = national(client_for(coordinator), query="")
    assert f"Coordinación interinstitucional en {timezone.localdate().year}" in html
    assert coordination_row(html, "Durango")[-1] == "—"


# Query budgets ----------------------------------------------------------------------------------


def grow(durango, zacatecas) -> None:
    """More systems, sessions and acuerdos in two states."""
    for institution, acronym in ((durango, "SEPASEV"), (zacatecas, "SEPASEVZ")):
        system = make_system(institution, acronym=acronym)
        for year in (YEAR, YEAR - 1):
            coordination_year(system, institution, year=year)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_state_dashboard_with_its_panel_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, zacatecas, world
):
    known_dataset(national, durango, zacatecas)
    client = client_for(coordinator)
    url = f"/tableros/entidad/10/?anio={YEAR}"
    count(client, url)  # the first request of the day may refresh the stored counts
    small = count(client, url)
    grow(durango, zacatecas)
    # test_state's twenty-six, of which three are the panel's: the state's sessions grouped, its
    # acuerdos grouped, its systems with their figures; then base.html's context processors
    assert small == count(client, url) == 26 + LAYOUT_QUERIES


def test_the_national_dashboard_with_its_section_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, zacatecas, world
):
    known_dataset(national, durango, zacatecas)
    client = client_for(coordinator)
    url = f"/tableros/?anio={YEAR}&medida=acuerdos_a_tiempo"
    count(client, url)
    small = count(client, url)
    grow(durango, zacatecas)
    # test_national's seventeen, one more with a year chosen (pending and overdue counted for that
    # year instead of read from the stored counts), of which three are this section's: sessions
    # by state, acuerdos by state, the states with a system; then base.html's context processors
    assert small == count(client, url) == 18 + LAYOUT_QUERIES


# The page cache ---------------------------------------------------------------------------------


def test_a_held_session_and_a_closed_acuerdo_show_on_the_next_visit(
    page_cache, client_for, coordinator, editor, durango, world
):
    """Every coordination and follow-up service writes an audit event, which moves the data stamp
    the cached dashboards are keyed on."""
    client = client_for(coordinator)
    session = make_session(world["system"], timezone.localdate() - dt.timedelta(days=1))
    acuerdo = make_resolution(session, durango, due=None, text="Publicar el programa")
    assert "0 de 1 sesión celebrada" in text(state_page(client, query="")[2])
    assert coordination_row(national(client, query=""), "Durango")[:2] == ["0", "1"]
    assert "0 acuerdos cumplidos" in text(state_page(client, query="")[2])

    services.session_hold(actor=editor, session=session)
    assert "1 de 1 sesión celebrada" in text(state_page(client, query="")[2])
    assert coordination_row(national(client, query=""), "Durango")[:2] == ["1", "1"]

    followup_note_add(actor=None, item=acuerdo.followup, text="Se publicó en el periódico.")
    assert "1 acuerdo abierto, en proceso" in text(state_page(client, query="")[2])
    followup_verify(actor=editor, item=acuerdo.followup)
    assert "1 acuerdo cumplido" in text(state_page(client, query="")[2])
    assert coordination_row(national(client, query=""), "Durango")[-1] == "100.0 %"


@pytest.mark.parametrize(
    ("percent", "level"),
    [
        (None, "level-0"),
        (0, "level-1"),
        (49.9, "level-1"),
        (50, "level-2"),
        (79.99, "level-2"),
        (80, "level-3"),
        (100, "level-3"),
    ],
)
def test_the_map_bins_the_share_on_time(percent, level):
    from transversal.dashboards.selectors import on_time_level

    assert on_time_level(percent) == level


def test_an_invented_system_is_announced_on_both_dashboards(client_for, coordinator, world):
    from transversal.coordination.models import System

    notice = "Estas cifras incluyen datos inventados"
    client = client_for(coordinator)
    assert notice not in client.get("/tableros/entidad/10/").content.decode()
    assert notice not in national(client)
    System.objects.filter(pk=world["system"].pk).update(is_synthetic=True)
    assert notice in client.get("/tableros/entidad/10/").content.decode()
    assert notice in national(client)
    assert notice not in client.get("/tableros/entidad/32/").content.decode()
