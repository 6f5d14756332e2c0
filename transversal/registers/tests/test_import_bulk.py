"""Confirming an import writes through ``services.entries_create_many``: the entries and audit
events ``entry_save`` would write, row by row, with a number of queries that does not grow with
the rows, and the database's constraints as the last guard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from transversal.audit.models import AuditEvent
from transversal.registers import importing, services
from transversal.registers.importing import ImportFailed
from transversal.registers.models import REGISTER_MODELS, ServiceCount
from transversal.registers.tests.test_import import ROWS, filled, municipalities, service_row

pytestmark = pytest.mark.django_db
municipalities = municipalities  # the catalogue fixture (autouse where it is defined)

# A second row of each register, different from ROWS' on what makes an entry the same.
SECOND = {
    "training": {"Nombre del evento": "Taller de presupuestos con perspectiva de género"},
    "affirmative": {
        "Nombre de la acción": "Cuota de género en becas deportivas",
        "Municipios (claves INEGI separadas por comas)": "",
        "Observaciones": "Convocatoria en línea",
    },
    "participation": {"Año": 2024},
    "service": {"Municipio (clave INEGI)": "10007", "Observaciones": "Módulo itinerante"},
}
IGNORED = {"id", "code", "created_at", "updated_at"}


def _rows(register, durango):
    rows = [ROWS[register], {**ROWS[register], **SECOND[register]}]
    parsed = importing.parse(register, durango, filled(register, durango, rows))
    assert parsed.ok, [str(p) for p in parsed.problems]
    return parsed.rows


def _one_by_one(actor, register, institution, rows):
    """What confirming did before: ``entry_save`` for each row."""
    from transversal.territory.models import Municipality

    places = {m.code: m for m in Municipality.objects.all()}
    for row in rows:
        fields = importing._fields_from(register, row, places, {})
        many = row["municipalities"]
        services.entry_save(
            actor=actor,
            register=register,
            institution=institution,
            municipalities=[places[code] for code in many] if many is not None else None,
            **fields,
        )


def _written(register, editor, write) -> tuple[list, list]:
    """The entries and audit events ``write`` leaves, then rolled back."""
    model = REGISTER_MODELS[register]
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED]
    with transaction.atomic():
        write()
        entries = list(model.objects.order_by("pk"))
        by_pk = {entry.pk: position for position, entry in enumerate(entries)}
        shown = [
            (
                [getattr(entry, name) for name in names],
                sorted(m.code for m in entry.municipalities.all())
                if hasattr(entry, "municipalities")
                else None,
            )
            for entry in entries
        ]
        events = [
            (
                e.verb,
                by_pk.get(int(e.target_id)) if e.verb.endswith(".create") else e.target_id,
                e.target_type_id,
                e.target_repr,
                e.actor_id,
                e.institution_id,
                e.state_id,
                e.changes,
                e.note,
            )
            for e in AuditEvent.objects.filter(actor=editor).order_by("pk")
        ]
        transaction.set_rollback(True)
    return shown, events


@pytest.mark.parametrize("register", list(ROWS))
def test_the_bulk_path_writes_the_entries_and_events_entry_save_writes(register, durango, editor):
    rows = _rows(register, durango)

    def bulk():
        importing.import_confirm(actor=editor, register=register, institution=durango, rows=rows)

    before_entries, before_events = _written(
        register, editor, lambda: _one_by_one(editor, register, durango, rows)
    )
    after_entries, after_events = _written(register, editor, bulk)

    assert after_entries == before_entries and len(after_entries) == 2
    creates = [event for event in after_events if event[0] == f"{register}.create"]
    assert creates == before_events
    assert [event[0] for event in after_events] == [
        f"{register}.create",
        f"{register}.create",
        f"{register}.import",
    ]


def test_a_municipality_not_read_from_the_database_is_refused(durango, editor):
    from transversal.territory.models import Municipality, State

    invented = Municipality(code="10999", name="Inventado", state=State.objects.get(code="10"))
    with pytest.raises(services.RowRefused) as refused:
        services.entries_create_many(
            actor=editor,
            register="service",
            institution=durango,
            rows=[
                ({"month": dt.date(2025, 3, 1), "service_type": "legal", "attentions": 1}, None),
                (
                    {"month": dt.date(2025, 3, 1), "service_type": "medical", "attentions": 1},
                    None,
                ),
                (
                    {
                        "month": dt.date(2025, 3, 1),
                        "service_type": "shelter",
                        "municipality": invented,
                    },
                    None,
                ),
            ],
        )
    assert refused.value.index == 2 and "municipality" in refused.value.message_dict
    assert not ServiceCount.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="service.").exists()


def test_an_entry_the_database_refuses_at_confirmation_is_a_conflict_and_writes_nothing(
    durango, editor, monkeypatch
):
    rows = [service_row(**{"Municipio (clave INEGI)": "10007"}), service_row()]
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    other = importing.parse("service", durango, filled("service", durango, [service_row()]))
    importing.import_confirm(actor=editor, register="service", institution=durango, rows=other.rows)
    events = AuditEvent.objects.count()
    # Recorded after the import compared its rows with the entries (a request in between).
    monkeypatch.setattr(importing, "_existing_keys", lambda *args: set())

    with pytest.raises(ImportFailed) as failed:
        importing.import_confirm(
            actor=editor, register="service", institution=durango, rows=parsed.rows
        )

    assert failed.value.conflict
    assert "alguien capturó un registro igual" in str(failed.value.problems[0])
    assert ServiceCount.objects.count() == 1 and AuditEvent.objects.count() == events


def test_two_rows_of_one_mechanism_and_year_are_a_conflict(durango, editor):
    row = {
        "name": "Consejo consultivo",
        "mechanism_kind": "council",
        "year": 2025,
        "women": 2,
        "members_government": 2,
    }
    with pytest.raises(services.EntriesConflict):
        services.entries_create_many(
            actor=editor,
            register="participation",
            institution=durango,
            rows=[(row, None), (dict(row), None)],
        )
    assert not REGISTER_MODELS["participation"].objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="participation.").exists()


def _confirm_queries(durango, editor, rows) -> int:
    parsed = importing.parse("service", durango, filled("service", durango, rows))
    assert parsed.ok
    with CaptureQueriesContext(connection) as queries:
        importing.import_confirm(
            actor=editor, register="service", institution=durango, rows=parsed.rows
        )
    return len(queries)


def test_confirming_takes_as_many_queries_for_twenty_rows_as_for_one(durango, editor):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(ServiceCount)  # cached for the process, as in production
    one = _confirm_queries(durango, editor, [service_row(**{"Mes (mm/aaaa)": "01/2024"})])
    twenty = [
        service_row(**{"Mes (mm/aaaa)": f"{month:02d}/2025", "Municipio (clave INEGI)": code})
        for month in range(1, 11)
        for code in ("10001", "10002")
    ]
    # Two savepoints and their releases (the import, the inserts); the municipalities of the
    # rows with their state; the entries already recorded in the rows' months; one insert of
    # the entries and one of their audit events; the institution's name and the import's own
    # event. A batch holds 33 entries on SQLite (999 parameters a query) and about 2,000 on
    # PostgreSQL: beyond it, one insert more per batch.
    assert _confirm_queries(durango, editor, twenty) == one == 10
    assert ServiceCount.objects.count() == 21


def test_the_template_says_a_file_takes_up_to_twenty_thousand_rows(durango):
    assert "7. Cada archivo admite hasta 20,000 filas con datos." in importing.help_lines("service")
