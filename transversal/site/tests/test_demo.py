"""`manage.py load_demo`: a country, not two states, loaded through the services, twice alike.

The national checks share one demo world built once for the module (loading it takes seconds);
the database is put back to what ``migrate`` created afterwards."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from transversal.accounts.demo import DEMO_PASSWORD, PERSONAS
from transversal.accounts.models import Membership, User
from transversal.agreements.models import Agreement, AgreementStatus
from transversal.audit.models import AuditEvent
from transversal.conftest import restore_migrated_state
from transversal.dashboards.selectors import Filters, national_rows
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring.models import Evidence, Indicator, ProgressUpdate, UpdateStatus
from transversal.planning.ingest.seeds import find_seed
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        restore_migrated_state()
        load_demo()
    yield media
    with django_db_blocker.unblock():
        restore_migrated_state()


@pytest.fixture
def media(world, settings):
    settings.MEDIA_ROOT = world
    return world


def test_a_second_run_changes_nothing(media):
    def counts():
        return [
            model.objects.count()
            for model in (
                Institution,
                User,
                Membership,
                Agreement,
                Indicator,
                ProgressUpdate,
                Evidence,
                AuditEvent,
            )
        ]

    before = counts()
    load_demo()
    assert counts() == before


def test_durango_and_zacatecas_keep_their_names_and_facts(media):
    durango = Institution.objects.with_names().get(slug="iem-durango")
    assert durango.current_name.name == "Instituto Estatal de las Mujeres"
    assert durango.former_names[0].name == "Instituto de la Mujer Duranguense"
    assert durango.creation_number == "298" and durango.creation_date.isoformat() == "2000-06-18"
    assert (
        Institution.objects.with_names().get(slug="semujer-zacatecas").current_name.name
        == "Secretaría de las Mujeres"
    )


def test_the_32_state_institutes_are_the_records_of_the_reference_module(media):
    from transversal.institutions.state_institutes import INSTITUTES

    institutes = Institution.objects.filter(kind=InstitutionKind.STATE_IMEF)
    assert institutes.count() == 32
    assert set(institutes.values_list("slug", flat=True)) == {i.slug for i in INSTITUTES}
    assert set(institutes.values_list("state__code", flat=True)) == set(
        State.objects.values_list("code", flat=True)
    )


def test_municipal_instances_exist_only_where_the_catalogue_has_municipalities(media):
    imms = Institution.objects.filter(kind=InstitutionKind.MUNICIPAL_IMM)
    assert imms.count() == 6
    assert set(imms.values_list("state__code", flat=True)) == {"10", "32"}
    assert all("dato sintético" in imm.source for imm in imms)


def test_every_state_has_one_ip321_convenio_and_none_reads_in_force_past_its_end(media):
    today = timezone.localdate()
    agreements = list(Agreement.objects.filter(round="IP-321", is_synthetic=True))
    assert len({a.state_id for a in agreements}) == len(agreements) == 32
    statuses = [a.status_on(today) for a in agreements]
    assert statuses.count(AgreementStatus.IN_FORCE) >= 20
    assert {AgreementStatus.CONCLUDED, AgreementStatus.SIGNED, AgreementStatus.DRAFT} <= set(
        statuses
    )
    for agreement, status in zip(agreements, statuses, strict=True):
        if agreement.valid_to and agreement.valid_to < today:
            assert status == AgreementStatus.CONCLUDED
        if status == AgreementStatus.DRAFT:
            assert agreement.valid_from is None
            assert not Indicator.objects.filter(goals__agreement=agreement, periods__isnull=False)


def test_the_national_dashboard_shows_a_country_in_every_colour(client, media):
    client.force_login(User.objects.get(email="coordinacion@transversal.test"))
    response = client.get(reverse("dashboards:national"))
    assert response.status_code == 200
    assert "dato sintético" in response.content.decode()
    # The rows the page draws its map from.
    rows = national_rows(Filters())
    with_data = [row for row in rows if row.rollup.colour != "no_data"]
    assert len(with_data) >= 30
    assert {row.rollup.colour for row in with_data} == {"green", "yellow", "red"}


def test_reports_are_in_every_stage_of_review_and_some_carry_evidence(media):
    statuses = set(ProgressUpdate.objects.filter(is_current=True).values_list("status", flat=True))
    assert {
        UpdateStatus.APPROVED,
        UpdateStatus.SUBMITTED,
        UpdateStatus.RETURNED,
        UpdateStatus.DRAFT,
    } <= statuses
    assert Evidence.objects.count() > 0
    assert ProgressUpdate.objects.filter(is_synthetic=False).count() == 0


def test_the_personas_still_sign_in(client, media):
    for email, *_rest in PERSONAS:
        response = client.post(
            reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        client.logout()


def test_the_invented_people_cannot_sign_in(media):
    invented = User.objects.filter(email__endswith="@demo.transversal.test")
    assert invented.count() == 60
    assert not any(user.has_usable_password() for user in invented)
    assert all("dato sintético" in user.full_name for user in invented)


def test_an_invented_figure_says_dato_sintetico_on_screen(client, media):
    client.force_login(User.objects.get(email="coordinacion@transversal.test"))
    indicator = Indicator.objects.filter(owner__state__code="01").first()
    response = client.get(reverse("monitoring:detail", args=[indicator.code]))
    assert response.status_code == 200
    assert "dato sintético" in response.content.decode()


def test_the_durango_reviewer_has_reports_waiting(media):
    waiting = ProgressUpdate.objects.filter(
        is_current=True,
        status=UpdateStatus.SUBMITTED,
        period__indicator__owner__slug="iem-durango",
    )
    assert waiting.exists()


@pytest.mark.skipif(find_seed("002_") is None, reason="the seeds folder is not beside the checkout")
def test_with_the_seeds_durango_gets_its_mission_vision_and_objectives(media):
    durango = Institution.objects.get(slug="iem-durango")
    assert durango.mission.startswith("Promover políticas públicas")
    assert durango.vision
    assert durango.objectives.count() == 2
