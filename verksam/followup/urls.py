from django.urls import path

from verksam.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("to-report/", views.report_list, name="report_list"),
    path("plans/<str:key>/periods/", views.period_create, name="period_create"),
    path("plans/<str:key>/carry-over/", views.carryover_list, name="carryover_list"),
    path("plans/<str:key>/carry-over/run/", views.carryover_run, name="carryover_run"),
    path(
        "plans/<str:key>/carry-over/<str:kind>/<str:item_key>/",
        views.carryover_decide,
        name="carryover_decide",
    ),
    path("periods/<str:key>/", views.period_detail, name="period_detail"),
    path("periods/<str:key>/open/", views.period_open, name="period_open"),
    path("periods/<str:key>/close/", views.period_close, name="period_close"),
    path("periods/<str:key>/reopen/", views.period_reopen, name="period_reopen"),
    path("periods/<str:key>/board/", views.period_board, name="period_board"),
    path("periods/<str:key>/board/remind/", views.period_remind, name="period_remind"),
    path("periods/<str:key>/checks/", views.period_checks, name="period_checks"),
    path(
        "periods/<str:key>/checks/acknowledge/",
        views.finding_acknowledge,
        name="finding_acknowledge",
    ),
    path("periods/<str:key>/attainment/", views.period_attainment, name="period_attainment"),
    path(
        "periods/<str:key>/attainment/<str:kind>/<int:pk>/",
        views.judgement_edit,
        name="judgement_edit",
    ),
    path("periods/<str:key>/assess/<str:item_key>/", views.outcome_assess, name="outcome_assess"),
    path(
        "periods/<str:key>/snapshots/<int:number>/",
        views.snapshot_detail,
        name="snapshot_detail",
    ),
    path("periods/<str:key>/units/<int:unit_id>/submit/", views.unit_submit, name="unit_submit"),
    path(
        "periods/<str:key>/report/<str:kind>/<str:item_key>/",
        views.report_edit,
        name="report_edit",
    ),
    path(
        "periods/<str:key>/report/<str:kind>/<str:item_key>/row/",
        views.report_row,
        name="report_row",
    ),
]
