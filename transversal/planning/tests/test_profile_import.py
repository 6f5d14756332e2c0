"""The profile import page: upload → review → apply, through the view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.conftest import make_institution
from transversal.institutions.forms import ProfileForm
from transversal.planning.ingest.seeds import find_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def durango_by_its_old_name(db):
    return make_institution("imd-durango-test", "10", "Instituto de la Mujer Duranguense", "IMD")


@pytest.fixture
def old_name_editor(durango_by_its_old_name):
    from transversal.accounts.models import Role
    from transversal.conftest import make_member

    return make_member("perfil@prueba.test", durango_by_its_old_name, Role.EDITOR)


def url(institution) -> str:
    return reverse("planning:profile_import", args=[institution.slug])


def seed_002() -> bytes:
    path = find_seed("002_")
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    return path.read_bytes()


def _as_posted(form: ProfileForm) -> dict:
    """What the browser sends back for the review form as rendered."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[name] = (
            field.widget.format_value(value) if isinstance(value, dt.date) else (value or "")
        )
    return data


def test_seed_002_goes_from_upload_to_review_to_the_institutions_profile(
    client_for, old_name_editor, durango_by_its_old_name
):
    institution = durango_by_its_old_name
    client = client_for(old_name_editor)
    before = AuditEvent.objects.count()
    review = client.post(
        url(institution), {"document": SimpleUploadedFile("perfil.txt", seed_002())}
    )
    assert review.status_code == 200
    html = review.content.decode()
    assert (
        "Promover políticas públicas" in html and 'value="Instituto Estatal de las Mujeres"' in html
    )
    assert AuditEvent.objects.count() == before  # nothing is written before the review

    data = {
        **_as_posted(review.context["profile_form"]),
        "current_name": "Instituto Estatal de las Mujeres",
    }
    response = client.post(url(institution), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    institution.refresh_from_db()
    assert institution.mission.startswith("Promover políticas públicas y generar acciones")
    assert institution.vision.startswith("Somos la Institución reconocida como rectora")
    assert [o.text[:40] for o in institution.objectives.order_by("number")] == [
        "Apoyar el desarrollo de grupos vulnerabl",
        "Adoptar y reforzar las políticas para la",
    ]
    assert (institution.creation_number, institution.creation_date) == ("298", dt.date(2000, 6, 18))
    assert institution.current_name.name == "Instituto Estatal de las Mujeres"
    assert [n.name for n in institution.former_names] == ["Instituto de la Mujer Duranguense"]
    assert list(AuditEvent.objects.order_by("id").values_list("verb", flat=True)[before:]) == [
        "institution.update",
        "institution.rename",
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("vacio.txt", b"", "vacío"),
        ("programa.exe", b"MZ\x00\x00", "No se admiten archivos con extensión .exe"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "Aquí no se admite"),
    ],
)
def test_a_bad_file_gets_a_spanish_message_and_nothing_is_written(
    client_for, editor, durango, name, data, message
):
    before = (AuditEvent.objects.count(), durango.mission, durango.names.count())
    response = client_for(editor).post(url(durango), {"document": SimpleUploadedFile(name, data)})
    assert response.status_code == 200 and message in response.content.decode()
    durango.refresh_from_db()
    assert (AuditEvent.objects.count(), durango.mission, durango.names.count()) == before


def test_the_page_is_hidden_from_outsiders_and_refused_to_read_only(
    client_for, durango, outsider, viewer
):
    assert client_for(outsider).post(url(durango), {"mission": "x"}).status_code == 404
    assert client_for(viewer).post(url(durango), {"mission": "x"}).status_code == 403
    assert client_for(None).get(url(durango)).status_code == 302
    durango.refresh_from_db()
    assert durango.mission == ""
