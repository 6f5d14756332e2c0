"""The demo's yearly cycle: Durango's programme in execution, a proposal waiting for the national
decision and last year's programme closed, written through the services (audit trail
included) and loaded twice alike.

The demo world is built once for the module with the steps the cycle reads (institutions,
people, convenios, figures); the database is put back to what ``migrate`` created afterwards.
The stories follow today's date, and so do these checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from transversal.accounts import demo as accounts_demo
from transversal.accounts.access import scope_for
from transversal.accounts.models import User
from transversal.agreements import demo as agreements_demo
from transversal.audit.models import AuditEvent
from transversal.conftest import restore_migrated_state
from transversal.institutions import demo as institutions_demo
from transversal.monitoring import demo as monitoring_demo
from transversal.monitoring.models import Indicator, ProgressUpdate, UpdateStatus
from transversal.workprogrammes import demo, selectors
from transversal.workprogrammes.access import is_validator
from transversal.workprogrammes.models import (
    QUARTERS,
    AssistanceRequest,
    Observation,
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Stage,
    WorkProgramme,
    quarter_end,
)

pytestmark = pytest.mark.django_db

STEPS = (
    institutions_demo.load,
    accounts_demo.load,
    agreements_demo.load,
    monitoring_demo.load,
    demo.load,
)


def _load() -> None:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for step in STEPS:
            step(lambda _line: None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        restore_migrated_state()
        _load()
    yield media
    with django_db_blocker.unblock():
        restore_migrated_state()


@pytest.fixture
def media(world, settings):
    settings.MEDIA_ROOT = world
    return world


def _verbs(programme: WorkProgramme) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type__model="workprogramme", target_id=str(programme.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def _durango() -> WorkProgramme:
    return WorkProgramme.objects.get(
        agreement__state_institution__slug="iem-durango", year=timezone.localdate().year
    )


def _ended() -> list[int]:
    today = timezone.localdate()
    return [q for q in QUARTERS if quarter_end(today.year, q) < today]


def test_the_national_validator_persona_validates(media):
    validator = User.objects.get(email="validacion@transversal.test")
    assert is_validator(scope_for(validator))
    assert validator.check_password(accounts_demo.DEMO_PASSWORD)


def test_the_states_goal_figures_are_validated_by_the_national_validator_persona(media):
    validated = ProgressUpdate.objects.filter(
        is_current=True, status=UpdateStatus.APPROVED, period__indicator__goals__isnull=False
    ).exclude(period__indicator__owner__kind="national")
    assert validated.exists()
    emails = set(validated.values_list("validated_by__email", flat=True))
    assert emails == {demo.VALIDATOR}


def test_every_programme_and_request_is_synthetic(media):
    assert WorkProgramme.objects.count() == 3
    assert not WorkProgramme.objects.filter(is_synthetic=False).exists()
    assert not AssistanceRequest.objects.filter(is_synthetic=False).exists()


def test_durango_was_observed_on_one_goal_corrected_validated_and_is_in_execution(media):
    programme = _durango()
    assert programme.stage == Stage.IN_EXECUTION
    lines = list(programme.lines.order_by("goal__number"))
    assert 3 <= len(lines) <= 5
    assert all(line.means_of_verification and line.responsible_area for line in lines)
    assert all(line.planned_q4 == 100 and line.federal_approved > 0 for line in lines)
    observation = Observation.objects.get(programme=programme)
    assert observation.line.goal.number == demo.OBSERVED_GOAL
    assert observation.author.email == demo.VALIDATOR
    assert observation.answered_at is not None and observation.answer == demo.CORRECTION
    assert observation.line.means_of_verification == demo.CORRECTED_MEANS
    verbs = _verbs(programme)
    for verb in (
        "programme.create",
        "programme.line_add",
        "programme.propose",
        "programme.observe",
        "programme.line_change",
        "programme.correct",
        "programme.validate",
        "programme.start",
    ):
        assert verb in verbs, verb
    assert verbs.index("programme.observe") < verbs.index("programme.correct")
    assert verbs.index("programme.correct") < verbs.index("programme.validate")


def test_durango_sent_the_quarters_that_ended_and_writes_the_last_one(media):
    programme = _durango()
    ended = _ended()
    reports = {r.quarter: r for r in programme.reports.all()}
    assert set(reports) == set(ended)
    for quarter in ended[:-1]:
        report = reports[quarter]
        assert report.status == ReportStatus.ACKNOWLEDGED
        assert report.sent_by.email == "captura.durango@transversal.test"
        assert report.reviewed_by.email == demo.VALIDATOR
        assert not report.lines.filter(achieved__isnull=True).exists()
        assert not report.lines.filter(validated__isnull=True).exists()  # validated figures
    if ended:
        assert reports[ended[-1]].status == ReportStatus.DRAFT
    verbs = _verbs(programme)
    assert verbs.count("report.send") == verbs.count("report.acknowledge") == len(ended[:-1])


def test_the_reports_received_compare_the_years_progress_with_the_schedule(media):
    """The goals' figures accumulate over the year against the year's target, so most goals
    are on schedule and only a real delay asks for a justification."""
    programme = _durango()
    rows = list(
        ReportLine.objects.filter(
            report__programme=programme, report__status=ReportStatus.ACKNOWLEDGED
        )
    )
    if not rows:  # no quarter received yet (before July)
        return
    on_schedule = [
        row for row in rows if not selectors.deviates(programme, row.planned, row.achieved)
    ]
    assert on_schedule and all(not row.justification for row in on_schedule)
    late = [row for row in rows if row not in on_schedule]
    assert all(row.justification for row in late)
    assert all(row.achieved <= row.planned for row in late)


def test_one_goal_figure_of_the_last_quarter_waits_for_the_national_validation(media):
    programme = _durango()
    waiting = ProgressUpdate.objects.filter(
        is_current=True,
        status=UpdateStatus.VALIDATING,
        period__indicator__goals__agreement=programme.agreement,
    )
    ended = _ended()
    if not ended:  # January to March: no quarter of the year has ended
        assert not waiting.exists()
        return
    update = waiting.select_related("period", "reviewed_by").get()
    assert update.period.end == quarter_end(programme.year, ended[-1])
    assert update.reviewed_by.email == "revision.durango@transversal.test"
    # the quarters before were validated by the persona
    earlier = ProgressUpdate.objects.filter(
        is_current=True,
        period__indicator__goals__agreement=programme.agreement,
        period__start__year=programme.year,
        period__end__lt=update.period.start,
        period__indicator__frequency="quarterly",
    )
    assert earlier.count() == len(ended[:-1]) * programme.lines.count()
    assert set(earlier.values_list("validated_by__email", flat=True)) <= {demo.VALIDATOR}


def test_durango_has_an_open_assistance_request_for_a_goal(media):
    request = AssistanceRequest.objects.select_related("followup").get(
        agreement__state_institution__slug="iem-durango"
    )
    assert request.followup.kind == "asistencia"
    assert request.followup.status == "open"
    assert request.goals.filter(number=demo.OBSERVED_GOAL).exists()
    assert AuditEvent.objects.filter(
        verb="assistance.request", target_type__model="assistancerequest"
    ).exists()


def test_a_proposal_waits_for_the_national_decision(media):
    programme = WorkProgramme.objects.select_related("agreement__state").get(stage=Stage.PROPOSED)
    assert programme.year == timezone.localdate().year
    # the demo's Zacatecas convenio is a draft without dates: another state proposes
    assert programme.agreement.state_institution.slug != "iem-durango"
    assert programme.lines.exists() and not programme.reports.exists()
    assert _verbs(programme)[-1] == "programme.propose"


def test_last_years_programme_is_closed_with_its_checklist_and_periods_locked(media):
    programme = WorkProgramme.objects.get(year=timezone.localdate().year - 1)
    assert programme.stage == Stage.CLOSED and programme.closed_by.email == demo.VALIDATOR
    assert all(item.ok for item in selectors.closure_checklist(programme))
    # Every goal's final result measured and validated: none reads «Sin dato».
    final = programme.reports.get(quarter=4).lines.all()
    assert final and all(row.validated is not None for row in final)
    periods = selectors.programme_periods(programme)
    assert periods.exists() and not periods.filter(locked=False).exists()
    assert programme.reports.filter(status=ReportStatus.ACKNOWLEDGED).count() == 4
    assert programme.closing_documents.count() == 1
    verbs = _verbs(programme)
    for verb in ("programme.refund", "programme.minutes", "programme.close"):
        assert verb in verbs, verb
    assert AuditEvent.objects.filter(verb="period.lock").count() == periods.count()


def test_early_in_a_year_durango_executes_without_reports_and_no_closure_is_forced(
    media, monkeypatch
):
    """From January to March no quarter has ended: nothing to report or validate yet. No state
    has every figure of the year that just ended validated: no programme is closed."""
    year = timezone.localdate().year + 1
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(year, 2, 10))
    said = []
    demo.load(said.append)
    programme = WorkProgramme.objects.get(
        agreement__state_institution__slug="iem-durango", year=year
    )
    assert programme.stage == Stage.IN_EXECUTION and not programme.reports.exists()
    assert "programme.start" in _verbs(programme)
    assert not ProgressUpdate.objects.filter(
        period__indicator__goals__agreement=programme.agreement,
        period__start__year=year,
    ).exists()
    assert not WorkProgramme.objects.filter(year=year - 1, stage=Stage.CLOSED).exists()
    assert any("no hay programa cerrado" in line for line in said)


def test_loading_twice_changes_nothing(media):
    def counts():
        return [
            model.objects.count()
            for model in (
                WorkProgramme,
                ProgrammeLine,
                QuarterlyReport,
                ReportLine,
                Observation,
                AssistanceRequest,
                Indicator,
                ProgressUpdate,
                AuditEvent,
            )
        ]

    before = counts()
    demo.load(lambda _line: None)
    assert counts() == before
