from django.urls import path

from verksam.reports import views

app_name = "reports"
urlpatterns = [
    path("plans/<key:key>/<str:format_name>/", views.plan_download, name="plan_download"),
    path(
        "followup/<key:key>/<str:format_name>/",
        views.followup_download,
        name="followup_download",
    ),
]
