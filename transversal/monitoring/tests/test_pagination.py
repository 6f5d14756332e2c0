"""Long lists come in pages of 50, with the filters kept in the pager's links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.monitoring.models import Indicator
from transversal.monitoring.services import indicator_create

pytestmark = pytest.mark.django_db


def make_indicators(owner, n: int) -> None:
    for i in range(n):
        indicator_create(
            actor=None,
            owner=owner,
            name=f"Indicador {i:03d}",
            unit="personas",
            measure="count",
            frequency="annual",
            direction="ascending",
            is_public=True,
        )


def test_the_indicator_list_is_paginated_and_keeps_the_filter(client_for, editor, durango):
    make_indicators(durango, 53)
    client = client_for(editor)
    first = client.get(reverse("monitoring:list"), {"institucion": durango.slug}).content.decode()
    assert first.count("Indicador 0") == 50
    assert "Página 1 de 2 (53 en total)" in first
    assert f"institucion={durango.slug}&amp;pagina=2" in first
    second = client.get(
        reverse("monitoring:list"), {"institucion": durango.slug, "pagina": "2"}
    ).content.decode()
    assert second.count("Indicador 0") == 3


def test_a_page_number_out_of_range_gives_the_last_page_not_an_error(client_for, editor, durango):
    make_indicators(durango, 3)
    response = client_for(editor).get(reverse("monitoring:list"), {"pagina": "999"})
    assert response.status_code == 200
    assert response.content.decode().count("Indicador 0") == 3
    assert client_for(editor).get(reverse("monitoring:list"), {"pagina": "abc"}).status_code == 200


def test_the_public_indicator_list_is_paginated(client, durango):
    make_indicators(durango, 51)
    page = client.get(reverse("portal:indicators")).content.decode()
    assert "Página 1 de 2 (51 en total)" in page
    assert Indicator.objects.count() == 51
