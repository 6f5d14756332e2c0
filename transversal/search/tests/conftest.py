"""A small world to search: in Durango and Zacatecas, public and private things of each kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from transversal.agreements.models import Agreement, AgreementStatus, Goal
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.monitoring.models import Indicator
from transversal.monitoring.services import indicator_create
from transversal.planning.models import ItemLevel, Plan, PlanItem, PlanKind
from transversal.planning.services import plan_create, plan_publish


def make_indicator(owner, name: str, *, is_public: bool = False, definition: str = "") -> Indicator:
    return indicator_create(
        actor=None,
        owner=owner,
        name=name,
        definition=definition,
        unit="personas",
        measure="count",
        frequency="quarterly",
        direction="ascending",
        is_public=is_public,
    )


def make_agreement(national, institution, title: str, *, signed: bool = False) -> Agreement:
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=institution,
        title=title,
        round="IP-321",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2027, 12, 31),
        purpose="Coordinar acciones para la igualdad.",
        emphasis_areas=[],
    )
    if signed:
        agreement_transition(
            actor=None,
            agreement=agreement,
            to_status=AgreementStatus.SIGNED,
            on=dt.date(2025, 1, 1),
        )
    return agreement


def make_plan(institution, title: str, items: list[str], *, published: bool = False) -> Plan:
    kind = PlanKind.NATIONAL_PROGRAM if institution is None else PlanKind.STATE_EQUALITY_PROGRAM
    plan = plan_create(actor=None, institution=institution, kind=kind, title=title)
    for number, text in enumerate(items, start=1):
        PlanItem.objects.create(
            plan=plan, level=ItemLevel.OBJECTIVE, code=str(number), text=text, order=number
        )
    if published:
        plan = plan_publish(actor=None, plan=plan)
    return plan


@dataclass
class World:
    private_indicator: Indicator  # Durango's
    public_indicator: Indicator  # Durango's
    draft_agreement: Agreement  # Durango's
    draft_goal: Goal
    signed_agreement: Agreement  # Zacatecas'
    signed_goal: Goal
    draft_plan: Plan  # Durango's
    published_plan: Plan  # Durango's
    national_draft: Plan  # kept by no institution


@pytest.fixture
def world(national, durango, zacatecas) -> World:
    draft_agreement = make_agreement(national, durango, "Convenio confidencial de Durango")
    signed_agreement = make_agreement(
        national, zacatecas, "Convenio de coordinación con Zacatecas", signed=True
    )
    return World(
        private_indicator=make_indicator(
            durango, "Porcentaje de mujeres capacitadas en violencia de género"
        ),
        public_indicator=make_indicator(
            durango,
            "Tasa de feminicidios por entidad",
            is_public=True,
            definition="Mide la violencia de género extrema.",
        ),  # fmt: skip
        draft_agreement=draft_agreement,
        draft_goal=goal_add(
            actor=None,
            agreement=draft_agreement,
            number=1,
            description="Capacitación reservada de servidoras públicas",
        ),  # fmt: skip
        signed_agreement=signed_agreement,
        signed_goal=goal_add(
            actor=None,
            agreement=signed_agreement,
            number=1,
            description="Capacitación abierta de servidoras públicas",
        ),  # fmt: skip
        draft_plan=make_plan(durango, "Programa borrador reservado", ["Objetivo reservado"]),
        published_plan=make_plan(
            durango,
            "Programa estatal para la igualdad de Durango",
            ["Erradicar la violencia contra las mujeres", "Autonomía económica de las mujeres"],
            published=True,
        ),  # fmt: skip
        national_draft=make_plan(None, "Programa nacional en preparación", ["Objetivo nacional"]),
    )
