"""An overdue acuerdo appears in «Mis pendientes» of the people of its responsible
institutions, and only theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.services import followup_cancel

pytestmark = pytest.mark.django_db
WORK = reverse("work:list")
PAST = dt.date(2020, 1, 31)


@pytest.fixture
def session(durango):
    return make_session(make_system(durango), dt.date(2020, 1, 10))


def test_an_overdue_acuerdo_appears_in_the_responsibles_list(
    client_for, session, zacatecas, outsider
):
    resolution = make_resolution(session, zacatecas, due=PAST, text="Entregar el diagnóstico")
    page = client_for(outsider).get(WORK).content.decode()
    assert "Acuerdos y compromisos vencidos" in page
    assert "Entregar el diagnóstico" in page
    assert reverse("coordination:resolution", args=[resolution.code]) in page
    assert "venció el 31/01/2020" in page


def test_it_is_not_in_the_list_of_the_secretariat_nor_once_cancelled(
    client_for, session, zacatecas, editor, outsider
):
    resolution = make_resolution(session, zacatecas, due=PAST, text="Entregar el diagnóstico")
    make_resolution(session, zacatecas, due=dt.date(2999, 1, 1), text="Aún a tiempo")
    assert "Entregar el diagnóstico" not in client_for(editor).get(WORK).content.decode()
    assert "Aún a tiempo" not in client_for(outsider).get(WORK).content.decode()
    followup_cancel(actor=None, item=resolution.followup, reason="Ya no aplica")
    assert "Entregar el diagnóstico" not in client_for(outsider).get(WORK).content.decode()


def test_the_list_takes_the_same_queries_for_one_and_many_overdue_acuerdos(
    client_for, session, zacatecas, outsider
):
    client = client_for(outsider)
    make_resolution(session, zacatecas, due=PAST, text="Uno")
    with CaptureQueriesContext(connection) as one:
        client.get(WORK)
    for index in range(4):
        make_resolution(session, zacatecas, due=PAST, text=f"Otro {index}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(WORK)
    assert len(response.context["overdue_followups"]) == 5
    assert len(one) == len(many)
