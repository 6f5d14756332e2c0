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


def test_the_demo_shows_invented_marked_citations_and_unverified_cells():
    demo.load(lambda line: None)
    cells = list(Cell.objects.all())
    assert all(c.is_synthetic for c in cells)
    cited = [c for c in cells if c.is_cited]
    uncited = [c for c in cells if not c.is_cited]
    # Both paths of the rule: a status with its (invented) source, and «sin verificar».
    assert len(cited) > 32 and len(uncited) > 32
    assert all("dato sintético" in c.gazette and c.published_on for c in cited)
    assert all(not (c.instrument or c.article or c.gazette or c.published_on) for c in uncited)
    assert {c.shown_status for c in uncited} == {"sin_verificar"}
    assert {c.shown_status for c in cited} >= {"armonizada", "parcial", "pendiente"}
    dof = dict(Provision.objects.values_list("pk", "dof_date"))
    assert all(c.published_on > dof[c.provision_id] for c in cited if dof[c.provision_id])
