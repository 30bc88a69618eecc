"""The Content-Security-Policy header on Django 5.2, which lacks Django 6's CSP middleware.

It reads the same `SECURE_CSP` setting (directive → list of sources), so the policy is
written once; remove this module when Django 5.2 support ends.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def build_policy(config: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in config.items())


class ContentSecurityPolicyMiddleware:
    """Adds `SECURE_CSP` as the header unless the view has set one itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SECURE_CSP and HEADER not in response:
            response[HEADER] = build_policy(settings.SECURE_CSP)
        return response
