"""Hardening: the Content-Security-Policy, `check --deploy` with the production settings of
docs/operations.md, and the refusal to start in production without a secret key. The
settings are read at start-up: `check --deploy`, the refusal and error tracking run
`verksam` in a subprocess with the environment given; the other cases run the settings
module in this process with that environment (`testing.settings_from`)."""

import re
import secrets
from datetime import timedelta
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from verksam.core.csp import ContentSecurityPolicyMiddleware, build_policy
from verksam.testing import run_verksam, settings_from

TEMPLATES = Path(settings.BASE_DIR)
# The documented production settings; production is the default, so nothing says so.
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "verksam.example.se",
    "SITE_URL": "https://verksam.example.se",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "DATABASE_URL": "sqlite://:memory:",
}


@pytest.mark.django_db
def test_pages_send_a_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_the_api_documentation_loads_only_our_own_files(client):
    html = client.get("/api/docs").content.decode()
    assert "ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html
    schemes = client.get("/api/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_no_template_has_inline_script_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("templates/**/*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_the_django_5_2_middleware_sends_the_same_header_as_django_6():
    response = ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(
        RequestFactory().get("/")
    )
    assert response["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    if django.VERSION >= (6, 0):
        from django.utils.csp import build_policy as django_build_policy

        assert build_policy(settings.SECURE_CSP) == django_build_policy(settings.SECURE_CSP)


def test_the_django_5_2_middleware_keeps_a_policy_the_view_set():
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_production_settings_pass_check_deploy_without_warnings():
    """The installed command, end to end: nothing says production, so this is the default."""
    result = run_verksam("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_with_no_settings_at_all_the_app_refuses_to_start_without_a_secret_key():
    """The installed command, end to end: the refusal is one line, without a traceback."""
    result = run_verksam("check", env={})
    assert result.returncode != 0
    assert result.stderr.strip() == "verksam: SECRET_KEY must be set in production."


# The settings module is a function of the environment: the cases below run it in this
# process (`settings_from`), as the two commands above start with it.


def test_with_only_a_secret_key_the_app_runs_as_production():
    s = settings_from({"SECRET_KEY": "x" * 50})
    mail = s.get("MAILERS", {}).get("default", {}).get("BACKEND") or s["EMAIL_BACKEND"]
    assert (
        s["ENVIRONMENT"], s["DEBUG"], s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"],
        s["SECURE_SSL_REDIRECT"], s["SECURE_HSTS_SECONDS"], mail,
    ) == (
        "production", False, True, True, True, 31536000,
        "django.core.mail.backends.smtp.EmailBackend",
    )  # fmt: skip


def test_development_mode_is_asked_for_and_only_by_its_name():
    development = settings_from({"VERKSAM_ENV": "development"})
    assert (development["ENVIRONMENT"], development["SESSION_COOKIE_SECURE"]) == (
        "development",
        False,
    )
    with pytest.raises(
        ImproperlyConfigured, match=re.escape("VERKSAM_ENV must be production or development")
    ) as typo:
        settings_from({"VERKSAM_ENV": "dev", "SECRET_KEY": "x" * 50})
    assert str(typo.value) == "VERKSAM_ENV must be production or development, not 'dev'."


def test_debug_in_production_refuses_to_start():
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_from({**PRODUCTION, "DEBUG": "true"})
    assert str(refused.value) == "DEBUG shows internals: it needs VERKSAM_ENV=development."


def test_single_sign_on_half_configured_refuses_to_start_and_names_what_is_missing():
    env = {**PRODUCTION, "OIDC_RP_CLIENT_ID": "verksam", "OIDC_OP_ISSUER": "https://idp.example"}
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_from(env)
    assert "Single sign-on needs OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT" in str(
        refused.value
    )


SESSION_SETTINGS = (
    "SESSION_COOKIE_AGE", "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
)  # fmt: skip


def test_sessions_cookies_and_https_follow_the_environment():
    production = settings_from(PRODUCTION)
    assert [production[name] for name in SESSION_SETTINGS] == [
        28800, True, True, 31536000, True, True, 5, timedelta(minutes=15)
    ]  # fmt: skip
    changed = {
        **PRODUCTION,
        "SESSION_COOKIE_AGE": "3600",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_FAILURE_LIMIT": "10",
        "AXES_COOLOFF_MINUTES": "60",
    }
    assert [settings_from(changed)[name] for name in SESSION_SETTINGS] == [
        3600, True, False, 0, True, True, 10, timedelta(hours=1)
    ]  # fmt: skip


def test_spreadsheets_are_read_with_defusedxml_so_an_xml_bomb_cannot_explode():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_error_tracking_is_on_only_with_a_dsn_and_sends_no_personal_data():
    # Without a DSN the settings never start it (`settings_from` fails if they do).
    assert settings_from(PRODUCTION)["SENTRY_DSN"] == ""
    # With one, the installed command (error tracking starts in its process). A DSN on this
    # machine's discard port: nothing is sent unless an error is captured.
    script = (
        "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active()); "
        "d = c.is_active() and c.options['data_collection']; "
        "d and print(d['user_info'], d['cookies']['mode'], len(d['http_bodies']),"
        " d['url_query_params']['mode'], d['stack_frame_variables'], d['database_query_data'],"
        " c.options['environment'])"
    )
    with_dsn = {**PRODUCTION, "SENTRY_DSN": "http://public@127.0.0.1:9/1"}
    assert run_verksam("shell", "-v", "0", "-c", script, env=with_dsn).stdout.split() == [
        "True", "False", "off", "0", "off", "False", "False", "production"
    ]  # fmt: skip
