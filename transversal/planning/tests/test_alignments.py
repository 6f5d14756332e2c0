from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.planning.models import Alignment, PlanKind
from transversal.planning.selectors import alignment_chain
from transversal.planning.services import alignment_create
from transversal.planning.similarity import suggest, terms
from transversal.planning.tests.factories import (
    generated_plan,
    make_goals,
    make_indicator,
    make_plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(durango, national):
    local = make_plan(durango, publish=True, title="Programa de Durango")
    nacional = make_plan(
        national, kind=PlanKind.NATIONAL_PROGRAM, publish=True, title="Programa nacional"
    )
    return local, nacional


def create_url(plan, item):
    return reverse("planning:alignment_create", args=[plan.code, item.pk])


def test_an_editor_aligns_an_item_to_another_plan(client_for, editor, plans):
    local, nacional = plans
    item = local.items.get(code="1")
    before = AuditEvent.objects.count()
    response = client_for(editor).post(
        create_url(local, item), {"to_plan": nacional.code, "to_code": "2", "note": "n"}
    )
    assert response.status_code == 302
    alignment = Alignment.objects.get()
    assert (alignment.from_item, alignment.to_item.code, alignment.note) == (item, "2", "n")
    assert AuditEvent.objects.count() == before + 1


def test_alignment_writes_reject_get_outsiders_and_read_only(client_for, outsider, viewer, plans):
    local, nacional = plans
    url = create_url(local, local.items.get(code="1"))
    data = {"to_plan": nacional.code, "to_code": "2"}
    assert client_for(viewer).get(url).status_code == 405
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(viewer).post(url, data).status_code == 403
    assert not Alignment.objects.exists()


@pytest.mark.parametrize("case", ["self", "same_plan", "duplicate", "reverse"])
def test_it_refuses_bad_links_with_a_spanish_message_and_writes_nothing(
    client_for, editor, plans, case
):
    local, nacional = plans
    one, two, far = (
        local.items.get(code="1"),
        local.items.get(code="2"),
        nacional.items.get(code="1"),
    )
    if case in ("duplicate", "reverse"):
        alignment_create(actor=None, from_item=one, to_item=far)
    source, target = {
        "self": (one, one),
        "same_plan": (one, two),
        "duplicate": (one, far),
        "reverse": (far, one),
    }[case]
    expected = {
        "self": "consigo mismo",
        "same_plan": "planes distintos",
        "duplicate": "ya están alineados",
        "reverse": "ya están alineados",
    }[case]
    before = (Alignment.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match=expected):
        alignment_create(actor=editor, from_item=source, to_item=target)
    if source.plan_id == local.pk:
        response = client_for(editor).post(
            create_url(local, source), {"to_item": target.pk}, follow=True
        )
        assert expected in response.content.decode()
    assert (Alignment.objects.count(), AuditEvent.objects.count()) == before


def test_the_database_itself_refuses_a_reverse_duplicate(plans):
    local, nacional = plans
    one, far = local.items.get(code="1"), nacional.items.get(code="1")
    alignment_create(actor=None, from_item=one, to_item=far)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alignment.objects.create(from_item=far, to_item=one, from_plan=nacional, to_plan=local)


def test_removing_keeps_the_row_and_allows_linking_again(client_for, editor, plans):
    local, nacional = plans
    alignment = alignment_create(
        actor=None, from_item=local.items.get(code="1"), to_item=nacional.items.get(code="1")
    )
    url = reverse("planning:alignment_remove", args=[local.code, alignment.code])
    assert client_for(editor).get(url).status_code == 405
    before = AuditEvent.objects.count()
    assert client_for(editor).post(url, {"reason": "error de captura"}).status_code == 302
    alignment.refresh_from_db()
    assert alignment.removed_at is not None and alignment.removal_reason == "error de captura"
    assert (
        AuditEvent.objects.filter(verb="alignment.remove").count() == 1
        and AuditEvent.objects.count() == before + 1
    )
    alignment_create(actor=None, from_item=alignment.from_item, to_item=alignment.to_item)


def test_removal_is_refused_to_outsiders_and_read_only(client_for, outsider, viewer, plans):
    local, nacional = plans
    alignment = alignment_create(
        actor=None, from_item=local.items.get(code="1"), to_item=nacional.items.get(code="1")
    )
    url = reverse("planning:alignment_remove", args=[local.code, alignment.code])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    alignment.refresh_from_db()
    assert alignment.removed_at is None


def test_the_chain_climbs_from_institution_to_state_to_nation(
    durango, zacatecas, national, coordinator
):
    institutional = make_plan(durango, codes=("1",))
    ped = make_plan(durango, kind=PlanKind.PED, codes=("2.10.3",))
    nacional = make_plan(national, kind=PlanKind.NATIONAL_PROGRAM, codes=("4",))
    alignment_create(actor=None, from_item=institutional.items.get(), to_item=ped.items.get())
    alignment_create(actor=None, from_item=ped.items.get(), to_item=nacional.items.get())
    chains = alignment_chain(institutional.items.get(), coordinator)
    assert [[i.code for i in path] for path in chains] == [["1", "2.10.3", "4"]]


def test_the_item_page_shows_links_chain_and_the_indicators_with_their_goals(
    client_for, plans, national, durango, viewer
):
    local, nacional = plans
    item = local.items.get(code="1")
    alignment_create(actor=None, from_item=item, to_item=nacional.items.get(code="2"))
    [public_goal] = make_goals(national, durango, "Capacitar a 500 servidoras públicas")
    [draft_goal] = make_goals(national, durango, "Meta de un convenio en borrador", signed=False)
    make_indicator(durango, item, name="Servidoras capacitadas", goals=[public_goal, draft_goal])
    make_indicator(durango, item, name="Indicador interno", is_public=False)
    make_indicator(durango, local.items.get(code="2"), name="Indicador de otro elemento")
    url = reverse("planning:item", args=[local.code, item.pk])

    html = client_for(None).get(url).content.decode()
    assert "Programa nacional" in html and "Cadena de alineación" in html
    assert "Metas e indicadores" in html and "Servidoras capacitadas" in html
    assert "Capacitar a 500 servidoras públicas" in html
    assert "Meta de un convenio en borrador" not in html and "Indicador interno" not in html
    assert "Indicador de otro elemento" not in html
    html = client_for(viewer).get(url).content.decode()
    assert "Meta de un convenio en borrador" in html and "Indicador interno" in html


def test_the_item_page_says_when_no_indicator_measures_the_item(client_for, plans):
    local, _nacional = plans
    html = (
        client_for(None)
        .get(reverse("planning:item", args=[local.code, local.items.get(code="1").pk]))
        .content.decode()
    )
    assert "Ningún indicador mide este elemento." in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_item_page_costs_the_same_queries_for_one_or_many_indicators_and_goals(
    client_for, national, durango, viewer
):
    one, many = (
        make_plan(durango, codes=("1",), publish=True),
        make_plan(durango, codes=("1",), publish=True),
    )
    make_indicator(durango, one.items.get(), goals=make_goals(national, durango, "Meta única"))
    for n in range(4):
        goals = make_goals(national, durango, f"Meta {n}a", f"Meta {n}b", title=f"Convenio {n}")
        make_indicator(durango, many.items.get(), name=f"Indicador {n}", goals=goals)
    client = client_for(viewer)
    urls = [reverse("planning:item", args=[plan.code, plan.items.get().pk]) for plan in (one, many)]
    _count_queries(client, urls[0])  # warm caches (content types, session)
    # 14: plan with owner, owner names, session, user, memberships, item, links, ancestors, one
    # chain step, indicators, their owners' names, goals with agreement and state, header
    # institutions (+names)
    assert _count_queries(client, urls[0]) == _count_queries(client, urls[1])
    assert "Meta 3b" in client.get(urls[1]).content.decode()


def test_suggestions_rank_by_shared_stems_and_show_the_words():
    results = suggest(
        "Promover y aplicar acciones de protección para prevenir y atender a mujeres víctimas de "
        "violencia",
        [
            "Autonomía económica de las mujeres",
            "Una vida libre de violencias para mujeres y niñas",
            "Salud y bienestar",
        ],
        top=2,
    )
    assert results[0].index == 1
    assert "violencia" in results[0].shared_terms
    assert all(s.index != 2 for s in results)
    assert ("violent", "violencias") in terms("violencias") or terms("violencias")[0][0] == terms(
        "violencia"
    )[0][0]


def test_the_suggestions_page_offers_candidates_to_accept(client_for, editor, durango, national):
    local = make_plan(
        durango, codes=("1",), texts={"1": "Prevenir la violencia contra las mujeres"}
    )
    nacional = make_plan(
        national,
        kind=PlanKind.NATIONAL_PROGRAM,
        codes=("1", "2"),
        publish=True,
        texts={"1": "Salud de las niñas", "2": "Vida libre de violencia"},
    )
    url = reverse("planning:item_suggestions", args=[local.code, local.items.get(code="1").pk])
    html = client_for(editor).get(url, {"plan": nacional.code}).content.decode()
    assert "Aceptar" in html and "<td>Comparten: violencia</td>" in html
    assert not Alignment.objects.exists()


def test_coverage_lists_unaligned_items_and_exports_xlsx(client_for, plans, durango):
    local, nacional = plans
    alignment_create(
        actor=None, from_item=local.items.get(code="1"), to_item=nacional.items.get(code="1")
    )
    html = client_for(None).get(reverse("planning:coverage", args=[local.code])).content.decode()
    assert "1 de 2 elementos sin alineación" in html
    assert "Programa nacional: Objetivo 2" in html
    response = client_for(None).get(reverse("planning:coverage_xlsx", args=[local.code]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(response.content))
    assert [row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == ["2"]


def test_coverage_lists_items_without_goal_or_indicator_in_the_page_and_the_export(
    client_for, plans, durango, viewer
):
    local, _nacional = plans
    make_indicator(durango, local.items.get(code="1"))
    make_indicator(durango, local.items.get(code="2"), name="Indicador interno", is_public=False)

    html = client_for(viewer).get(reverse("planning:coverage", args=[local.code])).content.decode()
    assert "0 de 2 elementos sin meta ni indicador" in html
    # Anonymous visitors do not see the internal indicator, so item 2 looks unmeasured to them.
    html = client_for(None).get(reverse("planning:coverage", args=[local.code])).content.decode()
    assert "1 de 2 elementos sin meta ni indicador" in html
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(None).get(reverse("planning:coverage_xlsx", args=[local.code]))
    sheet = load_workbook(BytesIO(response.content))["Sin meta ni indicador"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["2"]


def test_the_coverage_page_costs_the_same_queries_for_2_or_many_items(
    client_for, durango, zacatecas, viewer
):
    small, large = generated_plan(durango, 2), generated_plan(durango, 120)
    for plan in (small, large):
        for item in plan.items.all()[:3]:
            make_indicator(durango, item, name=f"Indicador {item.code}")
            make_indicator(zacatecas, item, name=f"Otro {item.code}")
    client = client_for(viewer)
    urls = [reverse("planning:coverage", args=[plan.code]) for plan in (small, large)]
    _count_queries(client, urls[0])  # warm caches (content types, session)
    # 10: plan with owner, owner names, session, user, memberships, items with "is aligned" and
    # their indicator count (one aggregate), the national framework in force, its items the state
    # leaves uncovered, header (+names)
    assert _count_queries(client, urls[0]) == _count_queries(client, urls[1])
    assert "117 de 120 elementos sin meta ni indicador" in client.get(urls[1]).content.decode()
