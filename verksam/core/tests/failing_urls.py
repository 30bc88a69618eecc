"""The site's URLs plus two views that fail, for the tests of the 500 page and the error log
(`@pytest.mark.urls`)."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from verksam.config.urls import handler500
from verksam.config.urls import urlpatterns as site_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server")


urlpatterns = [
    path("test/failing/", failing_view),
    path("test/database-down/", database_down),
    *site_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]
