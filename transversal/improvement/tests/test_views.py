from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.improvement import services
from transversal.improvement.models import Evaluation, Finding, ImprovementAction
from transversal.monitoring.tests.factories import approved, indicator_with_calendar

pytestmark = pytest.mark.django_db


def _evaluation(institution, year=2026):
    return services.evaluation_create(
        actor=None,
        institution=institution,
        year=year,
        kind="external",
        title=f"Evaluación externa {year}",
        evaluator="Universidad Autónoma",
        started_on=dt.date(year, 2, 1),
    )


def _action(finding, owner, due=dt.date(2026, 3, 31)):
    return services.action_add(
        actor=None,
        finding=finding,
        text="Actualizar lineamientos",
        kind="institutional",
        priority="high",
        owner=owner,
        due_date=due,
    )


def test_a_reviewer_records_an_evaluation_and_bad_dates_save_nothing(client_for, reviewer, durango):
    client = client_for(reviewer)
    data = {
        "institution": durango.pk,
        "year": "2026",
        "kind": "design",
        "title": "Evaluación de diseño del PEI",
        "evaluator": "Consultora externa",
        "started_on": "10/03/2026",
        "ended_on": "01/03/2026",
    }
    response = client.post(reverse("improvement:evaluation_new"), data)
    assert response.status_code == 200
    assert "La conclusión no puede ser anterior al inicio." in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post(reverse("improvement:evaluation_new"), {**data, "ended_on": ""})
    evaluation = Evaluation.objects.get()
    assert response.url == reverse("improvement:evaluation", args=[evaluation.code])
    response = client.post(
        reverse("improvement:finding_add", args=[evaluation.code]),
        {"text": "El diagnóstico no desagrega por sexo."},
    )
    finding = Finding.objects.get()
    assert response.url == reverse("improvement:finding", args=[finding.code])
    response = client.post(
        reverse("improvement:action_add", args=[finding.code]),
        {
            "text": "Incorporar la desagregación por sexo",
            "kind": "specific",
            "priority": "high",
            "owner": durango.pk,
            "due_date": "31/10/2026",
        },
    )
    action = ImprovementAction.objects.get()
    assert response.url == reverse("improvement:action", args=[action.code])
    page = client.get(response.url).content.decode()
    assert "ASM H-2026-01.1" in page and "31/10/2026" in page


def test_outsiders_get_404_and_viewers_403(client_for, durango, outsider, viewer):
    evaluation = _evaluation(durango)
    finding = services.finding_add(
        actor=None, institution=durango, evaluation=evaluation, text="Hallazgo"
    )
    action = _action(finding, durango)
    pages = [
        reverse("improvement:evaluation", args=[evaluation.code]),
        reverse("improvement:finding", args=[finding.code]),
        reverse("improvement:action", args=[action.code]),
        reverse("improvement:cycle", args=[durango.slug]),
    ]
    for url in pages:
        assert client_for(outsider).get(url).status_code == 404, url
        assert client_for(viewer).get(url).status_code == 200, url
    post = reverse("improvement:finding_add", args=[evaluation.code])
    assert client_for(outsider).post(post, {"text": "x"}).status_code == 404
    assert client_for(viewer).post(post, {"text": "x"}).status_code == 403
    assert client_for(viewer).get(reverse("improvement:evaluation_new")).status_code == 403
    assert Finding.objects.count() == 1


def test_a_proposed_finding_is_decided_from_its_page(client_for, durango, reviewer):
    indicator = indicator_with_calendar(durango)
    approved(indicator, "2025-T1", Decimal(5))
    approved(indicator, "2025-T2", Decimal(5))
    finding = Finding.objects.get(status="proposed")
    client = client_for(reviewer)
    assert finding.label in client.get(reverse("improvement:home")).content.decode()
    url = reverse("improvement:finding_dismiss", args=[finding.code])
    client.post(url, {"reason": ""}, follow=True)
    finding.refresh_from_db()
    assert finding.status == "proposed"
    response = client.post(url, {"reason": "Dato capturado con error"}, follow=True)
    assert "Se descartó el hallazgo" in response.content.decode()
    finding.refresh_from_db()
    assert (finding.status, finding.decision_reason) == ("dismissed", "Dato capturado con error")


def _cycle_world(durango, size):
    for n in range(size):
        finding = services.finding_add(
            actor=None, institution=durango, evaluation=_evaluation(durango), text=f"H {n}"
        )
        _action(finding, durango)
        indicator_with_calendar(durango, name=f"Indicador {n}")


def test_the_cycle_page_shows_the_four_stages_in_constant_queries(client_for, durango, editor):
    client = client_for(editor)
    url = reverse("improvement:cycle", args=[durango.slug]) + "?anio=2026"
    _cycle_world(durango, 1)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    for stage in ("Planear", "Ejecutar", "Verificar", "Mejorar"):
        assert stage in page
    _cycle_world(durango, 4)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert 'ASM vencidos</a>: <strong class="alert">5</strong>' in page


def test_the_improvement_list_keeps_constant_queries(client_for, durango, coordinator):
    client = client_for(coordinator)
    url = reverse("improvement:home")
    _cycle_world(durango, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _cycle_world(durango, 5)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count("Evaluación externa 2026") == 6


def test_a_responsible_elsewhere_reads_the_asm_but_not_the_evaluation(
    client_for, durango, zacatecas
):
    evaluation = _evaluation(durango)
    finding = services.finding_add(
        actor=None, institution=durango, evaluation=evaluation, text="Hallazgo compartido"
    )
    action = services.action_add(
        actor=None,
        finding=finding,
        text="Coordinar con Zacatecas",
        kind="intergovernmental",
        priority="low",
        owner=durango,
        co_owners=[zacatecas],
        due_date=dt.date(2026, 12, 1),
    )
    partner = make_member("enlace.zac@prueba.test", zacatecas, Role.EDITOR)
    client = client_for(partner)
    assert client.get(reverse("improvement:action", args=[action.code])).status_code == 200
    assert client.get(reverse("improvement:evaluation", args=[evaluation.code])).status_code == 404


def test_an_overdue_asm_appears_in_the_owners_pending_list_with_its_link(
    client_for, durango, editor, outsider
):
    finding = services.finding_add(
        actor=None, institution=durango, evaluation=_evaluation(durango), text="Hallazgo"
    )
    action = _action(finding, durango, due=dt.date(2026, 3, 31))
    page = client_for(editor).get(reverse("work:list")).content.decode()
    assert "Aspecto susceptible de mejora" in page
    assert reverse("improvement:action", args=[action.code]) in page
    assert "venció el 31/03/2026" in page
    assert action.label not in client_for(outsider).get(reverse("work:list")).content.decode()


def test_the_asm_list_filters_by_institution_and_by_waiting_for_verification(
    client_for, durango, zacatecas, coordinator
):
    from transversal.followup.services import followup_mark_done, followup_note_add

    ours = _action(
        services.finding_add(
            actor=None, institution=durango, evaluation=_evaluation(durango), text="A"
        ),
        durango,
        due=dt.date(2026, 11, 30),
    )
    theirs = _action(
        services.finding_add(
            actor=None, institution=zacatecas, evaluation=_evaluation(zacatecas), text="B"
        ),
        zacatecas,
        due=dt.date(2026, 11, 30),
    )
    followup_note_add(actor=None, item=ours.followup, text="Listo")
    followup_mark_done(actor=None, item=ours.followup)
    client = client_for(coordinator)
    url = reverse("improvement:home")
    page = client.get(url, {"institucion": durango.slug}).content.decode()
    assert reverse("improvement:action", args=[ours.code]) in page
    assert reverse("improvement:action", args=[theirs.code]) not in page
    page = client.get(url, {"ver": "por-verificar"}).content.decode()
    assert reverse("improvement:action", args=[ours.code]) in page
    assert reverse("improvement:action", args=[theirs.code]) not in page


def test_the_asm_page_shows_the_latest_verification_in_the_same_queries_for_one_and_many(
    client_for, durango, editor, reviewer
):
    from django.utils import timezone

    from transversal.followup import services as followup

    finding = services.finding_add(
        actor=None, institution=durango, evaluation=_evaluation(durango), text="Hallazgo"
    )
    item = _action(finding, durango).followup
    url = reverse("improvement:action", args=[ImprovementAction.objects.get().code])
    client = client_for(reviewer)

    def refused(index):
        followup.followup_note_add(actor=editor, item=item, text=f"Avance {index}")
        followup.followup_mark_done(actor=editor, item=item)
        followup.followup_reopen(actor=reviewer, item=item, reason=f"Falta evidencia {index}.")

    refused(0)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(1, 5):
        refused(index)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    # Only the latest decision, with the day, the institution and the person who refused it.
    assert "Verificación rechazada" in page and "Falta evidencia 4." in page
    assert "Falta evidencia 3." not in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"<dd>{today}</dd>" in page and f"{durango} (revision)" in page
    # the ASM with its finding and follow-up, co-owners, notes with their authors, evidence,
    # the latest verification event with its person, the four-eyes check and the header's
    assert len(one) == len(many), len(many)
