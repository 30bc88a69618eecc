"""Benchmark: the follow-up pages and closing a round, on the seed plan at 1× and 10×.

Run with `./run bench` (or `python bench/followup.py`). Uses a throwaway SQLite database
unless DATABASE_URL is set. Loads the (scaled) seed and the demo's example April round,
then prints wall-clock seconds and query counts per page as a controller sees it.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from load_plan import QueryCounter, scaled_copy

ROOT = Path(__file__).resolve().parent.parent
PAGES = (
    ("att rapportera", "/followup/to-report/"),
    ("completeness board", "/followup/periods/KS-2022-t1/board/"),
    ("checks", "/followup/periods/KS-2022-t1/checks/"),
    ("goal attainment", "/followup/periods/KS-2022-t1/attainment/"),
)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from verksam.followup import reporting, services
    from verksam.followup.examples import load_example_round
    from verksam.imports.services import load_plan
    from verksam.plans.models import Action

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    for factor in (1, 10):
        # The example round refers to the seed's items; the copies come after it, unreported.
        load_plan([settings.DEMO_PLAN_DIR])
        period = load_example_round(settings.DEMO_FOLLOWUP_FILE).period
        load_plan([scaled_copy(workdir / f"x{factor}", factor)])
        controller = get_user_model().objects.get(username="exempel-controller")
        client = Client()
        client.force_login(controller)
        for label, url in PAGES:
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                start = time.perf_counter()
                status = client.get(url).status_code
                seconds = time.perf_counter() - start
            print(
                f"{factor:>2}× {label:<20} {seconds:7.2f} s  {queries.count:6} queries  "
                f"(HTTP {status}, {Action.objects.count()} actions)"
            )
        for finding in reporting.findings(period):
            services.acknowledge_finding(
                period, actor=controller, code=finding.code, subject=finding.subject, note="-"
            )
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            start = time.perf_counter()
            services.close_period(period, actor=controller)
            seconds = time.perf_counter() - start
        print(
            f"{factor:>2}× {'close with snapshot':<20} {seconds:7.2f} s  {queries.count:6} queries"
        )
        call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
