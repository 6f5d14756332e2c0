"""Anonymous visitors browse the public portal and see only published, approved data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.portal.tests.conftest import body, data_urls, portal_urls
from transversal.portal.tests.world import SECRETS

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_opens_every_portal_page(client, world):
    for url in portal_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_indicator_page_shows_the_approved_value_target_and_light_with_its_label(client, world):
    html = body(client.get(reverse("portal:indicator", args=[world.indicator.code])))
    assert "1.er trimestre 2025" in html
    assert ">95<" in html  # the approved value
    assert "Aceptable" in html and 'class="light green"' in html
    assert "Cómo se calcula el semáforo" in html
    assert "Se impartieron 6 talleres en 4 municipios." in html  # the approved narrative
    assert world.public_evidence.original_name in html
    assert ">90<" in html  # women: shown
    assert "suprimido" in html  # men (3) and unspecified (2): below the threshold


def test_the_state_page_reuses_the_institution_profile_and_lists_public_items(client, world):
    html = body(client.get(reverse("portal:state", args=["durango"])))
    assert "Instituto Estatal de las Mujeres" in html and "Nombres a través del tiempo" in html
    assert "Convenio de colaboración Durango 2025" in html
    assert "Personas capacitadas en igualdad sustantiva" in html
    assert "Plan Estatal de Desarrollo de Durango" in html
    assert "Editar perfil" not in html


def test_the_agreement_page_shows_purpose_areas_commitments_and_goals_with_lights(client, world):
    html = body(client.get(reverse("portal:agreement", args=[world.agreement.code])))
    assert "Impulsar la igualdad sustantiva" in html
    assert "Empoderamiento económico" in html
    assert "Brindar asistencia técnica" in html and "Reportar avances trimestrales" in html
    assert "Capacitar al personal estatal" in html
    assert 'class="light green"' in html


def test_the_plan_page_shows_the_tree_read_only(client, world):
    html = body(client.get(reverse("portal:plan", args=[world.plan.code])))
    assert "Igualdad sustantiva" in html and "Transversalizar la perspectiva de género" in html
    assert "<form" not in html.split("<main")[1].split("</main>")[0]


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_nothing_private_reaches_any_page_or_dataset(client, world, name):
    marker = SECRETS[name]
    for url in [*portal_urls(world), *data_urls()]:
        text = body(client.get(url))
        assert marker not in text, f"{name} leaked in {url}"
        assert marker.lower() not in text.lower(), f"{name} leaked in {url}"


def test_private_codes_never_appear_either(client, world):
    codes = [
        str(world.private_indicator.code),
        str(world.draft_agreement.code),
        world.draft_plan.code,
        str(world.private_evidence.code),
        str(world.unapproved_evidence.code),
    ]
    for url in [*portal_urls(world), *data_urls()]:
        text = body(client.get(url))
        for code in codes:
            assert code not in text, f"{code} leaked in {url}"


def test_formatted_secret_values_never_appear(client, world):
    for url in portal_urls(world):
        text = body(client.get(url))
        for raw in ("654,321", "432,198", "876,543", "111,222"):
            assert raw not in text, f"{raw} in {url}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/portal/entidades/atlantida/",
            "No existe una entidad federativa con la clave «atlantida».",
        ),
        ("/portal/instituciones/no-existe/", "No existe una institución con la clave «no-existe»."),
        ("/portal/planes/no-existe/", "No hay un plan publicado con la clave «no-existe»."),
        ("/portal/planes/plan-borrador/", "No hay un plan publicado con la clave «plan-borrador»."),
        ("/portal/convenios/no-es-una-clave/", "No hay un convenio publicado con esa clave."),
        ("/portal/indicadores/no-es-una-clave/", "No hay un indicador público con esa clave."),
        ("/portal/evidencias/no-es-una-clave/", "No hay una evidencia pública con esa clave."),
        ("/datos/inexistente.csv", "No existe el conjunto de datos «inexistente»."),
        ("/datos/inexistente.json", "No existe el conjunto de datos «inexistente»."),
    ],
)
def test_unknown_keys_answer_404_in_spanish(client, world, url, message):
    response = client.get(url)
    assert response.status_code == 404
    assert message in body(response)


def test_unpublished_objects_answer_404_like_missing_ones(client, world):
    for url in (
        reverse("portal:agreement", args=[world.draft_agreement.code]),
        reverse("portal:indicator", args=[world.private_indicator.code]),
        reverse("portal:plan", args=[world.draft_plan.code]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_inegi_code_redirects_to_the_readable_address(client, world):
    response = client.get("/portal/entidades/10/")
    assert response.status_code == 301
    assert response["Location"] == "/portal/entidades/durango/"


def test_every_state_has_a_page_at_its_slug(client, world):
    html = body(client.get(reverse("portal:states")))
    for slug in ("aguascalientes", "ciudad-de-mexico", "estado-de-mexico", "zacatecas"):
        assert f"/portal/entidades/{slug}/" in html
    assert client.get("/portal/entidades/ciudad-de-mexico/").status_code == 200


def test_public_evidence_of_an_approved_report_downloads(client, world):
    response = client.get(reverse("portal:evidence", args=[world.public_evidence.code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_private_evidence_and_evidence_of_unapproved_reports_answer_404(client, world):
    for evidence in (world.private_evidence, world.unapproved_evidence):
        assert client.get(reverse("portal:evidence", args=[evidence.code])).status_code == 404


def test_a_correction_in_progress_withdraws_the_value_until_it_is_approved_again(client, world):
    from transversal.monitoring.models import ProgressUpdate
    from transversal.monitoring.services import update_correct

    approved = ProgressUpdate.objects.get(
        period__indicator=world.indicator, period__label="2025-T1"
    )
    update_correct(actor=None, update=approved, reason="Se duplicó una lista de asistencia")
    url = reverse("portal:indicator", args=[world.indicator.code])
    html = body(client.get(url))
    assert ">95<" not in html
    assert (
        client.get(reverse("portal:evidence", args=[world.public_evidence.code])).status_code == 404
    )
    assert "Se duplicó una lista" not in html


def test_portal_views_are_declared_public():
    from transversal.core.access import PUBLIC, access_of, iter_views

    portal = [callback for _route, namespace, callback in iter_views() if namespace == "portal"]
    assert portal and all(access_of(callback) == PUBLIC for callback in portal)


def test_every_portal_page_also_renders_in_english(client, world):
    client.cookies["django_language"] = "en"
    for url in portal_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"


def test_the_registers_map_words_follow_the_visitors_language(client, durango):
    from transversal.registers.tests.public_world import training

    training(durango)
    client.cookies["django_language"] = "en"
    page = body(client.get(reverse("portal:registers"), {"anio": "2025"}))
    tiles = page[page.index('<ol class="tile-map"') :]
    tiles = tiles[: tiles.index("</ol>")]
    assert "no entries" in tiles and "sin registros" not in tiles
