"""`mejora/hallazgos/nuevo/`: a finding outside an evaluation (a returned report, a red light).

The returned report decides the finding's indicator, and the indicator its institution, so a
person who picks a report (or an indicator of another institution than the one preselected)
is never refused for lists that were not kept in step."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.improvement.models import Finding
from transversal.monitoring.services import update_return, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar

pytestmark = pytest.mark.django_db

URL = "/mejora/hallazgos/nuevo/"


def _returned(indicator, label, editor, reviewer):
    row = draft(indicator, label, actor=editor)
    row = update_submit(actor=editor, update=row, expected_version=row.version)
    update_return(actor=reviewer, update=row, comment="Falta la fuente.")
    return indicator.periods.get(label=label)


@pytest.fixture
def reports(durango, zacatecas, editor, reviewer):
    """Two indicators of Durango, one of Zacatecas; Durango's second has a returned report."""
    first = indicator_with_calendar(durango, name="Atención a mujeres")
    second = indicator_with_calendar(durango, name="Mujeres capacitadas")
    foreign = indicator_with_calendar(zacatecas, name="Albergues en operación")
    period = _returned(second, "2025-T3", editor, reviewer)
    return first, second, foreign, period


def test_a_returned_report_gives_the_finding_its_indicator_and_institution(
    client_for, coordinator, national, durango, reports
):
    first, second, _foreign, period = reports
    client = client_for(coordinator)
    response = client.post(
        URL,
        {
            "institution": national.pk,  # the coordinator's own, preselected
            "source": "returned_report",
            "indicator": first.pk,  # left on another indicator
            "period": period.pk,
            "text": "El reporte se devolvió por falta de fuente.",
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("improvement:finding", args=[finding.code])
    assert (finding.institution, finding.indicator, finding.period) == (durango, second, period)
    assert finding.source == "returned_report"


def test_a_red_light_finding_belongs_to_its_indicators_institution(
    client_for, coordinator, national, zacatecas, reports
):
    foreign = reports[2]
    client = client_for(coordinator)
    response = client.post(
        URL,
        {
            "institution": national.pk,
            "source": "red_light",
            "indicator": foreign.pk,
            "text": "Dos trimestres en rojo.",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.institution, finding.indicator, finding.period) == (zacatecas, foreign, None)


def test_a_returned_report_under_another_source_is_refused_and_saves_nothing(
    client_for, coordinator, durango, reports
):
    period = reports[3]
    client = client_for(coordinator)
    response = client.post(
        URL,
        {"institution": durango.pk, "source": "red_light", "period": period.pk, "text": "Rojo."},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Indique un reporte devuelto solo si ese es el origen." in page
    assert 'role="alert"' in page
    assert not Finding.objects.exists()


def test_the_lists_say_whose_each_indicator_and_report_is(client_for, coordinator, reports):
    client = client_for(coordinator)
    page = client.get(URL).content.decode()
    assert "Mujeres capacitadas, 3.er trimestre 2025 — " in page
    assert "Albergues en operación — " in page
    assert "Zacatecas" in page.split("Albergues en operación — ", 1)[1].split("<", 1)[0]
    # the returned report is offered first, as the form's first source
    assert page.index('value="returned_report"') < page.index('value="red_light"')


def test_a_state_editor_reads_the_lists_without_institution_names(client_for, editor, reports):
    page = client_for(editor).get(URL).content.decode()
    assert ">Mujeres capacitadas, 3.er trimestre 2025<" in page
    assert "Albergues en operación" not in page  # Zacatecas's, not hers


def test_the_form_page_keeps_constant_queries_as_indicators_and_reports_grow(
    client_for, coordinator, durango, zacatecas, editor, reviewer, reports
):
    client = client_for(coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3):
        for owner in (durango, zacatecas):
            extra = indicator_with_calendar(owner, name=f"Indicador adicional {n}")
            if owner == durango:
                _returned(extra, "2025-T2", editor, reviewer)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    # Durango's and Zacatecas's indicators, and Durango's returned report
    assert page.count("Indicador adicional 2") == 3
    # session, user, memberships, institutions (+ names), indicators (+ owners' names),
    # returned reports (+ owners' names): the same count whatever the rows
    assert len(many) == len(few)


def test_a_finding_from_an_acuerdo_names_it_and_other_sources_may_not(
    client_for, durango, editor, reports
):
    from transversal.coordination.tests.factories import make_resolution, make_session, make_system

    resolution = make_resolution(make_session(make_system(durango)), durango)
    client = client_for(editor)
    page = client.get(URL).content.decode()
    assert resolution.folio in page
    data = {"institution": durango.pk, "source": "resolution", "text": "Acuerdo sin avance."}
    response = client.post(URL, data)
    assert "Indique el acuerdo del que surge." in response.content.decode()
    response = client.post(URL, {**data, "source": "red_light", "resolution": resolution.pk})
    assert "Indique un acuerdo solo si ese es el origen." in response.content.decode()
    assert not Finding.objects.exists()
    response = client.post(URL, {**data, "resolution": resolution.pk})
    finding = Finding.objects.get()
    assert (finding.source, finding.resolution, finding.institution) == (
        "resolution",
        resolution,
        durango,
    )
