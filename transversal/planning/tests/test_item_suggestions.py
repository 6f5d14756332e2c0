"""The alignment suggestions: what `suggest` offers and how the page explains it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from transversal.planning.demo import PROIGUALDAD_OBJECTIVES
from transversal.planning.models import Alignment, PlanKind
from transversal.planning.similarity import MIN_SCORE, strength, suggest, terms
from transversal.planning.tests.factories import generated_plan, make_plan

WORDS = st.sampled_from(
    "mujeres niñas violencia igualdad salud capacitación política políticas participación "
    "económica cuidados de la para y en género derechos promover".split()
)
TEXTS = st.lists(WORDS, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.lists(TEXTS, max_size=6))
def test_suggest_never_offers_a_candidate_below_the_floor(query, candidates):
    for s in suggest(query, candidates):
        assert s.score >= MIN_SCORE > 0
        assert s.shared_terms  # something to explain the suggestion with


def test_a_word_that_nearly_every_candidate_uses_is_not_a_suggestion():
    # "mujeres" is in five of PROIGUALDAD's six objectives: it scored 0.003 and was offered.
    assert suggest("Mujeres Zacatecanas Transformando la Historia", PROIGUALDAD_OBJECTIVES) == []


def test_accented_words_are_read_whole():
    assert [word for _stem, word in terms("Participación política")] == [
        "participación",
        "política",
    ]
    [best, *_] = suggest(
        "Crear mecanismos de participación ciudadana en las políticas públicas",
        PROIGUALDAD_OBJECTIVES,
    )
    assert PROIGUALDAD_OBJECTIVES[best.index].startswith("Participación de las mujeres")
    assert set(best.shared_terms) == {"participación", "políticas"}


def test_shared_words_come_as_the_item_writes_them_the_weightiest_first():
    best, *_ = suggest(
        "Capacitar en igualdad al personal",
        ["Capacitación en igualdad sustantiva", "Igualdad en la educación", "Cultura"],
    )
    # "igualdad" is in more texts than "capacitar", so it weighs less and comes second.
    assert (best.index, best.shared_terms) == (0, ("capacitar", "igualdad"))


@pytest.mark.parametrize(
    ("score", "expected"), [(1.0, "high"), (0.2, "high"), (0.1, "medium"), (0.05, "low")]
)
def test_the_strength_is_said_in_words(score, expected):
    assert strength(score) == expected


# --- The page ------------------------------------------------------------------------


def suggestions_url(plan, item) -> str:
    return reverse("planning:item_suggestions", args=[plan.code, item.pk])


@pytest.fixture
def local_and_national(durango, national):
    local = make_plan(
        durango,
        codes=("1", "2"),
        texts={
            "1": "Prevenir la violencia contra las mujeres y capacitar en igualdad",
            "2": "Reforestar los bosques del estado",
        },
    )
    nacional = make_plan(
        national,
        kind=PlanKind.NATIONAL_PROGRAM,
        codes=("1", "2", "3"),
        publish=True,
        texts={
            "1": "Salud de las niñas",
            "2": "Vida libre de violencia y capacitación en igualdad",
            "3": "Autonomía económica",
        },
    )
    return local, nacional


@pytest.mark.django_db
def test_the_page_explains_a_suggestion_with_the_shared_words_and_a_strength_word(
    client_for, editor, local_and_national
):
    local, nacional = local_and_national
    url = suggestions_url(local, local.items.get(code="1"))
    html = client_for(editor).get(url, {"plan": nacional.code}).content.decode()
    assert re.search(r"Comparten: (violencia|igualdad|capacitar)(, \w+){2}</td>", html)
    assert "<td>alta</td>" in html and "Aceptar" in html
    assert "Salud de las niñas" not in html and "Autonomía económica" not in html
    assert not re.search(r"\d\.\d\d", html)  # no bare score such as 0.37
    assert not Alignment.objects.exists()


@pytest.mark.django_db
def test_an_item_sharing_no_word_with_the_other_plan_gets_no_suggestions(
    client_for, editor, local_and_national
):
    local, nacional = local_and_national
    url = suggestions_url(local, local.items.get(code="2"))
    html = client_for(editor).get(url, {"plan": nacional.code}).content.decode()
    assert "No hay sugerencias" in html
    assert "Aceptar" not in html and "Comparten" not in html


@pytest.mark.django_db
def test_the_page_speaks_plain_words_not_tf_idf(client_for, editor, local_and_national):
    local, nacional = local_and_national
    url = suggestions_url(local, local.items.get(code="1"))
    client = client_for(editor)
    for html in (
        client.get(url).content.decode(),
        client.get(url, {"plan": nacional.code}).content.decode(),
    ):
        assert "TF-IDF" not in html and "raíces" not in html
        assert "usan las mismas palabras" in html


def _count_queries(client, url, data) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_2_or_many_candidates(client_for, editor, durango):
    local = make_plan(durango, codes=("1",), texts={"1": "Estrategia de igualdad laboral"})
    small, large = generated_plan(durango, 2), generated_plan(durango, 120)
    for plan in (small, large):
        plan.items.filter(code="1.1").update(text="Estrategia de igualdad laboral en empresas")
    client = client_for(editor)
    url = suggestions_url(local, local.items.get())
    _count_queries(client, url, {"plan": small.code})  # warm caches (content types, session)
    # 13: plan with owner, owner names, session, user, memberships, item, the other plans for the
    # select, the target plan with its owner, the target's items, header institutions (+names)
    assert _count_queries(client, url, {"plan": small.code}) == _count_queries(
        client, url, {"plan": large.code}
    )
    assert re.search(
        r"Comparten: [^<]*laboral", client.get(url, {"plan": large.code}).content.decode()
    )
