from django.contrib.auth import views as auth_views
from django.urls import path

from verksam.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/start/", views.sso_start, name="sso_start"),
    path("sso/callback/", views.sso_callback, name="sso_callback"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/set/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/set/done/", views.password_reset_complete, name="password_reset_complete"),
    path("", views.my_account, name="my_account"),
    path("my-data/", views.my_data, name="my_data"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/grant/", views.role_grant, name="role_grant"),
    path("users/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("users/<int:pk>/send-link/", views.user_send_link, name="user_send_link"),
    path("users/<int:pk>/remove/", views.user_remove, name="user_remove"),
]
