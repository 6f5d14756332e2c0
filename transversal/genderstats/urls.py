from django.urls import path

from transversal.genderstats import views

app_name = "genderstats"
urlpatterns = [
    path("", views.home, name="home"),
    path("fuentes/nueva/", views.source_new, name="source_new"),
    path("fuentes/<slug:slug>/", views.source_edit, name="source"),
    path("indicadores/nuevo/", views.indicator_new, name="indicator_new"),
    path("indicadores/<slug:slug>/", views.indicator_edit, name="indicator"),
    path("importar/", views.import_upload, name="import"),
    path("importar/<uuid:code>/", views.import_detail, name="import_detail"),
    path("importar/<uuid:code>/descartar/", views.import_discard, name="import_discard"),
]
