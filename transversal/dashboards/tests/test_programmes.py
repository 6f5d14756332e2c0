"""The work programmes on the dashboards: the national board of a year (/tableros/programas/: the
32 states' stage, quarterly reports, closure and observations pending, a tile map and the list
of observations), the map measure "etapa_programa" of the national dashboard and the panel of the
state dashboard.

The known world, in 2025 (every due date of it is past, so it reads the same whatever day the
tests run): Durango's programme is in execution with its first report received, the second sent,
the third observed (the observation waits since 03/11/2025) and the fourth not written, so
overdue (due 15/01/2026). Zacatecas' programme was observed on its first goal (waiting since
20/10/2025) and has no report: none is overdue, since reports are owed only once the programme
is validated (its delay is the programme's). Aguascalientes has no convenio.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transversal.accounts.models import Role
from transversal.conftest import make_institution, make_member
from transversal.dashboards.tests.test_national import LAYOUT_QUERIES, tile
from transversal.territory.models import State
from transversal.workprogrammes import board, services
from transversal.workprogrammes.models import (
    Observation,
    QuarterlyReport,
    ReportStatus,
    WorkProgramme,
)
from transversal.workprogrammes.tests.factories import line_values, signed_agreement, validated

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = f"/tableros/programas/?anio={YEAR}"


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def programme_of(national, institution, year: int = YEAR) -> WorkProgramme:
    agreement = signed_agreement(national, institution)
    programme = services.programme_create(actor=None, agreement=agreement, year=year)
    for goal in agreement.goals.order_by("number"):
        services.line_save(actor=None, programme=programme, goal=goal, **line_values(goal.number))
    return programme


def observe(programme, text: str, on: dt.date, report=None, goal_label: str = "") -> Observation:
    observation = Observation.objects.create(
        programme=programme, report=report, goal_label=goal_label, text=text
    )
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    Observation.objects.filter(pk=observation.pk).update(created_at=moment)
    return observation


def executing(programme) -> WorkProgramme:
    """In execution: Q1 received, Q2 sent, Q3 observed (one observation pending), Q4 not
    written."""
    programme = validated(programme)
    services.programme_start(actor=None, programme=programme)
    statuses = (ReportStatus.ACKNOWLEDGED, ReportStatus.SENT, ReportStatus.OBSERVED)
    reports = [
        QuarterlyReport.objects.create(programme=programme, quarter=q, status=status)
        for q, status in enumerate(statuses, start=1)
    ]
    observe(programme, "Falta la lista de asistencia.", dt.date(YEAR, 11, 3), report=reports[2])
    return programme


def observed(programme) -> WorkProgramme:
    services.programme_propose(actor=None, programme=programme)
    line = programme.lines.order_by("goal__number").first()
    services.programme_observe(
        actor=None, programme=programme, text="Precise el medio de verificación.", line=line
    )
    Observation.objects.filter(programme=programme).update(
        created_at=timezone.make_aware(dt.datetime(YEAR, 10, 20, 10))
    )
    programme.refresh_from_db()
    return programme


@pytest.fixture
def world(national, durango, zacatecas):
    return {
        "durango": executing(programme_of(national, durango)),
        "zacatecas": observed(programme_of(national, zacatecas)),
    }


def row_of(html: str, state: str) -> list[str]:
    table = re.search(r'<section aria-labelledby="h-programmes-table".*?</section>', html, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        if f">{state}</a></th>" in row:
            return [text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(state)


def observations_section(html: str) -> str:
    return re.search(r'<section aria-labelledby="h-observations".*?</section>', html, re.S).group(0)


def days_since(day: dt.date) -> str:
    return f"{(timezone.localdate() - day).days:,}"


# The figures (board.py) -------------------------------------------------------------------------


def test_the_board_reads_each_states_stage_quarters_closure_and_observations(world):
    figures = board.national_board(YEAR)
    durango = figures.of(State.objects.get(code="10").pk)
    assert (durango.stage, durango.validated, durango.closed) == ("in_execution", True, False)
    assert [(c.status, c.overdue) for c in durango.quarters] == [
        ("acknowledged", False),
        ("sent", False),
        ("observed", False),
        ("none", True),
    ]
    assert durango.quarters[3].due_date == dt.date(YEAR + 1, 1, 15)
    assert durango.pending_observations == 1
    zacatecas = figures.of(State.objects.get(code="32").pk)
    assert (zacatecas.stage, zacatecas.validated, zacatecas.reports_overdue) == (
        "observed",
        False,
        0,
    )
    aguascalientes = figures.of(State.objects.get(code="01").pk)
    assert (aguascalientes.stage, aguascalientes.agreement) == ("none", None)
    totals = figures.totals
    assert (totals.states, totals.with_programme, totals.validated, totals.closed) == (32, 2, 1, 0)
    assert (totals.reports_overdue, totals.pending_observations) == (1, 2)
    assert totals.sent == {1: 1, 2: 1, 3: 1, 4: 0}
    assert totals.received == {1: 1, 2: 0, 3: 0, 4: 0}
    assert totals.by_stage["none"] == 30 and totals.by_stage["observed"] == 1


def test_a_report_is_not_overdue_before_its_due_date(national, durango):
    programme = validated(programme_of(national, durango, year=2026))
    early = board.national_board(2026, today=dt.date(2026, 4, 15))
    late = board.national_board(2026, today=dt.date(2026, 4, 16))
    state = programme.agreement.state_id
    assert [c.overdue for c in early.of(state).quarters] == [False] * 4
    assert [c.overdue for c in late.of(state).quarters] == [True, False, False, False]


def test_a_closed_programme_has_no_overdue_report(world):
    WorkProgramme.objects.filter(pk=world["durango"].pk).update(stage="closed")
    durango = board.national_board(YEAR).of(world["durango"].agreement.state_id)
    assert durango.closed and durango.reports_overdue == 0


# The board page ---------------------------------------------------------------------------------


def test_the_table_shows_each_state_with_links_to_its_programme(client_for, coordinator, world):
    html = client_for(coordinator).get(URL).content.decode()
    assert row_of(html, "Durango") == [
        "Durango",
        "Convenio de colaboración Durango",
        "En ejecución",
        "Sí",
        "Recibido",
        "Enviado",
        "Observado",
        "Sin informe vencido (15/01/2026)",
        "No",
        "1",
    ]
    assert row_of(html, "Zacatecas")[2:4] == ["Observada", "No"]
    # Its reports are not owed yet: the programme waits for its correction and validation.
    assert row_of(html, "Zacatecas")[4:8] == ["Sin informe"] * 4
    assert row_of(html, "Aguascalientes") == ["Aguascalientes", "Sin convenio vigente"] + [
        "Sin programa",
        "—",
        "—",
        "—",
        "—",
        "—",
        "—",
        "—",
    ]
    page = f"/programas/{world['durango'].code}/"
    assert f'href="{page}">En ejecución</a>' in html
    assert f'href="{page}#informes">Recibido</a>' in html
    assert f'href="{page}#observaciones">1</a>' in html
    assert f'href="{page}#cierre">No</a>' in html
    assert 'href="/tableros/entidad/01/?anio=2025#h-programme">Aguascalientes</a>' in html
    assert html.count("<tr>") >= 32


def test_the_map_colours_each_state_by_its_stage_with_a_text_label(client_for, coordinator, world):
    html = client_for(coordinator).get(URL).content.decode()
    assert tile(html, "10") == "level-2 Dgo. Durango: Ejec. En ejecución"
    assert tile(html, "32") == "level-1 Zac. Zacatecas: Obs. Observada"
    assert tile(html, "01") == "level-0 Ags. Aguascalientes: — Sin programa"
    assert html.count('class="tile s') == 32
    assert "Obs. observada" in text(html)  # the legend spells the abbreviations out
    assert f'href="/programas/{world["durango"].code}/" title="Durango"' in html


def test_the_national_summary_counts_the_states(client_for, coordinator, world):
    words = text(client_for(coordinator).get(URL).content.decode())
    assert "2 de 32 entidades con programa del año" in words
    assert "1 de 32 programas validados por la institución nacional" in words
    assert "1 programa observado, por corregir en la entidad" in words
    assert "1 informe trimestral vencido sin enviar" in words
    assert "2 observaciones pendientes de atender" in words


def test_the_pending_observations_are_listed_oldest_first_with_the_days_waiting(
    client_for, coordinator, world
):
    section = observations_section(client_for(coordinator).get(URL).content.decode())
    rows = [
        [text(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]
    ]
    assert rows == [
        [
            "Zacatecas",
            "20/10/2025",
            "Meta 1",
            "Precise el medio de verificación.",
            days_since(dt.date(YEAR, 10, 20)),
        ],
        [
            "Durango",
            "03/11/2025",
            "Informe del trimestre 3",
            "Falta la lista de asistencia.",
            days_since(dt.date(YEAR, 11, 3)),
        ],
    ]
    assert f'href="/programas/{world["zacatecas"].code}/#observaciones"' in section


def test_an_answered_observation_leaves_the_list(client_for, coordinator, world):
    services.programme_correct(actor=None, programme=world["zacatecas"], answer="Se precisó.")
    section = observations_section(client_for(coordinator).get(URL).content.decode())
    assert "Precise el medio" not in section and "Falta la lista" in section


def test_a_year_without_programmes_says_so(client_for, coordinator, world):
    html = client_for(coordinator).get("/tableros/programas/?anio=2030").content.decode()
    assert "No hay observaciones pendientes en los programas de 2030." in text(html)
    assert tile(html, "10") == "level-0 Dgo. Durango: — Sin programa"


def test_the_year_defaults_to_this_one(client_for, coordinator, world):
    html = client_for(coordinator).get("/tableros/programas/").content.decode()
    assert f"Programas anuales de trabajo {timezone.localdate().year}" in html


@pytest.mark.parametrize("value", ["dos-mil", "1850", "%00", "2025x"])
def test_a_bad_year_gives_a_spanish_message_and_this_year(client_for, coordinator, value):
    response = client_for(coordinator).get(f"/tableros/programas/?anio={value}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Se ignoró un año no válido: se muestran los programas de" in html
    assert html.count('class="tile s') == 32


def test_synthetic_programmes_are_marked(client_for, coordinator, world):
    WorkProgramme.objects.filter(pk=world["durango"].pk).update(is_synthetic=True)
    html = client_for(coordinator).get(URL).content.decode()
    assert "Estas cifras incluyen datos inventados" in html
    assert "dato sintético" in row_of(html, "Durango")[2]


def test_a_synthetic_programme_marks_the_dashboards_that_count_it(client_for, coordinator, world):
    client = client_for(coordinator)
    notice = "Estas cifras incluyen datos inventados"
    assert notice not in client.get("/tableros/entidad/32/").content.decode()
    WorkProgramme.objects.filter(pk=world["zacatecas"].pk).update(is_synthetic=True)
    assert notice in client.get("/tableros/entidad/32/").content.decode()
    assert notice not in client.get("/tableros/entidad/10/").content.decode()
    assert notice in client.get("/tableros/").content.decode()


def test_the_national_dashboard_links_to_the_board(client_for, coordinator, world):
    html = client_for(coordinator).get("/tableros/?anio=2025").content.decode()
    assert 'href="/tableros/programas/?anio=2025"' in html


# Access -----------------------------------------------------------------------------------------


def test_a_state_member_is_sent_to_their_states_programme_panel(client_for, editor, world):
    response = client_for(editor).get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/tableros/entidad/10/?anio=2025#h-programme"


def test_a_person_without_membership_gets_403(client_for, world):
    from transversal.accounts.models import User

    nobody = User.objects.create_user(email="nadie@prueba.test", password="x-Igualdad-2026")
    assert client_for(nobody).get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/entrar/")


# The national dashboard's map measure -----------------------------------------------------------


def test_the_national_map_can_show_the_stage(client_for, coordinator, world):
    html = client_for(coordinator).get("/tableros/?anio=2025&medida=etapa_programa").content
    html = html.decode()
    assert "Mapa: Etapa del programa anual de trabajo" in html
    assert tile(html, "10") == "level-2 Dgo. Durango: Ejec. En ejecución"
    assert tile(html, "32") == "level-1 Zac. Zacatecas: Obs. Observada"
    assert tile(html, "01") == "level-0 Ags. Aguascalientes: — Sin programa"
    assert "Cifra y color: etapa del programa anual de trabajo de 2025 de cada entidad." in html
    assert "Validada o en ejecución" in html  # the legend


def test_without_a_year_the_measure_reads_this_years_programmes(client_for, coordinator, world):
    html = client_for(coordinator).get("/tableros/?medida=etapa_programa").content.decode()
    # The world's programmes are of 2025; this year's stage is read.
    assert tile(html, "10") == "level-0 Dgo. Durango: — Sin programa"


# The state dashboard's panel --------------------------------------------------------------------


def state_panel(client, code: str = "10", year: int = YEAR) -> str:
    html = client.get(f"/tableros/entidad/{code}/?anio={year}").content.decode()
    match = re.search(r'<section aria-labelledby="h-programme".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_the_panel_shows_the_states_programme_of_the_year(client_for, coordinator, world):
    panel = state_panel(client_for(coordinator))
    words = text(panel)
    assert "Programa anual de trabajo 2025" in words
    assert "En ejecución etapa del programa: validado por la institución nacional" in words
    assert "1 observación pendiente de atender" in words
    assert "1 informe trimestral vencido sin enviar" in words
    assert "Sin cerrar cierre del año" in words
    assert "Trimestre 4 Sin informe · vencido 15/01/2026" in words
    assert "Informe del trimestre 3 Falta la lista de asistencia." in words
    page = f"/programas/{world['durango'].code}/"
    assert f'href="{page}"' in panel and f'href="{page}#observaciones"' in panel


def test_the_panel_of_a_state_without_a_programme_names_its_convenio(
    client_for, coordinator, national, world
):
    from transversal.conftest import make_institution as institution

    chihuahua = institution("ichmujer-test", "08", "Instituto Chihuahuense de las Mujeres")
    agreement = signed_agreement(national, chihuahua)
    words = text(state_panel(client_for(coordinator), code="08"))
    assert "La entidad no tiene programa anual de trabajo para 2025." in words
    assert agreement.title in words


def test_the_panel_of_a_state_without_a_convenio_says_so(client_for, coordinator, world):
    words = text(state_panel(client_for(coordinator), code="01"))
    assert "ni convenio vigente en ese año" in words


def test_a_closed_programme_shows_its_closing_date(client_for, coordinator, world):
    WorkProgramme.objects.filter(pk=world["durango"].pk).update(
        stage="closed", closed_on=dt.date(YEAR + 1, 1, 30)
    )
    words = text(state_panel(client_for(coordinator)))
    assert "Cerrado cierre del año el 30/01/2026: sus periodos quedaron cerrados" in words


def test_another_institution_of_the_state_reads_the_figures_without_links_or_texts(
    client_for, durango, world
):
    municipal = make_institution("imm-durango-test", "10", "Instituto Municipal de las Mujeres")
    member = make_member("municipio@prueba.test", municipal, Role.EDITOR)
    panel = state_panel(client_for(member))
    assert "1 observación pendiente de atender" in text(panel)
    assert "/programas/" not in panel
    assert "Falta la lista de asistencia." not in panel


# Query budgets ----------------------------------------------------------------------------------


def grow(national, year: int = YEAR) -> None:
    """Three more states with programmes in execution, their reports and observations."""
    for code, slug in (("05", "coahuila"), ("19", "nuevo-leon"), ("31", "yucatan")):
        state = State.objects.get(code=code)
        institution = make_institution(f"inst-{slug}", code, f"Instituto {state.short_name}")
        programme = executing(programme_of(national, institution, year))
        observe(programme, "Otra observación.", dt.date(year, 12, 1), goal_label="Meta 2")


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_runs_a_constant_number_of_queries(client_for, coordinator, national, world):
    client = client_for(coordinator)
    small = count(client, URL)
    grow(national)
    assert "5 de 32 entidades con programa del año" in text(client.get(URL).content.decode())
    # session, user, memberships (scope); states, convenios of the year, programmes with their
    # pending observations, reports; the pending observations' number and page; then base.html's
    # context processors
    assert small == count(client, URL) == 9 + LAYOUT_QUERIES


def test_the_national_dashboard_with_the_stage_runs_a_constant_number_of_queries(
    client_for, coordinator, national, world
):
    client = client_for(coordinator)
    url = "/tableros/?anio=2025&medida=etapa_programa"
    count(client, url)  # the first request of the day may refresh the stored counts
    small = count(client, url)
    grow(national)
    assert tile(client.get(url).content.decode(), "05").startswith("level-2")
    assert small == count(client, url)
    # test_national's queries with a year chosen, and one for the stage of each state's programme
    assert small == count(client, "/tableros/?anio=2025&medida=vencidos") + 1


def test_the_state_dashboard_with_its_programme_panel_runs_a_constant_number_of_queries(
    client_for, coordinator, national, world
):
    client = client_for(coordinator)
    url = f"/tableros/entidad/10/?anio={YEAR}"
    count(client, url)
    small = count(client, url)
    programme = world["durango"]
    for n in range(3):
        observe(programme, f"Observación {n}.", dt.date(YEAR, 12, 1 + n), goal_label="Meta 1")
    grow(national)
    assert "4 observaciones pendientes de atender" in text(state_panel(client))
    assert small == count(client, url)
    # the programme of the year, read in a year without one too (test_state counts it), then
    # with a programme its reports and its pending observations
    assert small == count(client, f"/tableros/entidad/10/?anio={YEAR + 5}") + 2


# The page cache ---------------------------------------------------------------------------------


def test_a_second_visit_runs_none_of_the_boards_queries(page_cache, client_for, coordinator, world):
    client = client_for(coordinator)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    # session, user, memberships (scope), the data stamp
    assert len(queries) == 4


def test_a_stage_change_shows_on_the_next_visit(page_cache, client_for, coordinator, world):
    client = client_for(coordinator)
    zacatecas = world["zacatecas"]
    national_url = "/tableros/?anio=2025&medida=etapa_programa"
    state_url = "/tableros/entidad/32/?anio=2025"
    assert tile(client.get(URL).content.decode(), "32").endswith("Observada")
    assert tile(client.get(national_url).content.decode(), "32").endswith("Observada")
    assert "Observada" in text(state_panel(client, code="32"))
    client.get(state_url)
    services.programme_correct(actor=coordinator, programme=zacatecas, answer="Se precisó.")
    services.programme_validate(actor=coordinator, programme=zacatecas)
    assert tile(client.get(URL).content.decode(), "32") == "level-2 Zac. Zacatecas: Val. Validada"
    assert tile(client.get(national_url).content.decode(), "32").endswith("Val. Validada")
    assert "Validada etapa del programa" in text(state_panel(client, code="32"))
