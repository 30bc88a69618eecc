"""Benchmark: the Norrtälje 2022 plan, and the follow-up report of the demo's April round
(open, so made from live data), as PDF, Word and Excel at 1× and 10× the plan's size.

Run with `./run bench` (or `python bench/reports.py`). Uses a throwaway SQLite database
unless DATABASE_URL is set. Each document is made in a fresh process, so that its peak
memory (resident set, which includes Typst's own memory beside Python's) is its own.
Prints wall-clock seconds, the peak resident memory above the process's size before
the run, and the file size.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "xlsx")
REPORTS = ("plan", "followup")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def resident_mb() -> float:
    """The process's current resident set size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(report: str, format_name: str) -> None:
    """In a child process: make the board plan or the April round's follow-up report in
    one format, print figures as JSON."""
    setup_django()
    from verksam.followup.models import ReportingPeriod
    from verksam.plans.models import Plan
    from verksam.reports.formats import followup_report, plan_report

    plan = Plan.objects.select_related("owner").get(key="KS-2022")
    period = ReportingPeriod.objects.select_related("plan__owner").get(key="KS-2022-t1")
    baseline = resident_mb()
    start = time.perf_counter()
    if report == "plan":
        content = plan_report(plan, format_name, visible=Plan.objects.all())
    else:
        content = followup_report(period, format_name)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "memory": peak - baseline, "size": len(content)}))


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from load_plan import scaled_copy  # the same 10× data as the load benchmark

    workdir = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from verksam.followup.examples import load_example_round
    from verksam.imports.services import load_plan
    from verksam.indicators.models import Indicator
    from verksam.plans.models import Action

    call_command("migrate", verbosity=0)
    for factor in (1, 10):
        # The example round refers to the seed's items; the copies come after it, unreported.
        load_plan([settings.DEMO_PLAN_DIR])
        load_example_round(settings.DEMO_FOLLOWUP_FILE)
        load_plan([scaled_copy(workdir / f"x{factor}", factor)])
        items = f"{Action.objects.count()} actions, {Indicator.objects.count()} indicators"
        for report in REPORTS:
            for format_name in FORMATS:
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", report, format_name],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures = json.loads(child.stdout.strip().splitlines()[-1])
                print(
                    f"{factor:>2}× {report:<8} {format_name:<5} {figures['seconds']:6.2f} s  "
                    f"{figures['memory']:6.0f} MB peak  {figures['size'] / 1e6:5.2f} MB file  "
                    f"({items})"
                )
        call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
