from django.urls import path

from verksam.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.period_list, name="period_list"),
    path("to-report/", views.report_list, name="report_list"),
    path("plans/<key:key>/periods/", views.period_create, name="period_create"),
    path("plans/<key:key>/carry-over/", views.carryover_list, name="carryover_list"),
    path("plans/<key:key>/carry-over/run/", views.carryover_run, name="carryover_run"),
    path(
        "plans/<key:key>/carry-over/<str:kind>/<key:item_key>/",
        views.carryover_decide,
        name="carryover_decide",
    ),
    path("periods/<key:key>/", views.period_detail, name="period_detail"),
    path("periods/<key:key>/open/", views.period_open, name="period_open"),
    path("periods/<key:key>/close/", views.period_close, name="period_close"),
    path("periods/<key:key>/reopen/", views.period_reopen, name="period_reopen"),
    path("periods/<key:key>/board/", views.period_board, name="period_board"),
    path("periods/<key:key>/board/remind/", views.period_remind, name="period_remind"),
    path("periods/<key:key>/checks/", views.period_checks, name="period_checks"),
    path(
        "periods/<key:key>/checks/acknowledge/",
        views.finding_acknowledge,
        name="finding_acknowledge",
    ),
    path("periods/<key:key>/attainment/", views.period_attainment, name="period_attainment"),
    path(
        "periods/<key:key>/attainment/<str:kind>/<int:pk>/",
        views.judgement_edit,
        name="judgement_edit",
    ),
    path("periods/<key:key>/texts/<str:kind>/", views.period_text_edit, name="period_text_edit"),
    path("periods/<key:key>/assess/<key:item_key>/", views.outcome_assess, name="outcome_assess"),
    path(
        "periods/<key:key>/snapshots/<int:number>/",
        views.snapshot_detail,
        name="snapshot_detail",
    ),
    path("periods/<key:key>/units/<int:unit_id>/submit/", views.unit_submit, name="unit_submit"),
    path(
        "periods/<key:key>/report/<str:kind>/<key:item_key>/",
        views.report_edit,
        name="report_edit",
    ),
    path(
        "periods/<key:key>/report/<str:kind>/<key:item_key>/row/",
        views.report_row,
        name="report_row",
    ),
]
