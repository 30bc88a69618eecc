from django.urls import path

from verksam.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.home, name="home"),
]
