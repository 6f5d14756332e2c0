from django.urls import path

from transversal.monitoring import (
    views,
    views_baseline,
    views_review,
    views_spreadsheets,
    views_updates,
)

app_name = "monitoring"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    # review queue (views_review) — keep above the "<str:code>/" patterns
    path("revision/", views_review.review_queue, name="review_queue"),
    # spreadsheets (views_spreadsheets) — keep above the "<str:code>/" patterns
    path(
        "hojas/<slug:slug>/plantilla.xlsx", views_spreadsheets.sheet_template, name="sheet_template"
    ),
    path("hojas/<slug:slug>/importar/", views_spreadsheets.sheet_import, name="sheet_import"),
    path(
        "hojas/<slug:slug>/importar/<uuid:token>/",
        views_spreadsheets.sheet_preview,
        name="sheet_preview",
    ),
    path(
        "hojas/<slug:slug>/importar/<uuid:token>/confirmar/",
        views_spreadsheets.sheet_confirm,
        name="sheet_confirm",
    ),
    path(
        "hojas/<slug:slug>/importar/<uuid:token>/descartar/",
        views_spreadsheets.sheet_discard,
        name="sheet_discard",
    ),
    path("nuevo/<slug:slug>/", views.indicator_new, name="new"),
    path("avances/<uuid:code>/", views_updates.update_detail, name="update"),
    path("avances/<uuid:code>/enviar/", views_updates.update_submit_view, name="update_submit"),
    path("avances/<uuid:code>/devolver/", views_updates.update_return_view, name="update_return"),
    path("avances/<uuid:code>/aprobar/", views_updates.update_approve_view, name="update_approve"),
    path(
        "avances/<uuid:code>/validar/", views_updates.update_validate_view, name="update_validate"
    ),
    path("avances/<uuid:code>/corregir/", views_updates.update_correct_view, name="update_correct"),
    path("avances/<uuid:code>/comentar/", views_updates.update_comment_view, name="update_comment"),
    path(
        "avances/<uuid:code>/evidencias/",
        views_updates.evidence_upload_view,
        name="evidence_upload",
    ),
    path("evidencias/<str:code>/", views_updates.evidence_download, name="evidence_download"),
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/editar/", views.indicator_edit, name="edit"),
    path(
        "<str:code>/fuente-estadistica/",
        views_baseline.indicator_baseline,
        name="baseline_source",
    ),
    path("<str:code>/calendario/", views.calendar_generate, name="calendar"),
    path("<str:code>/metas/", views.targets_edit, name="targets"),
    path("<str:code>/periodos/<str:label>/", views_updates.period_report, name="period"),
]
