"""Benchmark: the Norrtälje 2022 plan, and the follow-up report of the demo's April round
(open, so made from live data), as PDF, Word and Excel at 1× and 10× the plan's size.

Run with `./run bench` (or `python bench/reports.py`). Uses bench/.data/bench.sqlite3
unless DATABASE_URL is set; the data come from bench/dataset.py. Each document is made in
a fresh process, so that its peak memory (resident set, which includes Typst's own memory
beside Python's) is its own. Prints wall-clock seconds, the peak resident memory above the
process's size before the run, and the file size.
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "xlsx")
REPORTS = ("plan", "followup")


def resident_mb() -> float:
    """The process's current resident set size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(report: str, format_name: str) -> None:
    """In a child process: make the board plan or the April round's follow-up report in
    one format, print figures as JSON."""
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
    """1× and 10× (also with `--quick`): at 10× the PDF already takes over half a gigabyte
    (Typst lays out the whole document at once), so 100× is not run on a shared machine."""
    sys.path.insert(0, str(ROOT / "bench"))
    from dataset import database
    from dataset import setup as setup_data

    setup_data()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"\n## Documents ({connection.vendor})\n")
    print("| size | report | format | time | peak memory | file |")
    print("|---|---|---|---|---|---|")
    for factor in (1, 10):
        sizes = database(factor)
        items = f"{sizes['actions']} actions, {sizes['indicators']} indicators"
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
                    f"| {factor}× ({items}) | {report} | {format_name} | "
                    f"{figures['seconds']:.2f} s | {figures['memory']:.0f} MB | "
                    f"{figures['size'] / 1e6:.2f} MB |"
                )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        sys.path.insert(0, str(ROOT / "bench"))
        from dataset import setup as setup_data

        setup_data()
        measure(sys.argv[2], sys.argv[3])
    else:
        main()
