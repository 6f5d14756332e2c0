from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from transversal.audit.models import AuditEvent
from transversal.harmonization import services
from transversal.harmonization.models import CellProposal, ProposalStatus, Provision
from transversal.harmonization.tests.factories import CITED, cell, provision

pytestmark = pytest.mark.django_db

FORM = {
    "status": "armonizada",
    "instrument": "",
    "article": "",
    "gazette": "Periódico Oficial del Gobierno del Estado de Durango",
    "published_on": "04/03/2021",
    "url": "",
    "notes": "Reforma publicada",
}


def _world(size: int):
    provisions = [provision(f"disp-{n}", order=n) for n in range(size)]
    for prov in provisions[::2]:
        services.cell_set(actor=None, cell=cell(prov), **CITED)
        services.cell_set(actor=None, cell=cell(prov, "32"), status="parcial", is_synthetic=True)
    return provisions


# Public pages --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 6])
def test_the_matrix_reads_in_constant_queries(client, size, django_assert_max_num_queries):
    _world(size)
    # session-free anonymous page: provisions, states, cells, the states of the filter.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("harmonization:matrix"))
    assert response.status_code == 200
    assert response.content.decode().count("Sin verificar") > 30


@pytest.mark.parametrize("size", [2, 6])
def test_the_map_and_the_profile_read_in_constant_queries(
    client, size, django_assert_max_num_queries
):
    provisions = _world(size)
    # provision, states, cells.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("harmonization:map", args=[provisions[0].slug]))
    assert response.status_code == 200
    # state, provisions, cells.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("harmonization:state", args=["10"]))
    assert response.status_code == 200


def test_the_map_labels_each_tile_with_its_status(client):
    prov = _world(1)[0]
    html = client.get(reverse("harmonization:map", args=[prov.slug])).content.decode()
    assert 'class="tile s10 light-green"' in html
    assert "Armonizada" in html
    # Durango's synthetic neighbour cites nothing: «sin verificar», still marked synthetic.
    assert 'class="tile s32 light-no_data"' in html and "dato sintético" in html
    assert 'class="tile s01 light-no_data"' in html and "Sin verificar" in html


def test_a_synthetic_status_without_its_source_reads_unverified_everywhere(client):
    prov = provision()
    services.cell_set(
        actor=None, cell=cell(prov, "32"), status="parcial", gazette="PO", is_synthetic=True
    )
    cited = {**CITED, "status": "pendiente", "gazette": "Periódico Oficial (dato sintético)"}
    services.cell_set(actor=None, cell=cell(prov, "01"), is_synthetic=True, **cited)
    pages = [
        reverse("harmonization:matrix"),
        reverse("harmonization:map", args=[prov.slug]),
        reverse("harmonization:state", args=["32"]),
        reverse("harmonization:cell", args=[cell(prov, "32").code]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Parcial</span>" not in html, url
        assert "Sin verificar" in html and "dato sintético" in html, url
    rows = json.loads(client.get(reverse("harmonization:download", args=["json"])).content)
    by_state = {r["entidad_clave"]: r for r in rows}
    assert by_state["32"]["estado"] == "sin_verificar" and by_state["32"]["dato_sintetico"]
    assert by_state["32"]["periodico_oficial"] == ""  # half a citation is not published
    # A synthetic cell with its (invented, marked) citation shows its status.
    assert by_state["01"]["estado"] == "pendiente" and by_state["01"]["dato_sintetico"]
    csv_text = client.get(reverse("harmonization:download", args=["csv"])).content.decode()
    assert "parcial" not in csv_text.split("\n", 1)[1]
    response = client.get(reverse("harmonization:download", args=["xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    statuses = {row[2]: row[4] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert statuses["32"] == "sin_verificar" and statuses["01"] == "pendiente"


def test_an_uncited_status_is_never_shown_as_a_fact(client, coordinator):
    prov = provision()
    services.cell_set(actor=coordinator, cell=cell(prov), status="armonizada")
    html = client.get(reverse("harmonization:state", args=["10"])).content.decode()
    assert "Armonizada" not in html and "Sin verificar" in html


def test_the_matrix_filters_by_topic_status_and_state(client):
    _world(2)
    html = client.get(
        reverse("harmonization:matrix"), {"estado": "armonizada", "entidad": "10"}
    ).content.decode()
    assert ">Durango</a>" in html and ">Zacatecas</a>" not in html
    html = client.get(reverse("harmonization:matrix"), {"tema": "child_marriage"}).content
    assert "No hay disposiciones con estos filtros" in html.decode()


def test_a_bad_filter_is_ignored(client):
    _world(1)
    response = client.get(reverse("harmonization:matrix"), {"estado": "<x>", "entidad": "99"})
    assert response.status_code == 200


def test_an_unknown_provision_state_or_cell_is_404(client):
    assert client.get(reverse("harmonization:map", args=["nada"])).status_code == 404
    assert client.get(reverse("harmonization:state", args=["99"])).status_code == 404
    assert client.get(reverse("harmonization:cell", args=["no-uuid"])).status_code == 404


def test_the_downloads_publish_the_status_only_with_its_source(client):
    prov = provision()
    services.cell_set(actor=None, cell=cell(prov), **CITED)
    services.cell_set(actor=None, cell=cell(prov, "01"), status="armonizada")
    url = reverse("harmonization:download", args=["json"])
    rows = json.loads(client.get(url).content)
    by_state = {r["entidad_clave"]: r for r in rows}
    assert len(rows) == 32
    assert by_state["10"]["estado"] == "armonizada"
    assert by_state["10"]["fecha_publicacion"] == "2021-03-04"
    assert by_state["01"]["estado"] == "sin_verificar"
    csv_text = client.get(reverse("harmonization:download", args=["csv"])).content.decode()
    assert csv_text.splitlines()[0].startswith("disposicion,tema,entidad_clave")
    response = client.get(reverse("harmonization:download", args=["xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 33
    assert client.get(reverse("harmonization:download", args=["pdf"])).status_code == 404


# Signed-in pages ------------------------------------------------------------------------


def test_the_national_coordination_adds_a_provision(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("harmonization:provision_new"),
        {
            "slug": "regla-3-de-3",
            "title": "Regla «3 de 3»",
            "topic": "three_of_three",
            "federal_source": "Decreto de reforma constitucional («3 de 3»)",
            "dof_date": "29/05/2023",
            "order": "5",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    prov = Provision.objects.get(slug="regla-3-de-3")
    assert prov.dof_date == dt.date(2023, 5, 29) and prov.cells.count() == 32


def test_a_bad_provision_form_says_why_and_saves_nothing(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(
        reverse("harmonization:provision_new"),
        {
            "slug": "mala",
            "title": "",
            "topic": "other",
            "federal_source": "Ley",
            "dof_date": "31/02/2020",
            "order": "0",
        },
    )
    assert response.status_code == 200
    assert not Provision.objects.exists()


@pytest.mark.parametrize("name", ["manage", "provision_new"])
def test_catalogue_pages_are_for_the_national_coordination(client_for, editor, name):
    assert client_for(None).get(reverse(f"harmonization:{name}")).status_code == 302
    assert client_for(editor).get(reverse(f"harmonization:{name}")).status_code == 404


def test_durango_proposes_from_its_cell_page(client_for, editor):
    target = cell(provision())
    client = client_for(editor)
    page = client.get(reverse("harmonization:cell", args=[target.code])).content.decode()
    assert "Proponer un cambio" in page
    response = client.post(reverse("harmonization:propose", args=[target.code]), FORM)
    assert response.status_code == 302
    proposal = CellProposal.objects.get()
    assert proposal.published_on == dt.date(2021, 3, 4)
    assert "Propuesta" in client.get(reverse("harmonization:proposals")).content.decode()


def test_a_proposal_without_a_source_is_refused_on_the_form(client_for, editor):
    target = cell(provision())
    response = client_for(editor).post(
        reverse("harmonization:propose", args=[target.code]), {**FORM, "published_on": ""}
    )
    assert response.status_code == 200
    assert "Cite la fuente" in response.content.decode()
    assert not CellProposal.objects.exists()


def test_another_state_may_not_open_the_proposal_form(client_for, outsider, viewer):
    target = cell(provision())
    url = reverse("harmonization:propose", args=[target.code])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, FORM).status_code == 404
    assert client_for(viewer).post(url, FORM).status_code == 403
    assert not CellProposal.objects.exists()


def test_the_national_coordination_accepts_from_the_queue(client_for, coordinator, editor):
    target = cell(provision())
    proposal = services.cell_propose(actor=editor, cell=target, **CITED)
    client = client_for(coordinator)
    assert str(proposal.code) in client.get(reverse("harmonization:manage")).content.decode()
    url = reverse("harmonization:proposal", args=[proposal.code])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.ACCEPTED
    history = client.get(reverse("audit:history", args=["armonizacion", target.code]))
    text = history.content.decode()
    assert "Propuso un cambio" in text and "Aceptó la propuesta" in text


def test_a_return_needs_its_reason(client_for, coordinator, editor):
    proposal = services.cell_propose(actor=editor, cell=cell(provision()), **CITED)
    client = client_for(coordinator)
    url = reverse("harmonization:proposal", args=[proposal.code])
    assert client.post(url, {"reason": ""}).status_code == 200
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.PROPOSED
    assert client.post(url, {"reason": "Falta el artículo"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.RETURNED


def test_a_state_may_read_but_not_decide_its_proposal(client_for, editor, outsider):
    proposal = services.cell_propose(actor=editor, cell=cell(provision()), **CITED)
    url = reverse("harmonization:proposal", args=[proposal.code])
    assert client_for(editor).get(url).status_code == 200
    assert client_for(editor).post(url, {"decision": "accept"}).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.PROPOSED
    assert not AuditEvent.objects.filter(verb="proposal.accept").exists()


def test_the_cell_history_is_for_the_state_and_the_national_coordination(
    client_for, outsider, editor
):
    target = cell(provision())
    url = reverse("audit:history", args=["armonizacion", target.code])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(editor).get(url).status_code == 200


def test_the_national_coordination_edits_a_cell(client_for, coordinator, editor):
    target = cell(provision())
    url = reverse("harmonization:cell_edit", args=[target.code])
    assert client_for(editor).get(url).status_code == 403
    assert client_for(editor).post(url, FORM).status_code == 403
    response = client_for(coordinator).post(url, {**FORM, "status": "parcial"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.shown_status == "parcial"
