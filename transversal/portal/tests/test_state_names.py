"""States read the same everywhere in the portal: one short name each, in INEGI order."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from transversal.portal import selectors
from transversal.portal.tests.conftest import body
from transversal.territory.states import STATES

pytestmark = pytest.mark.django_db

SHORT_NAMES = [short for _code, _name, short, _abbr, _iso in STATES]


def state_links(html: str) -> list[str]:
    return re.findall(r'<a href="/portal/entidades/[a-z-]+/">([^<]+)</a>', html)


def test_the_state_list_follows_the_inegi_code_with_short_names(client, world):
    names = state_links(body(client.get(reverse("portal:states"))))
    assert names == SHORT_NAMES
    assert names.index("Chiapas") < names.index("Chihuahua")  # 07 before 08
    assert "Estado de México" in names and "Coahuila" in names
    assert "Coahuila de Zaragoza" not in names and "México" not in names


def test_the_home_page_lists_the_states_in_the_same_order(client, world):
    assert state_links(body(client.get(reverse("portal:home")))) == SHORT_NAMES


def test_the_selector_orders_by_code_whatever_the_grouping(world):
    assert [row["state"].code for row in selectors.state_list()] == [
        f"{n:02d}" for n in range(1, 33)
    ]


@pytest.mark.parametrize(
    ("slug", "short", "official"),
    [
        ("coahuila", "Coahuila", "Coahuila de Zaragoza"),
        ("estado-de-mexico", "Estado de México", "México"),
        ("veracruz", "Veracruz", "Veracruz de Ignacio de la Llave"),
    ],
)
def test_a_state_page_is_titled_with_the_short_name_and_gives_the_official_one(
    client, world, slug, short, official
):
    html = body(client.get(reverse("portal:state", args=[slug])))
    assert f"<h1>{short}</h1>" in html
    assert f"<dt>Nombre oficial</dt><dd>{official}</dd>" in html


def test_the_goal_summary_does_not_say_1_metas(client, world):
    html = body(client.get(reverse("portal:state", args=["durango"])))
    assert not re.search(r"\b1 metas\b", html)
    assert "Metas:" in html
