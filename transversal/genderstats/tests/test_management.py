"""The signed-in pages: the national coordination keeps the catalogue and imports; state
members read (403 on every write); a person with no membership gets 404; anonymous visitors
are sent to sign in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.genderstats.models import ContextIndicator, ImportStatus, StatImport, StatSource
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(db):
    return make_indicator("ocupadas", measure="conteo", unit="Personas")


LINES = [
    HEADER,
    "ocupadas,2024,10,mujeres,,100,Personas,ENDIREH,,,",
    "ocupadas,2024,10,hombres,,120,Personas,ENDIREH,,,",
]


def write_urls(indicator, stat_import=None):
    urls = [
        reverse("genderstats:source_new"),
        reverse("genderstats:source", args=[indicator.source.slug]),
        reverse("genderstats:indicator_new"),
        reverse("genderstats:indicator", args=[indicator.slug]),
        reverse("genderstats:import"),
    ]
    if stat_import is not None:
        urls.append(reverse("genderstats:import_detail", args=[stat_import.code]))
        urls.append(reverse("genderstats:import_discard", args=[stat_import.code]))
    return urls


def test_the_coordination_registers_a_source_and_an_indicator(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("genderstats:source_new"),
        {
            "slug": "enoe-2024",
            "name": "ENOE",
            "publisher": "INEGI",
            "edition": "2024 T4",
            "year": 2024,
            "table": "Indicadores estratégicos",
            "url": "https://www.inegi.org.mx/programas/enoe/15ymas/",
        },
    )
    assert response.status_code == 302
    source = StatSource.objects.get(slug="enoe-2024")
    response = client.post(
        reverse("genderstats:indicator_new"),
        {
            "slug": "tasa-participacion",
            "name": "Tasa de participación económica",
            "unit": "Porcentaje",
            "source": source.pk,
            "measure": "tasa",
            "direction": "negative",
        },
    )
    assert response.status_code == 302
    assert ContextIndicator.objects.get(slug="tasa-participacion").source == source
    assert AuditEvent.objects.filter(verb="statsource.create").count() == 1
    assert AuditEvent.objects.filter(verb="contextindicator.create").count() == 1


def test_editing_an_indicator_audits_the_change(client_for, coordinator, indicator):
    client = client_for(coordinator)
    url = reverse("genderstats:indicator", args=[indicator.slug])
    data = {
        "slug": indicator.slug,
        "name": "Población ocupada",
        "unit": "Personas",
        "source": indicator.source.pk,
        "measure": "conteo",
        "direction": "negative",
    }
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(verb="contextindicator.update")
    assert event.changes["name"] == ["Indicador ocupadas", "Población ocupada"]
    assert client.post(url, data).status_code == 302  # the same again: nothing to audit
    assert AuditEvent.objects.filter(verb="contextindicator.update").count() == 1


def test_the_coordination_uploads_previews_and_confirms_an_import(
    client_for, coordinator, indicator
):
    client = client_for(coordinator)
    response = client.post(reverse("genderstats:import"), {"file": csv_file(LINES)})
    stat_import = StatImport.objects.get()
    assert response.url == reverse("genderstats:import_detail", args=[stat_import.code])
    page = client.get(response.url).content.decode()
    assert "2 valores nuevos" in page
    assert not indicator.values.exists()
    client.post(response.url)
    stat_import.refresh_from_db()
    assert stat_import.status == ImportStatus.APPLIED
    assert indicator.values.count() == 2


def test_a_refused_file_lists_each_problem_with_its_row_and_keeps_nothing(
    client_for, coordinator, indicator
):
    client = client_for(coordinator)
    bad = [*LINES, "ocupadas,2024,10,otro,,5,Personas,ENDIREH,,,"]
    response = client.post(reverse("genderstats:import"), {"file": csv_file(bad)})
    page = response.content.decode()
    assert "no se guardó nada" in page
    assert "Fila 4, columna «sexo»:" in page
    assert "Confirmar e importar" not in page
    assert not StatImport.objects.exists()
    assert not indicator.values.exists()


def test_an_applied_import_is_not_applied_again(client_for, coordinator, indicator):
    client = client_for(coordinator)
    response = client.post(reverse("genderstats:import"), {"file": csv_file(LINES)})
    client.post(response.url)
    again = client.post(response.url)
    assert "Esta importación ya se aplicó." in again.content.decode()
    assert indicator.values.count() == 2


def test_state_members_read_the_catalogue_but_every_write_is_403(
    client_for, editor, state_admin, coordinator, indicator
):
    stat_import = StatImport.objects.create(filename="x.csv", rows=[], uploaded_by=coordinator)
    for person in (editor, state_admin):
        client = client_for(person)
        assert client.get(reverse("genderstats:home")).status_code == 200
        assert (
            client.get(reverse("genderstats:indicator", args=[indicator.slug])).status_code == 200
        )
        for url in write_urls(indicator, stat_import):
            assert client.post(url, {}).status_code == 403, url
        assert client.get(reverse("genderstats:import")).status_code == 403
        assert client.get(reverse("genderstats:source_new")).status_code == 403
    assert StatSource.objects.count() == 1


def test_a_person_without_membership_gets_404(client_for, indicator):
    from transversal.accounts.models import User

    loner = User.objects.create_user(email="sola@prueba.test", password="x" * 12, full_name="Sola")
    client = client_for(loner)
    assert client.get(reverse("genderstats:home")).status_code == 404
    for url in write_urls(indicator):
        assert client.post(url, {}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_but_read_the_public_pages(client, indicator):
    for url in [reverse("genderstats:home"), *write_urls(indicator)]:
        response = client.post(url, {}) if "importar" in url else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse(settings.LOGIN_URL))
    assert client.get(reverse("portal:statistics")).status_code == 200
    assert client.get(reverse("portal:statistic", args=[indicator.slug])).status_code == 200


def test_an_unknown_import_or_indicator_is_404(client_for, coordinator):
    client = client_for(coordinator)
    assert (
        client.get(
            "/observatorio/estadisticas/importar/" + "0" * 8 + "-0000-0000-0000-" + "0" * 12 + "/"
        ).status_code
        == 404
    )
    assert client.get(reverse("genderstats:indicator", args=["nada"])).status_code == 404


def test_the_pages_reject_other_methods(client_for, coordinator):
    client = client_for(coordinator)
    assert client.post(reverse("genderstats:home")).status_code == 405
    assert client.delete(reverse("genderstats:import")).status_code == 405
