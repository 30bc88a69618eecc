"""Benchmark: 50 reporters saving status reports at once, on gunicorn and PostgreSQL.

Run with `./run bench` (or `DATABASE_URL=postgres://… python bench/concurrency.py [--quick]`);
needs PostgreSQL (SQLite takes one writer at a time; production runs PostgreSQL). Loads the
generated data (bench/dataset.py; 10×, `--quick` 1×), starts `verksam serve` (gunicorn,
production settings, its default gthread workers and threads) on a free port, and in the same run:

1. REPORTERS threads request the trivial view (/health/, answered before any middleware)
   for SECONDS seconds;
2. REPORTERS reporters, each signed in with a reporter role at the units of their own
   actions, request a light signed-in page (/search/ without a query: the session, the
   user, their roles and the page layout, through every middleware) for SECONDS seconds:
   what any signed-in request costs, so how much of a save is the framework;
3. the same reporters save those actions' status reports in the open round for SECONDS
   seconds, as the "Att rapportera" page does (an htmx POST of the form, with the version
   it is based on). Every answer must be the saved row; anything else counts as an error;
4. the same reporters request their home page for SECONDS seconds (last: it is the
   heaviest, and requests still queued when a load ends would hold up the next one).

Prints each load's throughput and p50/p95/p99 latency, the errors, and the count that
proves no report was lost: the sum of the reports' versions in the database grew by
exactly the number of saves the server confirmed. The target compares the saves with the
trivial view; the signed-in page is printed beside it as a second comparison.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from dataset import ROOT, database, setup

REPORTERS = 50
PERIOD = "KS-2022-t1"
SERVER_ENV = {
    "VERKSAM_ENV": "production",
    # A throwaway key for this benchmark's server and its sessions (made by this process).
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "STATIC_ROOT": str(ROOT / "bench" / ".data" / "static"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def load(name: str, seconds: float, work) -> tuple[list[float], int]:
    """Run work(i) in REPORTERS threads for `seconds`; work returns True on success.
    Returns the latencies of the successes and the number of errors."""
    latencies: list[list[float]] = [[] for _ in range(REPORTERS)]
    errors = [0] * REPORTERS
    stop = time.monotonic() + seconds

    def run(i: int) -> None:
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                ok = work(i)
            except requests.RequestException:
                ok = False
            if ok:
                latencies[i].append(time.perf_counter() - start)
            else:
                errors[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(REPORTERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = [x for each in latencies for x in each]
    ms = [x * 1000 for x in done]
    print(
        f"| {name} | {len(done) / seconds:,.1f} | {statistics.median(ms):,.0f} | "
        f"{percentile(ms, 0.95):,.0f} | {percentile(ms, 0.99):,.0f} | {sum(errors)} |".replace(
            ",", " "
        )
        if done
        else f"| {name} | 0 | - | - | - | {sum(errors)} |"
    )
    return done, sum(errors)


def reporters() -> list[tuple[str, list[tuple[str, int]]]]:
    """REPORTERS users with a reporter role at the units of their own actions (each action
    one reporter's): their session cookies and (action key, current version) pairs."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from verksam.accounts.models import Membership, Role
    from verksam.followup.models import ReportingPeriod
    from verksam.organisation.models import OrgUnit

    period = ReportingPeriod.objects.get(key=PERIOD)
    versions = dict(period.status_reports.values_list("action_id", "version"))
    actions = list(period.actions())
    people = []
    for i in range(REPORTERS):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-reporter-{i:02d}")
        mine = actions[i::REPORTERS]
        units = OrgUnit.objects.filter(pk__in={u for a in mine for u in a.unit_ids()})
        for unit in units:
            Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": Role.REPORTER})
        client = Client()
        client.force_login(user)
        people.append(
            (client.cookies["sessionid"].value, [(a.key, versions.get(a.pk, 0)) for a in mine])
        )
    return people


def version_sum() -> int:
    from django.db.models import Sum

    from verksam.followup.models import StatusReport

    reports = StatusReport.objects.filter(period__key=PERIOD, action__isnull=False)
    return reports.aggregate(n=Sum("version"))["n"] or 0


def main(factor: int, seconds: float) -> None:
    os.environ.update({k: v for k, v in SERVER_ENV.items() if k == "SECRET_KEY"})
    setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("\n## Concurrent reporting: skipped (needs DATABASE_URL=postgres://…)\n")
        return
    call_command("migrate", verbosity=0)
    sizes = database(factor)
    people = reporters()
    before = version_sum()
    env = {**os.environ, **SERVER_ENV}
    python = Path(sys.executable).parent
    subprocess.run(
        [python / "verksam", "collectstatic", "--no-input", "-v", "0"], env=env, check=True
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [python / "verksam", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                if requests.get(f"{base}/health/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        workers = len(subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                     text=True).stdout.split())  # fmt: skip
        print(f"\n## Concurrent reporting (PostgreSQL, gunicorn: {workers} gthread workers)\n")
        print(f"{factor}×: {sizes['actions']} actions; {REPORTERS} clients, {seconds:.0f} s each\n")
        print("| load | requests/s | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|")
        plain = [requests.Session() for _ in range(REPORTERS)]
        health, _ = load(
            "trivial view (/health/)",
            seconds,
            lambda i: plain[i].get(f"{base}/health/", timeout=30).status_code == 200,
        )
        sessions = []
        for cookie, _ in people:
            s = requests.Session()
            s.cookies.set("sessionid", cookie)
            # The CSRF cookie (the header's sign-out form), from a light signed-in page.
            s.get(f"{base}/search/", timeout=60)
            s.headers.update({"X-CSRFToken": s.cookies["csrftoken"], "HX-Request": "true"})
            sessions.append(s)
        signed_in, _ = load(
            "a light signed-in page (/search/)",
            seconds,
            lambda i: sessions[i].get(f"{base}/search/", timeout=60).status_code == 200,
        )
        saved = [0] * REPORTERS
        turn = [0] * REPORTERS
        items = [dict(mine) for _, mine in people]

        def report(i: int) -> bool:
            mine = items[i]
            key = list(mine)[turn[i] % len(mine)]
            turn[i] += 1
            answer = sessions[i].post(
                f"{base}/followup/periods/{PERIOD}/report/action/{key}/",
                data={
                    "version": mine[key],
                    "status": "on_track",
                    "progress": turn[i] % 101,
                    "comment": f"Rapport {turn[i]} från bench-reporter-{i:02d}.",
                },
                timeout=60,
            )
            if answer.status_code == 200 and "message--success" in answer.text:
                mine[key] += 1
                saved[i] += 1
                return True
            return False

        reports, errors = load("saving a status report", seconds, report)
        # Last: the home is heavier than a save, and the requests still queued when a load
        # ends (their clients gave up) would otherwise hold up the next load.
        load(
            "a signed-in page (home)",
            seconds,
            lambda i: sessions[i].get(f"{base}/", timeout=60).status_code == 200,
        )
    finally:
        server.terminate()
        server.wait()
    after = version_sum()
    ratio = len(reports) / len(health) if health else 0
    framework = len(reports) / len(signed_in) if signed_in else 0
    print(
        f"\nSaves confirmed: {sum(saved)}; the reports' versions grew by {after - before} "
        f"({'none lost' if after - before == sum(saved) else 'MISMATCH'}); errors: {errors}. "
        f"Reporting throughput is {ratio:.0%} of the trivial view's (target ≥ 30 %), "
        f"{framework:.0%} of the light signed-in page's."
    )


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    main(1 if quick else 10, 10 if quick else 60)
