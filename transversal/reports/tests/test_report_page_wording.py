"""The report page's sentences agree with their numbers (one report, two reports)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("per_person", "said"),
    [
        (1, "Cada persona puede tener 1 reporte en espera o en preparación a la vez"),
        (3, "Cada persona puede tener hasta 3 reportes en espera o en preparación a la vez"),
    ],
)
def test_the_limit_per_person_is_said_in_singular_or_plural(
    client_for, viewer, settings, per_person, said
):
    settings.REPORTS_MAX_ACTIVE_PER_PERSON = per_person
    page = client_for(viewer).get(reverse("reports:index")).content.decode()
    assert said in page
