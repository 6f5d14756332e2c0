"""Demo yearly cycle of the convenios: work programmes, quarterly reports, a closure and an
assistance request, all invented ("dato sintético").

Three stories, each written through the work-programme and monitoring services by the people
who would do it (the state's editor and reviewer, the national validator persona), so the
audit trail, the review queues and the lights are the ones people would produce:

* Durango, this year: a programme with the goals of its convenio, proposed, observed on one
  goal, corrected, validated and in execution. Each goal gets a quarterly indicator of the
  programme (values accumulated over the year, each quarter's target the share of the year's
  target the programme schedules by then, so each light follows the schedule). Every
  quarter that has ended but the last has its figures approved by the state and validated
  nationally and its report sent and received; the last quarter that has ended has its report
  in elaboration, one goal's figure approved by the state reviewer and waiting for the national
  validation, one waiting for the state review and one draft. One technical assistance request
  is open.
* A proposal waiting for the national decision, this year: Zacatecas's when its convenio is in
  force; the demo's Zacatecas convenio is a draft without dates (it has no programme), so the
  first other state in force (by code) proposes instead.
* Last year's programme closed: the first state (by code) whose convenio was in force last year
  and whose goals' figures of that year are all approved (validated): four reports received,
  resources reconciled with the refund of the unspent federal funds, signed minutes, periods
  locked. Skipped, and said so, when no state qualifies.

Dates follow today's date (``timezone.localdate()``), as the services check that a quarter
has ended before its report or figures are sent: from January to March no quarter of the year
has ended, so Durango's programme is in execution without reports or a figure to validate
yet. Idempotent: a story whose programme exists is skipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone

from transversal.accounts.demo import state_people
from transversal.accounts.models import User
from transversal.agreements.models import Agreement, AgreementStatus
from transversal.monitoring import services as monitoring
from transversal.monitoring.demo import demo_pdf
from transversal.monitoring.models import ProgressUpdate, ReportingPeriod, UpdateStatus
from transversal.workprogrammes import selectors, services
from transversal.workprogrammes.models import (
    QUARTERS,
    SOURCES,
    Stage,
    WorkProgramme,
    quarter_end,
)

SYNTHETIC = "dato sintético"
VALIDATOR = "validacion@transversal.test"
PERSONA_PEOPLE = {
    "iem-durango": ("captura.durango@transversal.test", "revision.durango@transversal.test"),
    "semujer-zacatecas": (
        "captura.zacatecas@transversal.test",
        "revision.zacatecas@transversal.test",
    ),
}

# Per goal number: means of verification, responsible area, cumulative schedule (%) and the
# resources approved (federal, state, in kind), in pesos. Invented.
LINES = {
    1: (
        "Programa estatal para la igualdad publicado en el periódico oficial; actas de las mesas "
        "de trabajo con las dependencias; dictamen de alineación al plan estatal de desarrollo.",
        "Dirección de Planeación y Políticas Públicas",
        (20, 45, 75, 100),
        (Decimal("450000"), Decimal("120000"), Decimal("35000")),
    ),
    2: (
        "Listas de asistencia de las capacitaciones a las instancias municipales.",
        "Coordinación de Fortalecimiento Municipal",
        (25, 50, 75, 100),
        (Decimal("380000"), Decimal("90000"), Decimal("60000")),
    ),
    3: (
        "Boletines trimestrales publicados en el portal del Instituto, con su fecha de "
        "publicación; base de datos anonimizada del registro estatal de casos.",
        "Unidad de Información y Estadística de Género",
        (25, 50, 75, 100),
        (Decimal("220000"), Decimal("150000"), Decimal("0")),
    ),
}
DEFAULT_LINE = (
    "Informe de actividades con sus evidencias documentales (listas, minutas, publicaciones).",
    "Dirección de Planeación",
    (25, 50, 75, 100),
    (Decimal("250000"), Decimal("80000"), Decimal("20000")),
)
# The observed goal and what its correction changes.
OBSERVED_GOAL = 2
OBSERVATION = (
    "Las listas de asistencia no bastan como medio de verificación: agregue las constancias y "
    "el informe de resultados de las evaluaciones de aprendizaje, por municipio."
)
CORRECTED_MEANS = (
    "Listas de asistencia firmadas, cartas descriptivas y constancias de las capacitaciones a "
    "las instancias municipales; informe de resultados de las evaluaciones de aprendizaje "
    "(inicial y final), desagregado por municipio."
)
CORRECTED_SCHEDULE = (10, 40, 70, 100)
CORRECTION = (
    "Se agregaron las constancias y el informe de resultados por municipio como medios de "
    "verificación de la meta 2, y se ajustó su calendario: los talleres empiezan en el segundo "
    "trimestre."
)
# Per goal number, the quarterly indicator of the programme: what it counts, the year's target
# and the actions done in each quarter (their sum over the year's quarters, against the year's
# target, is the goal's progress the quarterly report compares with the schedule). Goal 2
# falls behind its corrected schedule in the second quarter.
MEASURES = {
    1: (
        "Mesas de trabajo con las dependencias para el programa estatal",
        "mesas",
        20,
        (4, 5, 6, 5),
    ),
    2: ("Talleres de planeación impartidos a instancias municipales", "talleres", 16, (2, 2, 6, 6)),
    3: ("Boletines del registro estatal de casos publicados", "boletines", 4, (1, 1, 1, 1)),
}
DEFAULT_MEASURE = ("Acciones de la meta concluidas", "acciones", 8, (2, 2, 2, 2))
# Share of each source's approved resources exercised in each quarter.
EXERCISED = {1: Decimal("0.15"), 2: Decimal("0.25"), 3: Decimal("0.30"), 4: Decimal("0.25")}
NARRATIVE = (
    "Avance del trimestre conforme al programa de trabajo; las evidencias están en los "
    f"expedientes de cada área ({SYNTHETIC})."
)

# Why a goal has no progress at a quarter's end: its figure is still in review (Durango), or it
# is measured by an annual indicator (the closed programme).
IN_REVIEW = (
    f"El avance del trimestre está en revisión; se informará en cuanto se apruebe ({SYNTHETIC})."
)
ANNUAL = (
    f"La meta se mide con un indicador anual: su avance se informa al cierre del año ({SYNTHETIC})."
)


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _people(agreement: Agreement) -> tuple[User | None, User | None]:
    institution = agreement.state_institution
    editor, reviewer = PERSONA_PEOPLE.get(institution.slug) or state_people(institution)
    return _user(editor), _user(reviewer)


def _in_force_during(agreement: Agreement, year: int) -> bool:
    if agreement.status in (AgreementStatus.DRAFT, AgreementStatus.TERMINATED):
        return False
    if agreement.valid_from is None or agreement.valid_to is None:
        return False
    return agreement.valid_from <= dt.date(year, 12, 31) and agreement.valid_to >= dt.date(
        year, 1, 1
    )


def _agreements():
    return (
        Agreement.objects.filter(is_synthetic=True, state_institution__isnull=False)
        .select_related("state", "state_institution", "national_institution")
        .order_by("state__code")
    )


def load(log) -> None:
    validator = _user(VALIDATOR)
    if validator is None:
        log("Programas de trabajo: falta la persona de validación nacional; no se cargan.")
        return
    today = timezone.localdate()
    year = today.year
    agreements = list(_agreements())
    durango = next((a for a in agreements if a.state_institution.slug == "iem-durango"), None)
    taken = {durango.pk} if durango else set()
    if durango is not None and _in_force_during(durango, year):
        if _durango(durango, year, validator, today):
            log(f"Programa de trabajo {year} de Durango en ejecución ({SYNTHETIC}).")
    proposer = next(
        (a for a in agreements if a.state_institution.slug == "semujer-zacatecas"), None
    )
    if proposer is None or not _in_force_during(proposer, year):
        proposer = next(
            (a for a in agreements if a.pk not in taken and _in_force_during(a, year)), None
        )
    if proposer is not None:
        taken.add(proposer.pk)
        if _proposed(proposer, year):
            log(
                f"Programa de trabajo {year} de {proposer.state.short_name} propuesto, en "
                f"espera de la decisión nacional ({SYNTHETIC})."
            )
    _closed(agreements, taken, year - 1, validator, today, log)


def _exists(agreement: Agreement, year: int) -> bool:
    return WorkProgramme.objects.filter(agreement=agreement, year=year).exists()


def _create(agreement: Agreement, year: int, editor) -> WorkProgramme:
    """A programme in elaboration with every goal of the convenio (its first version)."""
    programme = services.programme_create(
        actor=editor, agreement=agreement, year=year, is_synthetic=True
    )
    for goal in agreement.goals.order_by("number"):
        means, area, schedule, amounts = LINES.get(goal.number, DEFAULT_LINE)
        services.line_save(
            actor=editor,
            programme=programme,
            goal=goal,
            means_of_verification=means,
            responsible_area=area,
            planned=dict(zip(QUARTERS, schedule, strict=True)),
            resources={
                f"{source}_approved": amount
                for source, amount in zip(SOURCES, amounts, strict=True)
            },
        )
    return programme


# Durango: in execution ---------------------------------------------------------------------


def _durango(agreement: Agreement, year: int, validator, today: dt.date) -> bool:
    if _exists(agreement, year):
        return False
    editor, reviewer = _people(agreement)
    programme = _create(agreement, year, editor)
    services.programme_propose(actor=editor, programme=programme)
    observed = programme.lines.filter(goal__number=OBSERVED_GOAL).select_related("goal").first()
    services.programme_observe(
        actor=validator, programme=programme, text=OBSERVATION, line=observed
    )
    if observed is not None:
        services.line_save(
            actor=editor,
            programme=programme,
            goal=observed.goal,
            means_of_verification=CORRECTED_MEANS,
            responsible_area=observed.responsible_area,
            planned=dict(zip(QUARTERS, CORRECTED_SCHEDULE, strict=True)),
            resources={f"{source}_approved": observed.approved(source) for source in SOURCES},
        )
    services.programme_correct(actor=editor, programme=programme, answer=CORRECTION)
    services.programme_validate(
        actor=validator,
        programme=programme,
        note=f"Programa validado para la demostración ({SYNTHETIC}).",
    )
    lines = list(programme.lines.select_related("goal"))
    periods = _goal_indicators(agreement, year, lines)
    ended = [q for q in QUARTERS if quarter_end(year, q) < today]
    for quarter in ended[:-1]:
        for line in lines:
            _figure(periods[line.pk][quarter - 1], line, quarter, "validated", editor, reviewer)
        report = _report(programme, quarter, editor)
        services.report_send(actor=editor, report=report)
        services.report_acknowledge(
            actor=validator, report=report, note=f"Informe recibido ({SYNTHETIC})."
        )
    if ended:
        quarter = ended[-1]
        endings = ("validating", "submitted", "draft")
        for line, ending in zip(lines, endings * len(lines), strict=False):
            _figure(periods[line.pk][quarter - 1], line, quarter, ending, editor, reviewer)
        _report(programme, quarter, editor)
    else:
        services.programme_start(actor=editor, programme=programme)
    _assistance(agreement, editor, today)
    return True


def _goal_indicators(agreement: Agreement, year: int, lines) -> dict[int, list[ReportingPeriod]]:
    """One quarterly indicator per programme goal, each quarter's target as scheduled and its
    values accumulated over the year (as the programme's schedule is): the figures the
    quarterly reports are made of. Keyed by line pk, periods in order."""
    periods = {}
    for line in lines:
        name, unit, target, _values = MEASURES.get(line.goal.number, DEFAULT_MEASURE)
        indicator = monitoring.indicator_create(
            actor=None,
            owner=agreement.state_institution,
            name=f"{name}: meta {line.goal.number} del programa de trabajo {year}",
            measure="count",
            unit=unit,
            frequency="quarterly",
            direction="ascending",
            accumulation="cumulative",
            by_sex=False,
            is_public=True,
            is_synthetic=True,
            goals=[line.goal],
            definition=(
                f"{name} en el trimestre; se acumulan en el año y se comparan con la meta anual "
                f"({SYNTHETIC})."
            ),
            data_source=f"Expedientes de las áreas responsables ({SYNTHETIC})",
        )
        monitoring.periods_generate(
            actor=None,
            indicator=indicator,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
        )
        rows = list(indicator.periods.order_by("start"))
        monitoring.targets_update(
            actor=None,
            indicator=indicator,
            targets={
                period.label: _scheduled(target, line.planned(quarter))
                for quarter, period in enumerate(rows, start=1)
            },
        )
        periods[line.pk] = list(indicator.periods.order_by("start"))
    return periods


def _scheduled(year_target: int, planned: Decimal | None) -> Decimal:
    """A quarter's target: the share of the year's target the programme schedules by then
    (the year's target where it schedules nothing), in whole actions."""
    if planned is None:
        return Decimal(year_target)
    return (Decimal(year_target) * planned / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _figure(period, line, quarter: int, ending: str, editor, reviewer) -> None:
    """The goal's figure of the quarter, walked to ``ending`` by the state's editor and
    reviewer and, for a validated one, the national validator."""
    values = MEASURES.get(line.goal.number, DEFAULT_MEASURE)[3]
    update = monitoring.update_save(
        actor=editor,
        period=period,
        expected_version=None,
        value=Decimal(values[quarter - 1]),
        narrative=f"Acciones del trimestre para la meta {line.goal.number} ({SYNTHETIC}).",
        is_synthetic=True,
    )
    if ending == "draft":
        return
    update = monitoring.update_submit(actor=editor, update=update, expected_version=update.version)
    if ending == "submitted":
        return
    update = monitoring.update_approve(actor=reviewer, update=update)
    if ending == "validated" and update.status == UpdateStatus.VALIDATING:
        monitoring.update_validate(actor=_user(VALIDATOR), update=update)


def _report(programme: WorkProgramme, quarter: int, editor, missing: str = IN_REVIEW):
    """Save the quarter's report: resources exercised by each goal and, where the progress is
    off the schedule by more than the threshold, its justification."""
    progress = selectors.goal_progress(programme, quarter)
    rows = {}
    for line in programme.lines.select_related("goal"):
        share = EXERCISED[quarter]
        planned, achieved = line.planned(quarter), progress.get(line.pk)
        rows[line.pk] = {
            **{
                f"{source}_exercised": (line.approved(source) * share).quantize(Decimal("0.01"))
                for source in SOURCES
            },
            "justification": _justification(planned, achieved, missing)
            if selectors.deviates(programme, planned, achieved)
            else "",
        }
    return services.report_save(
        actor=editor, programme=programme, quarter=quarter, narrative=NARRATIVE, lines=rows
    )


def _justification(planned, achieved, missing: str) -> str:
    if achieved is None:
        return missing
    if achieved > planned:
        return (
            "El avance supera lo programado: se adelantaron acciones previstas para el siguiente "
            f"trimestre ({SYNTHETIC})."
        )
    return (
        "La diferencia con lo programado se debe al calendario de las dependencias "
        f"participantes; se recupera en el siguiente trimestre ({SYNTHETIC})."
    )


def _assistance(agreement: Agreement, editor, today: dt.date) -> None:
    goal = agreement.goals.filter(number=OBSERVED_GOAL).first() or agreement.goals.first()
    services.assistance_request_add(
        actor=editor,
        agreement=agreement,
        topic="Diseño de la evaluación de aprendizaje de las capacitaciones municipales",
        description=(
            "Solicitamos acompañamiento para diseñar los instrumentos de evaluación inicial y "
            f"final de los talleres a las instancias municipales ({SYNTHETIC})."
        ),
        goals=[goal] if goal else [],
        due_date=today + dt.timedelta(days=30),
        requested_on=today - dt.timedelta(days=7),
        is_synthetic=True,
    )


# A proposal waiting for the national decision ----------------------------------------------


def _proposed(agreement: Agreement, year: int) -> bool:
    if _exists(agreement, year):
        return False
    editor, _reviewer = _people(agreement)
    programme = _create(agreement, year, editor)
    services.programme_propose(actor=editor, programme=programme)
    return True


# Last year's programme, closed -------------------------------------------------------------


def _all_validated(agreement: Agreement, year: int) -> bool:
    periods = ReportingPeriod.objects.filter(
        indicator__goals__agreement=agreement, start__year=year
    ).distinct()
    if not periods.exists():
        return False
    validated = ProgressUpdate.objects.filter(
        period=OuterRef("pk"), is_current=True, status=UpdateStatus.APPROVED
    )
    return not periods.exclude(Exists(validated)).exists()


def _measure_unmeasured(programme: WorkProgramme, year: int, editor, reviewer) -> None:
    """A closed programme has every goal's final result measured and validated: a goal of the
    convenio without an indicator in the year gets the programme's quarterly indicator, its
    figures validated, before the reports are written."""
    lines = [
        line
        for line in programme.lines.select_related("goal")
        if not ReportingPeriod.objects.filter(indicator__goals=line.goal, start__year=year).exists()
    ]
    periods = _goal_indicators(programme.agreement, year, lines)
    for line in lines:
        for quarter in QUARTERS:
            _figure(periods[line.pk][quarter - 1], line, quarter, "validated", editor, reviewer)


def _closed(agreements, taken, year: int, validator, today: dt.date, log) -> None:
    if WorkProgramme.objects.filter(year=year, is_synthetic=True, stage=Stage.CLOSED).exists():
        return
    agreement = next(
        (
            a
            for a in agreements
            if a.pk not in taken and _in_force_during(a, year) and _all_validated(a, year)
        ),
        None,
    )
    if agreement is None:
        log(
            f"Programas de trabajo: ningún convenio tiene todas sus cifras de {year} validadas; "
            "no hay programa cerrado en la demostración."
        )
        return
    editor, reviewer = _people(agreement)
    programme = _create(agreement, year, editor)
    services.programme_propose(actor=editor, programme=programme)
    services.programme_validate(actor=validator, programme=programme)
    _measure_unmeasured(programme, year, editor, reviewer)
    for quarter in QUARTERS:
        report = _report(programme, quarter, editor, ANNUAL)
        services.report_send(actor=editor, report=report)
        services.report_acknowledge(actor=validator, report=report)
    federal = next(t for t in selectors.resource_totals(programme) if t.source == "federal")
    if federal.unspent > 0:
        services.refund_record(
            actor=editor,
            programme=programme,
            amount=federal.unspent,
            reference=f"Línea de captura de la Tesorería ({SYNTHETIC})",
            on=min(today, dt.date(year + 1, 1, 15)),
        )
    name = f"acta-de-cierre-{year}.pdf"
    services.closing_document_add(
        actor=editor,
        programme=programme,
        upload=ContentFile(
            demo_pdf(f"Acta de cierre del programa de trabajo {year} (dato sintético)."),
            name=name,
        ),
        filename=name,
        description=f"Acta de cierre firmada ({SYNTHETIC}).",
    )
    services.programme_close(
        actor=validator,
        programme=programme,
        note=f"Cierre del ejercicio para la demostración ({SYNTHETIC}).",
    )
    log(
        f"Programa de trabajo {year} de {agreement.state.short_name} cerrado, con sus periodos "
        f"bloqueados ({SYNTHETIC})."
    )
