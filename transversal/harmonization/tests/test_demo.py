from __future__ import annotations

import datetime as dt

import pytest

from transversal.harmonization import demo
from transversal.harmonization.models import Cell, Provision

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_cites_the_dated_federal_sources_and_is_idempotent():
    demo.load(lambda line: None)
    demo.load(lambda line: None)
    dates = dict(Provision.objects.values_list("slug", "dof_date"))
    assert dates["ley-igualdad"] == dt.date(2006, 8, 2)
    assert dates["ley-acceso"] == dt.date(2007, 2, 1)
    assert dates["violencia-politica"] == dt.date(2020, 4, 13)
    assert dates["regla-3-de-3"] == dt.date(2023, 5, 29)
    assert dates["violencia-digital"] == dt.date(2021, 6, 1)
    assert dates["matrimonio-infantil"] == dt.date(2019, 6, 3)
    assert Cell.objects.count() == 32 * len(demo.CATALOGUE)


def test_every_demo_cell_is_synthetic_and_cites_no_state_source():
    demo.load(lambda line: None)
    cells = list(Cell.objects.all())
    assert all(c.is_synthetic and not c.is_cited for c in cells)
    assert {c.status for c in cells} >= {"armonizada", "parcial", "pendiente"}
