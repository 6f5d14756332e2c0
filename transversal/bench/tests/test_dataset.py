"""`generate_dataset`: the coordination systems and the improvement step of the small dataset,
proportional to its size.

Size S covers 2 years: each state's two systems meet three times a year, and each session held
adopts three to seven acuerdos whose follow-ups end in mixed statuses. Each state's institute has
an evaluation a year with two to four findings, the system proposes some sustained reds, and each
accepted finding gets one or two ASM whose follow-ups end in mixed statuses. Each convenio has
a work programme a year with a line per goal: earlier years closed, the last year's over every
stage, with quarterly reports."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F

from transversal.bench.dataset import (
    FIRST_YEAR,
    MEMBERS_PER_SYSTEM,
    RED_PROPOSALS_PER_YEAR,
    SESSIONS_PER_YEAR,
    SIZES,
    generate,
)
from transversal.coordination.models import (
    Attendance,
    Resolution,
    Session,
    SessionStatus,
    System,
)
from transversal.followup.models import FollowUp, FollowUpStatus
from transversal.improvement.models import Evaluation, Finding, ImprovementAction
from transversal.workprogrammes import selectors as programme_selectors
from transversal.workprogrammes.models import (
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Stage,
    WorkProgramme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(national, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the generator writes evidence files
    return generate("S", seed=1, log=lambda _line: None)


def test_each_state_gets_two_systems_meeting_three_times_a_year(small):
    years = SIZES["S"].years
    systems = System.objects.filter(secretariat__slug__startswith="bench-")
    assert systems.count() == 64 and not systems.filter(is_synthetic=False).exists()
    per_state = systems.values("state").annotate(n=Count("pk"))
    assert {row["n"] for row in per_state} == {2} and len(per_state) == 32
    sessions = Session.objects.filter(system__in=systems)
    assert sessions.count() == 64 * years * SESSIONS_PER_YEAR
    assert small.counts["sistemas"] == 64 and small.counts["sesiones"] == sessions.count()
    held = sessions.filter(status=SessionStatus.HELD)
    assert Attendance.objects.filter(session__in=held).count() == (
        held.count() * MEMBERS_PER_SYSTEM
    )


def test_sessions_held_adopt_about_five_acuerdos_in_mixed_statuses(small):
    held = Session.objects.filter(
        system__secretariat__slug__startswith="bench-", status=SessionStatus.HELD
    ).count()
    acuerdos = Resolution.objects.filter(session__system__secretariat__slug__startswith="bench-")
    assert 4 * held <= acuerdos.count() <= 6 * held
    assert small.counts["acuerdos"] == acuerdos.count()
    assert not acuerdos.exclude(session__status=SessionStatus.HELD).exists()
    items = FollowUp.objects.filter(resolution__in=acuerdos)
    assert set(items.values_list("status", flat=True)) == set(FollowUpStatus.values)
    assert items.overdue(dt.date.today()).exists()
    assert items.filter(status__in=("open", "in_progress"), due_date__gte=dt.date.today()).exists()


def test_each_indicator_points_at_its_latest_approved_report_as_the_services_keep_it(small):
    from transversal.monitoring.models import Indicator, ProgressUpdate

    indicators = Indicator.objects.filter(owner__slug__startswith="bench-")
    assert indicators.filter(latest_approved__isnull=False).exists()
    for indicator in indicators.select_related("latest_approved")[:50]:
        latest = (
            ProgressUpdate.objects.filter(
                period__indicator=indicator, is_current=True, status="approved"
            )
            .order_by("-period__start")
            .first()
        )
        assert indicator.latest_approved == latest
        assert indicator.light == (latest.light if latest else "no_data")


def test_each_state_institute_gets_an_evaluation_a_year_with_two_to_four_findings(small):
    years = SIZES["S"].years
    evaluations = Evaluation.objects.filter(institution__slug__startswith="bench-imef-")
    assert evaluations.count() == 32 * years == small.counts["evaluaciones"]
    assert not evaluations.filter(is_synthetic=False).exists()
    assert {row["n"] for row in evaluations.values("institution").annotate(n=Count("pk"))} == {
        years
    }
    per_evaluation = evaluations.annotate(n=Count("findings")).values_list("n", flat=True)
    assert min(per_evaluation) == 2 and max(per_evaluation) == 4
    findings = Finding.objects.filter(evaluation__in=evaluations)
    assert set(findings.values_list("status", flat=True)) == {"accepted"}
    assert not findings.filter(decided_by__isnull=True).exists()
    assert small.counts["hallazgos"] == Finding.objects.filter(is_synthetic=True).count()


def test_the_system_proposes_sustained_reds_some_still_waiting_some_decided(small):
    from transversal.monitoring.models import ProgressUpdate, ReportingPeriod

    proposals = Finding.objects.filter(source="red_light").select_related("period")
    assert proposals.count() == small.counts["propuestas por semáforo"] > 0
    assert set(proposals.values_list("status", flat=True)) == {"proposed", "accepted", "dismissed"}
    assert not proposals.filter(status="dismissed", decision_reason="").exists()
    assert not proposals.filter(status="proposed", decided_by__isnull=False).exists()
    per_year = proposals.values("institution", "year").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_year) <= RED_PROPOSALS_PER_YEAR
    for finding in proposals:
        earlier = ReportingPeriod.objects.get(
            indicator_id=finding.indicator_id, end=finding.period.start - dt.timedelta(days=1)
        )
        lights = ProgressUpdate.objects.filter(
            period__in=[earlier, finding.period], is_current=True, status="approved"
        ).values_list("light", flat=True)
        assert list(lights) == ["red", "red"]
    # numbered after the year's evaluation findings, with no gap
    for institution, year in proposals.values_list("institution", "year").distinct():
        numbers = Finding.objects.filter(institution=institution, year=year).values_list(
            "number", flat=True
        )
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_accepted_findings_get_one_or_two_asm_followed_up_in_mixed_statuses(small):
    actions = ImprovementAction.objects.filter(finding__institution__slug__startswith="bench-")
    assert actions.count() == small.counts["asm"]
    assert not actions.exclude(finding__status="accepted").exists()
    accepted = Finding.objects.filter(is_synthetic=True, status="accepted")
    per_finding = accepted.annotate(n=Count("actions")).values_list("n", flat=True)
    assert min(per_finding) == 1 and max(per_finding) == 2
    assert not actions.filter(is_synthetic=False).exists()
    items = FollowUp.objects.filter(improvement_action__in=actions)
    assert set(items.values_list("kind", flat=True)) == {"asm"}
    assert not items.exclude(verifier=F("improvement_action__finding__institution")).exists()
    assert set(items.values_list("status", flat=True)) == set(FollowUpStatus.values)
    assert items.overdue(dt.date.today()).exists()
    assert items.filter(status__in=("open", "in_progress"), due_date__gte=dt.date.today()).exists()


def test_each_convenio_gets_a_programme_a_year_with_a_line_per_goal(small):
    spec = SIZES["S"]
    programmes = WorkProgramme.objects.filter(agreement__round="BENCH")
    assert programmes.count() == 32 * spec.years == small.counts["programas de trabajo"]
    assert not programmes.filter(is_synthetic=False).exists()
    years = set(programmes.values_list("year", flat=True))
    assert years == set(range(FIRST_YEAR, FIRST_YEAR + spec.years))
    per_programme = programmes.annotate(n=Count("lines")).values_list("n", flat=True)
    assert set(per_programme) == {spec.goals_per_agreement}
    lines = ProgrammeLine.objects.filter(programme__in=programmes)
    assert lines.count() == small.counts["metas de programa"]
    assert not lines.exclude(goal__agreement=F("programme__agreement")).exists()


def test_earlier_years_are_closed_and_the_last_year_spreads_over_every_stage(small):
    last = FIRST_YEAR + SIZES["S"].years - 1
    programmes = WorkProgramme.objects.filter(agreement__round="BENCH")
    assert set(programmes.filter(year__lt=last).values_list("stage", flat=True)) == {Stage.CLOSED}
    assert set(programmes.filter(year=last).values_list("stage", flat=True)) == set(Stage.values)
    reports = QuarterlyReport.objects.filter(programme__in=programmes)
    assert reports.count() == small.counts["informes trimestrales"]
    assert not reports.exclude(programme__stage__in=(Stage.IN_EXECUTION, Stage.CLOSED)).exists()
    assert set(reports.values_list("status", flat=True)) == set(ReportStatus.values)
    for programme in programmes.filter(stage=Stage.CLOSED)[:10]:
        assert programme.reports.filter(status=ReportStatus.ACKNOWLEDGED).count() == 4
        checks = {c.key: c.ok for c in programme_selectors.closure_checklist(programme)}
        assert checks["reports"] and checks["resources"], checks


def test_every_closed_programme_passes_the_closure_checklist_the_services_apply(small):
    """A closed programme in the bench data is one ``programme_close`` would have closed: every
    goal's final result measured and validated, every period of the year validated, the four
    reports received, the resources reconciled and the closing acta uploaded."""
    closed = WorkProgramme.objects.filter(agreement__round="BENCH", stage=Stage.CLOSED)
    assert closed.count() > 32  # every earlier year, and some of the last one
    failing = {}
    for programme in closed:
        measures = programme_selectors.year_measures(programme)
        assert measures.total > 0, programme
        checks = programme_selectors.closure_checklist(programme)
        missing = [f"{c.key}: {c.detail}" for c in checks if not c.ok]
        if missing or measures.missing or measures.unmeasured:
            failing[f"{programme.agreement.state_id} {programme.year}"] = missing
    assert failing == {}


def test_report_lines_cover_every_goal_and_justify_the_deviations(small):
    reports = QuarterlyReport.objects.filter(programme__agreement__round="BENCH").annotate(
        n=Count("lines")
    )
    assert all(r.n == SIZES["S"].goals_per_agreement for r in reports)
    rows = ReportLine.objects.filter(report__in=reports).select_related("report__programme")
    sent = rows.exclude(report__status=ReportStatus.DRAFT)
    assert not sent.filter(planned__isnull=True).exists()
    received = rows.filter(report__status=ReportStatus.ACKNOWLEDGED)
    assert received.exists() and not received.filter(validated__isnull=True).exists()
    assert (
        not rows.exclude(report__status=ReportStatus.ACKNOWLEDGED)
        .filter(validated__isnull=False)
        .exists()
    )
    for row in sent:
        if abs(row.achieved - row.planned) > row.report.programme.deviation_threshold:
            assert row.justification


def test_the_programmes_history_has_their_stages_and_reports(small):
    from transversal.audit.models import AuditEvent

    programmes = WorkProgramme.objects.filter(agreement__round="BENCH")
    events = AuditEvent.objects.filter(target_type__model="workprogramme")
    assert events.filter(verb="programme.create").count() == programmes.count()
    assert events.filter(verb="programme.close").count() == (
        programmes.filter(stage=Stage.CLOSED).count()
    )
    sent = QuarterlyReport.objects.filter(programme__in=programmes).exclude(
        status=ReportStatus.DRAFT
    )
    assert events.filter(verb="report.send").count() == sent.count()


def test_the_harmonization_matrix_has_every_state_and_proposals_with_their_events(small):
    from transversal.audit.models import AuditEvent
    from transversal.harmonization.demo import CATALOGUE
    from transversal.harmonization.models import Cell, CellProposal, ProposalStatus

    assert Cell.objects.count() == 32 * len(CATALOGUE)
    assert not Cell.objects.filter(is_synthetic=False).exists()
    decided = CellProposal.objects.exclude(decision=ProposalStatus.PROPOSED)
    assert decided.count() == Cell.objects.count() * SIZES["S"].years
    waiting = CellProposal.objects.filter(decision=ProposalStatus.PROPOSED)
    assert waiting.values("cell").distinct().count() == waiting.count() > 0
    events = AuditEvent.objects.filter(target_type__model="cell")
    assert events.filter(verb="cell.propose").count() == CellProposal.objects.count()
    assert events.filter(verb__in=["proposal.accept", "proposal.return"]).count() == (
        decided.count()
    )


def test_the_statistics_cover_every_state_and_the_country_by_sex_year_and_age(small):
    from transversal.bench.dataset import STAT_AGE_GROUPS
    from transversal.genderstats.demo import INDICATORS
    from transversal.genderstats.models import StatValue

    per_indicator = SIZES["S"].years * 33 * len(STAT_AGE_GROUPS) * 3
    assert StatValue.objects.count() == len(INDICATORS) * per_indicator
    assert not StatValue.objects.filter(is_synthetic=False).exists()
    assert StatValue.objects.filter(state__isnull=True).count() == (
        len(INDICATORS) * SIZES["S"].years * len(STAT_AGE_GROUPS) * 3
    )


def test_the_harmonization_cells_spread_over_every_status_and_way_of_citing(small):
    from transversal.harmonization.models import Cell, CellProposal, ProposalStatus, Status

    cells = Cell.objects.all()
    assert set(cells.values_list("status", flat=True)) == set(Status.values)
    assert set(CellProposal.objects.values_list("decision", flat=True)) == set(
        ProposalStatus.values
    )
    by_gazette = cells.exclude(gazette="").filter(published_on__isnull=False)
    by_instrument = cells.exclude(instrument="").exclude(article="")
    assert by_gazette.filter(instrument="").exists()
    assert by_instrument.filter(gazette="").exists()
    assert by_gazette.filter(pk__in=by_instrument).exists()
    unverified = [cell for cell in cells if not cell.is_cited]
    assert 0 < len(unverified) < cells.count() / 2
    assert small.counts["celdas de armonización"] == cells.count()
    assert small.counts["propuestas de armonización"] == CellProposal.objects.count()


def test_the_statistics_count_is_reported(small):
    from transversal.genderstats.models import StatValue

    assert small.counts["valores estadísticos"] == StatValue.objects.count() > 0


def test_each_institute_keeps_its_registers_over_the_years_every_total_adding_up(small):
    from transversal.audit.models import AuditEvent
    from transversal.bench.dataset import (
        AFFIRMATIVE_PER_YEAR,
        MECHANISMS_PER_INSTITUTE,
        TRAININGS_PER_QUARTER,
    )
    from transversal.registers.models import REGISTER_MODELS, IndicatorFeed

    spec = SIZES["S"]
    expected = {
        "capacitaciones": 32 * spec.years * 4 * TRAININGS_PER_QUARTER * spec.registers,
        "acciones afirmativas": 32 * spec.years * AFFIRMATIVE_PER_YEAR * spec.registers,
        "mecanismos de participación": 32
        * spec.years
        * (MECHANISMS_PER_INSTITUTE + spec.registers),
        "conteos de servicios": 32 * spec.years * 12 * 4 * spec.registers,
        "fuentes de registro": 32,
    }
    assert {name: small.counts[name] for name in expected} == expected
    for register, model in REGISTER_MODELS.items():
        entries = model.objects.filter(institution__slug__startswith="bench-imef-")
        assert not entries.filter(is_synthetic=False).exists()
        for entry in entries.order_by("pk")[:200]:
            assert entry.check_counts() == {}, (register, entry.pk)
            entry.clean()
            assert entry.counted_on == entry.count_date()
        events = AuditEvent.objects.filter(verb=f"{register}.create")
        assert events.count() == entries.count()
    feeds = IndicatorFeed.objects.filter(indicator__owner__slug__startswith="bench-imef-")
    assert {feed.indicator.measure for feed in feeds} == {"count"}
    assert feeds.values("indicator__owner").distinct().count() == 32
