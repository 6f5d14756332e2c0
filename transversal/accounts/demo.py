"""One demo account per persona (demo only: the password is public), and an invented editor and
reviewer for every other state institute.

The invented people carry "(dato sintético)" in their name and have no password: they exist so
each state's figures are captured by one person and approved by another (four eyes), and they
cannot sign in. Only the personas below can.
"""

from __future__ import annotations

from django.utils.text import slugify

from transversal.accounts.models import Membership, Role, User
from transversal.accounts.services import membership_add, user_create
from transversal.institutions.models import Institution, InstitutionKind

DEMO_PASSWORD = "Igualdad-demo-2026"

PERSONAS: list[tuple[str, str, str, str]] = [
    # e-mail, name, institution slug, role
    ("coordinacion@transversal.test", "Coordinación Nacional (demo)", "nacional", Role.ADMIN),
    ("validacion@transversal.test", "Validación Nacional (demo)", "nacional", Role.REVIEWER),
    ("admin.durango@transversal.test", "Administración Durango (demo)", "iem-durango", Role.ADMIN),
    ("captura.durango@transversal.test", "Captura Durango (demo)", "iem-durango", Role.EDITOR),
    ("revision.durango@transversal.test", "Revisión Durango (demo)", "iem-durango", Role.REVIEWER),
    ("consulta.durango@transversal.test", "Consulta Durango (demo)", "iem-durango", Role.VIEWER),
    (
        "captura.zacatecas@transversal.test",
        "Captura Zacatecas (demo)",
        "semujer-zacatecas",
        Role.EDITOR,
    ),
    (
        "revision.zacatecas@transversal.test",
        "Revisión Zacatecas (demo)",
        "semujer-zacatecas",
        Role.REVIEWER,
    ),
]


def state_people(institution: Institution) -> tuple[str, str]:
    """The e-mails of a state institute's invented editor and reviewer."""
    key = slugify(institution.state.short_name)
    return f"captura.{key}@demo.transversal.test", f"revision.{key}@demo.transversal.test"


def _synthetic_people() -> int:
    with_personas = {slug for _email, _name, slug, _role in PERSONAS}
    institutes = (
        Institution.objects.filter(kind=InstitutionKind.STATE_IMEF)
        .exclude(slug__in=with_personas)
        .select_related("state")
        .order_by("state__code")
    )
    members = set(
        Membership.objects.filter(institution__in=institutes).values_list(
            "institution_id", "user__email"
        )
    )
    added = 0
    for institution in institutes:
        editor, reviewer = state_people(institution)
        state = institution.state.short_name
        for email, name, role in (
            (editor, f"Captura {state} (dato sintético)", Role.EDITOR),
            (reviewer, f"Revisión {state} (dato sintético)", Role.REVIEWER),
        ):
            if (institution.pk, email) not in members:
                membership_add(
                    actor=None, institution=institution, email=email, full_name=name, role=role
                )
                added += 1
    return added


def load(log) -> None:
    for email, name, slug, role in PERSONAS:
        user = User.objects.filter(email=email).first() or user_create(
            actor=None, email=email, full_name=name, password=DEMO_PASSWORD
        )
        institution = Institution.objects.get(slug=slug)
        if not Membership.objects.filter(user=user, institution=institution).exists():
            membership_add(
                actor=None, institution=institution, email=email, full_name=name, role=role
            )
    if not User.objects.filter(email="soporte@transversal.test").exists():
        user_create(
            actor=None,
            email="soporte@transversal.test",
            full_name="Soporte (demo)",
            password=DEMO_PASSWORD,
            is_staff=True,
        )
        User.objects.filter(email="soporte@transversal.test").update(is_superuser=True)
    added = _synthetic_people()
    if added:
        log(f"Personas de las demás entidades (dato sintético, sin contraseña): {added}.")
    log("")
    log(f"Cuentas de demostración (contraseña para todas: {DEMO_PASSWORD}):")
    for email, _name, slug, role in PERSONAS:
        log(f"  {email:40} {Role(role).label} · {slug}")
    log(f"  {'soporte@transversal.test':40} administración del sitio (/admin/)")
