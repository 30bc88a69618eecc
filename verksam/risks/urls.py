from django.urls import path

from verksam.risks import views

app_name = "risks"
urlpatterns = [
    path("<key:key>/", views.plan_risks, name="plan_risks"),
]
