"""A two-state world for the tenant-isolation crawler (test_isolation.py).

State A is Durango, state B is Zacatecas. Each state gets the same objects, public and
private, built through the real services. Every piece of private text carries a marker
string unique to its state (``PRIVATE_MARKER_PREFIX[state]`` + a word), so the crawler can
prove that no page, export or API answer shown to someone outside the state contains it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from transversal.testing import blank_pdf

A, B = "A", "B"
# Not a state: what every signed-in member may read and an anonymous visitor may not (the gender
# statistics' imports). Every signed-in persona "belongs" to it.
MEMBERS = "N"
STATE_CODE = {A: "10", B: "32"}
# Plain ASCII letters and digits: they survive HTML escaping, JSON, CSV and XLSX unchanged.
PRIVATE_MARKER_PREFIX = {A: "qxsecretoduranq", B: "qxsecretozacatq", MEMBERS: "qxsecretomiembrosq"}


def marker(state: str, what: str) -> str:
    return f"{PRIVATE_MARKER_PREFIX[state]}{what}"


def programme_years() -> dict[str, int]:
    """The year of each of a state's work programmes: one convenio, one programme a year, every
    stage of the cycle. The current year's is observed (the dashboards show it), next year's in
    elaboration; "free" has none, so the new-programme form can open it."""
    from django.utils import timezone

    this_year = max(timezone.localdate().year, 2026)
    return {
        "free": 2019,
        "closed": 2020,
        "closable": 2021,
        "executing": 2022,
        "validated": 2023,
        "corrected": 2024,
        "observed": 2025,
        "current": this_year,
        "draft": this_year + 1,
    }


@dataclass(frozen=True)
class Target:
    """One object a URL can point at: the values for the route's parameters."""

    kind: str
    label: str
    state: str | None  # A, B or None for objects of no state (datasets, dummies)
    private: bool  # True when only members of the state (and national staff) may read it
    values: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Persona:
    name: str
    user: object | None
    states: frozenset[str]  # the states whose private data this persona may read
    secret: str | None = None  # API bearer token


@dataclass
class World:
    personas: list[Persona]
    targets: dict[str, list[Target]]  # kind -> targets
    markers: dict[str, list[str]]  # state -> private markers
    history_kinds: dict[str, str]  # audit history URL key -> target kind


def _pdf(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(title), content_type="application/pdf")


def _state_objects(
    state: str, institution, national, editor, reviewer, viewer
) -> tuple[dict[str, list[Target]], list[str]]:
    from transversal.agreements.models import AgreementStatus, Modality, Party
    from transversal.agreements.services import (
        agreement_create,
        agreement_transition,
        amendment_add,
        assistance_record,
        commitment_add,
        goal_add,
    )
    from transversal.api.models import ApiToken
    from transversal.monitoring.models import UpdateStatus
    from transversal.monitoring.services import (
        comment_add,
        evidence_add,
        update_approve,
        update_return,
        update_submit,
    )
    from transversal.monitoring.tests.factories import draft, indicator_with_calendar
    from transversal.planning.ingest import DraftItem, DraftPlan
    from transversal.planning.models import PlanKind
    from transversal.planning.services import (
        alignment_create,
        plan_create_from_draft,
        plan_import_create,
        plan_publish,
    )
    from transversal.portal.selectors import state_slug
    from transversal.reports.services import report_job_create
    from transversal.territory.models import State

    def m(what: str) -> str:
        found.append(marker(state, what))
        return found[-1]

    found: list[str] = []
    targets: dict[str, list[Target]] = {}

    def add(kind_: str, name_: str, private_: bool, /, **values) -> None:
        targets.setdefault(kind_, []).append(
            Target(kind_, f"{state}:{name_}", state, private_, values)
        )

    territory = State.objects.get(code=STATE_CODE[state])
    add(
        "state",
        "state",
        False,
        code=territory.code,
        state_code=territory.code,
        slug=state_slug(territory),
    )
    add("institution", "institution", False, slug=institution.slug)
    viewer_membership = viewer.memberships.get(institution=institution)
    add("membership", "viewer-membership", True, slug=institution.slug, code=viewer_membership.code)

    # Plans: a draft (private) and a published one (public), each with items; an alignment
    # between them.
    kind = PlanKind.INSTITUTIONAL_PROGRAM
    draft_plan = plan_create_from_draft(
        actor=editor,
        institution=institution,
        kind=kind,
        title=m("plantitle"),
        draft=DraftPlan(
            "x", 2025, 2030, [DraftItem(code="1", level="objective", text=m("planitem"))]
        ),
    )
    published = plan_create_from_draft(
        actor=editor,
        institution=institution,
        kind=kind,
        title=f"Programa publicado {state}",
        draft=DraftPlan(
            "x", 2025, 2030, [DraftItem(code="1", level="objective", text="Objetivo público")]
        ),
    )
    published = plan_publish(actor=editor, plan=published)
    draft_item, published_item = draft_plan.items.get(), published.items.get()
    add("plan", "draft-plan", True, code=draft_plan.code, item_id=draft_item.pk)
    add("plan", "published-plan", False, code=published.code, item_id=published_item.pk)
    alignment = alignment_create(
        actor=editor, from_item=draft_item, to_item=published_item, note=m("alignnote")
    )
    add(
        "alignment",
        "alignment-from-draft",
        True,
        code=draft_plan.code,
        alignment_code=alignment.code,
    )
    pending = plan_import_create(
        actor=editor,
        institution=institution,
        kind=kind,
        draft=DraftPlan(
            m("importtitle"),
            2025,
            2030,
            [DraftItem(code="1", level="objective", text=m("importitem"))],
        ),
        source=b"%PDF-1.4 fuente",
        source_name=f"{m('importsource')}.pdf",
    )
    add("plan_import", "pending-import", True, code=pending.code)

    # Agreements: a draft (private) and one in force (public), with goals, commitments and an
    # amendment.
    private_agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=m("agreementtitle"),
        purpose=m("agreementpurpose"),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    private_goal = goal_add(
        actor=None, agreement=private_agreement, number=1, description=m("goaldesc")
    )
    private_commitment = commitment_add(
        actor=None, agreement=private_agreement, party=Party.STATE, text=m("commitmenttext")
    )
    public_agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=f"Convenio vigente {state}",
        # Its work programmes go from a closed year to next year's draft (_programme_objects).
        valid_from=dt.date(programme_years()["free"], 1, 1),
        valid_to=dt.date(programme_years()["draft"], 12, 31),
    )
    for status in (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE):
        agreement_transition(
            actor=None, agreement=public_agreement, to_status=status, on=dt.date(2025, 1, 2)
        )
    public_goal = goal_add(
        actor=None, agreement=public_agreement, number=1, description="Meta pública"
    )
    public_commitment = commitment_add(
        actor=None, agreement=public_agreement, party=Party.NATIONAL, text="Compromiso público"
    )
    amendment = amendment_add(
        actor=None,
        agreement=public_agreement,
        signed_on=dt.date(2025, 2, 1),
        summary="Modificatorio público",
        document=_pdf("modificatorio.pdf", "modificatorio"),
    )
    for label, agreement, goal, commitment, private in (
        ("draft-agreement", private_agreement, private_goal, private_commitment, True),
        ("in-force-agreement", public_agreement, public_goal, public_commitment, False),
    ):
        add("agreement", label, private, code=agreement.code)
        add("goal", label + "-goal", private, code=agreement.code, goal_code=goal.code)
        add(
            "commitment",
            label + "-commitment",
            private,
            code=agreement.code,
            party=commitment.party,
            number=commitment.number,
        )
    add(
        "amendment",
        "in-force-amendment",
        False,
        code=public_agreement.code,
        number=amendment.number,
    )
    assistance = assistance_record(
        actor=editor,
        recipient=institution,
        topic=m("assistancetopic"),
        modality=Modality.VIRTUAL,
        date=dt.date(2025, 3, 1),
        hours=Decimal(4),
        outcome=m("assistanceoutcome"),
        provider_name="Inmujeres",
        evidence=_pdf("asistencia.pdf", m("assistancefile")),
    )
    add("assistance", "assistance", True, code=assistance.code)

    # Indicators: a private one and a public one; updates in every status, with breakdown and
    # comments.
    sex = {"sex": {"women": Decimal(60), "men": Decimal(35)}}
    private_indicator = indicator_with_calendar(
        institution, name=m("indicatorname"), disaggregations=["sex"]
    )
    public_indicator = indicator_with_calendar(
        institution, name=f"Indicador público {state}", is_public=True, disaggregations=["sex"]
    )
    add("indicator", "private-indicator", True, code=private_indicator.code)
    add("indicator", "public-indicator", False, code=public_indicator.code)
    add("period", "private-indicator-T1", True, code=private_indicator.code, label="2025-T1")
    add("period", "public-indicator-T1", False, code=public_indicator.code, label="2025-T1")
    add("period", "public-indicator-T2", False, code=public_indicator.code, label="2025-T2")

    def update(indicator, label, status, *, narrative, comment):
        row = draft(indicator, label, Decimal(95), actor=editor, narrative=narrative, breakdown=sex)
        comment_add(actor=reviewer, update=row, text=comment)
        if status == UpdateStatus.DRAFT:
            return row
        row = update_submit(actor=editor, update=row, expected_version=row.version)
        if status == UpdateStatus.RETURNED:
            return update_return(actor=reviewer, update=row, comment=m(f"returncomment{label}"))
        if status == UpdateStatus.APPROVED:
            return update_approve(actor=reviewer, update=row, comment=m(f"approvalcomment{label}"))
        return row

    statuses = (
        ("2025-T1", UpdateStatus.APPROVED),
        ("2025-T2", UpdateStatus.SUBMITTED),
        ("2025-T3", UpdateStatus.RETURNED),
        ("2025-T4", UpdateStatus.DRAFT),
    )
    for label, status in statuses:
        row = update(
            private_indicator,
            label,
            status,
            narrative=m(f"narrative{label}"),
            comment=m(f"comment{label}"),
        )
        add("update", f"private-indicator-{status}", True, code=row.code)
    private_evidence = evidence_add(
        actor=editor,
        update=row,
        upload=blank_pdf(m("evidencefile")),
        filename="evidencia.pdf",
        description=m("evidencedesc"),
    )
    add("evidence", "private-evidence", True, code=private_evidence.code)

    public_draft = update(
        public_indicator,
        "2025-T2",
        UpdateStatus.DRAFT,
        narrative=m("publicdraftnarrative"),
        comment=m("publicdraftcomment"),
    )
    add("update", "public-indicator-draft", True, code=public_draft.code)
    public_row = draft(
        public_indicator,
        "2025-T1",
        Decimal(95),
        actor=editor,
        narrative="Avance público",
        breakdown=sex,
    )
    hidden_evidence = evidence_add(
        actor=editor,
        update=public_row,
        upload=blank_pdf(m("hiddenevidencefile")),
        filename="interna.pdf",
        description=m("hiddenevidencedesc"),
    )
    shown_evidence = evidence_add(
        actor=editor,
        update=public_row,
        upload=blank_pdf("evidencia publica"),
        filename="publica.pdf",
        description="Evidencia pública",
        is_public=True,
    )
    public_row = update_submit(actor=editor, update=public_row, expected_version=public_row.version)
    public_row = update_approve(actor=reviewer, update=public_row)
    add("update", "public-indicator-approved", False, code=public_row.code)
    add("evidence", "private-evidence-on-public-update", True, code=hidden_evidence.code)
    add("evidence", "public-evidence", False, code=shown_evidence.code)

    job = report_job_create(
        actor=editor, state=territory, period="2025-T4", fmt="pdf", run_inline=False
    )
    add("report_job", "report-job", True, code=job.code)
    from transversal.jobs.models import Job, JobKind

    import_job = Job.objects.create(
        kind=JobKind.SPREADSHEET_IMPORT, requested_by=editor, title="Importación del editor"
    )
    add("job", "import-job", True, code=import_job.code)
    editor_token = ApiToken.objects.get(user=editor)
    add("api_token", "editor-token", True, code=editor_token.code)
    add("sheet_pending", "pending-sheet", True, slug=institution.slug, token=uuid.uuid4())
    from transversal.registers.apps import REGISTER_SLUGS

    for register in REGISTER_SLUGS.values():  # the import of each register, for the institution
        add("register_import", f"import-{register}", True, register=register, slug=institution.slug)
    add(
        "register_pending",
        "pending-register-import",
        True,
        register=REGISTER_SLUGS["service"],
        slug=institution.slug,
        token=uuid.uuid4(),
    )
    _coordination_objects(state, institution, editor, m, add)
    _improvement_objects(state, institution, editor, private_indicator, m, add)
    _programme_objects(
        state,
        public_agreement,
        public_goal,
        public_commitment,
        assistance,
        editor,
        reviewer,
        m,
        add,
    )
    _harmonization_objects(state, territory, editor, m, add)
    _register_objects(institution, editor, m, add, private_indicator)
    return targets, found


def _register_objects(institution, editor, m, add, fed_indicator) -> None:
    """One entry of each register (private: the institution's members and the national
    coordination read them; only aggregates are ever public), with its name and notes marked,
    and an evidence file on the training event. ``fed_indicator`` takes the training register
    as its source, and its approved first quarter the proposal it came from."""
    from transversal.registers import services as registers

    common = {"women": 6, "men": 4, "notes": m("registernotes")}
    entries = {
        "training": registers.entry_save(
            actor=editor, register="training", institution=institution,
            name=m("trainingname"), topic="Igualdad sustantiva", audience="public_servants",
            modality="in_person", hours=Decimal(8), start=dt.date(2025, 3, 2),
            end=dt.date(2025, 3, 3), organiser="Instituto", certificates=5, **common,
        ),
        "affirmative": registers.entry_save(
            actor=editor, register="affirmative", institution=institution,
            name=m("affirmativename"), legal_basis="Ley de Igualdad, artículo 12",
            target_group="Mujeres rurales", start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30),
            municipalities=[], **common,
        ),
        "participation": registers.entry_save(
            actor=editor, register="participation", institution=institution,
            name=m("participationname"), mechanism_kind="council", year=2025,
            members_government=10, **common,
        ),
        "service": registers.entry_save(
            actor=editor, register="service", institution=institution,
            month=dt.date(2025, 3, 1), service_type="legal", attentions=20, **common,
        ),
    }  # fmt: skip
    from transversal.registers.apps import REGISTER_SLUGS

    for register, entry in entries.items():
        slug = REGISTER_SLUGS[register]  # the crawler writes values into the address as they are
        add("register_entry", f"register-{register}", True, register=slug, code=entry.code)
        add(f"register_history_{register}", f"register-{register}", True, code=entry.code)
    evidence = registers.evidence_add(
        actor=editor,
        entry=entries["training"],
        upload=_pdf("lista.pdf", m("registerevidencefile")),
        filename="lista.pdf",
        description=m("registerevidencedesc"),
    )
    add("register_evidence", "register-evidence", True, code=evidence.code)
    _feed_objects(fed_indicator, entries["training"], editor)


def _feed_objects(indicator, entry, editor) -> None:
    """The indicator's register source, and on its approved first quarter the rows its figure
    came from: the period page shows the marked training name to the state's readers. The
    proposal is stored as feed_propose leaves it (the service refuses an approved report)."""
    from transversal.registers.models import FeedProposal
    from transversal.registers.services import feed_save

    feed_save(actor=editor, indicator=indicator, register="training", aggregation="people")
    FeedProposal.objects.create(
        update=indicator.periods.get(label="2025-T1").updates.get(is_current=True),
        register="training",
        aggregation="people",
        value=Decimal(entry.total),
        breakdown={"sex": {"women": str(entry.women), "men": str(entry.men)}},
        entry_codes=[str(entry.code)],
        computed_by=editor,
    )


def _harmonization_objects(state, territory, editor, m, add) -> None:
    """The state's cell of a reference provision (public: its page, map and profile are for
    everyone; its edit form answers 403 to anyone but the national coordination; free of
    proposals, so the state's editor may propose) and a proposal the state's editor made for
    its cell of a second provision (private: the state and the national coordination read it;
    its notes are marked, and so is that cell's history, which records them)."""
    from transversal.harmonization.models import Cell, Provision
    from transversal.harmonization.services import cell_propose
    from transversal.harmonization.tests.factories import CITED, provision

    def cell_of(slug: str, order: int) -> Cell:
        prov = Provision.objects.filter(slug=slug).first() or provision(slug, order=order)
        return Cell.objects.select_related("provision", "state").get(
            provision=prov, state=territory
        )

    cell, proposed = cell_of("violencia-politica", 1), cell_of("violencia-digital", 2)
    # Until the national coordination accepts it, the proposed instrument is no published fact.
    proposed_values = {**CITED, "instrument": m("harminstrument"), "notes": m("harmnote")}
    proposal = cell_propose(actor=editor, cell=proposed, **proposed_values)
    add("harm_cell", "harmonization-cell", False, code=cell.code)
    add("harm_cell_history", "harmonization-proposed-cell", True, code=proposed.code)
    add("harm_proposal", "harmonization-proposal", True, code=proposal.code)


def _coordination_objects(state, institution, editor, m, add) -> None:
    """A state's coordination system with a member, a held session and an acuerdo of its own
    institution, with a note and an evidence file. Their pages are the state's; the system's
    name, its member organisation and the acuerdo's text are public facts (the API and the open
    data publish them), so they carry no marker. What only the pages show is marked: the agenda,
    the attendance's representative, the acuerdo's responsible person, notes, files."""
    from transversal.coordination import services as coordination
    from transversal.followup import services as followup

    system = coordination.system_create(
        actor=editor,
        name=f"Sistema para la Igualdad {state}",
        acronym=f"SEI{state}",
        topic="equality",
        level="state",
        secretariat=institution,
        legal_instrument="Ley estatal",
    )
    member = coordination.member_add(
        actor=editor,
        system=system,
        name=f"Red de Mujeres {state}, A. C.",
        sector="civil_society",
        joined_on=dt.date(2024, 1, 1),
    )
    session = coordination.session_schedule(
        actor=editor, system=system, kind="ordinary", date=dt.date(2025, 3, 1)
    )
    coordination.agenda_add(actor=editor, session=session, text=m("agendaitem"))
    coordination.attendance_record(
        actor=editor,
        session=session,
        present={member.pk},
        represented_by={member.pk: m("representative")},
    )
    coordination.session_hold(actor=editor, session=session)
    resolution = coordination.resolution_add(
        actor=editor,
        session=session,
        text=f"Acuerdo de prueba {state}",
        owner=institution,
        due_date=dt.date(2025, 6, 30),
        responsible_person=m("responsibleperson"),
    )
    coordination.minutes_upload(
        actor=editor, session=session, upload=_pdf("acta.pdf", m("actafile")), filename="acta.pdf"
    )
    # The signed acta fixes the session; reopened for a correction, its page carries the forms
    # that change it (agenda, attendance, acuerdos, acta) for the crawlers to request and attack.
    coordination.session_reopen(
        actor=institution.memberships.get(role="admin").user,
        session=session,
        reason="Corrección del acta",
    )
    item = resolution.followup
    followup.followup_note_add(actor=editor, item=item, text=m("followupnote"))
    evidence = followup.followup_evidence_add(
        actor=editor,
        item=item,
        upload=blank_pdf(m("followupfile")),
        filename="avance.pdf",
        description=m("followupevidence"),
    )
    add("system", "system", True, code=system.code, member=member.code)
    add("session", "held-session", True, code=session.code)
    add("resolution", "acuerdo", True, code=resolution.code)
    # The API reads of the same objects are public: anyone gets 200, never a marker.
    add("api_system", "system", False, code=system.code)
    add("api_session", "held-session", False, code=session.code)
    add("api_resolution", "acuerdo", False, code=resolution.code)
    add("followup", "acuerdo-followup", True, code=item.code)
    add("followup_evidence", "acuerdo-evidence", True, code=evidence.code)


def _improvement_objects(state, institution, editor, indicator, m, add) -> None:
    """The state's improvement step: an evaluation with its report, an accepted finding with an
    ASM (a follow-up note and an evidence file), and a finding the system proposed for the
    private indicator's red light. The pages are read only by the institution's members, the
    national coordination and the ASM's responsibles; the evaluation's title, evaluator and
    summary, the accepted finding's text and the ASM's text are public facts (the API and the
    open data publish them), so they carry no marker. What only the pages show is marked: the
    report and its description, the ASM's responsible person, notes, files; the proposal (not
    published until a person decides) names the private indicator, whose name is marked."""
    from transversal.followup import services as followup
    from transversal.improvement import services as improvement
    from transversal.monitoring.models import ReportingPeriod

    evaluation = improvement.evaluation_create(
        actor=editor,
        institution=institution,
        year=2025,
        kind="external",
        title=f"Evaluación externa {state}",
        evaluator=f"Colegio evaluador {state}",
        started_on=dt.date(2025, 2, 1),
        summary=f"Resumen de la evaluación {state}",
        indicators=[indicator],
    )
    report = improvement.evaluation_report_add(
        actor=editor,
        evaluation=evaluation,
        upload=_pdf("informe.pdf", m("evaluationreportfile")),
        filename="informe.pdf",
        description=m("evaluationreportdesc"),
    )
    accepted = improvement.finding_add(
        actor=editor, institution=institution, evaluation=evaluation, text=f"Hallazgo {state}"
    )
    periods = {p.label: p for p in ReportingPeriod.objects.filter(indicator=indicator)}
    proposed = improvement.finding_propose(earlier=periods["2025-T3"], later=periods["2025-T4"])
    action = improvement.action_add(
        actor=editor,
        finding=accepted,
        text=f"Aspecto de mejora {state}",
        kind="institutional",
        priority="high",
        owner=institution,
        due_date=dt.date(2025, 6, 30),
        responsible_person=m("asmresponsible"),
    )
    item = action.followup
    followup.followup_note_add(actor=editor, item=item, text=m("asmnote"))
    evidence = followup.followup_evidence_add(
        actor=editor,
        item=item,
        upload=blank_pdf(m("asmfile")),
        filename="avance-asm.pdf",
        description=m("asmevidence"),
    )
    add("evaluation", "evaluation", True, code=evaluation.code)
    add("evaluation_report", "evaluation-report", True, code=report.code)
    add("finding", "accepted-finding", True, code=accepted.code)
    add("finding", "proposed-finding", True, code=proposed.code)
    add("asm", "asm", True, code=action.code)
    # The API reads of the same objects are public: anyone gets 200, never a marker.
    add("api_evaluation", "evaluation", False, code=evaluation.code)
    add("api_finding", "accepted-finding", False, code=accepted.code)
    add("api_improvement_action", "asm", False, code=action.code)
    add("followup", "asm-followup", True, code=item.code)
    add("followup_evidence", "asm-evidence", True, code=evidence.code)
    add("cycle", "institute-cycle", True, slug=institution.slug)


def _programme_objects(
    state, agreement, goal, commitment, assistance, editor, reviewer, m, add
) -> None:
    """The state's yearly work programmes of its convenio in force, one in each stage
    (programme_years), with a goal indicator whose periods the closed year locked, a quarterly
    report in every status, observations, closing minutes and an assistance request with its
    follow-up. The API reads the programme with a token of the state or the national institution
    only; its figures are open data (``programas``, ``programas-metas``: the goals and amounts
    carry no marker). What only the pages show is marked: means of verification, responsible
    area, narratives, justifications, observations and answers, the minutes, the request."""
    from transversal.agreements.services import goal_add
    from transversal.followup import services as followup
    from transversal.monitoring.models import UpdateStatus
    from transversal.monitoring.services import (
        indicator_create,
        periods_generate,
        targets_update,
        update_approve,
    )
    from transversal.monitoring.tests.factories import (
        approve_all_levels,
        national_validator,
        submitted,
    )
    from transversal.workprogrammes import services as programmes

    years = programme_years()
    agreement.refresh_from_db()  # signed and in force since it was created
    # A goal left out of every programme: the line form offers it.
    goal_add(actor=None, agreement=agreement, number=2, description="Meta pública 2")
    validator = national_validator()
    indicator = indicator_create(
        actor=None,
        owner=agreement.state_institution,
        name=f"Avance de la meta 1 {state}",
        unit="acciones",
        measure="count",
        frequency="quarterly",
        direction="ascending",
        accumulation="cumulative",
        goals=[goal],
    )
    periods_generate(
        actor=None,
        indicator=indicator,
        start=dt.date(years["closed"], 1, 1),
        end=dt.date(years["executing"], 12, 31),
    )
    targets_update(
        actor=None,
        indicator=indicator,
        targets={period.label: Decimal(40) for period in indicator.periods.all()},
    )

    def figure(label: str, *, validate: bool = True):
        update = submitted(indicator, label, Decimal(10), actor=editor)
        if validate:
            return approve_all_levels(actor=reviewer, update=update)
        return update_approve(actor=reviewer, update=update)

    def programme(stage: str):
        row = programmes.programme_create(actor=editor, agreement=agreement, year=years[stage])
        programmes.line_save(
            actor=editor,
            programme=row,
            goal=goal,
            means_of_verification=m(f"means{stage}"),
            responsible_area=m(f"area{stage}"),
            planned={1: 25, 2: 50, 3: 75, 4: 100},
            resources={"federal_approved": Decimal(1000)},
        )
        if stage != "draft":
            programmes.programme_propose(actor=editor, programme=row)
        return row

    def report(row, quarter: int, *, send=True, acknowledge=True):
        line = row.lines.get()
        saved = programmes.report_save(
            actor=editor,
            programme=row,
            quarter=quarter,
            narrative=m(f"narrative{row.year}q{quarter}"),
            lines={
                line.pk: {
                    "federal_exercised": "250",
                    "justification": m(f"justification{row.year}q{quarter}"),
                }
            },
        )
        if send:
            saved = programmes.report_send(actor=editor, report=saved)
        if send and acknowledge:
            saved = programmes.report_acknowledge(actor=validator, report=saved)
        return saved

    def closable(stage: str):
        """Every period validated, four reports received (the federal funds all exercised, so
        nothing to return) and the closing minutes uploaded."""
        row = programme(stage)
        programmes.programme_validate(actor=validator, programme=row)
        for quarter in (1, 2, 3, 4):
            figure(f"{row.year}-T{quarter}")
            report(row, quarter)
        document = programmes.closing_document_add(
            actor=editor,
            programme=row,
            upload=_pdf("acta-cierre.pdf", m(f"minutesfile{stage}")),
            filename="acta-cierre.pdf",
            description=m(f"minutesdesc{stage}"),
        )
        return row, document

    closed, minutes = closable("closed")
    closed_q4 = closed.reports.get(quarter=4)
    closed = programmes.programme_close(actor=validator, programme=closed)
    closable_row, _minutes = closable("closable")

    executing = programme("executing")
    programmes.programme_validate(actor=validator, programme=executing)
    figure(f"{executing.year}-T1")
    waiting = figure(f"{executing.year}-T2", validate=False)  # for the national validation
    assert waiting.status == UpdateStatus.VALIDATING, waiting.status
    received = report(executing, 1)
    report(executing, 2, acknowledge=False)  # sent: the national institution reviews it
    observed_report = report(executing, 3, acknowledge=False)
    programmes.report_observe(actor=validator, report=observed_report, text=m("reportobservation"))
    draft_report = report(executing, 4, send=False)

    validated = programme("validated")
    programmes.programme_validate(actor=validator, programme=validated)
    corrected = programme("corrected")
    programmes.programme_observe(
        actor=validator, programme=corrected, text=m("answeredobservation")
    )
    programmes.programme_correct(actor=editor, programme=corrected, answer=m("correction"))

    observed = programme("observed")  # the API's programme
    programmes.programme_observe(actor=None, programme=observed, text=m("programmeobservation"))
    current = programme("current")  # on the dashboards: the national board, the state's panel
    programmes.programme_observe(
        actor=validator, programme=current, text=m("currentobservation"), line=current.lines.get()
    )
    draft = programme("draft")

    # The programme's page in every stage (the order gives the forms found first, all valid);
    # its actions and history with the draft and the closed one.
    for label, row in (
        ("draft", draft),
        ("observed", observed),
        ("corrected", corrected),
        ("validated", validated),
        ("closable", closable_row),
        ("executing", executing),
        ("closed", closed),
    ):
        add("programme", f"{label}-programme", True, code=row.code)
    for label, row in (("draft", draft), ("closed", closed)):
        add("programme_action", f"{label}-programme", True, code=row.code)
    for label, row in (("draft", draft), ("executing", executing)):
        add("programme_line", f"{label}-programme-goal", True, code=row.code, number=goal.number)
    for label, row, quarter in (
        ("executing-q1-received", executing, 1),
        ("executing-q2-sent", executing, 2),
        ("executing-q3-observed", executing, 3),
        ("executing-q4-draft", executing, 4),
        ("validated-q1-none", validated, 1),
        ("closed-q4-received", closed, 4),
    ):
        add("programme_quarter", label, True, code=row.code, quarter=quarter)
    for label, row in (
        ("executing-q1-received", received),
        ("executing-q4-draft", draft_report),
        ("closed-q4-received", closed_q4),
    ):
        add("quarterly_report", label, True, code=row.code)
    add("closing_document", "closed-minutes", True, code=minutes.code)
    add("api_programme", "programme", True, code=observed.code)
    add("update", "goal-indicator-validating", True, code=waiting.code)
    # The period's page: the closed year's (locked), the figure waiting for the national
    # validation (its validate and return forms).
    for label, period in (("locked", f"{closed.year}-T1"), ("validating", waiting.period.label)):
        add("period", f"goal-indicator-{label}", True, code=indicator.code, label=period)

    request = programmes.assistance_request_add(
        actor=editor,
        agreement=agreement,
        topic=m("requesttopic"),
        description=m("requestdesc"),
        goals=[goal],
        commitments=[commitment],
    )
    programmes.assistance_request_link(actor=validator, request=request, assistance=assistance)
    followup.followup_note_add(actor=validator, item=request.followup, text=m("requestnote"))
    add("assistance_request", "assistance-request", True, code=request.code)
    add("followup", "assistance-request-followup", True, code=request.followup.code)


def _genderstats_objects(coordinator) -> tuple[dict[str, list[Target]], list[str]]:
    """The national statistics: a source, a context indicator with values for both states and
    the national figure (public: the portal shows them to everyone; the management pages only
    to members), and two imports, one waiting to be applied and one applied (a file with
    problems leaves no import). No state owns them: any member reads the imports, the national
    coordination alone writes. The imports' file names (and the preview's rows) are marked for
    members only, so an anonymous page may never show them."""
    from transversal.genderstats.services import import_apply, import_preview
    from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator, put

    found: list[str] = []
    targets: dict[str, list[Target]] = {}

    def add(kind_: str, name_: str, private_: bool, /, **values) -> None:
        targets.setdefault(kind_, []).append(Target(kind_, name_, None, private_, values))

    indicator = make_indicator("aislamiento-violencia")
    for code, women, men in (("10", 40, 30), ("32", 38, 31), (None, 39, 30)):
        put(indicator, 2021, code, "mujeres", women, cv=Decimal(5))
        put(indicator, 2021, code, "hombres", men, cv=Decimal(25))  # poor precision: flagged
    imports = {}
    # The applied file repeats a published figure (Durango, women, 2021), so applying it leaves
    # the public values as they are: its marker is in the file name alone.
    rows = {
        "preview": "2022,10,mujeres,{marker},41,Porcentaje,{source},,,",
        "applied": "2021,10,mujeres,,40,Porcentaje,{source},5,,",
    }
    for label, row in rows.items():
        found.append(marker(MEMBERS, f"import{label}"))
        line = f"{indicator.slug}," + row.format(marker=found[-1], source=indicator.source.slug)
        imports[label] = import_preview(
            actor=coordinator,
            upload=csv_file([HEADER, line], f"{found[-1]}.csv"),
            filename=f"{found[-1]}.csv",
        )
    imports["applied"] = import_apply(actor=coordinator, stat_import=imports["applied"])
    assert imports["applied"].result == {"created": 0, "updated": 0, "unchanged": 1}
    assert [i.status for i in imports.values()] == ["preview", "applied"], imports
    add("gs_source", "statistics-source", False, slug=indicator.source.slug)
    add("gs_indicator", "context-indicator", False, slug=indicator.slug)
    for label, row in imports.items():
        add("gs_import", f"statistics-import-{label}", True, code=row.code)
    return targets, found


def build_world() -> World:
    """Create both states' data; call inside a transaction that is rolled back afterwards."""
    from transversal.accounts.models import Role
    from transversal.api.services import token_create
    from transversal.conftest import make_institution, make_member
    from transversal.institutions.models import Institution

    national = Institution.objects.get(slug="nacional")
    durango = make_institution("iem-durango-test", "10", "Instituto Estatal de las Mujeres", "IEM")
    zacatecas = make_institution(
        "semujer-zacatecas-test", "32", "Secretaría de las Mujeres", "SEMUJER"
    )
    coordinator = make_member("coordinacion@prueba.test", national, Role.ADMIN)
    people = {
        A: {role: make_member(f"{role}@durango.test", durango, role) for role in Role.values},
        B: {role: make_member(f"{role}@zacatecas.test", zacatecas, role) for role in Role.values},
    }
    personas = [
        Persona("anonymous", None, frozenset()),
        Persona("coordinator", coordinator, frozenset({A, B})),
        Persona("A editor", people[A][Role.EDITOR], frozenset({A})),
        Persona("A reviewer", people[A][Role.REVIEWER], frozenset({A})),
        Persona("A viewer", people[A][Role.VIEWER], frozenset({A})),
        Persona("B editor", people[B][Role.EDITOR], frozenset({B})),
    ]
    for persona in personas:
        if persona.user is not None:
            _token, persona.secret = token_create(actor=persona.user, name="aislamiento")
            persona.states = persona.states | {MEMBERS}

    targets: dict[str, list[Target]] = {}
    markers: dict[str, list[str]] = {}
    for state, institution in ((A, durango), (B, zacatecas)):
        roles = people[state]
        made, markers[state] = _state_objects(
            state,
            institution,
            national,
            roles[Role.EDITOR],
            roles[Role.REVIEWER],
            roles[Role.VIEWER],
        )
        for kind, rows in made.items():
            targets.setdefault(kind, []).extend(rows)

    made, markers[MEMBERS] = _genderstats_objects(coordinator)
    targets |= made

    from transversal.portal.datasets import DATASETS

    targets["dataset"] = [
        Target("dataset", f"dataset:{d.name}", None, False, {"name": d.name}) for d in DATASETS
    ]
    # Objects that only exist for a moment or in an e-mail: filled with well-formed dummies
    # so the route is still requested (and must answer 404/400, never 500).
    targets["password_reset"] = [
        Target(
            "password_reset", "dummy-reset", None, False, {"uidb64": "MQ", "token": "set-password"}
        )
    ]
    # A quarter and a goal a programme does not have: nobody's, so everyone gets 404 (the
    # anonymous visitor the login page).
    quarters = {t.label: t for t in targets["programme_quarter"]}
    code = quarters["A:executing-q1-received"].values["code"]
    targets["programme_quarter"] += [
        Target("programme_quarter", f"dummy-quarter-{q}", None, False, {"code": code, "quarter": q})
        for q in (0, 5)
    ]
    targets["programme_line"].append(
        Target("programme_line", "dummy-goal-99", None, False, {"code": code, "number": 99})
    )
    targets["harm_provision"] = [
        Target("harm_provision", "violencia-politica", None, False, {"slug": "violencia-politica"})
    ]
    targets["harm_download"] = [
        Target("harm_download", f"matriz-{fmt}", None, False, {"fmt": fmt})
        for fmt in ("csv", "xlsx", "json", "pdf")
    ]
    from transversal.registers.apps import REGISTER_SLUGS

    targets["register_import_start"] = [
        Target("register_import_start", f"import-start-{slug}", None, False, {"register": slug})
        for slug in REGISTER_SLUGS.values()
    ]
    targets["register"] = [
        Target("register", f"register-{key}", None, False, {"register": slug})
        for key, slug in REGISTER_SLUGS.items()
    ]
    targets["api_unknown"] = [
        Target("api_unknown", "unknown-api-path", None, False, {"rest": "no-existe"})
    ]
    history_kinds = {
        "plan": "plan",
        "indicador": "indicator",
        "avance": "update",
        "institucion": "institution",
        "convenio": "agreement",
        "sistema": "system",
        "sesion": "session",
        "acuerdo": "resolution",
        "evaluacion": "evaluation",
        "hallazgo": "finding",
        "asm": "asm",
        "programa": "programme",
        "solicitud-asistencia": "assistance_request",
        "armonizacion": "harm_cell_history",
        "disposicion": "harm_provision",
        "capacitacion": "register_history_training",
        "acciones-afirmativas": "register_history_affirmative",
        "participacion": "register_history_participation",
        "servicios": "register_history_service",
    }
    return World(personas, targets, markers, history_kinds)
