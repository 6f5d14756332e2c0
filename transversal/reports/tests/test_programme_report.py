"""The quarterly report of a work programme as a deliverable: /reportes/programa/<code>.pdf and
.docx (reports:programme_report_pdf, reports:programme_report_docx).

The world: Durango's convenio with two goals, one quarterly indicator per goal, a programme of
2025 validated, and its first quarter's report sent:

  goal 1 ← «Avance de la meta 1»: 2025-T1 value 3 of 10 (30 %), approved and validated;
           two evidence files. Scheduled 25 % → no deviation.
  goal 2 ← «Avance de la meta 2»: 2025-T1 value 1 of 10 (10 %), approved by the state and
           «En validación nacional»; one evidence file. Scheduled 25 % → deviation, justified.
  resources per goal: federal $100,000.00 and state $20,000.00 approved; exercised in the
  quarter: federal $12,345.67 + $30,000.00, state $5,000.50 (goal 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.monitoring.services import (
    evidence_add,
    indicator_create,
    periods_generate,
    targets_update,
    update_approve,
    update_save,
    update_submit,
    update_validate,
)
from transversal.reports.programme import build_programme_report, programme_stem
from transversal.reports.tests.conftest import pdf_text
from transversal.testing import blank_pdf
from transversal.workprogrammes import services
from transversal.workprogrammes.access import get_report_for_user

pytestmark = pytest.mark.django_db

YEAR = 2025
JUSTIFICATION = "La contratación de la instancia capacitadora se retrasó hasta marzo."
NARRATIVE = "Se instalaron los comités regionales y se capacitó a 48 personas servidoras."
GOALS = ["Instalar comités", "Capacitar personal", "Publicar informes", "Crear refugios", "Medir"]
FILES = {
    1: ["lista-asistencia-enero.pdf", "constancias-marzo.pdf"],
    2: ["minuta-comite-regional.pdf"],
}


def _content(name: str) -> bytes:
    return blank_pdf(name)


def _indicator(goal):
    indicator = indicator_create(
        actor=None,
        owner=goal.agreement.state_institution,
        name=f"Avance de la meta {goal.number}",
        unit="acciones",
        measure="count",
        frequency="quarterly",
        direction="ascending",
        goals=[goal],
    )
    periods_generate(
        actor=None, indicator=indicator, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )
    targets_update(
        actor=None, indicator=indicator, targets={f"{YEAR}-T{q}": Decimal(10) for q in (1, 2, 3, 4)}
    )
    return indicator


def _reported(indicator, value, names, *, editor, reviewer, validator=None):
    """The indicator's first quarter captured with ``names`` attached, approved by the state
    and, with ``validator``, validated by the national institution."""
    update = update_save(
        actor=editor,
        period=indicator.periods.get(label=f"{YEAR}-T1"),
        expected_version=None,
        value=Decimal(value),
        narrative="Avance del trimestre.",
    )
    for name in names:
        evidence_add(
            actor=editor,
            update=update,
            upload=SimpleUploadedFile(name, _content(name), content_type="application/pdf"),
            filename=name,
        )
    update.refresh_from_db()
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    update = update_approve(actor=reviewer, update=update)
    if validator is not None:
        update = update_validate(actor=validator, update=update)
    return update


def make_programme(national, institution, *, goals=2, editor=None, reviewer=None, validator=None):
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=f"Convenio de colaboración {institution.state.short_name}",
        valid_from=dt.date(YEAR, 1, 1),
        valid_to=dt.date(YEAR + 1, 12, 31),
    )
    agreement_transition(
        actor=None, agreement=agreement, to_status=AgreementStatus.SIGNED, on=dt.date(YEAR, 1, 20)
    )
    goal_list = [
        goal_add(
            actor=None,
            agreement=agreement,
            number=number,
            description=GOALS[number - 1],
        )
        for number in range(1, goals + 1)
    ]
    agreement.refresh_from_db()
    programme = services.programme_create(actor=None, agreement=agreement, year=YEAR)
    for goal in goal_list:
        services.line_save(
            actor=None,
            programme=programme,
            goal=goal,
            means_of_verification=f"Listas de asistencia de la meta {goal.number}",
            responsible_area="Dirección de Planeación",
            planned={1: 25, 2: 50, 3: 75, 4: 100},
            resources={
                "federal_approved": Decimal("100000"),
                "state_approved": Decimal("20000"),
            },
        )
        indicator = _indicator(goal)
        if editor is not None:
            value, validated = (3, True) if goal.number % 2 else (1, False)
            _reported(
                indicator,
                value,
                FILES.get(goal.number, [f"evidencia-meta-{goal.number}.pdf"]),
                editor=editor,
                reviewer=reviewer,
                validator=validator if validated else None,
            )
    services.programme_propose(actor=None, programme=programme)
    services.programme_validate(actor=None, programme=programme)
    lines = {line.goal.number: line for line in programme.lines.select_related("goal")}
    amounts = {
        number: {
            "federal_exercised": "12345.67" if number == 1 else "30000",
            "state_exercised": "5000.50" if number == 2 else "0",
            "justification": JUSTIFICATION if number % 2 == 0 else "",
        }
        for number in lines
    }
    report = services.report_save(
        actor=None,
        programme=programme,
        quarter=1,
        narrative=NARRATIVE,
        lines={line.pk: amounts[number] for number, line in lines.items()},
    )
    return programme, report


@pytest.fixture
def sent(national, durango, editor, reviewer, coordinator):
    programme, report = make_programme(
        national, durango, editor=editor, reviewer=reviewer, validator=coordinator
    )
    return services.report_send(actor=editor, report=report)


def _download(client, report, fmt):
    return client.get(reverse(f"reports:programme_report_{fmt}", args=[report.code]))


def _row(lines: list[str], cells: str) -> bool:
    """Whether a line of the PDF's layout text holds these cells, whatever the spaces between."""
    return any(" ".join(line.split()) == cells for line in lines)


def _save(response, path):
    path.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return path


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def test_the_pdf_lists_goals_resources_and_every_evidence_file_with_its_digest(
    client_for, viewer, sent, tmp_path
):
    response = _download(client_for(viewer), sent, "pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="programa-durango-2025-T1.pdf"' in response["Content-Disposition"]
    path = _save(response, tmp_path / "informe.pdf")
    text, rows = pdf_text(path), pdf_text(path, layout=True).splitlines()
    assert "Informe del 1.er trimestre 2025: Durango" in text
    assert "Instituto Estatal de las Mujeres (IEM; Durango)" in text
    assert "Convenio de colaboración Durango" in text and "20/01/2025" in text
    assert "Envío" in text and "por captura" in text
    assert "1. Instalar comités" in text and "2. Capacitar personal" in text
    assert "Listas de asistencia de la meta 2" in text and "Dirección de Planeación" in text
    assert "25.0 % 30.0 % No" in text  # goal 1: scheduled, achieved, no deviation
    assert "25.0 % 10.0 % Sí (-15.0 puntos)" in text  # goal 2
    assert JUSTIFICATION in text and NARRATIVE in text
    # Federal: approved 200,000, exercised 42,345.67 in the quarter and so far, 157,654.33 left.
    assert _row(rows, "Federal $200,000.00 $200,000.00 $42,345.67 $42,345.67 $157,654.33")
    assert _row(rows, "Estatal $40,000.00 $40,000.00 $5,000.50 $5,000.50 $34,999.50")
    assert _row(rows, "En especie $0.00 $0.00 $0.00 $0.00 $0.00")
    assert _row(rows, "Total $240,000.00 $240,000.00 $47,346.17 $47,346.17 $192,653.83")
    for names in FILES.values():
        for name in names:
            assert name in text
            assert hashlib.sha256(_content(name)).hexdigest() in text
    assert "En validación nacional" in text and "Aprobado" in text
    assert "dato sintético" not in text and "provisional" not in text


def test_a_report_sent_after_its_due_date_says_how_late_in_the_pdf_and_the_docx(
    client_for, viewer, sent, tmp_path
):
    from transversal.reports.tests.conftest import docx_text

    # Due on 15/04/2025 (the quarter ends on 31/03, 15 days to deliver): sent 12 days later.
    late = dt.datetime(2025, 4, 27, 17, 0, tzinfo=dt.UTC)
    sent.__class__.objects.filter(pk=sent.pk).update(sent_at=late)
    sentence = "Enviado el 27/04/2025, 12 días después del plazo (15/04/2025)"

    pdf = pdf_text(_save(_download(client_for(viewer), sent, "pdf"), tmp_path / "t.pdf"))
    docx = docx_text(_save(_download(client_for(viewer), sent, "docx"), tmp_path / "t.docx"))

    assert "Entrega fuera de plazo" in pdf and sentence in " ".join(pdf.split())
    assert sentence in docx


def test_a_report_sent_on_its_due_date_is_not_called_late(client_for, viewer, sent):
    on_time = dt.datetime(2025, 4, 15, 23, 0, tzinfo=dt.UTC)  # 17:00 in Mexico City
    sent.__class__.objects.filter(pk=sent.pk).update(sent_at=on_time)
    sent.refresh_from_db()

    facts = dict(build_programme_report(get_report_for_user_obj(sent)).facts)

    assert "Entrega fuera de plazo" not in facts


def test_a_digest_stays_on_one_line_of_the_pdf(client_for, viewer, sent, tmp_path):
    text = pdf_text(
        _save(_download(client_for(viewer), sent, "pdf"), tmp_path / "i.pdf"), layout=True
    )

    digest = hashlib.sha256(_content("constancias-marzo.pdf")).hexdigest()
    assert any(f"SHA-256: {digest}" in line for line in text.splitlines())


def test_a_draft_report_shows_provisional_progress(
    client_for, viewer, national, durango, editor, reviewer, coordinator, tmp_path
):
    _programme, report = make_programme(
        national, durango, editor=editor, reviewer=reviewer, validator=coordinator
    )

    text = pdf_text(_save(_download(client_for(viewer), report, "pdf"), tmp_path / "b.pdf"))

    assert "(provisional)" in text
    assert "En elaboración (cifras provisionales)" in text
    assert "Sin enviar" in text
    assert "25.0 % 30.0 % No" in text  # today's goal_progress


def test_a_synthetic_programme_says_so(client_for, viewer, sent, tmp_path):
    sent.programme.__class__.objects.filter(pk=sent.programme_id).update(is_synthetic=True)

    text = pdf_text(_save(_download(client_for(viewer), sent, "pdf"), tmp_path / "s.pdf"))

    assert "Dato sintético" in text and "contiene dato sintético" in text


def test_a_received_report_says_who_received_it_and_lists_its_observations(
    client_for, viewer, coordinator, sent, tmp_path
):
    services.report_observe(actor=coordinator, report=sent, text="Anexe la minuta firmada.")
    sent.refresh_from_db()
    services.report_send(actor=None, report=sent)
    sent.refresh_from_db()
    services.report_acknowledge(actor=coordinator, report=sent)

    text = pdf_text(_save(_download(client_for(viewer), sent, "pdf"), tmp_path / "r.pdf"))

    assert "Recepción" in text and "por coordinacion" in text
    assert "Anexe la minuta firmada." in text
    assert "Informe enviado de nuevo." in text  # the observation's answer


# ---------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------


def test_the_docx_opens_and_converts_with_libreoffice_holding_the_same(
    client_for, viewer, sent, tmp_path
):
    from docx import Document

    from transversal.reports.tests.conftest import docx_text
    from transversal.reports.tests.test_renderers import convert_with_libreoffice

    response = _download(client_for(viewer), sent, "docx")

    assert response.status_code == 200
    assert 'filename="programa-durango-2025-T1.docx"' in response["Content-Disposition"]
    path = _save(response, tmp_path / "programa-durango-2025-T1.docx")
    Document(str(path))  # python-docx opens it
    text = docx_text(path)
    assert "Informe del 1.er trimestre 2025: Durango" in text
    assert "1. Instalar comités" in text and "2. Capacitar personal" in text
    assert "25.0 % | 10.0 % | Sí (-15.0 puntos)" in text
    assert "Federal | $200,000.00 | $200,000.00 | $42,345.67 | $42,345.67 | $157,654.33" in text
    assert JUSTIFICATION in text and NARRATIVE in text
    for names in FILES.values():
        for name in names:
            assert name in text
            assert hashlib.sha256(_content(name)).hexdigest() in text
    assert "En validación nacional" in text
    converted = pdf_text(convert_with_libreoffice(path, tmp_path))
    assert "Informe del 1.er trimestre 2025: Durango" in converted
    assert "$157,654.33" in converted
    for names in FILES.values():
        for name in names:
            assert name in converted
            assert hashlib.sha256(_content(name)).hexdigest() in converted


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_another_states_person_gets_404(client_for, outsider, sent, fmt):
    assert _download(client_for(outsider), sent, fmt).status_code == 404


def test_an_unknown_report_is_404(client_for, viewer, db):
    url = reverse("reports:programme_report_pdf", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(viewer).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client_for, sent):
    response = _download(client_for(None), sent, "pdf")
    assert response.status_code == 302 and "/entrar/" in response["Location"]


def test_the_national_institution_downloads_the_report(client_for, coordinator, sent):
    assert _download(client_for(coordinator), sent, "docx").status_code == 200


def test_the_download_rejects_post(client_for, viewer, sent):
    url = reverse("reports:programme_report_pdf", args=[sent.code])
    assert client_for(viewer).post(url).status_code == 405


# ---------------------------------------------------------------------------
# Queries and names
# ---------------------------------------------------------------------------


def _queries(user, report) -> int:
    granted = get_report_for_user(user, report.code)
    with CaptureQueriesContext(connection) as queries:
        build_programme_report(granted.obj)
    return len(queries)


def test_the_report_costs_the_same_few_queries_with_more_goals(
    national, durango, zacatecas, editor, reviewer, coordinator
):
    from transversal.conftest import make_member

    _p, two = make_programme(
        national, durango, editor=editor, reviewer=reviewer, validator=coordinator
    )
    zac_editor = make_member("captura.z@prueba.test", zacatecas, "editor")
    zac_reviewer = make_member("revision.z@prueba.test", zacatecas, "reviewer")
    _p, five = make_programme(
        national,
        zacatecas,
        goals=5,
        editor=zac_editor,
        reviewer=zac_reviewer,
        validator=coordinator,
    )
    # Draft: names of both institutions, programme lines, report lines, goal_progress (lines,
    # their indicators' goals, updates, the year's targets, the indicators' sheets), earlier
    # quarters' sums, observations, the goals' indicators, the evidence files.
    assert _queries(coordinator, two) == _queries(coordinator, five) == 12
    for report, person in ((two, editor), (five, zac_editor)):
        services.report_send(actor=person, report=report)
    # Sent: the same without goal_progress's three.
    assert _queries(coordinator, two) == _queries(coordinator, five) == 7


def test_the_file_name_is_the_states_slug_year_and_quarter():
    assert programme_stem("Estado de México", 2026, 1) == "programa-estado-de-mexico-2026-T1"
    assert programme_stem("", 2026, 4) == "programa-entidad-2026-T4"


def test_the_accumulated_amounts_add_the_earlier_quarters_sent(sent):
    from transversal.workprogrammes.report_selectors import quarterly_report_contents

    lines = list(sent.programme.lines.order_by("goal__number"))
    second = services.report_save(
        actor=None,
        programme=sent.programme,
        quarter=2,
        narrative="",
        lines={lines[0].pk: {"federal_exercised": "1000"}},
    )

    federal = quarterly_report_contents(get_report_for_user_obj(second)).resources[0]

    assert (federal.exercised, federal.accumulated) == (Decimal("1000"), Decimal("43345.67"))
    assert federal.unspent == Decimal("156654.33")


def get_report_for_user_obj(report):
    from transversal.workprogrammes.models import QuarterlyReport

    return QuarterlyReport.objects.select_related(
        "programme__agreement__state",
        "programme__agreement__state_institution__state",
        "programme__agreement__national_institution",
    ).get(pk=report.pk)
