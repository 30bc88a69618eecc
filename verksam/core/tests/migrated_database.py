"""The migrated test database, built once and reused: migrating renders every model's state
(simple_history's models relate to User), about 13 s of CPU per pytest-xdist worker per run.

The first run migrates as usual and keeps the result: on SQLite a copy of the in-memory
database in `var/test-cache/`, on PostgreSQL a database `<name>_migrated_<key>` on the server.
Later runs copy it (SQLite's backup API; PostgreSQL's `CREATE DATABASE … TEMPLATE`) instead of
migrating. The key is a hash of every installed app's migration files, the verksam modules they
import, Django's version and the database's vendor: a changed migration builds a new copy, and
the old ones are removed then. A fresh clone (or CI) simply migrates on its first run.
"""

import ast
import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock

import django
from django.conf import settings
from django.core import management
from django.db import DatabaseError, connections

CACHE_DIR = Path(settings.PROJECT_DIR) / "var" / "test-cache"


def migrations_key(vendor: str) -> str:
    """A hash of what decides the migrated database's content."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = loader.disk_migrations.values()
    files = {Path(sys.modules[m.__module__].__file__ or "") for m in migrations}
    for source in list(files):
        files |= verksam_imports(source)
    digest = hashlib.sha256(f"{django.__version__} {vendor}".encode())
    for path in sorted(files, key=lambda p: (p.name, p.as_posix())):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def verksam_imports(source: Path) -> set[Path]:
    """The files of the verksam modules a migration imports (at its top or in a function)."""
    names = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    files = set()
    for name in (n for n in names if n.startswith("verksam.")):
        path = Path(settings.PROJECT_DIR, *name.split("."))
        files |= {p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()}
    return files


@contextmanager
def reused(blocker: Any, alias: str = "default") -> Iterator[None]:
    """Inside, the first `migrate` of the database (the test database's set-up) copies the
    kept migrated database if there is one for the current migrations, or else migrates and
    keeps a copy. Other commands, and later migrations, run as usual. `blocker` is
    pytest-django's `django_db_blocker` (looking for the copy reads the database)."""
    connection = connections[alias]
    copy: SqliteCopy | PostgresCopy | None = None
    if connection.vendor == "sqlite":
        copy = SqliteCopy(connection, migrations_key(connection.vendor))
    elif connection.vendor == "postgresql":
        copy = PostgresCopy(connection, migrations_key(connection.vendor))
    with blocker.unblock():
        found = copy.prepare() if copy else False
    run_command = management.call_command

    def call_command(name: str, *args: Any, **options: Any) -> Any:
        nonlocal copy
        if name != "migrate" or copy is None or options.get("database", alias) != alias:
            return run_command(name, *args, **options)
        first, copy = copy, None
        if found:
            return first.restore()
        result = run_command(name, *args, **options)
        first.keep()
        return result

    with mock.patch.object(management, "call_command", call_command):
        yield


class SqliteCopy:
    """The in-memory test database copied to a file and back."""

    def __init__(self, connection: Any, key: str) -> None:
        self.connection = connection
        self.path = CACHE_DIR / f"migrated-{key}.sqlite3"

    def prepare(self) -> bool:
        return self.path.is_file()

    def restore(self) -> None:
        self.connection.ensure_connection()
        with closing(sqlite3.connect(self.path)) as source:
            source.backup(self.connection.connection)

    def keep(self) -> None:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in set(CACHE_DIR.glob("migrated-*.sqlite3")) - {self.path}:
            old.unlink(missing_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        with closing(sqlite3.connect(partial)) as target:
            self.connection.connection.backup(target)
        partial.replace(self.path)  # atomic: another worker never reads half a copy


class PostgresCopy:
    """A migrated database kept on the server as the template of the test databases."""

    def __init__(self, connection: Any, key: str) -> None:
        self.connection = connection
        self.prefix = f"{connection.settings_dict['NAME']}_migrated_"
        self.template = self.prefix + key

    def prepare(self) -> bool:
        """Make `_create_test_db` copy the template when there is one."""
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template])
            found = cursor.fetchone() is not None
        if found:
            self.connection.settings_dict["TEST"]["TEMPLATE"] = self.template
        return found

    def restore(self) -> None:
        """Nothing to do: the test database was created as a copy of the template."""

    def keep(self) -> None:
        """Copy the freshly migrated test database to the template; drop the older ones. A
        worker that loses the race to another creating the same template leaves it be."""
        test_database = self.connection.settings_dict["NAME"]
        self.connection.close()  # PostgreSQL copies only a database nobody is connected to
        quote = self.connection.ops.quote_name
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname != %s",
                [self.prefix.replace("_", r"\_") + "%", self.template],
            )
            for (old,) in cursor.fetchall():
                with suppress(DatabaseError):
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)}")
            with suppress(DatabaseError):
                cursor.execute(
                    f"CREATE DATABASE {quote(self.template)} TEMPLATE {quote(test_database)}"
                )
