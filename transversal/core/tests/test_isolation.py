"""Tenant isolation, proven by crawling every URL in the URLconf.

The routes come from ``iter_views`` (so a new route is crawled without touching this file);
their parameters are filled with objects of Durango (A) and Zacatecas (B), public and
private (isolation_world.py); each address is requested by every persona. Skipped: the
Django admin (it checks staff status itself) and static files (not in the URLconf).

The crawl runs once per module inside a transaction that is rolled back, and every request
runs in its own savepoint that is rolled back too, so one persona's write never changes
what the next persona sees. The tests below then read the recorded answers.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.db import DatabaseError, transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from transversal.core.access import PROTECTED, access_of, iter_views
from transversal.core.tests.isolation_world import World, build_world

# The marker makes pytest-django create the test database; the crawl itself runs in a
# module-scoped fixture so the world is built once.
# One worker builds the world once and crawls it (--dist loadgroup); `make test-fast` skips it.
pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.xdist_group("isolation-crawl")]

SKIPPED_NAMESPACES = {"admin"}

# Which objects a route's parameters point at, by the start of the route (first match wins; a
# trailing "$" matches the whole route).
ROUTE_KINDS: list[tuple[str, str]] = [
    (r"instituciones/<slug:slug>/integrantes/<uuid:code>/", "membership"),
    (r"instituciones/<slug:slug>/", "institution"),
    (r"historial/<slug:kind>/<str:code>/", "history"),
    (r"planes/importar/<str:code>/", "plan_import"),
    (r"planes/(nuevo|perfil)/<slug:slug>/", "institution"),
    (r"planes/<slug:code>/alineaciones/", "alignment"),
    (r"planes/<slug:code>/", "plan"),
    (r"convenios/asistencia/registro/<uuid:code>/", "assistance"),
    (r"convenios/asistencia/<str:state_code>/", "state"),
    (r"convenios/<uuid:code>/modificatorios/<int:number>/", "amendment"),
    (r"convenios/<uuid:code>/compromisos/<str:party>/", "commitment"),
    (r"convenios/<uuid:code>/metas/<uuid:goal_code>/", "goal"),
    (r"convenios/<uuid:code>/", "agreement"),
    (r"indicadores/revision/<uuid:code>/", "update"),
    (r"indicadores/hojas/<slug:slug>/importar/<uuid:token>/", "sheet_pending"),
    (r"indicadores/(hojas|nuevo)/<slug:slug>/", "institution"),
    (r"indicadores/avances/<uuid:code>/", "update"),
    (r"indicadores/evidencias/<str:code>/", "evidence"),
    (r"indicadores/<str:code>/periodos/<str:label>/", "period"),
    (r"indicadores/<str:code>/", "indicator"),
    (r"registros/evidencias/<uuid:code>/", "register_evidence"),
    (r"registros/<register:register>/<uuid:code>/", "register_entry"),
    (r"registros/indicadores/<uuid:code>/periodos/<str:label>/", "period"),  # a feed's proposal
    (r"registros/indicadores/<uuid:code>/", "indicator"),  # an indicator's register source
    (r"registros/<register:register>/$", "register"),  # a register's list
    (r"registros/<register:register>/exportar/", "register"),
    (r"registros/<register:register>/nuevo/", "register"),
    (r"entidades/<str:code>/", "state"),
    (r"tableros/entidad/<str:code>/", "state"),
    (r"tableros/indicador/<str:code>/", "indicator"),
    (r"reportes/trabajos/<uuid:code>/", "report_job"),
    (r"trabajos/<uuid:code>/", "job"),
    (r"api/v1/tokens/<uuid:code>/", "api_token"),
    (r"api/v1/institutions/<slug>", "institution"),
    (r"api/v1/plans/<code>", "plan"),
    (r"api/v1/agreements/<code>", "agreement"),
    (r"api/v1/indicators/<code>/periods/<label>/", "period"),
    (r"api/v1/indicators/<code>", "indicator"),
    (r"api/v1/updates/<code>", "update"),
    (r"api/v1/systems/<code>", "api_system"),
    (r"api/v1/sessions/<code>", "api_session"),
    (r"api/v1/resolutions/<code>", "api_resolution"),
    (r"api/v1/evaluations/<code>", "api_evaluation"),
    (r"api/v1/findings/<code>", "api_finding"),
    (r"api/v1/improvement-actions/<code>", "api_improvement_action"),
    (r"api/v1/work-programmes/<code>", "api_programme"),
    (r"api/v1/^(?P<rest>", "api_unknown"),
    (r"portal/entidades/<str:slug>/", "state"),
    (r"portal/instituciones/<str:slug>/", "institution"),
    (r"portal/planes/<str:code>/", "plan"),
    (r"portal/convenios/<str:code>/", "agreement"),
    (r"portal/indicadores/<str:code>/", "indicator"),
    (r"portal/evidencias/<str:code>/", "evidence"),
    (r"datos/<slug:name>.", "dataset"),
    (r"coordinacion/sistemas/<uuid:code>/", "system"),
    (r"coordinacion/sesiones/<uuid:code>/", "session"),
    (r"coordinacion/acuerdos/<uuid:code>/", "resolution"),
    (r"mejora/evaluaciones/<uuid:code>/", "evaluation"),
    (r"mejora/informes/<uuid:code>/", "evaluation_report"),
    (r"mejora/hallazgos/<uuid:code>/", "finding"),
    (r"mejora/asm/<uuid:code>/", "asm"),
    (r"mejora/ciclo/<slug:slug>/", "cycle"),
    (r"programas/asistencia/<uuid:code>/", "assistance_request"),
    (r"programas/actas/<uuid:code>/", "closing_document"),
    (r"programas/<uuid:code>/trimestre/<int:quarter>/", "programme_quarter"),
    (r"programas/<uuid:code>/metas/<int:number>/", "programme_line"),
    (r"programas/<uuid:code>/$", "programme"),  # the page: a programme in every stage
    (r"programas/<uuid:code>/", "programme_action"),  # the actions: a draft and a closed one
    (r"reportes/programa/<uuid:code>.", "quarterly_report"),
    (r"seguimiento/evidencias/<uuid:code>/", "followup_evidence"),
    (r"seguimiento/<uuid:code>/", "followup"),
    (r"recuperar/<uidb64>/<token>/", "password_reset"),
    (r"observatorio/armonizacion/matriz.<str:fmt>", "harm_download"),
    (r"observatorio/armonizacion/disposiciones/<slug:slug>/", "harm_provision"),
    (r"observatorio/armonizacion/entidades/<str:code>/", "state"),
    (r"observatorio/armonizacion/celdas/<str:code>/", "harm_cell"),
    (r"observatorio/armonizacion/propuestas/<str:code>/", "harm_proposal"),
    (r"observatorio/armonizacion/gestion/<slug:slug>/", "harm_provision"),
    (r"observatorio/estadisticas/fuentes/<slug:slug>/", "gs_source"),
    (r"observatorio/estadisticas/indicadores/<slug:slug>/", "gs_indicator"),
    (r"observatorio/estadisticas/importar/<uuid:code>/", "gs_import"),
    (r"portal/estadisticas/<slug:slug>/", "gs_indicator"),
    # The registers' import (before any rule for registros/<register:register>/).
    (r"registros/<register:register>/importar/<slug:slug>/<uuid:token>/", "register_pending"),
    (r"registros/<register:register>/importar/<slug:slug>/", "register_import"),
    (r"registros/<register:register>/importar/$", "register_import_start"),
]

# Routes with parameters the crawler may leave unfilled, each with the reason. Empty: keep it so.
UNFILLABLE_ALLOWED: dict[str, str] = {}

# Known findings: (route, object label without its state) -> reason, excluded from the general
# tests while open. Empty: the two leaks found by this crawler (a published plan's item page and
# history showing a draft plan's text) are fixed and guarded by the two tests at the end.
KNOWN_FINDINGS: dict[tuple[str, str], str] = {}

# Writes a read-only member may make on purpose, with the reason.
VIEWER_WRITES_ALLOWED: dict[str, str] = {}
# Objects that belong to one person, not to the institution: other members get 404.
PERSONAL_KINDS = {"api_token"}
# API writes carry a well-formed body, so the access check, not schema validation, answers.
API_WRITE_BODY = '{"expected_version": 1, "value": 1}'

MATRIX_FLOOR = 3000  # requests; the world and URLconf give well above this

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
LOGIN_PATH = "/entrar/"


@dataclass(frozen=True)
class Answer:
    route: str
    kind: str
    target: str
    state: str | None
    private: bool
    persona: str
    persona_states: frozenset
    method: str
    status: int
    location: str
    leaked: tuple[str, ...]  # private markers of states the persona may not read
    seen: tuple[str, ...]  # every private marker in the body
    wrote: bool | None  # whether the request left an audit event (None: could not tell)
    error: str
    is_api: bool
    protected: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.route, self.target.split(":", 1)[-1])

    def __str__(self) -> str:
        extra = f" → {self.location}" if self.location else ""
        return (
            f"{self.method} {self.route} [{self.target}] as {self.persona}: "
            f"{self.status}{extra} {self.error}"
        )


@dataclass
class Crawl:
    answers: list[Answer]
    unfilled: dict[str, str]
    routes: int
    personas: int
    targets: int


def route_params(route: str) -> list[str]:
    return [m.group("name") for m in REGEX_GROUP.finditer(route)] + [
        m.group("name") for m in PARAM.finditer(REGEX_GROUP.sub("", route))
    ]


def kind_of(route: str) -> str | None:
    for prefix, kind in ROUTE_KINDS:
        whole = prefix.endswith("$")
        pattern = (
            re.escape(prefix.removesuffix("$"))
            .replace(r"\(nuevo\|perfil\)", "(nuevo|perfil)")
            .replace(r"\(hojas\|nuevo\)", "(hojas|nuevo)")
        )
        if re.match(pattern + ("$" if whole else ""), route):
            return kind
    return None


def fill(route: str, values: dict) -> str:
    url = REGEX_GROUP.sub(lambda m: str(values[m.group("name")]), route)
    url = PARAM.sub(lambda m: str(values[m.group("name")]), url)
    return "/" + url.replace("^", "").replace("$", "")


def targets_for(route: str, world: World):
    """[(target, values)] for a route, or a string saying why it cannot be filled."""
    params = route_params(route)
    if not params:
        return [(None, {})]
    kind = kind_of(route)
    if kind is None:
        return f"no ROUTE_KINDS entry for parameters {params}"
    if kind == "history":
        from transversal.audit.registry import _REGISTRY

        rows = []
        for key in sorted(_REGISTRY):
            if key not in world.history_kinds:
                return f"history kind {key!r} has no objects in the world"
            for target in world.targets[world.history_kinds[key]]:
                code = target.values.get("code", target.values.get("slug"))
                rows.append((target, {"kind": key, "code": code}))
        return rows
    rows = [(t, t.values) for t in world.targets.get(kind, [])]
    missing = {p for p in params for _t, values in rows if p not in values}
    if not rows or missing:
        return f"{kind} objects lack values for {sorted(missing) or params}"
    return rows


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX, DOCX: the text lives in the zipped XML parts
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "".join(
                    archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return content.decode("utf-8", "ignore")


def is_api(route: str, namespace: str, callback) -> bool:
    """Ninja operations (Bearer tokens); the token pages under api/v1/tokens/ are HTML views."""
    return namespace == "api" and not route.startswith("api/v1/tokens")


def _request(client: Client, method: str, url: str, headers: dict, *, api: bool):
    from transversal.audit.models import AuditEvent

    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        before = AuditEvent.objects.count()
        if method == "GET":
            response = client.get(url, headers=headers)
        elif api:
            response = client.generic(
                method, url, data=API_WRITE_BODY, content_type="application/json", headers=headers
            )
        else:
            response = (
                client.generic(method, url, headers=headers)
                if method != "POST"
                else client.post(url, {}, headers=headers)
            )
        text = body_text(response)
        try:
            wrote = AuditEvent.objects.count() > before
        except DatabaseError:
            wrote = None
        transaction.set_rollback(True)
    client.cookies = SimpleCookie()
    for key, value in cookies.items():
        client.cookies[key] = value
    error = ""
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        error = repr(response.exc_info[1])[:300]
    return response, text, wrote, error


def crawl(world: World) -> Crawl:
    answers: list[Answer] = []
    unfilled: dict[str, str] = {}
    routes = 0
    all_markers = {state: markers for state, markers in world.markers.items()}
    html_clients, api_clients = {}, {}
    for persona in world.personas:
        html = Client(raise_request_exception=False)
        if persona.user is not None:
            html.force_login(persona.user, backend="django.contrib.auth.backends.ModelBackend")
        html_clients[persona.name] = html
        api_clients[persona.name] = (
            Client(raise_request_exception=False),
            {"Authorization": f"Bearer {persona.secret}"} if persona.secret else {},
        )
    target_count = 0
    for route, namespace, callback in iter_views():
        if namespace in SKIPPED_NAMESPACES:
            continue
        rows = targets_for(route, world)
        if isinstance(rows, str):
            unfilled[route] = rows
            continue
        routes += 1
        api = is_api(route, namespace, callback)
        protected = access_of(callback) == PROTECTED
        for target, values in rows:
            url = fill(route, values)
            try:
                match = resolve(url.split("?")[0])
            except Resolver404:
                unfilled[route] = f"{url} does not resolve"
                continue
            if match.route != route.replace("^", ""):
                unfilled[route] = f"{url} resolves to {match.route!r} (shadowed)"
                continue
            target_count += 1
            for persona in world.personas:
                client, headers = (
                    api_clients[persona.name] if api else (html_clients[persona.name], {})
                )
                outsider = (
                    target is not None
                    and target.state is not None
                    and target.state not in persona.states
                )
                must_not_write = persona.name == "A viewer" or outsider or persona.user is None
                methods = ["GET"]
                for method in methods:
                    response, text, wrote, error = _request(client, method, url, headers, api=api)
                    if method == "GET" and response.status_code == 405:
                        allowed = [
                            m.strip() for m in response.get("Allow", "POST").split(",") if m.strip()
                        ]
                        methods.extend(m for m in allowed if m not in ("GET", "HEAD", "OPTIONS"))
                    elif method == "GET" and must_not_write and protected and target is not None:
                        methods.append("PUT" if api else "POST")
                    seen = tuple(
                        mk for markers in all_markers.values() for mk in markers if mk in text
                    )
                    leaked = tuple(
                        mk
                        for state, markers in all_markers.items()
                        if state not in persona.states
                        for mk in markers
                        if mk in text
                    )
                    answers.append(
                        Answer(
                            route=route,
                            kind=target.kind if target else "-",
                            target=target.label if target else "-",
                            state=target.state if target else None,
                            private=bool(target and target.private),
                            persona=persona.name,
                            persona_states=persona.states,
                            method=method,
                            status=response.status_code,
                            location=response.get("Location", ""),
                            leaked=leaked,
                            seen=seen,
                            wrote=wrote,
                            error=error,
                            is_api=api,
                            protected=protected,
                        )
                    )
    return Crawl(answers, unfilled, routes, len(world.personas), target_count)


# Session scope: the crawl rolls its world back and returns plain data, so it is kept until
# the worker ends; a module fixture was built again whenever the worker ran another module's
# tests in between (about a minute each time).
@pytest.fixture(scope="session")
def result(django_db_setup, django_db_blocker, tmp_path_factory) -> Crawl:
    overrides = {
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "REPORTS_RUN_INLINE": False,
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    with django_db_blocker.unblock(), override_settings(**overrides), transaction.atomic():
        world = build_world()
        outcome = crawl(world)
        transaction.set_rollback(True)
    return outcome


def _known(answer: Answer) -> bool:
    return answer.key in KNOWN_FINDINGS


def _report(rows: list[Answer], limit: int = 40) -> str:
    return "\n".join(str(row) for row in rows[:limit]) + (
        f"\n… and {len(rows) - limit} more" if len(rows) > limit else ""
    )


def test_every_route_is_filled_from_the_world(result):
    unexpected = {
        route: why for route, why in result.unfilled.items() if route not in UNFILLABLE_ALLOWED
    }
    assert not unexpected, (
        "routes the crawler could not fill (add them to ROUTE_KINDS or the world):\n"
        + "\n".join(f"{route}: {why}" for route, why in unexpected.items())
    )


def test_the_matrix_is_large(result):
    print(
        f"\nisolation matrix: {result.routes} routes × {result.personas} personas × "
        f"{result.targets} (route, object) pairs = {len(result.answers)} requests"
    )
    assert result.routes >= 120
    assert len(result.answers) >= MATRIX_FLOOR


def test_no_request_answers_500(result):
    failures = [a for a in result.answers if a.status >= 500 and not _known(a)]
    assert not failures, _report(failures)


def _outsider_on_private(answer: Answer) -> bool:
    return answer.private and answer.state is not None and answer.state not in answer.persona_states


def _acceptable_outsider_status(answer: Answer) -> bool:
    if answer.is_api:
        return (
            answer.status in (401, 404, 405)
            if answer.persona == "anonymous"
            else answer.status in (404, 405)
        )
    if answer.persona == "anonymous" and answer.status == 302:
        return answer.location.startswith(LOGIN_PATH)
    return answer.status in (404, 405)


def test_outsiders_never_reach_another_states_private_objects(result):
    failures = [
        a
        for a in result.answers
        if _outsider_on_private(a) and not _acceptable_outsider_status(a) and not _known(a)
    ]
    assert not failures, _report(failures)


def test_the_read_only_member_never_succeeds_on_a_write(result):
    writes = [
        a
        for a in result.answers
        if a.persona == "A viewer" and a.method != "GET" and a.state == "A"
    ]
    assert writes, "the crawler sent no writes as the read-only member"
    failures = [
        a
        for a in writes
        if a.status not in (403, 405)
        and not _known(a)
        and a.route not in VIEWER_WRITES_ALLOWED
        and not (a.kind in PERSONAL_KINDS and a.status == 404)
    ]
    assert not failures, _report(failures)


def test_no_outsider_anonymous_or_viewer_request_changes_anything(result):
    failures = [
        a
        for a in result.answers
        if a.wrote
        and (
            a.persona in ("anonymous", "A viewer") or (a.state and a.state not in a.persona_states)
        )
        and not _known(a)
        and not (a.persona == "A viewer" and a.route in VIEWER_WRITES_ALLOWED)
    ]
    assert not failures, _report(failures)


def test_no_private_marker_reaches_a_persona_outside_its_state(result):
    failures = [a for a in result.answers if a.leaked and not _known(a)]
    assert not failures, (
        _report(failures) + "\n" + "\n".join(f"{a.key}: {a.leaked}" for a in failures[:10])
    )


def test_the_markers_are_visible_to_members_so_the_leak_check_can_fail(result):
    seen_by_members = {
        mk for a in result.answers if a.persona in ("A editor", "coordinator") for mk in a.seen
    }
    assert any(mk.startswith("qxsecretoduranq") for mk in seen_by_members)
    assert any(mk.startswith("qxsecretozacatq") for mk in seen_by_members)


def test_members_reach_their_own_private_objects(result):
    ok = [
        a
        for a in result.answers
        if a.persona == "A editor" and a.state == "A" and a.private and a.status == 200
    ]
    assert len(ok) >= 30


def _finding(result: Crawl, key: tuple[str, str]) -> list[Answer]:
    rows = [a for a in result.answers if a.key == key]
    assert rows, f"the crawl no longer requests {key}"
    return rows


def test_a_published_plans_item_page_hides_alignments_to_draft_plans(result):
    rows = _finding(result, ("planes/<slug:code>/elementos/<int:item_id>/", "published-plan"))
    leaks = [a for a in rows if a.leaked]
    assert not leaks, _report(leaks)


def test_a_published_plans_history_hides_draft_plan_text(result):
    rows = _finding(result, ("historial/<slug:kind>/<str:code>/", "published-plan"))
    leaks = [a for a in rows if a.leaked]
    assert not leaks, _report(leaks)


def test_known_findings_break_no_other_rule(result):
    """The findings are excluded from the general tests only for their leak, not for status
    codes."""
    rows = [a for a in result.answers if _known(a)]
    assert not [a for a in rows if a.status >= 500 or a.wrote]


# The convenio's yearly cycle (workprogrammes, its deliverables and history): stated once more
# route by route, so a new page of the cycle cannot slip through a general rule's exception.
WORK_PROGRAMME_KINDS = {
    "programme",
    "programme_action",
    "programme_line",
    "programme_quarter",
    "quarterly_report",
    "closing_document",
    "assistance_request",
}
# What a reader opens (GET only, but for the quarter's page, where its writers also POST).
WORK_PROGRAMME_PAGES = {
    "programas/<uuid:code>/",
    "programas/<uuid:code>/trimestre/<int:quarter>/",
    "programas/actas/<uuid:code>/",
    "programas/asistencia/<uuid:code>/",
    "reportes/programa/<uuid:code>.pdf",
    "reportes/programa/<uuid:code>.docx",
    "historial/<slug:kind>/<str:code>/",
}


def _wrong_method(answer: Answer) -> bool:
    if answer.status != 405:
        return False
    if answer.method == "GET":
        return True
    return answer.route in WORK_PROGRAMME_PAGES - {"programas/<uuid:code>/trimestre/<int:quarter>/"}


def _work_programme_routes() -> set[str]:
    """Every route of the cycle that points at an object: the app's, the deliverables'."""
    return {
        route
        for route, namespace, _callback in iter_views()
        if (namespace == "workprogrammes" or route.startswith("reportes/programa/"))
        and route_params(route)
    }


def _of_the_cycle(answer: Answer) -> bool:
    return answer.kind in WORK_PROGRAMME_KINDS and answer.state is not None


def test_outsiders_get_404_on_every_work_programme_address(result):
    rows = [
        a
        for a in result.answers
        if _of_the_cycle(a) and a.persona != "anonymous" and a.state not in a.persona_states
    ]
    missing = _work_programme_routes() - {a.route for a in rows}
    assert not missing, f"routes no outsider requested: {sorted(missing)}"
    assert {a.method for a in rows} >= {"GET", "POST"}
    # A POST-only address answers GET with 405 before it looks at the object, a page POST.
    failures = [a for a in rows if a.status != 404 and not _wrong_method(a)]
    assert not failures, _report(failures)


def test_the_read_only_member_gets_403_on_every_work_programme_write(result):
    rows = [
        a
        for a in result.answers
        if _of_the_cycle(a) and a.persona == "A viewer" and a.method != "GET" and a.state == "A"
    ]
    writes = _work_programme_routes() - WORK_PROGRAMME_PAGES
    missing = writes - {a.route for a in rows if a.status == 403}
    assert not missing, f"writes the read-only member was not refused with 403: {sorted(missing)}"
    failures = [a for a in rows if a.status != 403 and not _wrong_method(a)]
    assert not failures, _report(failures)


def test_national_coordinators_and_members_read_every_work_programme_page(result):
    rows = [
        a
        for a in result.answers
        if _of_the_cycle(a)
        and a.method == "GET"
        and a.route in WORK_PROGRAMME_PAGES
        and a.state in a.persona_states
    ]
    readers = {(a.persona, a.state) for a in rows}
    assert {("coordinator", "A"), ("coordinator", "B"), ("A viewer", "A")} <= readers
    assert WORK_PROGRAMME_PAGES - {"historial/<slug:kind>/<str:code>/"} <= {a.route for a in rows}
    failures = [a for a in rows if a.status != 200]
    assert not failures, _report(failures)
    lists = [
        a
        for a in result.answers
        if a.route in ("programas/", "programas/asistencia/", "tableros/programas/")
        and a.persona == "coordinator"
    ]
    assert len(lists) == 3 and all(a.status == 200 for a in lists), _report(lists)


def test_quarters_and_goals_a_work_programme_lacks_answer_404(result):
    rows = [a for a in result.answers if a.target.startswith(("dummy-quarter", "dummy-goal"))]
    assert {a.target for a in rows} == {"dummy-quarter-0", "dummy-quarter-5", "dummy-goal-99"}
    # Who may write the programme learns the goal is missing; the others are refused first.
    failures = [
        a
        for a in rows
        if not (
            a.status == 404
            or _wrong_method(a)
            or (a.status == 403 and a.persona != "A editor")
            or (a.persona == "anonymous" and a.location.startswith(LOGIN_PATH))
        )
    ]
    assert not failures, _report(failures)


def test_work_programme_texts_reach_their_readers_so_the_leak_check_can_fail(result):
    from transversal.core.tests.isolation_world import A, B, marker

    def seen(persona: str, route: str) -> set[str]:
        return {
            mk for a in result.answers if a.persona == persona and a.route == route for mk in a.seen
        }

    page = seen("coordinator", "programas/<uuid:code>/")
    for state in (A, B):
        assert {marker(state, "meansclosed"), marker(state, "correction")} <= page
    assert marker(A, "narrative2022q1") in seen("A editor", "reportes/programa/<uuid:code>.docx")
    assert marker(A, "requestnote") in seen("A editor", "programas/asistencia/<uuid:code>/")
    # The current year's observation: on the national board and the state's own panel.
    board = seen("coordinator", "tableros/programas/")
    assert {marker(A, "currentobservation"), marker(B, "currentobservation")} <= board
    assert marker(A, "currentobservation") in seen("A editor", "tableros/entidad/<str:code>/")


# The national observatory (issue 18): the harmonization matrix and the gender statistics, route
# by route. Their public pages are everyone's; a state's proposals are its own; the catalogues
# and the statistics' management belong to the national coordination.
HARM = "observatorio/armonizacion/"
STATS = "observatorio/estadisticas/"
OBSERVATORY_PUBLIC = {
    HARM,
    HARM + "matriz.<str:fmt>",
    HARM + "disposiciones/<slug:slug>/",
    HARM + "entidades/<str:code>/",
    HARM + "celdas/<str:code>/",
    "portal/estadisticas/",
    "portal/estadisticas/<slug:slug>/",
    "portal/entidades/<str:slug>/estadisticas/",
}
# A state's own: proposing on its cells, its proposals.
HARM_STATE_ROUTES = {HARM + "celdas/<str:code>/proponer/", HARM + "propuestas/<str:code>/"}
HARM_NATIONAL_WRITES = {
    HARM + "celdas/<str:code>/editar/",
    HARM + "gestion/nueva/",
    HARM + "gestion/<slug:slug>/editar/",
}
STATS_WRITES = {
    STATS + "fuentes/nueva/",
    STATS + "fuentes/<slug:slug>/",
    STATS + "indicadores/nuevo/",
    STATS + "indicadores/<slug:slug>/",
    STATS + "importar/",
    STATS + "importar/<uuid:code>/",
    STATS + "importar/<uuid:code>/descartar/",
}
# Answer only POST (405 to a GET, before any access check).
STATS_POST_ONLY = {STATS + "importar/<uuid:code>/descartar/"}


def _observatory_routes() -> set[str]:
    return {
        route
        for route, namespace, _callback in iter_views()
        if namespace in ("harmonization", "genderstats")
    } | {r for r in OBSERVATORY_PUBLIC if r.startswith("portal/")}


def test_every_observatory_route_is_crawled(result):
    crawled = {a.route for a in result.answers}
    missing = _observatory_routes() - crawled
    assert not missing, f"observatory routes the crawl never requested: {sorted(missing)}"


def test_the_observatorys_public_pages_answer_everyone_and_show_no_private_text(result):
    rows = [a for a in result.answers if a.route in OBSERVATORY_PUBLIC and a.method == "GET"]
    assert {a.route for a in rows} == OBSERVATORY_PUBLIC
    failures = [a for a in rows if a.status != 200 and not a.target.startswith("matriz-pdf")]
    assert not failures, _report(failures)
    # Only published facts: no proposal note, no import file, for anyone outside.
    anonymous = [a for a in rows if a.persona == "anonymous" and a.seen]
    assert not anonymous, _report(anonymous)


def test_another_states_person_gets_404_on_a_states_proposals_and_cell_history(result):
    rows = [
        a
        for a in result.answers
        if (
            a.route in HARM_STATE_ROUTES
            or (a.route == "historial/<slug:kind>/<str:code>/" and a.kind == "harm_cell_history")
        )
        and a.state in (A_STATE, B_STATE)
        and a.persona != "anonymous"
        and a.state not in a.persona_states
    ]
    assert {a.route for a in rows} >= HARM_STATE_ROUTES
    assert ("B editor", "A") in {(a.persona, a.state) for a in rows}
    assert {a.method for a in rows} >= {"GET", "POST"}
    failures = [a for a in rows if a.status != 404]
    assert not failures, _report(failures)


def test_the_read_only_member_gets_403_on_its_states_harmonization_writes(result):
    rows = [
        a
        for a in result.answers
        if a.route in HARM_STATE_ROUTES | {HARM + "celdas/<str:code>/editar/"}
        and a.persona == "A viewer"
        and a.state == A_STATE
        and a.method == "POST"
    ]
    assert {a.route for a in rows} == HARM_STATE_ROUTES | {HARM + "celdas/<str:code>/editar/"}
    failures = [a for a in rows if a.status != 403]
    assert not failures, _report(failures)


def test_no_state_member_writes_the_national_catalogues(result):
    """The harmonization catalogue and the statistics are the national coordination's: a state
    member's POST is refused (403 where the page is public to members, 404 for the national
    management pages) and writes nothing; anonymous visitors go to the login page."""
    rows = [
        a
        for a in result.answers
        if a.route in HARM_NATIONAL_WRITES | STATS_WRITES and a.persona != "coordinator"
    ]
    posts = [a for a in rows if a.method == "POST"]
    assert {a.route for a in posts} >= {
        HARM + "celdas/<str:code>/editar/",
        HARM + "gestion/<slug:slug>/editar/",
        STATS + "fuentes/<slug:slug>/",
        STATS + "indicadores/<slug:slug>/",
        STATS + "importar/<uuid:code>/",
        STATS + "importar/<uuid:code>/descartar/",
    }
    failures = [
        a
        for a in rows
        if a.wrote
        or a.status == 200
        and a.method == "POST"
        or not (
            a.status in (403, 404)
            or (a.method == "GET" and a.status == 200)
            or (a.method == "GET" and a.status == 405 and a.route in STATS_POST_ONLY)
            or (a.persona == "anonymous" and a.location.startswith(LOGIN_PATH))
        )
    ]
    assert not failures, _report(failures)


def test_national_coordinators_read_every_observatory_page(result):
    rows = [
        a
        for a in result.answers
        if a.route in _observatory_routes() - STATS_POST_ONLY
        and a.persona == "coordinator"
        and a.method == "GET"
    ]
    # Proposing is a state's: the national coordination edits the cell instead (403).
    failures = [
        a
        for a in rows
        if a.status != 200
        and not a.target.startswith("matriz-pdf")
        and not (a.route == HARM + "celdas/<str:code>/proponer/" and a.status == 403)
    ]
    assert not failures, _report(failures)


def test_members_read_the_statistics_management_and_anonymous_visitors_are_sent_to_log_in(result):
    """Members read the catalogue and the imports; the forms to add or import are the national
    coordination's (403)."""
    forms = {STATS + "fuentes/nueva/", STATS + "indicadores/nuevo/", STATS + "importar/"}
    rows = [
        a
        for a in result.answers
        if a.route.startswith(STATS)
        and a.route not in STATS_POST_ONLY
        and a.method == "GET"
        and a.persona != "coordinator"
    ]
    members = [a for a in rows if a.persona != "anonymous"]
    assert {a.route for a in members} >= forms | {STATS, STATS + "importar/<uuid:code>/"}
    failures = [a for a in members if a.status != (403 if a.route in forms else 200)]
    assert not failures, _report(failures)
    anonymous = [a for a in rows if a.persona == "anonymous"]
    assert anonymous and all(a.location.startswith(LOGIN_PATH) for a in anonymous)


def test_observatory_private_texts_reach_their_readers_so_the_leak_check_can_fail(result):
    from transversal.core.tests.isolation_world import MEMBERS, marker

    def seen(persona: str, route: str) -> set[str]:
        return {
            mk for a in result.answers if a.persona == persona and a.route == route for mk in a.seen
        }

    proposal = HARM + "propuestas/<str:code>/"
    assert {marker(A_STATE, "harmnote"), marker(A_STATE, "harminstrument")} <= seen(
        "A editor", proposal
    )
    assert {marker(A_STATE, "harmnote"), marker(B_STATE, "harmnote")} <= seen(
        "coordinator", proposal
    )
    imports = seen("B editor", STATS + "importar/<uuid:code>/")
    assert {marker(MEMBERS, "importpreview"), marker(MEMBERS, "importapplied")} <= imports
    assert marker(MEMBERS, "importpreview") in seen("A viewer", STATS)


A_STATE, B_STATE = "A", "B"
