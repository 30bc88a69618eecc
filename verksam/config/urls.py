from django.contrib import admin
from django.urls import include, path

from verksam.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("indicators/", include("verksam.indicators.urls")),
    path("followup/", include("verksam.followup.urls")),
    path("", include("verksam.plans.urls")),
]
