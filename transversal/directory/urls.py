from django.urls import path

from transversal.directory import views_institutions, views_states

app_name = "directory"
urlpatterns = [
    path("entidades/", views_states.state_list, name="state_list"),
    path("entidades/<str:code>/", views_states.state_detail, name="state_detail"),
    path("instituciones/", views_institutions.institution_list, name="institution_list"),
    path("instituciones/nueva/", views_institutions.institution_new, name="institution_new"),
    path("instituciones/<slug:slug>/", views_institutions.institution_detail, name="institution"),
    path(
        "instituciones/<slug:slug>/editar/",
        views_institutions.institution_edit,
        name="institution_edit",
    ),
    path(
        "instituciones/<slug:slug>/nombres/",
        views_institutions.institution_name_create,
        name="institution_name_create",
    ),
]
