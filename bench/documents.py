"""Benchmark: the whole Norrtälje 2022 plan as PDF, typeset by Typst in a warm process,
side by side with LibreOffice converting verksam's own Word document of the same plan, in
one run; and a decided plan's second download, from the cache.

Run with `python bench/documents.py` (or `./run bench`). Uses the 1× database of
bench/dataset.py. Prints, for each way, the best of RUNS wall-clock times:

- Typst, cold: the first PDF a fresh process makes (Typst loads its fonts, the template
  is parsed and nothing is memoised yet);
- Typst, warm: the whole plan made by a process that has already made another document
  (the follow-up report: fonts loaded, template parsed), as a server process is after its
  first download. Typst memoises layout, so a document of the same data again would be far
  faster: each run changes every paragraph a little (a number at its end), so that
  nothing of the plan's text is laid out from memory;
- LibreOffice: `soffice --headless --convert-to pdf` of the same plan's DOCX (written by
  verksam), a fresh soffice each time as a conversion service would start it;
- cached: a decided plan's PDF requested again (`reports.formats.plan_report`: fetch,
  lay out, look up the cache by the data's digest).

LibreOffice is not a dependency of verksam: without `soffice` on the PATH its line says so.
"""

import copy
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def best(action: Callable[[], object], runs: int = RUNS) -> float:
    """The best wall-clock time of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


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
        """The plan with every paragraph changed a little, so nothing is memoised."""
        changed = copy.deepcopy(whole)
        for block in changed["blocks"]:
            if block["type"] == "paragraph":
                block["text"] += f" {run}"
        return changed

    variants = [variant(run) for run in range(RUNS)]
    warm = min(best(lambda v=v: render_pdf(v), runs=1) for v in variants)

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    office: float | None = None
    docx = render_docx(whole)
    if soffice:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "plan.docx"
            source.write_bytes(docx)
            profile = Path(folder) / "profile"

            def convert() -> None:
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

            convert()  # the profile is created on the first start, as on a server
            office = best(convert)

    cache.clear()
    plan_report(plan, "pdf", visible=Plan.objects.all())
    cached = best(lambda: plan_report(plan, "pdf", visible=Plan.objects.all()))

    print("\n## Documents: the 2022 plan as PDF\n")
    print(f"{len(pdf) / 1e6:.2f} MB PDF, {len(docx) / 1e6:.2f} MB DOCX\n")
    print("| way | time |")
    print("|---|---|")
    print(f"| Typst, first document of a process | {cold:.2f} s |")
    print(f"| Typst, warm process | {warm:.2f} s |")
    if office is None:
        print("| LibreOffice converting verksam's DOCX | not measured: no soffice on PATH |")
    else:
        print(f"| LibreOffice converting verksam's DOCX | {office:.2f} s |")
        print(f"| LibreOffice ÷ Typst warm | {office / warm:.1f}× |")
    print(f"| decided plan again, from the cache | {cached:.2f} s |")


if __name__ == "__main__":
    main()
