""" "Mis pendientes" (issue 12, item 1): the editor's and reviewer's work on the home page and at
/pendientes/, every count a link to its filtered list, every row a link to its form, bulk send,
the indicator calendar's statuses, and notices kept on the site."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from transversal.accounts.models import Notification
from transversal.monitoring import worklist
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import periods_generate, update_return, update_save
from transversal.monitoring.tests.factories import (
    approved,
    draft,
    indicator_with_calendar,
    submitted,
)

pytestmark = pytest.mark.django_db

HOME = reverse("site:home")
WORK = reverse("work:list")


def period_url(indicator, label):
    return reverse("monitoring:period", args=[indicator.code, label])


@pytest.fixture
def durango_work(durango, editor, reviewer, django_capture_on_commit_callbacks):
    """Durango's 2025 calendar (all overdue by now): T1 approved, T2 returned, T3 draft, T4 none.
    The e-mails and notices go out as after a real commit."""
    with django_capture_on_commit_callbacks(execute=True):
        indicator = indicator_with_calendar(durango, name="Mujeres capacitadas")
        approved(indicator, "2025-T1", actor=editor)
        update = submitted(indicator, "2025-T2", actor=editor)
        update_return(actor=reviewer, update=update, comment="Falta la lista.")
        draft(indicator, "2025-T3", actor=editor)
    return indicator


@pytest.fixture
def zacatecas_work(zacatecas):
    return indicator_with_calendar(zacatecas, name="Refugios de Zacatecas")


class TestTheRule:
    TODAY = dt.date(2026, 12, 7)

    @pytest.mark.parametrize(
        ("status", "due", "expected", "overdue"),
        [
            (None, dt.date(2026, 12, 31), "sin_reporte", False),
            (None, dt.date(2026, 12, 6), "vencido", True),
            ("draft", dt.date(2026, 12, 31), "borrador", False),
            ("draft", dt.date(2026, 1, 1), "vencido", True),
            ("returned", dt.date(2026, 1, 1), "devuelto", True),
            ("returned", dt.date(2027, 1, 1), "devuelto", False),
            ("submitted", dt.date(2026, 1, 1), "enviado", False),
            ("approved", dt.date(2026, 1, 1), "aprobado", False),
            (None, TODAY, "sin_reporte", False),  # due today is not overdue yet
        ],
    )
    def test_one_status_per_period(self, status, due, expected, overdue):
        result = worklist.period_status(status, due, self.TODAY)
        assert (result.key, result.overdue) == (expected, overdue)


class TestTheHomePage:
    def test_the_editor_sees_counts_that_link_to_filtered_lists(
        self, client_for, editor, durango_work
    ):
        page = client_for(editor).get(HOME).content.decode()
        assert "Mis pendientes" in page
        tiles = dict(
            re.findall(r'href="/pendientes/\?ver=(\w+)"><span class="counter-figure">(\d+)<', page)
        )
        # T2 (returned), T3 (draft), T4 (no report) are overdue; T1 is approved.
        assert tiles == {
            "vencidos": "3",
            "proximos": "0",
            "devueltos": "1",
            "borradores": "1",
            "enviados": "0",
        }

    def test_the_most_urgent_periods_link_to_their_forms(self, client_for, editor, durango_work):
        page = client_for(editor).get(HOME).content.decode()
        for label in ("2025-T2", "2025-T3", "2025-T4"):
            assert f'href="{period_url(durango_work, label)}"' in page
        assert f'href="{period_url(durango_work, "2025-T1")}"' not in page  # approved

    def test_reviewers_see_what_waits_for_them(self, client_for, reviewer, durango_work, editor):
        submitted(durango_work, "2025-T4", actor=editor)
        page = client_for(reviewer).get(HOME).content.decode()
        queue = reverse("monitoring:review_queue")
        assert re.search(rf'href="{queue}"><span class="counter-figure">1<', page)

    def test_visitors_and_people_without_membership_see_no_work(self, client):
        page = client.get(HOME).content.decode()
        assert "Mis pendientes" not in page

    def test_an_outsider_never_counts_another_states_work(self, client_for, outsider, durango_work):
        page = client_for(outsider).get(HOME).content.decode()
        assert "Mujeres capacitadas" not in page
        assert 'href="/pendientes/?ver=vencidos"><span class="counter-figure">0<' in page


class TestTheList:
    def test_each_filter_lists_its_periods(self, client_for, editor, durango_work):
        client = client_for(editor)

        def listed(show):
            response = client.get(WORK, {"ver": show} if show else {})
            return sorted(row.label for row in response.context["rows"])

        assert listed("vencidos") == ["2025-T2", "2025-T3", "2025-T4"]
        assert listed("devueltos") == ["2025-T2"]
        assert listed("borradores") == ["2025-T3"]
        assert listed("enviados") == []
        assert listed("") == ["2025-T2", "2025-T3", "2025-T4"]

    def test_rows_say_their_status_and_link_to_the_form(self, client_for, editor, durango_work):
        page = client_for(editor).get(WORK).content.decode()
        assert f'href="{period_url(durango_work, "2025-T2")}"' in page
        assert "Devuelto</span> · <span" in page  # returned and late
        assert ">Vencido<" in page
        assert page.count("con borrador guardado") == 1  # 2025-T3: overdue, its draft saved

    def test_periods_due_within_30_days_are_listed(self, client_for, editor, durango):
        today = timezone.localdate()
        indicator = indicator_with_calendar(durango, name="Indicador por vencer")
        year = today.year + 1
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 6, 30)
        )
        # Pin the due dates around "today": one within 30 days, one just beyond.
        indicator.periods.filter(label=f"{year}-T1").update(due_date=today + dt.timedelta(30))
        indicator.periods.filter(label=f"{year}-T2").update(due_date=today + dt.timedelta(31))
        response = client_for(editor).get(WORK, {"ver": "proximos"})
        assert [r.label for r in response.context["rows"]] == [f"{year}-T1"]

    def test_the_national_coordinator_filters_by_state(
        self, client_for, coordinator, durango_work, zacatecas_work
    ):
        client = client_for(coordinator)
        everything = client.get(WORK, {"ver": "vencidos"}).context["rows"]
        assert {r.indicator.owner.state.code for r in everything} == {"10", "32"}
        durango_only = client.get(WORK, {"ver": "vencidos", "entidad": "10"}).context["rows"]
        assert {r.indicator.owner.state.code for r in durango_only} == {"10"}

    def test_a_state_editor_cannot_list_another_state(
        self, client_for, editor, durango_work, zacatecas_work
    ):
        response = client_for(editor).get(WORK, {"entidad": "32"})
        rows = response.context["rows"]
        assert rows and all(r.indicator.owner.state.code == "10" for r in rows)

    def test_anonymous_people_are_sent_to_sign_in(self, client):
        response = client.get(WORK)
        assert response.status_code == 302 and "/entrar/" in response["Location"]

    def test_the_list_takes_the_same_queries_for_few_and_many_periods(
        self, client_for, editor, durango, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(editor)
        indicator_with_calendar(durango, name="Uno")
        with CaptureQueriesContext(connection) as few:
            client.get(WORK)
        for n in range(5):
            other = indicator_with_calendar(durango, name=f"Otro {n}")
            draft(other, "2025-T1")
        with CaptureQueriesContext(connection) as many:
            response = client.get(WORK)
        assert len(response.context["rows"]) == 4 + 5 * 4
        assert len(few) == len(many)


class TestTheDashboardTiles:
    def test_the_state_dashboards_counts_link_to_the_lists(
        self, client_for, coordinator, durango_work
    ):
        page = client_for(coordinator).get(reverse("dashboards:state", args=["10"]))
        page = page.content.decode()
        assert 'href="/pendientes/?ver=vencidos&amp;entidad=10"' in page
        assert f'href="{reverse("monitoring:review_queue")}?entidad=10"' in page

    def test_the_national_dashboards_counts_link_to_the_lists(
        self, client_for, coordinator, durango_work
    ):
        page = client_for(coordinator).get(reverse("dashboards:national")).content.decode()
        assert 'href="/pendientes/?ver=vencidos"' in page
        assert f'href="{reverse("monitoring:review_queue")}"' in page


class TestBulkSend:
    @pytest.fixture
    def drafts(self, durango):
        indicator = indicator_with_calendar(durango, name="Importado")
        return [draft(indicator, label) for label in ("2025-T1", "2025-T2", "2025-T3")]

    @staticmethod
    def choice(update):
        return f"{update.code}.{update.version}"

    def test_the_chosen_drafts_are_sent_and_the_rest_stay(self, client_for, editor, drafts):
        client = client_for(editor)
        response = client.post(
            reverse("work:submit"),
            {
                "avance": [self.choice(drafts[0]), self.choice(drafts[1])],
                "filters": "ver=borradores",
            },
            follow=True,
        )
        assert "Se enviaron 2 avances a revisión." in response.content.decode()
        assert response.redirect_chain[-1][0] == f"{WORK}?ver=borradores"
        statuses = [ProgressUpdate.objects.get(pk=u.pk).status for u in drafts]
        assert statuses == [UpdateStatus.SUBMITTED, UpdateStatus.SUBMITTED, UpdateStatus.DRAFT]

    def test_a_refused_one_says_why_and_the_others_go(self, client_for, editor, durango, drafts):
        strict = indicator_with_calendar(durango, name="Con evidencia", evidence_required=True)
        lacking = draft(strict, "2025-T1")
        response = client_for(editor).post(
            reverse("work:submit"),
            {"avance": [self.choice(lacking), self.choice(drafts[0])]},
            follow=True,
        )
        page = response.content.decode()
        assert "Se envió 1 avance a revisión." in page
        assert (
            "No se envió «Con evidencia», 2025 T1" in page or "No se envió «Con evidencia»" in page
        )
        assert "medio de verificación" in page
        assert ProgressUpdate.objects.get(pk=lacking.pk).status == UpdateStatus.DRAFT

    def test_a_draft_changed_since_the_list_was_shown_is_not_sent(self, client_for, editor, drafts):
        seen = self.choice(drafts[0])
        update_save(
            actor=None,
            period=drafts[0].period,
            expected_version=drafts[0].version,
            value=Decimal(3),
        )
        response = client_for(editor).post(reverse("work:submit"), {"avance": [seen]}, follow=True)
        assert "Otra persona lo modificó" in response.content.decode()
        assert ProgressUpdate.objects.get(pk=drafts[0].pk).status == UpdateStatus.DRAFT

    def test_viewers_and_outsiders_send_nothing(self, client_for, viewer, outsider, drafts):
        for person in (viewer, outsider):
            response = client_for(person).post(
                reverse("work:submit"), {"avance": [self.choice(drafts[0])]}, follow=True
            )
            assert "no existe o usted no puede enviarlo" in response.content.decode()
        assert ProgressUpdate.objects.get(pk=drafts[0].pk).status == UpdateStatus.DRAFT

    def test_nothing_chosen_is_said_plainly(self, client_for, editor, drafts):
        response = client_for(editor).post(reverse("work:submit"), {}, follow=True)
        assert "Elija al menos un avance" in response.content.decode()

    def test_a_draft_of_a_period_that_has_not_ended_gets_no_checkbox(
        self, client_for, editor, durango
    ):
        indicator = indicator_with_calendar(durango, name="Aún en curso")
        year = timezone.localdate().year + 1
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 3, 31)
        )
        draft(indicator, f"{year}-T1")  # update_submit would refuse it: the period is under way
        page = client_for(editor).get(WORK, {"ver": "borradores"}).content.decode()
        assert 'type="checkbox" name="avance"' not in page

    def test_the_list_offers_checkboxes_for_drafts_only(self, client_for, editor, drafts):
        submitted_one = drafts[2]
        from transversal.monitoring.services import update_submit

        update_submit(actor=None, update=submitted_one, expected_version=submitted_one.version)
        page = client_for(editor).get(WORK, {"ver": "borradores"}).content.decode()
        assert page.count('type="checkbox" name="avance"') == 2
        page = client_for(editor).get(WORK, {"ver": "enviados"}).content.decode()
        assert 'type="checkbox" name="avance"' not in page


class TestTheCalendar:
    def test_each_period_shows_its_status_value_and_evidence_and_links_to_its_form(
        self, client_for, editor, durango_work
    ):
        page = client_for(editor).get(reverse("monitoring:detail", args=[durango_work.code]))
        page = page.content.decode()
        calendar = page.split("Calendario de reporte")[1]
        for label in ("2025-T1", "2025-T2", "2025-T3", "2025-T4"):
            assert f'href="{period_url(durango_work, label)}"' in calendar
        for status in ("Aprobado", "Devuelto", "Vencido"):
            assert status in calendar
        assert "Abierto" not in calendar
        assert ">95<" in calendar  # the approved value


class TestNotices:
    def test_a_return_is_kept_as_a_notice_for_whoever_captured(
        self, client_for, editor, durango_work
    ):
        notice = Notification.objects.get(recipient=editor, subject__icontains="devuelto")
        assert notice.body in [m.body for m in mail.outbox if editor.email in m.to]
        assert "Falta la lista." in notice.body
        page = client_for(editor).get(reverse("accounts:notifications")).content.decode()
        assert notice.subject in page and "nuevo" in page

    def test_reading_a_notice_marks_it_and_opens_its_link(self, client_for, editor, durango_work):
        notice = Notification.objects.filter(recipient=editor).first()
        response = client_for(editor).post(
            reverse("accounts:notifications_read"), {"aviso": str(notice.code), "abrir": "1"}
        )
        assert response.status_code == 302 and response["Location"] == notice.url
        notice.refresh_from_db()
        assert notice.read_at is not None

    def test_marking_all_as_read_touches_only_the_persons_own(
        self, client_for, editor, reviewer, durango_work
    ):
        others = Notification.objects.filter(recipient=reviewer, read_at__isnull=True).count()
        assert others  # the reviewer was told of the submissions
        client_for(editor).post(reverse("accounts:notifications_read"), {"todos": "1"})
        assert not Notification.objects.filter(recipient=editor, read_at__isnull=True).exists()
        assert Notification.objects.filter(recipient=reviewer, read_at__isnull=True).count() == (
            others
        )

    def test_someone_elses_notice_cannot_be_marked(
        self, client_for, editor, reviewer, durango_work
    ):
        notice = Notification.objects.filter(recipient=reviewer).first()
        client_for(editor).post(reverse("accounts:notifications_read"), {"aviso": str(notice.code)})
        notice.refresh_from_db()
        assert notice.read_at is None

    def test_the_home_page_says_how_many_are_unread(self, client_for, editor, durango_work):
        # approved (2025-T1) and returned (2025-T2)
        page = client_for(editor).get(HOME).content.decode()
        assert "Tiene 2 avisos sin leer." in page
