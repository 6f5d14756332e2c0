from django.urls import path

from transversal.planning import views, views_baseline

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("importar/", views.plan_upload, name="upload"),
    path("importar/<str:code>/", views.import_preview, name="import_preview"),
    path("importar/<str:code>/descartar/", views.import_discard, name="import_discard"),
    path("nuevo/<slug:slug>/", views.plan_new, name="new"),
    path("perfil/<slug:slug>/importar/", views.profile_import, name="profile_import"),
    path("<slug:code>/", views.plan_detail, name="detail"),
    path("<slug:code>/documento/", views.plan_source, name="source"),
    path("<slug:code>/editar/", views.plan_edit, name="edit"),
    path("<slug:code>/publicar/", views.plan_publish_view, name="publish"),
    path("<slug:code>/archivar/", views.plan_archive_view, name="archive"),
    path("<slug:code>/cobertura/", views.plan_coverage, name="coverage"),
    path("<slug:code>/cobertura.xlsx", views.plan_coverage_xlsx, name="coverage_xlsx"),
    path("<slug:code>/elementos/<int:item_id>/", views.item_detail, name="item"),
    path("<slug:code>/elementos/<int:item_id>/editar/", views.item_edit, name="item_edit"),
    path(
        "<slug:code>/elementos/<int:item_id>/fuente-estadistica/",
        views_baseline.item_baseline,
        name="item_baseline",
    ),
    path(
        "<slug:code>/elementos/<int:item_id>/sugerencias/",
        views.item_suggestions,
        name="item_suggestions",
    ),
    path(
        "<slug:code>/elementos/<int:item_id>/alinear/",
        views.alignment_create_view,
        name="alignment_create",
    ),
    path(
        "<slug:code>/alineaciones/<str:alignment_code>/retirar/",
        views.alignment_remove_view,
        name="alignment_remove",
    ),
]
