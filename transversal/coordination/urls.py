from django.urls import path

from transversal.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.system_list, name="list"),
    path("nuevo/", views.system_new, name="new"),
    path("sistemas/<uuid:code>/", views.system_detail, name="system"),
    path("sistemas/<uuid:code>/editar/", views.system_edit, name="system_edit"),
    path("sistemas/<uuid:code>/integrantes/", views.member_add, name="member_add"),
    path(
        "sistemas/<uuid:code>/integrantes/<uuid:member>/baja/",
        views.member_end,
        name="member_end",
    ),
    path("sistemas/<uuid:code>/comisiones/", views.commission_add, name="commission_add"),
    path("sistemas/<uuid:code>/sesiones/", views.session_schedule, name="session_schedule"),
    path("sesiones/<uuid:code>/", views.session_detail, name="session"),
    path("sesiones/<uuid:code>/orden/", views.agenda_add, name="agenda_add"),
    path("sesiones/<uuid:code>/asistencia/", views.attendance, name="attendance"),
    path("sesiones/<uuid:code>/celebrada/", views.session_hold, name="hold"),
    path("sesiones/<uuid:code>/cancelar/", views.session_cancel, name="cancel"),
    path("sesiones/<uuid:code>/reabrir/", views.session_reopen, name="reopen"),
    path("sesiones/<uuid:code>/acuerdos/", views.resolution_add, name="resolution_add"),
    path("sesiones/<uuid:code>/acta-borrador.docx", views.minutes_draft, name="minutes_draft"),
    path("sesiones/<uuid:code>/acta/", views.minutes_upload, name="minutes_upload"),
    path("sesiones/<uuid:code>/acta/descargar/", views.minutes_download, name="minutes"),
    path("acuerdos/<uuid:code>/", views.resolution_detail, name="resolution"),
    path("acuerdos/<uuid:code>/vinculos/", views.resolution_links, name="resolution_links"),
]
