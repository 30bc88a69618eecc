from django.urls import path

from verksam.imports import views

app_name = "imports"
urlpatterns = [
    path("plan/", views.plan_import, name="plan_import"),
    path("plan/template.xlsx", views.plan_template, name="plan_template"),
]
