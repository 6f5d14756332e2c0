from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from transversal.audit.models import AuditEvent
from transversal.conftest import make_institution, make_member
from transversal.coordination.models import Session, System
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUpStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def system(durango, zacatecas):
    return make_system(durango)


def test_the_list_shows_own_state_systems_and_hides_others(client_for, system, zacatecas, outsider):
    make_system(zacatecas, acronym="SEZAC")
    page = client_for(outsider).get(reverse("coordination:list")).content.decode()
    assert "SEZAC" in page and "SEI</a>" not in page


def test_the_list_takes_a_constant_number_of_queries(
    client_for, durango, zacatecas, coordinator, django_assert_max_num_queries
):
    for index in range(4):
        system = make_system(durango if index % 2 else zacatecas, acronym=f"S{index}")
        make_session(system)
    client = client_for(coordinator)
    # session, user, memberships (scope), systems with counts and secretariats' states,
    # secretariats' names, may-create check; the header's own (review count, memberships with
    # names, states): 10, whatever the number of systems
    with django_assert_max_num_queries(10):
        response = client.get(reverse("coordination:list"))
    assert response.content.decode().count('">S3</a>') == 1


def test_an_outsider_gets_404_and_a_viewer_403_on_writes(client_for, system, outsider, viewer):
    url = reverse("coordination:session_schedule", args=[system.code])
    data = {"kind": "ordinary", "date": "10/02/2026", "modality": "in_person"}
    assert (
        client_for(outsider).get(reverse("coordination:system", args=[system.code])).status_code
        == 404
    )
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(viewer).post(url, data).status_code == 403
    assert (
        client_for(viewer).get(reverse("coordination:system", args=[system.code])).status_code
        == 200
    )
    assert not Session.objects.exists()


def test_writes_reject_get(client_for, system, editor):
    url = reverse("coordination:session_schedule", args=[system.code])
    assert client_for(editor).get(url).status_code == 405


def test_the_secretariat_schedules_a_session_and_records_attendance(client_for, system, editor):
    client = client_for(editor)
    response = client.post(
        reverse("coordination:session_schedule", args=[system.code]),
        {"kind": "ordinary", "date": "10/02/2026", "modality": "in_person", "place": "Sala"},
    )
    session = Session.objects.get()
    assert response.url == reverse("coordination:session", args=[session.code])
    members = list(system.members.order_by("pk"))
    client.post(
        reverse("coordination:attendance", args=[session.code]),
        {f"presente-{members[0].code}": "on", f"presente-{members[1].code}": "on"},
    )
    page = client.get(reverse("coordination:session", args=[session.code])).content.decode()
    assert "Integrantes con voto presentes: 2 de 2" in page and "Hay quórum." in page


def test_a_bad_date_changes_nothing_and_says_why(client_for, system, editor):
    client = client_for(editor)
    response = client.post(
        reverse("coordination:session_schedule", args=[system.code]),
        {"kind": "ordinary", "date": "31/02/2026", "modality": "in_person"},
        follow=True,
    )
    assert "Fecha de la sesión" in response.content.decode()
    assert not Session.objects.exists()


def test_the_session_page_takes_the_same_queries_for_one_and_many_acuerdos(
    client_for, system, durango, zacatecas, editor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = make_session(system)
    client = client_for(editor)
    url = reverse("coordination:session", args=[session.code])
    make_resolution(session, durango).followup.co_owners.add(zacatecas)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _index in range(4):
        make_resolution(session, durango).followup.co_owners.add(zacatecas)
        system.members.create(name=f"Consejo {_index}", sector="council", joined_on=session.date)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("SEI/2026/O-1/0") == 5
    # session, user, memberships, session with system, members, their names, attendance,
    # agenda, acuerdos with owners, owners' names, co-owners, their names, form choices and
    # the header's: the same for one acuerdo and member as for five
    assert len(one) == len(many), len(many)


def test_the_draft_acta_lists_attendance_quorum_and_acuerdos(client_for, system, durango, editor):
    session = make_session(system)
    make_resolution(session, durango, text="Instalar la comisión de trabajo")
    response = client_for(editor).get(reverse("coordination:minutes_draft", args=[session.code]))
    document = Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "SEI/2026/O-1/01" in text and "Instalar la comisión de trabajo" in text
    assert "quórum requerido: 2" in text and "Red de Mujeres de Durango" in text


def test_the_responsible_records_progress_and_the_secretariat_closes_it(
    client_for, system, zacatecas, outsider, editor
):
    session = make_session(system)
    resolution = make_resolution(session, zacatecas)  # Zacatecas answers for it
    page = reverse("coordination:resolution", args=[resolution.code])
    assert client_for(outsider).get(page).status_code == 200  # a responsible reads it
    client_for(outsider).post(
        reverse("followup:note_add", args=[resolution.followup.code]), {"text": "Avance"}
    )
    # The secretariat may not write the responsible's progress.
    assert (
        client_for(editor)
        .post(reverse("followup:note_add", args=[resolution.followup.code]), {"text": "x"})
        .status_code
        == 403
    )
    client_for(editor).post(reverse("followup:verify", args=[resolution.followup.code]), {})
    resolution.followup.refresh_from_db()
    assert resolution.followup.status == FollowUpStatus.VERIFIED
    assert "Cumplido" in client_for(editor).get(page).content.decode()
    assert AuditEvent.objects.filter(verb="followup.verify", actor=editor).exists()


def test_a_stranger_to_the_acuerdo_gets_404(client_for, system, durango):
    other = make_institution("iem-chihuahua-test", "08", "Instituto Chihuahuense de las Mujeres")
    stranger = make_member("chih@prueba.test", other, "editor")
    resolution = make_resolution(make_session(system), durango)
    client = client_for(stranger)
    assert client.get(reverse("coordination:resolution", args=[resolution.code])).status_code == 404
    assert (
        client.get(reverse("followup:detail", args=[resolution.followup.code])).status_code == 404
    )


def test_the_national_coordination_reads_every_system_and_may_create_the_national_one(
    client_for, system, coordinator, national
):
    client = client_for(coordinator)
    assert client.get(reverse("coordination:system", args=[system.code])).status_code == 200
    response = client.post(
        reverse("coordination:new"),
        {
            "name": "Sistema Nacional para la Igualdad",
            "acronym": "SNIMH",
            "topic": "equality",
            "level": "national",
            "secretariat": national.pk,
            "legal_instrument": "Ley General para la Igualdad entre Mujeres y Hombres",
            "legal_date": "02/08/2006",
            "quorum_percent": 50,
        },
    )
    created = System.objects.get(acronym="SNIMH")
    assert response.url == reverse("coordination:system", args=[created.code])
    assert created.state is None
    # …but not a state's system.
    url = reverse("coordination:session_schedule", args=[system.code])
    assert client.post(url, {"kind": "ordinary", "date": "01/01/2026"}).status_code == 403


def test_the_secretariat_links_an_acuerdo_to_a_plan_item_goal_and_indicator(
    client_for, system, durango, zacatecas, editor
):
    from transversal.agreements.models import Agreement, Goal
    from transversal.monitoring.tests.factories import indicator_with_calendar
    from transversal.planning.tests.factories import make_plan

    resolution = make_resolution(make_session(system), durango)
    item = make_plan(durango).items.first()
    agreement = Agreement.objects.create(
        national_institution=durango, state=durango.state, state_institution=durango, title="C"
    )
    goal = Goal.objects.create(agreement=agreement, number=1, description="Capacitar")
    indicator = indicator_with_calendar(durango, name="Personas capacitadas")
    foreign = indicator_with_calendar(zacatecas, name="Ajeno")
    url = reverse("coordination:resolution_links", args=[resolution.code])
    client = client_for(editor)
    # An indicator of another state is not a choice: refused, nothing linked.
    client.post(url, {"indicators": [foreign.pk]})
    assert not resolution.indicators.exists()
    client.post(url, {"plan_items": [item.pk], "goals": [goal.pk], "indicators": [indicator.pk]})
    assert list(resolution.indicators.all()) == [indicator]
    assert list(resolution.goals.all()) == [goal] and list(resolution.plan_items.all()) == [item]
    page = client.get(reverse("coordination:resolution", args=[resolution.code])).content.decode()
    assert "Personas capacitadas" in page and "Capacitar" in page
    assert AuditEvent.objects.filter(verb="resolution.link", actor=editor).count() == 1


def test_a_viewer_may_not_link_an_acuerdo(client_for, system, durango, viewer):
    resolution = make_resolution(make_session(system), durango)
    url = reverse("coordination:resolution_links", args=[resolution.code])
    assert client_for(viewer).post(url, {}).status_code == 403


def test_the_system_page_takes_the_same_queries_for_few_and_many_rows(
    client_for, system, durango, zacatecas, editor
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transversal.coordination import services

    client = client_for(editor)
    url = reverse("coordination:system", args=[system.code]) + "?anio=2026"
    make_session(system)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(4):
        make_session(system, dt.date(2026, 3 + index, 1))
        services.commission_add(actor=None, system=system, name=f"Comisión {index}")
        services.member_add(
            actor=None,
            system=system,
            institution=None,
            name=f"Consejo {index}",
            sector="council",
            joined_on=dt.date(2021, 1, 1),
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Ordinaria O-") == 5
    # session, user, memberships, system, members with their names, commissions, the year's
    # sessions with their acuerdo counts, the member form's choices and the header's
    assert len(few) == len(many), len(many)


def test_the_secretariat_edits_the_systems_data_and_old_numbers_stay(
    client_for, system, durango, editor, viewer
):
    resolution = make_resolution(make_session(system), durango)
    url = reverse("coordination:system_edit", args=[system.code])
    data = {
        "name": system.name,
        "acronym": "SEIMH",
        "legal_instrument": system.legal_instrument,
        "legal_date": "04/06/2009",
        "presidency": "Gobernador del Estado",
        "quorum_percent": 50,
        "number_format": "{sistema}-{anio}-{numero}",
    }
    assert client_for(viewer).post(url, data).status_code == 403
    client_for(editor).post(url, data)
    system.refresh_from_db()
    assert (system.acronym, system.legal_date) == ("SEIMH", dt.date(2009, 6, 4))
    resolution.refresh_from_db()
    assert resolution.folio == "SEI/2026/O-1/01"
    assert make_resolution(resolution.session, durango).folio == "SEIMH-2026-2"
    event = AuditEvent.objects.get(verb="system.update")
    assert event.changes["acronym"] == ["SEI", "SEIMH"]


def test_an_unchanged_edit_says_so_and_records_nothing(client_for, system, editor):
    url = reverse("coordination:system_edit", args=[system.code])
    data = {
        "name": system.name,
        "acronym": system.acronym,
        "legal_instrument": system.legal_instrument,
        "legal_date": "01/03/2010",
        "presidency": system.presidency,
        "quorum_percent": system.quorum_percent,
        "number_format": system.number_format,
    }
    response = client_for(editor).post(url, data, follow=True)
    assert "No hubo cambios que guardar." in response.content.decode()
    assert not AuditEvent.objects.filter(verb="system.update").exists()


@pytest.mark.parametrize("value", ["Ana\x00", "x" * 201])
def test_a_bad_representative_is_refused_with_a_message_and_nothing_recorded(
    client_for, system, editor, value
):
    session = make_session(system)
    member = system.members.first()
    response = client_for(editor).post(
        reverse("coordination:attendance", args=[session.code]),
        {f"presente-{member.code}": "on", f"representa-{member.code}": value},
        follow=True,
    )
    assert "admite hasta 200 caracteres" in response.content.decode()
    assert not session.attendance.exists()


def test_the_acuerdo_page_shows_the_latest_verification_in_the_same_queries_for_one_and_many(
    client_for, system, durango, zacatecas, editor, reviewer, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transversal.followup import services as followup
    from transversal.testing import blank_pdf

    settings.MEDIA_ROOT = tmp_path
    resolution = make_resolution(make_session(system), durango)
    resolution.followup.co_owners.add(zacatecas)
    item = resolution.followup
    url = reverse("coordination:resolution", args=[resolution.code])
    client = client_for(editor)

    def add(index):
        followup.followup_note_add(actor=editor, item=item, text=f"Avance {index}")
        upload = SimpleUploadedFile(f"f{index}.pdf", blank_pdf(f"f{index}"))
        followup.followup_evidence_add(
            actor=editor, item=item, upload=upload, filename=f"f{index}.pdf"
        )
        # The secretariat refuses to verify it each time: one more verification event.
        followup.followup_mark_done(actor=editor, item=item)
        followup.followup_reopen(actor=reviewer, item=item, reason=f"Falta el anexo {index}.")

    add(0)
    assert "Falta el anexo 0." in client.get(url).content.decode()
    followup.followup_mark_done(actor=editor, item=item)
    followup.followup_verify(actor=reviewer, item=item, note="Primera revisión.")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    followup.followup_reopen(actor=reviewer, item=item, reason="Se revisa de nuevo.")
    for index in range(1, 5):
        add(index)
    followup.followup_mark_done(actor=editor, item=item)
    followup.followup_verify(actor=reviewer, item=item, note="Acta revisada por la secretaría.")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    page = response.content.decode()
    assert page.count("Avance ") >= 5
    # Only the latest decision, with the day, the secretariat and the person who verified.
    assert "Verificado y cerrado como cumplido" in page
    assert "Falta el anexo" not in page and "Primera revisión." not in page
    assert "Acta revisada por la secretaría." in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"<dd>{today}</dd>" in page and f"{durango} (revision)" in page
    # the acuerdo with session, system and follow-up, co-owners with names, notes with their
    # authors, evidence, the latest verification event with its person, the four-eyes check,
    # the link form's choices and the header's
    assert len(one) == len(many), len(many)


def test_a_state_institute_on_the_national_system_reads_it_but_does_not_keep_it(
    client_for, national, zacatecas, outsider
):
    from transversal.coordination import services

    national_system = services.system_create(
        actor=None,
        name="Sistema Nacional para la Igualdad entre Mujeres y Hombres",
        acronym="SNIMH",
        topic="equality",
        level="national",
        secretariat=national,
        legal_instrument="Ley General para la Igualdad entre Mujeres y Hombres",
    )
    page = reverse("coordination:system", args=[national_system.code])
    assert client_for(outsider).get(page).status_code == 404
    services.member_add(
        actor=None,
        system=national_system,
        institution=zacatecas,
        sector="government",
        joined_on=dt.date(2020, 1, 1),
    )
    client = client_for(outsider)
    assert client.get(page).status_code == 200
    assert "SNIMH" in client.get(reverse("coordination:list")).content.decode()
    url = reverse("coordination:session_schedule", args=[national_system.code])
    assert client.post(url, {"kind": "ordinary", "date": "01/01/2026"}).status_code == 403
