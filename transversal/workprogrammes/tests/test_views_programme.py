"""The list of programmes and the programme's page: who sees what, the goals, the stages and
the closure, each action by whom it belongs to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.agreements.models import Goal
from transversal.monitoring.tests.factories import approved
from transversal.workprogrammes import services
from transversal.workprogrammes.models import Observation, ProgrammeLine, Stage, WorkProgramme
from transversal.workprogrammes.tests.factories import (
    PDF_BYTES,
    signed_agreement,
    validated,
    world,
)

pytestmark = pytest.mark.django_db

LONG_GOAL = (
    "Contar con un programa estatal para la igualdad alineado al programa nacional, publicado "
    "en el periódico oficial del estado"
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name, programme, *args):
    return reverse(f"workprogrammes:{name}", args=[programme.code, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def closable(w, editor, reviewer, coordinator):
    """Every period approved and validated, four reports received, the federal funds returned
    and the closing minutes uploaded."""
    validated(w.programme)
    for indicator in w.indicators:
        for quarter in (1, 2, 3, 4):
            approved(indicator, f"2025-T{quarter}", Decimal(10), actor=editor, reviewer=reviewer)
    for quarter in (1, 2, 3, 4):
        report = services.report_save(
            actor=editor,
            programme=w.programme,
            quarter=quarter,
            narrative="Avance.",
            lines={line.pk: {"federal_exercised": "20000"} for line in w.programme.lines.all()},
        )
        report = services.report_send(actor=editor, report=report)
        services.report_acknowledge(actor=coordinator, report=report)
    services.refund_record(
        actor=editor,
        programme=w.programme,
        amount="40000",
        reference="TESOFE 0001",
        on=dt.date(2026, 1, 10),
    )


class TestList:
    def test_it_lists_the_programmes_a_person_reads_with_filters(
        self, client_for, national, durango, zacatecas, editor, outsider
    ):
        w = world(national, durango)
        other = world(national, zacatecas)
        page = client_for(editor).get(reverse("workprogrammes:list")).content.decode()
        assert url("programme", w.programme) in page
        assert url("programme", other.programme) not in page
        page = client_for(outsider).get(reverse("workprogrammes:list")).content.decode()
        assert url("programme", w.programme) not in page
        client = client_for(editor)
        page = client.get(reverse("workprogrammes:list") + "?etapa=closed").content.decode()
        assert url("programme", w.programme) not in page
        page = client.get(reverse("workprogrammes:list") + "?anio=2025&etapa=draft").content
        assert url("programme", w.programme) in page.decode()
        page = client.get(reverse("workprogrammes:list") + "?anio=texto&etapa=x").content
        assert url("programme", w.programme) in page.decode()  # bad filters are ignored

    def test_the_convenio_page_links_to_its_programmes(self, client_for, national, durango, editor):
        w = world(national, durango)
        client = client_for(editor)
        page = client.get(reverse("agreements:detail", args=[w.agreement.code])).content.decode()
        link = reverse("workprogrammes:list") + f"?convenio={w.agreement.code}"
        assert link in page
        assert url("programme", w.programme) in client.get(link).content.decode()

    def test_a_person_without_membership_gets_404(self, client_for, django_user_model):
        loner = django_user_model.objects.create_user(email="sola@prueba.test", password="x")
        assert client_for(loner).get(reverse("workprogrammes:list")).status_code == 404

    def test_the_list_takes_a_constant_number_of_queries(
        self, client_for, national, durango, zacatecas, coordinator
    ):
        client = client_for(coordinator)
        world(national, durango)
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("workprogrammes:list"))
        w = world(national, zacatecas, goals=3)
        services.programme_propose(actor=None, programme=w.programme)
        services.programme_observe(actor=None, programme=w.programme, text="Revise la meta 1.")
        for year in (2026, 2027):
            services.programme_create(actor=None, agreement=w.agreement, year=year)
        with CaptureQueriesContext(connection) as many:
            response = client.get(reverse("workprogrammes:list"))
        assert response.content.decode().count("Programa 2026") == 1
        # session, user, memberships, the page's count and rows (annotated with goals and
        # pending observations, states joined), the states of the filter, the convenios the
        # person may open a programme for, and the header's: the same for one as for four
        assert len(few) == len(many), [q["sql"] for q in many.captured_queries]


class TestNew:
    def test_a_state_editor_opens_a_programme_and_a_bad_year_saves_nothing(
        self, client_for, national, durango, editor
    ):
        agreement = signed_agreement(national, durango)
        client = client_for(editor)
        page = client.get(reverse("workprogrammes:list")).content.decode()
        assert "Nuevo programa" in page
        response = client.post(
            reverse("workprogrammes:new"), {"agreement": agreement.pk, "year": "2030"}, follow=True
        )
        assert "El convenio no está vigente en 2030." in messages_of(response)
        assert not WorkProgramme.objects.exists()
        response = client.post(
            reverse("workprogrammes:new"), {"agreement": agreement.pk, "year": "2026"}
        )
        programme = WorkProgramme.objects.get()
        assert response.url == url("programme", programme)
        assert (programme.year, programme.stage) == (2026, Stage.DRAFT)

    def test_outsiders_cannot_pick_another_states_convenio_and_viewers_get_403(
        self, client_for, national, durango, outsider, viewer, zacatecas
    ):
        agreement = signed_agreement(national, durango)
        signed_agreement(national, zacatecas)
        data = {"agreement": agreement.pk, "year": "2026"}
        response = client_for(outsider).post(reverse("workprogrammes:new"), data, follow=True)
        assert "Convenio:" in messages_of(response)
        assert client_for(viewer).post(reverse("workprogrammes:new"), data).status_code == 403
        page = client_for(viewer).get(reverse("workprogrammes:list")).content.decode()
        assert "Programas anuales de trabajo" in page and "Nuevo programa" not in page
        assert not WorkProgramme.objects.exists()


class TestPage:
    def test_it_shows_goals_resources_and_the_stage_to_readers_only(
        self, client_for, national, durango, editor, viewer, outsider
    ):
        w = world(national, durango)
        page = client_for(viewer).get(url("programme", w.programme)).content.decode()
        assert "Programa de trabajo 2025 · Durango" in page
        assert "Listas de asistencia y constancias de la meta 1" in page
        assert "$100,000.00" in page and "$200,000.00" in page  # a goal and the total
        assert 'aria-current="step">En elaboración' in page
        assert reverse("audit:history", args=["programa", w.programme.code]) in page
        assert "Proponer el programa" not in page  # a viewer sees no action
        assert "Vencido" not in page  # no report is owed before the validation
        assert client_for(outsider).get(url("programme", w.programme)).status_code == 404
        assert client_for(viewer).get("/programas/no-es-clave/").status_code == 404
        page = client_for(editor).get(url("programme", w.programme)).content.decode()
        assert "Proponer el programa" in page and "Quitar" in page

    def test_each_goal_shows_its_number_and_whole_description_apart_from_its_resources(
        self, client_for, national, durango, coordinator
    ):
        w = world(national, durango)
        Goal.objects.filter(pk=w.goals[0].pk).update(description=LONG_GOAL)
        services.programme_propose(actor=None, programme=w.programme)
        page = client_for(coordinator).get(url("programme", w.programme)).content.decode()
        goals, resources = page.split('id="h-goal-resources"')
        assert 'id="meta-1">Meta 1<span class="visually-hidden">:</span>' in goals
        assert f'<span class="goal-description">{LONG_GOAL}</span>' in goals
        assert f"Meta 1: {LONG_GOAL}</option>" in page  # the observation's choice of goal
        assert '<td class="num nowrap">25.0 %</td>' in goals  # the schedule, never split
        assert "$100,000.00" not in goals  # the amounts have their own table
        resources = resources.split("</table>")[0]
        assert '<a href="#meta-1">Meta 1</a>' in resources
        assert "$100,000.00" in resources and "$200,000.00" in resources  # a goal, the total

    def test_a_synthetic_programme_says_so_beside_its_figures(
        self, client_for, national, durango, viewer
    ):
        w = world(national, durango)
        WorkProgramme.objects.filter(pk=w.programme.pk).update(is_synthetic=True)
        page = client_for(viewer).get(url("programme", w.programme)).content.decode()
        assert page.count("dato sintético") >= 3

    def test_the_page_takes_a_constant_number_of_queries(
        self, client_for, national, durango, editor, coordinator
    ):
        one = world(national, durango, goals=1)
        client = client_for(coordinator)
        validated(one.programme)
        with CaptureQueriesContext(connection) as few:
            client.get(url("programme", one.programme))
        many = world(national, durango, goals=4, year=2026)
        services.programme_propose(actor=None, programme=many.programme)
        for line in many.programme.lines.all():
            services.programme_observe(
                actor=coordinator, programme=many.programme, text="Precise.", line=line
            )
        services.programme_correct(actor=editor, programme=many.programme, answer="Listo.")
        services.programme_validate(actor=coordinator, programme=many.programme)
        with CaptureQueriesContext(connection) as lots:
            response = client.get(url("programme", many.programme))
        assert response.content.decode().count("Precise.") == 4
        # session, user, memberships, the programme with its convenio, its goals, observations,
        # reports, resources (goals and sums), and the header's: the same for one goal as for
        # four goals with four answered observations
        assert len(few) == len(lots), [q["sql"] for q in lots.captured_queries]


class TestGoals:
    def test_an_editor_adds_changes_and_removes_a_goal_line(
        self, client_for, national, durango, editor
    ):
        agreement = signed_agreement(national, durango, goals=2)
        programme = services.programme_create(actor=None, agreement=agreement, year=2026)
        goal = agreement.goals.get(number=2)
        client = client_for(editor)
        data = {
            "goal": goal.pk,
            "means_of_verification": "Constancias",
            "responsible_area": "Planeación",
            "planned_q2": "50",
            "planned_q4": "100",
            "federal_approved": "1,234.50",
        }
        response = client.post(url("line_new", programme), data)
        assert response.status_code == 302
        line = programme.lines.get()
        assert (line.goal, line.federal_approved, line.planned_q1) == (
            goal,
            Decimal("1234.50"),
            None,
        )
        page = client.get(url("programme", programme)).content.decode()
        assert "$1,234.50" in page
        edit = client.get(url("line_edit", programme, 2)).content.decode()
        assert 'value="1,234.5"' in edit
        client.post(url("line_edit", programme, 2), {**data, "federal_modified": "1000"})
        line.refresh_from_db()
        assert line.federal_modified == Decimal(1000)
        response = client.post(url("line_remove", programme, 2), follow=True)
        assert "Se quitó la meta 2 del programa." in messages_of(response)
        assert not programme.lines.exists()

    def test_a_schedule_that_goes_down_is_refused_and_saves_nothing(
        self, client_for, national, durango, editor
    ):
        w = world(national, durango)
        line = w.programme.lines.get(goal__number=1)
        response = client_for(editor).post(
            url("line_edit", w.programme, 1),
            {
                "goal": line.goal_id,
                "means_of_verification": "Otra cosa",
                "responsible_area": "Otra área",
                "planned_q1": "60",
                "planned_q2": "40",
                "planned_q4": "100",
            },
        )
        assert response.status_code == 200
        assert "no puede bajar de un trimestre al siguiente" in response.content.decode()
        line.refresh_from_db()
        assert line.means_of_verification.startswith("Listas de asistencia")

    def test_goals_are_kept_by_state_editors_while_the_programme_is_editable(
        self, client_for, national, durango, outsider, viewer, editor
    ):
        w = world(national, durango)
        remove = url("line_remove", w.programme, 1)
        assert client_for(outsider).post(remove).status_code == 404
        assert client_for(viewer).post(remove).status_code == 403
        assert client_for(viewer).get(url("line_edit", w.programme, 1)).status_code == 403
        assert client_for(editor).get(url("line_edit", w.programme, 9)).status_code == 404
        services.programme_propose(actor=None, programme=w.programme)
        response = client_for(editor).post(remove, follow=True)
        assert "sus metas solo cambian en elaboración u observado" in messages_of(response)
        assert ProgrammeLine.objects.filter(programme=w.programme).count() == 2


class TestStages:
    def test_propose_observe_one_goal_correct_and_validate(
        self, client_for, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        state, nation = client_for(editor), None
        response = state.post(url("propose", w.programme), follow=True)
        assert "Se propuso el programa" in messages_of(response)
        nation = client_for(coordinator)
        page = nation.get(url("programme", w.programme)).content.decode()
        assert "Validar el programa" in page and "Todo el programa" in page
        line = w.programme.lines.get(goal__number=2)
        nation.post(url("observe", w.programme), {"line": line.pk, "text": "Precise el área."})
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.OBSERVED
        state = client_for(editor)
        page = state.get(url("programme", w.programme)).content.decode()
        assert "Meta 2" in page and "Precise el área." in page and "Pendiente" in page
        response = state.post(url("correct", w.programme), {"answer": ""}, follow=True)
        assert "Qué corrigió" in messages_of(response)
        state.post(url("correct", w.programme), {"answer": "Se precisó el área."})
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.CORRECTED
        nation = client_for(coordinator)
        nation.post(url("validate", w.programme), {"note": ""})
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.VALIDATED
        page = nation.get(url("programme", w.programme)).content.decode()
        assert "Se precisó el área." in page and "Pendiente" not in page
        assert page.count("Vencido") == 4  # the 2025 reports are owed and late

    def test_an_empty_observation_is_refused_and_changes_nothing(
        self, client_for, national, durango, coordinator
    ):
        w = world(national, durango)
        services.programme_propose(actor=None, programme=w.programme)
        response = client_for(coordinator).post(
            url("observe", w.programme), {"line": "", "text": "  "}, follow=True
        )
        assert "Observación: Este campo es obligatorio." in messages_of(response)
        assert not Observation.objects.exists()
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.PROPOSED

    def test_state_actions_belong_to_state_editors_and_national_ones_to_validators(
        self, client_for, national, durango, editor, reviewer, viewer, outsider
    ):
        w = world(national, durango)
        for name, data in (
            ("propose", {}),
            ("correct", {"answer": "x"}),
            ("observe", {"text": "x"}),
            ("validate", {}),
            ("refund", {"amount": "1", "reference": "x", "on": "01/01/2026"}),
            ("minutes_add", {}),
            ("close", {}),
            ("period_reopen", {"reason": "x"}),
        ):
            assert client_for(outsider).post(url(name, w.programme), data).status_code == 404
            assert client_for(viewer).post(url(name, w.programme), data).status_code == 403
            assert client_for(viewer).get(url(name, w.programme)).status_code == 405
        # a state reviewer is not a national validator, nor a state editor
        assert client_for(reviewer).post(url("validate", w.programme)).status_code == 403
        assert client_for(editor).post(url("validate", w.programme)).status_code == 403
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.DRAFT


class TestClosure:
    def test_closing_is_refused_with_the_checklist_then_locks_the_year(
        self, client_for, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        closable(w, editor, reviewer, coordinator)
        nation = client_for(coordinator)
        response = nation.post(url("close", w.programme), {"note": ""}, follow=True)
        assert "No se puede cerrar: Acta de cierre firmada." in messages_of(response)
        page = response.content.decode()
        assert "Suba el acta de cierre firmada." in page
        state = client_for(editor)
        response = state.post(
            url("minutes_add", w.programme),
            {"file": SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf")},
            follow=True,
        )
        assert "Se subió el acta de cierre." in messages_of(response)
        document = w.programme.closing_documents.get()
        download = state.get(reverse("workprogrammes:minutes", args=[document.code]))
        assert download["Content-Disposition"].startswith("attachment")
        nation = client_for(coordinator)
        response = nation.post(url("close", w.programme), {"note": ""}, follow=True)
        assert "los periodos del año quedaron cerrados" in messages_of(response)
        page = response.content.decode()
        assert "los periodos de 2025 de los indicadores de sus metas están cerrados" in page
        assert "Reabrir un periodo para una corrección" in page
        w.programme.refresh_from_db()
        assert w.programme.stage == Stage.CLOSED

    def test_the_close_button_shows_only_once_the_checklist_holds(
        self, client_for, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango)
        closable(w, editor, reviewer, coordinator)
        button = f'action="{url("close", w.programme)}"'
        page = client_for(coordinator).get(url("programme", w.programme)).content.decode()
        assert "✗</span>" in page  # the minutes are missing
        assert button not in page
        assert "El botón para cerrar el programa aparece cuando se cumple toda la lista." in page
        page = client_for(editor).get(url("programme", w.programme)).content.decode()
        assert "La institución nacional cierra el programa cuando se cumple toda la lista." in page
        services.closing_document_add(
            actor=editor,
            programme=w.programme,
            upload=SimpleUploadedFile("acta.pdf", PDF_BYTES, content_type="application/pdf"),
            filename="acta.pdf",
        )
        page = client_for(coordinator).get(url("programme", w.programme)).content.decode()
        assert "✗</span>" not in page
        assert button in page and "Cerrar el programa</button>" in page
        assert "aparece cuando se cumple toda la lista" not in page

    def test_a_national_validator_reopens_one_period_with_a_reason(
        self, client_for, national, durango, editor, reviewer, coordinator, outsider
    ):
        w = world(national, durango)
        closable(w, editor, reviewer, coordinator)
        services.closing_document_add(
            actor=editor,
            programme=w.programme,
            upload=SimpleUploadedFile("acta.pdf", PDF_BYTES, content_type="application/pdf"),
            filename="acta.pdf",
        )
        services.programme_close(actor=coordinator, programme=w.programme)
        period = w.indicators[0].periods.get(label="2025-T2")
        client = client_for(coordinator)
        response = client.post(
            url("period_reopen", w.programme), {"period": period.pk, "reason": ""}, follow=True
        )
        assert "Motivo de la corrección: Este campo es obligatorio." in messages_of(response)
        period.refresh_from_db()
        assert period.locked
        assert client_for(editor).post(url("period_reopen", w.programme)).status_code == 403
        response = client_for(coordinator).post(
            url("period_reopen", w.programme),
            {"period": period.pk, "reason": "Error de captura en el dato."},
            follow=True,
        )
        assert "Se reabrió el periodo 2.º trimestre 2025" in messages_of(response)
        assert "Reabiertos para corrección" in response.content.decode()
        period.refresh_from_db()
        assert not period.locked

    def test_a_refund_without_reference_is_refused(
        self, client_for, national, durango, editor, coordinator
    ):
        w = world(national, durango)
        validated(w.programme)
        services.programme_start(actor=None, programme=w.programme)
        response = client_for(editor).post(
            url("refund", w.programme),
            {"amount": "1,000", "reference": "", "on": "10/01/2026"},
            follow=True,
        )
        assert "Referencia (línea de captura o folio): Este campo es obligatorio." in (
            messages_of(response)
        )
        w.programme.refresh_from_db()
        assert w.programme.refund_amount is None
        client_for(editor).post(
            url("refund", w.programme), {"amount": "1,000", "reference": "F-1", "on": "10/01/2026"}
        )
        w.programme.refresh_from_db()
        assert (w.programme.refund_amount, w.programme.refund_date) == (
            Decimal(1000),
            dt.date(2026, 1, 10),
        )
