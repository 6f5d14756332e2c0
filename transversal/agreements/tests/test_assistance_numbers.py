"""Hours and participants of a technical assistance are typed the Mexican way ("1,200")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from transversal.agreements.models import TechnicalAssistance

pytestmark = pytest.mark.django_db


def _post(client, signed, **figures):
    data = {
        "recipient": signed.state_institution_id,
        "topic": "Taller masivo",
        "modality": "virtual",
        "date": "10/10/2015",
        "hours": "3",
        "participants_women": "0",
        "participants_men": "0",
        "participants_other": "0",
        **figures,
    }
    return client.post(reverse("agreements:assistance_new", args=[signed.state.code]), data)


def test_figures_with_a_thousands_comma_or_space_are_saved(client_for, editor, signed):
    response = _post(
        client_for(editor),
        signed,
        hours="1,500.5",
        participants_women="1,234",
        participants_men="1 020",
    )
    assert response.status_code == 302
    assistance = TechnicalAssistance.objects.get()
    assert assistance.hours == Decimal("1500.5")
    assert (assistance.participants_women, assistance.participants_men) == (1234, 1020)


def test_a_decimal_comma_is_refused_in_spanish_and_nothing_is_saved(client_for, editor, signed):
    response = _post(client_for(editor), signed, hours="2,5", participants_women="12.5")
    page = response.content.decode()
    assert response.status_code == 400
    assert "«2,5» no es claro: use el punto para los decimales" in page
    assert "Escriba un número entero, sin decimales." in page
    assert not TechnicalAssistance.objects.exists()
