from django.urls import path

from verksam.budget import views

app_name = "budget"
urlpatterns = [
    path("<key:key>/", views.plan_budget, name="plan_budget"),
]
