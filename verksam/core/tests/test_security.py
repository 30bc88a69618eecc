"""Hardening: the Content-Security-Policy, `check --deploy` with the production settings of
docs/operations.md, and the refusal to start in production without a secret key. The
settings are read at start-up, so those run `verksam` in a subprocess with the environment
given."""

import re
import secrets
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from verksam.core.csp import ContentSecurityPolicyMiddleware, build_policy
from verksam.testing import run_verksam

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
    result = run_verksam("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_with_no_settings_at_all_the_app_refuses_to_start_without_a_secret_key():
    result = run_verksam("check", env={})
    assert result.returncode != 0
    assert result.stderr.strip() == "verksam: SECRET_KEY must be set in production."


def test_with_only_a_secret_key_the_app_runs_as_production():
    script = (
        "from django.conf import settings as s; "
        "mail = getattr(s, 'MAILERS', {}).get('default', {}).get('BACKEND') or s.EMAIL_BACKEND; "
        "print(s.ENVIRONMENT, s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, mail)"
    )
    result = run_verksam("shell", "-v", "0", "-c", script, env={"SECRET_KEY": "x" * 50})
    assert result.stdout.split() == [
        "production", "False", "True", "True", "True", "31536000",
        "django.core.mail.backends.smtp.EmailBackend",
    ]  # fmt: skip


def test_development_mode_is_asked_for_and_only_by_its_name():
    script = "from django.conf import settings as s; print(s.ENVIRONMENT, s.SESSION_COOKIE_SECURE)"
    development = run_verksam("shell", "-v", "0", "-c", script, env={"VERKSAM_ENV": "development"})
    assert development.stdout.split() == ["development", "False"]
    typo = run_verksam("check", env={"VERKSAM_ENV": "dev", "SECRET_KEY": "x" * 50})
    assert "VERKSAM_ENV must be production or development, not 'dev'." in typo.stderr


def test_debug_in_production_refuses_to_start():
    result = run_verksam("check", env={**PRODUCTION, "DEBUG": "true"})
    assert result.returncode != 0
    assert "DEBUG shows internals: it needs VERKSAM_ENV=development." in result.stderr


def test_single_sign_on_half_configured_refuses_to_start_and_names_what_is_missing():
    env = {**PRODUCTION, "OIDC_RP_CLIENT_ID": "verksam", "OIDC_OP_ISSUER": "https://idp.example"}
    result = run_verksam("check", env=env)
    assert result.returncode != 0
    assert "Single sign-on needs OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT" in (
        result.stderr
    )


def test_sessions_cookies_and_https_follow_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    production = run_verksam("shell", "-v", "0", "-c", script, env=PRODUCTION)
    assert production.stdout.split() == [
        "28800", "True", "True", "31536000", "True", "True", "5", "0:15:00"
    ]  # fmt: skip
    changed = {
        **PRODUCTION,
        "SESSION_COOKIE_AGE": "3600",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_FAILURE_LIMIT": "10",
        "AXES_COOLOFF_MINUTES": "60",
    }
    assert run_verksam("shell", "-v", "0", "-c", script, env=changed).stdout.split() == [
        "3600", "True", "False", "0", "True", "True", "10", "1:00:00"
    ]  # fmt: skip


def test_spreadsheets_are_read_with_defusedxml_so_an_xml_bomb_cannot_explode():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_error_tracking_is_on_only_with_a_dsn_and_sends_no_personal_data():
    script = (
        "import sentry_sdk; c = sentry_sdk.get_client(); print(c.is_active()); "
        "d = c.is_active() and c.options['data_collection']; "
        "d and print(d['user_info'], d['cookies']['mode'], len(d['http_bodies']),"
        " d['url_query_params']['mode'], d['stack_frame_variables'], d['database_query_data'],"
        " c.options['environment'])"
    )
    assert run_verksam("shell", "-v", "0", "-c", script, env=PRODUCTION).stdout.split() == ["False"]
    # A DSN on this machine's discard port: nothing is sent unless an error is captured.
    with_dsn = {**PRODUCTION, "SENTRY_DSN": "http://public@127.0.0.1:9/1"}
    assert run_verksam("shell", "-v", "0", "-c", script, env=with_dsn).stdout.split() == [
        "True", "False", "off", "0", "off", "False", "False", "production"
    ]  # fmt: skip
