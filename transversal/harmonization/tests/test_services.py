from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from transversal.accounts.models import Role
from transversal.audit.models import AuditEvent
from transversal.conftest import make_member
from transversal.harmonization import services
from transversal.harmonization.models import Cell, CellProposal, ProposalStatus, Status
from transversal.harmonization.tests.factories import CITED, cell, provision

pytestmark = pytest.mark.django_db


def test_a_new_provision_has_one_pending_unverified_cell_per_state(coordinator):
    prov = services.provision_add(
        actor=coordinator,
        slug="Matrimonio-Infantil",
        title="Prohibición del matrimonio infantil",
        topic="child_marriage",
        federal_source="Código Civil Federal",
        dof_date=dt.date(2019, 6, 3),
    )
    assert prov.slug == "matrimonio-infantil"
    cells = Cell.objects.filter(provision=prov)
    assert cells.count() == 32
    assert {c.shown_status for c in cells} == {"sin_verificar"}
    assert AuditEvent.objects.filter(verb="provision.add", actor=coordinator).count() == 1


def test_a_state_editor_may_not_add_a_provision(editor):
    with pytest.raises(PermissionDenied):
        services.provision_add(
            actor=editor, slug="x", title="X", topic="other", federal_source="Ley"
        )
    assert not Cell.objects.exists()


def test_a_provision_needs_a_title_a_topic_and_a_past_date(coordinator):
    for bad in (
        {"title": "", "topic": "other", "federal_source": "Ley"},
        {"title": "X", "topic": "nada", "federal_source": "Ley"},
        {"title": "X", "topic": "other", "federal_source": ""},
        {"title": "X", "topic": "other", "federal_source": "Ley", "dof_date": dt.date(2999, 1, 1)},
        {"title": "X\x00", "topic": "other", "federal_source": "Ley"},
    ):
        with pytest.raises(ValidationError):
            services.provision_add(actor=coordinator, slug="mala", **bad)
    assert not Cell.objects.filter(provision__slug="mala").exists()


def test_durango_proposes_and_the_national_coordination_accepts(coordinator, editor):
    prov = provision()
    target = cell(prov)
    proposal = services.cell_propose(actor=editor, cell=target, **CITED)
    target.refresh_from_db()
    assert target.shown_status == "sin_verificar"  # nothing changes until it is accepted
    services.proposal_accept(actor=coordinator, proposal=proposal)
    target.refresh_from_db()
    proposal.refresh_from_db()
    assert target.status == Status.HARMONIZED and target.shown_status == "armonizada"
    assert target.gazette == CITED["gazette"] and target.published_on == dt.date(2021, 3, 4)
    assert not target.is_synthetic
    assert proposal.decision == ProposalStatus.ACCEPTED
    assert proposal.decided_by == coordinator and proposal.decided_at
    verbs = list(
        AuditEvent.objects.filter(target_id=str(target.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["cell.propose", "proposal.accept"]


def test_a_returned_proposal_needs_a_reason_and_leaves_the_cell(coordinator, editor):
    prov = provision()
    target = cell(prov)
    proposal = services.cell_propose(actor=editor, cell=target, **CITED)
    with pytest.raises(ValidationError):
        services.proposal_return(actor=coordinator, proposal=proposal, reason="  ")
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.PROPOSED
    services.proposal_return(actor=coordinator, proposal=proposal, reason="Falta el artículo")
    proposal.refresh_from_db()
    target.refresh_from_db()
    assert proposal.decision == ProposalStatus.RETURNED and proposal.reason == "Falta el artículo"
    assert target.status == Status.PENDING
    with pytest.raises(ValidationError):
        services.proposal_accept(actor=coordinator, proposal=proposal)


def test_a_proposal_must_cite_its_source(editor):
    target = cell(provision())
    with pytest.raises(ValidationError, match="Cite la fuente"):
        services.cell_propose(
            actor=editor, cell=target, status="armonizada", gazette="Periódico Oficial"
        )
    assert not CellProposal.objects.exists()


def test_a_proposal_with_a_bad_status_or_future_date_changes_nothing(editor):
    target = cell(provision())
    for bad in ({**CITED, "status": "hecha"}, {**CITED, "published_on": dt.date(2999, 1, 1)}):
        with pytest.raises(ValidationError):
            services.cell_propose(actor=editor, cell=target, **bad)
    assert not CellProposal.objects.exists()
    assert not AuditEvent.objects.filter(verb="cell.propose").exists()


def test_a_second_proposal_waits_for_the_first(editor):
    target = cell(provision())
    services.cell_propose(actor=editor, cell=target, **CITED)
    with pytest.raises(ValidationError):
        services.cell_propose(actor=editor, cell=target, **CITED)


def test_another_state_may_not_propose_for_durango(outsider):
    target = cell(provision())
    with pytest.raises(Http404):
        services.cell_propose(actor=outsider, cell=target, **CITED)
    assert not CellProposal.objects.exists()


def test_durango_members_without_the_editing_role_are_refused(viewer, reviewer):
    target = cell(provision())
    for user in (viewer, reviewer):
        with pytest.raises(PermissionDenied):
            services.cell_propose(actor=user, cell=target, **CITED)


def test_the_national_coordination_does_not_propose_but_edits(coordinator):
    target = cell(provision())
    with pytest.raises(PermissionDenied):
        services.cell_propose(actor=coordinator, cell=target, **CITED)
    services.cell_set(actor=coordinator, cell=target, **{**CITED, "status": "parcial"})
    target.refresh_from_db()
    assert target.shown_status == "parcial"
    assert AuditEvent.objects.filter(verb="cell.set", actor=coordinator).count() == 1


def test_a_state_editor_may_not_decide_nor_edit(editor, state_admin):
    target = cell(provision())
    proposal = services.cell_propose(actor=editor, cell=target, **CITED)
    for call in (
        lambda: services.proposal_accept(actor=state_admin, proposal=proposal),
        lambda: services.proposal_return(actor=state_admin, proposal=proposal, reason="No"),
        lambda: services.cell_set(actor=editor, cell=target, **CITED),
    ):
        with pytest.raises(PermissionDenied):
            call()
    proposal.refresh_from_db()
    assert proposal.decision == ProposalStatus.PROPOSED


def test_a_national_viewer_may_not_manage(national):
    viewer = make_member("consulta.nal@prueba.test", national, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.cell_set(actor=viewer, cell=cell(provision()), **CITED)


def test_an_uncited_cell_reads_sin_verificar_whatever_its_status(coordinator):
    target = cell(provision())
    services.cell_set(actor=coordinator, cell=target, status="armonizada", gazette="PO")
    target.refresh_from_db()
    assert target.status == "armonizada" and target.shown_status == "sin_verificar"
    services.cell_set(
        actor=coordinator,
        cell=target,
        status="armonizada",
        gazette="PO",
        published_on=dt.date(2020, 1, 2),
    )
    target.refresh_from_db()
    assert target.shown_status == "armonizada"
