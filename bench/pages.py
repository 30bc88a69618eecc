"""Benchmark: every page's queries and server time at 1×, 10× and 100× (`--quick`: 1× and
10×), and closing the April round with its snapshot.

Run with `./run bench` (or `python bench/pages.py [--quick]`). Uses bench/.data/bench.sqlite3
unless DATABASE_URL is set; the data come from bench/dataset.py. Each page is requested
through Django's test client (middleware, views, templates: what the server does, without
the network) by the demo's example controller, who sees every item: one request to warm up,
then the median of REPEAT, by the clock and in this process's CPU time (on SQLite that is
all of the server's work, and on a shared machine it varies far less with the load than the
clock; on PostgreSQL the database's own work is outside it). Prints a table, then the
targets: the same queries at every size, and the time at the largest size at most 3× the
time at 1× (by the clock and in CPU time).
"""

import os
import statistics
import sys
import time

from dataset import database, setup

REPEAT = 3
PERIOD = "KS-2022-t1"  # the demo's April round, open, with the example reports


def pages() -> list[tuple[str, str]]:
    from verksam.indicators.models import Indicator
    from verksam.plans.models import Action, Assignment

    def first(model) -> str:  # an item of the seed (not a copy), with reports
        return (
            model.objects.exclude(key__contains="-x")
            .order_by("pk")
            .values_list("key", flat=True)[0]
        )

    return [
        ("home (controller)", "/"),
        ("board plan", "/plans/KS-2022/"),
        ("overview", "/plans/KS-2022/overview/"),
        ("tree", "/plans/KS-2022/tree/"),
        ("assignments list", "/assignments/"),
        ("actions list", "/actions/?sort=-end"),
        ("indicators list", "/indicators/"),
        ("assignment page", f"/assignments/{first(Assignment)}/"),
        ("action page", f"/actions/{first(Action)}/"),
        ("indicator page", f"/indicators/{first(Indicator)}/"),
        ("search", "/search/?q=trygghet"),
        ("att rapportera", "/followup/to-report/"),
        ("round page", f"/followup/periods/{PERIOD}/"),
        ("completeness board", f"/followup/periods/{PERIOD}/board/"),
        ("checks", f"/followup/periods/{PERIOD}/checks/"),
        ("goal attainment", f"/followup/periods/{PERIOD}/attainment/"),
    ]


Figures = tuple[float, float, int]  # seconds by the clock, seconds of CPU, queries


def measure(run) -> Figures:
    """Median seconds (clock, CPU) of REPEAT runs after one to warm up, and the queries of
    one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    clock, cpu = [], []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            clock.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return statistics.median(clock), statistics.median(cpu), len(queries)


def close_round() -> Figures:
    """Close the April round with its snapshot (its findings acknowledged first), once."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from verksam.followup import reporting, services
    from verksam.followup.models import ReportingPeriod

    period = ReportingPeriod.objects.get(key=PERIOD)
    controller = get_user_model().objects.get(username="exempel-controller")
    for finding in reporting.findings(period):
        services.acknowledge_finding(
            period, actor=controller, code=finding.code, subject=finding.subject, note="-"
        )
    period = ReportingPeriod.objects.get(key=PERIOD)
    with CaptureQueriesContext(connection) as queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        services.close_period(period, actor=controller)
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return seconds, cpu, len(queries)


def main(factors: tuple[int, ...]) -> None:
    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    results: dict[str, dict[int, Figures]] = {}
    sizes = {}
    load = {}
    for factor in factors:
        sizes[factor] = database(factor)
        load[factor] = os.getloadavg()[0]
        client = Client()
        client.force_login(get_user_model().objects.get(username="exempel-controller"))
        for label, url in pages():

            def get(url=url, client=client) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            results.setdefault(label, {})[factor] = measure(get)
            print(f"  {factor}× {label}: {cell(results[label][factor])}", file=sys.stderr)
        results.setdefault("close with snapshot", {})[factor] = close_round()
        load[factor] = (load[factor] + os.getloadavg()[0]) / 2
        print(f"{factor}× measured: {sizes[factor]}", file=sys.stderr)

    print(f"\n## Pages ({connection.vendor})\n")
    for factor, size in sizes.items():
        print(
            f"- {factor}×: "
            + ", ".join(f"{n:,} {what}".replace(",", " ") for what, n in size.items())
            + f"; load average {load[factor]:.1f} while measured"
        )
    print("\nEach cell: milliseconds by the clock (of CPU in this process), queries.\n")
    head = " | ".join(f"{f}×" for f in factors)
    largest = factors[-1]
    print(f"| page | {head} | queries same | time {largest}×/1× (CPU) |")
    print("|---|" + "---|" * len(factors) + "---|---|")
    missed = []
    for label, by_factor in results.items():
        cells = " | ".join(cell(by_factor[f]) for f in factors)
        same = len({by_factor[f][2] for f in factors}) == 1
        ratio = by_factor[largest][0] / by_factor[1][0]
        cpu_ratio = by_factor[largest][1] / by_factor[1][1]
        print(f"| {label} | {cells} | {'yes' if same else 'NO'} | {ratio:.1f} ({cpu_ratio:.1f}) |")
        if not same or ratio > 3 or cpu_ratio > 3:
            missed.append(label)
    rule = f"queries grow, or time {largest}× > 3 × 1× by the clock or in CPU"
    print(f"\nTargets missed ({rule}): {', '.join(missed) or 'none'}")


def cell(figures: Figures) -> str:
    seconds, cpu, queries = figures
    return f"{seconds * 1000:,.0f} ({cpu * 1000:,.0f}) ms, {queries} q".replace(",", " ")


if __name__ == "__main__":
    main((1, 10) if "--quick" in sys.argv else (1, 10, 100))
