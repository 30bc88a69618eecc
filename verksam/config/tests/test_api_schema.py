"""Every API operation against the OpenAPI schema it publishes (schemathesis): generated
requests, valid and invalid, sent with a personal API token, end in no server error and in
no answer that the schema does not describe (status, content type, body, headers).

Bounded and repeatable: derandomised, no example database; the requests go to the WSGI
application in this process and its test database. Each operation gets schemathesis's
coverage cases (every boundary and wrong type the schema allows one to name: about 1 200
requests in all) and `EXAMPLES_PER_OPERATION` random ones (2 728 requests in all)."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from verksam.accounts import services
from verksam.followup.examples import load_example_round

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30
PERIOD, ACTION = "KS-2022-t1", "ksk-2022-1.1-u1-a1"  # the example April round, an action in it
# Ids that exist, so that generated queries and bodies reach the code behind the 404.
EXISTING = {
    "/plans/{key}": {"key": "KS-2022"},
    "/budget/{key}": {"key": "KSK-2022"},
    "/risks/{key}": {"key": "SBK-2022"},
    "/followup/periods/{key}/status-reports": {"key": PERIOD},
    "/economy/periods/{key}": {"key": PERIOD},
    "/followup/periods/{key}/{kind}/{item_key}/status": {
        "key": PERIOD, "kind": "action", "item_key": ACTION
    },
    **{f"/planning/plans/{{key}}/{verb}": {"key": "KS-2022"}
       for verb in ("review", "draft", "decide", "archive", "amendments", "diff")},
    "/planning/plans/{key}/items": {"key": "KSK-2022"},
    "/planning/plans/{key}/items/{kind}": {"key": "KSK-2022", "kind": "action"},
    "/planning/plans/{key}/order/{kind}": {"key": "KSK-2022", "kind": "action"},
    "/planning/items/{kind}/{item_key}": {"kind": "action", "item_key": ACTION},
    "/planning/items/{kind}/{item_key}/move": {"kind": "action", "item_key": ACTION},
    "/planning/plans/{key}/comments": {"key": "KS-2022"},
    "/planning/items/{kind}/{item_key}/comments": {"kind": "action", "item_key": ACTION},
    **{f"/planning/comments/{{pk}}/{verb}": {"pk": 1} for verb in ("answer", "close", "reopen")},
}  # fmt: skip
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)

# Loaded through the application itself, as a client would (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_tests_connection():
    """The WSGI handler closes a connection that is not in autocommit after each request;
    in a test that is the test's transaction. Django's test client steps aside the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def credentials(make_user, settings, request) -> dict[str, dict[str, str]]:
    """A controller at the board, who reads drafts and reports on the open April round:
    a personal API token, and for the one operation that takes a session only (writing a
    status) a session with its CSRF token."""
    settings.API_RATE_LIMIT = "1000000/min"  # the rate limit has its own test
    if "/followup/" in request.node.name:
        load_example_round(django_settings.DEMO_FOLLOWUP_FILE)
    user = make_user("schema-tester", controller="KS")
    token = services.create_api_token(actor=user, user=user, name="schemathesis")[1]
    browser = Client()
    browser.force_login(user)
    csrf = get_random_string(32)
    return {
        "headers": {"Authorization": f"Bearer {token}", "X-CSRFToken": csrf},
        "cookies": {
            django_settings.SESSION_COOKIE_NAME: browser.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
    }


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_its_schema_says(case, credentials):
    call_and_validate(case, credentials)


@schema.include(path_regex=r"\{").parametrize()
@BOUNDED
def test_every_operation_on_existing_objects_answers_as_its_schema_says(case, credentials):
    path = case.operation.path.removeprefix("/api")
    case.path_parameters = {**(case.path_parameters or {}), **EXISTING[path]}
    call_and_validate(case, credentials)


def call_and_validate(case, credentials) -> None:
    """Every check of schemathesis, but one for writes: the rules that span fields (a
    deviating status needs its cause, remedy and forecast; done means 100 %) are not in the
    JSON schema, so a body valid by the schema may be refused, with the documented 422."""
    writes = case.method.upper() in {"POST", "PUT", "PATCH"}
    # The session replaces a generated session cookie; a case left without one (to see
    # that the session is required) stays without.
    if django_settings.SESSION_COOKIE_NAME in (case.cookies or {}):
        case.cookies = {**case.cookies, **credentials["cookies"]}
    case.call_and_validate(
        headers=credentials["headers"],
        excluded_checks=[positive_data_acceptance] if writes else [],
    )
