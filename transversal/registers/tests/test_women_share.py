"""models.women_share: the women's percentage with one rounding rule, read the same by a
register's list and home, the portal's aggregates and an indicator's feed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from transversal.registers import feeds, public
from transversal.registers.models import TrainingEvent, women_share
from transversal.registers.selectors import Totals
from transversal.registers.tests import entry_world as world
from transversal.registers.tests import public_world as w


def test_nobody_counted_has_no_share():
    assert women_share(0, 0) is None


def test_a_half_tenth_rounds_up():
    # 49 of 400 is 12.25 %: rounded half to even it would read 12.2.
    assert women_share(49, 400) == Decimal("12.3")
    assert women_share(1, 8) == Decimal("12.5")
    assert women_share(2, 3) == Decimal("66.7")


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=10**9))
def test_the_share_has_one_decimal_and_stays_between_0_and_100(women, others):
    share = women_share(women, women + others)
    if women + others == 0:
        assert share is None
        return
    assert Decimal(0) <= share <= Decimal(100)
    assert share.as_tuple().exponent == -1
    assert abs(share - Decimal(women) * 100 / Decimal(women + others)) <= Decimal("0.05")


def test_the_totals_of_nobody_have_no_share():
    assert Totals(entries=1, women=0, men=0, unspecified=0).women_share is None


@pytest.mark.django_db
def test_the_list_the_portal_and_the_feed_read_the_same_share(client_for, editor, durango):
    # 49 women of 400 people: 12.25 %, the case two roundings read differently.
    world.training(durango, women=49, men=351, start=dt.date(2025, 3, 2), end=dt.date(2025, 3, 3))
    response = client_for(editor).get(reverse("registers:list", args=["training"]))
    assert response.context["totals"].women_share == Decimal("12.3")
    assert "mujeres: 12.3 % del total" in response.content.decode()
    home = client_for(editor).get(reverse("registers:home")).content.decode()
    assert "mujeres 12.3 %" in home
    entries = list(TrainingEvent.objects.all())
    assert feeds.aggregate("women_share", entries) == Decimal("12.3")
    [aggregate] = [a for a in public.public_aggregates("training") if a.state == "10"]
    assert aggregate.women_share == Decimal("12.3")


@pytest.mark.django_db
def test_the_portal_gives_no_share_for_nobody(durango):
    w.training(durango, women=0, men=0, unspecified=0)
    for aggregate in public.public_aggregates("training"):
        assert aggregate.women_share is None
