"""Reviewing on the report's page (issue 12, item 6): no figure sent before its period ends unless
the sheet allows it, a resubmitted report drops the earlier reviewer line, and the reviewer sees
what changed since the report was returned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import (
    evidence_add,
    indicator_update,
    periods_generate,
    update_return,
    update_save,
    update_submit,
)
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, submitted
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(durango):
    return indicator_with_calendar(durango, name="Personas capacitadas", disaggregations=["age"])


@pytest.fixture
def open_period(indicator):
    """A period that ends next year: it has not ended whatever day the tests run."""
    year = timezone.localdate().year + 1
    periods_generate(
        actor=None, indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 3, 31)
    )
    return indicator.periods.get(label=f"{year}-T1")


def period_url(indicator, label):
    return reverse("monitoring:period", args=[indicator.code, label])


class TestNoReportBeforeThePeriodEnds:
    def test_submitting_a_period_that_has_not_ended_is_refused_with_the_first_allowed_day(
        self, indicator, open_period, editor
    ):
        update = draft(indicator, open_period.label, actor=editor)
        with pytest.raises(ValidationError) as refused:
            update_submit(actor=editor, update=update, expected_version=update.version)
        message = " ".join(refused.value.messages)
        first_day = (open_period.end + dt.timedelta(days=1)).strftime("%d/%m/%Y")
        assert f"a partir del {first_day}" in message and "borrador" in message
        assert ProgressUpdate.objects.get(pk=update.pk).status == UpdateStatus.DRAFT

    def test_the_form_keeps_the_draft_and_hides_the_send_button(
        self, client_for, indicator, open_period, editor
    ):
        client = client_for(editor)
        url = period_url(indicator, open_period.label)
        page = client.get(url).content.decode()
        assert "Guardar borrador" in page
        assert "Guardar y enviar a revisión</button>" not in page
        assert 'id="too-early"' in page
        # A forced "save and send" saves nothing and says why.
        response = client.post(url, {"value": "12", "intent": "submit", "version": ""})
        assert "podrá enviarse a revisión a partir del" in response.content.decode()
        assert not ProgressUpdate.objects.filter(period=open_period).exists()

    def test_a_sheet_that_allows_early_reporting_lets_it_through(
        self, indicator, open_period, editor
    ):
        indicator_update(actor=None, indicator=indicator, early_reporting=True)
        update = submitted(indicator, open_period.label, actor=editor)
        assert update.status == UpdateStatus.SUBMITTED

    def test_an_ended_period_is_sent_as_before(self, indicator, editor):
        assert submitted(indicator, "2025-T4", actor=editor).status == UpdateStatus.SUBMITTED


def returned(indicator, editor, reviewer, **figures):
    update = draft(indicator, "2025-T1", actor=editor, **figures)
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    return update_return(actor=reviewer, update=update, comment="Falta la lista de asistencia.")


class TestWhatChangedSinceTheReturn:
    def test_the_reviewer_sees_each_changed_figure_breakdown_and_new_evidence(
        self, client_for, indicator, editor, reviewer
    ):
        update = returned(
            indicator,
            editor,
            reviewer,
            value=Decimal(70),
            breakdown={"sex": {"women": Decimal(40), "men": Decimal(30)}},
        )
        update = update_save(
            actor=editor,
            period=update.period,
            expected_version=update.version,
            value=Decimal(72),
            narrative="Se agregó un taller.",
            breakdown={"sex": {"women": Decimal(42), "men": Decimal(30)}},
        )
        evidence_add(
            actor=editor,
            update=update,
            upload=SimpleUploadedFile("a.pdf", blank_pdf(), content_type="application/pdf"),
            filename="lista-de-asistencia.pdf",
        )
        update = ProgressUpdate.objects.get(pk=update.pk)
        update_submit(actor=editor, update=update, expected_version=update.version)

        page = client_for(reviewer).get(period_url(indicator, "2025-T1")).content.decode()
        section = page.split('id="since-return-title"')[1].split("</section>")[0]
        assert "Cambios desde la devolución del" in page
        assert '<th scope="row">Valor</th><td>70</td><td>72</td>' in section
        assert "Sexo · Mujeres</th><td>40</td><td>42</td>" in section
        assert "Sexo · Hombres" not in section  # unchanged
        assert "Narrativa del avance</th><td>—</td><td>Se agregó un taller.</td>" in section
        assert "Evidencia agregada</th><td>—</td><td>lista-de-asistencia.pdf</td>" in section

    def test_an_unchanged_resubmission_says_nothing_changed(
        self, client_for, indicator, editor, reviewer
    ):
        update = returned(indicator, editor, reviewer)
        update_submit(actor=editor, update=update, expected_version=update.version)
        page = client_for(reviewer).get(period_url(indicator, "2025-T1")).content.decode()
        assert "no han cambiado desde la devolución" in page

    def test_a_report_never_returned_shows_no_comparison(
        self, client_for, indicator, editor, reviewer
    ):
        submitted(indicator, actor=editor)
        page = client_for(reviewer).get(period_url(indicator, "2025-T1")).content.decode()
        assert "Cambios desde la devolución" not in page

    def test_a_resubmitted_report_drops_the_earlier_reviewer_line(
        self, client_for, indicator, editor, reviewer
    ):
        update = returned(indicator, editor, reviewer)
        assert update.reviewed_by == reviewer
        update = update_submit(actor=editor, update=update, expected_version=update.version)
        assert update.reviewed_by is None and update.reviewed_at is None
        page = client_for(reviewer).get(period_url(indicator, "2025-T1")).content.decode()
        assert "<dt>Revisó</dt>" not in page
        # the return itself stays on record, with its author
        assert "Falta la lista de asistencia." in page and "Devolución" in page

    def test_the_page_costs_the_same_queries_with_more_saves_after_the_return(
        self, client_for, indicator, editor, reviewer, django_assert_max_num_queries
    ):
        update = returned(indicator, editor, reviewer, value=Decimal(1))
        client = client_for(reviewer)
        url = period_url(indicator, "2025-T1")
        client.get(url)
        for n in range(2, 8):
            update = update_save(
                actor=editor,
                period=update.period,
                expected_version=update.version,
                value=Decimal(n),
            )
        with django_assert_max_num_queries(30) as captured:
            client.get(url)
        few = len(captured)
        for n in range(8, 20):
            update = update_save(
                actor=editor,
                period=update.period,
                expected_version=update.version,
                value=Decimal(n),
            )
        with django_assert_max_num_queries(few):
            client.get(url)
