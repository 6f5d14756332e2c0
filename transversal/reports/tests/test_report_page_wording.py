"""The report page's sentences agree with their numbers (one report, two reports)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("per_person", "said"),
    [
        (1, "Cada persona puede tener 1 reporte en espera o en preparación a la vez"),
        (3, "Cada persona puede tener hasta 3 reportes en espera o en preparación a la vez"),
    ],
)
def test_the_limit_per_person_is_said_in_singular_or_plural(
    client_for, viewer, settings, per_person, said
):
    settings.REPORTS_MAX_ACTIVE_PER_PERSON = per_person
    page = client_for(viewer).get(reverse("reports:index")).content.decode()
    assert said in page


def test_states_are_named_by_their_short_name_in_the_form_and_the_report(db):
    """One short name per state everywhere (issue 12, item 13): "Coahuila", not its official
    name, in the choices and in the report's title."""
    from transversal.reports.assembly import build_report
    from transversal.reports.forms import ReportForm
    from transversal.territory.models import State

    form = ReportForm(states=State.objects.order_by("code"))
    labels = dict(form.fields["scope"].choices)
    assert labels["05"] == "Coahuila" and labels["15"] == "Estado de México"
    from transversal.conftest import make_institution
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    coahuila = make_institution("coahuila-prueba", "05", "Secretaría de las Mujeres")
    approved(indicator_with_calendar(coahuila), "2025-T1")
    report = build_report(period="2025", state=State.objects.get(code="05"))
    assert report.title == "Reporte estatal de avance: Coahuila"


def test_the_page_says_the_reports_carry_the_coordination_section(client_for, viewer):
    page = client_for(viewer).get(reverse("reports:index")).content.decode()
    assert "la coordinación interinstitucional (sistemas, sesiones y acuerdos)" in page


def test_the_page_says_the_reports_carry_the_improvement_section(client_for, viewer):
    page = client_for(viewer).get(reverse("reports:index")).content.decode()
    assert "el ciclo del modelo con sus evaluaciones y aspectos susceptibles de mejora" in page
