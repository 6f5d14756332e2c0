"""Public portal and open data. Mounted at the site root after every other app,
so every pattern carries its own prefix: ``portal/`` or ``datos/``.

The open-data addresses (/datos/<conjunto>.csv, .json, datapackage.json) are a
public contract: keep them stable."""

from django.urls import path

from transversal.portal import views, views_registers, views_statistics

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/entidades/", views.state_list, name="states"),
    path("portal/entidades/<str:slug>/", views.state_detail, name="state"),
    path(
        "portal/entidades/<str:slug>/estadisticas/",
        views_statistics.state_statistics,
        name="state_statistics",
    ),
    path("portal/instituciones/<str:slug>/", views.institution_detail, name="institution"),
    path("portal/planes/", views.plan_list, name="plans"),
    path("portal/planes/<str:code>/", views.plan_detail, name="plan"),
    path("portal/convenios/", views.agreement_list, name="agreements"),
    path("portal/convenios/<str:code>/", views.agreement_detail, name="agreement"),
    path("portal/indicadores/", views.indicator_list, name="indicators"),
    path("portal/indicadores/<str:code>/", views.indicator_detail, name="indicator"),
    path("portal/evidencias/<str:code>/", views.evidence_download, name="evidence"),
    path("portal/estadisticas/", views_statistics.statistics, name="statistics"),
    path("portal/estadisticas/<slug:slug>/", views_statistics.statistic, name="statistic"),
    path("portal/registros/", views_registers.registers_page, name="registers"),
    path("datos/", views.data_index, name="data"),
    path("datos/datapackage.json", views.datapackage, name="datapackage"),
    path("datos/<slug:name>.csv", views.dataset_csv, name="dataset_csv"),
    path("datos/<slug:name>.json", views.dataset_json, name="dataset_json"),
]
