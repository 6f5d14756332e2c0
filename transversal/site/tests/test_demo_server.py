"""`make demo` serves the site as visitors will meet it: the project's own Spanish error pages
(not Django's debug pages), its static files and favicon without collectstatic or network, and
e-mailed links that point at the port it serves on (`make demo PORT=8123`).

The server's environment is read from the Makefile itself (`make -n demo`), so the test follows
whatever the recipe says; the request runs in a child process configured exactly like it (the
local.env `make demo` writes, plus the variables on the runserver line)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse

from transversal.core.env import write_local_env

ROOT = Path(__file__).resolve().parents[3]
PORT = "8123"
# The test process's own configuration must not leak into the child.
SCRUBBED = {
    "SECRET_KEY",
    "DEBUG",
    "DEBUG_PAGES",
    "PORT",
    "SITE_URL",
    "DATABASE_URL",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATA_DIR",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
}

# Runs in the child through `manage.py shell`, as the runserver of `make demo` would start.
SCRIPT = """
import json
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="127.0.0.1:%(port)s")
missing = client.get("/esta-pagina-no-existe/")
icon = client.get("/static/transversal/favicon.svg")
css = client.get("/static/transversal/app.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "site_url": settings.SITE_URL,
    "missing": [missing.status_code, missing.content.decode()],
    "icon": [icon.status_code, icon.get("Content-Type", ""), b"".join(icon).decode()],
    "css": css.status_code,
}))
"""


def demo_server_environment() -> dict[str, str]:
    """The NAME=value words before `manage.py runserver` in `make -n demo PORT=8123`."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    recipe = subprocess.run(
        [make, "-n", "demo", f"PORT={PORT}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    line = next(line for line in recipe.splitlines() if "manage.py runserver" in line)
    assert f"127.0.0.1:{PORT}" in line
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: words.index("manage.py") - 1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("demo-data")
    write_local_env(data_dir / "local.env")
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    env.update(demo_server_environment(), DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT % {"port": PORT}],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_demo_shows_the_spanish_404_page_not_the_debug_page(demo):
    status, page = demo["missing"]
    assert demo["debug"] is False
    assert status == 404
    assert "No encontrado" in page and "Ir al inicio" in page
    assert "Page not found" not in page and "URLconf" not in page  # Django's debug page


def test_the_demo_serves_its_static_files_and_favicon_without_collectstatic(demo):
    status, content_type, svg = demo["icon"]
    assert status == 200 and content_type.startswith("image/svg+xml")
    assert svg.lstrip().startswith("<svg") and "Transversal" in svg
    assert demo["css"] == 200
    assert 'rel="icon" href="/static/transversal/favicon.svg"' in demo["missing"][1]


def test_the_demo_site_url_follows_its_port(demo):
    assert demo["site_url"] == f"http://127.0.0.1:{PORT}"


@pytest.mark.django_db
def test_the_e_mailed_link_uses_the_demo_site_url(
    demo, settings, durango, editor, reviewer, django_capture_on_commit_callbacks
):
    from transversal.monitoring.services import update_submit
    from transversal.monitoring.tests.factories import draft, indicator_with_calendar

    settings.SITE_URL = demo["site_url"]
    update = draft(indicator_with_calendar(durango), actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        update_submit(actor=editor, update=update, expected_version=update.version)
    link = f"http://127.0.0.1:{PORT}{reverse('monitoring:update', args=[update.code])}"
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert link in mail.outbox[0].body


@pytest.mark.django_db
def test_every_page_links_the_favicon(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/static/transversal/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("transversal/favicon.svg") is not None
