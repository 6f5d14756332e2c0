"""The demo statistics: the 32 states, invented and said so, the same on every load."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.genderstats import demo
from transversal.genderstats.models import ContextIndicator, StatValue

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_state_as_synthetic_and_a_second_load_changes_nothing(client):
    demo.load(lambda line: None)
    count = StatValue.objects.count()
    assert ContextIndicator.objects.filter(is_synthetic=True).count() == len(demo.INDICATORS)
    assert not StatValue.objects.filter(is_synthetic=False).exists()
    rate = ContextIndicator.objects.get(slug="tasa-participacion-economica")
    assert rate.values.filter(year=2024, sex="mujeres").exclude(state=None).count() == 32
    demo.load(lambda line: None)
    assert StatValue.objects.count() == count
    page = client.get(reverse("portal:statistic", args=["tasa-participacion-economica"]))
    html = page.content.decode()
    assert "dato sintético" in html and "Cifras sintéticas de demostración" in html
    assert "precisión moderada" in html or "precisión baja" in html


def test_the_demo_count_has_its_national_figure_as_the_sum_of_the_states(client):
    demo.load(lambda line: None)
    page = client.get(reverse("portal:statistic", args=["poblacion-analfabeta"]))
    assert "suma de las 32 entidades" in page.content.decode()


def test_the_demo_national_row_is_marked_synthetic_not_published(client):
    demo.load(lambda line: None)
    assert StatValue.objects.filter(state=None, is_synthetic=True).exists()
    page = client.get(reverse("portal:statistic", args=["tasa-participacion-economica"]))
    html = page.content.decode()
    national = html[html.index('<tr class="total">') :]
    national = national[: national.index("</tr>")]
    assert "cifra nacional publicada" not in html
    assert "dato sintético" in national and "no es una cifra publicada" in national
