"""Row URLs built without a reverse() per row are the strings reverse() gives."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from transversal.core.urlbuild import url_builder

pytestmark = pytest.mark.django_db(databases=[])


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("dashboards:state", ["10"]),
        ("dashboards:indicator", [uuid.UUID("12345678-1234-4123-8123-123456789abc")]),
        ("monitoring:detail", ["un código con espacios, ñ y 50 %"]),
        ("monitoring:period", [uuid.uuid4(), "2025-T4"]),
        ("monitoring:period", ["a&b=c;d", "2025-03"]),
    ],
)
def test_a_built_url_equals_reverse(name, args):
    assert url_builder(name, len(args))(*args) == reverse(name, args=args)


def test_the_builder_wants_as_many_arguments_as_gaps():
    with pytest.raises(ValueError):
        url_builder("monitoring:period", 2)("solo-uno")
