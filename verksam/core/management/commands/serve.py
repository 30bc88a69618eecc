"""`verksam serve`: the production web server, gunicorn, running verksam's application."""

import os
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

# gunicorn's access log with the response time and the request id (the X-Request-ID
# header), so that a line in the access log finds its lines in the error log.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s]'


def default_workers() -> int:
    """WEB_CONCURRENCY when set, else gunicorn's advice: two per CPU core, plus one."""
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1) + 1


class Command(BaseCommand):
    help = (
        "Serve verksam with gunicorn, for production behind a reverse proxy / "
        "kör verksam med gunicorn bakom en omvänd proxy. Extra gunicorn options: "
        "GUNICORN_CMD_ARGS."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("VERKSAM_BIND", "127.0.0.1:8000"),
            help="address:port, or unix:PATH (default: VERKSAM_BIND, else 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="processes (default: WEB_CONCURRENCY, else 2 × CPU cores + 1)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="threads per worker (gunicorn's gthread workers): a worker answers other "
            "requests while one waits on the database, and keeps connections alive "
            "(default 4; each thread holds its own database connection)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=120,
            help="seconds a request may take before its worker is restarted (documents take "
            "a few; default 120)",
        )

    def handle(
        self, *args: Any, bind: str, workers: int, threads: int, timeout: int, **options: Any
    ) -> None:
        if settings.DEVELOPMENT:
            self.stderr.write(_("Development mode (VERKSAM_ENV=development): not for production"))
        # Production's hashed file names come from collectstatic's manifest.
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not (Path(settings.STATIC_ROOT) / manifest).exists():
            raise CommandError(
                _("Run `verksam collectstatic --no-input` first: %(folder)s lacks the static files")
                % {"folder": settings.STATIC_ROOT}
            )
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "verksam.config.wsgi",
            f"--bind={bind}",
            f"--workers={workers}",
            # Threaded workers: measured faster than sync ones for the trivial view, signed-in
            # pages and saves alike (docs/performance.md, "Concurrent reporting").
            "--worker-class=gthread",
            f"--threads={threads}",
            f"--timeout={timeout}",
            "--access-logfile=-",
            f"--access-logformat={ACCESS_LOG_FORMAT}",
            # No control socket in the home directory, shared by every gunicorn of the user.
            "--no-control-socket",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)
