"""Every write service leaves an audit event with its actor and what changed, in words the
history page can show.

The services are found by introspection: every public function defined in a
``transversal/<app>/services.py`` module. Each must either appear in ``RECIPES`` (a small
call on valid input) or in ``NOT_WRITES`` (with the reason it writes no audited data). A
service found in neither fails ``test_every_service_is_in_the_table``, so a new service
cannot ship without proving its audit trail.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import transversal
from transversal.audit.display import has_label
from transversal.audit.registry import verb_label
from transversal.testing import blank_pdf

# Public functions of services modules that are not audited writes, each with why.
NOT_WRITES: dict[str, str] = {
    "audit.audit_record": "the audit writer itself",
    "audit.audit_record_many": "the audit writer itself, for many events at once",
    "audit.snapshot": "pure helper: field values of an object",
    "audit.diff": "pure helper: changed fields between two snapshots",
    "api.token_authenticate": "read: finds the token; only touches last_used_at (bookkeeping)",
    "monitoring.compute_value": "pure calculation",
    "monitoring.check_breakdown": "validation helper, no writes",
    "monitoring.update_check": "pure check shared by update_save and the spreadsheet preview",
    "monitoring.submit_missing": "read: what a figure lacks before it can be sent to review",
    "monitoring.too_early": "predicate: why a period's figure may not be sent yet",
    "monitoring.evidence_twins": "read: a queryset",
    "monitoring.rollups_refresh": (
        "derived roll-up columns recomputed inside update_approve (audited there)"
    ),
    "monitoring.workload_refresh": (
        "derived counts (pending, overdue) recomputed inside audited services and daily"
    ),
    "planning.draft_to_json": "pure conversion",
    "planning.draft_from_json": "pure conversion",
    "planning.flat_to_tree": "pure conversion",
    "planning.active_alignments": "read: a queryset",
    "reports.report_generate": "writes a file to a path the caller gives; no database rows",
    "reports.report_job_run": "background runner of a job whose request report_job_create audits",
    "reports.can_request_report": "predicate",
    "reports.requestable_states": "read",
    "reports.is_stale": "predicate",
    "coordination.folio_for": "pure: an acuerdo's number in its system's format",
    "coordination.session_members": "read: a queryset",
    "followup.followup_create": "called inside the subject's create service, which audits it",
    "followup.verify_refusal": "predicate: why a person may not verify an item (four eyes)",
    "accounts.register_last_membership_ended": (
        "start-up registration of a callback; writes nothing"
    ),
    "monitoring.on_approval": "start-up registration of an approval hook; writes nothing",
    "improvement.red_run": "read: the run of consecutive red periods around a period",
    "improvement.finding_propose": (
        "the system's proposal, audited as finding.propose without a person "
        "(improvement/tests/test_services.py)"
    ),
    "improvement.findings_propose_for_update": "approval hook calling finding_propose",
    "improvement.findings_propose_all": "sweep calling finding_propose",
    "planning.legal_form_choice": "pure: the registry's legal form for a document's words",
    "registers.check_personal_data": "check: refuses free text that looks like personal data",
    "genderstats.imports_expire": (
        "the system's sweep of expired previews, audited as statimport.expire without a person "
        "(genderstats/tests/test_imports_expire.py)"
    ),
    "workprogrammes.relock_after_correction": (
        "approval hook calling monitoring.periods_lock, audited there as period.lock without "
        "a person"
    ),
}

# Services that write several objects through other services, so they leave more than one event:
# the minimum is documented here (the others leave exactly one).
AT_LEAST: dict[str, tuple[int, str]] = {
    # A new person: user.create, then membership.add.
    "accounts.membership_add": (2, "user.create and membership.add for a new account"),
    # institution.update (profile) and institution.rename (a different current name).
    "planning.profile_import_apply": (2, "institution.update and institution.rename"),
    # update.create or update.save, then update.submit.
    "monitoring.update_save_and_submit": (2, "update.save and update.submit"),
    # One institution.create per state institute created, one institution.rename per later name.
    "institutions.state_institutes_load": (30, "institution.create and institution.rename"),
    # plan.import and plan.publish for each national framework created.
    "planning.national_frameworks_load": (4, "plan.import and plan.publish, per framework"),
    "planning.profile_apply": (
        2,
        "institution.update and institution.rename, through profile_import_apply",
    ),
    # The year's reporting periods lock (monitoring.periods_lock: one period.lock each), then
    # programme.close; the recipe's programme has one goal measured quarterly: 4 + 1.
    "workprogrammes.programme_close": (5, "one period.lock per period, then programme.close"),
}


def discover() -> dict[str, Callable]:
    found = {}
    for info in pkgutil.iter_modules(transversal.__path__):
        try:
            module = importlib.import_module(f"transversal.{info.name}.services")
        except ModuleNotFoundError as exc:
            if exc.name == f"transversal.{info.name}.services":
                continue
            raise
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and func.__module__ == module.__name__:
                found[f"{info.name}.{name}"] = func
    return found


# --- The world each recipe starts from -----------------------------------------------------


class W:
    """Lazily built objects for the recipes (one per test)."""

    def __init__(self, national, durango, zacatecas, actor):
        self.national, self.durango, self.zacatecas, self.actor = (
            national,
            durango,
            zacatecas,
            actor,
        )

    def plan(self, publish=False):
        from transversal.planning.tests.factories import make_plan

        return make_plan(self.durango, publish=publish)

    def agreement(self, status="draft"):
        from transversal.agreements.models import AgreementStatus
        from transversal.agreements.services import agreement_create, agreement_transition

        agreement = agreement_create(
            actor=None,
            national_institution=self.national,
            state_institution=self.durango,
            title="Convenio",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2025, 12, 31),
        )
        if status == "signed":
            agreement_transition(
                actor=None,
                agreement=agreement,
                to_status=AgreementStatus.SIGNED,
                on=dt.date(2025, 1, 2),
            )
        return agreement

    def indicator(self):
        from transversal.monitoring.tests.factories import indicator_with_calendar

        return indicator_with_calendar(self.durango)

    def update(self, status="draft"):
        from transversal.monitoring.tests import factories

        return getattr(factories, status)(self.indicator())

    def profile(self):
        from types import SimpleNamespace

        creation = SimpleNamespace(
            law_name="Decreto de creación", kind="", number="12", date=None, gazette=""
        )
        return SimpleNamespace(
            creation=creation,
            mission="Nueva misión",
            vision="",
            objectives=["Objetivo"],
            current_name="Instituto Renombrado de las Mujeres",
        )


def _pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, blank_pdf("documento"), content_type="application/pdf")


def _draft_plan():
    from transversal.planning.ingest import DraftItem, DraftPlan

    return DraftPlan(
        "Programa", 2025, 2030, [DraftItem(code="1", level="objective", text="Objetivo")]
    )


def _membership(w, role):
    from transversal.accounts.models import Membership
    from transversal.conftest import make_member

    user = make_member(f"otra.{role}@prueba.test", w.durango, role)
    return Membership.objects.get(user=user)


def _alignment(w):
    from transversal.planning.services import alignment_create

    first, second = w.plan(), w.plan()
    return alignment_create(actor=None, from_item=first.items.first(), to_item=second.items.first())


def _agreement_child(w, make):
    return make(w.agreement())


def _user_with_token(w):
    user = _membership(w, "editor").user
    _svc("api").token_create(actor=user, name="integración")
    return user


def _system(w):
    from transversal.coordination.tests.factories import make_system

    return make_system(w.durango, members=[w.zacatecas])


def _session(w, held=False, signed=False):
    from transversal.coordination.tests.factories import make_session

    session = make_session(_system(w), dt.date(2026, 2, 10))
    if held or signed:
        _svc("coordination").session_hold(actor=None, session=session)
    if signed:  # its signed acta fixes it
        _svc("coordination").minutes_upload(
            actor=None, session=session, upload=_pdf("acta.pdf"), filename="acta.pdf"
        )
    return session


def _as_durango_admin(w, a):
    """The actor, also an admin of Durango's institute (the system's secretariat)."""
    from transversal.accounts.access import forget_scope
    from transversal.accounts.models import Membership, Role

    Membership.objects.create(user=a, institution=w.durango, role=Role.ADMIN)
    forget_scope(a)
    return a


def _followup(w, *, noted=False, status=None):
    from transversal.coordination.tests.factories import make_resolution

    item = make_resolution(_session(w), w.zacatecas).followup
    if noted:
        _svc("followup").followup_note_add(actor=None, item=item, text="Avance")
    if status == "done":
        _svc("followup").followup_mark_done(actor=None, item=item)
    elif status == "cancelled":
        _svc("followup").followup_cancel(actor=None, item=item, reason="Ya no aplica")
    return item


def _coordination_recipes() -> dict[str, Callable]:
    c, f = (lambda: _svc("coordination")), (lambda: _svc("followup"))
    return {
        "coordination.system_create": lambda w, a: c().system_create(
            actor=a,
            name="Sistema Estatal",
            acronym="SE",
            topic="violence",
            level="state",
            secretariat=w.durango,
            legal_instrument="Ley estatal",
        ),
        "coordination.system_update": lambda w, a: c().system_update(
            actor=a, system=_system(w), presidency="Gobernadora del Estado"
        ),
        "coordination.member_add": lambda w, a: c().member_add(
            actor=a,
            system=_system(w),
            name="Universidad",
            sector="academia",
            joined_on=dt.date(2025, 1, 1),
        ),
        "coordination.member_end": lambda w, a: c().member_end(
            actor=a, member=_system(w).members.last(), left_on=dt.date(2026, 1, 1), reason="Baja"
        ),
        "coordination.commission_add": lambda w, a: c().commission_add(
            actor=a, system=_system(w), name="Comisión de Seguimiento"
        ),
        "coordination.session_schedule": lambda w, a: c().session_schedule(
            actor=a, system=_system(w), kind="ordinary", date=dt.date(2026, 3, 1)
        ),
        "coordination.agenda_add": lambda w, a: c().agenda_add(
            actor=a, session=_session(w), text="Lista de asistencia"
        ),
        "coordination.attendance_record": lambda w, a: c().attendance_record(
            actor=a,
            session=(s := _session(w)),
            present={s.system.members.first().pk},
            represented_by={},
        ),
        "coordination.session_hold": lambda w, a: c().session_hold(actor=a, session=_session(w)),
        "coordination.session_cancel": lambda w, a: c().session_cancel(
            actor=a, session=_session(w), reason="Sin quórum previsto"
        ),
        "coordination.minutes_upload": lambda w, a: c().minutes_upload(
            actor=a, session=_session(w, held=True), upload=_pdf("acta.pdf"), filename="acta.pdf"
        ),
        "coordination.session_reopen": lambda w, a: c().session_reopen(
            actor=_as_durango_admin(w, a), session=_session(w, signed=True), reason="Corrección"
        ),
        "coordination.resolution_add": lambda w, a: c().resolution_add(
            actor=a, session=_session(w), text="Acuerdo", owner=w.zacatecas
        ),
        "coordination.resolution_link": lambda w, a: c().resolution_link(
            actor=a,
            resolution=_followup(w).resolution,
            plan_items=[w.plan().items.first()],
        ),
        "followup.followup_note_add": lambda w, a: f().followup_note_add(
            actor=a, item=_followup(w), text="Avance"
        ),
        "followup.followup_evidence_add": lambda w, a: f().followup_evidence_add(
            actor=a, item=_followup(w), upload=_pdf("avance.pdf"), filename="avance.pdf"
        ),
        "followup.followup_mark_done": lambda w, a: f().followup_mark_done(
            actor=a, item=_followup(w, noted=True)
        ),
        "followup.followup_verify": lambda w, a: f().followup_verify(
            actor=a, item=_followup(w, noted=True)
        ),
        "followup.followup_cancel": lambda w, a: f().followup_cancel(
            actor=a, item=_followup(w), reason="Ya no aplica"
        ),
        "followup.followup_reopen": lambda w, a: f().followup_reopen(
            actor=a, item=_followup(w, status="cancelled"), reason="Se retoma"
        ),
    }


def _evaluation(w):
    return _svc("improvement").evaluation_create(
        actor=None,
        institution=w.durango,
        year=2026,
        kind="external",
        title="Evaluación externa",
        evaluator="Universidad",
        started_on=dt.date(2026, 2, 1),
    )


def _finding(w, proposed=False):
    i = _svc("improvement")
    if not proposed:
        return i.finding_add(
            actor=None, institution=w.durango, evaluation=_evaluation(w), text="Hallazgo"
        )
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    indicator = indicator_with_calendar(w.durango, name="Indicador en rojo")
    approved(indicator, "2025-T1", Decimal(5))
    approved(indicator, "2025-T2", Decimal(5))  # the approval hook proposes the finding
    return importlib.import_module("transversal.improvement.models").Finding.objects.get(
        indicator=indicator
    )


def _awaiting_validation(w):
    """A report its state approved, waiting for the national validation."""
    from transversal.monitoring.tests.factories import indicator_with_calendar, validating

    return validating(indicator_with_calendar(w.durango, national_validation=True))


def _closed_period(w):
    period = w.indicator().periods.get(label="2025-T1")
    _svc("monitoring").periods_lock(actor=None, periods=[period], reason="Cierre del año")
    period.refresh_from_db()
    return period


def _harmonization_recipes() -> dict[str, Callable]:
    from transversal.harmonization.tests.factories import CITED, cell, provision

    h = lambda: _svc("harmonization")  # noqa: E731

    def durango_editor(w, email="captura.armonizacion@prueba.test"):
        from transversal.accounts.models import Role
        from transversal.conftest import make_member

        return make_member(email, w.durango, Role.EDITOR)

    def as_durango_editor(w, a):
        from transversal.accounts.access import forget_scope
        from transversal.accounts.models import Membership, Role

        Membership.objects.create(user=a, institution=w.durango, role=Role.EDITOR)
        forget_scope(a)
        return a

    def proposal(w):
        return h().cell_propose(actor=durango_editor(w), cell=cell(provision()), **CITED)

    return {
        "harmonization.provision_add": lambda w, a: h().provision_add(
            actor=a,
            slug="matrimonio-infantil",
            title="Prohibición del matrimonio infantil",
            topic="child_marriage",
            federal_source="Código Civil Federal",
        ),
        "harmonization.provision_update": lambda w, a: h().provision_update(
            actor=a,
            provision=provision(),
            title="Otro título",
            topic="political_violence",
            federal_source="Ley General de Acceso",
        ),
        "harmonization.cell_set": lambda w, a: h().cell_set(
            actor=a, cell=cell(provision()), **CITED
        ),
        "harmonization.cell_propose": lambda w, a: h().cell_propose(
            actor=as_durango_editor(w, a), cell=cell(provision()), **CITED
        ),
        "harmonization.proposal_accept": lambda w, a: h().proposal_accept(
            actor=a, proposal=proposal(w)
        ),
        "harmonization.proposal_return": lambda w, a: h().proposal_return(
            actor=a, proposal=proposal(w), reason="Falta el artículo"
        ),
    }


def _improvement_recipes() -> dict[str, Callable]:
    i = lambda: _svc("improvement")  # noqa: E731
    return {
        "improvement.evaluation_create": lambda w, a: i().evaluation_create(
            actor=a,
            institution=w.durango,
            year=2026,
            kind="design",
            title="Evaluación de diseño",
            evaluator="Consultora",
            started_on=dt.date(2026, 1, 15),
        ),
        "improvement.evaluation_scope_set": lambda w, a: i().evaluation_scope_set(
            actor=a, evaluation=_evaluation(w), plans=[w.plan()]
        ),
        "improvement.evaluation_report_add": lambda w, a: i().evaluation_report_add(
            actor=a, evaluation=_evaluation(w), upload=_pdf("informe.pdf"), filename="informe.pdf"
        ),
        "improvement.finding_add": lambda w, a: i().finding_add(
            actor=a, institution=w.durango, evaluation=_evaluation(w), text="Hallazgo"
        ),
        "improvement.finding_accept": lambda w, a: i().finding_accept(
            actor=a, finding=_finding(w, proposed=True)
        ),
        "improvement.finding_dismiss": lambda w, a: i().finding_dismiss(
            actor=a, finding=_finding(w, proposed=True), reason="Dato capturado con error"
        ),
        "improvement.action_add": lambda w, a: i().action_add(
            actor=a,
            finding=_finding(w),
            text="Actualizar los lineamientos",
            kind="institutional",
            priority="high",
            owner=w.durango,
            due_date=dt.date(2026, 10, 31),
        ),
        "improvement.model_components_set": lambda w, a: i().model_components_set(
            actor=a, institution=w.durango, year=2026, plans=[w.plan()]
        ),
    }


def _programme(w, stage="draft"):
    """A 2025 programme of a Durango convenio with one goal measured by a quarterly indicator
    (workprogrammes/tests/factories.py), taken to ``stage`` without a person."""
    from transversal.workprogrammes.tests.factories import validated, world

    wp = _svc("workprogrammes")
    programme = world(w.national, w.durango, goals=1).programme
    if stage in ("proposed", "observed"):
        wp.programme_propose(actor=None, programme=programme)
    if stage == "observed":
        wp.programme_observe(actor=None, programme=programme, text="Precise los medios")
    if stage in ("validated", "in_execution"):
        validated(programme)
    if stage == "in_execution":
        wp.programme_start(actor=None, programme=programme)
    programme.refresh_from_db()
    return programme


def _report_lines(programme, **values):
    return {line.pk: values for line in programme.lines.all()}


def _report(w, sent=False):
    """The first quarter's report of a programme in execution (its deviation justified)."""
    wp = _svc("workprogrammes")
    programme = _programme(w, "in_execution")
    report = wp.report_save(
        actor=None,
        programme=programme,
        quarter=1,
        narrative="Avance del trimestre",
        lines=_report_lines(programme, justification="Sin avance aprobado todavía"),
    )
    return wp.report_send(actor=None, report=report) if sent else report


def _closable(w):
    """Every period approved and validated, four reports received with the federal funds
    exercised in full and the closing minutes uploaded: only the closure is left."""
    from transversal.monitoring.tests.factories import approved

    wp = _svc("workprogrammes")
    programme = _programme(w, "validated")
    indicator = programme.lines.get().goal.indicators.get()
    for quarter in (1, 2, 3, 4):
        approved(indicator, f"2025-T{quarter}", Decimal(10))
        report = wp.report_save(
            actor=None,
            programme=programme,
            quarter=quarter,
            narrative="",
            lines=_report_lines(programme, federal_exercised="25000"),
        )
        wp.report_send(actor=None, report=report)
        wp.report_acknowledge(actor=None, report=report)
    wp.closing_document_add(
        actor=None, programme=programme, upload=_pdf("acta.pdf"), filename="acta.pdf"
    )
    return programme


def _signed_agreement(w):
    """A signed Durango convenio in force 2025–2027 with one goal."""
    from transversal.workprogrammes.tests.factories import signed_agreement

    return signed_agreement(w.national, w.durango, goals=1)


def _assistance_request(w):
    agreement = _signed_agreement(w)
    return _svc("workprogrammes").assistance_request_add(
        actor=None, agreement=agreement, topic="Indicadores de género", goals=agreement.goals.all()
    )


def _workprogramme_recipes() -> dict[str, Callable]:
    wp = lambda: _svc("workprogrammes")  # noqa: E731

    def line_add(w, a):
        from transversal.workprogrammes.tests.factories import line_values

        agreement = _signed_agreement(w)
        programme = wp().programme_create(actor=None, agreement=agreement, year=2025)
        return wp().line_save(
            actor=a, programme=programme, goal=agreement.goals.get(), **line_values()
        )

    return {
        "workprogrammes.programme_create": lambda w, a: wp().programme_create(
            actor=a, agreement=_signed_agreement(w), year=2025
        ),
        "workprogrammes.line_save": line_add,
        "workprogrammes.line_remove": lambda w, a: wp().line_remove(
            actor=a, line=_programme(w).lines.get()
        ),
        "workprogrammes.programme_propose": lambda w, a: wp().programme_propose(
            actor=a, programme=_programme(w)
        ),
        "workprogrammes.programme_observe": lambda w, a: wp().programme_observe(
            actor=a, programme=_programme(w, "proposed"), text="Precise los medios"
        ),
        "workprogrammes.programme_correct": lambda w, a: wp().programme_correct(
            actor=a, programme=_programme(w, "observed"), answer="Medios precisados"
        ),
        "workprogrammes.programme_validate": lambda w, a: wp().programme_validate(
            actor=a, programme=_programme(w, "proposed")
        ),
        "workprogrammes.programme_start": lambda w, a: wp().programme_start(
            actor=a, programme=_programme(w, "validated")
        ),
        "workprogrammes.report_save": lambda w, a: wp().report_save(
            actor=a,
            programme=(p := _programme(w, "in_execution")),
            quarter=1,
            narrative="Avance del trimestre",
            lines=_report_lines(p, federal_exercised="25000", justification="Retraso"),
        ),
        "workprogrammes.report_send": lambda w, a: wp().report_send(actor=a, report=_report(w)),
        "workprogrammes.report_acknowledge": lambda w, a: wp().report_acknowledge(
            actor=a, report=_report(w, sent=True)
        ),
        "workprogrammes.report_observe": lambda w, a: wp().report_observe(
            actor=a, report=_report(w, sent=True), text="Falta la narrativa"
        ),
        "workprogrammes.refund_record": lambda w, a: wp().refund_record(
            actor=a,
            programme=_programme(w, "in_execution"),
            amount="20000",
            reference="TESOFE 0001",
            on=dt.date(2026, 1, 10),
        ),
        "workprogrammes.closing_document_add": lambda w, a: wp().closing_document_add(
            actor=a,
            programme=_programme(w, "in_execution"),
            upload=_pdf("acta.pdf"),
            filename="acta.pdf",
        ),
        "workprogrammes.programme_close": lambda w, a: wp().programme_close(
            actor=a, programme=_closable(w)
        ),
        "workprogrammes.assistance_request_add": lambda w, a: wp().assistance_request_add(
            actor=a,
            agreement=(ag := _signed_agreement(w)),
            topic="Indicadores de género",
            goals=ag.goals.all(),
        ),
        "workprogrammes.assistance_request_link": lambda w, a: wp().assistance_request_link(
            actor=a,
            request=_assistance_request(w),
            assistance=_svc("agreements").assistance_record(
                actor=None,
                recipient=w.durango,
                topic="Indicadores de género",
                modality="virtual",
                date=dt.date(2026, 3, 1),
                hours=Decimal(3),
                provider_name="Inmujeres",
            ),
        ),
    }


def _registers_recipes() -> dict[str, Callable]:
    r = lambda: _svc("registers")  # noqa: E731

    def training(w):
        from transversal.registers.tests.entry_world import training

        return training(w.durango)

    def indicator(w):
        from transversal.registers.tests.feed_factories import fed_indicator

        return fed_indicator(w.durango, register=None)

    def fed(w):
        from transversal.registers.tests.feed_factories import fed_indicator

        return fed_indicator(w.durango)

    return {
        "registers.entry_save": lambda w, a: r().entry_save(
            actor=a,
            register="service",
            institution=w.durango,
            month=dt.date(2026, 3, 1),
            service_type="legal",
            women=10,
            attentions=12,
        ),
        "registers.entries_create_many": lambda w, a: r().entries_create_many(
            actor=a,
            register="service",
            institution=w.durango,
            rows=[({"month": dt.date(2026, 4, 1), "service_type": "legal", "attentions": 1}, None)],
        ),
        "registers.entry_delete": lambda w, a: r().entry_delete(
            actor=a, entry=training(w), reason="Capturado dos veces"
        ),
        "registers.evidence_add": lambda w, a: r().evidence_add(
            actor=a, entry=training(w), upload=_pdf("lista.pdf"), filename="lista.pdf"
        ),
        "registers.feed_save": lambda w, a: r().feed_save(
            actor=a, indicator=indicator(w), register="training", aggregation="people"
        ),
        "registers.feed_remove": lambda w, a: r().feed_remove(actor=a, indicator=fed(w)),
    }


def _genderstats_recipes() -> dict[str, Callable]:
    from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

    g = lambda: _svc("genderstats")  # noqa: E731

    def preview_as(actor):
        make_indicator("poblacion-ocupada", measure="conteo", unit="Personas")
        return g().import_preview(
            actor=actor,
            upload=csv_file(
                [HEADER, "poblacion-ocupada,2024,10,mujeres,,310500,Personas,ENDIREH,,,"]
            ),
            filename="estadisticas.csv",
        )

    def previewed(w):
        return preview_as(None)

    return {
        "genderstats.import_preview": lambda w, a: preview_as(a),
        "genderstats.source_save": lambda w, a: g().source_save(
            actor=a,
            slug="enoe-2024",
            name="ENOE",
            publisher="INEGI",
            edition="2024",
            year=2024,
            table="Cuadro 2",
            url="https://www.inegi.org.mx/programas/enoe/",
        ),
        "genderstats.indicator_save": lambda w, a: g().indicator_save(
            actor=a,
            indicator=make_indicator(),
            name="Otro nombre",
            unit="Personas",
            measure="conteo",
        ),
        "genderstats.import_apply": lambda w, a: g().import_apply(
            actor=a, stat_import=previewed(w)
        ),
        "genderstats.import_discard": lambda w, a: g().import_discard(
            actor=a, stat_import=previewed(w)
        ),
        "planning.item_baseline_source_set": lambda w, a: _svc("planning").item_baseline_source_set(
            actor=a, item=w.plan().items.first(), source=make_indicator()
        ),
        "monitoring.indicator_baseline_source_set": lambda w, a: _svc(
            "monitoring"
        ).indicator_baseline_source_set(actor=a, indicator=w.indicator(), source=make_indicator()),
    }


# service -> recipe(w, actor) performing one valid call.
RECIPES: dict[str, Callable] = {
    "accounts.user_create": lambda w, a: _svc("accounts").user_create(
        actor=a, email="nueva@prueba.test", full_name="Nueva Persona"
    ),
    "accounts.membership_add": lambda w, a: _svc("accounts").membership_add(
        actor=a,
        institution=w.durango,
        email="invitada@prueba.test",
        full_name="Invitada",
        role="viewer",
    ),
    "accounts.membership_change_role": lambda w, a: _svc("accounts").membership_change_role(
        actor=a, membership=_membership(w, "viewer"), role="editor"
    ),
    "accounts.membership_end": lambda w, a: _svc("accounts").membership_end(
        actor=a, membership=_membership(w, "viewer")
    ),
    "api.token_create": lambda w, a: _svc("api").token_create(actor=a, name="integración"),
    "api.token_revoke": lambda w, a: _svc("api").token_revoke(
        actor=a, token=_svc("api").token_create(actor=_membership(w, "editor").user, name="x")[0]
    ),
    "api.token_revoke_all": lambda w, a: _svc("api").token_revoke_all(
        actor=a, user=_user_with_token(w), note="Prueba"
    ),
    "api.revoke_tokens_of_former_member": lambda w, a: _svc("api").revoke_tokens_of_former_member(
        actor=a, user=_user_with_token(w)
    ),
    "institutions.institution_create": lambda w, a: _svc("institutions").institution_create(
        actor=a, slug="nueva-institucion", kind="state_imef", state=w.durango.state, name="Nueva"
    ),
    "institutions.institution_register": lambda w, a: _svc("institutions").institution_register(
        actor=a, kind="state_agency", state=w.durango.state, name="Secretaría de Salud"
    ),
    "institutions.state_institutes_load": lambda w, a: _svc("institutions").state_institutes_load(
        actor=a
    ),
    "institutions.institution_update_profile": lambda w, a: _svc(
        "institutions"
    ).institution_update_profile(actor=a, institution=w.durango, mission="Una misión nueva"),
    "institutions.institution_name_add": lambda w, a: _svc("institutions").institution_name_add(
        actor=a, institution=w.durango, name="Instituto Renombrado", valid_from=dt.date(2025, 1, 1)
    ),
    "institutions.institution_name_add_past": lambda w, a: _svc(
        "institutions"
    ).institution_name_add_past(
        actor=a,
        institution=w.durango,
        name="Instituto Estatal de la Mujer",
        valid_from=dt.date(1998, 3, 8),
        legal_form="decentralized",
        source="Decreto de creación",
    ),
    "agreements.agreement_create": lambda w, a: _svc("agreements").agreement_create(
        actor=a,
        national_institution=w.national,
        state_institution=w.durango,
        title="Convenio nuevo",
    ),
    "agreements.agreement_update": lambda w, a: _svc("agreements").agreement_update(
        actor=a, agreement=w.agreement(), title="Otro título"
    ),
    "agreements.agreement_transition": lambda w, a: _svc("agreements").agreement_transition(
        actor=a, agreement=w.agreement(), to_status="signed", on=dt.date(2025, 1, 2)
    ),
    "agreements.amendment_add": lambda w, a: _svc("agreements").amendment_add(
        actor=a,
        agreement=w.agreement("signed"),
        signed_on=dt.date(2025, 2, 1),
        summary="Cambio",
        document=_pdf(),
    ),
    "agreements.signatory_add": lambda w, a: _svc("agreements").signatory_add(
        actor=a,
        agreement=w.agreement(),
        side="state_government",
        charge="Gobernador Constitucional del Estado",
    ),
    "agreements.commitment_add": lambda w, a: _svc("agreements").commitment_add(
        actor=a, agreement=w.agreement(), party="state", text="Compromiso"
    ),
    "agreements.commitment_update": lambda w, a: _svc("agreements").commitment_update(
        actor=a,
        commitment=_agreement_child(
            w,
            lambda ag: _svc("agreements").commitment_add(
                actor=None, agreement=ag, party="state", text="Antes"
            ),
        ),
        text="Después",
    ),
    "agreements.goal_add": lambda w, a: _svc("agreements").goal_add(
        actor=a, agreement=w.agreement(), number=1, description="Meta"
    ),
    "agreements.goal_update": lambda w, a: _svc("agreements").goal_update(
        actor=a,
        goal=_agreement_child(
            w,
            lambda ag: _svc("agreements").goal_add(
                actor=None, agreement=ag, number=1, description="Antes"
            ),
        ),
        description="Después",
    ),
    "agreements.assistance_record": lambda w, a: _svc("agreements").assistance_record(
        actor=a,
        recipient=w.durango,
        topic="Presupuesto con perspectiva de género",
        modality="virtual",
        date=dt.date(2025, 3, 1),
        hours=Decimal(3),
        provider_name="Inmujeres",
    ),
    "monitoring.indicator_create": lambda w, a: _svc("monitoring").indicator_create(
        actor=a,
        owner=w.durango,
        name="Indicador",
        unit="personas",
        measure="count",
        frequency="quarterly",
        direction="ascending",
    ),
    "monitoring.indicator_update": lambda w, a: _svc("monitoring").indicator_update(
        actor=a, indicator=w.indicator(), name="Otro nombre"
    ),
    "monitoring.periods_generate": lambda w, a: _svc("monitoring").periods_generate(
        actor=a, indicator=w.indicator(), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    ),
    "monitoring.targets_update": lambda w, a: _svc("monitoring").targets_update(
        actor=a, indicator=w.indicator(), targets={"2025-T1": Decimal(150)}
    ),
    "monitoring.update_save": lambda w, a: _svc("monitoring").update_save(
        actor=a,
        period=w.indicator().periods.get(label="2025-T1"),
        expected_version=None,
        value=Decimal(90),
    ),
    "monitoring.update_save_and_submit": lambda w, a: _svc("monitoring").update_save_and_submit(
        actor=a,
        period=w.indicator().periods.get(label="2025-T1"),
        expected_version=None,
        value=Decimal(90),
    ),
    "monitoring.update_submit": lambda w, a: (
        lambda u: _svc("monitoring").update_submit(actor=a, update=u, expected_version=u.version)
    )(w.update("draft")),
    "monitoring.updates_submit_many": lambda w, a: _svc("monitoring").updates_submit_many(
        actor=a, updates=[w.update("draft")]
    ),
    "accounts.notifications_send": lambda w, a: _svc("accounts").notifications_send(
        actor=a, recipients=[a.email], subject="Avance enviado a revisión"
    ),
    "accounts.notifications_mark_read": lambda w, a: (
        _svc("accounts").notifications_send(recipients=[a.email], subject="Aviso"),
        _svc("accounts").notifications_mark_read(actor=a),
    ),
    "monitoring.update_return": lambda w, a: _svc("monitoring").update_return(
        actor=a, update=w.update("submitted"), comment="Falta la fuente"
    ),
    "monitoring.update_approve": lambda w, a: _svc("monitoring").update_approve(
        actor=a, update=w.update("submitted")
    ),
    "monitoring.update_validate": lambda w, a: _svc("monitoring").update_validate(
        actor=a, update=_awaiting_validation(w)
    ),
    "monitoring.periods_lock": lambda w, a: _svc("monitoring").periods_lock(
        actor=a, periods=w.indicator().periods.filter(label="2025-T1"), reason="Cierre del año"
    ),
    "monitoring.period_reopen": lambda w, a: _svc("monitoring").period_reopen(
        actor=a, period=_closed_period(w), reason="Corrección de la entidad"
    ),
    "monitoring.update_correct": lambda w, a: _svc("monitoring").update_correct(
        actor=a, update=w.update("approved"), reason="Error de captura"
    ),
    "monitoring.comment_add": lambda w, a: _svc("monitoring").comment_add(
        actor=a, update=w.update("draft"), text="Revisar la cifra"
    ),
    "monitoring.evidence_add": lambda w, a: _svc("monitoring").evidence_add(
        actor=a, update=w.update("draft"), upload=blank_pdf("evidencia"), filename="evidencia.pdf"
    ),
    "planning.plan_create": lambda w, a: _svc("planning").plan_create(
        actor=a, institution=w.durango, kind="institutional_program", title="Programa"
    ),
    "planning.plan_update": lambda w, a: _svc("planning").plan_update(
        actor=a, plan=w.plan(), title="Otro"
    ),
    "planning.plan_publish": lambda w, a: _svc("planning").plan_publish(actor=a, plan=w.plan()),
    "planning.national_frameworks_load": lambda w, a: _svc("planning").national_frameworks_load(
        actor=a
    ),
    "planning.plan_archive": lambda w, a: _svc("planning").plan_archive(
        actor=a, plan=w.plan(publish=True)
    ),
    "planning.plan_create_from_draft": lambda w, a: _svc("planning").plan_create_from_draft(
        actor=a, institution=w.durango, kind="institutional_program", draft=_draft_plan()
    ),
    "planning.plan_import_create": lambda w, a: _svc("planning").plan_import_create(
        actor=a,
        institution=w.durango,
        kind="institutional_program",
        draft=_draft_plan(),
        source=b"%PDF-1.4",
        source_name="programa.pdf",
    ),
    "planning.plan_import_discard": lambda w, a: _svc("planning").plan_import_discard(
        actor=a,
        plan_import=_svc("planning").plan_import_create(
            actor=None,
            institution=w.durango,
            kind="institutional_program",
            draft=_draft_plan(),
            source=b"%PDF",
            source_name="programa.pdf",
        ),
    ),
    "planning.item_update": lambda w, a: _svc("planning").item_update(
        actor=a, item=w.plan().items.first(), text="Texto corregido"
    ),
    "planning.alignment_create": lambda w, a: _svc("planning").alignment_create(
        actor=a, from_item=w.plan().items.first(), to_item=w.plan().items.first()
    ),
    "planning.alignment_remove": lambda w, a: _svc("planning").alignment_remove(
        actor=a, alignment=_alignment(w), reason="Ya no aplica"
    ),
    "planning.profile_apply": lambda w, a: _svc("planning").profile_apply(
        actor=a, institution=w.durango, profile=w.profile()
    ),
    "planning.profile_import_apply": lambda w, a: _svc("planning").profile_import_apply(
        actor=a, institution=w.durango, mission="Otra misión", current_name="Instituto Renombrado"
    ),
    "reports.report_job_create": lambda w, a: _svc("reports").report_job_create(
        actor=a, state=w.durango.state, period="2025-T4", fmt="pdf", run_inline=False
    ),
    **_coordination_recipes(),
    **_improvement_recipes(),
    **_harmonization_recipes(),
    **_workprogramme_recipes(),
    **_genderstats_recipes(),
    **_registers_recipes(),
}


def _svc(app: str):
    return importlib.import_module(f"transversal.{app}.services")


def test_every_service_is_in_the_table():
    found = set(discover())
    missing = sorted(found - set(RECIPES) - set(NOT_WRITES))
    assert not missing, (
        f"services without an audit recipe (add to RECIPES) or a reason (NOT_WRITES): {missing}"
    )
    stale = sorted((set(RECIPES) | set(NOT_WRITES) | set(AT_LEAST)) - found)
    assert not stale, f"table entries for services that no longer exist: {stale}"
    assert not set(RECIPES) & set(NOT_WRITES)


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.usefixtures("_media")
@pytest.mark.parametrize("service", sorted(RECIPES))
def test_the_service_leaves_an_audit_event_with_actor_and_changes(
    service, national, durango, zacatecas, coordinator, django_capture_on_commit_callbacks
):
    from transversal.audit.models import AuditEvent

    w = W(national, durango, zacatecas, coordinator)
    recipe = RECIPES[service]
    # Build what the recipe needs with actor=None first, so only the call under test uses the actor:
    # the events it leaves are the ones with this actor.
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        recipe(w, coordinator)
    events = list(AuditEvent.objects.exclude(pk__in=before).filter(actor=coordinator))
    minimum, _why = AT_LEAST.get(service, (1, ""))
    if service in AT_LEAST:
        assert len(events) >= minimum, [e.verb for e in events]
    else:
        assert len(events) == 1, f"{service} left {[e.verb for e in events]}"
    assert all(e.changes for e in events), [(e.verb, e.changes) for e in events]
    assert all(e.actor_id == coordinator.pk for e in events)
    # The history page tells it in words: the verb and every key of its changes are registered
    # (audit.registry.register_verbs, register_fields) or are fields with a Spanish verbose name.
    for e in events:
        assert verb_label(e.verb) is not None, f"{e.verb}: no words registered for the verb"
        model = e.target_type.model_class()
        unlabelled = sorted(key for key in e.changes if not has_label(model, key))
        assert not unlabelled, f"{e.verb} on {model._meta.label}: keys without a label"
