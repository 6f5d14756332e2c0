"""Shared fixtures: the personas every test speaks of.

national coordinator, a state editor, reviewer, read-only member and admin of
Durango, an editor from Zacatecas (an outsider to Durango), and anonymous.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No timing assertions anywhere: Hypothesis' per-example deadline is one, and a loaded
# CI machine would turn it into a flaky failure. Speed is measured in benchmarks.
settings.register_profile("transversal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("transversal")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from transversal.testing import PASSWORD  # noqa: E402  (re-exported for the suites)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def national(db):
    from transversal.institutions.models import Institution

    return Institution.objects.get(slug="nacional")


@pytest.fixture
def durango(db):
    return make_institution("iem-durango-test", "10", "Instituto Estatal de las Mujeres", "IEM")


@pytest.fixture
def zacatecas(db):
    return make_institution("semujer-zacatecas-test", "32", "Secretaría de las Mujeres", "SEMUJER")


def make_institution(slug: str, state_code: str, name: str, acronym: str = ""):
    from transversal.institutions.models import InstitutionKind
    from transversal.institutions.services import institution_create
    from transversal.territory.models import State

    return institution_create(
        actor=None, slug=slug, kind=InstitutionKind.STATE_IMEF, state=State.objects.get(code=state_code),
        name=name, acronym=acronym,
    )


def make_member(email: str, institution, role: str):
    from transversal.accounts.models import Membership, User

    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0])
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


@pytest.fixture
def coordinator(national):
    from transversal.accounts.models import Role

    return make_member("coordinacion@prueba.test", national, Role.ADMIN)


@pytest.fixture
def editor(durango):
    from transversal.accounts.models import Role

    return make_member("captura@prueba.test", durango, Role.EDITOR)


@pytest.fixture
def reviewer(durango):
    from transversal.accounts.models import Role

    return make_member("revision@prueba.test", durango, Role.REVIEWER)


@pytest.fixture
def viewer(durango):
    from transversal.accounts.models import Role

    return make_member("consulta@prueba.test", durango, Role.VIEWER)


@pytest.fixture
def state_admin(durango):
    from transversal.accounts.models import Role

    return make_member("admin@prueba.test", durango, Role.ADMIN)


@pytest.fixture
def outsider(zacatecas):
    from transversal.accounts.models import Role

    return make_member("captura.zac@prueba.test", zacatecas, Role.EDITOR)


@pytest.fixture
def client_for(client):
    """``client_for(user)`` signs the test client in as that person (or out for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def artifacts_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(executable).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI and was not found at {executable}")
        pytest.skip(f"Chromium not found at {executable}: run `make system-deps`")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests flush the database after each test, taking the rows
    the data migrations loaded (the 32 states, the national institution) with it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from transversal.institutions.models import Institution, InstitutionName
    from transversal.institutions.reference import load_national_institution
    from transversal.territory.models import State
    from transversal.territory.states import load_states

    load_states(State)
    load_national_institution(Institution, InstitutionName)


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Tests run with DEBUG off but without collectstatic: serve assets from the apps."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def keep_test_connection():
    """Code that calls the WSGI application directly, or closes streamed responses after the
    test client has returned, fires Django's request signals, which close "old" database
    connections; inside a test transaction that closes the test's own connection (PostgreSQL)
    or touches it from another thread (SQLite). The test client disconnects the same handler."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
