"""Benchmark: full-text search and the list pages at 1×, 10× and 100× the seed's size.

Run with `./run bench` (or `python bench/search.py [--quick]`; --quick: 1× and 10×). Uses a
throwaway SQLite database unless DATABASE_URL is set. Prints milliseconds per request (median
of 5) and query counts.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["trygghet", "hyressättningsmodellen", "digital bokning", "uppdrag kommun"]
PAGES = ["/actions/?sort=-end", "/actions/?unit=KSK&late=on", "/plans/KS-2022/overview/"]


def timed(client, url: str) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, url
    return statistics.median(times) * 1000, len(queries)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    os.environ.setdefault("DEBUG", "true")  # the test client's host and static files
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from verksam.imports.services import load_plan
    from verksam.search.models import SearchDocument
    from verksam.search.services import rebuild_index
    from verksam.testing import multiply_seed

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    load_plan([settings.DEMO_PLAN_DIR])
    print(f"database: {connection.vendor}")
    client = Client()
    size = 1
    for factor in (1, 10) if "--quick" in sys.argv else (1, 10, 100):
        if factor > size:
            multiply_seed(factor // size)
            size = factor
        start = time.perf_counter()
        documents = rebuild_index()
        seconds = time.perf_counter() - start
        print(f"{factor}×: {documents} documents, index rebuilt in {seconds:.2f} s")
        for query in QUERIES:
            ms, count = timed(client, f"/search/?q={query}")
            print(f"  search {query!r}: {ms:.0f} ms, {count} queries")
        for page in PAGES:
            ms, count = timed(client, page)
            print(f"  {page}: {ms:.0f} ms, {count} queries")
    assert SearchDocument.objects.count() == documents


if __name__ == "__main__":
    main()
