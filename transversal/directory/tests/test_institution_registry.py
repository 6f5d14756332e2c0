from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.audit.models import AuditEvent
from transversal.conftest import make_institution, make_member
from transversal.institutions.models import (
    Institution,
    InstitutionKind,
    LegalForm,
    NameChange,
    OperatingStatus,
)
from transversal.institutions.services import institution_register, state_institutes_load
from transversal.territory.models import Municipality, State

pytestmark = pytest.mark.django_db

NEW = reverse("directory:institution_new")


@pytest.fixture
def lerdo(db):
    return Municipality.objects.create(
        code="10012", state=State.objects.get(code="10"), name="Lerdo"
    )


@pytest.fixture
def fresnillo(db):
    return Municipality.objects.create(
        code="32010", state=State.objects.get(code="32"), name="Fresnillo"
    )


def imm_payload(place, **extra):
    data = {
        "kind": InstitutionKind.MUNICIPAL_IMM,
        "state": place.state.code,
        "municipality": place.code,
        "name": "Instituto Municipal de la Mujer de Lerdo",
        "acronym": "IMMUL",
        "legal_form": LegalForm.DECENTRALIZED,
        "operating_status": OperatingStatus.OPERATING,
        "head_name": "Titular de prueba",
        "head_charge": "Directora",
        "creation_instrument": "Acuerdo de Cabildo",
        "creation_date": "",
        "name_valid_from": "",
    }
    data.update(extra)
    return data


class TestRegister:
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(NEW)
        assert response.status_code == 302 and "/entrar/" in response["Location"]

    def test_a_member_without_registry_rights_gets_a_spanish_403(self, client_for, editor):
        response = client_for(editor).get(NEW)
        assert response.status_code == 403
        assert "coordinación nacional" in response.content.decode()

    def test_the_coordinator_registers_a_municipal_instance(self, client_for, coordinator, lerdo):
        response = client_for(coordinator).post(NEW, imm_payload(lerdo))
        assert response.status_code == 302
        imm = Institution.objects.with_names().get(kind=InstitutionKind.MUNICIPAL_IMM)
        assert response["Location"] == reverse("directory:institution", args=[imm.slug])
        assert (imm.municipality, imm.state.code, imm.head_charge) == (lerdo, "10", "Directora")
        assert imm.creation_date is None  # not given, not guessed
        assert imm.current_name.change == NameChange.CREATION
        event = AuditEvent.objects.get(verb="institution.create", actor=coordinator)
        assert event.changes["municipality"] == [None, "10012 Lerdo"]

    def test_a_state_admin_registers_an_imm_of_her_state_only(
        self, client_for, state_admin, lerdo, fresnillo
    ):
        client = client_for(state_admin)
        page = client.get(NEW).content.decode()
        assert "Lerdo" in page and "Fresnillo" not in page
        assert "Unidad de género" not in page  # only municipal instances are offered
        response = client.post(NEW, imm_payload(fresnillo))
        assert (
            response.status_code == 200
            and "Seleccione una opción válida" in response.content.decode()
        )
        response = client.post(NEW, imm_payload(lerdo, kind=InstitutionKind.STATE_IMEF))
        assert response.status_code == 200
        assert not Institution.objects.filter(kind__in=["municipal_imm"]).exists()
        assert client.post(NEW, imm_payload(lerdo)).status_code == 302
        assert Institution.objects.get(kind="municipal_imm").municipality == lerdo

    def test_an_imm_needs_an_active_municipality_of_its_state(
        self, client_for, coordinator, lerdo, fresnillo
    ):
        client = client_for(coordinator)
        page = client.post(NEW, imm_payload(lerdo, municipality="")).content.decode()
        assert "requiere su municipio" in page
        page = client.post(NEW, imm_payload(fresnillo, state="10")).content.decode()
        assert "debe pertenecer a la entidad" in page
        lerdo.is_active = False
        lerdo.save()
        page = client.post(NEW, imm_payload(lerdo)).content.decode()
        assert "Seleccione una opción válida" in page  # a retired municipality is not offered
        assert not Institution.objects.filter(kind="municipal_imm").exists()

    def test_a_gender_unit_names_its_agency_and_other_legal_form_its_text(
        self, client_for, coordinator, lerdo
    ):
        client = client_for(coordinator)
        data = imm_payload(lerdo, kind=InstitutionKind.GENDER_UNIT, municipality="")
        data["name"] = "Unidad de Igualdad de Género"
        page = client.post(NEW, data).content.decode()
        assert "Indique la dependencia" in page
        data.update(agency_name="Secretaría de Salud de Durango", legal_form=LegalForm.OTHER)
        page = client.post(NEW, data).content.decode()
        assert "Describa la naturaleza jurídica" in page
        data["legal_form_other"] = "Órgano interno"
        assert client.post(NEW, data).status_code == 302
        unit = Institution.objects.get(kind=InstitutionKind.GENDER_UNIT)
        assert unit.agency_name == "Secretaría de Salud de Durango" and unit.municipality is None
        assert unit.legal_form_text == "Órgano interno"


def rename_url(institution):
    return reverse("directory:institution_name_create", args=[institution.slug])


class TestRenameOrTransform:
    payload = {
        "name": "Secretaría de las Mujeres del Estado de Durango",
        "acronym": "SMED",
        "change": NameChange.TRANSFORMATION,
        "legal_form": LegalForm.CENTRALIZED,
        "valid_from": "01/03/2026",
        "instrument": "Decreto que reforma la Ley Orgánica de la Administración Pública",
        "instrument_number": "123",
        "instrument_date": "28/02/2026",
        "instrument_gazette": "Periódico Oficial del Gobierno del Estado de Durango",
        "source": "Periódico Oficial — https://example.gob.mx/po/123",
    }

    def test_the_coordinator_records_a_transformation_with_its_instrument(
        self, client_for, coordinator, durango
    ):
        durango.names.update(valid_from=dt.date(2000, 6, 18))
        response = client_for(coordinator).post(rename_url(durango), self.payload)
        assert response.status_code == 302
        durango = Institution.objects.with_names().get(pk=durango.pk)
        current, former = durango.current_name, durango.former_names[0]
        assert current.instrument_number == "123"
        assert current.instrument_date == dt.date(2026, 2, 28)
        assert former.valid_to == dt.date(2026, 2, 28)
        assert durango.legal_form == LegalForm.CENTRALIZED
        event = AuditEvent.objects.get(verb="institution.rename", actor=coordinator)
        assert event.changes["change"] == [None, "transformation"]
        page = client_for(coordinator).get(reverse("directory:institution", args=[durango.slug]))
        text = page.content.decode()
        assert "Transformación" in text and "No. 123" in text and "28/02/2026" in text
        assert "https://example.gob.mx/po/123" in text

    def test_a_date_before_the_previous_name_is_refused_in_spanish(
        self, client_for, coordinator, durango
    ):
        durango.names.update(valid_from=dt.date(2000, 6, 18))
        response = client_for(coordinator).post(
            rename_url(durango), {**self.payload, "valid_from": "01/01/1999"}, follow=True
        )
        assert "debe entrar en vigor después del 18/06/2000" in response.content.decode()
        assert durango.names.count() == 1

    def test_a_state_admin_renames_a_municipal_instance_of_her_state(
        self, client_for, state_admin, lerdo
    ):
        imm = institution_register(
            actor=None,
            kind=InstitutionKind.MUNICIPAL_IMM,
            state=lerdo.state,
            municipality=lerdo,
            name="Instancia Municipal de la Mujer",
        )
        response = client_for(state_admin).post(
            rename_url(imm), {"name": "Instituto Municipal de las Mujeres", "change": "rename"}
        )
        assert response.status_code == 302
        assert imm.names.count() == 2

    def test_an_editor_gets_403_and_an_outsider_404(self, client_for, editor, outsider, durango):
        assert client_for(editor).post(rename_url(durango), self.payload).status_code == 403
        assert client_for(outsider).post(rename_url(durango), self.payload).status_code == 404
        assert durango.names.count() == 1

    def test_another_states_admin_cannot_rename_an_imm(self, client_for, lerdo, zacatecas):
        imm = institution_register(
            actor=None,
            kind=InstitutionKind.MUNICIPAL_IMM,
            state=lerdo.state,
            municipality=lerdo,
            name="Instancia Municipal de la Mujer",
        )
        admin = make_member("admin.zac@prueba.test", zacatecas, Role.ADMIN)
        assert client_for(admin).post(rename_url(imm), {"name": "X"}).status_code == 404


class TestList:
    url = reverse("directory:institution_list")

    def test_it_filters_by_state_kind_status_and_text(self, client, durango, zacatecas, lerdo):
        imm = institution_register(
            actor=None,
            kind=InstitutionKind.MUNICIPAL_IMM,
            state=lerdo.state,
            municipality=lerdo,
            name="Instituto Municipal de la Mujer Lerdense",
            operating_status=OperatingStatus.NOT_OPERATING,
        )

        def names(**params):
            page = client.get(self.url, params).content.decode()
            return {
                slug
                for slug in (durango.slug, zacatecas.slug, imm.slug, "nacional")
                if f"/instituciones/{slug}/" in page
            }

        assert names() == {durango.slug, zacatecas.slug, imm.slug, "nacional"}
        assert names(entidad="10") == {durango.slug, imm.slug}
        assert names(tipo="municipal_imm") == {imm.slug}
        assert names(situacion="not_operating") == {imm.slug}
        assert names(q="lerdo") == {imm.slug}
        assert names(q="SEMUJER") == {zacatecas.slug}
        assert names(tipo="nonsense") == names()

    def test_it_shows_a_former_name(self, client, durango):
        from transversal.institutions.services import institution_name_add

        institution_name_add(actor=None, institution=durango, name="Secretaría de las Mujeres")
        page = client.get(self.url).content.decode()
        assert "antes Instituto Estatal de las Mujeres" in page

    def test_it_is_paginated_and_keeps_the_filter(self, client):
        state_institutes_load(actor=None)
        first = client.get(self.url, {"tipo": "state_imef"}).content.decode()
        assert "Página 1 de 1" not in first  # 32 fit on one page: no pager
        for n in range(20):
            make_institution(f"extra-{n:02d}", "10", f"Instancia extra {n:02d}")
        first = client.get(self.url, {"tipo": "state_imef"}).content.decode()
        assert "Página 1 de 2 (52 en total)" in first
        assert "tipo=state_imef&amp;pagina=2" in first

    def test_it_runs_a_constant_number_of_queries(
        self, client, django_assert_max_num_queries, lerdo
    ):
        state_institutes_load(actor=None)
        for n in range(5):
            institution_register(
                actor=None,
                kind=InstitutionKind.MUNICIPAL_IMM,
                state=lerdo.state,
                municipality=lerdo,
                name=f"Instancia Municipal {n}",
            )
        # session-less anonymous: count, institutions with state and municipality, their
        # names, the states of the filter
        with django_assert_max_num_queries(4):
            response = client.get(self.url)
        assert response.status_code == 200
        assert response.content.decode().count("/instituciones/") >= 38


def test_the_state_list_shows_the_institute_of_all_32_states_after_the_load(client):
    state_institutes_load(actor=None)
    page = client.get(reverse("directory:state_list")).content.decode()
    assert "Sin registro en Transversal" not in page
    linked = {
        i.state.code
        for i in Institution.objects.filter(kind=InstitutionKind.STATE_IMEF).select_related("state")
        if f"/instituciones/{i.slug}/" in page
    }
    assert len(linked) == 32
    assert "Instituto Estatal de las Mujeres" in page  # Durango's name today


def test_a_profile_without_known_dates_or_sources_says_so(client, durango):
    page = client.get(reverse("directory:institution", args=[durango.slug])).content.decode()
    assert "fecha no conocida" in page and "sin fuente" in page


class TestEditRegistryFacts:
    def test_the_coordinator_edits_the_status_and_head_of_a_state_institute(
        self, client_for, coordinator, durango
    ):
        url = reverse("directory:institution_edit", args=[durango.slug])
        response = client_for(coordinator).post(
            url,
            {
                "operating_status": OperatingStatus.OPERATING,
                "head_name": "Titular del Instituto",
                "head_charge": "Directora General",
                "legal_form": LegalForm.DECENTRALIZED,
                "source": "Periódico Oficial — https://example.gob.mx/1",
            },
        )
        assert response.status_code == 302
        durango.refresh_from_db()
        assert (durango.head_name, durango.legal_form) == (
            "Titular del Instituto",
            LegalForm.DECENTRALIZED,
        )
        event = AuditEvent.objects.get(verb="institution.update", actor=coordinator)
        assert event.changes["head_charge"] == ["", "Directora General"]

    def test_a_national_viewer_gets_403(self, client_for, national, durango):
        viewer = make_member("consulta.nal@prueba.test", national, Role.VIEWER)
        url = reverse("directory:institution_edit", args=[durango.slug])
        assert client_for(viewer).post(url, {"head_name": "X"}).status_code == 403
