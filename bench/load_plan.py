"""Benchmark: load-plan's first load and a reload that changes nothing, and the JSON export,
at 1×, 10× and 100× the seed's size (`--quick`: 1× and 10×).

Run with `./run bench` (or `python bench/load_plan.py [--quick]`). Uses bench/.data/bench.sqlite3
unless DATABASE_URL is set. The N× data: the seed loaded, multiplied by
`verksam.testing.multiply_seed` and exported as JSON (`export_plan`); that file is then loaded
into an empty database (first load) and loaded again (reload). Prints wall-clock seconds and
query counts.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from dataset import setup


class QueryCounter:
    """Counts the queries run while installed with connection.execute_wrapper()."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(work) -> tuple[float, int, object]:
    from django.db import connection

    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
    return seconds, queries.count, result


def main(factors: tuple[int, ...]) -> None:
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from verksam.imports import sources
    from verksam.imports.export import export_plan
    from verksam.imports.services import load_plan
    from verksam.plans.models import Action
    from verksam.testing import multiply_seed

    call_command("migrate", verbosity=0)
    # The 100× export is 22 MB in one file, over the loader's limit per file (which stops a
    # mistaken upload, not a plan of this size split into files): raised for the benchmark.
    sources.MAX_FILE_BYTES = 50_000_000
    folder = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    print(f"\n## load-plan and export ({connection.vendor})\n")
    print("| size | first load | reload (nothing changes) | export JSON |")
    print("|---|---|---|---|")
    for factor in factors:
        call_command("flush", interactive=False, verbosity=0)
        load_plan([settings.DEMO_PLAN_DIR])
        multiply_seed(factor)
        path = folder / f"x{factor}.json"
        path.write_text(json.dumps(export_plan(year=2022), ensure_ascii=False), encoding="utf-8")
        call_command("flush", interactive=False, verbosity=0)
        cells = []
        for _ in ("first load", "reload"):
            seconds, count, _result = timed(lambda path=path: load_plan([path]))
            cells.append(f"{seconds:.2f} s, {count:,} queries".replace(",", " "))
        seconds, count, data = timed(lambda: json.dumps(export_plan(year=2022), ensure_ascii=False))
        cells.append(f"{seconds:.2f} s, {count} queries, {len(data) / 1e6:.1f} MB")  # type: ignore[arg-type]
        actions = f"{Action.objects.count():,}".replace(",", " ")
        print(f"| {factor}× ({actions} actions) | " + " | ".join(cells) + " |")
        path.unlink()
    # The seed's own files (YAML), as a municipality loads them.
    call_command("flush", interactive=False, verbosity=0)
    first = timed(lambda: load_plan([settings.DEMO_PLAN_DIR]))
    again = timed(lambda: load_plan([settings.DEMO_PLAN_DIR]))
    print(
        f"\nThe seed's YAML files: first load {first[0]:.2f} s, {first[1]} queries; "
        f"reload {again[0]:.2f} s, {again[1]} queries (target: under 2 s)."
    )
    folder.rmdir()


if __name__ == "__main__":
    main((1, 10) if "--quick" in sys.argv else (1, 10, 100))
