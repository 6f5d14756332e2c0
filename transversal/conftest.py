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
settings.register_profile(
    "transversal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
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
        actor=None,
        slug=slug,
        kind=InstitutionKind.STATE_IMEF,
        state=State.objects.get(code=state_code),
        name=name,
        acronym=acronym,
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
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


# What ``migrate`` created in this worker's test database (the 32 states, the national
# institution, the stored summaries, content types...), serialized once before any test ran.
# Kept here, not on the connection object: Playwright's sync API runs fixtures in another
# context, where Django hands out a different connection object.
_MIGRATED_STATE: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        _MIGRATED_STATE["default"] = connection.creation.serialize_db_to_string()
    yield


def restore_migrated_state() -> None:
    """Empty the database and put back exactly the rows ``migrate`` created."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(_MIGRATED_STATE["default"])
    # The rows came back with their ids: move each sequence past them (PostgreSQL), or the
    # next insert would reuse an id.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # ids cached by an earlier test may be gone


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests commit, and Django flushes the database after each: every one starts
    from exactly what ``migrate`` created, whichever transactional test ran before it."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    restore_migrated_state()


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Fixtures write around the services, so no audit event moves the data stamp that the
    header and dashboard caches are keyed on (transversal/audit/stamp.py): caching is off, and
    the tests of the caches turn it on with ``page_cache``."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings):
    """The page and fragment caches on, as in production, and empty before and after."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2, the production hasher (accounts/tests/test_login.py checks it), costs about a
    tenth of a second a hash, and most fixtures create people: tests hash with MD5 first."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


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
