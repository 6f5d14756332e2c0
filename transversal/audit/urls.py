from django.urls import path

from transversal.audit import views

app_name = "audit"
urlpatterns = [
    path("<slug:kind>/<str:code>/", views.history, name="history"),
]
