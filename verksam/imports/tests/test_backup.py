"""The database backup of docs/operations.md: `pg_dump` restored with `pg_restore` into an
empty database holds the same data (every table's rows, and the same plan export). Runs in
the PostgreSQL pass of the suite (.ci/run); on SQLite it is skipped (back up the file)."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

pytestmark = pytest.mark.django_db


def conninfo(dbname: str) -> str:
    """libpq's connection string for the test database's server, to another database."""
    db = connection.settings_dict
    given = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    return make_conninfo(dbname=dbname, **{k: str(v) for k, v in given.items() if v})


def database_url(dbname: str) -> str:
    db = connection.settings_dict
    login = quote(db["USER"] or "", safe="") + (
        ":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else ""
    )
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{dbname}"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not on PATH: apt-get install postgresql-client", pytrace=False)
    return found


def row_counts(cursor) -> dict[str, int]:
    """Rows per table of every model (our own table names, so plain quoting will do)."""
    tables = sorted({model._meta.db_table for model in apps.get_models()} | {"verksam_cache"})
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def test_pg_dump_restored_into_an_empty_database_holds_the_same_data(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; runs with DATABASE_URL=postgres://…")
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restored_{os.getpid()}"
    dump = tmp_path / "verksam.dump"
    # What is committed: the seed plan, loaded once for the session.
    subprocess.run(
        [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", conninfo(name)],
        check=True,
        timeout=300,
    )
    with psycopg.connect(conninfo("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored)))
        try:
            subprocess.run(
                [tool("pg_restore"), "--no-owner", "--exit-on-error", "--single-transaction",
                 f"--dbname={conninfo(restored)}", str(dump)],
                check=True,
                timeout=300,
            )  # fmt: skip
            with psycopg.connect(conninfo(restored)) as copy, copy.cursor() as cursor:
                restored_counts = row_counts(cursor)
            exported = subprocess.run(
                [sys.executable, "-m", "verksam", "export-plan", "--year", "2022"],
                env={**os.environ, "DATABASE_URL": database_url(restored)},
                capture_output=True,
                check=True,
                timeout=300,
            )
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored))
            )
    with connection.cursor() as cursor:
        assert restored_counts == row_counts(cursor)
    assert restored_counts["plans_action"] == 101
    original = io.StringIO()
    call_command("export-plan", "--year", "2022", stdout=original)
    assert exported.stdout.decode() == original.getvalue()
