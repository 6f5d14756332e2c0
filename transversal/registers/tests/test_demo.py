"""The demo registers: the 32 state institutes' entries, invented and said so, consistent, free
of personal data, the same on every load; Durango's and Zacatecas's indicator of public
servants trained takes its value from the training register.

The demo world is built once for the module with the steps the registers read (institutions,
people, coordination systems); the database is put back to what ``migrate`` created
afterwards. The entries follow today's date, and so do these checks."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from transversal.accounts import demo as accounts_demo
from transversal.audit.models import AuditEvent
from transversal.conftest import restore_migrated_state
from transversal.coordination import demo as coordination_demo
from transversal.core.pii import find_personal_data
from transversal.institutions import demo as institutions_demo
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring.models import Indicator
from transversal.registers import demo
from transversal.registers.models import (
    REGISTER_MODELS,
    AffirmativeAction,
    IndicatorFeed,
    ParticipationMechanism,
    ServiceCount,
    TrainingEvent,
)
from transversal.registers.services import TEXT_FIELDS

pytestmark = pytest.mark.django_db

STEPS = (institutions_demo.load, accounts_demo.load, coordination_demo.load, demo.load)


def _load() -> None:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for step in STEPS:
            step(lambda _line: None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        restore_migrated_state()
        _load()
    yield
    with django_db_blocker.unblock():
        restore_migrated_state()


def _entries():
    for register, model in REGISTER_MODELS.items():
        for entry in model.objects.all():
            yield register, entry


def _fingerprint() -> list:
    """What the entries say, without their keys: equal for two loads alike."""
    return [
        sorted(
            (str(entry.counted_on), entry.institution.slug, str(entry), entry.women, entry.men)
            for entry in model.objects.select_related("institution")
        )
        for model in REGISTER_MODELS.values()
    ]


def test_every_state_institute_has_entries_in_the_four_registers(world):
    institutes = set(
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).values_list("pk", flat=True)
    )
    assert len(institutes) == 32
    for model in REGISTER_MODELS.values():
        assert set(model.objects.values_list("institution", flat=True)) == institutes, model


def test_every_entry_is_synthetic_and_says_so(world):
    for register, entry in _entries():
        assert entry.is_synthetic, (register, entry)
        assert "dato sintético" in entry.notes


def test_no_text_looks_like_personal_data(world):
    for register, entry in _entries():
        for field in TEXT_FIELDS[register]:
            text = getattr(entry, field)
            assert find_personal_data(text) is None, (register, field, text)


def test_every_total_adds_up_with_its_parts(world):
    for register, entry in _entries():
        assert entry.check_counts() == {}, (register, entry)
        entry.clean()  # the register's own checks (sectors, attentions, certificates)
        assert entry.counted_on == entry.count_date()


def test_entries_typed_by_a_person_go_through_the_service_and_leave_its_event(world):
    for register, model in REGISTER_MODELS.items():
        if model is ServiceCount:
            continue  # the monthly counts are inserted in bulk
        audited = set(
            AuditEvent.objects.filter(verb=f"{register}.create").values_list("target_id", flat=True)
        )
        entries = model.objects.all()
        assert not entries.filter(created_by__isnull=True).exists()
        assert {str(pk) for pk in entries.values_list("pk", flat=True)} <= audited


def test_training_events_fill_each_quarter_and_most_train_public_servants(world):
    today = timezone.localdate()
    events = TrainingEvent.objects.all()
    assert not events.filter(end__gt=today).exists()
    assert set(events.values_list("audience", flat=True)) == {
        "public_servants",
        "general",
        "reeducation",
    }
    servants = events.filter(audience="public_servants").count()
    assert servants > events.count() / 2
    durango = events.filter(institution__slug="iem-durango")
    quarters = {((e.end.month - 1) // 3 + 1, e.end.year) for e in durango}
    expected = {
        (q, year)
        for year in (today.year - 1, today.year)
        for q in (1, 2, 3, 4)
        if (year, 3 * q - 2) <= (today.year, today.month)
    }
    assert quarters == expected


def test_places_are_real_municipalities_of_the_state_or_the_whole_state(world):
    with_places = set()
    for model in (TrainingEvent, ServiceCount):
        for entry in model.objects.select_related("institution", "municipality"):
            if entry.municipality is not None:
                assert entry.municipality.state_id == entry.institution.state_id
                with_places.add(entry.institution.state.code)
    for action in AffirmativeAction.objects.prefetch_related("municipalities"):
        for municipality in action.municipalities.all():
            assert municipality.state_id == action.institution.state_id
            with_places.add(action.institution.state.code)
    # The shipped catalogue extract holds Durango's and Zacatecas's municipalities only.
    assert with_places == {"10", "32"}
    assert ServiceCount.objects.filter(municipality__isnull=True).exists()


def test_some_mechanisms_are_linked_to_their_states_coordination_system(world):
    mechanisms = ParticipationMechanism.objects.select_related("system", "institution")
    linked = [m for m in mechanisms if m.system is not None]
    assert linked and len(linked) < len(mechanisms)
    for mechanism in linked:
        assert mechanism.system.secretariat_id == mechanism.institution_id
    today = timezone.localdate()
    assert set(mechanisms.values_list("year", flat=True)) == {today.year - 1, today.year}


def test_services_are_counted_every_month_that_ended(world):
    today = timezone.localdate()
    months = set(
        ServiceCount.objects.filter(institution__slug="semujer-zacatecas").values_list(
            "month", flat=True
        )
    )
    assert months == set(demo._months(today))
    assert max(months) < today.replace(day=1)


@pytest.mark.parametrize("slug", ["iem-durango", "semujer-zacatecas"])
def test_the_indicator_of_public_servants_trained_takes_its_value_from_the_register(world, slug):
    indicator = Indicator.objects.get(owner__slug=slug, name=demo.FED_INDICATOR)
    assert indicator.is_synthetic and indicator.measure == "count" and indicator.by_sex
    year = timezone.localdate().year
    assert [p.label for p in indicator.periods.order_by("start")] == [
        f"{year}-T{q}" for q in (1, 2, 3, 4)
    ]
    feed = IndicatorFeed.objects.get(indicator=indicator)
    assert (feed.register, feed.aggregation) == ("training", "people")
    assert feed.filters == {"audience": ["public_servants"]}
    assert AuditEvent.objects.filter(
        verb="indicator.feed_save", target_id=str(indicator.pk)
    ).exists()


def test_a_second_load_changes_nothing_and_a_reload_gives_the_same_entries(world):
    before = _fingerprint()
    counts = [model.objects.count() for model in REGISTER_MODELS.values()]
    _load()
    assert [model.objects.count() for model in REGISTER_MODELS.values()] == counts
    for model in REGISTER_MODELS.values():
        model.objects.all().delete()
    demo.load(lambda _line: None)
    assert _fingerprint() == before


@pytest.mark.parametrize("slug", ["iem-durango", "semujer-zacatecas"])
def test_each_quarter_that_ended_has_its_figure_proposed_from_the_register(world, slug):
    from transversal.registers.models import FeedProposal

    today = timezone.localdate()
    indicator = Indicator.objects.get(owner__slug=slug, name=demo.FED_INDICATOR)
    ended = [p for p in indicator.periods.order_by("start") if p.has_ended(today)]
    if not ended:
        pytest.skip("no quarter of this year has ended yet")
    for n, period in enumerate(ended):
        update = period.updates.get(is_current=True)
        assert update.is_synthetic
        assert update.status == ("draft" if n == len(ended) - 1 else "approved")
        proposal = FeedProposal.objects.filter(update__period=period).latest("computed_at")
        events = TrainingEvent.objects.filter(
            institution=indicator.owner,
            audience="public_servants",
            counted_on__range=(period.start, period.end),
        )
        assert events.exists()
        assert update.value == proposal.value == sum(e.total for e in events)
        assert sorted(proposal.entry_codes) == sorted(str(e.code) for e in events)
        sex = {row.category: row.value for row in update.breakdown.filter(dimension="sex")}
        assert sex["women"] == sum(e.women for e in events)
        assert sex["men"] == sum(e.men for e in events)
    assert not indicator.periods.filter(end__gte=today, updates__isnull=False).exists()


def test_the_registers_pages_say_dato_sintetico(client, world):
    from django.urls import reverse

    from transversal.accounts.models import User

    client.force_login(User.objects.get(email="captura.durango@transversal.test"))
    for register in REGISTER_MODELS:
        page = client.get(reverse("registers:list", args=[register]))
        assert page.status_code == 200
        assert "dato sintético" in page.content.decode(), register
    entry = TrainingEvent.objects.filter(institution__slug="iem-durango").first()
    page = client.get(reverse("registers:detail", args=["training", entry.code]))
    assert "dato sintético" in page.content.decode()


def test_the_fed_indicator_has_a_target_each_quarter_so_its_light_is_computed(world):
    indicator = Indicator.objects.get(owner__slug="iem-durango", name=demo.FED_INDICATOR)
    assert [p.target for p in indicator.periods.order_by("start")] == [demo.FED_TARGET] * 4
