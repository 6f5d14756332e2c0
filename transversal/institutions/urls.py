from django.urls import path

from transversal.institutions import views

app_name = "institutions"
urlpatterns = [
    path("<slug:slug>/", views.institution_detail, name="detail"),
    path("<slug:slug>/editar/", views.institution_edit, name="edit"),
    path("<slug:slug>/nombres/", views.institution_name_create, name="name_create"),
]
