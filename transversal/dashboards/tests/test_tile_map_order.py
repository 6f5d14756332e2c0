"""The tile map's DOM order, which is its tab and reading order, follows the map row by row."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from transversal.dashboards.tests.data import known_dataset
from transversal.territory.tiles import TILE_POSITIONS

pytestmark = pytest.mark.django_db

# Row-major: top row left to right, then the next row down.
MAP_ORDER = sorted(TILE_POSITIONS, key=TILE_POSITIONS.__getitem__)


def tile_codes(html: str) -> list[str]:
    return re.findall(r'<li class="tile s(\d\d) ', html)


def test_the_national_map_tabs_through_the_tiles_in_map_order(
    client_for, coordinator, national, durango, zacatecas
):
    known_dataset(national, durango, zacatecas)
    html = client_for(coordinator).get("/tableros/").content.decode()
    assert tile_codes(html) == MAP_ORDER
    assert MAP_ORDER[:3] == ["02", "26", "08"]


def test_the_national_table_keeps_the_states_in_code_order(
    client_for, coordinator, national, durango, zacatecas
):
    known_dataset(national, durango, zacatecas)
    html = client_for(coordinator).get("/tableros/").content.decode()
    table = html[html.index("</ol>") :]
    rows = re.findall(r'href="/tableros/entidad/(\d\d)/"', table)
    assert rows and rows == sorted(rows)


def test_the_programmes_map_tabs_through_the_tiles_in_map_order(client_for, coordinator):
    html = client_for(coordinator).get("/tableros/programas/").content.decode()
    assert tile_codes(html) == MAP_ORDER


def test_the_public_maps_list_their_tiles_in_map_order_too(client):
    """The observatory's maps (harmonization per provision, a gender gap per indicator) share
    the tile partial: their tiles come in the map's order as well."""
    from transversal.harmonization.demo import load as load_harmonization
    from transversal.harmonization.models import Provision

    load_harmonization(lambda *_args: None)
    provision = Provision.objects.order_by("order").first()
    html = client.get(reverse("harmonization:map", args=[provision.slug])).content.decode()
    assert tile_codes(html) == MAP_ORDER
