from django.urls import path

from verksam.indicators import views

app_name = "indicators"
urlpatterns = [
    path("<str:key>/", views.indicator_detail, name="indicator_detail"),
]
