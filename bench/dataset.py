"""The benchmarks' data: the seed plan at 1×, 10× or 100× its size, with years of rounds.

`database(factor)` gives a database holding, deterministically:
- the Norrtälje 2022 plan loaded through `load_plan` (as a municipality loads it) and the
  demo's example April round written through the follow-up services (personas, the year's
  rounds, April open with its reports, outcomes, judgements and submissions);
- every assignment, action, indicator, budget table and risk `factor` times
  (`verksam.testing.multiply_seed`, the project's one multiplier; the search index rebuilt);
- YEARS earlier years of closed rounds of the board's plan, the ten standard rounds a
  year, each with a status report on every action and assignment and an outcome of every
  indicator: at 100× about 10 000 actions, 6 000 indicators, 1.3 million status reports and
  480 000 outcomes. These rows are inserted in bulk (COPY on PostgreSQL, `executemany` on
  SQLite), not through the services: no history records, and reports are not in the search index.

The database is built once per factor and kept under bench/.data/ (gitignored): a copy of
the SQLite file, or a `pg_dump` restored with `pg_restore` on PostgreSQL (then analysed).
The cache is keyed by a hash of the seed, the migrations and this generator, so a change to
any of them builds again. Run `python bench/dataset.py 100` to build (and time) one size alone.
"""

import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".data"
YEARS = 8  # 2014–2021 before the seed's 2022: 80 closed rounds (10 standard rounds a year)
BATCH = 10000


def setup(database_url: str | None = None) -> None:
    """Django for a benchmark: DATABASE_URL, else a SQLite file in bench/.data/."""
    CACHE.mkdir(exist_ok=True)
    os.environ.setdefault("DATABASE_URL", database_url or f"sqlite:///{CACHE / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    os.environ.setdefault("VERKSAM_ENV", "development")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fingerprint() -> str:
    """What the generated data depends on: the seed, the migrations, the generator."""
    digest = hashlib.sha256()
    sources = [
        *sorted((ROOT / "data").rglob("*.yaml")),
        *sorted(ROOT.glob("verksam/*/migrations/0*.py")),
    ]
    for path in [*sources, Path(__file__), ROOT / "verksam" / "testing.py"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def database(factor: int) -> dict[str, int]:
    """Fill the (migrated, empty or not) database with the data of `factor`; return counts."""
    from django.db import connection

    cached = CACHE / f"x{factor}-{connection.vendor}-{fingerprint()}"
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        if cached.exists():
            connection.close()
            shutil.copyfile(cached, path)
        else:
            build(factor)
            connection.close()
            shutil.copyfile(path, cached)
    else:
        url = pg_url(connection.settings_dict)
        if cached.exists():
            connection.close()
            clean = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
            subprocess.run(["pg_restore", *clean, "-d", url, str(cached)], check=True)
        else:
            build(factor)
            subprocess.run(["pg_dump", "-Fc", "-f", str(cached), url], check=True)
        # A restored database has no statistics until autovacuum gets to it: without them
        # PostgreSQL planned an item page's reports at 100× as a scan (6.5 s, 0.4 s after).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts()


def pg_url(settings: dict[str, Any]) -> str:
    """The connection string of Django's PostgreSQL settings, for pg_dump and pg_restore."""
    url = os.environ["DATABASE_URL"]
    return (
        url if urlsplit(url).scheme.startswith("postgres") else f"postgresql:///{settings['NAME']}"
    )


def counts() -> dict[str, int]:
    from verksam.followup.models import IndicatorOutcome, ReportingPeriod, StatusReport
    from verksam.indicators.models import Indicator
    from verksam.plans.models import Action, Assignment

    return {
        "actions": Action.objects.count(),
        "assignments": Assignment.objects.count(),
        "indicators": Indicator.objects.count(),
        "rounds": ReportingPeriod.objects.count(),
        "status reports": StatusReport.objects.count(),
        "outcomes": IndicatorOutcome.objects.count(),
    }


def build(factor: int) -> None:
    """Generate the data of `factor` into the database (flushed first)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from verksam.followup.examples import load_example_round
    from verksam.imports.services import load_plan
    from verksam.search.services import rebuild_index
    from verksam.testing import multiply_seed

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    steps = [
        ("load-plan of the seed", lambda: load_plan([settings.DEMO_PLAN_DIR])),
        ("example April round", lambda: load_example_round(settings.DEMO_FOLLOWUP_FILE)),
        (f"multiply_seed({factor})", lambda: multiply_seed(factor)),
        ("search index", rebuild_index),
        (f"{YEARS} years of closed rounds", past_rounds),
    ]
    for label, step in steps:
        start = time.perf_counter()
        with transaction.atomic():
            step()
        print(f"  {factor}× {label}: {time.perf_counter() - start:.1f} s", file=sys.stderr)


def past_rounds() -> None:
    """YEARS years of closed standard rounds of the board's plan before its own year, each
    with a report on every action and assignment and an outcome of every indicator."""
    from verksam.followup.models import (
        IndicatorOutcome,
        ReportingPeriod,
        StatusChoice,
        StatusReport,
    )
    from verksam.followup.services import DEADLINE_DAYS, period_key, standard_periods
    from verksam.indicators.models import Indicator
    from verksam.plans.models import Action, Assignment, Plan

    board = Plan.objects.get(key="KS-2022")
    periods = [
        ReportingPeriod(
            plan=board,
            key=f"{period_key(board, kind, as_of)}-{as_of.year}",
            kind=kind,
            as_of=as_of,
            deadline=as_of + timedelta(days=DEADLINE_DAYS),
            status=ReportingPeriod.Status.CLOSED,
            opened_at=datetime.combine(as_of, clock(8), UTC),
            closed_at=datetime.combine(as_of + timedelta(days=DEADLINE_DAYS + 5), clock(8), UTC),
        )
        for year in range(board.year - YEARS, board.year)
        for kind, as_of in standard_periods(year)
    ]
    ReportingPeriod.objects.bulk_create(periods)
    actions = list(Action.objects.order_by("pk").values_list("pk", flat=True))
    assignments = list(Assignment.objects.order_by("pk").values_list("pk", flat=True))
    indicators = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    statuses = list(StatusChoice)
    chance = random.Random(2022)

    now = datetime.now(UTC)

    def reports():
        for period in periods:
            comment = f"Läget per {period.as_of:%Y-%m-%d}."
            for field, ids in (("action_id", actions), ("assignment_id", assignments)):
                for pk in ids:
                    status = chance.choice(statuses)
                    deviating = status in {"deviation", "delayed", "postponed"}
                    yield {
                        "period_id": period.pk,
                        field: pk,
                        "status": status,
                        "progress": chance.randrange(0, 101, 10),
                        "comment": comment,
                        "cause": "Resursbrist under perioden." if deviating else "",
                        "remedy": "Omprioritering inom enheten." if deviating else "",
                    }

    def outcomes():
        for period in periods:
            for pk in indicators:
                number = Decimal(chance.randrange(0, 10000)) / 10
                yield {
                    "period_id": period.pk,
                    "indicator_id": pk,
                    "raw": f"{number}".replace(".", ","),
                    "number": number,
                    "source": "Kolada",
                }

    insert(StatusReport, reports(), {"version": 1, "updated_at": now})
    insert(IndicatorOutcome, outcomes(), {"version": 1, "updated_at": now})


def insert(model: Any, rows: Any, defaults: dict[str, Any]) -> None:
    """Insert rows (dicts of attribute names to plain ints, strings and Decimals, which both
    databases' drivers take as they are) in bulk: COPY on PostgreSQL, one executemany per
    BATCH rows on SQLite. The other columns' values (`defaults`, else blank) are prepared for
    the database once: preparing every value of every row (Django's `get_db_prep_save`, as
    bulk_create does) was most of the time, 9 s per 100 000 rows on the shared machine."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    constant = {
        f.attname: f.get_db_prep_save(
            defaults.get(f.attname, "" if f.empty_strings_allowed and not f.null else None),
            connection,
        )
        for f in fields
    }
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ({**constant, **row} for row in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row([row[name] for name in names])
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        while batch := list(islice(values, BATCH)):
            cursor.executemany(sql, [[row[name] for name in names] for row in batch])


if __name__ == "__main__":
    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for arg in sys.argv[1:] or ["1"]:
        start = time.perf_counter()
        figures = database(int(arg))
        print(f"{arg}×: {figures} in {time.perf_counter() - start:.0f} s")
