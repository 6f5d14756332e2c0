"""A deterministic national-scale synthetic dataset for benchmarks.

Sizes (quarterly updates unless noted):

* ``S`` — 32 states × 2 years × 4 indicators per state (about 1,000 updates): CI smoke.
* ``M`` — 32 states × 6 years × 100 quarterly indicators per state (76,800 updates).
* ``L`` — about 1,000,000 updates: 32 states × 6 years × (100 quarterly + 400 monthly
  indicators per state), plus municipal institutes' indicators.

Every size also gets each state's two coordination systems (equality, violence) over its
years: three sessions a year, about five acuerdos per session held, in mixed statuses; and
its institute's improvement step: an evaluation a year with two to four findings, some
proposals for sustained red lights, and one or two ASM per accepted finding, in mixed
statuses (some overdue); and its convenio's work programme of each year: one line per goal,
earlier years closed with their four quarterly reports received, the last year's programmes
spread over every stage (the ones validated or in execution with their quarterly reports in
mixed statuses). A closed programme is one ``programme_close`` would have closed: the reports
of its goals' indicators in its year are all approved (the other reports keep the mixed
statuses), its unspent federal funds are refunded and its signed closing acta is uploaded.
Each institute's registers grow with the size (``registers``, a factor): a few training events
a quarter, affirmative actions and participation mechanisms each year, and monthly service
counts per service (tens of thousands at M), with one create event each and a training feed on
one count indicator per institute.

Everything is marked synthetic (``is_synthetic`` and "(dato sintético)" in names) and
built with bulk inserts in batches: the workflow services are exercised by the test
suite, not here, because a million audited service calls would measure the generator,
not Transversal. Audit events are still written, in bulk, one per status change, so the
history and its indexes have a realistic size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from transversal.accounts.models import Membership, Role, User
from transversal.agreements.models import Agreement, AgreementStatus, EmphasisArea, Goal
from transversal.audit.models import AuditEvent
from transversal.coordination.models import (
    AgendaItem,
    Attendance,
    Commission,
    Resolution,
    Session,
    SessionStatus,
    System,
    SystemMember,
)
from transversal.coordination.services import folio_for
from transversal.core.demofiles import demo_pdf
from transversal.followup.models import FollowUp, FollowUpNote, FollowUpStatus
from transversal.genderstats import demo as statistics_demo
from transversal.genderstats.models import ContextIndicator, StatValue
from transversal.harmonization.demo import CATALOGUE as HARMONIZATION_CATALOGUE
from transversal.harmonization.models import Cell, CellProposal, ProposalStatus, Provision
from transversal.harmonization.models import Status as CellStatus
from transversal.improvement.models import (
    ActionKind,
    Evaluation,
    EvaluationKind,
    Finding,
    FindingSource,
    FindingStatus,
    ImprovementAction,
    Priority,
)
from transversal.institutions.models import Institution, InstitutionKind, InstitutionName
from transversal.monitoring import periods as calendar
from transversal.monitoring import rules
from transversal.monitoring.models import (
    DisaggregatedValue,
    Evidence,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    ReviewComment,
    StateSummary,
)
from transversal.monitoring.services import workload_refresh
from transversal.registers.models import (
    AGE_FIELDS,
    AffirmativeAction,
    Audience,
    IndicatorFeed,
    ParticipationMechanism,
    ServiceCount,
    ServiceType,
    TrainingEvent,
)
from transversal.territory.models import State
from transversal.workprogrammes.models import (
    QUARTERS,
    ClosingDocument,
    Observation,
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Stage,
    WorkProgramme,
    closing_path,
    quarter_end,
)

BATCH = 5000
PASSWORD_HASH = "!"  # unusable: bench accounts sign in only through force_login in scenarios


@dataclass(frozen=True)
class Size:
    years: int
    quarterly: int
    monthly: int
    municipal_per_state: int
    goals_per_agreement: int
    registers: int  # how much each institute records in its registers (a factor)


SIZES = {
    "S": Size(
        years=2, quarterly=4, monthly=0, municipal_per_state=0, goals_per_agreement=2, registers=1
    ),
    "M": Size(
        years=6,
        quarterly=100,
        monthly=0,
        municipal_per_state=0,
        goals_per_agreement=10,
        registers=4,
    ),
    "L": Size(
        years=6,
        quarterly=100,
        monthly=400,
        municipal_per_state=2,
        goals_per_agreement=10,
        registers=8,
    ),
}
FIRST_YEAR = 2020
STATUS_WEIGHTS = (("approved", 80), ("submitted", 8), ("returned", 4), ("draft", 8))
SESSIONS_PER_YEAR = 3
MEMBERS_PER_SYSTEM = 8
ACUERDO_WEIGHTS = (
    (FollowUpStatus.VERIFIED, 45),
    (FollowUpStatus.DONE, 10),
    (FollowUpStatus.IN_PROGRESS, 20),
    (FollowUpStatus.OPEN, 15),
    (FollowUpStatus.CANCELLED, 10),
)
FINDINGS_PER_EVALUATION = (2, 4)
ACTIONS_PER_FINDING = (1, 2)
RED_PROPOSALS_PER_YEAR = 2  # per institute: the sustained reds the system proposed
PROPOSAL_WEIGHTS = (
    (FindingStatus.PROPOSED, 3),
    (FindingStatus.ACCEPTED, 1),
    (FindingStatus.DISMISSED, 1),
)
# The service whose event leaves a follow-up in each status.
FOLLOWUP_VERBS = {
    FollowUpStatus.IN_PROGRESS: "followup.note_add",
    FollowUpStatus.DONE: "followup.mark_done",
    FollowUpStatus.VERIFIED: "followup.verify",
    FollowUpStatus.CANCELLED: "followup.cancel",
}


@dataclass
class Report:
    size: str
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    counts: dict | None = None

    def lines(self) -> list[str]:
        rows = [
            f"Conjunto {self.size}: {self.seconds:,.1f} s, memoria pico {self.peak_rss_mb:,.0f} MB"
        ]
        rows += [f"  {name}: {count:,}" for name, count in (self.counts or {}).items()]
        return rows


def _batched(rows: Iterator, model, *, log: Callable[[str], None] | None = None) -> int:
    total, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            batch.clear()
    if batch:
        model.objects.bulk_create(batch, batch_size=BATCH)
        total += len(batch)
    return total


def generate(size: str, *, seed: int = 1, log: Callable[[str], None] = print) -> Report:
    if size not in SIZES:
        raise ValueError(f"Tamaño desconocido «{size}»: use S, M o L.")
    spec = SIZES[size]
    rng = random.Random(seed)
    started = time.perf_counter()
    with transaction.atomic():
        national = Institution.objects.get(slug="nacional")
        states = list(State.objects.order_by("code"))
        institutions = _institutions(states, spec)
        people = _people(institutions)
        agreements, goals = _agreements(national, institutions, spec, rng)
        indicators = _indicators(institutions, goals, spec, rng)
        log(f"{len(indicators):,} indicadores")
        closed = _closed_years(agreements)
        counts = _calendar_and_updates(indicators, spec, people, closed, rng, log)
        # The roll-ups count over what was just loaded: the planner needs its statistics first.
        _analyze()
        _rollups(states)
        # Its own random stream: the figures above stay those of earlier runs with this seed.
        counts |= _coordination(institutions, people, spec, random.Random(f"{seed}-coordination"))
        log(f"{counts['acuerdos']:,} acuerdos")
        counts |= _improvement(institutions, people, spec, random.Random(f"{seed}-improvement"))
        log(f"{counts['evaluaciones']:,} evaluaciones, {counts['asm']:,} ASM")
        counts |= _workprogrammes(agreements, people, random.Random(f"{seed}-workprogrammes"))
        log(f"{counts['programas de trabajo']:,} programas de trabajo")
        counts |= _harmonization(states, people, spec, random.Random(f"{seed}-harmonization"))
        log(f"{counts['celdas de armonización']:,} celdas de armonización")
        counts |= _statistics(states, spec, random.Random(f"{seed}-statistics"))
        log(f"{counts['valores estadísticos']:,} valores estadísticos")
        counts |= _registers(institutions, people, spec, random.Random(f"{seed}-registers"))
        log(f"{counts['conteos de servicios']:,} conteos mensuales de servicios")
    _analyze()
    report = Report(
        size=size,
        seconds=time.perf_counter() - started,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    report.counts = {
        "instituciones": len(institutions),
        "convenios": len(agreements),
        "metas": len(goals),
        "indicadores": len(indicators),
        **counts,
    }
    return report


def _analyze() -> None:
    """Statistics for the planner after a bulk load, as after any large import: without them
    PostgreSQL may pick nested loops over thousands of rows (a state count that took forty
    minutes instead of milliseconds, even at size S inside the load's own transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _institutions(states, spec: Size) -> list[Institution]:
    existing = {i.slug: i for i in Institution.objects.filter(slug__startswith="bench-")}
    rows = []
    for state in states:
        slugs = [(f"bench-imef-{state.code}", InstitutionKind.STATE_IMEF)] + [
            (f"bench-imm-{state.code}-{n}", InstitutionKind.MUNICIPAL_IMM)
            for n in range(1, spec.municipal_per_state + 1)
        ]
        for slug, kind in slugs:
            if slug not in existing:
                rows.append(
                    Institution(slug=slug, kind=kind, state=state, legal_form="Organismo sintético")
                )
    Institution.objects.bulk_create(rows, batch_size=BATCH)
    created = {
        i.slug: i
        for i in Institution.objects.filter(slug__startswith="bench-").select_related("state")
    }
    InstitutionName.objects.bulk_create(
        (
            InstitutionName(
                institution=inst,
                sequence=1,
                name=f"Instancia de las Mujeres {inst.state.short_name} "
                f"{'municipal ' if inst.kind == InstitutionKind.MUNICIPAL_IMM else ''}"
                "(dato sintético)",
                acronym=f"IM{inst.state.code}",
            )
            for slug, inst in created.items()
            if slug not in existing
        ),
        batch_size=BATCH,
    )
    return sorted(created.values(), key=lambda i: i.slug)


def _people(institutions) -> dict[int, tuple[User, User]]:
    people = {}
    for inst in institutions:
        if inst.kind != InstitutionKind.STATE_IMEF:
            continue
        pair = []
        for role in (Role.EDITOR, Role.REVIEWER):
            email = f"{role}.{inst.slug}@bench.transversal.test"
            user = User.objects.filter(email=email).first() or User.objects.create(
                email=email,
                full_name=f"{role} {inst.state.short_name} (sintético)",
                password=PASSWORD_HASH,
            )
            Membership.objects.get_or_create(user=user, institution=inst, defaults={"role": role})
            pair.append(user)
        people[inst.state_id] = tuple(pair)
    return people


def _agreements(national, institutions, spec: Size, rng: random.Random):
    agreements = []
    for inst in institutions:
        if inst.kind != InstitutionKind.STATE_IMEF:
            continue
        agreement = Agreement.objects.filter(
            state_institution=inst, round="BENCH"
        ).first() or Agreement.objects.create(
            national_institution=national,
            state=inst.state,
            state_institution=inst,
            round="BENCH",
            title=f"Convenio sintético {inst.state.short_name} (dato sintético)",
            status=AgreementStatus.IN_FORCE,
            valid_from=dt.date(FIRST_YEAR, 1, 1),
            valid_to=dt.date(FIRST_YEAR + spec.years - 1, 12, 31),
            emphasis_areas=EmphasisArea.values,
            is_synthetic=True,
        )
        agreements.append(agreement)
    areas = EmphasisArea.values
    Goal.objects.bulk_create(
        (
            Goal(
                agreement=a,
                number=n,
                description=f"Meta sintética {n}",
                area=areas[(n - 1) % len(areas)],
                is_synthetic=True,
            )
            for a in agreements
            if not a.goals.exists()
            for n in range(1, spec.goals_per_agreement + 1)
        ),
        batch_size=BATCH,
    )
    return agreements, list(Goal.objects.filter(agreement__in=agreements))


def _indicators(institutions, goals, spec: Size, rng: random.Random) -> list[Indicator]:
    if Indicator.objects.filter(owner__slug__startswith="bench-").exists():
        return list(Indicator.objects.filter(owner__slug__startswith="bench-"))
    goals_by_state: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_by_state.setdefault(goal.agreement.state_id, []).append(goal)
    rows = []
    for inst in institutions:
        counts = ((calendar.QUARTERLY, spec.quarterly), (calendar.MONTHLY, spec.monthly))
        if inst.kind == InstitutionKind.MUNICIPAL_IMM:
            counts = ((calendar.QUARTERLY, max(1, spec.quarterly // 10)),)
        for frequency, count in counts:
            for n in range(1, count + 1):
                measure = ("count", "percentage", "rate")[n % 3]
                rows.append(
                    Indicator(
                        owner=inst,
                        name=f"Indicador sintético {frequency[:1].upper()}{n:03d} (dato sintético)",
                        unit={"count": "personas", "percentage": "porcentaje", "rate": "tasa"}[
                            measure
                        ],
                        measure=measure,
                        frequency=frequency,
                        direction="ascending" if n % 7 else "descending",
                        baseline_year=FIRST_YEAR - 1,
                        baseline_value=Decimal(rng.randint(20, 60)),
                        disaggregations=["sex"] if measure == "count" else [],
                        is_public=n % 2 == 0,
                        is_synthetic=True,
                    )
                )
    Indicator.objects.bulk_create(rows, batch_size=BATCH)
    indicators = list(
        Indicator.objects.filter(owner__slug__startswith="bench-").select_related("owner")
    )
    through = Indicator.goals.through
    links = []
    for indicator in indicators:
        state_goals = goals_by_state.get(indicator.owner.state_id) or []
        if state_goals and indicator.owner.kind == InstitutionKind.STATE_IMEF:
            links.append(
                through(
                    indicator_id=indicator.pk,
                    goal_id=state_goals[indicator.pk % len(state_goals)].pk,
                )
            )
    through.objects.bulk_create(links, batch_size=BATCH)
    return indicators


def _calendar_and_updates(
    indicators, spec: Size, people, closed: dict[int, set[int]], rng: random.Random, log
) -> dict[str, int]:
    """The indicators' periods and their reports, in mixed statuses except where a closed work
    programme needs them validated: ``closed`` gives each state's closed years, and a report in
    such a year of an indicator that measures a goal of the state's convenio is approved."""
    start, end = dt.date(FIRST_YEAR, 1, 1), dt.date(FIRST_YEAR + spec.years - 1, 12, 31)
    specs = {f: calendar.generate_periods(f, start, end) for f in {i.frequency for i in indicators}}
    period_rows = (
        ReportingPeriod(
            indicator=i,
            label=s.label,
            start=s.start,
            end=s.end,
            due_date=s.due_date,
            target=Decimal(rng.randint(60, 100)),
        )
        for i in indicators
        for s in specs[i.frequency]
    )
    n_periods = _batched(period_rows, ReportingPeriod)
    log(f"{n_periods:,} periodos")
    by_indicator = {i.pk: i for i in indicators}
    now = timezone.now()
    update_type = ContentType.objects.get_for_model(ProgressUpdate)
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    today = dt.date.today()
    # The years in which each goal's indicator has its reports validated.
    validated_years = {
        indicator_id: closed.get(state_id, set())
        for indicator_id, state_id in Indicator.goals.through.objects.filter(
            indicator__in=indicators
        ).values_list("indicator_id", "goal__agreement__state_id")
    }

    def updates() -> Iterator[ProgressUpdate]:
        for period in (
            ReportingPeriod.objects.filter(indicator__in=indicators)
            .values_list("pk", "indicator_id", "target", "due_date", "start")
            .iterator(chunk_size=BATCH)
        ):
            pk, indicator_id, target, due, start = period
            if due > today + dt.timedelta(days=120):
                continue  # future periods have no report yet
            indicator = by_indicator[indicator_id]
            # Drawn in every case, so the values that follow stay those of earlier runs.
            status = statuses[rng.randrange(len(statuses))]
            if start.year in validated_years.get(indicator_id, ()):
                status = "approved"
            value = (target * Decimal(rng.randint(40, 120)) / 100).quantize(Decimal(1))
            if indicator.measure == "percentage":
                value = min(value, Decimal(100))
            light = (
                rules.traffic_light(
                    indicator.direction,
                    indicator.baseline_value,
                    target,
                    value,
                    indicator.thresholds,
                )
                if status == "approved"
                else None
            )
            editor, reviewer = people.get(indicator.owner.state_id, (None, None))
            submitted = now - dt.timedelta(days=rng.randint(0, 60)) if status != "draft" else None
            yield ProgressUpdate(
                period_id=pk,
                status=status,
                value=value,
                narrative="Avance sintético.",
                light=light.colour if light else "no_data",
                progress=light.progress if light else None,
                overachieved=bool(light and light.overachieved),
                created_by=editor,
                submitted_at=submitted,
                reviewed_by=reviewer if status in ("approved", "returned") else None,
                reviewed_at=submitted if status in ("approved", "returned") else None,
                is_synthetic=True,
            )

    n_updates = _batched(updates(), ProgressUpdate)
    log(f"{n_updates:,} reportes de avance")
    measure_of = {i.pk: i.measure for i in indicators}

    def details() -> Iterator:
        for pk, value, status, indicator_id, creator in (
            ProgressUpdate.objects.filter(period__indicator__in=indicators)
            .values_list("pk", "value", "status", "period__indicator_id", "created_by_id")
            .iterator(chunk_size=BATCH)
        ):
            if measure_of[indicator_id] == "count":
                women = (value * Decimal("0.6")).quantize(Decimal(1))
                yield DisaggregatedValue(
                    update_id=pk, dimension="sex", category="women", value=women
                )
                yield DisaggregatedValue(
                    update_id=pk, dimension="sex", category="men", value=value - women
                )
            if status == "returned":
                yield ReviewComment(update_id=pk, kind="return", text="Observación sintética.")
            yield AuditEvent(
                actor_id=creator,
                verb=f"update.{status}",
                target_type=update_type,
                target_id=str(pk),
                target_repr="Reporte sintético",
                changes={"status": [None, status]},
            )

    buckets: dict[type, list] = {DisaggregatedValue: [], ReviewComment: [], AuditEvent: []}
    totals = dict.fromkeys(buckets, 0)
    for row in details():
        bucket = buckets[type(row)]
        bucket.append(row)
        if len(bucket) >= BATCH:
            type(row).objects.bulk_create(bucket, batch_size=BATCH)
            totals[type(row)] += len(bucket)
            bucket.clear()
    for model, bucket in buckets.items():
        model.objects.bulk_create(bucket, batch_size=BATCH)
        totals[model] += len(bucket)
    n_evidence = _evidence(rng)
    return {
        "periodos": n_periods,
        "reportes": n_updates,
        "desagregaciones": totals[DisaggregatedValue],
        "observaciones": totals[ReviewComment],
        "eventos de auditoría": totals[AuditEvent],
        "evidencias": n_evidence,
    }


def _file_fields(content: bytes, name: str, kind: str, mime_type: str) -> dict:
    """What a stored file's row records of it (evidence, closing actas)."""
    return {
        "original_name": name,
        "kind": kind,
        "extension": kind,
        "mime_type": mime_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }


def _evidence(rng: random.Random) -> int:
    """One small real file per 200 updates: enough files for backup and download scenarios."""
    rows = []
    for pk in (
        ProgressUpdate.objects.filter(is_synthetic=True, evidence__isnull=True)
        .values_list("pk", flat=True)
        .order_by("pk")[::200]
    ):
        content = f"Evidencia sintética {pk}\n".encode()
        name = default_storage.save(f"evidencias/bench/{pk}.txt", ContentFile(content))
        rows.append(
            Evidence(
                update_id=pk,
                file=name,
                **_file_fields(content, f"evidencia-{pk}.txt", "txt", "text/plain"),
            )
        )
    Evidence.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _rollups(states) -> None:
    """Stored lights from the approved updates, with aggregate queries (as approval would leave
    them)."""
    # One ordered pass over the approved updates: the last one seen per indicator is its latest.
    latest: dict[int, tuple[int, str]] = {}  # indicator -> (update, light), as rollups_refresh
    for indicator_id, update_id, light in (
        ProgressUpdate.objects.filter(
            period__indicator__owner__slug__startswith="bench-", is_current=True, status="approved"
        )
        .order_by("period__indicator_id", "period__start")
        .values_list("period__indicator_id", "pk", "light")
        .iterator(chunk_size=BATCH)
    ):
        latest[indicator_id] = (update_id, light)
    now = timezone.now()
    indicators = list(
        Indicator.objects.filter(owner__slug__startswith="bench-").only(
            "pk", "light", "latest_approved"
        )
    )
    for indicator in indicators:
        update_id, light = latest.get(indicator.pk, (None, "no_data"))
        indicator.light, indicator.latest_approved_id, indicator.light_updated_at = (
            light,
            update_id,
            now,
        )
    Indicator.objects.bulk_update(
        indicators, ["light", "latest_approved", "light_updated_at"], batch_size=BATCH
    )
    goal_colours: dict[int, list[str]] = {}
    for goal_id, light in Indicator.goals.through.objects.filter(
        indicator__owner__slug__startswith="bench-"
    ).values_list("goal_id", "indicator__light"):
        goal_colours.setdefault(goal_id, []).append(light)
    goals = list(Goal.objects.filter(pk__in=goal_colours))
    for goal in goals:
        goal.light, goal.light_updated_at = rules.rollup(goal_colours[goal.pk]).colour, now
    Goal.objects.bulk_update(goals, ["light", "light_updated_at"], batch_size=BATCH)
    by_agreement: dict[int, list[str]] = {}
    for goal in goals:
        by_agreement.setdefault(goal.agreement_id, []).append(goal.light)
    agreements = list(Agreement.objects.filter(pk__in=by_agreement))
    for agreement in agreements:
        agreement.light, agreement.light_updated_at = (
            rules.rollup(by_agreement[agreement.pk]).colour,
            now,
        )
    Agreement.objects.bulk_update(agreements, ["light", "light_updated_at"])
    for state in states:
        summary = rules.rollup(
            Goal.objects.filter(agreement__state=state).values_list("light", flat=True)
        )
        StateSummary.objects.update_or_create(
            state=state,
            defaults={
                "light": summary.colour,
                "goals_green": summary.green,
                "goals_yellow": summary.yellow,
                "goals_red": summary.red,
                "goals_no_data": summary.no_data,
            },
        )
    workload_refresh()


# Coordination systems ------------------------------------------------------------------------


def _coordination(institutions, people, spec: Size, rng: random.Random) -> dict[str, int]:
    """Each state's two systems over the dataset's years, kept by its synthetic institute: members,
    a commission, three sessions a year (held, now and then cancelled or never recorded), their
    agenda and attendance, and about five acuerdos per session held whose follow-ups end in
    mixed statuses (some overdue), with their notes and audit events."""
    institutes = [i for i in institutions if i.kind == InstitutionKind.STATE_IMEF]
    existing = System.objects.filter(secretariat__in=institutes)
    if not existing.exists():
        _systems(institutes, spec, rng)
    sessions = Session.objects.filter(system__secretariat__in=institutes)
    resolutions = Resolution.objects.filter(session__in=sessions)
    if not resolutions.exists():
        _acuerdos(institutes, people, rng)
    return {
        "sistemas": existing.count(),
        "sesiones": sessions.count(),
        "acuerdos": resolutions.count(),
    }


def _systems(institutes, spec: Size, rng: random.Random) -> None:
    systems = [
        System(
            name=f"Sistema estatal {label} {inst.state.short_name} (dato sintético)",
            acronym=f"{prefix}-{inst.state.code}",
            topic=topic,
            level="state",
            state=inst.state,
            secretariat=inst,
            legal_instrument="Ley estatal (referencia genérica, dato sintético)",
            is_synthetic=True,
        )
        for inst in institutes
        for topic, prefix, label in (
            ("equality", "SEI", "para la igualdad"),
            ("violence", "SEPASEV", "contra la violencia"),
        )
    ]
    System.objects.bulk_create(systems, batch_size=BATCH)
    founded = dt.date(FIRST_YEAR - 1, 1, 15)
    sectors = ("government", "government", "government", "civil_society", "academia", "council")
    members = [
        SystemMember(
            system=system,
            institution=system.secretariat,
            sector="government",
            role="secretariat",
            joined_on=founded,
        )
        for system in systems
    ] + [
        SystemMember(
            system=system,
            name=f"Integrante sintético {n} (dato sintético)",
            sector=sectors[n % len(sectors)],
            joined_on=founded,
        )
        for system in systems
        for n in range(1, MEMBERS_PER_SYSTEM)
    ]
    SystemMember.objects.bulk_create(members, batch_size=BATCH)
    Commission.objects.bulk_create(
        (
            Commission(
                system=system, name="Comisión sintética (dato sintético)", created_on=founded
            )
            for system in systems
        ),
        batch_size=BATCH,
    )
    today = dt.date.today()
    sessions = []
    for system in systems:
        for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
            for number in range(1, SESSIONS_PER_YEAR + 1):
                date = dt.date(year, 4 * number - 1, rng.randint(5, 25))
                roll = rng.random()
                status = (
                    SessionStatus.SCHEDULED
                    if date >= today or roll < 0.03
                    else SessionStatus.CANCELLED
                    if roll < 0.06
                    else SessionStatus.HELD
                )
                sessions.append(
                    Session(
                        system=system,
                        kind="ordinary",
                        number=number,
                        year=year,
                        date=date,
                        status=status,
                        cancel_reason="Sin quórum (dato sintético)."
                        if status == SessionStatus.CANCELLED
                        else "",
                    )
                )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    _batched(
        (
            AgendaItem(session=session, position=position, text=f"Punto sintético {position}")
            for session in sessions
            for position in (1, 2, 3)
        ),
        AgendaItem,
    )
    by_system: dict[int, list[SystemMember]] = {}
    for member in members:
        by_system.setdefault(member.system_id, []).append(member)
    _batched(
        (
            Attendance(session=session, member=member, present=rng.random() < 0.85)
            for session in sessions
            if session.status == SessionStatus.HELD
            for member in by_system[session.system_id]
        ),
        Attendance,
    )


def _acuerdos(institutes, people, rng: random.Random) -> None:
    today = dt.date.today()
    statuses = [s for s, w in ACUERDO_WEIGHTS for _ in range(w)]
    held = (
        Session.objects.filter(system__secretariat__in=institutes, status=SessionStatus.HELD)
        .select_related("system__secretariat")
        .order_by("pk")
    )
    followups, resolutions = [], []
    for session in held:
        system = session.system
        editor, reviewer = people.get(system.state_id, (None, None))
        for number in range(1, rng.randint(3, 7) + 1):
            folio = folio_for(
                system, year=session.year, kind=session.kind, session=session.number, number=number
            )
            status = statuses[rng.randrange(len(statuses))]
            due = session.date + dt.timedelta(days=rng.randint(60, 400))
            if status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS) and rng.random() < 0.4:
                due = today + dt.timedelta(days=rng.randint(10, 200))  # still on time
            done_on = min(today, due - dt.timedelta(days=rng.randint(-30, 30)))
            done = status in (FollowUpStatus.DONE, FollowUpStatus.VERIFIED)
            closed = status in (FollowUpStatus.VERIFIED, FollowUpStatus.CANCELLED)
            followup = FollowUp(
                kind="acuerdo",
                title=f"{folio}: Acuerdo sintético (dato sintético)",
                text="Acuerdo sintético (dato sintético).",
                owner=system.secretariat,
                verifier=system.secretariat,
                responsible_person="Titular de área (dato sintético)",
                due_date=due,
                status=status,
                done_by=editor if done else None,
                done_on=done_on if done else None,
                closed_by=reviewer if closed else None,
                closed_on=min(today, done_on + dt.timedelta(days=15)) if closed else None,
                cancel_reason="Sustituido (dato sintético)."
                if status == FollowUpStatus.CANCELLED
                else "",
            )
            followups.append(followup)
            resolutions.append(
                Resolution(session=session, number=number, folio=folio, followup=followup)
            )
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)
    # bulk_create takes each follow-up's new key from the cached object and keeps the cache.
    Resolution.objects.bulk_create(resolutions, batch_size=BATCH)
    reported = (FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.VERIFIED)
    _batched(
        (
            FollowUpNote(
                followup=resolution.followup,
                on=min(today, resolution.session.date + dt.timedelta(days=30)),
                text="Avance sintético (dato sintético).",
                author_id=resolution.followup.done_by_id,
            )
            for resolution in resolutions
            if resolution.followup.status in reported
        ),
        FollowUpNote,
    )
    resolution_type = ContentType.objects.get_for_model(Resolution)
    followup_type = ContentType.objects.get_for_model(FollowUp)
    _batched(_acuerdo_events(resolutions, resolution_type, followup_type), AuditEvent)


def _acuerdo_events(resolutions, resolution_type, followup_type) -> Iterator[AuditEvent]:
    """One event per acuerdo recorded and one per change of its follow-up's status."""
    for resolution in resolutions:
        followup = resolution.followup
        scope = {"institution_id": followup.owner_id, "state_id": followup.owner.state_id}
        yield AuditEvent(
            verb="resolution.add",
            target_type=resolution_type,
            target_id=str(resolution.pk),
            target_repr=resolution.folio,
            changes={"folio": [None, resolution.folio]},
            **scope,
        )
        if followup.status != FollowUpStatus.OPEN:
            yield AuditEvent(
                actor_id=followup.done_by_id or followup.closed_by_id,
                verb=FOLLOWUP_VERBS[followup.status],
                target_type=followup_type,
                target_id=str(followup.pk),
                target_repr=followup.title[:300],
                changes={"status": [FollowUpStatus.OPEN, followup.status]},
                **scope,
            )


# The improvement step ------------------------------------------------------------------------


def _improvement(institutions, people, spec: Size, rng: random.Random) -> dict[str, int]:
    """Each state institute's evaluation a year with two to four accepted findings, the system's
    proposals for sustained red lights (most still waiting, some accepted or dismissed), and one
    or two ASM per accepted finding whose follow-ups end in mixed statuses (some overdue), with
    their notes and audit events."""
    institutes = [i for i in institutions if i.kind == InstitutionKind.STATE_IMEF]
    evaluations = Evaluation.objects.filter(institution__in=institutes)
    findings = Finding.objects.filter(institution__in=institutes)
    actions = ImprovementAction.objects.filter(finding__in=findings)
    if not evaluations.exists():
        created = _evaluations(institutes, people, spec, rng)
        created += _red_proposals(institutes, people, rng, numbers=_numbers_after(created))
        _actions(created, people, rng)
    return {
        "evaluaciones": evaluations.count(),
        "hallazgos": findings.count(),
        "propuestas por semáforo": findings.filter(source=FindingSource.RED_LIGHT).count(),
        "asm": actions.count(),
    }


def _numbers_after(findings) -> dict[tuple[int, int], int]:
    """The last finding number used per (institution, year): findings are numbered in both."""
    last: dict[tuple[int, int], int] = {}
    for finding in findings:
        key = (finding.institution_id, finding.year)
        last[key] = max(last.get(key, 0), finding.number)
    return last


def _evaluations(institutes, people, spec: Size, rng: random.Random) -> list[Finding]:
    today = dt.date.today()
    kinds = [k for k in EvaluationKind.values if k != EvaluationKind.AGREEMENT_REVIEW]
    evaluations = []
    for inst in institutes:
        for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
            kind = kinds[(year + int(inst.state.code)) % len(kinds)]
            started = dt.date(year, rng.randint(2, 6), rng.randint(1, 28))
            ended = started + dt.timedelta(days=rng.randint(90, 200))
            evaluations.append(
                Evaluation(
                    institution=inst,
                    year=year,
                    kind=kind,
                    title=f"Evaluación {EvaluationKind(kind).label.lower()} {year} "
                    f"{inst.state.short_name} (dato sintético)",
                    evaluator="Instancia evaluadora sintética (dato sintético)",
                    started_on=started,
                    ended_on=ended if ended < today else None,
                    summary="Resumen sintético (dato sintético).",
                    is_synthetic=True,
                )
            )
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    findings = []
    for evaluation in evaluations:
        _editor, reviewer = people.get(evaluation.institution.state_id, (None, None))
        decided = evaluation.ended_on or evaluation.started_on + dt.timedelta(days=60)
        for number in range(1, rng.randint(*FINDINGS_PER_EVALUATION) + 1):
            findings.append(
                Finding(
                    institution=evaluation.institution,
                    year=evaluation.year,
                    number=number,
                    source=FindingSource.EVALUATION,
                    evaluation=evaluation,
                    text=f"Hallazgo sintético {number} de la evaluación (dato sintético).",
                    status=FindingStatus.ACCEPTED,
                    decided_by=reviewer,
                    decided_on=min(today, decided),
                    is_synthetic=True,
                )
            )
    Finding.objects.bulk_create(findings, batch_size=BATCH)
    evaluation_type = ContentType.objects.get_for_model(Evaluation)
    _batched(
        (
            AuditEvent(
                actor=people.get(e.institution.state_id, (None, None))[0],
                verb="evaluation.create",
                target_type=evaluation_type,
                target_id=str(e.pk),
                target_repr=e.title[:300],
                changes={"title": [None, e.title], "year": [None, e.year]},
                institution_id=e.institution_id,
                state_id=e.institution.state_id,
            )
            for e in evaluations
        ),
        AuditEvent,
    )
    return findings


def _red_pairs(institutes) -> Iterator[tuple[int, int, int, dt.date]]:
    """(institution, indicator, later period, its end) for each run of two or more consecutive
    approved red periods, once per run as the system proposes them; one ordered pass."""
    previous = None  # (indicator, end of the last red period, whether it closed a red pair)
    for owner, indicator, period, start, end in (
        ProgressUpdate.objects.filter(
            period__indicator__owner__in=institutes,
            is_current=True,
            status="approved",
            light="red",
        )
        .order_by("period__indicator_id", "period__start")
        .values_list(
            "period__indicator__owner_id",
            "period__indicator_id",
            "period_id",
            "period__start",
            "period__end",
        )
        .iterator(chunk_size=BATCH)
    ):
        follows = (
            previous is not None
            and previous[0] == indicator
            and start == previous[1] + dt.timedelta(days=1)
        )
        proposed = follows and previous[2]
        if follows and not proposed:
            yield owner, indicator, period, end
        previous = (indicator, end, follows)


def _red_proposals(institutes, people, rng: random.Random, numbers) -> list[Finding]:
    today = dt.date.today()
    statuses = [s for s, w in PROPOSAL_WEIGHTS for _ in range(w)]
    per_year: dict[tuple[int, int], int] = {}
    proposals = []
    state_of = {i.pk: i.state_id for i in institutes}
    for owner, indicator, period, end in _red_pairs(institutes):
        key = (owner, end.year)
        if per_year.get(key, 0) >= RED_PROPOSALS_PER_YEAR or rng.random() < 0.5:
            continue
        per_year[key] = per_year.get(key, 0) + 1
        numbers[key] = numbers.get(key, 0) + 1
        status = statuses[rng.randrange(len(statuses))]
        decided = status != FindingStatus.PROPOSED
        _editor, reviewer = people.get(state_of[owner], (None, None))
        proposals.append(
            Finding(
                institution_id=owner,
                year=end.year,
                number=numbers[key],
                source=FindingSource.RED_LIGHT,
                indicator_id=indicator,
                period_id=period,
                text="El indicador sintético estuvo en rojo en dos periodos seguidos "
                "(dato sintético).",
                status=status,
                decision_reason="Causa externa documentada (dato sintético)."
                if status == FindingStatus.DISMISSED
                else "",
                decided_by=reviewer if decided else None,
                decided_on=min(today, end + dt.timedelta(days=45)) if decided else None,
                is_synthetic=True,
            )
        )
    Finding.objects.bulk_create(proposals, batch_size=BATCH)
    return proposals


def _actions(findings, people, rng: random.Random) -> None:
    today = dt.date.today()
    statuses = [s for s, w in ACUERDO_WEIGHTS for _ in range(w)]
    kinds, priorities = ActionKind.values, Priority.values
    followups, actions = [], []
    for finding in findings:
        if finding.status != FindingStatus.ACCEPTED:
            continue
        editor, reviewer = people.get(finding.institution.state_id, (None, None))
        for number in range(1, rng.randint(*ACTIONS_PER_FINDING) + 1):
            label = f"ASM {finding.label}.{number}"
            status = statuses[rng.randrange(len(statuses))]
            due = finding.decided_on + dt.timedelta(days=rng.randint(90, 365))
            if status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS) and rng.random() < 0.4:
                due = today + dt.timedelta(days=rng.randint(10, 200))  # still on time
            done_on = min(today, due - dt.timedelta(days=rng.randint(-30, 30)))
            done = status in (FollowUpStatus.DONE, FollowUpStatus.VERIFIED)
            closed = status in (FollowUpStatus.VERIFIED, FollowUpStatus.CANCELLED)
            followup = FollowUp(
                kind="asm",
                title=f"{label}: Aspecto sintético (dato sintético)",
                text="Aspecto susceptible de mejora sintético (dato sintético).",
                owner=finding.institution,
                verifier=finding.institution,
                responsible_person="Dirección de área (dato sintético)",
                due_date=due,
                status=status,
                done_by=editor if done else None,
                done_on=done_on if done else None,
                closed_by=reviewer if closed else None,
                closed_on=min(today, done_on + dt.timedelta(days=15)) if closed else None,
                cancel_reason="Atendido por otra vía (dato sintético)."
                if status == FollowUpStatus.CANCELLED
                else "",
            )
            followups.append(followup)
            actions.append(
                ImprovementAction(
                    finding=finding,
                    number=number,
                    kind=kinds[rng.randrange(len(kinds))],
                    priority=priorities[rng.randrange(len(priorities))],
                    followup=followup,
                    is_synthetic=True,
                )
            )
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)
    ImprovementAction.objects.bulk_create(actions, batch_size=BATCH)
    reported = (FollowUpStatus.IN_PROGRESS, FollowUpStatus.DONE, FollowUpStatus.VERIFIED)
    _batched(
        (
            FollowUpNote(
                followup=followup,
                on=min(today, followup.due_date - dt.timedelta(days=30)),
                text="Avance sintético (dato sintético).",
                author_id=followup.done_by_id,
            )
            for followup in followups
            if followup.status in reported
        ),
        FollowUpNote,
    )
    _batched(_improvement_events(findings, actions), AuditEvent)


FINDING_VERBS = {
    FindingSource.EVALUATION: "finding.add",
    FindingSource.RED_LIGHT: "finding.propose",
}
DECISION_VERBS = {
    FindingStatus.ACCEPTED: "finding.accept",
    FindingStatus.DISMISSED: "finding.dismiss",
}


def _improvement_events(findings, actions) -> Iterator[AuditEvent]:
    """One event per finding recorded or proposed and per decision on a proposal, one per ASM
    recorded and one per change of its follow-up's status."""
    finding_type = ContentType.objects.get_for_model(Finding)
    action_type = ContentType.objects.get_for_model(ImprovementAction)
    followup_type = ContentType.objects.get_for_model(FollowUp)
    for finding in findings:
        scope = {"institution_id": finding.institution_id, "state_id": finding.institution.state_id}
        target = {"target_type": finding_type, "target_id": str(finding.pk)}
        proposal = finding.source == FindingSource.RED_LIGHT
        yield AuditEvent(
            actor_id=None if proposal else finding.decided_by_id,
            verb=FINDING_VERBS[finding.source],
            target_repr=finding.label,
            changes={"finding": [None, finding.label], "source": [None, finding.source]},
            **target,
            **scope,
        )
        if proposal and finding.status != FindingStatus.PROPOSED:
            yield AuditEvent(
                actor_id=finding.decided_by_id,
                verb=DECISION_VERBS[finding.status],
                target_repr=finding.label,
                changes={"status": [FindingStatus.PROPOSED, finding.status]},
                **target,
                **scope,
            )
    for action in actions:
        followup = action.followup
        scope = {"institution_id": followup.owner_id, "state_id": followup.owner.state_id}
        label = followup.title.split(":", 1)[0]
        yield AuditEvent(
            verb="asm.add",
            target_type=action_type,
            target_id=str(action.pk),
            target_repr=label,
            changes={"asm": [None, label], "due_date": [None, followup.due_date.isoformat()]},
            **scope,
        )
        if followup.status != FollowUpStatus.OPEN:
            yield AuditEvent(
                actor_id=followup.done_by_id or followup.closed_by_id,
                verb=FOLLOWUP_VERBS[followup.status],
                target_type=followup_type,
                target_id=str(followup.pk),
                target_repr=followup.title[:300],
                changes={"status": [FollowUpStatus.OPEN, followup.status]},
                **scope,
            )


# The convenio's yearly cycle -------------------------------------------------------------------

# The last year's programmes go through every stage, one state after another.
LAST_YEAR_STAGES = (
    Stage.DRAFT,
    Stage.PROPOSED,
    Stage.OBSERVED,
    Stage.CORRECTED,
    Stage.VALIDATED,
    Stage.IN_EXECUTION,
    Stage.IN_EXECUTION,
    Stage.CLOSED,
)
SCHEDULE = (Decimal(25), Decimal(50), Decimal(75), Decimal(100))
# How far a programme in execution got with its reports: the last one received, sent, observed
# or still in elaboration.
LAST_REPORT = (
    ReportStatus.ACKNOWLEDGED,
    ReportStatus.SENT,
    ReportStatus.OBSERVED,
    ReportStatus.DRAFT,
)
# The service whose event leaves a programme in each stage, in order.
STAGE_VERBS = {
    Stage.PROPOSED: "programme.propose",
    Stage.OBSERVED: "programme.observe",
    Stage.CORRECTED: "programme.correct",
    Stage.VALIDATED: "programme.validate",
    Stage.IN_EXECUTION: "programme.start",
    Stage.CLOSED: "programme.close",
}
STAGE_ORDER = (Stage.DRAFT, *STAGE_VERBS)


def _programme_stages(agreements) -> Iterator[tuple[Agreement, int, str]]:
    """Each convenio's years with the stage its programme ends in: earlier years closed, the
    last year's stage one state after another (``LAST_YEAR_STAGES``)."""
    for index, agreement in enumerate(sorted(agreements, key=lambda a: a.state.code)):
        years = range(agreement.valid_from.year, agreement.valid_to.year + 1)
        for year in years:
            last = year == years[-1]
            yield (
                agreement,
                year,
                LAST_YEAR_STAGES[index % len(LAST_YEAR_STAGES)] if last else Stage.CLOSED,
            )


def _closed_years(agreements) -> dict[int, set[int]]:
    """Per state, the years whose programme is closed: the reports of its goals' indicators
    in those years are all approved, as the closure checklist requires."""
    closed: dict[int, set[int]] = {}
    for agreement, year, stage in _programme_stages(agreements):
        if stage == Stage.CLOSED:
            closed.setdefault(agreement.state_id, set()).add(year)
    return closed


def _workprogrammes(agreements, people, rng: random.Random) -> dict[str, int]:
    """Each synthetic convenio's programme of each of its years, one line per goal: earlier
    years closed with their four reports received and the unspent federal funds refunded, the
    last year's spread over every stage (quarterly reports for the ones validated or in
    execution). A closed programme passes the closure checklist (its goals' reports were
    approved by ``_calendar_and_updates``; here its reports, refund and signed closing acta).
    Periods are not locked at closure, as the service does: the bench scenarios write to the
    dataset's periods."""
    programmes = WorkProgramme.objects.filter(agreement__in=agreements)
    if not programmes.exists():
        _programmes(agreements, people, rng)
    reports = QuarterlyReport.objects.filter(programme__in=programmes)
    return {
        "programas de trabajo": programmes.count(),
        "metas de programa": ProgrammeLine.objects.filter(programme__in=programmes).count(),
        "informes trimestrales": reports.count(),
    }


def _programmes(agreements, people, rng: random.Random) -> None:
    now = timezone.now()
    programmes = [
        WorkProgramme(
            agreement=agreement,
            year=year,
            stage=stage,
            stage_changed_at=now,
            closed_on=dt.date(year + 1, 2, 15) if stage == Stage.CLOSED else None,
            is_synthetic=True,
        )
        for agreement, year, stage in _programme_stages(agreements)
    ]
    WorkProgramme.objects.bulk_create(programmes, batch_size=BATCH)
    goals: dict[int, list[Goal]] = {}
    for goal in Goal.objects.filter(agreement__in=agreements).order_by("number"):
        goals.setdefault(goal.agreement_id, []).append(goal)
    lines = []
    for programme in programmes:
        for goal in goals.get(programme.agreement_id, []):
            federal = Decimal(rng.randint(10, 60) * 10000)
            lines.append(
                ProgrammeLine(
                    programme=programme,
                    goal=goal,
                    means_of_verification="Informe de actividades con evidencias (dato sintético).",
                    responsible_area="Área responsable sintética",
                    **{f"planned_q{q}": SCHEDULE[q - 1] for q in QUARTERS},
                    federal_approved=federal,
                    state_approved=(federal * Decimal("0.3")).quantize(Decimal(1)),
                    in_kind_approved=Decimal(rng.randint(0, 5) * 5000),
                )
            )
    ProgrammeLine.objects.bulk_create(lines, batch_size=BATCH)
    by_programme: dict[int, list[ProgrammeLine]] = {}
    for line in lines:
        by_programme.setdefault(line.programme.pk, []).append(line)
    reports, report_lines, refunds = _reports(programmes, by_programme, people, rng)
    WorkProgramme.objects.bulk_update(
        refunds, ["refund_amount", "refund_reference", "refund_date"], batch_size=BATCH
    )
    observations = [
        Observation(
            programme=programme,
            line=by_programme[programme.pk][0] if by_programme.get(programme.pk) else None,
            text="Observación sintética a la propuesta (dato sintético).",
            answer="Corrección sintética (dato sintético)."
            if programme.stage == Stage.CORRECTED
            else "",
            answered_at=now if programme.stage == Stage.CORRECTED else None,
        )
        for programme in programmes
        if programme.stage in (Stage.OBSERVED, Stage.CORRECTED)
    ]
    Observation.objects.bulk_create(observations, batch_size=BATCH)
    observations = [
        Observation(
            programme=report.programme,
            report=report,
            text="Observación sintética al informe (dato sintético).",
        )
        for report in reports
        if report.status == ReportStatus.OBSERVED
    ]
    Observation.objects.bulk_create(observations, batch_size=BATCH)
    documents = _closing_documents(programmes, people)
    _batched(_programme_events(programmes, reports, documents, people), AuditEvent)


def _closing_documents(programmes, people) -> list[ClosingDocument]:
    """Each closed programme's signed closing acta: a one-page PDF that says it is synthetic,
    stored where the service stores it."""
    documents = []
    for programme in programmes:
        if programme.stage != Stage.CLOSED:
            continue
        editor, _reviewer = people.get(programme.agreement.state_id, (None, None))
        content = demo_pdf(
            f"Acta de cierre del programa de trabajo {programme.year} (dato sintético)."
        )
        document = ClosingDocument(
            programme=programme,
            **_file_fields(
                content, f"acta-de-cierre-{programme.year}.pdf", "pdf", "application/pdf"
            ),
            description="Acta de cierre firmada (dato sintético).",
            uploaded_by=editor,
        )
        document.file = default_storage.save(closing_path(document, ""), ContentFile(content))
        documents.append(document)
    ClosingDocument.objects.bulk_create(documents, batch_size=BATCH)
    return documents


def _reports(programmes, by_programme, people, rng: random.Random):
    """The quarterly reports of the programmes validated, in execution or closed, their lines
    (scheduled, achieved, resources exercised) and the refunds of the closed ones."""
    now = timezone.now()
    reports, report_lines, refunds = [], [], []
    executing = 0
    for programme in programmes:
        if programme.stage == Stage.CLOSED:
            statuses = [ReportStatus.ACKNOWLEDGED] * len(QUARTERS)
        elif programme.stage == Stage.IN_EXECUTION:
            done = rng.randint(1, len(QUARTERS))
            last = LAST_REPORT[executing % len(LAST_REPORT)]  # each status, state by state
            executing += 1
            statuses = [ReportStatus.ACKNOWLEDGED] * (done - 1) + [last]
        else:
            continue  # a validated programme has sent no report yet
        editor, _reviewer = people.get(programme.agreement.state_id, (None, None))
        lines = by_programme.get(programme.pk, [])
        exercised = dict.fromkeys((line.pk for line in lines), Decimal(0))
        for quarter, status in zip(QUARTERS, statuses, strict=False):
            sent = status != ReportStatus.DRAFT
            report = QuarterlyReport(
                programme=programme,
                quarter=quarter,
                status=status,
                narrative="Narrativa sintética del trimestre (dato sintético).",
                sent_at=now if sent else None,
                sent_by=editor if sent else None,
                reviewed_at=now
                if status in (ReportStatus.ACKNOWLEDGED, ReportStatus.OBSERVED)
                else None,
            )
            reports.append(report)
            for line in lines:
                planned = line.planned(quarter)
                achieved = (planned * Decimal(rng.randint(70, 115)) / 100).quantize(Decimal("0.1"))
                federal = (line.federal_approved * Decimal("0.24")).quantize(Decimal("0.01"))
                exercised[line.pk] += federal
                report_lines.append(
                    ReportLine(
                        report=report,
                        line=line,
                        planned=planned if sent else None,
                        achieved=achieved if sent else None,
                        # recorded on receipt with the validated figures (all, in the bench)
                        validated=achieved if status == ReportStatus.ACKNOWLEDGED else None,
                        federal_exercised=federal,
                        state_exercised=(line.state_approved / 4).quantize(Decimal("0.01")),
                        justification="Desviación sintética justificada (dato sintético)."
                        if abs(achieved - planned) > programme.deviation_threshold
                        else "",
                    )
                )
        if programme.stage == Stage.CLOSED:
            unspent = sum(
                (line.federal_approved - exercised[line.pk] for line in lines), Decimal(0)
            )
            programme.refund_amount = unspent
            programme.refund_reference = "Reintegro sintético"
            programme.refund_date = quarter_end(programme.year, 4) + dt.timedelta(days=15)
            refunds.append(programme)
    QuarterlyReport.objects.bulk_create(reports, batch_size=BATCH)
    _batched(iter(report_lines), ReportLine)
    return reports, report_lines, refunds


def _programme_scope(programme, programme_type) -> dict:
    """The fields every audit event on ``programme`` shares."""
    return {
        "target_type": programme_type,
        "target_id": str(programme.pk),
        "target_repr": f"Programa de trabajo {programme.year}",
        "institution_id": programme.agreement.state_institution_id,
        "state_id": programme.agreement.state_id,
    }


def _programme_events(programmes, reports, documents, people) -> Iterator[AuditEvent]:
    """One event per programme created, per stage it went through, per report sent and
    received or observed, and per refund and closing acta recorded, on the programme as the
    services write them."""
    programme_type = ContentType.objects.get_for_model(WorkProgramme)
    for programme in programmes:
        editor, _reviewer = people.get(programme.agreement.state_id, (None, None))
        scope = _programme_scope(programme, programme_type)
        yield AuditEvent(
            actor=editor, verb="programme.create", changes={"year": [None, programme.year]}, **scope
        )
        reached = STAGE_ORDER[: STAGE_ORDER.index(programme.stage) + 1]
        for before, after in zip(reached, reached[1:], strict=False):
            yield AuditEvent(
                actor=editor if after in (Stage.PROPOSED, Stage.CORRECTED) else None,
                verb=STAGE_VERBS[after],
                changes={"stage": [before, after]},
                **scope,
            )
    for report in reports:
        programme = report.programme
        editor, _reviewer = people.get(programme.agreement.state_id, (None, None))
        scope = _programme_scope(programme, programme_type)
        quarter = [report.quarter, report.quarter]
        if report.status != ReportStatus.DRAFT:
            yield AuditEvent(
                actor=editor,
                verb="report.send",
                changes={"quarter": quarter, "status": [ReportStatus.DRAFT, ReportStatus.SENT]},
                **scope,
            )
        if report.status in (ReportStatus.ACKNOWLEDGED, ReportStatus.OBSERVED):
            yield AuditEvent(
                verb="report.acknowledge"
                if report.status == ReportStatus.ACKNOWLEDGED
                else "report.observe",
                changes={"quarter": quarter, "status": [ReportStatus.SENT, report.status]},
                **scope,
            )
    for document in documents:
        programme = document.programme
        scope = _programme_scope(programme, programme_type)
        if programme.refund_amount:
            yield AuditEvent(
                actor=document.uploaded_by,
                verb="programme.refund",
                changes={  # as audit_record stores them: amounts and dates as text
                    "refund_amount": [None, str(programme.refund_amount)],
                    "refund_reference": [None, programme.refund_reference],
                    "refund_date": [None, programme.refund_date.isoformat()],
                },
                **scope,
            )
        yield AuditEvent(
            actor=document.uploaded_by,
            verb="programme.minutes",
            changes={"minutes": [None, f"{document.original_name} ({document.sha256[:12]})"]},
            **scope,
        )


# Legal harmonization --------------------------------------------------------------------------

CELL_WEIGHTS = (
    (CellStatus.HARMONIZED, 55),
    (CellStatus.PARTIAL, 20),
    (CellStatus.PENDING, 20),
    (CellStatus.NOT_APPLICABLE, 5),
)
CITED_SHARE = 0.6  # cells citing a (synthetic) source, so published with a status
# How a cited cell cites: the gazette and date, the state instrument and article, or both.
CITATION_KINDS = ("gazette", "gazette", "instrument", "both")
PENDING_PROPOSAL_SHARE = 0.2  # cells with a proposal still waiting for the national decision


def _weighted(rng: random.Random, weights) -> str:
    values, shares = zip(*weights, strict=True)
    return rng.choices(values, weights=shares)[0]


def _harmonization(states, people, spec: Size, rng: random.Random) -> dict[str, int]:
    """The demo's catalogue of provisions × the 32 states, every cell synthetic (most citing an
    invented gazette and date), and the states' proposals: one decided a year per cell (mostly
    accepted, some returned), some still waiting, each with its events on the cell."""
    provisions = []
    for order, (slug, title, topic, source, article, date, text) in enumerate(
        HARMONIZATION_CATALOGUE
    ):
        provision = Provision.objects.filter(slug=slug).first() or Provision.objects.create(
            slug=slug,
            title=title,
            topic=topic,
            federal_source=source,
            federal_article=article,
            dof_date=date,
            description=text,
            order=(order + 1) * 10,
        )
        provisions.append(provision)
    have = set(
        Cell.objects.filter(provision__in=provisions).values_list("provision_id", "state_id")
    )

    def cells() -> Iterator[Cell]:
        for provision in provisions:
            for state in states:
                if (provision.pk, state.pk) in have:
                    continue
                cited = rng.choice(CITATION_KINDS) if rng.random() < CITED_SHARE else ""
                gazette = cited in ("gazette", "both")
                instrument = cited in ("instrument", "both")
                yield Cell(
                    provision=provision,
                    state=state,
                    status=_weighted(rng, CELL_WEIGHTS),
                    instrument="Ley estatal (dato sintético)" if instrument else "",
                    article=f"Artículo {rng.randint(1, 120)}" if instrument else "",
                    gazette="Periódico Oficial del Estado (dato sintético)" if gazette else "",
                    published_on=dt.date(rng.randint(2008, 2025), rng.randint(1, 12), 15)
                    if gazette
                    else None,
                    is_synthetic=True,
                )

    made = _batched(cells(), Cell)
    new = list(
        Cell.objects.filter(provision__in=provisions, is_synthetic=True)
        .exclude(proposals__isnull=False)
        .select_related("provision", "state")
    )

    def proposals() -> Iterator[CellProposal]:
        for cell in new:
            editor, _reviewer = people.get(cell.state_id, (None, None))
            decided = [
                rng.choice((ProposalStatus.ACCEPTED,) * 3 + (ProposalStatus.RETURNED,))
                for _year in range(spec.years)
            ]
            if rng.random() < PENDING_PROPOSAL_SHARE:
                decided.append(ProposalStatus.PROPOSED)
            for decision in decided:
                yield CellProposal(
                    cell=cell,
                    status=_weighted(rng, CELL_WEIGHTS),
                    gazette="Periódico Oficial del Estado (dato sintético)",
                    published_on=dt.date(rng.randint(2008, 2025), rng.randint(1, 12), 15),
                    decision=decision,
                    reason="Falta el artículo (dato sintético)"
                    if decision == ProposalStatus.RETURNED
                    else "",
                    proposed_by=editor,
                    decided_at=None if decision == ProposalStatus.PROPOSED else timezone.now(),
                )

    count = _batched(proposals(), CellProposal)
    _batched(_harmonization_events(new, people), AuditEvent)
    return {"celdas de armonización": made, "propuestas de armonización": count}


def _harmonization_events(cells, people) -> Iterator[AuditEvent]:
    """The proposal and the decision of each proposal, on its cell as the services write them."""
    cell_type = ContentType.objects.get_for_model(Cell)
    by_cell: dict[int, list] = {}
    for proposal in CellProposal.objects.filter(cell__in=cells).order_by("pk"):
        by_cell.setdefault(proposal.cell_id, []).append(proposal)
    verbs = {ProposalStatus.ACCEPTED: "proposal.accept", ProposalStatus.RETURNED: "proposal.return"}
    for cell in cells:
        editor, _reviewer = people.get(cell.state_id, (None, None))
        scope = {
            "target_type": cell_type,
            "target_id": str(cell.pk),
            "target_repr": f"{cell.provision.title} · {cell.state.short_name}"[:300],
            "state_id": cell.state_id,
        }
        for proposal in by_cell.get(cell.pk, []):
            yield AuditEvent(
                actor=editor,
                verb="cell.propose",
                changes={"status": [cell.status, proposal.status]},
                **scope,
            )
            if proposal.decision in verbs:
                changes = (
                    {"reason": [None, proposal.reason]}
                    if proposal.decision == ProposalStatus.RETURNED
                    else {"status": [cell.status, proposal.status]}
                )
                yield AuditEvent(verb=verbs[proposal.decision], changes=changes, **scope)


STAT_AGE_GROUPS = ("", "15 a 29 años", "30 a 59 años", "60 años y más")


def _statistics(states, spec: Size, rng: random.Random) -> dict[str, int]:
    """The demo's context indicators (synthetic), each with a figure a year for women, men and
    the total in the 32 states and the country, for all ages and three age groups."""
    indicators = []
    for slug, name, unit, source, measure, direction, *_rest in statistics_demo.INDICATORS:
        indicator = ContextIndicator.objects.filter(slug=slug).first()
        if indicator is None:
            indicator = ContextIndicator.objects.create(
                slug=slug,
                name=name,
                unit=unit,
                description=statistics_demo.NOTE,
                source=statistics_demo._source(source),
                measure=measure,
                direction=direction,
                is_synthetic=True,
            )
        indicators.append(indicator)
    have = set(StatValue.objects.filter(indicator__in=indicators).values_list("indicator_id"))

    def values() -> Iterator[StatValue]:
        for indicator in indicators:
            if (indicator.pk,) in have:
                continue
            for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
                for state in [*states, None]:
                    for age in STAT_AGE_GROUPS:
                        if indicator.measure == "conteo":
                            women = Decimal(rng.randint(1_000, 90_000))
                            men = Decimal(rng.randint(1_000, 90_000))
                        else:
                            women = Decimal(rng.randint(100, 900)) / 10
                            men = Decimal(rng.randint(100, 900)) / 10
                        for sex, figure in (
                            ("mujeres", women),
                            ("hombres", men),
                            ("total", women + men),
                        ):
                            yield StatValue(
                                indicator=indicator,
                                year=year,
                                state=state,
                                sex=sex,
                                age_group=age,
                                value=figure,
                                cv=Decimal(rng.randint(10, 400)) / 10 if sex != "total" else None,
                                is_synthetic=True,
                            )

    return {"valores estadísticos": _batched(values(), StatValue)}


# Registers ----------------------------------------------------------------------------------

TRAININGS_PER_QUARTER = 3  # per institute, times the size's registers factor
AFFIRMATIVE_PER_YEAR = 2  # likewise
MECHANISMS_PER_INSTITUTE = 2  # plus the factor, one entry each a year
# A monthly count per service, for violence or not: the first four at factor 1, all at 4.
SERVICE_KINDS = [(kind, violence) for violence in (True, False) for kind in ServiceType.values]
AUDIENCE_WEIGHTS = (
    (Audience.PUBLIC_SERVANTS, 60),
    (Audience.GENERAL, 30),
    (Audience.REEDUCATION, 10),
)
REGISTER_NOTE = "Registro sintético (dato sintético)."


def _registers(institutions, people, spec: Size, rng: random.Random) -> dict[str, int]:
    """Each state institute's registers over the dataset's years, as its editor would record
    them, and a training feed on the first count indicator of each institute."""
    institutes = [i for i in institutions if i.kind == InstitutionKind.STATE_IMEF]
    models = {
        "capacitaciones": TrainingEvent,
        "acciones afirmativas": AffirmativeAction,
        "mecanismos de participación": ParticipationMechanism,
        "conteos de servicios": ServiceCount,
    }
    if not TrainingEvent.objects.filter(institution__in=institutes).exists():
        systems = {
            s.secretariat_id: s
            for s in System.objects.filter(secretariat__in=institutes, topic="equality")
        }
        _batched(_trainings(institutes, people, spec, rng), TrainingEvent)
        _batched(_affirmative_actions(institutes, people, spec, rng), AffirmativeAction)
        _batched(_mechanisms(institutes, people, spec, systems, rng), ParticipationMechanism)
        _batched(_service_counts(institutes, people, spec, rng), ServiceCount)
        _batched(_register_events(institutes, models.values()), AuditEvent)
    counts = {
        name: model.objects.filter(institution__in=institutes).count()
        for name, model in models.items()
    }
    counts["fuentes de registro"] = _register_feeds(institutes)
    return counts


def _register_people(rng: random.Random, women: int, men: int) -> dict[str, int]:
    """People by sex, and in half the entries by age group too (adding up to them)."""
    people = {"women": women, "men": men, "sex_unspecified": rng.choice((0, 0, 0, 1))}
    total = sum(people.values())
    if rng.random() < 0.5:
        left = total
        for field, _key in AGE_FIELDS[:-1]:
            people[field] = rng.randint(0, left // 2)
            left -= people[field]
        people["age_unspecified"] = left
    if rng.random() < 0.4:
        people["indigenous"] = rng.randint(0, total // 5)
    return people


def _quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, quarter_end(year, quarter)


def _trainings(institutes, people, spec: Size, rng: random.Random) -> Iterator[TrainingEvent]:
    audiences, weights = zip(*AUDIENCE_WEIGHTS, strict=True)
    for inst in institutes:
        editor, _reviewer = people.get(inst.state_id, (None, None))
        for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
            for quarter in QUARTERS:
                first, last = _quarter_bounds(year, quarter)
                for n in range(TRAININGS_PER_QUARTER * spec.registers):
                    start = first + dt.timedelta(days=rng.randint(0, (last - first).days))
                    end = min(start + dt.timedelta(days=rng.randint(0, 3)), last)
                    audience = rng.choices(audiences, weights=weights)[0]
                    counts = _register_people(rng, rng.randint(5, 60), rng.randint(0, 40))
                    total = counts["women"] + counts["men"] + counts["sex_unspecified"]
                    yield TrainingEvent(
                        institution=inst,
                        counted_on=end,
                        name=f"Capacitación sintética {year}-T{quarter}-{n + 1} (dato sintético)",
                        topic="Igualdad sustantiva (dato sintético)",
                        audience=audience,
                        modality=rng.choice(("in_person", "online", "mixed")),
                        hours=Decimal(rng.choice((2, 4, 8, 20, 40))),
                        start=start,
                        end=end,
                        organiser="Instancia sintética",
                        certificates=rng.randint(0, total),
                        notes=REGISTER_NOTE,
                        is_synthetic=True,
                        created_by=editor,
                        **counts,
                    )


def _affirmative_actions(institutes, people, spec: Size, rng) -> Iterator[AffirmativeAction]:
    for inst in institutes:
        editor, _reviewer = people.get(inst.state_id, (None, None))
        for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
            for n in range(AFFIRMATIVE_PER_YEAR * spec.registers):
                beneficiaries = rng.randint(20, 800)
                women = beneficiaries - rng.randint(0, beneficiaries // 5)
                end = dt.date(year, rng.randint(6, 12), 28)
                yield AffirmativeAction(
                    institution=inst,
                    counted_on=end,
                    name=f"Acción afirmativa sintética {year}-{n + 1} (dato sintético)",
                    legal_basis="Ley estatal (referencia genérica, dato sintético)",
                    target_group="Mujeres de zonas rurales",
                    start=dt.date(year, rng.randint(1, 5), 1),
                    end=end,
                    resources=Decimal(rng.randint(10, 500) * 1000),
                    notes=REGISTER_NOTE,
                    is_synthetic=True,
                    created_by=editor,
                    **_register_people(rng, women, beneficiaries - women),
                )


def _mechanisms(institutes, people, spec: Size, systems, rng) -> Iterator[ParticipationMechanism]:
    kinds = ("council", "observatory", "network", "committee")
    for inst in institutes:
        editor, _reviewer = people.get(inst.state_id, (None, None))
        for n in range(MECHANISMS_PER_INSTITUTE + spec.registers):
            for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
                government, civil = rng.randint(2, 8), rng.randint(3, 12)
                women = rng.randint((government + civil) // 2, government + civil)
                yield ParticipationMechanism(
                    institution=inst,
                    counted_on=dt.date(year, 12, 31),
                    name=f"Mecanismo sintético {n + 1} (dato sintético)",
                    mechanism_kind=kinds[n % len(kinds)],
                    year=year,
                    system=systems.get(inst.pk) if n == 0 else None,
                    members_government=government,
                    members_civil_society=civil,
                    sessions_held=rng.randint(1, 6),
                    agreements_reached=rng.randint(0, 15),
                    women=women,
                    men=government + civil - women,
                    notes=REGISTER_NOTE,
                    is_synthetic=True,
                    created_by=editor,
                )


def _service_counts(institutes, people, spec: Size, rng) -> Iterator[ServiceCount]:
    kinds = SERVICE_KINDS[: 4 * spec.registers]
    for inst in institutes:
        editor, _reviewer = people.get(inst.state_id, (None, None))
        for year in range(FIRST_YEAR, FIRST_YEAR + spec.years):
            for month in range(1, 13):
                first = dt.date(year, month, 1)
                for kind, violence in kinds:
                    counts = _register_people(rng, rng.randint(10, 300), rng.randint(0, 30))
                    total = counts["women"] + counts["men"] + counts["sex_unspecified"]
                    yield ServiceCount(
                        institution=inst,
                        counted_on=first,
                        month=first,
                        service_type=kind,
                        violence_related=violence,
                        attentions=total + rng.randint(0, total),
                        notes=REGISTER_NOTE,
                        is_synthetic=True,
                        created_by=editor,
                        **counts,
                    )


def _register_events(institutes, models) -> Iterator[AuditEvent]:
    """One create event per entry, on the entry as ``entry_save`` writes it."""
    for model in models:
        entry_type = ContentType.objects.get_for_model(model)
        for pk, institution_id, state_id, creator in (
            model.objects.filter(institution__in=institutes)
            .values_list("pk", "institution_id", "institution__state_id", "created_by_id")
            .iterator(chunk_size=BATCH)
        ):
            yield AuditEvent(
                actor_id=creator,
                verb=f"{model.kind}.create",
                target_type=entry_type,
                target_id=str(pk),
                target_repr="Registro sintético",
                institution_id=institution_id,
                state_id=state_id,
                changes={"is_synthetic": [None, True]},
            )


def _register_feeds(institutes) -> int:
    """Each institute's first count indicator takes its value from the training register
    (participants in events for public servants)."""
    first: dict[int, Indicator] = {}
    for indicator in Indicator.objects.filter(
        owner__in=institutes, measure="count", register_feed__isnull=True
    ).order_by("owner_id", "name"):
        first.setdefault(indicator.owner_id, indicator)
    owners_with_feed = set(
        IndicatorFeed.objects.filter(indicator__owner__in=institutes).values_list(
            "indicator__owner_id", flat=True
        )
    )
    IndicatorFeed.objects.bulk_create(
        IndicatorFeed(
            indicator=indicator,
            register="training",
            aggregation="people",
            filters={"audience": [Audience.PUBLIC_SERVANTS.value]},
        )
        for owner, indicator in first.items()
        if owner not in owners_with_feed
    )
    return IndicatorFeed.objects.filter(indicator__owner__in=institutes).count()
