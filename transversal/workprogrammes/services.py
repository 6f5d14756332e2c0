"""Writes of the convenio's yearly cycle. Each is atomic and leaves one audit event on the
programme (or the request); the access check is the caller's (``access.py``).

Stages: en elaboración → propuesta → observada ↔ corregida → validada → en ejecución → cerrada.
The state writes the programme while it is in elaboration or observed, proposes it and answers
observations; the national institution observes or validates it, receives or observes each
quarterly report and closes the year, which locks the year's reporting periods (a locked
period changes only after an audited national reopening, ``monitoring.services.period_reopen``,
and locks again when its correction is approved).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.agreements.models import AgreementStatus, Commitment, Goal, TechnicalAssistance
from transversal.audit.services import audit_record
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import checked_evidence, evidence_fields, save_with_file
from transversal.followup.services import followup_create
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import periods_lock
from transversal.workprogrammes import selectors
from transversal.workprogrammes.models import (
    AWAITING_NATIONAL,
    EDITABLE_STAGES,
    EXECUTION_STAGES,
    QUARTERS,
    SOURCES,
    AssistanceRequest,
    ClosingDocument,
    Observation,
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Stage,
    WorkProgramme,
    quarter_end,
)


def _person(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _lock(programme: WorkProgramme) -> WorkProgramme:
    return (
        WorkProgramme.objects.select_for_update(of=("self",))
        .select_related("agreement__state_institution", "agreement__state")
        .get(pk=programme.pk)
    )


def _audit(actor, verb: str, programme: WorkProgramme, changes=None, note: str = "") -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=programme,
        institution=programme.institution,
        changes=changes or {},
        note=note,
    )


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label).lower()


def _require_stage(programme: WorkProgramme, stages, message: str) -> None:
    if programme.stage not in stages:
        raise ValidationError(message % {"stage": _stage_label(programme.stage)})


def _move(actor, programme: WorkProgramme, to: str, verb: str, note: str = "") -> WorkProgramme:
    old = programme.stage
    programme.stage = to
    programme.stage_changed_at = timezone.now()
    programme.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    _audit(actor, verb, programme, {"stage": [old, to]}, note)
    return programme


# The programme


def programme_create(
    *,
    actor: Actor,
    agreement,
    year: int,
    deviation_threshold: Decimal | None = None,
    report_due_days: int | None = None,
    is_synthetic: bool = False,
) -> WorkProgramme:
    """A programme in elaboration for a convenio in force during ``year``."""
    if agreement.status in (AgreementStatus.DRAFT, AgreementStatus.TERMINATED):
        raise ValidationError(
            _("Solo un convenio firmado tiene programa de trabajo; este está %(s)s.")
            % {"s": agreement.get_status_display().lower()}
        )
    starts, ends = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if (agreement.valid_from and agreement.valid_from > ends) or (
        agreement.valid_to and agreement.valid_to < starts
    ):
        raise ValidationError(
            {"year": _("El convenio no está vigente en %(year)s.") % {"year": year}}
        )
    programme = WorkProgramme(agreement=agreement, year=year, is_synthetic=is_synthetic)
    if deviation_threshold is not None:
        programme.deviation_threshold = deviation_threshold
    if report_due_days is not None:
        programme.report_due_days = report_due_days
    programme.full_clean()
    with transaction.atomic():
        try:
            with transaction.atomic():
                programme.save()
        except IntegrityError:
            raise ValidationError(
                {"year": _("Este convenio ya tiene un programa para %(year)s.") % {"year": year}}
            ) from None
        _audit(actor, "programme.create", programme, {"year": [None, year]})
    return programme


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Escriba un número.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Escriba un número.")})
    return number


def _schedule(planned: Mapping[int, object]) -> dict[str, Decimal | None]:
    values = {q: _decimal(planned.get(q), f"planned_q{q}") for q in QUARTERS}
    if values[4] is None:
        raise ValidationError(
            {"planned_q4": _("Indique el avance programado al cierre del año (4.º trimestre).")}
        )
    last = Decimal(0)
    for quarter in QUARTERS:
        value = values[quarter]
        if value is None:
            continue
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(
                {f"planned_q{quarter}": _("El avance programado va de 0 a 100 %.")}
            )
        if value < last:
            raise ValidationError(
                {
                    f"planned_q{quarter}": _(
                        "El avance programado es acumulado: no puede bajar de un trimestre al "
                        "siguiente."
                    )
                }
            )
        last = value
    return {f"planned_q{q}": values[q] for q in QUARTERS}


def _resources(resources: Mapping[str, object]) -> dict[str, Decimal | None]:
    amounts: dict[str, Decimal | None] = {}
    for source in SOURCES:
        for kind in ("approved", "modified"):
            field = f"{source}_{kind}"
            value = _decimal(resources.get(field), field)
            if value is not None and value < 0:
                raise ValidationError({field: _("Un monto no puede ser negativo.")})
            amounts[field] = value if value is not None or kind == "modified" else Decimal(0)
    return amounts


LINE_FIELDS = (
    "means_of_verification",
    "responsible_area",
    *(f"planned_q{q}" for q in QUARTERS),
    *(f"{s}_{k}" for s in SOURCES for k in ("approved", "modified")),
)


@transaction.atomic
def line_save(
    *,
    actor: Actor,
    programme: WorkProgramme,
    goal: Goal,
    means_of_verification: str,
    responsible_area: str,
    planned: Mapping[int, object],
    resources: Mapping[str, object],
) -> ProgrammeLine:
    """Add a convenio goal to the programme, or change it when it is already there."""
    programme = _lock(programme)
    _require_stage(
        programme,
        EDITABLE_STAGES,
        _("El programa está %(stage)s: sus metas solo cambian en elaboración u observado."),
    )
    if goal.agreement_id != programme.agreement_id:
        raise ValidationError({"goal": _("La meta no pertenece al convenio de este programa.")})
    values = {
        "means_of_verification": clean_text(
            means_of_verification,
            field="means_of_verification",
            required=_("Indique los medios de verificación de la meta."),
        ),
        "responsible_area": clean_text(
            responsible_area,
            field="responsible_area",
            required=_("Indique el área responsable."),
            max_length=200,
        ),
        **_schedule(planned),
        **_resources(resources),
    }
    line = programme.lines.filter(goal=goal).first()
    before = {f: getattr(line, f) for f in LINE_FIELDS} if line else {}
    if line is None:
        line = ProgrammeLine(programme=programme, goal=goal)
    for field, value in values.items():
        setattr(line, field, value)
    line.full_clean(exclude=["programme", "goal"])
    line.save()
    changes = {f: [before.get(f), values[f]] for f in LINE_FIELDS if before.get(f) != values[f]}
    _audit(
        actor,
        "programme.line_add" if not before else "programme.line_change",
        programme,
        {"goal": [None, goal.number] if not before else [goal.number, goal.number], **changes},
    )
    return line


@transaction.atomic
def line_remove(*, actor: Actor, line: ProgrammeLine) -> None:
    programme = _lock(line.programme)
    _require_stage(
        programme,
        EDITABLE_STAGES,
        _("El programa está %(stage)s: sus metas solo cambian en elaboración u observado."),
    )
    number = line.goal.number
    line.delete()
    _audit(actor, "programme.line_remove", programme, {"goal": [number, None]})


@transaction.atomic
def programme_propose(*, actor: Actor, programme: WorkProgramme) -> WorkProgramme:
    programme = _lock(programme)
    _require_stage(
        programme, (Stage.DRAFT,), _("Solo se propone un programa en elaboración; está %(stage)s.")
    )
    if not programme.lines.exists():
        raise ValidationError(_("Agregue al menos una meta del convenio antes de proponer."))
    return _move(actor, programme, Stage.PROPOSED, "programme.propose")


@transaction.atomic
def programme_observe(
    *, actor: Actor, programme: WorkProgramme, text: str, line: ProgrammeLine | None = None
) -> Observation:
    """A national observation on the proposal (on the whole or on one goal): it goes back to
    the state."""
    text = clean_text(text, field="text", required=_("Escriba la observación."))
    programme = _lock(programme)
    _require_stage(
        programme,
        (*AWAITING_NATIONAL, Stage.OBSERVED),
        _("Solo se observa un programa propuesto o corregido; está %(stage)s."),
    )
    if line is not None and line.programme_id != programme.pk:
        raise ValidationError({"line": _("La meta no pertenece a este programa.")})
    observation = Observation.objects.create(
        programme=programme,
        line=line,
        goal_label=str(_("Meta %(n)s") % {"n": line.goal.number}) if line else "",
        text=text,
        author=_person(actor),
    )
    if programme.stage != Stage.OBSERVED:
        _move(actor, programme, Stage.OBSERVED, "programme.observe", note=text)
    else:
        _audit(actor, "programme.observe", programme, note=text)
    return observation


def _answer(observations, actor, answer: str) -> int:
    return observations.filter(answered_at__isnull=True).update(
        answer=answer, answered_at=timezone.now(), answered_by=_person(actor)
    )


@transaction.atomic
def programme_correct(*, actor: Actor, programme: WorkProgramme, answer: str) -> WorkProgramme:
    """The state sends its corrections back: the open observations are answered."""
    answer = clean_text(
        answer, field="answer", required=_("Explique qué corrigió en atención a lo observado.")
    )
    programme = _lock(programme)
    _require_stage(
        programme, (Stage.OBSERVED,), _("Solo se corrige un programa observado; está %(stage)s.")
    )
    _answer(programme.observations.filter(report__isnull=True), actor, answer)
    return _move(actor, programme, Stage.CORRECTED, "programme.correct", note=answer)


@transaction.atomic
def programme_validate(*, actor: Actor, programme: WorkProgramme, note: str = "") -> WorkProgramme:
    note = clean_text(note, field="note")
    programme = _lock(programme)
    _require_stage(
        programme,
        AWAITING_NATIONAL,
        _("Solo se valida un programa propuesto o corregido; está %(stage)s."),
    )
    return _move(actor, programme, Stage.VALIDATED, "programme.validate", note=note)


@transaction.atomic
def programme_start(*, actor: Actor, programme: WorkProgramme) -> WorkProgramme:
    programme = _lock(programme)
    _require_stage(
        programme,
        (Stage.VALIDATED,),
        _("Solo un programa validado entra en ejecución; está %(stage)s."),
    )
    return _move(actor, programme, Stage.IN_EXECUTION, "programme.start")


# Quarterly reports


def _exercised(values: Mapping[str, object]) -> dict[str, Decimal]:
    amounts = {}
    for source in SOURCES:
        field = f"{source}_exercised"
        value = _decimal(values.get(field), field) or Decimal(0)
        if value < 0:
            raise ValidationError({field: _("Un monto no puede ser negativo.")})
        amounts[field] = value
    return amounts


@transaction.atomic
def report_save(
    *,
    actor: Actor,
    programme: WorkProgramme,
    quarter: int,
    narrative: str,
    lines: Mapping[int, Mapping[str, object]],
) -> QuarterlyReport:
    """Write (or rewrite) the quarter's report while it is in elaboration or observed.
    ``lines`` maps a programme line's pk to its exercised amounts and justification."""
    programme = _lock(programme)
    _require_stage(
        programme,
        EXECUTION_STAGES,
        _("Los informes trimestrales se escriben con el programa validado; está %(stage)s."),
    )
    if quarter not in QUARTERS:
        raise ValidationError({"quarter": _("El trimestre va de 1 a 4.")})
    narrative = clean_text(narrative, field="narrative")
    report, created = QuarterlyReport.objects.select_for_update().get_or_create(
        programme=programme, quarter=quarter
    )
    if not report.is_editable:
        raise ValidationError(
            _("El informe está %(s)s y ya no se edita.")
            % {"s": report.get_status_display().lower()}
        )
    own = {line.pk: line for line in programme.lines.all()}
    foreign = set(lines) - set(own)
    if foreign:
        raise ValidationError(_("Una de las metas no pertenece a este programa."))
    existing = {row.line_id: row for row in report.lines.all()}
    changes: dict[str, list] = {}
    if report.narrative != narrative:
        changes["narrative"] = [report.narrative[:200], narrative[:200]]
        report.narrative = narrative
        report.save(update_fields=["narrative", "updated_at"])
    for pk, line in own.items():
        given = lines.get(pk, {})
        values = {
            **_exercised(given),
            "justification": clean_text(given.get("justification"), field="justification"),
        }
        row = existing.get(pk) or ReportLine(report=report, line=line)
        for field, value in values.items():
            if getattr(row, field) != value:
                changes[f"{line.goal.number}:{field}"] = [getattr(row, field), value]
                setattr(row, field, value)
        row.save()
    _audit(
        actor,
        "report.create" if created else "report.save",
        programme,
        {"quarter": [None, quarter] if created else [quarter, quarter], **changes},
    )
    return report


def _lock_report(report: QuarterlyReport) -> QuarterlyReport:
    return (
        QuarterlyReport.objects.select_for_update(of=("self",))
        .select_related("programme__agreement__state_institution")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_send(*, actor: Actor, report: QuarterlyReport) -> QuarterlyReport:
    """Send the quarter's report: progress is recorded as it stands (scheduled and achieved per
    goal), a deviation beyond the programme's threshold needs its justification, and the
    programme enters execution with its first report."""
    report = _lock_report(report)
    programme = _lock(report.programme)
    if not report.is_editable:
        raise ValidationError(_("Solo se envía un informe en elaboración u observado."))
    _require_stage(
        programme,
        EXECUTION_STAGES,
        _("Los informes trimestrales se envían con el programa validado; está %(stage)s."),
    )
    today = timezone.localdate()
    if today <= quarter_end(programme.year, report.quarter):
        raise ValidationError(
            _("El trimestre termina el %(date)s: su informe se envía a partir del día siguiente.")
            % {"date": quarter_end(programme.year, report.quarter).strftime("%d/%m/%Y")}
        )
    progress = selectors.goal_progress(programme, report.quarter)
    rows = list(report.lines.select_related("line__goal"))
    if len(rows) != programme.lines.count():
        raise ValidationError(_("Guarde el informe con todas las metas del programa antes."))
    missing = []
    for row in rows:
        row.planned = row.line.planned(report.quarter)
        row.achieved = progress.get(row.line_id)
        if selectors.deviates(programme, row.planned, row.achieved) and not row.justification:
            missing.append(row.line.goal.number)
    # Every reason at once: the amounts over what is authorized, then the missing justifications.
    refusals = selectors.overspending(report)
    if missing:
        refusals.append(
            _(
                "Justifique la desviación de más de %(t)s puntos entre lo programado y lo "
                "alcanzado en: %(goals)s."
            )
            % {
                "t": f"{programme.deviation_threshold.normalize():f}",
                "goals": ", ".join(str(_("meta %(n)s") % {"n": n}) for n in missing),
            }
        )
    if refusals:
        raise ValidationError(refusals)
    ReportLine.objects.bulk_update(rows, ["planned", "achieved"])
    old = report.status
    report.status = ReportStatus.SENT
    report.sent_at = timezone.now()
    report.sent_by = _person(actor)
    report.reviewed_at = report.reviewed_by = None
    report.save()
    _answer(report.observations.all(), actor, str(_("Informe enviado de nuevo.")))
    _audit(
        actor,
        "report.send",
        programme,
        {"quarter": [report.quarter, report.quarter], "status": [old, ReportStatus.SENT]},
    )
    if programme.stage == Stage.VALIDATED:
        _move(actor, programme, Stage.IN_EXECUTION, "programme.start")
    return report


def _review(actor, report: QuarterlyReport, to: str, verb: str, note: str) -> QuarterlyReport:
    report = _lock_report(report)
    if report.status != ReportStatus.SENT:
        raise ValidationError(_("Solo se revisa un informe enviado."))
    report.status = to
    report.reviewed_at = timezone.now()
    report.reviewed_by = _person(actor)
    report.save()
    _audit(
        actor,
        verb,
        report.programme,
        {"quarter": [report.quarter, report.quarter], "status": [ReportStatus.SENT, to]},
        note,
    )
    return report


@transaction.atomic
def report_acknowledge(*, actor: Actor, report: QuarterlyReport, note: str = "") -> QuarterlyReport:
    """The national institution receives the report (acuse de recibo): each goal's progress
    with only the validated figures is recorded then, and that is what is published."""
    note = clean_text(note, field="note")
    report = _review(actor, report, ReportStatus.ACKNOWLEDGED, "report.acknowledge", note)
    validated = selectors.goal_progress(
        report.programme, report.quarter, statuses=(UpdateStatus.APPROVED,)
    )
    rows = list(report.lines.all())
    for row in rows:
        row.validated = validated.get(row.line_id)
    ReportLine.objects.bulk_update(rows, ["validated"])
    return report


@transaction.atomic
def report_observe(*, actor: Actor, report: QuarterlyReport, text: str) -> Observation:
    text = clean_text(text, field="text", required=_("Escriba la observación."))
    report = _review(actor, report, ReportStatus.OBSERVED, "report.observe", text)
    return Observation.objects.create(
        programme=report.programme, report=report, text=text, author=_person(actor)
    )


# Closure


@transaction.atomic
def refund_record(
    *, actor: Actor, programme: WorkProgramme, amount, reference: str, on: dt.date | None
) -> WorkProgramme:
    """The unspent federal funds returned: amount, reference and date."""
    programme = _lock(programme)
    _require_stage(
        programme,
        (Stage.IN_EXECUTION,),
        _("El reintegro se registra con el programa en ejecución; está %(stage)s."),
    )
    value = _decimal(amount, "refund_amount")
    if value is None or value < 0:
        raise ValidationError({"refund_amount": _("Indique el importe reintegrado.")})
    reference = clean_text(
        reference,
        field="refund_reference",
        required=_("Indique la referencia del reintegro (línea de captura o folio)."),
        max_length=100,
    )
    if on is None:
        raise ValidationError({"refund_date": _("Indique la fecha del reintegro.")})
    if on.year < programme.year or on > timezone.localdate():
        raise ValidationError(
            {"refund_date": _("La fecha del reintegro debe estar entre el año del programa y hoy.")}
        )
    before = [programme.refund_amount, programme.refund_reference, programme.refund_date]
    programme.refund_amount, programme.refund_reference, programme.refund_date = (
        value,
        reference,
        on,
    )
    programme.save(update_fields=["refund_amount", "refund_reference", "refund_date"])
    _audit(
        actor,
        "programme.refund",
        programme,
        {
            "refund_amount": [before[0], value],
            "refund_reference": [before[1], reference],
            "refund_date": [before[2], on],
        },
    )
    return programme


def closing_document_add(
    *, actor: Actor, programme: WorkProgramme, upload, filename: str, description: str = ""
) -> ClosingDocument:
    info = checked_evidence(upload, filename)
    with transaction.atomic():
        programme = _lock(programme)
        _require_stage(
            programme,
            (Stage.IN_EXECUTION,),
            _("El acta de cierre se sube con el programa en ejecución; está %(stage)s."),
        )
        twin = programme.closing_documents.filter(sha256=info.sha256).first()
        if twin is not None:
            raise ValidationError(
                {"file": _("Este archivo ya está adjunto como «%(name)s».") % {"name": twin}}
            )
        document = ClosingDocument(
            programme=programme,
            **evidence_fields(info),
            description=clean_text(description, field="description", max_length=300),
            uploaded_by=_person(actor),
        )
        save_with_file(document, upload, exclude=["programme", "uploaded_by"])
        try:
            _audit(
                actor,
                "programme.minutes",
                programme,
                {"minutes": [None, f"{info.filename} ({info.sha256[:12]})"]},
            )
        except Exception:
            document.file.delete(save=False)
            raise
    return document


@transaction.atomic
def programme_close(*, actor: Actor, programme: WorkProgramme, note: str = "") -> WorkProgramme:
    """Close the year once its checklist holds: its reporting periods lock."""
    note = clean_text(note, field="note")
    programme = _lock(programme)
    _require_stage(
        programme,
        (Stage.IN_EXECUTION,),
        _("Solo se cierra un programa en ejecución; está %(stage)s."),
    )
    failing = [item for item in selectors.closure_checklist(programme) if not item.ok]
    if failing:
        raise ValidationError(
            [
                " ".join(
                    filter(
                        None,
                        [_("No se puede cerrar: %(label)s.") % {"label": item.label}, item.detail],
                    )
                )
                for item in failing
            ]
        )
    reason = _("Cierre del programa de trabajo %(year)s") % {"year": programme.year}
    periods_lock(actor=actor, periods=selectors.programme_periods(programme), reason=reason)
    programme.closed_on = timezone.localdate()
    programme.closed_by = _person(actor)
    programme.save(update_fields=["closed_on", "closed_by"])
    return _move(actor, programme, Stage.CLOSED, "programme.close", note=note)


def relock_after_correction(update: ProgressUpdate) -> None:
    """Registered as an approval hook: a period of a closed programme reopened by the national
    institution for a correction locks again once the correction is approved."""
    period = update.period
    if period.locked:
        return
    closed = WorkProgramme.objects.filter(
        stage=Stage.CLOSED,
        year=period.start.year,
        lines__goal__indicators=period.indicator_id,
    ).first()
    if closed is not None:
        periods_lock(
            actor=None,
            periods=[period],
            reason=_("Cierre del programa de trabajo %(year)s") % {"year": closed.year},
        )


# Technical assistance requests


@transaction.atomic
def assistance_request_add(
    *,
    actor: Actor,
    agreement,
    topic: str,
    description: str = "",
    goals: Iterable[Goal] = (),
    commitments: Iterable[Commitment] = (),
    due_date: dt.date | None = None,
    requested_on: dt.date | None = None,
    is_synthetic: bool = False,
) -> AssistanceRequest:
    """The state asks the national institution for technical assistance for goals and
    commitments of its convenio; the request is followed up until the state confirms it was
    attended."""
    topic = clean_text(
        topic, field="topic", required=_("Indique el tema de la asistencia."), max_length=250
    )
    description = clean_text(description, field="description")
    goals, commitments = list(goals), list(commitments)
    if any(g.agreement_id != agreement.pk for g in goals) or any(
        c.agreement_id != agreement.pk for c in commitments
    ):
        raise ValidationError(_("Las metas y compromisos deben ser de este convenio."))
    if not goals and not commitments:
        raise ValidationError(_("Elija al menos una meta o un compromiso al que sirva."))
    requested_on = requested_on or timezone.localdate()
    if due_date is not None and due_date < requested_on:
        raise ValidationError(
            {"due_date": _("La fecha deseada no puede ser anterior a la solicitud.")}
        )
    number = (
        AssistanceRequest.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    followup = followup_create(
        kind="asistencia",
        title=str(_("Solicitud de asistencia %(n)s: %(topic)s") % {"n": number, "topic": topic})[
            :300
        ],
        text=description,
        owner=agreement.national_institution,
        verifier=agreement.state_institution,
        due_date=due_date,
    )
    request = AssistanceRequest.objects.create(
        agreement=agreement,
        number=number,
        requested_on=requested_on,
        followup=followup,
        is_synthetic=is_synthetic,
    )
    request.goals.set(goals)
    request.commitments.set(commitments)
    audit_record(
        actor=actor,
        verb="assistance.request",
        target=request,
        institution=agreement.state_institution,
        changes={
            "topic": [None, topic],
            "goals": [None, sorted(g.number for g in goals)],
            "commitments": [None, sorted(c.number for c in commitments)],
        },
    )
    return request


@transaction.atomic
def assistance_request_link(
    *, actor: Actor, request: AssistanceRequest, assistance: TechnicalAssistance
) -> AssistanceRequest:
    """Record which technical assistance answered the request; the assistance is linked to the
    request's goals and commitments."""
    if assistance.recipient_id != request.agreement.state_institution_id:
        raise ValidationError(
            {"assistance": _("La asistencia no la recibió la institución que la solicitó.")}
        )
    before = request.assistance_id
    request.assistance = assistance
    request.save(update_fields=["assistance"])
    assistance.goals.add(*request.goals.all())
    assistance.commitments.add(*request.commitments.all())
    audit_record(
        actor=actor,
        verb="assistance.link",
        target=request,
        institution=request.agreement.state_institution,
        changes={"assistance": [before, str(assistance)]},
    )
    return request
