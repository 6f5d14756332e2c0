from django.urls import path

from transversal.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.state_list, name="state_list"),
    path("<str:code>/", views.state_detail, name="state_detail"),
]
