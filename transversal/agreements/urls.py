from django.urls import path

from transversal.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nuevo/", views.agreement_new, name="new"),
    path("asistencia/<str:state_code>/", views.state_assistance, name="state_assistance"),
    path("asistencia/<str:state_code>/nueva/", views.assistance_new, name="assistance_new"),
    path(
        "asistencia/registro/<uuid:code>/evidencia/",
        views.assistance_evidence,
        name="assistance_evidence",
    ),
    path("<uuid:code>/", views.agreement_detail, name="detail"),
    path("<uuid:code>/editar/", views.agreement_edit, name="edit"),
    path("<uuid:code>/estado/", views.agreement_status, name="status"),
    path("<uuid:code>/documento/", views.agreement_document, name="document"),
    path("<uuid:code>/modificatorios/", views.amendment_create, name="amendment_create"),
    path(
        "<uuid:code>/modificatorios/<int:number>/documento/",
        views.amendment_document,
        name="amendment_document",
    ),
    path("<uuid:code>/firmantes/", views.signatory_create, name="signatory_create"),
    path("<uuid:code>/compromisos/", views.commitment_create, name="commitment_create"),
    path(
        "<uuid:code>/compromisos/<str:party>/<int:number>/editar/",
        views.commitment_edit,
        name="commitment_edit",
    ),
    path("<uuid:code>/metas/", views.goal_create, name="goal_create"),
    path("<uuid:code>/metas/<uuid:goal_code>/editar/", views.goal_edit, name="goal_edit"),
    path("<uuid:code>/asistencia/", views.agreement_assistance, name="agreement_assistance"),
]
