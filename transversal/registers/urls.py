from django.urls import path, register_converter

from transversal.registers import views, views_feeds, views_import
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
    path("<register:register>/importar/", views_import.import_start, name="import_start"),
    path("<register:register>/importar/<slug:slug>/", views_import.import_upload, name="import"),
    path(
        "<register:register>/importar/<slug:slug>/plantilla.xlsx",
        views_import.import_template,
        name="import_template",
    ),
    path(
        "<register:register>/importar/<slug:slug>/<uuid:token>/",
        views_import.import_preview,
        name="import_preview",
    ),
    path(
        "<register:register>/importar/<slug:slug>/<uuid:token>/confirmar/",
        views_import.import_confirm,
        name="import_confirm",
    ),
    path(
        "<register:register>/importar/<slug:slug>/<uuid:token>/descartar/",
        views_import.import_discard,
        name="import_discard",
    ),
    # feeds (views_feeds.py)
    path("indicadores/<uuid:code>/fuente/", views_feeds.feed_edit, name="feed_edit"),
    path(
        "indicadores/<uuid:code>/fuente/quitar/",
        views_feeds.feed_remove_view,
        name="feed_remove",
    ),
    path(
        "indicadores/<uuid:code>/periodos/<str:label>/proponer/",
        views_feeds.feed_propose_view,
        name="feed_propose",
    ),
]
