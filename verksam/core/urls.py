from django.urls import path

from verksam.core import views

app_name = "core"
urlpatterns = [
    path("", views.accessibility_statement, name="accessibility_statement"),
]
