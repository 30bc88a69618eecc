"""Benchmark: load, reload and export the Norrtälje 2022 plan at 1× and 10× its size.

Run with `./run bench` (or `python bench/load_plan.py`). Uses a throwaway SQLite
database unless DATABASE_URL is set. Prints wall-clock seconds and query counts.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "norrtalje-2022"
SCALED_KINDS = ("sections", "assignments", "actions", "indicators", "governing_documents")
REFERENCES = ("assignment",)


def scaled_copy(target: Path, factor: int) -> Path:
    """The seed with every office item repeated `factor` times under new ids."""
    target.mkdir()
    for path in sorted(SEED.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind in SCALED_KINDS:
            items = data.get(kind, [])
            copies = []
            for n in range(1, factor):
                for item in items:
                    copy = dict(item, id=f"{item['id']}-x{n}")
                    for ref in REFERENCES:
                        if copy.get(ref):
                            copy[ref] = f"{copy[ref]}-x{n}"
                    copies.append(copy)
            if items:
                data[kind] = items + copies
        (target / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


class QueryCounter:
    """Counts the queries run while installed with connection.execute_wrapper()."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="verksam-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from verksam.imports.export import export_plan
    from verksam.imports.services import load_plan
    from verksam.plans.models import Action

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    for factor in (1, 10):
        folder = scaled_copy(workdir / f"x{factor}", factor)
        for label in ("load", "reload (unchanged)"):
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                start = time.perf_counter()
                load_plan([folder])
                seconds = time.perf_counter() - start
            print(
                f"{factor:>2}× {label:<20} {seconds:7.2f} s  {queries.count:6} queries  "
                f"({Action.objects.count()} actions)"
            )
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            start = time.perf_counter()
            size = len(json.dumps(export_plan(year=2022), ensure_ascii=False))
            seconds = time.perf_counter() - start
        print(
            f"{factor:>2}× {'export json':<20} {seconds:7.2f} s  {queries.count:6} queries  "
            f"({size / 1e6:.1f} MB)"
        )
        call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
