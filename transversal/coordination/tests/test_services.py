from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from transversal.audit.models import AuditEvent
from transversal.coordination import services
from transversal.coordination.models import SessionStatus
from transversal.coordination.selectors import attendance_rows
from transversal.coordination.tests.factories import make_resolution, make_session, make_system

pytestmark = pytest.mark.django_db


def test_acuerdos_are_numbered_per_session_in_the_systems_format(durango, zacatecas):
    system = make_system(durango)
    session = make_session(system, dt.date(2026, 2, 10))
    second = make_session(system, dt.date(2026, 5, 10))
    assert second.label == "O-2"
    first = make_resolution(second, durango)
    other = make_resolution(second, durango, text="Otro")
    assert (first.folio, other.folio) == ("SEI/2026/O-2/01", "SEI/2026/O-2/02")
    assert make_resolution(session, durango).folio == "SEI/2026/O-1/01"
    assert first.followup.verifier == durango
    assert AuditEvent.objects.filter(verb="resolution.add").count() == 3


def test_a_custom_number_format_is_used_and_a_broken_one_refused(durango):
    system = make_system(durango, number_format="{sistema}-{numero}/{anio}")
    resolution = make_resolution(make_session(system), durango)
    assert resolution.folio == "SEI-1/2026"
    with pytest.raises(ValidationError) as caught:
        make_system(durango, acronym="X", number_format="{sistema}/{desconocido}")
    assert "number_format" in caught.value.message_dict


def test_quorum_counts_voting_members_on_the_session_date(durango, zacatecas):
    system = make_system(durango, members=[zacatecas])  # three voting members
    session = make_session(system)
    members, quorum = attendance_rows(session)
    assert (quorum.voting, quorum.required, quorum.met) == (3, 2, False)
    services.attendance_record(
        actor=None, session=session, present={members[0].pk, members[1].pk}, represented_by={}
    )
    _members, quorum = attendance_rows(session)
    assert (quorum.present, quorum.met) == (2, True)


def test_a_member_who_left_before_the_session_is_not_on_its_list(durango, zacatecas):
    system = make_system(durango, members=[zacatecas])
    member = system.members.get(institution=zacatecas)
    services.member_end(actor=None, member=member, left_on=dt.date(2025, 12, 31), reason="Baja")
    members, quorum = attendance_rows(make_session(system))
    assert zacatecas.pk not in [m.institution_id for m in members]
    assert quorum.voting == 2


def test_an_overdue_planned_session_is_flagged(durango):
    session = make_session(make_system(durango), dt.date(2026, 1, 5))
    assert session.is_overdue(dt.date(2026, 1, 6))
    assert not session.is_overdue(dt.date(2026, 1, 5))
    services.session_hold(actor=None, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and not session.is_overdue(dt.date(2026, 2, 1))


def test_a_session_in_the_future_cannot_be_held(durango):
    session = make_session(make_system(durango), dt.date(2099, 1, 5))
    with pytest.raises(ValidationError):
        services.session_hold(actor=None, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_the_same_session_number_twice_in_a_year_is_refused(durango):
    system = make_system(durango)
    make_session(system)
    with pytest.raises(ValidationError) as caught:
        services.session_schedule(
            actor=None, system=system, kind="ordinary", date=dt.date(2026, 9, 1), number=1
        )
    assert "number" in caught.value.message_dict


def test_a_member_needs_an_institution_or_a_name(durango):
    system = make_system(durango)
    with pytest.raises(ValidationError):
        services.member_add(actor=None, system=system, sector="academia", joined_on=dt.date.today())


def test_a_municipal_system_needs_a_municipality_of_its_state(durango):
    from transversal.territory.models import Municipality, State

    fields = {
        "actor": None,
        "name": "Sistema Municipal de Lerdo",
        "acronym": "SMI",
        "topic": "violence",
        "level": "municipal",
        "secretariat": durango,
        "legal_instrument": "Reglamento municipal",
    }
    with pytest.raises(ValidationError) as missing:
        services.system_create(**fields)
    assert "municipality" in missing.value.message_dict
    elsewhere = Municipality.objects.create(
        code="32999", state=State.objects.get(code="32"), name="Otro"
    )
    with pytest.raises(ValidationError):
        services.system_create(**fields, municipality=elsewhere)
    lerdo = Municipality.objects.create(code="10999", state=durango.state, name="Lerdo")
    system = services.system_create(**fields, municipality=lerdo)
    assert (system.state, system.municipality) == (durango.state, lerdo)


def test_the_signed_acta_is_stored_under_a_server_chosen_name(durango, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from transversal.testing import blank_pdf

    settings.MEDIA_ROOT = tmp_path
    session = make_session(make_system(durango), dt.date(2026, 1, 5))
    services.session_hold(actor=None, session=session)
    services.minutes_upload(
        actor=None,
        session=session,
        upload=SimpleUploadedFile("acta.pdf", blank_pdf("acta")),
        filename="../acta.pdf",
    )
    session.refresh_from_db()
    assert session.minutes.name.endswith(".pdf") and ".." not in session.minutes.name
    assert session.minutes_name == "acta.pdf"


def test_an_acuerdo_may_not_fall_due_before_its_session(durango):
    session = make_session(make_system(durango), dt.date(2026, 7, 16))
    with pytest.raises(ValidationError) as caught:
        make_resolution(session, durango, due=dt.date(2026, 1, 1))
    assert "16/07/2026" in caught.value.message_dict["due_date"][0]
    assert not session.resolutions.exists()
