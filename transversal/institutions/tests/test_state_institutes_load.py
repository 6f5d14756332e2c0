from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from transversal.audit.models import AuditEvent
from transversal.institutions.models import (
    Institution,
    InstitutionKind,
    LegalForm,
    NameChange,
)
from transversal.institutions.services import institution_update_profile, state_institutes_load
from transversal.institutions.state_institutes import INSTITUTES

pytestmark = pytest.mark.django_db


def test_the_reference_module_has_one_institute_per_state_with_the_demo_slugs():
    assert sorted(i.state_code for i in INSTITUTES) == [f"{n:02d}" for n in range(1, 33)]
    slugs = {i.state_code: i.slug for i in INSTITUTES}
    assert slugs["10"] == "iem-durango" and slugs["32"] == "semujer-zacatecas"
    assert len(set(slugs.values())) == 32


def test_no_reference_date_stands_without_a_source():
    for institute in INSTITUTES:
        assert institute.names[0].change == NameChange.CREATION, institute.slug
        for fact in institute.names:
            if fact.valid_from or fact.instrument_date or fact.instrument_number:
                assert fact.source, f"{institute.slug}: {fact.name} has a date without a source"
        if institute.creation_date or institute.creation_number:
            assert institute.source, institute.slug


def test_it_creates_the_32_institutes_with_their_names_and_sources_once():
    report = state_institutes_load(actor=None)
    assert len(report.created) == 32 and not report.kept
    assert Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).count() == 32
    durango = Institution.objects.with_names().get(slug="iem-durango")
    assert durango.current_name.name == "Instituto Estatal de las Mujeres"
    first = durango.names.get(sequence=1)
    assert first.name == "Instituto de la Mujer Duranguense"
    assert (first.instrument_number, first.instrument_date) == ("298", dt.date(2000, 6, 18))
    assert "iemujer.durango.gob.mx" in first.source and "iemujer" in durango.source
    # The rename's date is not known: it stays unknown, and so does the end of the first name.
    assert durango.current_name.valid_from is None and first.valid_to is None
    zacatecas = Institution.objects.with_names().get(slug="semujer-zacatecas")
    assert zacatecas.legal_form == LegalForm.CENTRALIZED
    assert zacatecas.current_name.change == NameChange.TRANSFORMATION

    events = AuditEvent.objects.count()
    again = state_institutes_load(actor=None)
    assert not again.created and len(again.kept) == 32
    assert AuditEvent.objects.count() == events


def test_it_never_overwrites_a_record_people_edited(coordinator):
    state_institutes_load(actor=None)
    durango = Institution.objects.get(slug="iem-durango")
    institution_update_profile(
        actor=coordinator, institution=durango, head_name="Titular registrada", mission="Propia"
    )
    state_institutes_load(actor=None)
    durango.refresh_from_db()
    assert (durango.head_name, durango.mission) == ("Titular registrada", "Propia")


def test_a_state_that_registers_another_institute_is_left_alone(durango):
    report = state_institutes_load(actor=None)
    assert any(label.startswith("10 ") for label in report.other_institute)
    assert not Institution.objects.filter(slug="iem-durango").exists()
    assert (
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF, state__code="10").count() == 1
    )


def test_the_command_reports_what_it_did():
    out = StringIO()
    call_command("load_state_institutes", stdout=out)
    assert "32 creadas, 0 ya registradas" in out.getvalue()
    out = StringIO()
    call_command("load_state_institutes", stdout=out)
    assert "0 creadas, 32 ya registradas" in out.getvalue()
