"""Personal API tokens: `Authorization: Bearer …`, revocation, the rate limit, the command."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from verksam.accounts import services
from verksam.accounts.models import ApiToken
from verksam.plans.models import Plan

pytestmark = pytest.mark.django_db

DRAFT = "/api/plans/SBK-2022"


@pytest.fixture(autouse=True)
def draft_and_fresh_counts():
    """SBK's part as a draft, readable only by SBK's readers; rate counts start at zero."""
    Plan.objects.filter(key="SBK-2022").update(status=Plan.Status.DRAFT)
    cache.clear()
    yield
    cache.clear()


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_for(user, name: str = "test") -> str:
    return services.create_api_token(actor=user, user=user, name=name)[1]


def test_a_token_reads_what_its_owner_may_read(client, make_user):
    secret = token_for(make_user("sbk-reader", reader="SBK"))
    assert client.get(DRAFT, **bearer(secret)).status_code == 200
    assert client.get(DRAFT).status_code == 404


def test_a_token_of_someone_without_the_role_does_not_open_the_draft(client, make_user):
    secret = token_for(make_user("tsk-reader", reader="TSK"))
    assert client.get(DRAFT, **bearer(secret)).status_code == 404


@pytest.mark.parametrize(
    "header", ["Bearer verksam_wrong", "Bearer not-even-ours", "Basic YW5uYTpwdw==", "Bearer "]
)
def test_a_wrong_token_is_refused_not_read_as_anonymous(client, header):
    response = client.get("/api/plans/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_a_revoked_token_or_a_removed_persons_token_stops_working(client, make_user):
    anna = make_user("anna", reader="SBK")
    first, second = token_for(anna, "first"), token_for(anna, "second")
    services.revoke_api_token(actor=anna, token=ApiToken.objects.get(name="first"))
    assert client.get(DRAFT, **bearer(first)).status_code == 401
    assert client.get(DRAFT, **bearer(second)).status_code == 200
    services.remove_user(actor=None, user=anna)
    assert client.get(DRAFT, **bearer(second)).status_code == 401


def test_the_session_still_works_for_the_api(client, make_user):
    client.force_login(make_user("sbk-reader", reader="SBK"))
    assert client.get(DRAFT).status_code == 200


def test_too_many_requests_with_one_token_get_429_with_retry_after(client, make_user, settings):
    settings.API_RATE_LIMIT = "2/min"
    anna = make_user("anna")
    busy, other = token_for(anna, "busy"), token_for(anna, "other")
    assert [client.get("/api/plans/", **bearer(busy)).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/plans/", **bearer(busy))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # The limit is per token.
    assert client.get("/api/plans/", **bearer(other)).status_code == 200


def test_the_counts_are_in_the_database_shared_by_every_app_process(client, make_user, settings):
    settings.API_RATE_LIMIT = "1/min"
    secret = token_for(make_user("anna"))
    assert client.get("/api/plans/", **bearer(secret)).status_code == 200
    assert client.get("/api/plans/", **bearer(secret)).status_code == 429
    # Another process sees the same row; when it is gone, the count starts again.
    key = f"api-rate-token-{ApiToken.objects.get().pk}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM verksam_cache WHERE cache_key LIKE %s", [f"%{key}"])
        assert cursor.fetchone() == (1,)
        cursor.execute("DELETE FROM verksam_cache")
    assert client.get("/api/plans/", **bearer(secret)).status_code == 200


def test_anonymous_callers_are_limited_per_address(client, settings):
    settings.API_RATE_LIMIT = "1/min"
    assert client.get("/api/plans/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/plans/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get("/api/plans/", REMOTE_ADDR="10.0.0.2").status_code == 200
    # A made-up X-Forwarded-For does not make a new caller.
    spoofed = client.get("/api/plans/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert spoofed.status_code == 429


def test_people_may_not_make_or_revoke_tokens_for_someone_else(make_user):
    from django.core.exceptions import PermissionDenied

    anna, olle = make_user("anna"), make_user("olle", admin="KS")
    with pytest.raises(PermissionDenied):
        services.create_api_token(actor=olle, user=anna, name="x")
    token_for(anna)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=olle, token=ApiToken.objects.get(user=anna))
    assert ApiToken.objects.filter(user=anna).count() == 1


def test_the_user_token_command_prints_a_working_token_and_revokes_it(client, make_user):
    make_user("sbk-reader", reader="SBK")
    out = io.StringIO()
    call_command("user", "token", "sbk-reader", "--name", "report robot", stdout=out)
    secret = out.getvalue().strip()
    assert ApiToken.objects.get().name == "report robot"
    assert client.get(DRAFT, **bearer(secret)).status_code == 200

    call_command("user", "token", "sbk-reader", "--name", "report robot", "--revoke", stdout=out)
    assert out.getvalue().endswith("sbk-reader: 1 token «report robot» återkallad\n")
    assert client.get(DRAFT, **bearer(secret)).status_code == 401
    with pytest.raises(CommandError, match="«report robot»"):
        call_command("user", "token", "sbk-reader", "--name", "report robot", "--revoke")
