"""National frameworks: PROIGUALDAD 2020-2024 and the Programa Sectorial de las Mujeres 2025-2030,
loaded with their sources; the coverage page and the suggestions read the one in force on the
date in question."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.models import Plan, PlanStatus
from transversal.planning.national_frameworks import PROIGUALDAD, SECTORIAL_MUJERES
from transversal.planning.selectors import national_framework_on, reference_day
from transversal.planning.services import alignment_create, national_frameworks_load
from transversal.planning.tests.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def frameworks(national):
    national_frameworks_load(actor=None)
    return Plan.objects.get(code=PROIGUALDAD.code), Plan.objects.get(code=SECTORIAL_MUJERES.code)


@pytest.fixture
def ped(durango):
    """A state plan for 2022-2027: it spans both frameworks."""
    plan = make_plan(
        durango,
        codes=("1",),
        publish=True,
        title="Plan estatal de prueba",
        texts={"1": "Atención a mujeres en situación de violencia y acceso a la justicia"},
    )
    Plan.objects.filter(pk=plan.pk).update(start_year=2022, end_year=2027)
    plan.refresh_from_db()
    return plan


def test_loading_publishes_both_frameworks_with_objectives_and_source_and_repeating_changes_nothing(
    national,
):
    assert national_frameworks_load(actor=None) == [PROIGUALDAD.code, SECTORIAL_MUJERES.code]
    sectorial = Plan.objects.get(code=SECTORIAL_MUJERES.code)
    assert (sectorial.status, sectorial.start_year, sectorial.end_year) == (
        PlanStatus.PUBLISHED,
        2025,
        2030,
    )
    assert sectorial.institution == national and sectorial.state is None
    assert list(sectorial.items.order_by("order").values_list("code", flat=True)) == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
    ]
    assert sectorial.items.get(code="6").text.startswith("Propiciar la participación y liderazgo")
    assert "25/11/2025" in sectorial.source_citation
    assert "https://sidof.segob.gob.mx/notas/docFuente/5773820" in sectorial.source_citation
    events = AuditEvent.objects.count()
    assert national_frameworks_load(actor=None) == []
    call_command("load_national_frameworks", stdout=open("/dev/null", "w"))
    assert AuditEvent.objects.count() == events and Plan.objects.count() == 2


def test_proigualdad_is_in_force_up_to_2024_and_the_sectorial_programme_from_2025(frameworks):
    proigualdad, sectorial = frameworks
    assert national_framework_on(dt.date(2020, 1, 1)) == proigualdad
    assert national_framework_on(dt.date(2024, 12, 31)) == proigualdad
    assert national_framework_on(dt.date(2025, 1, 1)) == sectorial
    assert national_framework_on(dt.date(2030, 12, 31)) == sectorial
    assert national_framework_on(dt.date(2031, 1, 1)) is None
    assert national_framework_on(dt.date(2019, 6, 1)) is None


def test_a_plan_that_ended_is_read_against_its_last_year_and_a_running_one_against_today(ped):
    today = dt.date(2026, 12, 7)
    assert reference_day(ped, today) == today
    ped.end_year = 2024
    assert reference_day(ped, today) == dt.date(2024, 12, 31)


def test_the_coverage_page_lists_the_objectives_of_the_framework_in_force_on_the_date(
    client_for, frameworks, ped
):
    proigualdad, sectorial = frameworks
    alignment_create(actor=None, from_item=ped.items.get(), to_item=proigualdad.items.get(code="4"))
    url = reverse("planning:coverage", args=[ped.code])

    html = client_for(None).get(url, {"fecha": "15/06/2024"}).content.decode()
    assert f"Marco nacional vigente el 15/06/2024: {proigualdad.title}" in html
    assert f"{proigualdad.title}: Objetivo 1" in html
    assert f"{proigualdad.title}: Objetivo 4" not in html  # aligned from the state's plan
    assert sectorial.title + ":" not in html

    html = client_for(None).get(url, {"fecha": "01/01/2025"}).content.decode()
    assert f"Marco nacional vigente el 01/01/2025: {sectorial.title}" in html
    # The alignment to PROIGUALDAD does not cover the new programme's objectives.
    assert all(f"{sectorial.title}: Objetivo {n}" in html for n in range(1, 7))
    assert proigualdad.title + ":" not in html


def test_the_coverage_export_follows_the_same_date(client_for, frameworks, ped):
    from io import BytesIO

    from openpyxl import load_workbook

    proigualdad, _sectorial = frameworks
    url = reverse("planning:coverage_xlsx", args=[ped.code])
    response = client_for(None).get(url, {"fecha": "15/06/2024"})
    sheet = load_workbook(BytesIO(response.content))["Programa nacional sin cubrir"]
    titles = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {proigualdad.title}


def test_a_date_that_does_not_parse_is_said_in_spanish_and_the_plan_date_is_used(
    client_for, frameworks, ped
):
    _proigualdad, sectorial = frameworks
    url = reverse("planning:coverage", args=[ped.code])
    response = client_for(None).get(url, {"fecha": "2024-13-45"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "La fecha «2024-13-45» no es válida: escríbala como dd/mm/aaaa." in html
    today = dt.date.today()
    if today.year >= 2025:
        assert f"Marco nacional vigente el {today:%d/%m/%Y}: {sectorial.title}" in html


def test_suggestions_search_the_framework_in_force_when_no_plan_is_chosen(
    client_for, editor, frameworks, ped
):
    proigualdad, sectorial = frameworks
    url = reverse("planning:item_suggestions", args=[ped.code, ped.items.get().pk])
    html = client_for(editor).get(url, {"fecha": "01/03/2025"}).content.decode()
    assert f"Se busca en el marco nacional vigente el 01/03/2025: {sectorial.title}" in html
    assert f'value="{sectorial.code}" selected' in html
    assert "Aceptar" in html  # objective 3 shares "violencia", "justicia", "situación"…
    html = client_for(editor).get(url, {"fecha": "01/03/2024"}).content.decode()
    assert f"Se busca en el marco nacional vigente el 01/03/2024: {proigualdad.title}" in html
    assert f'value="{proigualdad.code}" selected' in html
    # A plan chosen by the person wins over the default.
    html = client_for(editor).get(url, {"plan": proigualdad.code}).content.decode()
    assert "Se busca en el marco nacional vigente" not in html


def test_the_plan_page_marks_the_framework_in_force_today_and_cites_its_source(
    client_for, frameworks
):
    proigualdad, sectorial = frameworks
    current = national_framework_on(dt.date.today())
    for plan in (proigualdad, sectorial):
        html = client_for(None).get(reverse("planning:detail", args=[plan.code])).content.decode()
        assert ("Marco nacional vigente" in html) == (plan == current)
    html = client_for(None).get(reverse("planning:detail", args=[sectorial.code])).content.decode()
    assert 'href="https://sidof.segob.gob.mx/notas/docFuente/5773820"' in html


def test_the_default_suggestions_cost_the_same_queries_for_a_small_or_large_framework(
    client_for, editor, national, ped
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transversal.planning.national_frameworks import NationalFramework

    def framework(code: str, start: int, size: int) -> NationalFramework:
        objectives = tuple(
            (str(n), f"Objetivo {n} sobre violencia y justicia") for n in range(size)
        )
        return NationalFramework(code, code, start, start + 1, "", objectives)

    national_frameworks_load(
        actor=None, frameworks=[framework("chico", 2020, 2), framework("grande", 2024, 120)]
    )
    client = client_for(editor)
    url = reverse("planning:item_suggestions", args=[ped.code, ped.items.get().pk])

    def count(day: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"fecha": day}).status_code == 200
        return len(ctx.captured_queries)

    count("01/06/2020")  # warm caches (content types, session)
    # 13, as with a plan chosen (test_item_suggestions): plan with owner, owner names, session,
    # user, memberships, item, the other plans for the select, the framework in force (instead of
    # the chosen plan), its items, header institutions (+names)
    assert count("01/06/2020") == count("01/06/2025")
    assert "grande" in client.get(url, {"fecha": "01/06/2025"}).content.decode()
