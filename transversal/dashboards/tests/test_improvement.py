"""The equality model's cycle on the dashboards: the state's panel (the four stages of its
institute's model in a year), the national table of the 32 states and the map coloured by
overdue ASM.

The known world, in 2025 (every date of it is past, so it reads the same whatever day the tests
run): Durango's institute has the improvement year of ``improvement.tests.test_state_improvement``
(2 evaluations; 3 findings, 1 of them proposed; 7 ASM: 3 open of which 2 overdue, 1 attended,
2 verified, 1 cancelled), a programme in force with two items and no alignment, and an indicator
approved red in 2025-T1, submitted in T2 and without a report in T3 (T4 falls due in 2026).
→ plan: 1 programme, 2 items without alignment; execute: 1 of 3 periods approved, 1 overdue;
  verify: 2 evaluations, 1 indicator red; improve: as above, 2 of 6 ASM verified: 33.3 %.
Zacatecas' institute has one evaluation and nothing else; the national institution's own
improvement year is no state's; Aguascalientes has no institute.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.dashboards.tests.data import known_dataset
from transversal.dashboards.tests.test_national import LAYOUT_QUERIES, tile
from transversal.followup.services import followup_note_add, followup_verify
from transversal.improvement import services
from transversal.improvement.models import Evaluation
from transversal.improvement.tests.test_state_improvement import (
    evaluation,
    finding,
    gender_unit,
    improvement_year,
)
from transversal.monitoring.tests.factories import approved, indicator_with_calendar, submitted
from transversal.planning.models import Plan
from transversal.planning.tests.factories import make_plan

pytestmark = pytest.mark.django_db

YEAR = 2025
RED = Decimal(10)  # against a target of 100


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def programme_in_force(institution, title: str = "Programa Estatal para la Igualdad", codes=None):
    plan = make_plan(institution, publish=True, title=title, codes=codes or ("1", "2"))
    Plan.objects.filter(pk=plan.pk).update(start_year=2023, end_year=2028)
    return plan


def reporting_year(institution, name: str = "Mujeres capacitadas en igualdad sustantiva"):
    indicator = indicator_with_calendar(institution, name=name)
    approved(indicator, "2025-T1", RED)
    submitted(indicator, "2025-T2", RED)
    return indicator


@pytest.fixture
def world(national, durango, zacatecas):
    known = improvement_year(durango)
    programme_in_force(durango)
    reporting_year(durango)
    evaluation(zacatecas)
    improvement_year(national)
    return known


def state_page(client, code: str = "10", query: str = f"?anio={YEAR}"):
    response = client.get(f"/tableros/entidad/{code}/{query}")
    html = response.content.decode()
    panel = re.search(r'<section aria-labelledby="h-cycle".*?</section>', html, re.S)
    return response, html, panel.group(0) if panel else ""


def counters(html: str) -> list[str]:
    return [text(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", html, re.S)]


def stages(panel: str) -> dict[str, list[str]]:
    """Each stage's figures, as read: {"1. Planear": ["1 plan o programa …", …], …}."""
    found = re.findall(
        r'<h3 class="counter-stage">(.*?)</h3>\s*<ul class="stage-figures">(.*?)</ul>', panel, re.S
    )
    return {text(name): counters(figures) for name, figures in found}


def figures(panel: str) -> list[str]:
    return [line for lines in stages(panel).values() for line in lines]


# The state's panel ------------------------------------------------------------------------------


def test_the_panel_shows_the_four_stages_of_the_state_institutes_model(
    client_for, coordinator, world
):
    _response, _html, panel = state_page(client_for(coordinator))
    assert "Ciclo del modelo en 2025" in text(panel)
    assert "Instituto Estatal de las Mujeres" in text(panel)
    assert stages(panel) == {
        "1. Planear": ["1 plan o programa vigente en el año", "2 elementos sin alineación"],
        "2. Ejecutar": [
            "1 de 3 periodos de reporte que vencen en el año, aprobados",
            "1 periodo vencido sin reporte enviado",
        ],
        "3. Verificar": ["2 evaluaciones del año", "1 indicador en rojo (crítico)"],
        "4. Mejorar": [
            "3 hallazgos del año",
            "1 hallazgo propuesto por decidir",
            "3 ASM abiertos o en proceso",
            "2 ASM vencidos",
            "1 ASM atendido, por verificar",
            "2 ASM verificados",
        ],
    }
    # What needs attention is flagged by more than its words: the overdue period, the red
    # indicator, the overdue ASM.
    assert panel.count('class="counter-alert"') == 3


def test_each_figure_leads_to_its_stage_of_the_cycle_page_or_to_the_asm_list(
    client_for, coordinator, durango, world
):
    _response, _html, panel = state_page(client_for(coordinator))
    page = f"/mejora/ciclo/{durango.slug}/?anio=2025"
    links = re.findall(r'href="([^"]+)"', panel)
    assert links == [
        f"{page}#stage-plan",
        f"{page}#stage-plan",
        f"{page}#stage-do",
        f"{page}#stage-do",
        f"{page}#stage-check",
        f"{page}#stage-check",
        f"{page}#stage-act",
        f"{page}#stage-act",
        "/mejora/?anio=2025&amp;ver=abiertos#asm",
        "/mejora/?anio=2025&amp;ver=vencidos#asm",
        f"{page}#stage-act",
        "/mejora/?anio=2025&amp;ver=verificados#asm",
        page,
        "?anio=2024#h-cycle",
        "?anio=2026#h-cycle",
    ]
    client = client_for(coordinator)
    assert client.get(page).status_code == 200
    overdue = client.get("/mejora/?anio=2025&ver=vencidos").content.decode()
    assert str(world["overdue"].code) in overdue
    assert str(world["open"].code) not in overdue


def test_a_member_of_another_institution_of_the_state_reads_the_figures_without_links(
    client_for, world
):
    member = make_member("unidad.genero@prueba.test", gender_unit(), Role.EDITOR)
    response, _html, panel = state_page(client_for(member))
    assert response.status_code == 200
    assert "2 ASM vencidos" in stages(panel)["4. Mejorar"]
    assert "/mejora/" not in panel  # the cycle page and the lists would be a 404 for them


def test_a_state_without_an_institute_says_so(client_for, coordinator, world):
    _response, _html, panel = state_page(client_for(coordinator), code="01")
    assert "La entidad no tiene registrada su instancia de las mujeres" in text(panel)
    assert "counter-figure" not in panel


def test_an_institute_with_nothing_recorded_in_the_year_says_so(
    client_for, coordinator, zacatecas, world
):
    _response, _html, panel = state_page(client_for(coordinator), code="32", query="?anio=2030")
    words = text(panel)
    assert "(Zacatecas): aún no hay nada registrado del ciclo del modelo en 2030" in words
    assert "counter-figure" not in panel
    assert f'href="/mejora/ciclo/{zacatecas.slug}/?anio=2030"' in panel


def test_the_panel_follows_the_year_asked(client_for, editor, world):
    _response, _html, panel = state_page(client_for(editor), query=f"?anio={YEAR - 1}")
    found = figures(panel)
    assert "Ciclo del modelo en 2024" in text(panel)
    assert "1 evaluación del año" in found
    assert "1 ASM vencido" in found
    assert "0 de 0 periodos de reporte que vencen en el año, aprobados" in found


def test_without_a_year_asked_the_panel_shows_this_year(client_for, editor, world):
    this_year = timezone.localdate().year
    _response, _html, panel = state_page(client_for(editor), query="")
    assert f"Ciclo del modelo en {this_year}" in text(panel)
    assert f'href="?anio={this_year + 1}#h-cycle"' in panel


def test_a_bad_year_is_refused_for_both_panels_with_one_spanish_message(client_for, editor, world):
    response, html, panel = state_page(client_for(editor), query="?anio=dos-mil")
    assert response.status_code == 400
    assert "la coordinación interinstitucional y el ciclo del modelo se muestran de" in html
    assert f"Ciclo del modelo en {timezone.localdate().year}" in text(panel)


# The national view ------------------------------------------------------------------------------


def national_html(client, query: str = f"?anio={YEAR}&medida=asm_vencidos") -> str:
    response = client.get(f"/tableros/{query}")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str) -> str:
    return re.search(r'<section aria-labelledby="h-cycle".*?</section>', html, re.S).group(0)


def state_row(html: str, name: str) -> list[str]:
    row = re.search(
        rf'<th scope="row"><a href="[^"]*">{name}</a>(.*?)</tr>', section(html), re.S
    ).group(0)
    return [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_national_table_has_every_state_with_its_figures(client_for, coordinator, world):
    html = national_html(client_for(coordinator))
    assert state_row(html, "Durango") == [
        "2",
        "3",
        "6",
        "3",
        "2",
        "2",
        "33.3 %",
    ]  # 7 ASM, one cancelled
    assert state_row(html, "Zacatecas") == ["1", "0", "0", "0", "0", "0", "—"]
    assert state_row(html, "Aguascalientes") == ["0"] * 6 + ["—"]
    assert section(html).count('<th scope="row">') == 32
    assert 'href="/tableros/entidad/10/?anio=2025#h-cycle"' in section(html)
    found = counters(section(html).split("<table")[0])
    assert found == [
        "2 de 32 entidades con evaluaciones registradas en el año",
        "3 evaluaciones del año; 1 hallazgo propuesto por decidir",
        "3 ASM abiertos o en proceso",
        "2 ASM vencidos",
        "33.3 % verificados, de los 6 ASM del año sin cancelar",
    ]


def test_the_map_colours_the_states_by_their_overdue_asm(client_for, coordinator, world):
    html = national_html(client_for(coordinator))
    assert tile(html, "10") == "level-1 Dgo. Durango: 2 ASM vencidos"
    assert tile(html, "32") == "level-0 Zac. Zacatecas: 0 ASM vencidos"
    assert "Mapa: Aspectos susceptibles de mejora (ASM) vencidos" in html
    assert "De 1 a 5 ASM vencidos" in text(html)  # the legend
    assert 'href="#h-cycle"' in html  # to the table, the map's text alternative


def test_the_section_offers_the_map_keeping_the_filters(client_for, coordinator, world):
    html = national_html(client_for(coordinator), query="?anio=2025&ronda=")
    assert 'href="?anio=2025&amp;ronda=&amp;medida=asm_vencidos#h-map"' in section(html)


def test_without_a_year_chosen_the_section_shows_this_year(client_for, coordinator, world):
    html = national_html(client_for(coordinator), query="")
    assert f"Ciclo del modelo en {timezone.localdate().year}" in text(section(html))
    assert state_row(html, "Durango") == ["0"] * 6 + ["—"]


# Query budgets ----------------------------------------------------------------------------------


def grow(durango, zacatecas) -> None:
    """More plans, indicators, evaluations, findings and ASM, in more institutions and years."""
    improvement_year(durango)
    improvement_year(durango, year=YEAR - 1)
    improvement_year(zacatecas)
    unit = gender_unit()
    improvement_year(unit)
    programme_in_force(durango, "Programa Institucional", codes=("1", "2", "3"))
    reporting_year(durango, "Presupuesto con perspectiva de género ejercido")
    reporting_year(zacatecas)


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_state_dashboard_with_its_cycle_panel_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, zacatecas, world
):
    known_dataset(national, durango, zacatecas)
    client = client_for(coordinator)
    url = f"/tableros/entidad/10/?anio={YEAR}"
    count(client, url)  # the first request of the day may refresh the stored counts
    small = count(client, url)
    grow(durango, zacatecas)
    assert "4 ASM vencidos" in figures(state_page(client)[2])  # it did grow
    # test_state's twenty-six, of which eleven are the panel's: the state's institute and its
    # names; the cycle's declared plans and plans in force with their items, the periods of the
    # year by status, indicators by light, the year's reviews, evaluations, ASM by status and
    # findings; then base.html's context processors
    assert small == count(client, url) == 26 + LAYOUT_QUERIES


def test_the_national_dashboard_with_its_cycle_section_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, zacatecas, world
):
    known_dataset(national, durango, zacatecas)
    client = client_for(coordinator)
    url = f"/tableros/?anio={YEAR}&medida=asm_vencidos"
    count(client, url)
    small = count(client, url)
    grow(durango, zacatecas)
    assert state_row(national_html(client), "Durango")[4] == "6"  # it did grow, unit included
    # test_national's seventeen, one more with a year chosen (as test_coordination says), of which
    # three are this section's: evaluations, findings and ASM by state; then base.html's
    # context processors
    assert small == count(client, url) == 18 + LAYOUT_QUERIES


# The page cache ---------------------------------------------------------------------------------


def test_each_improvement_write_shows_on_the_next_visit(
    page_cache, client_for, coordinator, editor, durango, world
):
    """Every improvement and follow-up service writes an audit event, which moves the data stamp
    the cached dashboards are keyed on."""
    client = client_for(coordinator)

    def panel() -> list[str]:
        return figures(state_page(client)[2])

    def row() -> list[str]:
        return state_row(national_html(client), "Durango")

    assert "2 evaluaciones del año" in panel()
    assert row()[:3] == ["2", "3", "6"]  # ASM without the cancelled one

    new = evaluation(durango)
    assert "3 evaluaciones del año" in panel()
    assert row()[0] == "3"

    found = services.finding_add(actor=editor, institution=durango, evaluation=new, text="Sin")
    assert {"4 hallazgos del año", "1 hallazgo propuesto por decidir"} <= set(panel())

    services.finding_dismiss(actor=editor, finding=world["proposed"], reason="Ya se atendía.")
    assert "3 hallazgos del año" in panel()
    assert "1 hallazgo propuesto por decidir" not in panel()
    assert row()[1] == "3"

    asm = services.action_add(
        actor=editor,
        finding=found,
        text="Capacitar al personal",
        kind="specific",
        priority="low",
        owner=durango,
        due_date=dt.date(YEAR, 3, 31),
    )
    assert "3 ASM vencidos" in panel()
    assert row()[2:5] == ["7", "4", "3"]

    followup_note_add(actor=None, item=asm.followup, text="Se capacitó a 40 personas.")
    followup_verify(actor=editor, item=asm.followup)
    assert "3 ASM verificados" in panel()
    assert row()[4:] == ["2", "3", "42.9 %"]


# Invented data ----------------------------------------------------------------------------------


def test_an_invented_evaluation_is_announced_on_both_dashboards(
    client_for, coordinator, durango, world
):
    notice = "Estas cifras incluyen datos inventados"
    client = client_for(coordinator)
    assert notice not in client.get("/tableros/entidad/10/").content.decode()
    assert notice not in national_html(client)
    Evaluation.objects.filter(pk=world["evaluation"].pk).update(is_synthetic=True)
    assert notice in client.get("/tableros/entidad/10/").content.decode()
    assert notice in national_html(client)
    assert notice not in client.get("/tableros/entidad/32/").content.decode()


def test_an_invented_asm_of_a_state_is_announced_but_not_one_of_the_national_institution(
    client_for, coordinator, national, world
):
    from transversal.improvement.models import ImprovementAction

    notice = "Estas cifras incluyen datos inventados"
    client = client_for(coordinator)
    ImprovementAction.objects.filter(finding__institution=national).update(is_synthetic=True)
    assert notice not in national_html(client)
    ImprovementAction.objects.filter(pk=world["verified"].pk).update(is_synthetic=True)
    assert notice in national_html(client)
    assert notice in client.get("/tableros/entidad/10/").content.decode()


def test_a_finding_alone_can_be_invented(client_for, coordinator, durango, world):
    from transversal.improvement.models import Finding

    Finding.objects.filter(pk=finding(durango, world["evaluation"]).pk).update(is_synthetic=True)
    assert "Estas cifras incluyen datos inventados" in national_html(client_for(coordinator))
