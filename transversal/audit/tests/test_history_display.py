"""The history page reads as people write: what someone did in words, each change with its
field's label and its values formatted (choices by their label, Sí/No, figures in Mexican
format, dates dd/mm/aaaa), never the internal verbs, keys or stored decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from transversal.audit import display, registry
from transversal.audit.models import AuditEvent
from transversal.monitoring.services import update_approve, update_save, update_submit
from transversal.monitoring.tests.factories import indicator_with_calendar, period

pytestmark = pytest.mark.django_db


def _history(client, update) -> str:
    response = client.get(reverse("audit:history", args=["avance", update.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def approved_update(durango, editor, reviewer):
    indicator = indicator_with_calendar(durango)
    update = update_save(
        actor=editor,
        period=period(indicator),
        expected_version=None,
        value=Decimal(195),
        breakdown={"sex": {"women": Decimal(95), "men": Decimal(100)}},
        narrative="Talleres en tres municipios",
    )
    update = update_save(
        actor=editor,
        period=update.period,
        expected_version=update.version,
        value=Decimal(195),
        breakdown={"sex": {"women": Decimal(90), "men": Decimal(105)}},
        narrative="Talleres en tres municipios",
    )
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    return update_approve(actor=reviewer, update=update)


class TestUpdateHistory:
    def test_it_tells_what_happened_in_words_with_labels_and_formatted_values(
        self, client_for, viewer, approved_update
    ):
        page = _history(client_for(viewer), approved_update)
        for text in (
            "Aprobó el avance",
            "Envió a revisión",
            "Guardó el borrador",
            "Creó el borrador del avance",
            "<strong>Estado</strong>: Enviado → Aprobado",
            "<strong>Estado</strong>: Borrador → Enviado",
            "<strong>Sexo · Mujeres</strong>: 95 → 90",
            "<strong>Sexo · Hombres</strong>: — → 100",
            "<strong>Valor</strong>: — → 195",
        ):
            assert text in page, text
        assert "195 → 195" not in page  # stored "195.0000", saved again as 195: no change
        for raw in ("update.approve", "update.save", "status:", "sex:women", ".0000", "breakdown"):
            assert raw not in page, raw

    def test_it_reads_in_english_through_the_translations(
        self, client_for, viewer, approved_update
    ):
        client = client_for(viewer)
        client.cookies["django_language"] = "en"
        with translation.override("en"):
            page = _history(client, approved_update)
        assert "Submitted → Approved" in page and "Sex · Women" in page
        assert "Enviado → Aprobado" not in page and "update.approve" not in page

    def test_it_takes_the_same_queries_for_few_or_many_events(
        self, client_for, viewer, editor, durango
    ):
        """Session and user, the scope, the update with its period and indicator, the page
        count and the page of events with their actors and target types: never one per event."""
        indicator = indicator_with_calendar(durango)
        update = update_save(
            actor=editor, period=period(indicator), expected_version=None, value=Decimal(10)
        )
        client = client_for(viewer)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                _history(client, update)
            return len(ctx.captured_queries)

        few = count()
        for n in range(6):
            update = update_save(
                actor=editor,
                period=update.period,
                expected_version=update.version,
                value=Decimal(11 + n),
                breakdown={"sex": {"women": Decimal(11 + n)}},
            )
        assert AuditEvent.objects.filter(verb__startswith="update.").count() == 7
        assert count() == few


class TestPublicHistory:
    def test_outsiders_read_the_same_words_without_staff_names(
        self, client_for, outsider, editor, durango
    ):
        editor.full_name = "Nombre De Quien Captura"
        editor.save(update_fields=["full_name"])
        indicator = indicator_with_calendar(durango, is_public=True)
        from transversal.monitoring.services import indicator_update

        indicator_update(actor=editor, indicator=indicator, unit="mujeres", by_sex=False)
        page = client_for(outsider).get(
            reverse("audit:history", args=["indicador", indicator.code])
        )
        html = page.content.decode()
        assert page.status_code == 200
        assert "Cambió la ficha técnica" in html and "Cambió las metas" in html
        assert "<strong>Unidad de medida</strong>: personas → mujeres" in html
        assert "<strong>Se desagrega por sexo</strong>: Sí → No" in html
        assert "<strong>1.er trimestre 2025</strong>: — → 100" in html  # a target by period
        assert "Nombre De Quien Captura" not in html and "indicator.update" not in html


class TestFallbacks:
    """Events nobody registered still read, and never break the page."""

    @pytest.fixture
    def event(self, durango):
        from django.db import transaction

        from transversal.audit.services import audit_record

        with transaction.atomic():
            return audit_record(
                actor=None,
                verb="institution.something_new",
                target=durango,
                changes={
                    "mission": ["", "Nueva"],
                    "creation_date": [None, "2024-03-05"],
                    "mystery_key": ["12.5000", True],
                },
            )

    def test_an_unknown_verb_and_key_read_plainly(self, event):
        assert display.verb_text(event.verb) == "registró un cambio (institution.something_new)"
        assert display.change_rows(event) == [
            ("Misión", "—", "Nueva"),
            ("Fecha de publicación", "—", "05/03/2024"),
            ("Mystery key", "12.5", "Sí"),
        ]

    def test_an_expander_that_cannot_read_an_old_event_falls_back_to_the_values(
        self, event, monkeypatch
    ):
        def broken(old, new):
            raise KeyError("a shape this reader does not know")

        monkeypatch.setitem(
            registry._FIELDS,
            "institutions.institution",
            registry.Fields(labels={}, expand={"mystery_key": broken}),
        )
        assert ("Mystery key", "12.5", "Sí") in display.change_rows(event)

    def test_the_page_shows_them(self, client_for, viewer, durango, event):
        page = client_for(viewer).get(reverse("audit:history", args=["institucion", durango.slug]))
        html = page.content.decode()
        assert page.status_code == 200
        assert "Registró un cambio (institution.something_new)" in html
        assert "<strong>Fecha de publicación</strong>: — → 05/03/2024" in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("95.0000", "95"),
        (Decimal("1200.5000"), "1,200.5"),
        ("1234567.25", "1,234,567.25"),
        ("-0.5000", "-0.5"),
        (Decimal("1E+3"), "1,000"),
        ("2025", "2025"),
        (2025, "2025"),
        (None, "—"),
        ("", "—"),
        ([], "—"),
        (True, "Sí"),
        (False, "No"),
        ("2025-01-31", "31/01/2025"),
        (dt.date(2025, 12, 1), "01/12/2025"),
        (["a", "b"], "a, b"),
        ("texto libre", "texto libre"),
    ],
)
def test_values_read_the_mexican_way(value, expected):
    assert display.format_value(value) == expected
