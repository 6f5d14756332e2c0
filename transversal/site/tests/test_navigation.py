"""The header leads members to their work, notices and the coordination systems; visitors see the
public pages only."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav(page: str) -> str:
    return page.split('class="main-nav"')[1].split("</nav>")[0]


def test_members_reach_their_work_and_the_coordination_systems(client_for, editor):
    page = client_for(editor).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("work:list")}"' in nav(page)
    assert f'href="{reverse("coordination:list")}">Sistemas<' in nav(page)
    assert f'href="{reverse("accounts:notifications")}"' in page


def test_visitors_see_no_member_links(client):
    page = client.get(reverse("site:home")).content.decode()
    assert reverse("work:list") not in nav(page)
    assert reverse("coordination:list") not in nav(page)
