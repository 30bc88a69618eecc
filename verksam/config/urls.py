from django.contrib import admin
from django.urls import include, path

from verksam.config.api import api
from verksam.core import views as core_views

# The 500 page needs no database; 400, 403 and 404 are Django's views with our templates.
handler500 = "verksam.core.views.server_error"

urlpatterns = [
    path("accounts/", include("verksam.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("audit/", include("verksam.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("budget/", include("verksam.budget.urls")),
    path("risks/", include("verksam.risks.urls")),
    path("reports/", include("verksam.reports.urls")),
    path("search/", include("verksam.search.urls")),
    path("accessibility/", include("verksam.core.urls")),
    path("followup/", include("verksam.followup.urls")),
    path("planning/", include("verksam.planning.urls")),
    path("imports/", include("verksam.imports.urls")),
    path("economy/", include("verksam.economy.urls")),
    # The municipality's colours and logo (core/identity.py).
    path("identity.css", core_views.identity_css, name="identity_css"),
    path("identity-logo", core_views.identity_logo, name="identity_logo"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("verksam.pages.urls")),
]
