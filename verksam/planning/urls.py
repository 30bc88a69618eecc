from django.urls import path

from verksam.planning import views

app_name = "planning"
urlpatterns = [
    path("<str:key>/changes/", views.plan_changes, name="plan_changes"),
]
