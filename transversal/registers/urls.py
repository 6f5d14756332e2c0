from django.urls import path, register_converter

from transversal.registers import views
from transversal.registers.apps import REGISTER_SLUGS

app_name = "registers"


class RegisterConverter:
    """A register in a URL: its Spanish slug on the address, its key ("training", …) in
    views and ``reverse`` (``reverse("registers:list", args=["training"])``)."""

    SLUGS = REGISTER_SLUGS
    KEYS = {slug: key for key, slug in SLUGS.items()}
    regex = "|".join(SLUGS.values())

    def to_python(self, value: str) -> str:
        return self.KEYS[value]

    def to_url(self, value: str) -> str:
        return self.SLUGS.get(str(value), str(value))


register_converter(RegisterConverter, "register")

urlpatterns: list = [
    # pages of the registers (views.py)
    path("", views.home, name="home"),
    path("evidencias/<uuid:code>/", views.evidence_download, name="evidence"),
    path("<register:register>/", views.entry_list, name="list"),
    path("<register:register>/exportar/", views.entry_export, name="export"),
    path("<register:register>/nuevo/", views.entry_new, name="new"),
    path("<register:register>/<uuid:code>/", views.entry_detail, name="detail"),
    path("<register:register>/<uuid:code>/editar/", views.entry_edit, name="edit"),
    path("<register:register>/<uuid:code>/eliminar/", views.entry_delete, name="delete"),
    path("<register:register>/<uuid:code>/evidencias/", views.evidence_add, name="evidence_add"),
    # import (views_import.py)
    # feeds (views_feeds.py)
]
