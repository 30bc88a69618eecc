"""Benchmark: the Norrtälje 2022 plan as PDF, Word and Excel at 1× and 10× its size.

Run with `./run bench` (or `python bench/reports.py`). Uses a throwaway SQLite database
unless DATABASE_URL is set. Prints wall-clock seconds, peak Python memory (tracemalloc:
Python allocations only; Typst's own memory is reported separately as the process's peak
resident size, which includes everything) and the file size.
"""

import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load_plan import scaled_copy  # noqa: E402  (the same 10× data as the load benchmark)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from verksam.imports.services import load_plan
    from verksam.plans.models import Action, Plan
    from verksam.reports.formats import plan_report

    call_command("migrate", verbosity=0)
    for factor in (1, 10):
        load_plan([scaled_copy(workdir / f"x{factor}", factor)])
        plan = Plan.objects.select_related("owner").get(key="KS-2022")
        for format_name in ("pdf", "docx", "xlsx"):
            tracemalloc.start()
            start = time.perf_counter()
            content = plan_report(plan, format_name, visible=Plan.objects.all())
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{factor:>2}× {format_name:<5} {seconds:7.2f} s  peak {peak / 1e6:6.1f} MB "
                f"(process {rss:5.0f} MB)  {len(content) / 1e6:5.2f} MB  "
                f"({Action.objects.count()} actions)"
            )
        call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
