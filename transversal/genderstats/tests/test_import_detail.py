"""The preview page of a statistics import: what the rows say, in names a person reads, and
what can still be done with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from transversal.core.uploads import PENDING_SECONDS
from transversal.genderstats import services
from transversal.genderstats.models import StatImport
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def detail_url(stat_import) -> str:
    return reverse("genderstats:import_detail", args=[stat_import.code])


def preview_of(actor, lines):
    return services.import_preview(actor=actor, upload=csv_file(lines), filename="e.csv")


@pytest.fixture
def illiterate(db):
    indicator = make_indicator("poblacion-analfabeta", measure="conteo", unit="Personas")
    indicator.name = "Población analfabeta de 15 años y más"
    indicator.save()
    return indicator


def test_the_preview_names_the_indicator_the_state_and_the_sex(client_for, coordinator, illiterate):
    stat_import = preview_of(
        coordinator,
        [
            HEADER,
            "poblacion-analfabeta,2020,10,mujeres,,100,Personas,ENDIREH,,,",
            "poblacion-analfabeta,2020,,hombres,,120,Personas,ENDIREH,,,",
        ],
    )
    page = client_for(coordinator).get(detail_url(stat_import)).content.decode()
    assert "Población analfabeta de 15 años y más" in page
    assert "Durango" in page
    assert "Nacional" in page
    assert "<td>Mujeres</td>" in page and "<td>Hombres</td>" in page
    # The codes stay visible, small, beside the names.
    assert '<small class="muted">poblacion-analfabeta</small>' in page
    assert '<small class="muted">10</small>' in page


def _rows(indicators, states) -> list[str]:
    return [
        f"{indicator.slug},2020,{state.code},{sex},,{n},Personas,ENDIREH,,,"
        for n, (indicator, state, sex) in enumerate(
            (i, s, x) for i in indicators for s in states for x in ("mujeres", "hombres")
        )
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_preview_page_takes_the_same_queries_for_few_and_many_rows(
    client_for, coordinator, django_assert_num_queries
):
    indicators = [
        make_indicator(f"conteo-{n}", measure="conteo", unit="Personas") for n in range(3)
    ]
    few = preview_of(coordinator, [HEADER, *_rows(indicators[:1], State.objects.all()[:1])])
    many = preview_of(coordinator, [HEADER, *_rows(indicators, State.objects.all())])
    assert len(many.rows) == 3 * 32 * 2
    client = client_for(coordinator)
    client.get(detail_url(few))  # warm the session and the membership caches
    # session, user, membership scope, the import with its uploader, the shown rows' indicators
    # and states (one query each, however many rows), then the page frame: membership,
    # institution name, workload
    with django_assert_num_queries(9):
        client.get(detail_url(few))
    assert _queries(client, detail_url(many)) == _queries(client, detail_url(few))


def _aged(stat_import, age):
    StatImport.objects.filter(pk=stat_import.pk).update(created_at=timezone.now() - age)
    stat_import.refresh_from_db()
    return stat_import


GOOD = [HEADER, "poblacion-analfabeta,2020,10,mujeres,,100,Personas,ENDIREH,,,"]


def test_an_expired_preview_reads_vencida_and_offers_only_a_new_upload(
    client_for, coordinator, illiterate
):
    lifetime = dt.timedelta(seconds=PENDING_SECONDS)
    stale = _aged(preview_of(coordinator, GOOD), lifetime + dt.timedelta(minutes=1))
    page = client_for(coordinator).get(detail_url(stale)).content.decode()
    assert "Estado: <strong>Vencida</strong>" in page
    assert "Vista previa" not in page
    assert "Al confirmar:" not in page
    assert "valores nuevos" not in page
    assert "Confirmar e importar" not in page and "Descartar" not in page
    assert "Esta vista previa venció: ya no se puede importar." in page
    assert f'href="{reverse("genderstats:import")}">Subir el archivo</a>' in page


def test_an_open_preview_reads_vista_previa_with_what_confirming_does(
    client_for, coordinator, illiterate
):
    fresh = preview_of(coordinator, GOOD)
    page = client_for(coordinator).get(detail_url(fresh)).content.decode()
    assert "Estado: <strong>Vista previa</strong>" in page
    assert "Al confirmar:" in page and "1 valores nuevos" in page
    assert "Confirmar e importar" in page


GONE = "No hay ninguna importación en esta dirección"
NEVER = "00000000-0000-0000-0000-000000000000"


def test_the_coordination_is_told_a_discarded_preview_is_gone_with_a_link_to_upload(
    client_for, coordinator, illiterate
):
    discarded = preview_of(coordinator, GOOD)
    services.import_discard(actor=coordinator, stat_import=discarded)
    response = client_for(coordinator).get(detail_url(discarded))
    assert response.status_code == 404
    page = response.content.decode()
    assert GONE in page
    assert "se descartó o venció" in page
    assert f'href="{reverse("genderstats:import")}">Subir el archivo</a>' in page


def test_a_discarded_and_a_never_made_import_look_alike_to_everyone(
    client_for, coordinator, editor, viewer, national, illiterate
):
    """The page tells nothing a person could not already see: for the coordination a discarded
    preview reads as any address with no import; every other person gets the plain 404."""
    from transversal.accounts.models import Role, User
    from transversal.conftest import make_member

    discarded = preview_of(coordinator, GOOD)
    services.import_discard(actor=coordinator, stat_import=discarded)
    national_reader = make_member("lectura@prueba.test", national, Role.VIEWER)
    loner = User.objects.create_user(email="sola@prueba.test", password="x" * 12, full_name="Sola")
    never = reverse("genderstats:import_detail", args=[NEVER])
    for person in (coordinator, editor, viewer, national_reader, loner):
        client = client_for(person)
        gone, unknown = client.get(detail_url(discarded)), client.get(never)
        assert gone.status_code == unknown.status_code == 404
        assert main_of(gone) == main_of(unknown)
        assert (GONE in main_of(gone)) == (person == coordinator)


def main_of(response) -> str:
    """The page's own content (the frame around it carries a fresh CSRF token each time)."""
    page = response.content.decode()
    return page[page.index('<main id="contenido"') : page.index("</main>")]
