"""`generate_dataset`: the coordination systems of the small dataset, proportional to its size.

Size S covers 2 years: each state's two systems meet three times a year, and each session held
adopts three to seven acuerdos whose follow-ups end in mixed statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from transversal.bench.dataset import MEMBERS_PER_SYSTEM, SESSIONS_PER_YEAR, SIZES, generate
from transversal.coordination.models import (
    Attendance,
    Resolution,
    Session,
    SessionStatus,
    System,
)
from transversal.followup.models import FollowUp, FollowUpStatus

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
