"""`manage.py load_demo`: a country, not two states, loaded through the services, twice alike.

The national checks share one demo world built once for the module (loading it takes seconds);
the database is put back to what ``migrate`` created afterwards."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from transversal.accounts.demo import DEMO_PASSWORD, PERSONAS
from transversal.accounts.models import Membership, User
from transversal.agreements.models import Agreement, AgreementStatus
from transversal.audit.models import AuditEvent
from transversal.conftest import restore_migrated_state
from transversal.coordination.models import (
    Resolution,
    ResolutionStatus,
    Session,
    SessionStatus,
    System,
    SystemLevel,
    active_on,
)
from transversal.dashboards.selectors import Filters, national_rows
from transversal.followup.models import FollowUp, FollowUpNote, FollowUpStatus
from transversal.improvement.models import Finding, FindingSource, FindingStatus
from transversal.improvement.services import red_run
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring.models import Evidence, Indicator, ProgressUpdate, UpdateStatus
from transversal.planning.ingest.seeds import find_seed
from transversal.registers.models import (
    AffirmativeAction,
    IndicatorFeed,
    ParticipationMechanism,
    ServiceCount,
    TrainingEvent,
)
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
                System,
                Session,
                Resolution,
                FollowUp,
                TrainingEvent,
                AffirmativeAction,
                ParticipationMechanism,
                ServiceCount,
                IndicatorFeed,
                Finding,
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


# Coordination systems ------------------------------------------------------------------------


def test_every_state_has_its_two_systems_kept_by_its_institute_and_the_country_its_own(media):
    today = timezone.localdate()
    systems = list(
        System.objects.filter(level=SystemLevel.STATE).select_related("secretariat", "state")
    )
    assert len(systems) == 64
    assert {(s.state.code, s.topic) for s in systems} == {
        (code, topic)
        for code in State.objects.values_list("code", flat=True)
        for topic in ("equality", "violence")
    }
    for system in systems:
        assert system.is_synthetic and system.secretariat.kind == InstitutionKind.STATE_IMEF
        assert system.secretariat.state_id == system.state_id
        assert 6 <= system.members.filter(active_on(today)).count() <= 10, system.acronym
        assert system.commissions.count() == 1
    national = System.objects.get(level=SystemLevel.NATIONAL)
    assert national.secretariat.slug == "nacional" and national.is_synthetic
    # Members are institutions of the registry or organisations: nobody by a person's name.
    assert not System.objects.filter(members__name__icontains="lic.").exists()


def test_the_systems_meet_this_year_with_attendance_agenda_and_acuerdos(media):
    today = timezone.localdate()
    this_year = Session.objects.filter(year=today.year, system__level=SystemLevel.STATE)
    assert set(this_year.values_list("system__state__code", flat=True)) == set(
        State.objects.values_list("code", flat=True)
    )
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert not held.filter(date__gt=today).exists()
    assert not held.filter(attendance__isnull=True).exists()
    assert not held.filter(agenda__isnull=True).exists()
    assert Resolution.objects.filter(session__year=today.year).exists()
    assert not Resolution.objects.exclude(session__status=SessionStatus.HELD).exists()


def test_acuerdos_end_in_every_status_each_with_a_responsible_and_a_due_date(media):
    today = timezone.localdate()
    items = list(FollowUp.objects.filter(kind="acuerdo"))
    labels = {ResolutionStatus.label(item, today) for item in items}
    assert labels == {
        "En proceso",
        "En proceso (atendido, por verificar)",
        "Cumplido",
        "Cancelado",
        "Vencido",
    }
    assert all(item.due_date and item.responsible_person for item in items)


def test_nobody_verifies_an_acuerdo_whose_progress_they_recorded(media):
    verified = FollowUp.objects.filter(status=FollowUpStatus.VERIFIED)
    assert verified.exists()
    for item in verified:
        authors = set(FollowUpNote.objects.filter(followup=item).values_list("author", flat=True))
        assert item.closed_by_id is not None
        assert item.closed_by_id != item.done_by_id and item.closed_by_id not in authors


def test_a_coordination_page_says_dato_sintetico(client, media):
    client.force_login(User.objects.get(email="captura.durango@transversal.test"))
    listing = client.get(reverse("coordination:list")).content.decode()
    assert "SEIMH-DUR" in listing and "SEPASEV-DUR" in listing
    system = System.objects.get(acronym="SEIMH-DUR")
    page = client.get(reverse("coordination:system", args=[system.code])).content.decode()
    assert "dato sintético" in page


def test_captura_durango_finds_an_overdue_acuerdo_of_her_institute_in_her_pending_list(
    client, media
):
    today = timezone.localdate()
    overdue = FollowUp.objects.overdue(today).filter(owner__slug="iem-durango", kind="acuerdo")
    folio = overdue.order_by("due_date", "pk").first().resolution.folio
    client.force_login(User.objects.get(email="captura.durango@transversal.test"))
    page = client.get(reverse("work:list")).content.decode()
    assert "Acuerdos y compromisos vencidos" in page and folio in page


def _fixed_durango_session() -> Session:
    return (
        Session.objects.filter(locked=True, system__acronym="SEIMH-DUR")
        .order_by("date", "pk")
        .first()
    )


def test_held_sessions_of_the_personas_systems_are_fixed_by_a_signed_acta_marked_synthetic(
    client, media
):
    fixed = Session.objects.filter(locked=True)
    assert set(fixed.values_list("system__acronym", flat=True)) >= {"SEIMH-DUR", "SEIMH-ZAC"}
    assert not fixed.exclude(status=SessionStatus.HELD).exists()
    assert not fixed.exclude(system__is_synthetic=True).exists()
    session = _fixed_durango_session()
    assert session.minutes_name.endswith("dato-sintetico.pdf")
    # Uploaded through the service: its audit event is the one that fixed it.
    event = AuditEvent.objects.get(verb="session.minutes_upload", target_id=str(session.pk))
    assert event.changes["locked"] == [False, True]
    client.force_login(User.objects.get(email="consulta.durango@transversal.test"))
    acta = client.get(reverse("coordination:minutes", args=[session.code]))
    content = b"".join(acta.streaming_content)
    assert content.startswith(b"%PDF")
    assert "(dato sintético)" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # The most recent sessions are still being completed: not every held session is fixed.
    assert Session.objects.filter(status=SessionStatus.HELD, locked=False).exists()


def test_admin_durango_sees_a_fixed_session_with_its_reopen_action(client, media):
    session = _fixed_durango_session()
    client.force_login(User.objects.get(email="admin.durango@transversal.test"))
    page = client.get(reverse("coordination:session", args=[session.code])).content.decode()
    assert 'id="session-fixed"' in page and "dato sintético" in page
    assert session.minutes_name in page
    assert f'action="{reverse("coordination:reopen", args=[session.code])}"' in page
    assert f'action="{reverse("coordination:agenda_add", args=[session.code])}"' not in page


def test_an_edit_of_the_fixed_session_is_refused_and_changes_nothing(client, media):
    session = _fixed_durango_session()
    agenda = list(session.agenda.values_list("text", flat=True))
    folios = list(session.resolutions.values_list("folio", flat=True))
    client.force_login(User.objects.get(email="captura.durango@transversal.test"))
    page = client.get(reverse("coordination:session", args=[session.code])).content.decode()
    assert 'id="session-fixed"' in page
    assert f'action="{reverse("coordination:reopen", args=[session.code])}"' not in page
    response = client.post(
        reverse("coordination:agenda_add", args=[session.code]),
        {"text": "Punto agregado después de firmar el acta"},
        follow=True,
    )
    errors = re.findall(r'<p class="message error"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    assert any("acta firmada" in error for error in errors), errors
    assert list(session.agenda.values_list("text", flat=True)) == agenda
    assert list(session.resolutions.values_list("folio", flat=True)) == folios


# Improvement cycle --------------------------------------------------------------------------


def test_durango_has_a_sustained_red_light_proposed_and_waiting_for_a_decision(client, media):
    proposals = Finding.objects.filter(
        institution__state__code="10",
        source=FindingSource.RED_LIGHT,
        status=FindingStatus.PROPOSED,
    ).select_related("indicator", "period")
    assert proposals.exists()
    finding = proposals.first()
    assert finding.is_synthetic and finding.indicator.is_synthetic
    # The system proposed it (no person) for a run of at least two red approved periods.
    assert len(red_run(finding.period)) >= 2
    assert AuditEvent.objects.filter(
        verb="finding.propose", target_id=str(finding.pk), actor__isnull=True
    ).exists()
    latest = ProgressUpdate.objects.filter(
        period__indicator=finding.indicator, is_current=True, status=UpdateStatus.APPROVED
    ).order_by("-period__start")[:2]
    assert [update.light for update in latest] == ["red", "red"]

    client.force_login(User.objects.get(email="revision.durango@transversal.test"))
    home = client.get(reverse("improvement:home")).content.decode()
    assert reverse("improvement:finding", args=[finding.code]) in home
    page = client.get(reverse("improvement:finding", args=[finding.code])).content.decode()
    assert "dato sintético" in page
