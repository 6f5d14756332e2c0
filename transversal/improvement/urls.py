from django.urls import path

from transversal.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.home, name="home"),
    path("evaluaciones/nueva/", views.evaluation_new, name="evaluation_new"),
    path("evaluaciones/<uuid:code>/", views.evaluation_detail, name="evaluation"),
    path("evaluaciones/<uuid:code>/alcance/", views.evaluation_scope, name="evaluation_scope"),
    path("evaluaciones/<uuid:code>/informes/", views.report_add, name="report_add"),
    path("evaluaciones/<uuid:code>/hallazgos/", views.finding_add, name="finding_add"),
    path("informes/<uuid:code>/", views.report_download, name="report"),
    path("hallazgos/nuevo/", views.finding_new, name="finding_new"),
    path("hallazgos/<uuid:code>/", views.finding_detail, name="finding"),
    path(
        "hallazgos/<uuid:code>/aceptar/",
        views.finding_decide,
        {"decision": "aceptar"},
        name="finding_accept",
    ),
    path(
        "hallazgos/<uuid:code>/descartar/",
        views.finding_decide,
        {"decision": "descartar"},
        name="finding_dismiss",
    ),
    path("hallazgos/<uuid:code>/asm/", views.action_add, name="action_add"),
    path("asm/<uuid:code>/", views.action_detail, name="action"),
    path("ciclo/", views.cycle_home, name="cycle_home"),
    path("ciclo/<slug:slug>/", views.cycle_page, name="cycle"),
    path("ciclo/<slug:slug>/modelo/", views.cycle_components, name="cycle_components"),
]
