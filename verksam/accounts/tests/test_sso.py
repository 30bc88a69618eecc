"""Single sign-on end to end against a small OpenID Connect provider served by the test
itself: discovery of nothing is mocked, mozilla-django-oidc talks HTTP to it (token, JWKS,
userinfo) and checks the RS256 ID token as it would Entra ID's."""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.accounts.models import Membership

pytestmark = pytest.mark.django_db

CLIENT_ID = "verksam-test"
CLIENT_SECRET = "test-secret"


class FakeProvider(ThreadingHTTPServer):
    """An OpenID Connect provider that signs in whoever `person` is, with an RS256 key."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProviderHandler)
        self.issuer = f"http://127.0.0.1:{self.server_port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person: dict[str, Any] = {}
        self.audience = CLIENT_ID
        self.grants: dict[str, dict[str, str]] = {}  # code → authorization request
        self.access_tokens: dict[str, dict[str, Any]] = {}

    def id_token(self, request: dict[str, str]) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": request["nonce"],
            **self.person,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test-key"})


class ProviderHandler(BaseHTTPRequestHandler):
    server: FakeProvider

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(self, status: int, body: object = None, headers: dict[str, str] | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        data = json.dumps(body).encode() if body is not None else b""
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/authorize":
            # The person has signed in at the provider: send them back with a code.
            code = secrets.token_urlsafe(16)
            self.server.grants[code] = query
            location = (
                f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
            )
            self.reply(302, headers={"Location": location})
        elif url.path == "/jwks":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.server.key.public_key(), as_dict=True)
            self.reply(200, {"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]})
        elif url.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token in self.server.access_tokens:
                self.reply(200, self.server.access_tokens[token])
            else:
                self.reply(401, {"error": "invalid_token"})
        else:
            self.reply(404)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        request = self.server.grants.pop(form.get("code", ""), None)
        challenge = (
            base64.urlsafe_b64encode(
                hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            )
            .rstrip(b"=")
            .decode()
        )
        if (
            self.path != "/token"
            or request is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != request["redirect_uri"]
            or challenge != request["code_challenge"]
        ):
            self.reply(400, {"error": "invalid_grant"})
            return
        access_token = secrets.token_urlsafe(16)
        # userinfo has the person's profile; the username claim is in the ID token only,
        # as with Entra ID.
        self.server.access_tokens[access_token] = {
            k: v for k, v in self.server.person.items() if k != "preferred_username"
        }
        self.reply(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "id_token": self.server.id_token(request),
            },
        )


@pytest.fixture
def provider(settings) -> Iterator[FakeProvider]:
    server = FakeProvider()
    # Polled every 10 ms, the server stops at once (the default half second was most of
    # each test's time).
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    settings.SSO_ENABLED = True
    settings.SSO_PROVIDER_NAME = "Testkommun ID"
    settings.SSO_USERNAME_CLAIM = "preferred_username"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = server.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{server.issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{server.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{server.issuer}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{server.issuer}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "verksam.accounts.sso.SingleSignOnBackend",
    ]
    server.person = {
        "sub": "x81-opaque",
        "preferred_username": "karin.berg@testkommun.se",
        "given_name": "Karin",
        "family_name": "Berg",
        "email": "karin.berg@testkommun.se",
        "groups": ["not", "stored"],
    }
    yield server
    server.shutdown()
    server.server_close()


def sign_in(client, next_url: str = "") -> str:
    """Go the whole way: verksam → provider's authorize → verksam's callback. Returns
    where the callback sends the browser."""
    start = client.get(reverse("accounts:sso_start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = urlparse(at_provider.headers["Location"])
    assert callback.path == reverse("accounts:sso_callback")
    return client.get(f"{callback.path}?{callback.query}")["Location"]


def test_the_login_page_offers_single_sign_on_when_it_is_configured(client, provider):
    assertContains(client.get(reverse("accounts:login")), "Testkommun ID")


def test_without_configuration_there_is_no_single_sign_on(client):
    assertNotContains(client.get(reverse("accounts:login")), reverse("accounts:sso_start"))
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_a_first_sign_in_makes_an_account_without_roles_and_only_name_and_email(client, provider):
    assert sign_in(client, next_url="/plans/KS-2022/") == "/plans/KS-2022/"
    user = User.objects.get(username="karin.berg@testkommun.se")
    assert (user.first_name, user.last_name, user.email) == (
        "Karin",
        "Berg",
        "karin.berg@testkommun.se",
    )
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert client.get(reverse("accounts:my_account")).context["user"] == user


def test_signing_in_again_finds_the_account_keeps_its_roles_and_updates_the_name(
    client, make_user, provider
):
    user = make_user("karin.berg@testkommun.se", reader="KSK")
    provider.person["family_name"] = "Berg Lund"
    assert sign_in(client) == reverse("pages:home")
    user.refresh_from_db()
    assert user.last_name == "Berg Lund"
    assert User.objects.filter(username__startswith="karin").count() == 1
    assert Membership.objects.filter(user=user, unit__code="KSK").exists()


def test_an_id_token_for_another_client_is_refused(client, provider):
    provider.audience = "someone-else"
    assert sign_in(client) == "/accounts/login/?sso=failed"
    assert not User.objects.filter(username="karin.berg@testkommun.se").exists()
    assertContains(client.get("/accounts/login/?sso=failed"), 'role="alert"')


def test_a_deactivated_account_cannot_sign_in(client, make_user, provider):
    make_user("karin.berg@testkommun.se")
    User.objects.filter(username="karin.berg@testkommun.se").update(is_active=False)
    assert sign_in(client) == "/accounts/login/?sso=failed"
