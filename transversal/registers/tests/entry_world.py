"""Entries for the pages' and services' tests, made straight on the models (the services have
their own tests): one helper per register with defaults that pass every check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from transversal.registers.models import (
    AffirmativeAction,
    ParticipationMechanism,
    ServiceCount,
    TrainingEvent,
)
from transversal.territory.models import Municipality


def municipality(state, code: str, name: str) -> Municipality:
    return Municipality.objects.get_or_create(code=code, defaults={"state": state, "name": name})[0]


def training(institution, **fields) -> TrainingEvent:
    values = {
        "name": "Taller de igualdad sustantiva",
        "topic": "Igualdad sustantiva",
        "audience": "public_servants",
        "modality": "in_person",
        "hours": Decimal("8"),
        "start": dt.date(2026, 3, 2),
        "end": dt.date(2026, 3, 3),
        "organiser": "Instituto Estatal de las Mujeres",
        "women": 12,
        "men": 8,
        **fields,
    }
    return TrainingEvent.objects.create(institution=institution, **values)


def affirmative(institution, places=(), **fields) -> AffirmativeAction:
    values = {
        "name": "Becas para mujeres rurales",
        "legal_basis": "Ley de Igualdad del Estado, artículo 12",
        "target_group": "Mujeres rurales",
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 6, 30),
        "women": 30,
        **fields,
    }
    action = AffirmativeAction.objects.create(institution=institution, **values)
    action.municipalities.set(places)
    return action


def participation(institution, **fields) -> ParticipationMechanism:
    values = {
        "name": "Consejo consultivo",
        "mechanism_kind": "council",
        "year": 2026,
        "women": 6,
        "men": 4,
        "members_government": 5,
        "members_civil_society": 5,
        "sessions_held": 3,
        "agreements_reached": 7,
        **fields,
    }
    return ParticipationMechanism.objects.create(institution=institution, **values)


def service(institution, **fields) -> ServiceCount:
    values = {
        "month": dt.date(2026, 3, 1),
        "service_type": "legal",
        "women": 40,
        "men": 2,
        "attentions": 60,
        **fields,
    }
    return ServiceCount.objects.create(institution=institution, **values)


MAKERS = {
    "training": training,
    "affirmative": affirmative,
    "participation": participation,
    "service": service,
}
