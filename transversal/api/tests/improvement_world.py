"""Improvement data for the API and open-data tests.

Durango's institute: an evaluation of 2026 («Evaluación de diseño del Programa Estatal»,
Universidad Juárez del Estado de Durango, 03/02/2026 – 29/05/2026, a report uploaded) covering a
published and a draft plan, a public and a draft convenio's goal and a public and a private
indicator, with findings:
  H-2026-01  accepted, with four ASM: overdue (open, due 30/06/2026, co-owned by a partner,
             a responsible person named and a note), verified, cancelled, done (due 2099);
  H-2026-02  accepted, about the private indicator (not published, nor its ASM);
  H-2026-03  accepted, returned report of a private indicator's period (not published);
  H-2026-04  accepted, from a session acuerdo, no ASM;
  H-2025-01  the system's red-light proposal for the public indicator, dismissed with a reason;
  H-2025-02  another proposal, still waiting (not published).
Zacatecas: an external evaluation of 2025 without report, one accepted finding with an ASM in
progress that Durango's institute shares.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from transversal.coordination.models import Resolution
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUp
from transversal.followup.services import followup_note_add
from transversal.improvement import services
from transversal.improvement.models import Evaluation, EvaluationReport, Finding, ImprovementAction
from transversal.monitoring.models import ReportingPeriod

FUTURE = dt.date(2099, 12, 31)
# What must never reach the API or the open data.
PERSON = "Ximena Robles Arellano"  # the ASM's responsible person
DECIDER = "Leticia Decide Montes"  # who dismissed the proposal
NOTE = "MARCA-NOTA-ASM"
REPORT = "marca-informe-evaluacion"
PRIVATE_FINDING = "MARCA-HALLAZGO-INDICADOR-PRIVADO"
PRIVATE_PERIOD_FINDING = "MARCA-HALLAZGO-PERIODO-PRIVADO"
PRIVATE_ASM = "MARCA-ASM-PRIVADO"
DISMISSAL = "El indicador cambió de método de cálculo en 2025."
SECRETS = (PERSON, DECIDER, NOTE, REPORT, PRIVATE_FINDING, PRIVATE_PERIOD_FINDING, PRIVATE_ASM)


@dataclass
class ImprovementWorld:
    evaluation: Evaluation
    accepted: Finding
    private: Finding
    private_period: Finding
    from_resolution: Finding
    dismissed: Finding
    proposed: Finding
    overdue: ImprovementAction
    verified: ImprovementAction
    cancelled: ImprovementAction
    done: ImprovementAction
    private_action: ImprovementAction
    zacatecas_evaluation: Evaluation
    zacatecas_finding: Finding
    zacatecas_action: ImprovementAction
    links: object  # coordination_world.Links: what the evaluation covers
    partner: object
    resolution: Resolution


def _set(action: ImprovementAction, **fields) -> None:
    FollowUp.objects.filter(pk=action.followup_id).update(**fields)


def _action(finding, owner, text, *, due=FUTURE, **extra) -> ImprovementAction:
    return services.action_add(
        actor=None,
        finding=finding,
        text=text,
        kind=extra.pop("kind", "institutional"),
        priority=extra.pop("priority", "medium"),
        owner=owner,
        due_date=due,
        **extra,
    )


def _periods(indicator) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(indicator=indicator).order_by("start"))


def build(durango, zacatecas, national, links=None, resolution=None) -> ImprovementWorld:
    """``links``: a ``coordination_world.Links`` with the published and unpublished plans' items,
    goals and indicators (made here when not given); ``resolution``: the acuerdo a finding comes
    from (a small system is made here when not given)."""
    from transversal.accounts.models import Role
    from transversal.api.tests import coordination_world
    from transversal.conftest import make_institution, make_member

    links = links or coordination_world._links(durango, national)
    partner = make_institution("bienestar-mejora-test", "10", "Secretaría de Bienestar Social")
    if resolution is None:
        system = make_system(durango, acronym="SIMEJ")
        resolution = make_resolution(make_session(system), durango, due=FUTURE)
    evaluation = services.evaluation_create(
        actor=None,
        institution=durango,
        year=2026,
        kind="design",
        title="Evaluación de diseño del Programa Estatal",
        evaluator="Universidad Juárez del Estado de Durango",
        started_on=dt.date(2026, 2, 3),
        ended_on=dt.date(2026, 5, 29),
        summary="El programa tiene objetivos claros y metas sin línea base.",
        plans=[links.published_item.plan, links.draft_item.plan],
        goals=[links.public_goal, links.draft_goal],
        indicators=[links.public_indicator, links.private_indicator],
    )
    EvaluationReport.objects.create(
        evaluation=evaluation,
        file=f"evaluations/{evaluation.code}/informe.pdf",
        original_name=f"{REPORT}.pdf",
        description=REPORT,
        kind="pdf",
        extension="pdf",
        mime_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    accepted = services.finding_add(
        actor=None,
        institution=durango,
        evaluation=evaluation,
        text="Las metas del programa no tienen línea base.",
    )
    private = services.finding_add(
        actor=None,
        institution=durango,
        evaluation=evaluation,
        indicator=links.private_indicator,
        text=PRIVATE_FINDING,
    )
    private_period = services.finding_add(
        actor=None,
        institution=durango,
        source="returned_report",
        period=_periods(links.private_indicator)[0],
        year=2026,
        text=PRIVATE_PERIOD_FINDING,
    )
    from_resolution = services.finding_add(
        actor=None,
        institution=durango,
        source="resolution",
        resolution=resolution,
        year=2026,
        text="El acuerdo pide revisar el programa.",
    )
    periods = _periods(links.public_indicator)
    dismissed = services.finding_propose(earlier=periods[0], later=periods[1])
    decider = make_member("decide.mejora@prueba.test", durango, Role.REVIEWER)
    decider.full_name = DECIDER
    decider.save(update_fields=["full_name"])
    dismissed = services.finding_dismiss(actor=decider, finding=dismissed, reason=DISMISSAL)
    proposed = services.finding_propose(earlier=periods[2], later=periods[3])

    overdue = _action(
        accepted,
        durango,
        "Fijar la línea base de cada meta",
        due=dt.date(2026, 6, 30),
        kind="specific",
        priority="high",
        co_owners=[partner],
        responsible_person=PERSON,
    )
    followup_note_add(actor=None, item=overdue.followup, text=NOTE)
    _set(overdue, status="open")  # a note moves it to "in progress"; keep it plainly open
    verified = _action(accepted, durango, "Publicar las fichas técnicas", due=dt.date(2026, 8, 31))
    _set(verified, status="verified", done_on=dt.date(2026, 8, 10), closed_on=dt.date(2026, 8, 15))
    cancelled = _action(accepted, partner, "Contratar una consultoría", priority="low")
    _set(
        cancelled,
        status="cancelled",
        cancel_reason="Se atiende con otro.",
        closed_on=dt.date(2026, 9, 1),
    )
    done = _action(accepted, durango, "Revisar el diagnóstico", kind="interinstitutional")
    _set(done, status="done", done_on=dt.date(2026, 11, 2))
    private_action = _action(private, durango, PRIVATE_ASM)

    zacatecas_evaluation = services.evaluation_create(
        actor=None,
        institution=zacatecas,
        year=2025,
        kind="external",
        title="Evaluación externa del PROIGUALDAD estatal",
        evaluator="Colegio de Zacatecas",
        started_on=dt.date(2025, 3, 1),
    )
    zacatecas_finding = services.finding_add(
        actor=None,
        institution=zacatecas,
        evaluation=zacatecas_evaluation,
        text="Falta coordinación con los municipios.",
    )
    zacatecas_action = _action(
        zacatecas_finding,
        zacatecas,
        "Instalar la mesa municipal",
        kind="intergovernmental",
        priority="low",
        co_owners=[durango],
    )
    _set(zacatecas_action, status="in_progress")
    return ImprovementWorld(
        evaluation=evaluation,
        accepted=accepted,
        private=private,
        private_period=private_period,
        from_resolution=from_resolution,
        dismissed=dismissed,
        proposed=proposed,
        overdue=overdue,
        verified=verified,
        cancelled=cancelled,
        done=done,
        private_action=private_action,
        zacatecas_evaluation=zacatecas_evaluation,
        zacatecas_finding=zacatecas_finding,
        zacatecas_action=zacatecas_action,
        links=links,
        partner=partner,
        resolution=resolution,
    )


def grow(durango, n: int, tag: str) -> None:
    """``n`` more evaluations, each covering a plan and an indicator, with two accepted findings
    and two ASM each with a co-owner: several rows per relation for the query-count tests."""
    from transversal.api.tests.coordination_world import _item
    from transversal.conftest import make_institution
    from transversal.monitoring.tests.factories import indicator_with_calendar

    for i in range(n):
        partner = make_institution(f"socio-mejora-{tag}-{i}", "10", f"Dependencia {tag} {i}")
        indicator = indicator_with_calendar(durango, name=f"Ind mejora {tag} {i}", is_public=True)
        item = _item(durango, "published", f"ped-mejora-{tag}-{i}")
        evaluation = services.evaluation_create(
            actor=None,
            institution=durango,
            year=2026,
            kind="results",
            title=f"Evaluación {tag} {i}",
            evaluator="Despacho evaluador",
            started_on=dt.date(2026, 1, 10),
            plans=[item.plan],
            indicators=[indicator],
        )
        for text in ("Uno", "Dos"):
            finding = services.finding_add(
                actor=None, institution=durango, evaluation=evaluation, text=text
            )
            for action_text in ("Primero", "Segundo"):
                _action(finding, durango, action_text, co_owners=[partner])
