from django.urls import path

from verksam.economy import views

app_name = "economy"
urlpatterns = [
    path("periods/<str:key>/", views.period_economy, name="period_economy"),
    path("periods/<str:key>/compliance/", views.compliance_record, name="compliance_record"),
    path("periods/<str:key>/import/", views.outcome_import, name="outcome_import"),
    path("periods/<str:key>/forecast/<str:row>/", views.forecast_edit, name="forecast_edit"),
    path("periods/<str:key>/carry-over/<str:row>/", views.carryover_edit, name="carryover_edit"),
]
