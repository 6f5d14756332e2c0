"""The import review shows how sure the reader was of each item and the lines it left out,
and lets the person include a left-out line before saving (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.models import Plan

pytestmark = pytest.mark.django_db

QUERIES_PREVIEW = 8
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def upload_fixture(client, durango, name: str) -> str:
    response = client.post(
        reverse("planning:upload"),
        {
            "institution": durango.slug,
            "kind": "ped",
            "document": SimpleUploadedFile(name, (FIXTURES / name).read_bytes()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def posted(preview, **changes) -> dict:
    """The review form as a browser would post it unchanged, with ``changes`` on top."""
    data = {"title": "PED 2022-2028", "start_year": "2022", "end_year": "2028", "issuer_name": ""}
    for prefix, formset in (("items", preview.context["formset"]), ("skipped", None)):
        formset = formset or preview.context["skipped"]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.forms))
        for i, form in enumerate(formset.forms):
            for name, value in form.initial.items():
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    data.update(changes)
    return data


def test_the_preview_marks_low_confidence_items_in_words_and_lists_skipped_lines(
    client_for, editor, durango
):
    client = client_for(editor)
    preview = client.get(upload_fixture(client, durango, "plan_flat_axes.txt"))
    html = preview.content.decode()
    # The flat axes are kept with low confidence: marked with a word, not only a colour.
    assert html.count("⚠ Revisar") == 5
    assert "confianza baja" in html
    assert "5 elementos se leyeron con confianza baja" in html
    assert "Líneas que no se tomaron" in html
    assert "Honestidad, todo servidor público rinde cuentas" in html
    assert "se leyó como una lista dentro del texto" in html
    assert "Incluir como elemento" in html


def test_sure_items_read_confidence_high_without_a_review_mark(client_for, editor, durango):
    client = client_for(editor)
    html = client.get(upload_fixture(client, durango, "plan_roman_blocks.txt")).content.decode()
    assert "confianza alta" in html and "⚠ Revisar" not in html
    assert "Encabezado de bloque con número romano" in html


def test_a_skipped_line_included_under_an_item_is_saved_as_its_child(client_for, editor, durango):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    preview = client.get(url)
    items = preview.context["formset"].forms
    assert items[4].initial["code"] == "5"
    data = posted(
        preview,
        **{
            "skipped-0-include": "on",
            "skipped-0-parent": "4",
            "skipped-0-level": "objective",
            "skipped-0-code": "5.1",
            "items-1-level": "objective",
        },
    )
    before = AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Plan.objects.get()
    included = plan.items.get(code="5.1")
    assert included.text.startswith("Honestidad, todo servidor público")
    assert included.level == "objective" and included.parent.code == "5"
    assert plan.items.get(code="2").level == "objective"
    # The other skipped line was not included.
    assert not plan.items.filter(text__startswith="Austeridad").exists()
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.verb == "plan.import" and event.changes["included_lines"] == [None, 1]
    assert event.changes["item_count"] == [None, 6]


def test_a_skipped_line_included_without_a_parent_goes_last_on_the_first_level(
    client_for, editor, durango
):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    preview = client.get(url)
    data = posted(
        preview,
        **{"skipped-1-include": "on", "skipped-1-level": "axis", "skipped-1-code": "6"},
    )
    assert client.post(url, data).status_code == 302
    plan = Plan.objects.get()
    last = plan.items.filter(parent=None).order_by("-order").first()
    assert last.text.startswith("Austeridad") and last.level == "axis" and last.code == "6"


def test_an_included_line_whose_number_is_taken_is_refused_and_nothing_is_saved(
    client_for, editor, durango
):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    preview = client.get(url)
    # The line keeps its own number, 2, which the second axis already has.
    response = client.post(url, posted(preview, **{"skipped-1-include": "on"}))
    assert response.status_code == 200
    assert "El número 2 aparece dos veces en el plan." in response.content.decode()
    assert not Plan.objects.exists()


def test_an_included_line_without_text_is_refused_and_nothing_is_saved(client_for, editor, durango):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    preview = client.get(url)
    data = posted(preview, **{"skipped-0-include": "on", "skipped-0-text": ""})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Este campo es obligatorio" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_left_out_line_may_be_emptied_without_blocking_the_save(client_for, editor, durango):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    preview = client.get(url)
    assert client.post(url, posted(preview, **{"skipped-0-text": ""})).status_code == 302
    assert Plan.objects.get().items.count() == 5


def test_the_preview_reads_no_more_rows_with_skipped_lines(client_for, editor, durango):
    client = client_for(editor)
    url = upload_fixture(client, durango, "plan_flat_axes.txt")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Session, user, the pending import and its institution's scope: the draft is JSON.
    assert len(queries) <= QUERIES_PREVIEW


def test_a_document_with_many_left_out_lines_shows_the_first_hundred_and_says_how_many_more(
    client_for, editor, durango, monkeypatch
):
    monkeypatch.setattr("transversal.planning.views.SKIPPED_SHOWN", 1)
    client = client_for(editor)
    preview = client.get(upload_fixture(client, durango, "plan_flat_axes.txt"))
    skipped = len(preview.context["skipped_rows"])
    assert skipped == 1
    more = preview.context["skipped_more"]
    assert more >= 1
    html = preview.content.decode()
    assert f"Hay {more} línea" in html
