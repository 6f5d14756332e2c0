"""A convenio's status comes from its recorded stage and its dates (issue 13, item 5): Durango's
2015–2018 convenio is concluded in 2026, not "Vigente", and nothing counts it as in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from transversal.agreements.models import Agreement, AgreementStatus, in_force_on, status_on

pytestmark = pytest.mark.django_db

DRAFT, SIGNED, IN_FORCE, CONCLUDED, TERMINATED = (
    AgreementStatus.DRAFT,
    AgreementStatus.SIGNED,
    AgreementStatus.IN_FORCE,
    AgreementStatus.CONCLUDED,
    AgreementStatus.TERMINATED,
)
START, END = dt.date(2015, 3, 1), dt.date(2018, 11, 30)


@pytest.mark.parametrize(
    ("stage", "dates", "day", "expected"),
    [
        (DRAFT, (None, None), dt.date(2026, 1, 1), DRAFT),
        (DRAFT, (START, END), dt.date(2016, 1, 1), DRAFT),  # never signed: never in force
        (SIGNED, (START, END), dt.date(2015, 2, 1), SIGNED),
        (SIGNED, (START, END), START, IN_FORCE),
        (SIGNED, (START, END), END, IN_FORCE),
        (SIGNED, (START, END), END + dt.timedelta(days=1), CONCLUDED),
        (IN_FORCE, (START, END), dt.date(2026, 12, 7), CONCLUDED),
        (IN_FORCE, (None, None), dt.date(2026, 12, 7), IN_FORCE),
        (IN_FORCE, (None, END), dt.date(2026, 12, 7), CONCLUDED),
        (SIGNED, (None, None), dt.date(2026, 12, 7), SIGNED),
        (TERMINATED, (START, END), dt.date(2016, 1, 1), TERMINATED),
        (CONCLUDED, (START, END), dt.date(2016, 1, 1), CONCLUDED),
    ],
)
def test_the_status_on_a_day(stage, dates, day, expected):
    assert status_on(stage, *dates, day) == expected


@pytest.fixture
def agreements(national, durango, zacatecas):
    def make(title, stage, valid_from, valid_to, institution=durango):
        return Agreement.objects.create(
            national_institution=national,
            state=institution.state,
            state_institution=institution,
            title=title,
            status=stage,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    return {
        "old": make("Convenio 2015-2018", IN_FORCE, START, END),
        "current": make("Convenio 2026", SIGNED, dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
        "future": make("Convenio 2031", SIGNED, dt.date(2031, 1, 1), None),
        "draft": make("Borrador", DRAFT, None, None, zacatecas),
    }


def test_the_query_condition_agrees_with_the_rule(agreements):
    for day in (
        dt.date(2014, 1, 1),
        dt.date(2016, 6, 1),
        dt.date(2026, 12, 7),
        dt.date(2032, 1, 1),
    ):
        by_query = set(Agreement.objects.filter(in_force_on(day)).values_list("title", flat=True))
        by_rule = {a.title for a in Agreement.objects.all() if a.status_on(day) == IN_FORCE}
        assert by_query == by_rule, day


def test_no_page_shows_vigente_for_an_agreement_past_its_end(client_for, coordinator, agreements):
    client = client_for(coordinator)
    old = agreements["old"]
    page = client.get(reverse("agreements:detail", args=[old.code])).content.decode()
    assert "Concluido" in page and "último estado registrado: Vigente" in page
    # In force from 2015: the national party is named as it was then, on the page and the portal.
    assert "Instituto Nacional de las Mujeres (Inmujeres)" in page
    assert "Secretaría de las Mujeres" not in page.split("<main")[1].split("Firmantes")[0]
    portal = client.get(reverse("portal:agreement", args=[old.code])).content.decode()
    assert "Instituto Nacional de las Mujeres (Inmujeres)" in portal
    listing = client.get(reverse("agreements:list"), {"estado": "in_force"})
    titles = [a.title for a in listing.context["agreements"]]
    assert titles == [agreements["current"].title]
    concluded = client.get(reverse("agreements:list"), {"estado": "concluded"})
    assert [a.title for a in concluded.context["agreements"]] == [old.title]


def test_the_national_dashboard_counts_only_agreements_in_force_today(
    client_for, coordinator, agreements
):
    agreements["current"].delete()
    page = client_for(coordinator).get(reverse("dashboards:national")).content.decode()
    assert '0</span> <span class="counter-label">entidades con convenio vigente' in page


class TestSignatories:
    """The counterparty is the state government, signing by charge; the institute executes."""

    def test_the_page_names_the_counterparty_the_executing_body_and_the_signatories(
        self, client_for, coordinator, agreements
    ):
        agreement = agreements["current"]
        client = client_for(coordinator)
        url = reverse("agreements:signatory_create", args=[agreement.code])
        for side, charge in [
            ("state_government", "Gobernador Constitucional del Estado"),
            ("state_institute", "Titular del Instituto Estatal de las Mujeres"),
            ("witness", "Secretaria General de Gobierno"),
        ]:
            assert client.post(url, {"side": side, "charge": charge}).status_code == 302
        page = client.get(reverse("agreements:detail", args=[agreement.code])).content.decode()
        assert "Gobierno del Estado de Durango" in page
        assert "Instancia ejecutora en la entidad" in page
        assert "Por el Gobierno del Estado: Gobernador Constitucional del Estado" in page
        assert "Testigo de honor: Secretaria General de Gobierno" in page
        assert [s.order for s in agreement.signatories.all()] == [1, 2, 3]

    def test_a_signatory_without_charge_is_refused_and_nothing_is_saved(
        self, client_for, coordinator, agreements
    ):
        agreement = agreements["current"]
        response = client_for(coordinator).post(
            reverse("agreements:signatory_create", args=[agreement.code]),
            {"side": "witness", "charge": "   "},
        )
        assert response.status_code == 400
        assert not agreement.signatories.exists()

    def test_state_members_read_but_cannot_add(self, client_for, editor, outsider, agreements):
        agreement = agreements["current"]
        url = reverse("agreements:signatory_create", args=[agreement.code])
        data = {"side": "witness", "charge": "Testigo"}
        assert client_for(editor).post(url, data).status_code == 403
        assert client_for(outsider).post(url, data).status_code in (403, 404)
        assert not agreement.signatories.exists()
