"""`/health/` for the reverse proxy or orchestrator: 200 "ok" when the app reaches its
database, 503 when it does not. No sign-in, no details, one `SELECT 1`."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

HEALTH_PATH = "/health/"
logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers the health check first, before host names and the HTTPS redirect are
    checked: probes come by address, over plain HTTP, from inside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            logger.error("Health check: the database does not answer: %s", error)
            return plain("database unavailable\n", status=503)
        return plain("ok\n", status=200)


def plain(text: str, *, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["Cache-Control"] = "no-store"
    return response
