"""One demo account per persona (demo only: the password is public)."""

from __future__ import annotations

from transversal.accounts.models import Membership, Role, User
from transversal.accounts.services import membership_add, user_create
from transversal.institutions.models import Institution

DEMO_PASSWORD = "Igualdad-demo-2026"

PERSONAS: list[tuple[str, str, str, str]] = [
    # e-mail, name, institution slug, role
    ("coordinacion@transversal.test", "Coordinación Nacional (demo)", "nacional", Role.ADMIN),
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
    log("")
    log(f"Cuentas de demostración (contraseña para todas: {DEMO_PASSWORD}):")
    for email, _name, slug, role in PERSONAS:
        log(f"  {email:40} {Role(role).label} · {slug}")
    log(f"  {'soporte@transversal.test':40} administración del sitio (/admin/)")
