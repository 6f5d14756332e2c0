"""The registers' writes: entry_save, entry_delete and evidence_add."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate
from transversal.registers import services
from transversal.registers.models import (
    AffirmativeAction,
    EntryEvidence,
    FeedProposal,
    ParticipationMechanism,
    ServiceCount,
    TrainingEvent,
)
from transversal.registers.tests import entry_world as world
from transversal.registers.tests.feed_factories import fed_indicator, quarter
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db

TRAINING = {
    "name": "Taller de igualdad sustantiva 2026",
    "topic": "Igualdad sustantiva",
    "audience": "public_servants",
    "modality": "in_person",
    "hours": Decimal("8"),
    "start": dt.date(2026, 3, 2),
    "end": dt.date(2026, 3, 3),
    "organiser": "Instituto Estatal de las Mujeres",
    "women": 12,
    "men": 8,
}


# entry_save ---------------------------------------------------------------------------------


def test_entry_save_creates_an_entry_counted_on_its_end_with_one_audit_event(editor, durango):
    event = services.entry_save(actor=editor, register="training", institution=durango, **TRAINING)
    assert event.counted_on == dt.date(2026, 3, 3)
    assert event.created_by == editor
    audit = AuditEvent.objects.get(verb="training.create")
    assert audit.target_id == str(event.pk)
    assert audit.changes["women"] == [0, 12]


def test_entry_save_changes_an_entry_and_records_what_changed(editor, durango):
    event = world.training(durango)
    services.entry_save(actor=editor, register="training", entry=event, women=15)
    event.refresh_from_db()
    assert event.women == 15
    assert AuditEvent.objects.get(verb="training.update").changes == {"women": [12, 15]}


def test_entry_save_with_nothing_new_writes_nothing(editor, durango):
    event = world.training(durango)
    services.entry_save(actor=editor, register="training", entry=event, women=12, men=8)
    assert not AuditEvent.objects.filter(verb="training.update").exists()


@pytest.mark.parametrize(
    "field, text, kind",
    [
        ("notes", "Asistió Juana Pérez Gómez", "nombre"),
        ("notes", "CURP PEGJ800101MDGRMN09", "CURP"),
        ("notes", "Llamar al 618 123 4567", "telefónico"),
        ("notes", "Vive en calle Hidalgo 123", "domicilio"),
        ("topic", "contacto: persona@correo.mx", "correo"),
    ],
)
def test_entry_save_refuses_personal_data_and_saves_nothing(editor, durango, field, text, kind):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor, register="training", institution=durango, **{**TRAINING, field: text}
        )
    assert kind in " ".join(refused.value.message_dict[field])
    assert not TrainingEvent.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="training.").exists()


def test_entry_save_refuses_personal_data_in_an_edit_and_keeps_the_entry(editor, durango):
    event = world.training(durango, notes="Sin novedades")
    with pytest.raises(ValidationError):
        services.entry_save(
            actor=editor, register="training", entry=event, women=99, notes="Con Ana Ruiz Soto"
        )
    event.refresh_from_db()
    assert (event.women, event.notes) == (12, "Sin novedades")
    assert not AuditEvent.objects.filter(verb__startswith="training.").exists()


def test_entry_save_accepts_a_title_that_honours_someone(editor, durango):
    event = services.entry_save(
        actor=editor,
        register="training",
        institution=durango,
        **{**TRAINING, "name": "Cátedra Rosario Castellanos"},
    )
    assert event.name == "Cátedra Rosario Castellanos"


def test_entry_save_reads_a_municipality_named_like_a_person_as_a_place(editor, durango):
    victoria = world.municipality(durango.state, "10009", "Guadalupe Victoria")
    event = services.entry_save(
        actor=editor,
        register="training",
        institution=durango,
        municipality=victoria,
        **{**TRAINING, "organiser": "DIF de Guadalupe Victoria"},
    )
    assert event.municipality == victoria


def test_entry_save_refuses_ages_that_do_not_add_up(editor, durango):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor, register="training", institution=durango, **TRAINING, age_15_29=3
        )
    assert "age_unspecified" in refused.value.message_dict
    assert not TrainingEvent.objects.exists()


def test_entry_save_refuses_a_group_larger_than_the_total(editor, durango):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor, register="training", institution=durango, **TRAINING, indigenous=21
        )
    assert "indigenous" in refused.value.message_dict


def test_entry_save_refuses_more_certificates_than_participants(editor, durango):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor, register="training", institution=durango, **TRAINING, certificates=21
        )
    assert "certificates" in refused.value.message_dict


def test_entry_save_names_personal_data_and_the_other_mistakes_at_once(editor, durango):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor,
            register="training",
            institution=durango,
            **{**TRAINING, "end": dt.date(2026, 3, 1), "notes": "MAGJ800101MDGRRN09"},
            certificates=50,
        )
    assert set(refused.value.message_dict) == {"notes", "end", "certificates"}
    assert not TrainingEvent.objects.exists()


def test_entry_save_refuses_a_training_that_has_not_ended(editor, durango):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor,
            register="training",
            institution=durango,
            **{**TRAINING, "start": tomorrow, "end": tomorrow},
        )
    assert refused.value.message_dict["end"] == [
        "El evento aún no termina: regístrelo cuando concluya, con las personas que participaron."
    ]
    assert not TrainingEvent.objects.exists()


def test_entry_save_refuses_a_month_of_services_still_to_come(editor, durango):
    today = timezone.localdate()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor,
            register="service",
            institution=durango,
            month=next_month,
            service_type="legal",
            women=10,
            attentions=10,
        )
    assert "month" in refused.value.message_dict
    services.entry_save(
        actor=editor,
        register="service",
        institution=durango,
        month=today.replace(day=1),
        service_type="legal",
        women=10,
        attentions=10,
    )


def test_entry_save_sets_an_actions_municipalities_and_records_them(editor, durango):
    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    action = services.entry_save(
        actor=editor,
        register="affirmative",
        institution=durango,
        municipalities=[lerdo],
        name="Becas",
        legal_basis="Ley de Igualdad, artículo 12",
        target_group="Mujeres rurales",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        women=30,
    )
    assert list(AffirmativeAction.objects.get().municipalities.all()) == [lerdo]
    assert AuditEvent.objects.get(verb="affirmative.create").changes["municipalities"] == [
        [],
        ["10012"],
    ]
    services.entry_save(actor=editor, register="affirmative", entry=action, municipalities=[])
    assert not action.municipalities.exists()


AFFIRMATIVE = {
    "name": "Becas",
    "legal_basis": "Ley de Igualdad, artículo 12",
    "target_group": "Mujeres rurales",
    "women": 30,
}


@pytest.mark.parametrize(
    ("register", "data"), [("training", TRAINING), ("affirmative", AFFIRMATIVE)]
)
def test_entry_save_refuses_a_period_that_ends_before_it_starts(editor, durango, register, data):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor,
            register=register,
            institution=durango,
            **{**data, "start": dt.date(2026, 3, 2), "end": dt.date(2026, 3, 1)},
        )
    assert refused.value.message_dict["end"] == ["El término no puede ser anterior al inicio."]
    assert not TrainingEvent.objects.exists()
    assert not AffirmativeAction.objects.exists()


def test_entry_save_checks_members_by_sector_against_members_by_sex(editor, durango):
    with pytest.raises(ValidationError) as refused:
        services.entry_save(
            actor=editor,
            register="participation",
            institution=durango,
            name="Consejo",
            mechanism_kind="council",
            year=2026,
            women=6,
            men=4,
            members_government=3,
        )
    assert "members_other" in refused.value.message_dict
    assert not ParticipationMechanism.objects.exists()


def test_entry_save_refuses_fewer_attentions_than_people(editor, durango):
    with pytest.raises(ValidationError):
        services.entry_save(
            actor=editor,
            register="service",
            institution=durango,
            month=dt.date(2026, 3, 1),
            service_type="legal",
            women=10,
            attentions=5,
        )
    assert not ServiceCount.objects.exists()


# entry_delete -------------------------------------------------------------------------------


def test_entry_delete_removes_the_entry_and_its_evidence_with_its_reason(
    editor, durango, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = world.training(durango)
    services.evidence_add(
        actor=editor,
        entry=event,
        upload=SimpleUploadedFile("lista.pdf", blank_pdf("Lista"), "application/pdf"),
        filename="lista.pdf",
    )
    services.entry_delete(actor=editor, entry=event, reason="Capturado dos veces")
    assert not TrainingEvent.objects.exists()
    assert not EntryEvidence.objects.exists()
    assert AuditEvent.objects.get(verb="training.delete").note == "Capturado dos veces"


def test_entry_delete_asks_for_a_reason(editor, durango):
    event = world.training(durango)
    with pytest.raises(ValidationError):
        services.entry_delete(actor=editor, entry=event, reason="  ")
    assert TrainingEvent.objects.filter(pk=event.pk).exists()


def test_entry_delete_refuses_an_entry_a_report_counted(editor, durango):
    event = world.training(durango)
    other = world.training(durango, name="Otro")
    indicator = fed_indicator(durango)
    update = ProgressUpdate.objects.create(period=quarter(indicator, 1), value=Decimal(20))
    FeedProposal.objects.create(
        update=update,
        register="training",
        aggregation="people",
        value=Decimal(20),
        entry_codes=[str(event.code)],
    )
    with pytest.raises(ValidationError) as refused:
        services.entry_delete(actor=editor, entry=event, reason="Ya no aplica")
    assert "corríjalo" in refused.value.message_dict["reason"][0]
    assert TrainingEvent.objects.filter(pk=event.pk).exists()
    assert not AuditEvent.objects.filter(verb="training.delete").exists()
    services.entry_delete(actor=editor, entry=other, reason="Capturado dos veces")
    assert not TrainingEvent.objects.filter(pk=other.pk).exists()


# evidence_add -------------------------------------------------------------------------------


def test_evidence_add_keeps_the_file_once_and_audits_it(editor, durango, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = world.training(durango)
    content = blank_pdf("Lista")

    def add():
        return services.evidence_add(
            actor=editor,
            entry=event,
            upload=SimpleUploadedFile("lista.pdf", content, "application/pdf"),
            filename="lista.pdf",
            description="Lista de asistencia",
        )

    evidence = add()
    assert (evidence.register, evidence.entry_code, evidence.institution) == (
        "training",
        event.code,
        durango,
    )
    assert AuditEvent.objects.filter(verb="training.evidence_add").count() == 1
    with pytest.raises(ValidationError):
        add()
    assert EntryEvidence.objects.count() == 1


def test_a_training_without_participants_is_refused_and_nothing_is_saved(editor, durango):
    from transversal.registers.models import TrainingEvent

    with pytest.raises(ValidationError) as refusal:
        services.entry_save(
            actor=editor,
            register="training",
            institution=durango,
            **{**TRAINING, "women": 0, "men": 0, "sex_unspecified": 0},
        )
    assert "sin participantes" in str(refusal.value.message_dict["women"])
    assert not TrainingEvent.objects.exists()


def test_a_persons_name_as_the_organiser_is_refused(editor, durango):
    with pytest.raises(ValidationError) as refusal:
        services.entry_save(
            actor=editor,
            register="training",
            institution=durango,
            **{**TRAINING, "organiser": "Lic. Juan Pérez Hernández"},
        )
    assert "nombre de persona" in str(refusal.value.message_dict["organiser"])
