from django.urls import path

from transversal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("salir/", views.LogoutView.as_view(), name="logout"),
    path("cuenta/", views.my_account, name="my_account"),
    path("cuenta/avisos/", views.notifications, name="notifications"),
    path("cuenta/avisos/leidos/", views.notifications_read, name="notifications_read"),
    path("cuenta/contrasena/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "cuenta/contrasena/lista/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("recuperar/", views.PasswordResetView.as_view(), name="password_reset"),
    path("recuperar/enviado/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "recuperar/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "recuperar/lista/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("instituciones/<slug:slug>/integrantes/", views.members, name="members"),
    path("instituciones/<slug:slug>/integrantes/agregar/", views.member_add, name="member_add"),
    path(
        "instituciones/<slug:slug>/integrantes/<uuid:code>/rol/",
        views.member_role,
        name="member_role",
    ),
    path(
        "instituciones/<slug:slug>/integrantes/<uuid:code>/baja/",
        views.member_end,
        name="member_end",
    ),
]
