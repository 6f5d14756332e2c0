"""A session is fixed once its signed acta is uploaded: its agenda, attendance and acuerdos (and
the acta) change no more, while each acuerdo's follow-up goes on; the technical secretariat's
admins may reopen it with a reason (session_reopen), and the corrected acta fixes it again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.conftest import make_institution, make_member
from transversal.coordination import services
from transversal.coordination.models import AgendaItem, Attendance, Resolution, Session
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup import services as followup
from transversal.followup.models import FollowUpStatus
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db

FIXED = "Sesión celebrada con acta firmada: su orden del día, asistencia y acuerdos ya no se"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _acta(name: str = "acta.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(name), content_type="application/pdf")


def _upload(session: Session, name: str = "acta.pdf", actor=None) -> Session:
    upload = _acta(name)
    return services.minutes_upload(actor=actor, session=session, upload=upload, filename=name)


@pytest.fixture
def system(durango, zacatecas):
    return make_system(durango, members=[zacatecas])


@pytest.fixture
def held(system, durango, zacatecas):
    """O-1 of SEI: agenda, attendance and an acuerdo recorded, held, its acta not yet signed."""
    session = make_session(system, dt.date(2026, 2, 10))
    services.agenda_add(actor=None, session=session, text="Lista de asistencia")
    first = system.members.first()
    services.attendance_record(
        actor=None, session=session, present={first.pk}, represented_by={first.pk: "Suplente"}
    )
    make_resolution(session, zacatecas, text="Presentar el diagnóstico")
    services.session_hold(actor=None, session=session)
    return session


@pytest.fixture
def fixed(held):
    return _upload(held)


def _snapshot(session: Session) -> tuple:
    attendance = sorted(
        Attendance.objects.filter(session=session).values_list(
            "member_id", "present", "represented_by"
        )
    )
    return (
        list(AgendaItem.objects.filter(session=session).values_list("position", "text")),
        attendance,
        list(Resolution.objects.filter(session=session).values_list("folio", flat=True)),
        Session.objects.filter(pk=session.pk).values_list("minutes", "minutes_sha256").get(),
        AuditEvent.objects.count(),
    )


# The services ------------------------------------------------------------------------------


def test_uploading_the_signed_acta_fixes_the_session(held, editor):
    _upload(held, actor=editor)
    held.refresh_from_db()
    assert held.locked
    event = AuditEvent.objects.get(verb="session.minutes_upload")
    assert event.changes["locked"] == [False, True]


def test_a_held_session_without_its_signed_acta_is_still_completed(held, durango):
    """The acta is signed from what is recorded after the session: until it is uploaded, the
    secretariat completes the record."""
    services.agenda_add(actor=None, session=held, text="Asuntos generales")
    make_resolution(held, durango, text="Publicar el programa")
    assert held.agenda.count() == 2 and held.resolutions.count() == 2


EDITS = {
    "agenda": lambda s: services.agenda_add(actor=None, session=s, text="Punto nuevo"),
    "attendance": lambda s: services.attendance_record(
        actor=None, session=s, present=set(), represented_by={}
    ),
    "acuerdo": lambda s: services.resolution_add(
        actor=None, session=s, text="Acuerdo agregado después", owner=s.system.secretariat
    ),
    "acta": lambda s: _upload(s, "otra-acta.pdf"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_fixed_session_refuses_every_edit_and_nothing_changes(fixed, edit):
    before = _snapshot(fixed)
    with pytest.raises(ValidationError) as refused:
        EDITS[edit](fixed)
    assert refused.value.code == services.SESSION_LOCKED
    assert "reabrir" in refused.value.messages[0]
    assert _snapshot(fixed) == before


def test_the_acuerdos_follow_up_goes_on_after_the_session_is_fixed(fixed, editor, durango):
    resolution = fixed.resolutions.get()
    item = resolution.followup
    followup.followup_note_add(actor=None, item=item, text="Se levantó la encuesta.")
    followup.followup_evidence_add(
        actor=None, item=item, upload=blank_pdf("avance"), filename="avance.pdf"
    )
    followup.followup_mark_done(actor=None, item=item)
    followup.followup_verify(actor=editor, item=item)
    item.refresh_from_db()
    assert item.status == FollowUpStatus.VERIFIED
    from transversal.planning.tests.factories import make_plan

    plan_item = make_plan(durango).items.first()
    services.resolution_link(actor=editor, resolution=resolution, plan_items=[plan_item])
    assert list(resolution.plan_items.all()) == [plan_item]


def test_the_secretariats_admin_reopens_it_with_the_reason_on_record(fixed, state_admin):
    services.session_reopen(actor=state_admin, session=fixed, reason="Faltó un acuerdo")
    fixed.refresh_from_db()
    assert not fixed.locked and fixed.status == "held" and fixed.minutes_name == "acta.pdf"
    event = AuditEvent.objects.get(verb="session.reopen")
    assert (event.actor, event.changes, event.note) == (
        state_admin,
        {"locked": [True, False]},
        "Faltó un acuerdo",
    )


def test_the_corrected_acta_fixes_the_reopened_session_again(fixed, state_admin, durango):
    services.session_reopen(actor=state_admin, session=fixed, reason="Faltó un acuerdo")
    make_resolution(fixed, durango, text="Acuerdo que faltaba")
    services.agenda_add(actor=None, session=fixed, text="Punto que faltaba")
    _upload(fixed, "acta-corregida.pdf")
    fixed.refresh_from_db()
    assert fixed.locked and fixed.minutes_name == "acta-corregida.pdf"
    assert fixed.resolutions.count() == 2
    with pytest.raises(ValidationError):
        make_resolution(fixed, durango, text="Otro más")


@pytest.mark.parametrize("who", ["editor", "coordinator", "nobody"])
def test_only_the_secretariats_admin_reopens_a_session(fixed, request, who):
    actor = None if who == "nobody" else request.getfixturevalue(who)
    with pytest.raises(ValidationError) as refused:
        services.session_reopen(actor=actor, session=fixed, reason="Corrección")
    assert "administración en la secretaría técnica" in refused.value.messages[0]
    fixed.refresh_from_db()
    assert fixed.locked
    assert not AuditEvent.objects.filter(verb="session.reopen").exists()


@pytest.mark.parametrize("reason", ["", "   ", "Motivo\x00"])
def test_a_reopening_needs_a_readable_reason(fixed, state_admin, reason):
    with pytest.raises(ValidationError) as refused:
        services.session_reopen(actor=state_admin, session=fixed, reason=reason)
    assert "reason" in refused.value.message_dict
    fixed.refresh_from_db()
    assert fixed.locked


def test_a_session_that_is_not_fixed_is_not_reopened(held, state_admin):
    with pytest.raises(ValidationError) as refused:
        services.session_reopen(actor=state_admin, session=held, reason="Corrección")
    assert "no está fija" in refused.value.messages[0]
    assert not AuditEvent.objects.filter(verb="session.reopen").exists()


def test_a_cancelled_session_stays_closed_to_edits(system):
    session = make_session(system, dt.date(2026, 3, 10))
    services.session_cancel(actor=None, session=session, reason="Sin quórum previsto")
    for edit in ("agenda", "attendance", "acuerdo"):
        with pytest.raises(ValidationError, match="cancelada"):
            EDITS[edit](session)
    assert not session.agenda.exists() and not session.resolutions.exists()


# The pages ---------------------------------------------------------------------------------


def _action(name: str, session: Session) -> str:
    return f'action="{reverse(f"coordination:{name}", args=[session.code])}"'


def _post(client, name: str, session: Session, data=None):
    return client.post(
        reverse(f"coordination:{name}", args=[session.code]), data or {}, follow=True
    )


def test_a_post_to_an_edit_address_of_a_fixed_session_is_refused_and_changes_nothing(
    client_for, fixed, editor, durango
):
    client = client_for(editor)
    member = fixed.system.members.first()
    posts = [
        ("agenda_add", {"text": "Punto nuevo"}),
        ("attendance", {f"presente-{member.code}": ""}),  # would mark everyone absent
        (
            "resolution_add",
            {
                "text": "Acuerdo agregado después",
                "owner": durango.pk,
                "due_date": (fixed.date + dt.timedelta(days=30)).isoformat(),
            },
        ),
        ("minutes_upload", {"file": _acta("otra-acta.pdf")}),
    ]
    before = _snapshot(fixed)
    for name, data in posts:
        page = _post(client, name, fixed, data).content.decode()
        # The refusal itself, as an error message (the page's own notice says the same words).
        errors = re.findall(r'<p class="message error"[^>]*>(.*?)</p>', page, re.S)
        assert any("acta firmada" in error for error in errors), (name, errors)
    assert _snapshot(fixed) == before


def test_the_fixed_session_page_hides_the_edit_forms_and_says_why(client_for, fixed, editor):
    page = client_for(editor).get(reverse("coordination:session", args=[fixed.code]))
    html = page.content.decode()
    assert FIXED in html
    assert "la administración de la secretaría técnica puede reabrirla" in html
    for name in ("agenda_add", "attendance", "resolution_add", "minutes_upload", "reopen"):
        assert _action(name, fixed) not in html, name
    assert 'name="presente-' not in html
    # What was recorded is still shown, and the draft acta may still be downloaded.
    assert "Lista de asistencia" in html and "Suplente" in html and "SEI/2026/O-1/01" in html
    assert reverse("coordination:minutes_draft", args=[fixed.code]) in html


def test_the_secretariats_admin_reopens_the_session_from_its_page(client_for, fixed, state_admin):
    client = client_for(state_admin)
    url = reverse("coordination:session", args=[fixed.code])
    html = client.get(url).content.decode()
    assert _action("reopen", fixed) in html
    assert _action("agenda_add", fixed) not in html
    page = _post(client, "reopen", fixed, {"reason": "La asistencia omitió a la Red"})
    html = page.content.decode()
    assert "Se reabrió la sesión para su corrección" in html
    assert "quedará fija de nuevo al subir el acta firmada corregida" in html
    assert _action("agenda_add", fixed) in html and _action("reopen", fixed) not in html
    assert 'name="presente-' in html and "Subir acta firmada corregida" in html
    fixed.refresh_from_db()
    assert not fixed.locked
    event = AuditEvent.objects.get(verb="session.reopen")
    assert (event.actor, event.note) == (state_admin, "La asistencia omitió a la Red")


def test_a_reopening_without_a_reason_is_refused_with_a_message(client_for, fixed, state_admin):
    page = _post(client_for(state_admin), "reopen", fixed, {"reason": ""}).content.decode()
    assert "Motivo de la reapertura" in page
    fixed.refresh_from_db()
    assert fixed.locked and not AuditEvent.objects.filter(verb="session.reopen").exists()


def test_the_reopen_address_rejects_get_outsiders_and_those_who_may_not_reopen(
    client_for, fixed, viewer, editor, state_admin
):
    chihuahua = make_institution(
        "iem-chihuahua-test", "08", "Instituto Chihuahuense de las Mujeres"
    )
    outsider = make_member("chih@prueba.test", chihuahua, "admin")
    url = reverse("coordination:reopen", args=[fixed.code])
    data = {"reason": "Corrección"}
    assert client_for(state_admin).get(url).status_code == 405
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(viewer).post(url, data).status_code == 403
    assert client_for(editor).post(url, data).status_code == 403
    fixed.refresh_from_db()
    assert fixed.locked and not AuditEvent.objects.filter(verb="session.reopen").exists()


def test_the_fixed_session_page_takes_the_same_queries_for_one_and_many_acuerdos(
    client_for, system, durango, zacatecas, state_admin
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one_session, many_session = (
        make_session(system, dt.date(2026, 2, 10)),
        make_session(system, dt.date(2026, 3, 10)),
    )
    for session, count in ((one_session, 1), (many_session, 5)):
        for n in range(count):
            make_resolution(session, durango, text=f"Acuerdo {n}").followup.co_owners.add(zacatecas)
        services.session_hold(actor=None, session=session)
        _upload(session)
    client = client_for(state_admin)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("coordination:session", args=[one_session.code]))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("coordination:session", args=[many_session.code]))
    assert response.content.decode().count("SEI/2026/O-2/0") == 5
    # session, user, memberships, session with system, members, their names, attendance,
    # agenda, acuerdos with owners, owners' names, co-owners, their names and the header's,
    # with no acuerdo form (a fixed session has none): the same for one acuerdo as for five
    assert len(one) == len(many), len(many)
