"""/api/v1/docs: our own page from the OpenAPI schema, in the site's layout and language.

Every operation of the schema has its anchor, table of contents entry, parameters, responses and
a curl example; the page passes axe-core at 1366 and 390 px, in Spanish and in English.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from playwright.sync_api import Page, expect

from transversal.api.docs import paragraphs
from transversal.dashboards.tests.test_browser_dashboards import assert_accessible

DOCS = "/api/v1/docs"


class Ids(HTMLParser):
    """Every id and every in-page link target of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.targets: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "a" and (attributes.get("href") or "").startswith("#"):
            self.targets.add(attributes["href"][1:])


def ids_of(html: str) -> Ids:
    parser = Ids()
    parser.feed(html)
    return parser


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


@pytest.mark.django_db
def test_it_lists_every_operation_of_the_schema_with_an_anchor_and_an_index_entry(client):
    schema = client.get("/api/v1/openapi.json").json()
    response = client.get(DOCS)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(operations(schema)) >= 30
    for method, path, operation in operations(schema):
        anchor = operation["operationId"]
        heading = re.search(rf'<h3 id="{anchor}">(.*?)</h3>', html, re.S)
        assert heading, anchor
        assert method.upper() in heading[1] and path in heading[1], anchor
        assert f'href="#{anchor}"' in html, anchor
        assert operation["summary"] in html, anchor


@pytest.mark.django_db
def test_every_in_page_link_has_its_target_and_no_id_repeats(client):
    page = ids_of(client.get(DOCS).content.decode())
    assert len(page.ids) == len(set(page.ids))
    assert page.targets - set(page.ids) == set()
    assert "schema-UpdateOut" in page.ids and "schema-Error" in page.ids


@pytest.mark.django_db
def test_an_operation_shows_its_parameters_body_responses_token_and_a_curl_example(client):
    html = client.get(DOCS).content.decode()
    start = html.index('<h3 id="transversal_api_endpoints_save_draft">')
    draft = html[start : html.index('<section class="api-operation">', start)]
    assert "PUT" in draft and "/api/v1/indicators/{code}/periods/{label}/draft" in draft
    assert "Token obligatorio." in draft
    # Parameters: both path parts, required, with the label's pattern.
    assert "<code>code</code>" in draft and "<code>label</code>" in draft
    assert "obligatorio, en la ruta" in draft
    assert "patrón <code>^[0-9A-Za-z-]{1,12}$</code>" in draft
    # Request body: its schema, its fields with their Spanish descriptions and limits.
    assert 'href="#schema-DraftIn"' in draft
    assert "La versión que se leyó" in draft and "máximo 2,147,483,647" in draft
    # Responses: the success schema's fields and every declared code in Spanish.
    assert 'href="#schema-UpdateOut"' in draft and "<code>below_baseline</code>" in draft
    for status in ("200", "400", "401", "403", "404", "409", "413", "414", "422", "429"):
        assert f'<th scope="row">{status}</th>' in draft, status
    assert "Otra persona guardó antes: vuelva a leer la versión." in draft
    # The example: the method, the token, a JSON body and the path's parts as shell variables.
    assert "curl -X PUT" in draft and "Bearer $TOKEN" in draft
    assert "expected_version" in draft.split("curl -X PUT")[1]
    assert "/api/v1/indicators/$CODE/periods/$LABEL/draft" in draft


@pytest.mark.django_db
def test_a_public_read_says_the_token_is_optional_and_its_example_needs_none(client):
    html = client.get(DOCS).content.decode()
    start = html.index('<h3 id="transversal_api_endpoints_list_states">')
    states = html[start : html.index('<section class="api-operation">', start)]
    assert "Token opcional" in states
    assert "curl &quot;http://testserver/api/v1/states&quot;" in states
    assert "Bearer" not in states.split("Ejemplo con curl")[1]


@pytest.mark.django_db
def test_it_is_the_sites_page_in_spanish_with_the_raw_schema_linked(client):
    response = client.get(DOCS)
    html = response.content.decode()
    assert '<html lang="es-mx">' in html and response["Content-Language"] == "es-mx"
    assert "<h1>Documentación de la API</h1>" in html
    assert 'href="/api/v1/openapi.json"' in html and 'href="/api/v1/tokens/"' in html
    assert "lang-switch" in html  # the site's header, with its language switch
    # The schema's general description, its Markdown made HTML.
    assert "<strong>Paginación.</strong>" in html
    # Not ninja's Swagger UI, nothing from a CDN, no script of its own.
    assert "swagger" not in html.lower() and "cdn" not in html.lower()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('src="/static/' in script for script in scripts), scripts
    assert "/static/ninja/" not in html  # the site's base template's own scripts only


@pytest.mark.django_db
def test_in_english_the_labels_are_english_and_the_schemas_texts_are_marked_spanish(client):
    client.cookies["django_language"] = "en"
    response = client.get(DOCS)
    html = response.content.decode()
    assert '<html lang="en">' in html and response["Content-Language"] == "en"
    assert "<h1>API documentation</h1>" in html
    assert '<th scope="col">Name</th>' in html and '<th scope="col">Type</th>' in html
    assert "Documentación de la API" not in html and '<th scope="col">Nombre</th>' not in html
    # The summaries and descriptions are the schema's own, written in Spanish: marked so.
    assert '<p class="api-summary" lang="es-MX">Entidades federativas</p>' in html
    assert '<div class="api-prose" lang="es-MX"><p>Datos abiertos' in html


@pytest.mark.django_db
def test_in_spanish_nothing_is_marked_as_another_language(client):
    html = client.get(DOCS).content.decode()
    assert 'lang="es-MX"' not in html.split("lang-switch")[1].split("</header>")[1]


def test_the_light_markdown_is_escaped_before_it_is_formatted():
    html = paragraphs("Uno **dos** `<tres>`\ncuatro.\n\n<script>alert(1)</script>")
    assert html == (
        "<p>Uno <strong>dos</strong> <code>&lt;tres&gt;</code> cuatro.</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.django_db
def test_the_page_reads_the_same_few_rows_however_many_memberships(
    client, django_assert_num_queries, editor, zacatecas, national
):
    from transversal.accounts.models import Membership, Role

    # Anonymous: nothing at all; the page comes from the schema, not from the database.
    with django_assert_num_queries(0):
        assert client.get(DOCS).status_code == 200
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    # Signed in, only the site's header reads: 1 the session, 2 the person, 3 their scope,
    # 4 the header's institutions, 5 their names.
    with django_assert_num_queries(5):
        assert client.get(DOCS).status_code == 200
    for institution in (zacatecas, national):
        Membership.objects.create(user=editor, institution=institution, role=Role.VIEWER)
    with django_assert_num_queries(5):
        assert client.get(DOCS).status_code == 200


@pytest.mark.django_db
def test_the_raw_schema_is_still_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["info"]["title"] == "Transversal API"


# In a real Chromium --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_the_docs_pass_axe_without_csp_violations_or_sideways_scrolling(
    page: Page, live_server, artifacts_dir, width, language
):
    violations: list[str] = []
    outside: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{DOCS}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#transversal_api_endpoints_list_states")).to_be_visible()
    assert_accessible(page, f"api-docs-{language}-{width}", artifacts_dir)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    assert outside == []
    assert violations == []
