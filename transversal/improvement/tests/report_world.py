"""A known improvement world for the report selectors and the reports (Durango, 2025).

Durango's institute (the ``durango`` fixture, IEM):
  evaluations of 2025: «Evaluación de diseño del Programa Estatal para la Igualdad» (De diseño,
  Universidad Juárez del Estado de Durango, 03/02/2025 – 30/05/2025) with findings H-2025-01,
  -02, -03 (dismissed) and -04 (proposed, waiting); «Auditoría del convenio de colaboración»
  (Auditoría, Órgano Interno de Control, from 01/09/2025, not concluded) without findings;
  of 2024: «Evaluación de procesos 2024» with H-2024-01 and its one open ASM.
  ASM of 2025:
    ASM H-2025-01.1  long text, Específico, Alta, the IEM with Zacatecas's SEMUJER (Ana Torres),
                     due 30/06/2025, open → vencido
    ASM H-2025-01.2  Institucional, Media, the IEM, due 31/12/2099, in progress
    ASM H-2025-02.1  Interinstitucional, Baja, the IEM, due 31/08/2025, verified on 15/08/2025
    ASM H-2025-02.2  Intergubernamental, Alta, the IEM, due 31/08/2025, cancelled
    ASM H-2025-02.3  Institucional, Baja, the IEM, due 31/12/2099, attended (done)
  → 2 evaluations, 3 findings (1 proposed), 5 ASM: 2 open (1 overdue), 1 done, 1 verified,
    1 cancelled; 1 of the 4 kept verified: 25.0 %.
Zacatecas records nothing.
"""

from __future__ import annotations

import datetime as dt

from transversal.followup.models import FollowUp
from transversal.improvement import services
from transversal.improvement.models import Finding
from transversal.improvement.selectors import StateImprovement

LONG_ASM = (
    "Incorporar en el Programa Estatal para la Igualdad entre Mujeres y Hombres la "
    "desagregación por sexo, edad y pertenencia étnica de todos sus indicadores, con la "
    "metodología, las fuentes y el calendario de actualización de cada dependencia responsable"
)
DESIGN = "Evaluación de diseño del Programa Estatal para la Igualdad"
AUDIT = "Auditoría del convenio de colaboración"
FAR_AHEAD = dt.date(2099, 12, 31)  # never overdue, whatever day the tests run

KNOWN = StateImprovement(
    evaluations=2,
    findings=3,
    proposed=1,
    asm=5,
    asm_open=2,
    asm_overdue=1,
    asm_done=1,
    asm_verified=1,
    asm_cancelled=1,
)


def evaluation(institution, title: str, kind: str, started_on: dt.date, **extra):
    return services.evaluation_create(
        actor=None,
        institution=institution,
        year=started_on.year,
        kind=kind,
        title=title,
        evaluator=extra.pop("evaluator", "Universidad Juárez del Estado de Durango"),
        started_on=started_on,
        **extra,
    )


def finding(institution, source, status: str = "accepted", text: str = "Sin desagregación."):
    found = services.finding_add(actor=None, institution=institution, evaluation=source, text=text)
    if status != "accepted":
        reason = "No corresponde a la institución." if status == "dismissed" else ""
        Finding.objects.filter(pk=found.pk).update(status=status, decision_reason=reason)
    return found


def action(found, owner, *, kind, priority, due, text="Actualizar los lineamientos", **extra):
    status = extra.pop("status", "open")
    asm = services.action_add(
        actor=None,
        finding=found,
        text=text,
        kind=kind,
        priority=priority,
        owner=owner,
        due_date=due,
        **extra,
    )
    fields = {"status": status}
    if status == "cancelled":
        fields["cancel_reason"] = "Se atiende con otro aspecto."
    if status == "verified":
        fields.update(done_on=dt.date(2025, 8, 10), closed_on=dt.date(2025, 8, 15))
    FollowUp.objects.filter(pk=asm.followup_id).update(**fields)
    return asm


def add_improvement(durango, zacatecas) -> dict:
    design = evaluation(
        durango, DESIGN, "design", dt.date(2025, 2, 3), ended_on=dt.date(2025, 5, 30)
    )
    audit = evaluation(
        durango, AUDIT, "audit", dt.date(2025, 9, 1), evaluator="Órgano Interno de Control"
    )
    earlier = evaluation(durango, "Evaluación de procesos 2024", "process", dt.date(2024, 3, 1))
    first = finding(durango, design, text="Los indicadores no se desagregan por sexo.")
    second = finding(durango, design, text="El programa no tiene presupuesto etiquetado.")
    finding(durango, design, "dismissed")
    finding(durango, design, "proposed")
    overdue = action(
        first,
        durango,
        kind="specific",
        priority="high",
        due=dt.date(2025, 6, 30),
        text=LONG_ASM,
        co_owners=[zacatecas],
        responsible_person="Ana Torres",
    )
    action(
        first, durango, kind="institutional", priority="medium", due=FAR_AHEAD, status="in_progress"
    )
    verified = action(
        second,
        durango,
        kind="interinstitutional",
        priority="low",
        due=dt.date(2025, 8, 31),
        status="verified",
    )
    action(
        second,
        durango,
        kind="intergovernmental",
        priority="high",
        due=dt.date(2025, 8, 31),
        status="cancelled",
    )
    action(second, durango, kind="institutional", priority="low", due=FAR_AHEAD, status="done")
    action(
        finding(durango, earlier),
        durango,
        kind="specific",
        priority="high",
        due=dt.date(2024, 6, 30),
    )
    return {
        "design": design,
        "audit": audit,
        "finding": first,
        "overdue": overdue,
        "verified": verified,
    }


def grow_improvement(durango, zacatecas) -> None:
    """More of everything the section reads: another Durango evaluation with findings and ASM
    with co-owners and named people, and the same for Zacatecas."""
    for institution, other in ((durango, zacatecas), (zacatecas, durango)):
        source = evaluation(
            institution,
            f"Evaluación de resultados {institution.slug}",
            "results",
            dt.date(2025, 4, 1),
            ended_on=dt.date(2025, 10, 1),
        )
        for _ in range(2):
            found = finding(institution, source)
            for status in ("open", "verified", "done"):
                action(
                    found,
                    institution,
                    kind="interinstitutional",
                    priority="medium",
                    due=dt.date(2025, 7, 31),
                    co_owners=[other],
                    responsible_person="Laura Pérez",
                    status=status,
                )
