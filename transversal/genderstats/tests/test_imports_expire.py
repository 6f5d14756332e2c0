"""A preview nobody applied or discarded expires after the imports' shared lifetime
(``core.uploads.PENDING_SECONDS``, the registers' and progress imports' too): it can no longer
be applied, and the sweep that runs with every upload removes it, one audit event each by no
person. Applied imports stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from transversal.audit.models import AuditEvent
from transversal.core.uploads import PENDING_SECONDS
from transversal.genderstats import services
from transversal.genderstats.models import ImportStatus, StatImport
from transversal.genderstats.tests.factories import HEADER, csv_file, make_indicator

pytestmark = pytest.mark.django_db

LINES = [HEADER, "ocupadas,2024,10,mujeres,,100,Personas,ENDIREH,,,"]
LIFETIME = dt.timedelta(seconds=PENDING_SECONDS)


@pytest.fixture
def indicator(db):
    return make_indicator("ocupadas", measure="conteo", unit="Personas")


def preview(actor, name="e.csv", *, age=dt.timedelta(0)) -> StatImport:
    stat_import = services.import_preview(actor=actor, upload=csv_file(LINES), filename=name)
    StatImport.objects.filter(pk=stat_import.pk).update(created_at=timezone.now() - age)
    stat_import.refresh_from_db()
    return stat_import


def test_the_sweep_removes_abandoned_previews_and_keeps_recent_and_applied_ones(
    coordinator, indicator
):
    abandoned = preview(coordinator, "vieja.csv", age=LIFETIME + dt.timedelta(minutes=1))
    recent = preview(coordinator, "reciente.csv", age=LIFETIME - dt.timedelta(minutes=1))
    applied = services.import_apply(actor=coordinator, stat_import=preview(coordinator))
    StatImport.objects.filter(pk=applied.pk).update(created_at=timezone.now() - 2 * LIFETIME)

    assert services.imports_expire() == 1

    assert set(StatImport.objects.values_list("pk", flat=True)) == {recent.pk, applied.pk}
    event = AuditEvent.objects.get(verb="statimport.expire")
    assert event.actor is None
    assert event.target_id == str(abandoned.pk)
    assert event.changes == {"filename": ["vieja.csv", None], "status": ["preview", None]}
    assert services.imports_expire() == 0


def test_the_sweep_also_removes_the_records_an_earlier_version_kept_for_refused_files(
    coordinator,
):
    StatImport.objects.create(filename="rechazado.csv", status=ImportStatus.REJECTED)
    StatImport.objects.update(created_at=timezone.now() - 2 * LIFETIME)
    assert services.imports_expire() == 1
    assert not StatImport.objects.exists()


def test_every_upload_sweeps_the_abandoned_previews(client_for, coordinator, indicator):
    abandoned = preview(coordinator, age=LIFETIME + dt.timedelta(minutes=1))
    client_for(coordinator).post(reverse("genderstats:import"), {"file": csv_file(LINES)})
    assert not StatImport.objects.filter(pk=abandoned.pk).exists()
    assert StatImport.objects.count() == 1  # the new preview


def test_an_expired_preview_is_not_applied(coordinator, indicator):
    stale = preview(coordinator, age=LIFETIME + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        services.import_apply(actor=coordinator, stat_import=stale)
    assert "La vista previa ya no está disponible" in str(refused.value)
    assert not indicator.values.exists()


def test_an_expired_preview_page_says_so_and_offers_no_confirmation(
    client_for, coordinator, indicator
):
    stale = preview(coordinator, age=LIFETIME + dt.timedelta(minutes=1))
    page = (
        client_for(coordinator)
        .get(reverse("genderstats:import_detail", args=[stale.code]))
        .content.decode()
    )
    assert "Esta vista previa venció: ya no se puede importar." in page
    assert "Confirmar e importar" not in page


def test_the_home_page_lists_applied_imports_and_open_previews_only(
    client_for, coordinator, indicator, django_assert_num_queries
):
    preview(coordinator, "vencida.csv", age=LIFETIME + dt.timedelta(minutes=1))
    preview(coordinator, "abierta.csv")
    applied = services.import_apply(actor=coordinator, stat_import=preview(coordinator, "ya.csv"))
    StatImport.objects.filter(pk=applied.pk).update(created_at=timezone.now() - 2 * LIFETIME)
    client = client_for(coordinator)
    client.get(reverse("genderstats:home"))  # warm the session and the membership caches
    # session, user, membership scope, sources, indicators, the imports with their uploader
    # (one query however many), then the page frame: membership, institution name, workload
    with django_assert_num_queries(9):
        page = client.get(reverse("genderstats:home")).content.decode()
    assert "abierta.csv" in page and "ya.csv" in page
    assert "vencida.csv" not in page
