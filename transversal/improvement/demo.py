"""Demo improvement cycle: evaluations, findings and ASM, all invented ("dato sintético").

Zacatecas gets the fullest cycle: its model declared (the PED 2022-2027 policy 2.10 read from
the seed when present, and any other state plan in force), one external evaluation of the year
covering its indicators, three findings and ASM in every status (abierto, en proceso, vencido,
atendido por verificar, verificado, cancelado). Every other state institute gets a smaller
cycle: one internal evaluation, one finding, two ASM. Sustained red lights in the demo's
approved reports become proposals through the same rule as in production
(``services.findings_propose_all``). Progress is recorded by the institute's editor and
verified or cancelled by its reviewer (four eyes). Idempotent: an institute that already has a
demo evaluation is skipped.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from transversal.accounts.demo import state_people
from transversal.accounts.models import User
from transversal.followup import services as followup
from transversal.improvement import services
from transversal.improvement.models import Evaluation, Finding, FindingStatus
from transversal.improvement.selectors import plans_in_force
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring.models import Indicator

PERSONA_PEOPLE = {
    "semujer-zacatecas": (
        "captura.zacatecas@transversal.test",
        "revision.zacatecas@transversal.test",
    ),
    "iem-durango": ("captura.durango@transversal.test", "revision.durango@transversal.test"),
}

# (text, classification, priority, days from today to the due date, how it ends)
ZACATECAS_ASM = [
    (
        "Desagregar por municipio los indicadores de la estrategia 2.10.2.",
        "institutional",
        "high",
        120,
        "open",
    ),
    (
        "Incluir en las fichas técnicas la fuente y la periodicidad de cada variable.",
        "specific",
        "medium",
        60,
        "in_progress",
    ),
    (
        "Acordar con los municipios un calendario común de reporte.",
        "intergovernmental",
        "high",
        -30,
        "overdue",
    ),
    (
        "Publicar los resultados del Modelo en el portal del Instituto.",
        "institutional",
        "low",
        20,
        "done",
    ),
    (
        "Capacitar a las unidades de género en la captura de avances.",
        "interinstitutional",
        "medium",
        -10,
        "verified",
    ),
    (
        "Contratar un sistema de seguimiento propio.",
        "institutional",
        "low",
        90,
        "cancelled",
    ),
]


def _people(institution: Institution) -> tuple[User | None, User | None]:
    editor, reviewer = PERSONA_PEOPLE.get(institution.slug) or state_people(institution)
    found = {u.email: u for u in User.objects.filter(email__in=[editor, reviewer])}
    return found.get(editor), found.get(reviewer)


def _finish(action, ending: str, editor, reviewer) -> None:
    """Walk the ASM's follow-up to ``ending`` the way people would."""
    item = action.followup
    if ending in ("open", "overdue"):
        return
    if ending == "cancelled":
        followup.followup_cancel(
            actor=reviewer, item=item, reason="Se atiende con recursos del programa federal."
        )
        return
    followup.followup_note_add(
        actor=editor, item=item, text="Avance registrado para la demostración (dato sintético)."
    )
    if ending in ("done", "verified"):
        followup.followup_mark_done(actor=editor, item=item)
    if ending == "verified":
        followup.followup_verify(actor=reviewer, item=item, note="Evidencia revisada.")


def _evaluation(institution: Institution, year: int, kind: str, title: str, evaluator: str):
    today = timezone.localdate()
    return services.evaluation_create(
        actor=None,
        institution=institution,
        year=year,
        kind=kind,
        title=title,
        evaluator=evaluator,
        started_on=today - dt.timedelta(days=150),
        ended_on=today - dt.timedelta(days=40),
        summary="Evaluación inventada para la demostración: dato sintético.",
        indicators=Indicator.objects.filter(owner=institution)[:5],
        is_synthetic=True,
    )


def _zacatecas(institution: Institution, year: int, log) -> None:
    editor, reviewer = _people(institution)
    plans = list(plans_in_force(institution, year))
    if plans:
        services.model_components_set(
            actor=reviewer, institution=institution, year=year, plans=plans
        )
    evaluation = _evaluation(
        institution,
        year,
        "external",
        "Evaluación externa de consistencia y resultados del Modelo para la Igualdad",
        "Instancia evaluadora externa",
    )
    texts = [
        "Los indicadores del Modelo no se desagregan por municipio ni por grupo de población.",
        "Las fichas técnicas no documentan la fuente de cada variable.",
        "No hay un mecanismo para difundir los resultados del Modelo.",
    ]
    findings = [
        services.finding_add(
            actor=reviewer,
            institution=institution,
            evaluation=evaluation,
            text=text,
            is_synthetic=True,
        )
        for text in texts
    ]
    today = timezone.localdate()
    for index, (text, kind, priority, days, ending) in enumerate(ZACATECAS_ASM):
        action = services.action_add(
            actor=reviewer,
            finding=findings[min(index // 2, 2)],
            text=text,
            kind=kind,
            priority=priority,
            owner=institution,
            due_date=today + dt.timedelta(days=days),
            is_synthetic=True,
        )
        _finish(action, ending, editor, reviewer)
    log(f"  Ciclo de mejora: {institution}: 1 evaluación, 3 hallazgos, 6 ASM")


def _small(institution: Institution, year: int, offset: int) -> None:
    editor, reviewer = _people(institution)
    evaluation = _evaluation(
        institution,
        year,
        "internal",
        "Revisión interna del programa estatal para la igualdad",
        "Área de planeación y evaluación del Instituto",
    )
    finding = services.finding_add(
        actor=reviewer,
        institution=institution,
        evaluation=evaluation,
        text="Las metas del programa no tienen línea base documentada.",
        is_synthetic=True,
    )
    today = timezone.localdate()
    endings = ["open", "in_progress", "overdue", "done", "verified", "cancelled"]
    for number in range(2):
        ending = endings[(offset + number) % len(endings)]
        days = -20 if ending in ("overdue", "verified") else 45 + 15 * number
        action = services.action_add(
            actor=reviewer,
            finding=finding,
            text="Documentar la línea base de cada meta."
            if number == 0
            else "Revisar las metas con las áreas responsables.",
            kind="specific" if number == 0 else "institutional",
            priority="medium",
            owner=institution,
            due_date=today + dt.timedelta(days=days),
            is_synthetic=True,
        )
        _finish(action, ending, editor, reviewer)


def load(log) -> None:
    year = timezone.localdate().year
    done = set(
        Evaluation.objects.filter(is_synthetic=True).values_list("institution_id", flat=True)
    )
    institutes = (
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF)
        .exclude(pk__in=done)
        .select_related("state")
        .order_by("state__code")
    )
    count = 0
    for offset, institution in enumerate(institutes):
        if institution.slug == "semujer-zacatecas":
            _zacatecas(institution, year, log)
        else:
            _small(institution, year, offset)
        count += 1
    services.findings_propose_all()  # approvals already proposed most of them as they came
    waiting = Finding.objects.filter(status=FindingStatus.PROPOSED).count()
    log(
        f"Ciclo de mejora: {count} institutos; {waiting} hallazgos propuestos por semáforo rojo "
        "esperan decisión"
    )
