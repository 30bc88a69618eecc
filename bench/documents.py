"""Benchmark: the whole Norrtälje 2022 plan as PDF, typeset by Typst in a warm process,
side by side with LibreOffice converting verksam's own Word document of the same plan, in
one run; and a decided plan's second download, from the cache.

Run with `python bench/documents.py` (or `./run bench`). Uses the 1× database of
bench/dataset.py. Prints, for each way, the best of RUNS wall-clock times and the CPU time
of that run (all threads: Typst lays out runs of pages in parallel; LibreOffice's
processes), with the load average when it ran: on a shared machine the wall-clock time
follows the load, the CPU time much less.

- Typst, cold: the first PDF a fresh process makes (Typst loads its fonts, the template
  is parsed and nothing is memoised yet);
- Typst, warm: the whole plan made by a process that has already made another document
  (the follow-up report: fonts loaded, template parsed), as a server process is after its
  first download. Typst memoises layout, so a document of the same data again would be far
  faster: each run changes every text a little (a number at the end of every paragraph,
  list item, note and table cell), so that nothing of the plan's text is laid out from
  memory;
- LibreOffice: `soffice --headless --convert-to pdf` of the same plan's DOCX (written by
  verksam), a fresh soffice each time as a conversion service would start it; its runs
  alternate with Typst's, so both meet the same load;
- cached: a decided plan's PDF requested again (`reports.formats.plan_report`: fetch,
  lay out, look up the cache by the data's digest).

LibreOffice is not a dependency of verksam: without `soffice` on the PATH its line says so.
"""

import copy
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def best(action: Callable[[], object], runs: int = RUNS) -> float:
    """The best wall-clock time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def measured(action: Callable[[], object]) -> tuple[float, float, float]:
    """Wall-clock and CPU seconds of one call (this process's threads and its children's
    processes), and the load average (1 minute) after it."""
    own, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    action()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - own
    cpu += after.ru_utime - children.ru_utime + after.ru_stime - children.ru_stime
    return wall, cpu, os.getloadavg()[0]


def changed(text: Any, run: int) -> Any:
    """`text` (a string or a list of strings) with ` run` at the end of each."""
    if isinstance(text, list):
        return [changed(item, run) for item in text]
    return f"{text} {run}" if text else text


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from dataset import database
    from dataset import setup as setup_data

    setup_data()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    database(1)
    call_command("createcachetable", verbosity=0)

    from verksam.followup.models import ReportingPeriod
    from verksam.plans.models import Plan
    from verksam.reports.formats import followup_report, plan_report
    from verksam.reports.pdf import render_pdf
    from verksam.reports.plan_document import fetch_plan_content, plan_document
    from verksam.reports.word import render_docx

    plan = Plan.objects.select_related("owner").get(key="KS-2022")
    period = ReportingPeriod.objects.get(key="KS-2022-t1")
    whole = plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))

    start = time.perf_counter()
    pdf = render_pdf(whole)
    cold = time.perf_counter() - start

    followup_report(period, "pdf")  # another document first: the process is warm

    def variant(run: int) -> dict[str, Any]:
        """The plan with every text changed a little, so nothing is memoised."""
        document = copy.deepcopy(whole)
        for block in document["blocks"]:
            if block["type"] in ("paragraph", "note"):
                block["text"] = changed(block["text"], run)
            elif block["type"] == "list":
                block["items"] = changed(block["items"], run)
            elif block["type"] == "table":
                block["rows"] = changed(block["rows"], run)
        return document

    docx = render_docx(whole)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    typst_runs: list[tuple[float, float, float]] = []
    office_runs: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profile"

        def convert() -> None:
            assert soffice
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
            )

        if soffice:
            convert()  # the profile is created on the first start, as on a server
        for run in range(RUNS):
            plan_variant = variant(run)
            typst_runs.append(measured(lambda v=plan_variant: render_pdf(v)))
            if soffice:
                office_runs.append(measured(convert))

    cache.clear()
    plan_report(plan, "pdf", visible=Plan.objects.all())
    cached = best(lambda: plan_report(plan, "pdf", visible=Plan.objects.all()))

    warm = min(typst_runs)
    office = min(office_runs) if office_runs else None

    print("\n## Documents: the 2022 plan as PDF\n")
    print(f"{len(pdf) / 1e6:.2f} MB PDF, {len(docx) / 1e6:.2f} MB DOCX\n")
    print("| way | time | CPU | load average |")
    print("|---|---|---|---|")
    print(f"| Typst, first document of a process | {cold:.2f} s | | |")
    print(f"| Typst, warm process | {warm[0]:.2f} s | {warm[1]:.2f} s | {warm[2]:.1f} |")
    if office is None:
        print("| LibreOffice converting verksam's DOCX | not measured: no soffice on PATH | | |")
    else:
        print(
            f"| LibreOffice converting verksam's DOCX | {office[0]:.2f} s | {office[1]:.2f} s "
            f"| {office[2]:.1f} |"
        )
        print(
            f"| LibreOffice ÷ Typst warm | {office[0] / warm[0]:.1f}× "
            f"| {office[1] / warm[1]:.1f}× | |"
        )
    print(f"| decided plan again, from the cache | {cached:.2f} s | | |")
    print("\nevery run (wall s, CPU s, load):")
    print("Typst:", ", ".join(f"{w:.2f}/{c:.2f}/{lo:.1f}" for w, c, lo in typst_runs))
    if office_runs:
        print("LibreOffice:", ", ".join(f"{w:.2f}/{c:.2f}/{lo:.1f}" for w, c, lo in office_runs))


if __name__ == "__main__":
    main()
