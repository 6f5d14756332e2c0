"""Mounted at /observatorio/armonizacion/."""

from django.urls import path

from transversal.harmonization import views

app_name = "harmonization"
urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("matriz.<str:fmt>", views.download, name="download"),
    path("disposiciones/<slug:slug>/", views.provision_map, name="map"),
    path("entidades/<str:code>/", views.state_profile, name="state"),
    path("celdas/<str:code>/", views.cell_detail, name="cell"),
    path("celdas/<str:code>/proponer/", views.cell_propose, name="propose"),
    path("celdas/<str:code>/editar/", views.cell_edit, name="cell_edit"),
    path("propuestas/", views.proposals, name="proposals"),
    path("propuestas/<str:code>/", views.proposal_detail, name="proposal"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/nueva/", views.provision_new, name="provision_new"),
    path("gestion/<slug:slug>/editar/", views.provision_edit, name="provision_edit"),
]
