from __future__ import annotations

from transversal.planning.ingest import DraftItem, DraftPlan
from transversal.planning.models import PlanKind
from transversal.planning.services import plan_create_from_draft, plan_publish


def make_plan(institution, kind=PlanKind.INSTITUTIONAL_PROGRAM, *, codes=("1", "2"), texts=None, publish=False,
              title="Programa de prueba"):
    texts = texts or {}
    items = [DraftItem(code=c, level="objective", text=texts.get(c, f"Objetivo {c} de igualdad")) for c in codes]
    plan = plan_create_from_draft(actor=None, institution=institution, kind=kind, title=title,
                                  draft=DraftPlan(title, 2020, 2024, items))
    return plan_publish(actor=None, plan=plan) if publish else plan


def generated_plan(institution, size: int):
    """A tree of ``size`` items: objectives with strategies with action lines."""
    roots, count, n = [], 0, 0
    while count < size:
        n += 1
        objective = DraftItem(code=str(n), level="objective", text=f"Objetivo {n}")
        count += 1
        for s in range(1, 5):
            if count >= size:
                break
            strategy = DraftItem(code=f"{n}.{s}", level="strategy", text=f"Estrategia {n}.{s}")
            count += 1
            for a in range(1, 4):
                if count >= size:
                    break
                strategy.children.append(DraftItem(code=f"{n}.{s}.{a}", level="action_line", text=f"Línea {n}.{s}.{a}"))
                count += 1
            objective.children.append(strategy)
        roots.append(objective)
    return plan_create_from_draft(actor=None, institution=institution, kind=PlanKind.INSTITUTIONAL_PROGRAM,
                                  title=f"Plan de {size}", draft=DraftPlan("x", 2020, 2024, roots))
