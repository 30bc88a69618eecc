"""`verksam serve`: gunicorn with whitenoise, as in production. One test runs the real
thing in a subprocess (production settings, static files collected with production's
storage, a free port) and reads the site as a browser behind the proxy would."""

import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from verksam.core.management.commands import serve

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_serve_runs_gunicorn_with_verksams_application(monkeypatch, settings, tmp_path):
    settings.STORAGES, settings.STATIC_ROOT = PRODUCTION_STORAGES, tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    call_command("serve", "--bind", "unix:/run/verksam.sock", "--workers", "3")
    [argv] = calls
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "verksam.config.wsgi"]
    assert {
        "--bind=unix:/run/verksam.sock",
        "--workers=3",
        "--worker-class=gthread",
        "--threads=4",
        "--access-logfile=-",
    } <= set(argv)


def test_serve_takes_its_workers_from_web_concurrency_else_the_cpu_cores(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    assert serve.default_workers() == 7
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert serve.default_workers() == 2 * len(os.sched_getaffinity(0)) + 1


def test_serve_in_production_asks_for_collectstatic_first(monkeypatch, settings, tmp_path):
    settings.STORAGES, settings.STATIC_ROOT = PRODUCTION_STORAGES, tmp_path
    monkeypatch.setattr(os, "execv", lambda path, argv: pytest.fail("started without files"))
    with pytest.raises(CommandError, match="verksam collectstatic --no-input"):
        call_command("serve")


PROXY = {"X-Forwarded-Proto": "https"}


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_production_server_serves_the_styled_site_and_its_hashed_static_files(
    tmp_path: Path, settings
):
    # The files collected in this process, with production's storage (the second or so that
    # starting `verksam collectstatic` takes goes to the server's own start), but not the
    # admin's and the API explorer's: the site's pages use neither, and compressing their
    # 8 MB took three of this test's four seconds of CPU.
    settings.STORAGES, settings.STATIC_ROOT = PRODUCTION_STORAGES, tmp_path / "static"
    call_command("collectstatic", "--no-input", ignore_patterns=["admin", "ninja"], verbosity=0)
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://verksam.example.se",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    }
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    log, access = tmp_path / "error.log", tmp_path / "access.log"
    with log.open("w") as stderr, access.open("w") as stdout:
        server = subprocess.Popen(
            [sys.executable, "-m", "verksam", "serve", "--bind", "127.0.0.1:0", "--workers", "1"],
            env={**clean, "VERKSAM_ENV_FILE": os.devnull, **env},
            stdout=stdout,
            stderr=stderr,
        )
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())):
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        base = found.group(1)

        status, _headers, body = fetch(f"{base}/health/", {})
        assert (status, body) == (200, b"ok\n")
        status, headers, body = fetch(f"{base}/no-such-page/", {**PROXY, "Accept-Language": "sv"})
        html = body.decode()
        assert status == 404
        assert "Sidan finns inte" in html
        stylesheet = re.search(r'href="(/static/verksam/verksam\.[0-9a-f]{12}\.css)"', html)
        script = re.search(
            r'src="(/static/verksam/vendor/htmx-[\d.]+\.min\.[0-9a-f]{12}\.js)"', html
        )
        assert stylesheet, html
        assert script, html
        for path in (stylesheet.group(1), script.group(1)):
            status, headers, body = fetch(base + path, {**PROXY, "Accept-Encoding": "gzip"})
            assert status == 200
            assert headers["Content-Encoding"] == "gzip"
            assert "immutable" in headers["Cache-Control"]
        request_id = fetch(f"{base}/no-such-page/", PROXY)[1]["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert f"[{request_id}]" in access.read_text()
