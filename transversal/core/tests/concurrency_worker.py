"""One process of the concurrency test (test_concurrency.py), run as
``python -m transversal.core.tests.concurrency_worker ROLE OUT [K]`` on the database that
DATABASE_URL (or DATA_DIR, for SQLite) points to.

Roles:
  setup     an institute with three editors and two reviewers, two quarterly indicators
            (eight periods); writes the codes to OUT.
  editor K  waits for the start signal, then for ROUNDS rounds picks a period and, through
            the real pages (Django's test client: middleware, views, services), saves a value
            unique to this process and round, submits now and then, and asks for a
            correction of approved figures; logs every answer to OUT.
  reviewer K  the same for approving and returning what is submitted.
  verify    writes the state of every update and every audit event of the updates to OUT.

The processes share nothing but the database, as on a server with several workers.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "30"))
EDITORS, REVIEWERS = 3, 2
START_FILE = "start"


def setup(out: Path) -> None:
    from transversal.accounts.models import Role
    from transversal.conftest import make_institution, make_member
    from transversal.monitoring.tests.factories import indicator_with_calendar

    institution = make_institution(
        "iem-durango-concurrencia", "10", "Instituto Estatal de las Mujeres", "IEM"
    )
    editors = [
        make_member(f"editora{k}@durango.test", institution, Role.EDITOR).email
        for k in range(EDITORS)
    ]
    reviewers = [
        make_member(f"revisora{k}@durango.test", institution, Role.REVIEWER).email
        for k in range(REVIEWERS)
    ]
    indicators = [
        indicator_with_calendar(institution, name=f"Indicador concurrente {n}").code for n in (1, 2)
    ]
    indicators = [str(code) for code in indicators]
    periods = [
        [code, label]
        for code in indicators
        for label in ("2025-T1", "2025-T2", "2025-T3", "2025-T4")
    ]
    out.write_text(json.dumps({"editors": editors, "reviewers": reviewers, "periods": periods}))


def _client(email: str):
    from django.test import Client

    from transversal.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(
        User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def _forms(html: str) -> dict[str, dict[str, str]]:
    """The page's POST forms by the last part of their action: {"enviar": {field: value}, …}."""
    import lxml.html

    found = {}
    if not html:
        return found
    for form in lxml.html.fromstring(html).forms:
        if (form.method or "").upper() != "POST":
            continue
        action = (form.get("action") or "").rstrip("/").rsplit("/", 1)[-1] or "period"
        values = {
            el.get("name"): el.get("value", "")
            for el in form.inputs
            if el.get("name") and el.tag == "input" and el.get("type") == "hidden"
        }
        found[action] = {"__action__": form.get("action") or "", **values}
    return found


def _outcome(client, response) -> str:
    """saved / refused / conflict / error, from the answer or the message after the redirect."""
    if response.status_code >= 500:
        return "error"
    if response.status_code == 409:
        return "conflict"
    if response.status_code in (302, 303):
        page = client.get(response["Location"]).content.decode()
        # An error message may carry a tag of its own (a refused return names its box).
        if re.search(r'class="message\b[^"]*\berror\b', page):
            return "refused"
        return "saved"
    return "refused"


def _error(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    return repr(exc_info[1])[:500] if response.status_code >= 500 and exc_info else ""


def act(role: str, k: int, out: Path, shared: Path) -> None:
    info = json.loads((shared / "setup.json").read_text())
    rng = random.Random(1000 + k * 7 + (role == "reviewer"))
    email = info["editors" if role == "editor" else "reviewers"][k]
    client = _client(email)
    log = []
    while not (shared / START_FILE).exists():
        time.sleep(0.01)
    for round_ in range(ROUNDS):
        code, label = info["periods"][rng.randrange(len(info["periods"]))]
        url = f"/indicadores/{code}/periodos/{label}/"
        page = client.get(url)
        if page.status_code >= 500:
            log.append(
                {
                    "op": "read",
                    "status": page.status_code,
                    "outcome": "error",
                    "error": _error(page),
                }
            )
            continue
        forms = _forms(page.content.decode())
        if role == "editor":
            choice = rng.random()
            version = forms.get("period", {}).get("version", "")
            if version and choice < 0.3:
                # "Guardar y enviar a revisión": the figures on screen, saved and sent at once.
                op, action = "submit", url
                data = {
                    "version": version,
                    "value": str(Decimal(1000 * (k + 1) + round_)),
                    "narrative": f"Proceso {k}, ronda {round_}, enviado",
                    "intent": "submit",
                }
            elif "corregir" in forms and choice < 0.45:
                op, action, data = (
                    "correct",
                    forms["corregir"]["__action__"],
                    {"reason": f"Corrección {k}-{round_}"},
                )
            else:
                value = Decimal(1000 * (k + 1) + round_)
                op, action = "save", url
                data = {
                    "version": forms.get("period", {}).get("version", ""),
                    "value": str(value),
                    "narrative": f"Proceso {k}, ronda {round_}",
                }
        else:
            if "aprobar" in forms and rng.random() < 0.6:
                op, action, data = "approve", forms["aprobar"]["__action__"], {"comment": ""}
            elif "devolver" in forms:
                op, action, data = (
                    "return",
                    forms["devolver"]["__action__"],
                    {"comment": f"Revise {k}-{round_}"},
                )
            else:
                continue
        response = client.post(action, data)
        log.append(
            {
                "op": op,
                "period": [code, label],
                "data": dict(data),
                "status": response.status_code,
                "outcome": _outcome(client, response),
                "error": _error(response),
            }
        )
    out.write_text(json.dumps(log))


def verify(out: Path) -> None:
    from transversal.audit.models import AuditEvent
    from transversal.monitoring.models import ProgressUpdate

    updates = [
        {
            "pk": str(u.pk),
            "code": str(u.code),
            "period": [str(u.period.indicator.code), u.period.label],
            "revision": u.revision,
            "status": u.status,
            "version": u.version,
            "value": str(u.value) if u.value is not None else None,
            "is_current": u.is_current,
        }
        for u in ProgressUpdate.objects.select_related("period__indicator").order_by("pk")
    ]
    events = [
        {"id": e.pk, "verb": e.verb, "object": e.target_id, "changes": e.changes}
        for e in AuditEvent.objects.filter(verb__startswith="update.").order_by("pk")
    ]
    out.write_text(json.dumps({"updates": updates, "events": events}))


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transversal.settings")
    django.setup()
    from django.test.utils import override_settings

    # Pages name their static files; no collectstatic manifest is needed for that here.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    role, out = sys.argv[1], Path(sys.argv[2])
    if role == "setup":
        setup(out)
    elif role == "verify":
        verify(out)
    else:
        act(role, int(sys.argv[3]), out, out.parent)


if __name__ == "__main__":
    main()
