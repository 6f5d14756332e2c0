"""/buscar/: what each persona finds, how the page says it, and what odd input does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.accounts.access import scope_for
from transversal.search.models import Kind
from transversal.search.selectors import PAGE_SIZE, search
from transversal.search.tests.conftest import make_indicator

pytestmark = pytest.mark.django_db

URL = "/buscar/"


def found(user, query: str) -> set[str]:
    results = search(scope_for(user), query)
    return {entry.title for entry in results.page.object_list} if results.page else set()


def test_the_address_is_buscar():
    assert reverse("search:results") == URL


def test_an_outsider_never_finds_a_private_indicator_nor_counts_it(world, outsider, client_for):
    response = client_for(outsider).get(URL, {"q": "mujeres capacitadas violencia"})
    assert response.status_code == 200
    assert b"capacitadas en violencia" not in response.content
    assert "No se encontró nada" in response.content.decode()
    assert search(scope_for(outsider), "capacitadas").counts == {
        Kind.GOAL: 1  # only Zacatecas' own goal
    }


def test_an_outsider_never_finds_a_draft_agreement_nor_its_goals(world, outsider):
    assert found(outsider, "confidencial") == set()
    assert found(outsider, "reservada") == set()
    assert search(scope_for(outsider), "convenio").counts == {Kind.AGREEMENT: 1}


def test_an_outsider_never_finds_another_states_draft_plan_or_its_items(world, outsider):
    assert found(outsider, "reservado") == set()


def test_anonymous_visitors_find_only_public_things(world, client):
    response = client.get(URL, {"q": "violencia"})
    body = response.content.decode()
    assert "Tasa de feminicidios por entidad" in body  # public indicator, by its definition
    assert "Erradicar la violencia contra las mujeres" in body  # published plan's item
    assert "capacitadas en violencia" not in body
    assert found(None, "confidencial") == set()
    assert found(None, "preparacion") == set()  # national draft plan
    assert found(None, "zacatecas") >= {"Convenio de coordinación con Zacatecas"}


def test_a_state_member_finds_their_institutions_private_things(world, viewer):
    assert "Porcentaje de mujeres capacitadas en violencia de género" in found(
        viewer, "capacitadas"
    )
    assert found(viewer, "confidencial") == {"Convenio confidencial de Durango"}
    assert found(viewer, "reservada servidoras") == {
        "1. Capacitación reservada de servidoras públicas"
    }
    assert found(viewer, "borrador reservado") == {"Programa borrador reservado"}
    assert found(viewer, "objetivo reservado") == {"1 Objetivo reservado"}
    assert found(viewer, "preparacion") == set()  # a national draft is for national members


def test_a_national_member_finds_everything(world, coordinator):
    assert found(coordinator, "confidencial") == {"Convenio confidencial de Durango"}
    assert found(coordinator, "preparacion") == {"Programa nacional en preparación"}
    assert "Porcentaje de mujeres capacitadas en violencia de género" in found(
        coordinator, "capacitadas"
    )


def test_accents_are_optional_and_words_go_in_any_order(world, coordinator):
    title = "Porcentaje de mujeres capacitadas en violencia de género"
    assert title in found(coordinator, "violencia genero")
    assert title in found(coordinator, "GÉNERO violéncia")
    assert title in found(coordinator, "genero mujeres violencia")


def test_stems_find_other_forms_of_a_word(world, coordinator):
    title = "Porcentaje de mujeres capacitadas en violencia de género"
    assert title in found(coordinator, "capacitación")  # noun finds participle
    assert title in found(coordinator, "mujer")  # singular finds plural
    assert "Autonomía económica de las mujeres" not in found(coordinator, "mujer violencia")
    assert "1. Capacitación abierta de servidoras públicas" in found(coordinator, "capacitadas")
    assert "1 Erradicar la violencia contra las mujeres" in found(coordinator, "violencias")


def test_the_last_word_typed_may_be_unfinished(world, coordinator):
    assert "Tasa de feminicidios por entidad" in found(coordinator, "feminic")


@pytest.mark.parametrize(
    "query",
    ['"', '""violencia', "*", "violen*", "NEAR(violencia género)", "-violencia", "(", ")",
     "violencia OR", "AND", "título:violencia", "^violencia", "'; DROP TABLE x; --", "\\",
     "{ }", "violencia\x00", "\u202eaicneloiv", "🙂"],
)  # fmt: skip
def test_odd_characters_never_raise(world, coordinator, client_for, query):
    response = client_for(coordinator).get(URL, {"q": query})
    assert response.status_code == 200


def test_operators_typed_are_searched_as_words(world, coordinator):
    assert "Tasa de feminicidios por entidad" in found(coordinator, '"feminicidios" -tasa* (')


def test_an_empty_query_shows_nothing_and_reads_no_entries(
    world, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # the session, if any; no entry is read
        response = client.get(URL, {"q": "   "})
    assert response.status_code == 200
    assert b"search-results" not in response.content
    assert search(scope_for(None), "de la").page is None


def test_a_very_long_query_is_trimmed_and_says_so(world, coordinator, client_for):
    query = "violencia " + " ".join(f"palabra{n}" for n in range(300))
    results = search(scope_for(coordinator), query)
    assert results.trimmed and len(results.terms) == 8 and len(results.query) == 200
    response = client_for(coordinator).get(URL, {"q": query})
    assert "se usaron sus primeras palabras" in response.content.decode()


def test_each_result_links_to_its_page_and_says_what_and_where(world, coordinator, client_for):
    body = client_for(coordinator).get(URL, {"q": "durango"}).content.decode()
    assert f'href="/planes/{world.published_plan.code}/"' in body
    assert "Durango" in body and "Plan" in body
    body = client_for(coordinator).get(URL, {"q": "feminicidios"}).content.decode()
    assert f'href="/indicadores/{world.public_indicator.code}/"' in body
    assert '<span class="search-kind">Indicador</span> · Durango' in body
    body = client_for(coordinator).get(URL, {"q": "reservada"}).content.decode()
    assert f'href="/convenios/{world.draft_agreement.code}/#h-goals"' in body
    assert '<span class="search-kind">Meta</span>' in body
    item = world.published_plan.items.get(code="1")
    body = client_for(coordinator).get(URL, {"q": "erradicar"}).content.decode()
    assert f'href="/planes/{world.published_plan.code}/elementos/{item.pk}/"' in body
    assert "Elemento de plan" in body


def test_results_are_grouped_by_kind_with_counts(world, coordinator, client_for):
    response = client_for(coordinator).get(URL, {"q": "capacitacion"})
    body = response.content.decode()
    assert '<h2 id="g-indicator">Indicador</h2>' in body
    assert '<h2 id="g-goal">Meta</h2>' in body
    assert body.index("g-indicator") < body.index("g-goal")
    assert 'tipo=meta"' in body
    assert 'Meta <span class="count">2</span>' in body


def test_a_kind_filter_lists_only_that_kind(world, coordinator, client_for):
    response = client_for(coordinator).get(URL, {"q": "capacitacion", "tipo": "meta"})
    body = response.content.decode()
    assert '<h2 id="g-goal">' in body and '<h2 id="g-indicator">' not in body


def test_an_unknown_kind_filter_lists_everything(world, coordinator, client_for):
    response = client_for(coordinator).get(URL, {"q": "capacitacion", "tipo": "secreto"})
    assert '<h2 id="g-indicator">' in response.content.decode()


def test_results_are_paginated(durango, coordinator, client_for):
    for n in range(PAGE_SIZE + 3):
        make_indicator(durango, f"Indicador de paginación {n:02d}")
    first = client_for(coordinator).get(URL, {"q": "paginacion"}).content.decode()
    assert first.count("Indicador de paginación") == PAGE_SIZE
    assert "pagina=2" in first
    second = client_for(coordinator).get(URL, {"q": "paginacion", "pagina": "2"})
    assert second.content.decode().count("Indicador de paginación") == 3


def _page_queries(client, durango, indicators: int, django_assert_num_queries, expected: int):
    for n in range(indicators):
        make_indicator(durango, f"Indicador de conteo {n:02d}", is_public=True)
    with django_assert_num_queries(expected):
        response = client.get(URL, {"q": "conteo"})
    assert response.status_code == 200


@pytest.mark.parametrize("indicators", [2, 25])
def test_the_page_takes_the_same_queries_however_many_match(
    durango, viewer, client_for, django_assert_num_queries, indicators
):
    # session, user, memberships (scope), counts by kind, one page of entries with their
    # states, and the header's institutions with their names (site's context processor)
    _page_queries(client_for(viewer), durango, indicators, django_assert_num_queries, 7)


@pytest.mark.parametrize("indicators", [2, 25])
def test_an_anonymous_search_takes_the_same_two_queries_however_many_match(
    durango, client, django_assert_num_queries, indicators
):
    # counts by kind, one page of entries with their states (no session, no scope)
    _page_queries(client, durango, indicators, django_assert_num_queries, 2)


def test_the_header_has_a_search_box_that_works_without_javascript(client):
    body = client.get("/").content.decode()
    assert 'action="/buscar/"' in body and 'method="get"' in body
    assert '<label for="busqueda-cabecera" class="visually-hidden">Buscar</label>' in body
    assert 'name="q"' in body


def test_the_search_page_rejects_post(client):
    assert client.post(URL, {"q": "x"}).status_code == 405
