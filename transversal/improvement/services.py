"""Writes of the improvement step: evaluations and their reports, findings (recorded, or
proposed by the system for a sustained red light and then accepted or dismissed), ASM and the
plans a state declares part of its model. Each write is atomic and leaves one audit event;
an ASM's progress and verification are ``followup.services``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record
from transversal.core.lights import Light
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import checked_evidence, evidence_fields, save_with_file
from transversal.followup.services import followup_create
from transversal.improvement.models import (
    ActionKind,
    Evaluation,
    EvaluationReport,
    Finding,
    FindingSource,
    FindingStatus,
    ImprovementAction,
    ModelComponent,
    Priority,
)
from transversal.institutions.models import Institution
from transversal.monitoring.models import ProgressUpdate, ReportingPeriod, UpdateStatus

EVALUATION_FIELDS = ("kind", "title", "evaluator", "started_on", "ended_on", "summary")


def _person(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _clean_text(value: str, field: str, message: str) -> str:
    # The views and the API pass raw text: a NUL byte or an endless text is refused here.
    return clean_text(value, field=field, required=message)


def _names(objects) -> list[str]:
    return sorted(str(obj) for obj in objects)


def _scope_belongs(institution: Institution, plans, goals, indicators) -> None:
    """What an evaluation covers must be the evaluated institution's own."""
    foreign = (
        [p for p in plans if p.institution_id not in (None, institution.pk)]
        + [g for g in goals if institution.pk not in _goal_parties(g)]
        + [i for i in indicators if i.owner_id != institution.pk]
    )
    if foreign:
        raise ValidationError(
            _("El alcance incluye elementos de otra institución: %(names)s.")
            % {"names": "; ".join(str(x) for x in foreign[:3])}
        )


def _goal_parties(goal) -> set[int]:
    agreement = goal.agreement
    return {agreement.national_institution_id, agreement.state_institution_id} - {None}


def evaluation_create(
    *,
    actor: Actor,
    institution: Institution,
    year: int,
    kind: str,
    title: str,
    evaluator: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    summary: str = "",
    plans=(),
    goals=(),
    indicators=(),
    is_synthetic: bool = False,
) -> Evaluation:
    plans, goals, indicators = list(plans), list(goals), list(indicators)
    _scope_belongs(institution, plans, goals, indicators)
    evaluation = Evaluation(
        institution=institution,
        year=year,
        kind=kind,
        title=(title or "").strip(),
        evaluator=(evaluator or "").strip(),
        started_on=started_on,
        ended_on=ended_on,
        summary=(summary or "").strip(),
        is_synthetic=is_synthetic,
    )
    if ended_on and started_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("La conclusión no puede ser anterior al inicio.")})
    evaluation.full_clean()
    with transaction.atomic():
        evaluation.save()
        evaluation.plans.set(plans)
        evaluation.goals.set(goals)
        evaluation.indicators.set(indicators)
        changes = {name: [None, getattr(evaluation, name)] for name in EVALUATION_FIELDS}
        changes["year"] = [None, year]
        if plans or goals or indicators:
            changes["scope"] = [None, _names([*plans, *goals, *indicators])]
        audit_record(
            actor=actor,
            verb="evaluation.create",
            target=evaluation,
            institution=institution,
            changes=changes,
        )
    return evaluation


def evaluation_scope_set(*, actor: Actor, evaluation: Evaluation, plans=(), indicators=()):
    """What the evaluation covers (replacing the set); None when nothing changed."""
    plans, indicators = list(plans), list(indicators)
    _scope_belongs(evaluation.institution, plans, [], indicators)
    with transaction.atomic():
        before = {
            "plans": _names(evaluation.plans.all()),
            "indicators": _names(evaluation.indicators.all()),
        }
        after = {"plans": _names(plans), "indicators": _names(indicators)}
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if not changes:
            return None
        evaluation.plans.set(plans)
        evaluation.indicators.set(indicators)
        audit_record(
            actor=actor,
            verb="evaluation.update",
            target=evaluation,
            institution=evaluation.institution,
            changes=changes,
        )
    return evaluation


def evaluation_report_add(
    *, actor: Actor, evaluation: Evaluation, upload, filename: str, description: str = ""
) -> EvaluationReport:
    """The evaluation's report or an annex, checked by its content; the same file twice is
    refused."""
    info = checked_evidence(upload, filename)
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        twin = evaluation.reports.filter(sha256=info.sha256).first()
        if twin is not None:
            raise ValidationError(
                {
                    "file": _("Este archivo ya está adjunto como «%(name)s».")
                    % {"name": twin.original_name}
                }
            )
        report = EvaluationReport(
            evaluation=evaluation,
            **evidence_fields(info),
            description=(description or "").strip(),
            uploaded_by=_person(actor),
        )
        save_with_file(report, upload, exclude=["evaluation", "uploaded_by"])
        try:
            audit_record(
                actor=actor,
                verb="evaluation.report_add",
                target=evaluation,
                institution=evaluation.institution,
                changes={"report": [None, f"{info.filename} ({info.sha256[:12]})"]},
            )
        except Exception:
            report.file.delete(save=False)
            raise
    return report


def _next_number(institution: Institution, year: int) -> int:
    """Under a lock on the institution's row: findings are numbered per institution and year."""
    # No ordering: the model's default order joins the (nullable) state, which PostgreSQL
    # refuses to lock.
    list(
        Institution.objects.select_for_update()
        .filter(pk=institution.pk)
        .order_by()
        .values_list("pk", flat=True)
    )
    last = Finding.objects.filter(institution=institution, year=year).aggregate(n=Max("number"))
    return (last["n"] or 0) + 1


def _finding_changes(finding: Finding) -> dict:
    changes = {
        "finding": [None, finding.label],
        "source": [None, finding.source],
        "text": [None, finding.text[:200]],
    }
    for name in ("evaluation", "indicator", "period", "resolution"):
        value = getattr(finding, name)
        if value is not None:
            changes[name] = [None, str(value)]
    return changes


def finding_add(
    *,
    actor: Actor,
    institution: Institution,
    text: str,
    source: str = FindingSource.EVALUATION,
    evaluation: Evaluation | None = None,
    indicator=None,
    period: ReportingPeriod | None = None,
    resolution=None,
    year: int | None = None,
    is_synthetic: bool = False,
) -> Finding:
    """A finding a person records: accepted from the start (the system's proposals go through
    :func:`finding_accept` or :func:`finding_dismiss`)."""
    text = _clean_text(text, "text", _("Escriba el hallazgo."))
    if source not in FindingSource.values:
        raise ValidationError({"source": _("Elija el origen del hallazgo.")})
    if source == FindingSource.EVALUATION and evaluation is None:
        raise ValidationError({"evaluation": _("Indique la evaluación de la que surge.")})
    if evaluation is not None and evaluation.institution_id != institution.pk:
        raise ValidationError(_("La evaluación es de otra institución."))
    if indicator is not None and indicator.owner_id != institution.pk:
        raise ValidationError({"indicator": _("El indicador es de otra institución.")})
    if source == FindingSource.RETURNED_REPORT and period is None:
        raise ValidationError({"period": _("Indique el periodo cuyo reporte fue devuelto.")})
    if source == FindingSource.RESOLUTION and resolution is None:
        raise ValidationError({"resolution": _("Indique el acuerdo del que surge.")})
    if year is None:
        year = evaluation.year if evaluation is not None else timezone.localdate().year
    with transaction.atomic():
        finding = Finding(
            institution=institution,
            year=year,
            number=_next_number(institution, year),
            source=source,
            evaluation=evaluation,
            indicator=indicator,
            period=period,
            resolution=resolution,
            text=text,
            status=FindingStatus.ACCEPTED,
            decided_by=_person(actor),
            decided_on=timezone.localdate(),
            is_synthetic=is_synthetic,
        )
        finding.full_clean(exclude=["evaluation", "indicator", "period", "resolution"])
        finding.save()
        audit_record(
            actor=actor,
            verb="finding.add",
            target=finding,
            institution=institution,
            changes=_finding_changes(finding),
        )
    return finding


def red_run(period: ReportingPeriod) -> list[ReportingPeriod]:
    """The consecutive periods of the indicator's calendar, ``period`` among them, whose
    current approved reports are all red, in calendar order; empty when ``period``'s is not
    red. Two queries."""
    siblings = list(
        ReportingPeriod.objects.filter(indicator_id=period.indicator_id).order_by("start", "pk")
    )
    red = set(
        ProgressUpdate.objects.filter(
            period__indicator_id=period.indicator_id,
            is_current=True,
            status=UpdateStatus.APPROVED,
            light=Light.RED,
        ).values_list("period_id", flat=True)
    )
    at = next((i for i, p in enumerate(siblings) if p.pk == period.pk), None)
    if at is None or period.pk not in red:
        return []
    first = last = at
    while first > 0 and siblings[first - 1].pk in red:
        first -= 1
    while last + 1 < len(siblings) and siblings[last + 1].pk in red:
        last += 1
    return siblings[first : last + 1]


def finding_propose(
    *, earlier: ReportingPeriod, later: ReportingPeriod, is_synthetic: bool = False
) -> Finding | None:
    """The system's proposal for a red light held over two consecutive approved periods: once
    per run of red periods (a third red one continues the run; a database constraint keeps one
    per period); None when it was already proposed."""
    indicator = later.indicator
    if Finding.objects.filter(
        source=FindingSource.RED_LIGHT, indicator=indicator, period__in=[earlier, later]
    ).exists():
        return None  # proposed already, for this pair or for the run of reds it continues
    institution = indicator.owner
    text = _(
        "El indicador «%(indicator)s» estuvo en rojo en dos periodos seguidos "
        "(%(earlier)s y %(later)s)."
    ) % {"indicator": indicator.name, "earlier": earlier.display, "later": later.display}
    with transaction.atomic():
        finding = Finding(
            institution=institution,
            year=later.end.year,
            number=_next_number(institution, later.end.year),
            source=FindingSource.RED_LIGHT,
            indicator=indicator,
            period=later,
            text=text,
            status=FindingStatus.PROPOSED,
            is_synthetic=is_synthetic,
        )
        finding.save()
        audit_record(
            actor=None,
            verb="finding.propose",
            target=finding,
            institution=institution,
            changes=_finding_changes(finding),
        )
    return finding


def findings_propose_for_update(update: ProgressUpdate) -> Finding | None:
    """Hooked on every approval (``monitoring.services.on_approval``)."""
    if update.light != Light.RED:
        return None
    run = red_run(update.period)
    if len(run) < 2:
        return None
    if Finding.objects.filter(
        source=FindingSource.RED_LIGHT, indicator_id=update.period.indicator_id, period__in=run
    ).exists():
        return None  # the run was proposed already: a longer run is still one finding
    return finding_propose(earlier=run[0], later=run[1], is_synthetic=update.is_synthetic)


def findings_propose_all() -> int:
    """Every sustained red pair not yet proposed (for data approved before this rule, or
    loaded in bulk); how many findings were proposed."""
    later_red = (
        ProgressUpdate.objects.filter(
            is_current=True, status=UpdateStatus.APPROVED, light=Light.RED
        )
        .select_related("period__indicator__owner")
        .order_by("period__indicator_id", "period__start")
    )
    proposed = 0
    for update in later_red:
        if findings_propose_for_update(update) is not None:
            proposed += 1
    return proposed


def _lock_finding(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("institution", "indicator", "period", "evaluation", "resolution__session")
        .get(pk=finding.pk)
    )


def finding_accept(*, actor: Actor, finding: Finding, note: str = "") -> Finding:
    note = clean_text(note, field="reason")
    with transaction.atomic():
        finding = _lock_finding(finding)
        if finding.status != FindingStatus.PROPOSED:
            raise ValidationError(_("Solo se acepta o descarta un hallazgo propuesto."))
        finding.status = FindingStatus.ACCEPTED
        finding.decided_by = _person(actor)
        finding.decided_on = timezone.localdate()
        finding.save(update_fields=["status", "decided_by", "decided_on"])
        audit_record(
            actor=actor,
            verb="finding.accept",
            target=finding,
            institution=finding.institution,
            changes={"status": [FindingStatus.PROPOSED, FindingStatus.ACCEPTED]},
            note=note,
        )
    return finding


def finding_dismiss(*, actor: Actor, finding: Finding, reason: str) -> Finding:
    reason = _clean_text(reason, "reason", _("Escriba el motivo para descartarlo."))
    with transaction.atomic():
        finding = _lock_finding(finding)
        if finding.status != FindingStatus.PROPOSED:
            raise ValidationError(_("Solo se acepta o descarta un hallazgo propuesto."))
        finding.status = FindingStatus.DISMISSED
        finding.decision_reason = reason
        finding.decided_by = _person(actor)
        finding.decided_on = timezone.localdate()
        finding.save(update_fields=["status", "decision_reason", "decided_by", "decided_on"])
        audit_record(
            actor=actor,
            verb="finding.dismiss",
            target=finding,
            institution=finding.institution,
            changes={
                "status": [FindingStatus.PROPOSED, FindingStatus.DISMISSED],
                "reason": [None, reason],
            },
            note=reason,
        )
    return finding


def action_add(
    *,
    actor: Actor,
    finding: Finding,
    text: str,
    kind: str,
    priority: str,
    owner: Institution,
    due_date: dt.date | None,
    co_owners=(),
    responsible_person: str = "",
    is_synthetic: bool = False,
) -> ImprovementAction:
    """An ASM answering an accepted finding, with its follow-up item (verified by the
    finding's institution, by someone other than who reports it)."""
    text = _clean_text(text, "text", _("Escriba el aspecto susceptible de mejora."))
    if kind not in ActionKind.values:
        raise ValidationError({"kind": _("Elija la clasificación del aspecto.")})
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Elija la prioridad.")})
    if due_date is None:
        raise ValidationError({"due_date": _("Indique la fecha compromiso.")})
    with transaction.atomic():
        finding = _lock_finding(finding)
        if finding.status != FindingStatus.ACCEPTED:
            raise ValidationError(
                _("Solo un hallazgo aceptado da lugar a aspectos susceptibles de mejora.")
            )
        origin = finding.origin_date
        if due_date < origin:
            raise ValidationError(
                {
                    "due_date": _(
                        "La fecha compromiso no puede ser anterior al origen del hallazgo "
                        "(%(date)s)."
                    )
                    % {"date": origin.strftime("%d/%m/%Y")}
                }
            )
        number = (finding.actions.aggregate(n=Max("number"))["n"] or 0) + 1
        label = f"ASM {finding.label}.{number}"
        followup = followup_create(
            kind="asm",
            title=f"{label}: {text}"[:300],
            text=text,
            owner=owner,
            co_owners=co_owners,
            verifier=finding.institution,
            responsible_person=responsible_person,
            due_date=due_date,
        )
        action = ImprovementAction(
            finding=finding,
            number=number,
            kind=kind,
            priority=priority,
            followup=followup,
            is_synthetic=is_synthetic,
        )
        action.full_clean(exclude=["finding", "followup"])
        action.save()
        audit_record(
            actor=actor,
            verb="asm.add",
            target=action,
            institution=finding.institution,
            changes={
                "asm": [None, label],
                "text": [None, text[:200]],
                "kind": [None, kind],
                "priority": [None, priority],
                "owner": [None, str(owner)],
                "due_date": [None, due_date],
            },
        )
    return action


def model_components_set(*, actor: Actor, institution: Institution, year: int, plans) -> bool:
    """The plans and programmes that make up the institution's model in ``year`` (replacing the
    set); False when nothing changed."""
    plans = list(plans)
    foreign = [p for p in plans if p.institution_id not in (None, institution.pk)]
    if foreign and not all(p.state_id == institution.state_id for p in foreign):
        raise ValidationError({"plans": _("Solo se declaran planes de la propia entidad.")})
    with transaction.atomic():
        rows = ModelComponent.objects.filter(institution=institution, year=year)
        before = set(rows.values_list("plan_id", flat=True))
        after = {p.pk for p in plans}
        if before == after:
            return False
        rows.exclude(plan_id__in=after).delete()
        ModelComponent.objects.bulk_create(
            [
                ModelComponent(institution=institution, year=year, plan=p)
                for p in plans
                if p.pk not in before
            ]
        )
        audit_record(
            actor=actor,
            verb="model.components",
            target=institution,
            institution=institution,
            changes={"plans": [sorted(before), sorted(after)], "year": [year, year]},
        )
    return True
