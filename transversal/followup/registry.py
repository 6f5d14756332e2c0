"""What a follow-up item belongs to: each subject app (coordination's acuerdos, later the
improvement actions) registers its kind at start-up, so this lower app links to the subject's
page without importing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Subject:
    label: Any  # how one of them is called on screen ("Acuerdo")
    related: str  # the reverse one-to-one from FollowUp, for select_related
    url: Callable[[Any], str]  # the subject's page, given the FollowUp


_SUBJECTS: dict[str, Subject] = {}


def register_subject(kind: str, subject: Subject) -> None:
    _SUBJECTS[kind] = subject


def subject(kind: str) -> Subject | None:
    return _SUBJECTS.get(kind)


def related_names() -> list[str]:
    return sorted(s.related for s in _SUBJECTS.values())


def subject_url(followup) -> str:
    known = _SUBJECTS.get(followup.kind)
    return known.url(followup) if known else ""
