"""registers.public: the registers' aggregates by state and year, through the one small-count rule.
(The property over random entries, read from every public output, is in
portal/tests/test_small_counts_everywhere.py.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from transversal.registers import public
from transversal.registers.tests import public_world as w

pytestmark = pytest.mark.django_db


def values(aggregate: public.Aggregate) -> dict[tuple[str, str], int | None]:
    return {(cell.dimension, cell.category): cell.value for cell in aggregate.cells}


def test_it_adds_up_each_states_entries_of_a_year(durango, zacatecas, national):
    w.training(durango, women=10, men=5, audience="public_servants")
    w.training(durango, women=20, men=15, unspecified=5, audience="general")
    w.training(durango, women=9, men=9, end=dt.date(2024, 11, 5))
    w.training(zacatecas, women=7, men=8)
    w.training(national, women=30, men=20)
    rows = {(a.state, a.year): a for a in public.public_aggregates("training")}
    assert set(rows) == {("00", 2025), ("10", 2024), ("10", 2025), ("32", 2025)}
    durango_2025 = rows[("10", 2025)]
    assert (durango_2025.entries, durango_2025.people) == (2, 55)
    assert values(durango_2025) == {
        ("sex", "women"): 30,
        ("sex", "men"): 20,
        ("sex", "unspecified"): 5,
        ("audience", "public_servants"): 15,
        ("audience", "general"): 40,
        ("audience", "reeducation"): 0,
    }
    assert durango_2025.women_share == Decimal("54.5")
    assert rows[("00", 2025)].people == 50  # the national institution's own, in no state


def test_services_are_broken_down_by_type_and_mechanisms_by_sector(durango):
    w.service(durango, women=30, service_type="legal", month=dt.date(2025, 1, 1))
    w.service(durango, women=25, men=6, service_type="legal", month=dt.date(2025, 2, 1))
    w.service(durango, women=12, service_type="shelter")
    [services] = public.public_aggregates("service")
    assert (services.entries, services.people) == (3, 73)
    assert [(c.category, c.value) for c in services.of("service_type")] == [
        ("psychological", 0),
        ("legal", 61),
        ("medical", 0),
        ("social_work", 0),
        ("shelter", 12),
        ("phone_line", 0),
        ("empowerment", 0),
        ("other", 0),
    ]
    w.participation(durango, women=10, men=10, sectors=(8, 6, 6, 0, 0))
    [mechanisms] = public.public_aggregates("participation")
    assert [c.value for c in mechanisms.of("sector")] == [8, 6, 6, 0, 0]


def test_small_counts_and_what_would_give_them_back_are_suppressed(durango):
    # Women 3 of 43: blank, and men with them (43 − 0 − men would give 3 back).
    w.training(durango, women=3, men=40, audience="general")
    [aggregate] = public.public_aggregates("training")
    assert values(aggregate) == {
        ("sex", "women"): None,
        ("sex", "men"): None,
        ("sex", "unspecified"): 0,
        ("audience", "public_servants"): 0,
        ("audience", "general"): 43,
        ("audience", "reeducation"): 0,
    }
    assert aggregate.people == 43  # totals are never blanked
    assert aggregate.women_share is None  # 43 × share would give the 3 back


def test_the_threshold_follows_the_setting(durango, settings):
    w.affirmative(durango, women=6, men=7)
    [aggregate] = public.public_aggregates("affirmative")
    assert values(aggregate)[("sex", "women")] == 6
    settings.OPEN_DATA_MIN_COUNT = 10
    [aggregate] = public.public_aggregates("affirmative")
    assert values(aggregate)[("sex", "women")] is None


def test_a_state_and_year_with_one_synthetic_entry_is_marked_synthetic(durango, zacatecas):
    w.service(durango, synthetic=True)
    w.service(durango, service_type="medical")
    w.service(zacatecas)
    marks = {a.state: a.is_synthetic for a in public.public_aggregates("service")}
    assert marks == {"10": True, "32": False}


def test_filters_pick_rows_without_changing_them(durango, zacatecas, national):
    w.participation(durango, women=9, men=3)
    w.participation(durango, women=7, men=7, year=2024, name="Red estatal")
    w.participation(zacatecas)
    w.participation(national)
    everything = public.public_aggregates("participation")
    assert public.public_aggregates("participation", state="10", year=2025) == [
        a for a in everything if a.state == "10" and a.year == 2025
    ]
    assert public.public_aggregates("participation", state="00") == [
        a for a in everything if a.state == "00"
    ]
    assert public.public_aggregates("participation", year=2024) == [
        a for a in everything if a.year == 2024
    ]


def test_nothing_of_an_entry_but_its_counts_reaches_an_aggregate(durango):
    w.one_of_each(durango)
    for register in public.DIMENSIONS:
        for aggregate in public.public_aggregates(register):
            assert w.PRIVATE not in repr(aggregate) and w.NOTE not in repr(aggregate)


def test_each_register_is_one_query_whatever_its_size(
    durango, zacatecas, django_assert_num_queries
):
    for step in (1, 2):
        w.grow(durango, 6, step)
        w.grow(zacatecas, 4, step)
    for register in public.DIMENSIONS:
        # The grouped query: entries, synthetic entries and people by state, year and category.
        with django_assert_num_queries(1):
            aggregates = public.public_aggregates(register)
        assert {(a.state, a.year) for a in aggregates} == {
            (state, year) for state in ("10", "32") for year in (2011, 2012)
        }


def test_the_years_are_every_year_with_entries_newest_first(durango):
    w.training(durango, end=dt.date(2023, 5, 1))
    w.service(durango, month=dt.date(2025, 3, 1))
    w.participation(durango, year=2024)
    assert public.public_years() == [2025, 2024, 2023]
