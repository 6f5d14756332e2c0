"""Public roll-ups built on invented goals, indicators or values say «dato sintético» beside
the figure they colour; built on real records they carry no such mark."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from transversal.agreements.models import Agreement, Goal
from transversal.monitoring.models import ProgressUpdate
from transversal.portal.tests.conftest import body

pytestmark = pytest.mark.django_db

MARK = "dato sintético"


def _section(html: str, start: str, end: str) -> str:
    part = html[html.index(start) :]
    return part[: part.index(end)]


def _durango_row(html: str) -> str:
    [row] = re.findall(r"<(?:li|tr)>(?:(?!</(?:li|tr)>).)*?>Durango</a>.*?</(?:li|tr)>", html, re.S)
    return row


def test_a_portal_on_real_records_carries_no_synthetic_mark(client, world):
    for url in (
        reverse("portal:home"),
        reverse("portal:states"),
        reverse("portal:state", args=[world.state_slug]),
        reverse("portal:agreements"),
        reverse("portal:agreement", args=[world.agreement.code]),
        reverse("portal:indicators"),
        reverse("portal:indicator", args=[world.indicator.code]),
    ):
        assert MARK not in body(client.get(url)), url


def test_the_home_marks_the_national_light_and_each_state_built_on_synthetic_goals(client, world):
    Goal.objects.update(is_synthetic=True)
    html = body(client.get(reverse("portal:home")))
    assert MARK in _section(html, 'id="nation-light"', "</p>")
    assert MARK in _durango_row(_section(html, 'class="state-grid"', "</ul>"))
    assert 'class="synthetic-notice"' in html


def test_a_synthetic_agreement_marks_its_states_light_too(client, world):
    Agreement.objects.update(is_synthetic=True)
    html = body(client.get(reverse("portal:home")))
    assert MARK in _section(html, 'id="nation-light"', "</p>")


def test_the_state_list_and_page_mark_lights_built_on_synthetic_goals(client, world):
    Goal.objects.update(is_synthetic=True)
    states = body(client.get(reverse("portal:states")))
    assert MARK in _durango_row(_section(states, "<tbody>", "</tbody>"))
    page = body(client.get(reverse("portal:state", args=[world.state_slug])))
    assert MARK in _section(page, 'id="state-light"', "</section>")


def test_the_agreements_mark_lights_built_on_synthetic_goals(client, world):
    Goal.objects.filter(agreement=world.agreement, number=1).update(is_synthetic=True)
    listing = body(client.get(reverse("portal:agreements")))
    assert MARK in _section(listing, "<tbody>", "</tbody>")
    detail = body(client.get(reverse("portal:agreement", args=[world.agreement.code])))
    goals = _section(detail, 'id="goals"', "</table>")
    assert goals.count(MARK) == 1  # goal 1 only


def test_the_indicators_mark_a_synthetic_approved_value(client, world):
    ProgressUpdate.objects.update(is_synthetic=True)
    listing = body(client.get(reverse("portal:indicators")))
    assert MARK in _section(listing, "<tbody>", "</tbody>")
    detail = body(client.get(reverse("portal:indicator", args=[world.indicator.code])))
    assert MARK in detail
