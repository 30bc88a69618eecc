from django.urls import path

from verksam.indicators import views
from verksam.plans import lists

app_name = "indicators"
urlpatterns = [
    path("", lists.indicator_list, name="indicator_list"),
    path("<str:key>/", views.indicator_detail, name="indicator_detail"),
]
