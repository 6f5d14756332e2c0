"""Creating and changing a plan by hand: new, edit, archive, discard a pending import, history."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.models import ImportStatus, Plan, PlanImport, PlanKind, PlanStatus
from transversal.planning.services import alignment_create, item_update
from transversal.planning.tests.factories import make_plan

pytestmark = pytest.mark.django_db

PLAN_DATA = {
    "kind": PlanKind.STATE_EQUALITY_PROGRAM,
    "title": "Programa Estatal para la Igualdad 2023-2028",
    "issuer_name": "Gobierno del Estado de Durango",
    "start_year": "2023",
    "end_year": "2028",
}


class TestPlanNew:
    def url(self, institution):
        return reverse("planning:new", args=[institution.slug])

    def test_it_shows_the_form_to_an_editor(self, client_for, durango, editor):
        assert "Nuevo plan" in client_for(editor).get(self.url(durango)).content.decode()

    def test_it_hides_the_institution_from_outsiders(self, client_for, durango, outsider):
        assert client_for(outsider).post(self.url(durango), PLAN_DATA).status_code == 404
        assert not Plan.objects.exists()

    def test_it_refuses_read_only_members(self, client_for, durango, viewer):
        assert client_for(viewer).post(self.url(durango), PLAN_DATA).status_code == 403
        assert not Plan.objects.exists()

    def test_an_editor_creates_a_draft_in_the_institutions_state(self, client_for, durango, editor):
        before = AuditEvent.objects.count()
        response = client_for(editor).post(self.url(durango), PLAN_DATA)
        plan = Plan.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "planning:detail", args=[plan.code]
        )
        assert (plan.kind, plan.title, plan.issuer_name, plan.period) == (
            PlanKind.STATE_EQUALITY_PROGRAM,
            PLAN_DATA["title"],
            PLAN_DATA["issuer_name"],
            "2023-2028",
        )
        assert (plan.institution, plan.state, plan.status) == (
            durango,
            durango.state,
            PlanStatus.DRAFT,
        )
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.filter(verb="plan.create", actor=editor).count() == 1

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (
                {"kind": PlanKind.PND},
                "Los planes y programas nacionales los registra la institución nacional.",
            ),
            (
                {"start_year": "2028", "end_year": "2023"},
                "El año de término no puede ser anterior al de inicio.",
            ),
            ({"title": ""}, "Este campo es obligatorio."),
        ],
    )
    def test_bad_input_gets_a_spanish_message_and_writes_nothing(
        self, client_for, durango, editor, change, message
    ):
        before = AuditEvent.objects.count()
        response = client_for(editor).post(self.url(durango), {**PLAN_DATA, **change})
        assert response.status_code == 200 and message in response.content.decode()
        assert not Plan.objects.exists() and AuditEvent.objects.count() == before

    def test_the_national_institution_creates_national_programmes(
        self, client_for, national, coordinator
    ):
        data = {**PLAN_DATA, "kind": PlanKind.NATIONAL_PROGRAM, "issuer_name": ""}
        assert client_for(coordinator).post(self.url(national), data).status_code == 302
        assert Plan.objects.get().state is None

    def test_the_list_links_to_the_form_for_each_institution_the_person_edits(
        self, client_for, durango, editor
    ):
        assert (
            self.url(durango) in client_for(editor).get(reverse("planning:list")).content.decode()
        )


class TestPlanEdit:
    def url(self, plan):
        return reverse("planning:edit", args=[plan.code])

    def test_it_shows_the_current_values(self, client_for, durango, editor):
        html = (
            client_for(editor)
            .get(self.url(make_plan(durango, title="Programa vigente")))
            .content.decode()
        )
        assert 'value="Programa vigente"' in html

    def test_it_rejects_other_methods(self, client_for, durango, editor):
        assert client_for(editor).put(self.url(make_plan(durango))).status_code == 405

    def test_it_hides_the_plan_from_outsiders(self, client_for, durango, outsider):
        plan = make_plan(durango, publish=True)
        assert client_for(outsider).post(self.url(plan), PLAN_DATA).status_code == 404
        assert Plan.objects.get().title == "Programa de prueba"

    def test_it_refuses_read_only_members(self, client_for, durango, viewer):
        plan = make_plan(durango)
        assert client_for(viewer).post(self.url(plan), PLAN_DATA).status_code == 403
        assert Plan.objects.get().title == "Programa de prueba"

    def test_an_editor_changes_kind_title_issuer_and_years(self, client_for, durango, editor):
        plan = make_plan(durango)
        before = AuditEvent.objects.count()
        assert client_for(editor).post(self.url(plan), PLAN_DATA).status_code == 302
        plan.refresh_from_db()
        assert (plan.kind, plan.title, plan.issuer_name, plan.start_year, plan.end_year) == (
            PlanKind.STATE_EQUALITY_PROGRAM,
            PLAN_DATA["title"],
            PLAN_DATA["issuer_name"],
            2023,
            2028,
        )
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.get(verb="plan.update")
        assert event.changes["kind"] == [
            PlanKind.INSTITUTIONAL_PROGRAM,
            PlanKind.STATE_EQUALITY_PROGRAM,
        ]

    def test_a_kind_the_institution_may_not_keep_is_refused(self, client_for, durango, editor):
        plan = make_plan(durango)
        response = client_for(editor).post(
            self.url(plan), {**PLAN_DATA, "kind": PlanKind.NATIONAL_PROGRAM}
        )
        assert (
            "Los planes y programas nacionales los registra la institución nacional."
            in response.content.decode()
        )
        plan.refresh_from_db()
        assert (
            plan.kind == PlanKind.INSTITUTIONAL_PROGRAM
            and not AuditEvent.objects.filter(verb="plan.update").exists()
        )

    def test_saving_unchanged_values_writes_no_event(self, client_for, durango, editor):
        plan = make_plan(durango)
        data = {
            "kind": plan.kind,
            "title": plan.title,
            "issuer_name": "",
            "start_year": "2020",
            "end_year": "2024",
        }
        assert client_for(editor).post(self.url(plan), data).status_code == 302
        assert not AuditEvent.objects.filter(verb="plan.update").exists()

    def test_saving_unchanged_values_says_so_as_information_not_success(
        self, client_for, durango, editor
    ):
        plan = make_plan(durango)
        data = {
            "kind": plan.kind,
            "title": plan.title,
            "issuer_name": "",
            "start_year": "2020",
            "end_year": "2024",
        }
        page = client_for(editor).post(self.url(plan), data, follow=True).content.decode()
        assert '<p class="message info">No hubo cambios que guardar.</p>' in page


class TestPlanArchive:
    def url(self, plan):
        return reverse("planning:archive", args=[plan.code])

    def test_it_rejects_get(self, client_for, durango, editor):
        assert client_for(editor).get(self.url(make_plan(durango, publish=True))).status_code == 405

    def test_it_hides_the_plan_from_outsiders(self, client_for, durango, outsider):
        plan = make_plan(durango, publish=True)
        assert client_for(outsider).post(self.url(plan)).status_code == 404
        assert Plan.objects.get().status == PlanStatus.PUBLISHED

    def test_it_refuses_read_only_members(self, client_for, durango, viewer):
        plan = make_plan(durango, publish=True)
        assert client_for(viewer).post(self.url(plan)).status_code == 403
        assert Plan.objects.get().status == PlanStatus.PUBLISHED

    def test_an_editor_archives_and_the_plan_stays_public(self, client_for, durango, editor):
        plan = make_plan(durango, publish=True)
        before = AuditEvent.objects.count()
        assert client_for(editor).post(self.url(plan)).status_code == 302
        assert Plan.objects.get().status == PlanStatus.ARCHIVED
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.filter(verb="plan.archive", actor=editor).count() == 1
        assert client_for(None).get(reverse("planning:detail", args=[plan.code])).status_code == 200

    def test_the_plan_page_offers_edit_publish_and_archive_to_editors_only(
        self, client_for, durango, editor, viewer
    ):
        plan = make_plan(durango)
        url = reverse("planning:detail", args=[plan.code])
        html = client_for(editor).get(url).content.decode()
        for action in ("edit", "publish", "archive"):
            assert reverse(f"planning:{action}", args=[plan.code]) in html
        html = client_for(viewer).get(url).content.decode()
        assert reverse("planning:archive", args=[plan.code]) not in html
        assert reverse("audit:history", args=["plan", plan.code]) in html


def _pending(client, institution) -> PlanImport:
    text = b"Objetivo 1. Igualdad\n1.1 Promover la igualdad salarial.\n"
    client.post(
        reverse("planning:upload"),
        {
            "institution": institution.slug,
            "kind": "institutional_program",
            "document": SimpleUploadedFile("programa.txt", text),
        },
    )
    return PlanImport.objects.get()


class TestImportDiscard:
    def url(self, pending):
        return reverse("planning:import_discard", args=[pending.code])

    def test_it_rejects_get(self, client_for, durango, editor):
        client = client_for(editor)
        assert client.get(self.url(_pending(client, durango))).status_code == 405

    def test_it_hides_the_import_from_outsiders(self, client_for, durango, editor, outsider):
        pending = _pending(client_for(editor), durango)
        assert client_for(outsider).post(self.url(pending)).status_code == 404
        assert PlanImport.objects.get().status == ImportStatus.PENDING

    def test_it_refuses_read_only_members(self, client_for, durango, editor, viewer):
        pending = _pending(client_for(editor), durango)
        assert client_for(viewer).post(self.url(pending)).status_code == 403
        assert PlanImport.objects.get().status == ImportStatus.PENDING

    def test_an_editor_discards_and_the_preview_is_gone(self, client_for, durango, editor):
        client = client_for(editor)
        pending = _pending(client, durango)
        preview = reverse("planning:import_preview", args=[pending.code])
        assert self.url(pending) in client.get(preview).content.decode()
        before = AuditEvent.objects.count()
        assert client.post(self.url(pending)).status_code == 302
        assert (
            PlanImport.objects.get().status == ImportStatus.DISCARDED and not Plan.objects.exists()
        )
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.filter(verb="plan_import.discard", actor=editor).count() == 1
        assert client.get(preview).status_code == 404
        assert client.post(self.url(pending)).status_code == 404


class TestPlanHistory:
    def url(self, plan):
        return reverse("audit:history", args=["plan", plan.code])

    def test_it_lists_the_changes_to_the_plan_its_items_and_its_alignments(
        self, client_for, durango, national, editor
    ):
        plan = make_plan(durango, publish=True)
        other = make_plan(
            national, kind=PlanKind.NATIONAL_PROGRAM, publish=True, title="Programa nacional"
        )
        item_update(actor=editor, item=plan.items.get(code="1"), text="Texto revisado")
        alignment_create(
            actor=editor, from_item=plan.items.get(code="2"), to_item=other.items.get(code="1")
        )
        client_for(editor).post(reverse("planning:archive", args=[plan.code]))
        html = client_for(editor).get(self.url(plan)).content.decode()
        for verb in (
            "Creó el plan a partir de un documento",
            "Publicó el plan",
            "Cambió un elemento del plan",
            "Alineó un elemento",
            "Archivó el plan",
        ):
            assert verb in html
        assert "Texto revisado" in html
        # Another institution's published plan is public, and so is its public history: from its
        # publication on, without its import nor alignments (which may name draft plans).
        response = client_for(editor).get(self.url(other))
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            "Publicó el plan" in html
            and "Creó el plan a partir de un documento" not in html
            and "Alineó un elemento" not in html
        )

    def test_it_follows_the_plans_own_access_rules(self, client_for, durango, viewer, outsider):
        draft = make_plan(durango)
        assert client_for(viewer).get(self.url(draft)).status_code == 200
        assert client_for(outsider).get(self.url(draft)).status_code == 404
        assert client_for(None).get(self.url(draft)).status_code == 404
