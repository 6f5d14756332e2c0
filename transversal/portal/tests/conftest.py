from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.portal.datasets import DATASETS
from transversal.portal.tests.world import build_world


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media, durango, national):
    return build_world(durango, national)


def portal_urls(world) -> list[str]:
    """Every portal page, with the world's public objects."""
    return [
        reverse("portal:home"),
        reverse("portal:states"),
        reverse("portal:state", args=[world.state_slug]),
        reverse("portal:institution", args=[world.institution.slug]),
        reverse("portal:institution", args=["nacional"]),
        reverse("portal:plans"),
        reverse("portal:plan", args=[world.plan.code]),
        reverse("portal:agreements"),
        reverse("portal:agreement", args=[world.agreement.code]),
        reverse("portal:indicators"),
        reverse("portal:indicator", args=[world.indicator.code]),
        reverse("portal:registers"),
        reverse("portal:data"),
    ]


def data_urls() -> list[str]:
    urls = [reverse("portal:datapackage")]
    for dataset in DATASETS:
        urls += [
            reverse("portal:dataset_csv", args=[dataset.name]),
            reverse("portal:dataset_json", args=[dataset.name]),
        ]
    return urls


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")
