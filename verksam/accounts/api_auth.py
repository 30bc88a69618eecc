"""Who calls the API and how often: a personal API token (`Authorization: Bearer …`), else
the browser session, else an anonymous caller, who reads what the public pages show.

Requests are limited per token, per signed-in user and per address for anonymous callers
(`API_RATE_LIMIT`, e.g. "600/min"); over the limit the API answers 429 with Retry-After.
The counts are kept in Django's cache, a table in the database (settings.CACHES), so every
app process behind the proxy counts the same requests.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from verksam.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    """A personal API token. A wrong or revoked token, or credentials of another kind, are
    refused (401), never read as an anonymous call."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        header = request.headers.get(self.header, "")
        if header and not header.lower().startswith("bearer "):
            raise AuthenticationError()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = ApiToken.objects.for_secret(token)
        if api_token is None:
            raise AuthenticationError()
        request.user = api_token.user
        return api_token


def anonymous(request: HttpRequest) -> AnonymousUser:
    """No token and no session: public data only (`Plan.objects.visible_to`)."""
    return AnonymousUser()


# Tried in order; the session is checked for CSRF on writes by ninja's SessionAuth.
API_AUTH: list[Any] = [ApiTokenAuth(), SessionAuth(), anonymous]


class ApiRateThrottle(SimpleRateThrottle):
    """Requests per API token, per signed-in user, or per address for anonymous callers."""

    def __init__(self) -> None:
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # The limit is read when used, not at import, like every other setting.
        self.num_requests, self.duration = self.parse_rate(settings.API_RATE_LIMIT)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        if isinstance(request.auth, ApiToken):  # type: ignore[attr-defined]  # django-ninja sets it
            ident = f"token-{request.auth.pk}"  # type: ignore[attr-defined]  # django-ninja sets it
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return f"api-rate-{ident}"
