"""A history page never shows an internal key, a stored code or a long decimal: every kind of
change any service records reads through labels, choices and the Mexican number format."""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from transversal.audit import selectors
from transversal.audit.models import AuditEvent
from transversal.audit.registry import fields_of
from transversal.audit.tests.test_audit_completeness import RECIPES, W
from transversal.monitoring.services import update_save
from transversal.monitoring.tests.factories import indicator_with_calendar, period

pytestmark = pytest.mark.django_db

LONG_DECIMAL = re.compile(r"\d\.\d{5,}")
CHANGE = re.compile(r"<li><strong>(.*?)</strong>: (.*?)</li>", re.S)


def _render(events, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    rows = selectors.history_rows(selectors.history_events(events))
    return render_to_string(
        "audit/history.html",
        {"object": "objeto", "rows": rows, "page": None, "kind": "x"},
        request=request,
    )


def _codes(event, key: str) -> set[str]:
    """The stored codes of ``key`` that have a label people read instead."""
    model = event.target_type.model_class()
    known = fields_of(model._meta.label_lower)
    choices = list(known.choices.get(key, ())) if known else []
    try:
        choices += list(model._meta.get_field(key).flatchoices)
    except Exception:  # noqa: BLE001 - a key that is no field
        pass
    return {str(code) for code, label in choices if str(code) != str(label)}


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("_media")
@pytest.mark.parametrize("service", sorted(RECIPES))
def test_the_history_of_every_kind_of_change_reads_in_words(
    service, national, durango, zacatecas, coordinator, django_capture_on_commit_callbacks
):
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        RECIPES[service](W(national, durango, zacatecas, coordinator), coordinator)
    events = AuditEvent.objects.exclude(pk__in=before)
    page = _render(events, coordinator)
    changes = [
        (html_lib.unescape(label), [html_lib.unescape(v).strip() for v in values.split(" → ")])
        for label, values in CHANGE.findall(page)
    ]
    assert not LONG_DECIMAL.search(page)
    for event in events.select_related("target_type"):
        assert event.verb not in page
        for key, _old, _new in event.change_rows:
            if "_" in key or key.isascii() and key.islower():
                assert all(label != key for label, _values in changes), (event.verb, key)
            codes = _codes(event, key)
            shown = [value for _label, values in changes for value in values]
            assert not codes & set(shown), (event.verb, key, codes & set(shown))


def test_a_figure_computed_from_a_ratio_reads_with_two_decimals(
    client_for, viewer, editor, durango
):
    indicator = indicator_with_calendar(durango, measure="percentage", unit="porcentaje")
    update = update_save(
        actor=editor,
        period=period(indicator),
        expected_version=None,
        numerator=Decimal(1),
        denominator=Decimal(3),
    )
    page = client_for(viewer).get(reverse("audit:history", args=["avance", update.code]))
    html = page.content.decode()
    assert "<strong>Valor</strong>: — → 33.33</li>" in html
    assert not LONG_DECIMAL.search(html)


def test_a_quarterly_reports_status_and_amounts_read_as_on_its_page(
    national, durango, zacatecas, coordinator
):
    from transversal.audit.tests.test_audit_completeness import _programme, _report_lines
    from transversal.workprogrammes import services as wp

    programme = _programme(W(national, durango, zacatecas, coordinator), "in_execution")
    report = wp.report_save(
        actor=coordinator,
        programme=programme,
        quarter=1,
        narrative="Avance del trimestre",
        lines=_report_lines(programme, federal_exercised="25000", justification="Retraso"),
    )
    wp.report_send(actor=coordinator, report=report)
    page = _render(AuditEvent.objects.filter(verb__startswith="report."), coordinator)
    assert "<strong>Estado del informe</strong>: En elaboración → Enviado" in page
    assert "<strong>Meta 1 · recurso federal ejercido en el trimestre</strong>:" in page
    assert "25,000" in page
    for code in ("draft", "sent", "25000"):
        assert f"→ {code}<" not in page and f": {code} →" not in page


def test_an_institutions_change_of_name_reads_its_kind(national, durango, zacatecas, coordinator):
    RECIPES["institutions.institution_name_add"](
        W(national, durango, zacatecas, coordinator), coordinator
    )
    page = _render(AuditEvent.objects.filter(verb="institution.rename"), coordinator)
    assert "<strong>Tipo de cambio</strong>:" in page
    assert "rename" not in page and "transformation" not in page
