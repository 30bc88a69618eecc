"""Settings from a `.env` file (python-dotenv) and the `.env.example` that documents them:
valid bash, read alike by bash and by verksam, and safe to copy as it is. The settings are
read at start-up: `check --deploy` runs `verksam` in a subprocess, the other cases run the
settings module in this process with the environment given (`testing.settings_from`)."""

import os
import re
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

from verksam.testing import run_verksam, settings_from

EXAMPLE = Path(settings.PROJECT_DIR) / ".env.example"


def bash_environment(path: Path) -> dict[str, str]:
    """The variables that `set -a; . FILE` gives a clean bash."""
    result = subprocess.run(
        ["env", "-i", f"PATH={os.environ['PATH']}", "bash", "-euc", 'set -a; . "$0"; env -0', path],
        capture_output=True,
        check=True,
        timeout=30,
    )
    pairs = [item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item]
    return dict(pairs)


def test_env_example_is_valid_bash_and_bash_reads_what_verksam_reads():
    in_bash = bash_environment(EXAMPLE)
    in_python = dotenv_values(EXAMPLE)
    assert in_python["SSO_PROVIDER_NAME"] == "Microsoft Entra ID"
    assert in_python["DEFAULT_FROM_EMAIL"] == "verksam <verksam@example.se>"
    assert {name: in_bash.get(name) for name in in_python} == in_python


def test_env_example_names_every_e_mail_and_site_setting():
    names = set(dotenv_values(EXAMPLE)) | {
        line.lstrip("# ").split("=")[0]
        for line in EXAMPLE.read_text().splitlines()
        if line.startswith("# ") and "=" in line and line[2:3].isupper()
    }
    assert {
        "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "VERKSAM_ENV",
        "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
        "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL", "STATIC_ROOT", "SENTRY_DSN", "LOG_LEVEL",
    } <= names  # fmt: skip


def example_copy(tmp_path: Path, secret_key: str = "") -> Path:
    """`.env.example` copied as `.env`, with `secret_key` filled in."""
    copy = tmp_path / ".env"
    copy.write_text(EXAMPLE.read_text().replace("\nSECRET_KEY=\n", f"\nSECRET_KEY={secret_key}\n"))
    return copy


def test_env_example_with_a_secret_key_passes_check_deploy(tmp_path):
    """The installed command, end to end: the secret key is only in the file, so the file is
    read (the cases below run the settings module in this process, `settings_from`)."""
    copy = example_copy(tmp_path, secrets.token_urlsafe(50))
    result = run_verksam("check", "--deploy", env={"VERKSAM_ENV_FILE": str(copy)})
    assert result.returncode == 0, result.stderr
    # Only the choices the example leaves to the reader: HSTS for subdomains and preloading.
    assert set(re.findall(r"\?: \(([\w.]+)\)", result.stderr)) == {
        "security.W005",
        "security.W021",
    }, result.stderr


def test_env_example_copied_as_it_is_refuses_to_start_until_a_secret_key_is_set(tmp_path):
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_from({"VERKSAM_ENV_FILE": str(example_copy(tmp_path))})
    assert str(refused.value) == "SECRET_KEY must be set in production."


def printed(s: dict[str, Any]) -> tuple[Any, ...]:
    return s["ENVIRONMENT"], s["SITE_URL"], s["ORGANISATION_NAME"], s["ALLOWED_HOSTS"]


def test_a_dotenv_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / "verksam.env"
    env_file.write_text(
        "SECRET_KEY=from-the-file-0123456789\nSITE_URL=https://file.example\n"
        'VERKSAM_ORGANISATION_NAME="Norrtälje kommun"\nALLOWED_HOSTS=a.example,b.example\n'
    )
    s = settings_from(
        {"VERKSAM_ENV_FILE": str(env_file), "SITE_URL": "https://environment.example"}
    )
    assert printed(s) == (
        "production", "https://environment.example", "Norrtälje kommun", ["a.example", "b.example"]
    )  # fmt: skip
    assert s["SECRET_KEY"] == "from-the-file-0123456789"


def test_an_empty_value_means_not_set(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=k\nSITE_URL=\nCONN_MAX_AGE=\nEMAIL_PORT=\nALLOWED_HOSTS=\n")
    s = settings_from({"VERKSAM_ENV_FILE": str(env_file)})
    assert printed(s) == ("production", "http://127.0.0.1:8000", "", ["127.0.0.1", "localhost"])
    assert s["DATABASES"]["default"]["CONN_MAX_AGE"] == 60


def test_an_env_file_that_is_not_there_is_named(tmp_path):
    missing = tmp_path / "verksam.env"
    with pytest.raises(ImproperlyConfigured) as refused:
        settings_from({"VERKSAM_ENV_FILE": str(missing)})
    assert str(refused.value) == f"VERKSAM_ENV_FILE names no file: {missing}"
