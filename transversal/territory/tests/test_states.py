from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.conftest import make_institution
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def test_the_32_states_are_loaded_with_inegi_and_iso_codes():
    states = list(State.objects.order_by("code"))
    assert [s.code for s in states] == [f"{n:02d}" for n in range(1, 33)]
    by_code = {s.code: s for s in states}
    assert by_code["01"].name == "Aguascalientes"
    assert by_code["09"].name == "Ciudad de México" and by_code["09"].iso_code == "MX-CMX"
    assert by_code["10"].iso_code == "MX-DUR"
    assert by_code["15"].name == "México" and by_code["15"].short_name == "Estado de México"
    assert by_code["30"].name == "Veracruz de Ignacio de la Llave"
    assert by_code["32"].name == "Zacatecas" and by_code["32"].iso_code == "MX-ZAC"
    assert len({s.iso_code for s in states}) == 32


def test_the_state_list_shows_each_institute_current_name(client, durango):
    page = client.get(reverse("directory:state_list")).content.decode()
    assert page.count("<tr>") == 33  # header + 32 states
    assert "Instituto Estatal de las Mujeres" in page
    assert "Sin registro en Transversal" in page


def test_the_state_list_takes_the_same_queries_whatever_the_number_of_institutions(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("directory:state_list")).status_code == 200
        return len(ctx)

    make_institution("uno", "01", "Instituto Aguascalentense de las Mujeres")
    few = count()
    for code in ("02", "03", "04", "05", "06", "07", "08", "10", "11", "12"):
        make_institution(f"inst-{code}", code, f"Instancia {code}")
    # states, their institutes, the institutes' names: three queries
    assert count() == few == 3


def test_a_state_page_shows_the_institute_profile(client, durango):
    page = client.get(reverse("directory:state_detail", args=["10"])).content.decode()
    assert "Durango" in page and "Instituto Estatal de las Mujeres" in page


def test_an_unknown_state_key_gets_a_clear_spanish_404(client):
    response = client.get(reverse("directory:state_detail", args=["99"]))
    assert response.status_code == 404
    assert "No existe una entidad federativa con la clave «99»" in response.content.decode()
