"""Support for every app's tests: the migrated database reused, the seed database, personas,
the data multiplier, page and document checks, and the browser's accessibility checks.

Test modules import this module and the apps' own code, never another test module; the
fixtures that wrap these functions live in the conftest.py files. Only tests import it: it may
import any app (it sits above all of them).
"""

import ast
import hashlib
import importlib.util
import io
import os
import re
import runpy
import sqlite3
import subprocess
import sys
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any
from unittest import mock

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core import management
from django.core.management.color import no_style
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from verksam.accounts.models import Membership
from verksam.budget.models import BudgetCell, BudgetColumn, BudgetRow, BudgetTable
from verksam.followup import reporting, services
from verksam.followup.examples import load_example_round
from verksam.followup.models import Acknowledgement, ReportingPeriod
from verksam.imports.services import load_plan
from verksam.indicators.models import Indicator, IndicatorResponsibility, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    GoverningDocument,
    Plan,
    PlanSection,
    Strategy,
    amending,
)
from verksam.risks.models import Risk

# --- The migrated database -------------------------------------------------------------------

# The migrated test database, built once and reused: migrating renders every model's state
# (simple_history's models relate to User), 13-17 s of CPU per pytest-xdist worker per run.
#
# The first run migrates as usual and keeps the result: on SQLite a copy of the in-memory
# database in `var/test-cache/`, on PostgreSQL a database `<name>_migrated_<key>` on the server.
# Later runs copy it (SQLite's backup API; PostgreSQL's `CREATE DATABASE … TEMPLATE`) instead of
# migrating. The key is a hash of every installed app's migration files, the verksam modules they
# import, Django's version and the database's vendor: a changed migration builds a new copy, and
# the old ones are removed then. A fresh clone (or CI) simply migrates on its first run.

TEST_CACHE_DIR = Path(settings.PROJECT_DIR) / "var" / "test-cache"


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
def reused_migrations(blocker: Any, alias: str = "default") -> Iterator[None]:
    """Inside, the first `migrate` of the database (the test database's set-up) copies the
    kept migrated database if there is one for the current migrations, or else migrates and
    keeps a copy. Other commands, and later migrations, run as usual. `blocker` is
    pytest-django's `django_db_blocker` (looking for the copy reads the database)."""
    connection = connections[alias]
    copy: MigratedSqlite | MigratedPostgres | None = None
    if connection.vendor == "sqlite":
        copy = MigratedSqlite(connection, migrations_key(connection.vendor))
    elif connection.vendor == "postgresql":
        copy = MigratedPostgres(connection, migrations_key(connection.vendor))
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


class MigratedSqlite:
    """The in-memory test database copied to a file and back."""

    def __init__(self, connection: Any, key: str) -> None:
        self.connection = connection
        self.path = TEST_CACHE_DIR / f"migrated-{key}.sqlite3"

    def prepare(self) -> bool:
        return self.path.is_file()

    def restore(self) -> None:
        self.connection.ensure_connection()
        with closing(sqlite3.connect(self.path)) as source:
            source.backup(self.connection.connection)

    def keep(self) -> None:
        TEST_CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in set(TEST_CACHE_DIR.glob("migrated-*.sqlite3")) - {self.path}:
            old.unlink(missing_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.partial")
        with closing(sqlite3.connect(partial)) as target:
            self.connection.connection.backup(target)
        partial.replace(self.path)  # atomic: another worker never reads half a copy


class MigratedPostgres:
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


# --- The seed database -----------------------------------------------------------------------


@contextmanager
def seed_editable() -> Iterator[None]:
    """Inside, the decided seed's content may be written directly (as an amendment may),
    for tests that set up their cases by editing it; tests of the plan's read-only state
    do not use it."""
    with amending(None):
        yield


@contextmanager
def rolled_back(blocker: Any) -> Iterator[None]:
    """For a module-scoped fixture that makes expensive data once for the module's tests
    (`with rolled_back(django_db_blocker): …make it…; yield it`): inside, the database may
    be used, in a transaction rolled back at the end. Each test's own transaction is a
    savepoint inside it, so a test still sees the data as made and rolls back only its own
    changes. Not for modules with transactional tests. `blocker` is pytest-django's
    `django_db_blocker`."""
    with blocker.unblock(), savepoint_rolled_back():
        yield


@contextmanager
def savepoint_rolled_back() -> Iterator[None]:
    """Inside, changes that are rolled back at the end (also for a module fixture that makes
    documents of a changed state and keeps only the documents)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def end_other_sessions() -> None:
    """End the test database's other sessions before it is dropped. While Playwright's event
    loop runs in a thread (from a worker's first browser test on), asgiref keeps Django's
    connections in a context-local rather than the thread's, so a worker can end with two
    open connections of which the teardown closes one; PostgreSQL then refused to drop the
    database ("being accessed by other users"). SQLite's in-memory database needs nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def load_seed() -> None:
    """Load the Norrtälje 2022 plan, as the session's database setup does once."""
    load_plan([settings.DEMO_PLAN_DIR])


class SeedSnapshot:
    """Every table as the session's setup left it (migrated, seed loaded), copied in the same
    database, so that the seed is back in a moment after a transactional test (a browser test)
    emptied the database, instead of loading the plan again.

    The copies are plain tables named `seed_snapshot__<table>`: Django does not know them, so
    its flush leaves them alone. SQLite's full-text index follows through its triggers.
    """

    PREFIX = "seed_snapshot__"

    def __init__(self) -> None:
        self.tables = sorted(connection.introspection.django_table_names(only_existing=True))
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"CREATE TABLE {self.copy(table)} AS SELECT * FROM {quote(table)}")

    def copy(self, table: str) -> str:
        return quote(self.PREFIX + table)

    def restore(self) -> None:
        """Empty every table and fill it from the copy; reset PostgreSQL's id sequences."""
        flush = connection.ops.sql_flush(no_style(), self.tables, allow_cascade=True)
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in flush:
                cursor.execute(statement)
            for table in self.tables:
                cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {self.copy(table)}")
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


# --- Reference computations --------------------------------------------------------------


@dataclass
class UnitRows:
    """One reporting unit's rows of a round, computed in Python from `reporting.rows_for`:
    what `followup.tallies` counts in SQL must agree with it (`tallies.board`)."""

    unit: Any
    rows: list[Any] = field(default_factory=list)
    days_overdue: int = 0

    @property
    def missing(self) -> list[Any]:
        return [r for r in self.rows if not r.is_reported]

    @property
    def reported(self) -> int:
        return len(self.rows) - len(self.missing)


def completeness_of_rows(period: ReportingPeriod, *, on: Any) -> list[UnitRows]:
    """Per reporting unit its rows and, unless it has submitted, its days overdue."""
    units: dict[int, UnitRows] = {}
    for row in reporting.rows_for(period):
        units.setdefault(row.unit.pk, UnitRows(row.unit)).rows.append(row)
    submitted = set(period.submissions.values_list("unit_id", flat=True))
    for progress in units.values():
        if progress.unit.pk not in submitted:
            progress.days_overdue = period.days_overdue(on)
    return sorted(units.values(), key=lambda p: (p.unit.position, p.unit.code))


# --- Personas --------------------------------------------------------------------------------

PASSWORD = "lång-och-säker-lösenfras-2022"
# Queries the API's rate limit adds to every request (ninja's throttle on Django's database
# cache): 1 read the caller's request history; the write: 2 count the entries (culling),
# 3 a savepoint, 4 look for the row, 5 insert or update it, 6 release the savepoint.
RATE_LIMIT_QUERIES = 6


def make_user(username: str, *, email: str = "", **roles: str) -> Any:
    """A user holding the given roles, e.g. `make_user("anna", reporter="KSK-EKONOMI")`."""
    user = get_user_model().objects.create_user(username, email=email, password=PASSWORD)
    for role, unit_code in roles.items():
        Membership.objects.create(user=user, unit=OrgUnit.objects.get(code=unit_code), role=role)
    return user


def make_admin(username: str = "admin") -> Any:
    """An administrator of the whole organisation who logs in with `PASSWORD`."""
    return get_user_model().objects.create_superuser(username, f"{username}@example.org", PASSWORD)


def board_controller() -> Any:
    """Clara, a controller at the board (KS), so of every office below it."""
    return make_user("clara", email="clara@example.se", controller="KS")


def staff_reporter() -> Any:
    """Rasmus, a reporter at KSK's staff department (stab and its units)."""
    return make_user("rasmus", email="rasmus@example.se", reporter="KSK-STAB")


def make_plan(**fields: Any) -> Plan:
    """A plan of KSK for 2023 unless `fields` say otherwise."""
    defaults = {"key": "X-2023", "owner": OrgUnit.objects.get(code="KSK"), "year": 2023,
                "title": "Plan", "horizon_start": 2023, "horizon_end": 2025}  # fmt: skip
    return Plan.objects.create(**(defaults | fields))


def empty_database() -> None:
    """Delete every plan, its content and the organisation (in a test's transaction), to
    load or import into an empty database."""
    for model in (
        CarriedOverAssignment,
        Indicator,
        Action,
        Assignment,
        PlanSection,
        GoverningDocument,
        GoalArea,
        Strategy,
    ):
        model.objects.all().delete()
    Plan.objects.update(parent=None)
    Plan.objects.all().delete()
    OrgUnit.objects.update(parent=None)
    OrgUnit.objects.all().delete()


def make_draft(key: str) -> None:
    """Turn a decided plan back into a draft (hidden from anonymous visitors)."""
    Plan.objects.filter(key=key).update(status=Plan.Status.DRAFT)


def example_round() -> ReportingPeriod:
    """The demo's example April round of the board plan: open, half reported, with its own
    users (`exempel-controller`, `exempel-stab`, …)."""
    return load_example_round(settings.DEMO_FOLLOWUP_FILE).period


def example_controller() -> Any:
    """The example round's controller (made with the round)."""
    return get_user_model().objects.get(username="exempel-controller")


def acknowledge_findings(period: ReportingPeriod, *, actor: Any, note: str = "Godtas.") -> None:
    """Accept every finding of the round not yet accepted, as `services.acknowledge_finding`
    would one by one.

    The findings are computed once; the service computes them all again for each finding it
    accepts (a second and more for the example round), and test_checks.py tests it."""
    for finding in reporting.findings(period):
        if finding.acknowledgement is not None:
            continue
        Acknowledgement.objects.create(
            period=period,
            code=finding.code,
            subject=finding.subject,
            note=note,
            acknowledged_by=actor,
        )


def close_round(period: ReportingPeriod, *, actor: Any) -> None:
    """Accept every finding of the round and close it through `services.close_period`."""
    acknowledge_findings(period, actor=actor)
    services.close_period(period, actor=actor)
    period.refresh_from_db()


def deviation(**changes: object) -> dict[str, object]:
    """A complete deviating status report's fields."""
    return {
        "status": "delayed",
        "cause": "Personalbrist under våren.",
        "remedy": "Extern konsult anlitas.",
        "new_forecast": "Klart i september.",
        **changes,
    }


# --- The data multiplier ---------------------------------------------------------------------

# What `multiply_seed` copies, parents before children: each model with the columns that point
# to another copied model (a copy points to that model's copy of the same batch), and whether
# its rows have a key (a copy's key gets the batch's suffix).
COPIED: list[tuple[Any, tuple[str, ...], bool]] = [
    (Assignment, (), True),
    (Action, ("assignment",), True),
    (ActionResponsibility, ("action",), False),
    (Indicator, (), True),
    (IndicatorResponsibility, ("indicator",), False),
    (IndicatorValue, ("indicator",), False),
    (BudgetTable, (), True),
    (BudgetColumn, ("table",), False),
    (BudgetRow, ("table", "part_of"), True),
    (BudgetCell, ("row", "column"), False),
    (Risk, (), True),
]
COPIED_LINKS: list[Any] = [Assignment.objectives, Assignment.focus_areas, Action.focus_areas]


def multiply_seed(factor: int) -> None:
    """Make the plans' content `factor` times as large, for asserting that a page's queries
    do not grow with the data (the 1× / 10× tests).

    Every assignment (with its objectives and focus areas), action (with its responsible
    units and focus areas), indicator (with its responsible units and values), budget table
    (with its columns, rows and cells) and risk gets `factor - 1` copies in the same plan,
    goal area and objective, so that every page, list, filter and document shows `factor`
    times as many. Copy keys end in `-x<batch>.<n>`, unique when called again. The copies are
    written by the database itself, one `INSERT … SELECT` a table for all copies (a copy's id
    is its original's plus n times the table's largest id, so children find their parent's
    copy without a round trip): they have no history, carry-over lineage or follow-up
    reports, and are not in the search index until a test calls
    `verksam.search.services.rebuild_index()`.
    """
    if factor < 2:
        return
    batch = Assignment.objects.count()
    top = {model: model.objects.aggregate(top=Max("pk"))["top"] or 0 for model, _, _ in COPIED}
    copies = " UNION ALL ".join(
        f"SELECT {n} AS n, '-x{batch}.{n}' AS suffix" for n in range(1, factor)
    )
    with connection.cursor() as cursor:
        for model, shifted, keyed in COPIED:
            columns: dict[str, str] = {}
            for f in model._meta.concrete_fields:
                value = f"o.{quote(f.column)}"
                if f.primary_key:
                    value = f"{value} + n.n * {top[model]}"
                elif f.name in shifted:
                    value = f"{value} + n.n * {top[f.related_model]}"
                elif keyed and f.name == "key":
                    value = f"{value} || n.suffix"
                columns[quote(f.column)] = value
            cursor.execute(copy_rows(model, columns, copies, top[model]))
        for relation in COPIED_LINKS:
            through = relation.through
            source = through._meta.get_field(relation.field.m2m_field_name()).column
            target = through._meta.get_field(relation.field.m2m_reverse_field_name()).column
            columns = {
                quote(source): f"o.{quote(source)} + n.n * {top[relation.field.model]}",
                quote(target): f"o.{quote(target)}",
            }
            limit = f"o.{quote(source)} <= {top[relation.field.model]}"
            cursor.execute(copy_rows(through, columns, copies, limit=limit))
        for statement in connection.ops.sequence_reset_sql(no_style(), [m for m, _, _ in COPIED]):
            cursor.execute(statement)


def copy_rows(
    model: Any, columns: dict[str, str], copies: str, top: int = 0, limit: str = ""
) -> str:
    """`INSERT … SELECT` of every row of `model` up to id `top` (or where `limit`), once for
    each row of `copies`, with `columns` computed from the original `o` and the copy `n`."""
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(columns.values())} FROM {quote(model._meta.db_table)} AS o "
        f"CROSS JOIN ({copies}) AS n "
        f"WHERE {limit or f'o.{quote(model._meta.pk.column)} <= {top}'} "
        f"ORDER BY n.n, o.{quote(model._meta.pk.column)}"
    )


# --- Pages -----------------------------------------------------------------------------------


def sv(message: str) -> str:
    """A UI string as the Swedish page prints it (the English msgid until it is translated)."""
    with translation.override("sv"):
        return translation.gettext(message)


def matches(n: int) -> str:
    """A list's result count as the Swedish page prints it, e.g. "1 010 träffar"."""
    with translation.override("sv"):
        message = translation.ngettext("%(shown)s match", "%(shown)s matches", n)
        return message % {"shown": intcomma(n)}


def squash(html: str) -> str:
    """The HTML without whitespace, to find a table row whatever the template's layout."""
    return "".join(html.split())


class Structure(HTMLParser):
    """Collects what `assert_accessible_structure` needs from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def assert_accessible_structure(html: str) -> None:
    """One h1, no skipped heading levels, landmarks, lang, captions and scoped headers."""
    page = Structure()
    page.feed(html)
    assert page.all("html")[0].get("lang") == "sv"
    assert len(page.all("h1")) == 1
    levels = [int(name[1]) for name, _ in page.tags if name in {"h1", "h2", "h3", "h4", "h5", "h6"}]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
    assert len(page.all("main")) == 1
    assert len(page.all("header")) == 1
    assert page.all("a")[0].get("href") == "#main"
    assert len(page.all("table")) == len(page.all("caption"))
    assert all(th.get("scope") in {"col", "row"} for th in page.all("th"))
    assert all(a.get("href") for a in page.all("a"))
    navs = page.all("nav")
    assert all(nav.get("aria-label") for nav in navs)


# --- Documents -------------------------------------------------------------------------------

# Typst and Word markup, a formula, a very long word: a plan's text must print as it is.
HOSTILE = (
    "= #set page(width: 1cm) *fet* _kursiv_ $x^2$ <etikett> @ref \\ // [länk](x) "
    '#{panic("injected")} <w:p><w:r/></w:p> &amp; ]]> {{ x }}'
)
LONG_WORD = "Kommunstyrelsekontorsutvecklingsprojektledningsgrupps" * 6
FORMULA = '=HYPERLINK("http://example.com","klicka")'

# What a careless paste or an attacker sends into a text field: markup, control characters
# (NUL, Word's line break U+000B, escape), a lone surrogate, a non-character, a right-to-left
# override, a text one character over the longest limit, and some that are fine.
HOSTILE_TEXTS = (
    HOSTILE,
    FORMULA,
    LONG_WORD,
    "<script>alert(1)</script>",
    "NUL\x00tecken",
    "Rad ett\x0bRad två",
    "escape\x1b[31m",
    "ensam \ud800 surrogat",
    "icke-tecken \ufffe",
    "\u202ehöger till vänster",
    "emoji 👍🏽, ﬁ-ligatur, 中文 och \ufeff",
    "x" * 20_001,
)
# What a careless reporter or an attacker types for a number.
HOSTILE_NUMBERS = (
    "123456789012345",
    "-123456789012345",
    "99999999999,9999",
    "0,00001",
    "1e400",
    "NaN",
    "Infinity",
    "1 000 000 000 000 000 kr",
    "\x00",
)


def letters(text: str) -> str:
    """Only letters and digits: text found in a PDF whatever its line breaks and hyphenation."""
    return re.sub(r"[\W_]", "", text).casefold()


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as PDFium extracts it (pypdfium2: about a twentieth of
    pypdf's time, which took seconds for the seed's plan), in pypdf's notation, which the
    tests' patterns read:

    - Lines end in "\\n" (PDFium writes "\\r\\n").
    - A hyphenation break is "-\\n", the hyphen and the line break as printed (`as_printed`
      and the test of the breaks' fragments look for them). PDFium writes U+FFFE instead
      of both, for a hyphen-minus or a soft hyphen that ends a line between two letters:
      whether Typst's break or a hyphen the text has ("IT-" at a line's end). A soft hyphen
      elsewhere stays U+00AD. PDFium also writes U+FFFE for a glyph without Unicode; the
      tests' PDFs have none (Typst gives every glyph its text): in the seed's plan each
      U+FFFE is where pypdf had a hyphen and a line break.

    Otherwise the text is PDFium's, which is pypdf's but for whitespace: a space pypdf kept
    after a hyphen the text has at a line's end ("miljö- \\n") is left out, a chart's label
    may break its line where pypdf had a space, and on a draft's pages (under the rotated
    mark "UTKAST", which upsets PDFium's guess of the lines' direction) a glyph set on its
    own, such as a hyphen, is on a line of its own ("kommun\\n\\xad\\nfullmäktiges")."""
    import pypdfium2

    pages = []
    with pypdfium2.PdfDocument(content) as pdf:
        for page in pdf:
            with closing(page), closing(page.get_textpage()) as textpage:
                text = textpage.get_text_range()
            pages.append(text.replace("\r\n", "\n").replace("\ufffe", "-\n"))
    return pages


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF (`pdf_pages`), a page a line after the other."""
    return "\n".join(pdf_pages(content))


def pdf_structure(content: bytes) -> list[Any]:
    """The structure elements of a tagged PDF, in reading order."""
    import pypdf

    found: list[Any] = []
    stack = [pypdf.PdfReader(io.BytesIO(content)).root_object["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pypdf.generic.ArrayObject):
            stack.extend(reversed(kids))
        elif kids is not None:
            stack.append(kids)
    return found


@dataclass
class PdfTable:
    """A Table element of a tagged PDF: its header cells and its body's rows of cells
    (TH or TD elements)."""

    header: list[Any]
    body: list[list[Any]]


def pdf_tables(content: bytes) -> list[PdfTable]:
    """The tables of a tagged PDF, in reading order."""

    def kids(node: Any) -> list[Any]:
        found = node.get("/K")
        found = found if isinstance(found, list) else [found]
        elements = [kid.get_object() for kid in found if kid is not None]
        return [e for e in elements if isinstance(e, dict) and "/S" in e]

    tables = []
    for table in (e for e in pdf_structure(content) if e["/S"] == "/Table"):
        parts = {part["/S"]: kids(part) for part in kids(table)}
        header = [cell for row in parts.get("/THead", []) for cell in kids(row)]
        tables.append(PdfTable(header, [kids(row) for row in parts.get("/TBody", [])]))
    return tables


def table_attributes(cell: Any) -> Any:
    """A table cell's attributes of the Table owner (Scope, Headers)."""
    attributes = cell.get("/A", [])
    attributes = attributes if isinstance(attributes, list) else [attributes]
    return next((a for a in attributes if a.get("/O") == "/Table"), {})


def pdf_ids(content: bytes) -> set[str]:
    """The IDs of the structure elements of a tagged PDF (its IDTree, as Typst writes it:
    one array of names)."""
    import pypdf

    tree: Any = pypdf.PdfReader(io.BytesIO(content)).root_object["/StructTreeRoot"]
    return {str(name) for name in tree["/IDTree"]["/Names"][::2]}


# --- Browser ---------------------------------------------------------------------------------
# The fixtures (Chromium, a tab, the live server's address) are the pytest plugin
# verksam/core/tests/browser.py.

# WCAG 2.2 AA adds target size (2.5.8) to axe's checks.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 740}
# A page in the other language is the same template with other words: the same elements,
# attributes, roles and colours. What can change is what the words decide, so there axe runs
# only the rules that read them, chosen from axe's own metadata (`TEXT_RULES`, below):
# - the categories of names, text alternatives, forms' labels and the language
#   (`TEXT_CATEGORIES`: button-name, link-name, label, select-name, image-alt, document-title,
#   html-lang-valid, valid-lang, empty-table-header, summary-name, frame-title, ...);
# - the ARIA rules about an accessible name (their ids end in "-name": aria-input-field-name,
#   aria-toggle-field-name, aria-tooltip-name, ...);
# - the rules decided by the words' size (`TEXT_SIZED_RULES`): a shorter word makes a smaller
#   target (target-size), a longer one can make a table wider than its box
#   (scrollable-region-focusable).
# Not rerun: the structure (lists, tables' headers, landmarks, nesting, ARIA roles and
# attributes, ids) and the colours (color-contrast, link-in-text-block), which the template
# and the stylesheet decide alike in every language.
TEXT_CATEGORIES = ("cat.language", "cat.text-alternatives", "cat.name-role-value", "cat.forms")
TEXT_SIZED_RULES = ("target-size", "scrollable-region-focusable")
TEXT_RULES = """(metadata) => axe.getRules(metadata.tags)
  .filter(r => !r.tags.includes("experimental"))
  .filter(r => r.tags.some(t => metadata.categories.includes(t))
    || r.ruleId.endsWith("-name") || metadata.sized.includes(r.ruleId))
  .map(r => r.ruleId)"""
# axe-core's script, put into a page once per document (a page checked again after an htmx
# swap reuses it), and a run that sends back only what the report needs.
AXE_RUN = """async (options) => {
  const results = await axe.run(document, options);
  return results.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" "))}));
}"""


AXE_CONTEXTS: "weakref.WeakSet[Any]" = weakref.WeakSet()


@cache
def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        where = "\n".join(f"      at {target}" for target in self.targets)
        return f"  - {self.rule} ({self.impact}): {self.help}\n{where}"


def inject_axe(page: Any) -> None:
    """Put axe-core into the page unless it is there. The first time in a browser context,
    also into every document the context loads from then on (`add_init_script`): Chromium
    then runs it as the page loads, about a quarter of a second less per page than sending
    the 570 kB script to it each time."""
    if page.evaluate("() => typeof axe === 'undefined'"):
        page.evaluate(axe_script())
        if page.context not in AXE_CONTEXTS:
            AXE_CONTEXTS.add(page.context)
            page.context.add_init_script(axe_script())


def text_rules(page: Any) -> list[str]:
    """The WCAG 2.2 A/AA rules whose outcome the page's words decide (see `TEXT_CATEGORIES`)."""
    inject_axe(page)
    metadata = {"tags": WCAG_TAGS, "categories": TEXT_CATEGORIES, "sized": TEXT_SIZED_RULES}
    return page.evaluate(TEXT_RULES, metadata)


def axe_violations(page: Any, *, translated: bool = False) -> list[Violation]:
    """Run axe-core on the page as it is now, for the WCAG 2.2 A and AA rules only; with
    `translated` (the page, already checked in Swedish, in another language) only those that
    read the words (`text_rules`)."""
    inject_axe(page)
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    if translated:
        options["runOnly"] = {"type": "rule", "values": text_rules(page)}
    return [
        Violation(
            rule=v["rule"], impact=v["impact"] or "unknown", help=v["help"], targets=v["targets"]
        )
        for v in page.evaluate(AXE_RUN, options)
    ]


def log_in(page: Any, site_url: str, username: str) -> None:
    """Log in through the login page in the browser, as a person does (the password is
    `PASSWORD`), and wait until the site has moved on from it."""
    page.goto(site_url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_no_axe_violations(
    page: Any, base_url: str, paths: list[str], *, translated: bool = False
) -> None:
    """Open each page and fail once, listing per page every violated rule and its elements."""
    reports = []
    for path in paths:
        response = page.goto(base_url + path)
        if response is None or response.status not in (200, 400):  # 400: a form with errors
            reports.append(f"{path}: HTTP {response.status if response else 'no response'}")
            continue
        violations = axe_violations(page, translated=translated)
        if violations:
            language = page.evaluate("document.documentElement.lang")
            reports.append(f"{path} (lang={language}):\n" + "\n".join(map(str, violations)))
    if reports:
        pytest.fail("axe-core found WCAG 2.2 A/AA violations:\n" + "\n".join(reports))


# Tabbing to an element, watched by the page itself: each element the focus enters is noted
# as it gets the focus (whether it shows it: an outline or a ring of shadow), and once the
# sought element has the focus, further Tabs are swallowed, so the test can press Tab in
# batches and read the notes once per batch instead of once per key press.
WATCH_TABS = """(selector) => {
  const watch = {log: [], reached: false};
  watch.focusin = (event) => {
    const e = event.target, style = getComputedStyle(e);
    const visible = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
      || style.boxShadow !== "none";
    watch.log.push({visible, html: visible ? "" : e.outerHTML.slice(0, 120)});
    if (e.matches(selector)) watch.reached = true;
  };
  watch.keydown = (event) => {
    if (event.key === "Tab" && watch.reached) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };
  document.addEventListener("focusin", watch.focusin, true);
  window.addEventListener("keydown", watch.keydown, true);
  window.verksamTabs = watch;
}"""
READ_TABS = """() => {
  const watch = window.verksamTabs, notes = {log: watch.log, reached: watch.reached};
  watch.log = [];
  if (watch.reached) {
    document.removeEventListener("focusin", watch.focusin, true);
    window.removeEventListener("keydown", watch.keydown, true);
  }
  return notes;
}"""


def tab_to(page: Any, selector: str, *, limit: int = 400, visible_focus: bool = True) -> None:
    """Press Tab until the element matching `selector` has focus; with `visible_focus`, every
    element on the way must show where the focus is. Tabs go in batches growing from one to
    32 (`WATCH_TABS`): the page notes each focus and swallows the Tabs after the sought one."""
    page.evaluate(WATCH_TABS, selector)
    pressed, batch = 0, 1
    while pressed < limit:
        for _ in range(min(batch, limit - pressed)):
            page.keyboard.press("Tab")
        pressed += batch
        batch = min(2 * batch, 32)
        notes = page.evaluate(READ_TABS)
        for focus in notes["log"]:
            assert focus["visible"] or not visible_focus, f"no visible focus on {focus['html']}"
        if notes["reached"]:
            return
    pytest.fail(f"Tab never reached {selector}")


def command_environment(env: dict[str, str]) -> dict[str, str]:
    """The environment a verksam command gets from `run_verksam` and `settings_from`: only
    the given settings, without the test session's own (development mode, the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE, the locale, which chooses the commands' language) and without
    a `.env` file unless `env` names one."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "TMPDIR", "SYSTEMROOT"}}
    return {**clean, "VERKSAM_ENV_FILE": os.devnull, **env}


def run_verksam(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a verksam command in a subprocess with `command_environment(env)`."""
    return subprocess.run(
        [sys.executable, "-m", "verksam", *args],
        env=command_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_from(env: dict[str, str]) -> dict[str, Any]:
    """The settings a verksam command starts with in `command_environment(env)`: verksam's
    settings module run again in this process (it is a function of the environment only),
    its settings by name, without the second or so a subprocess takes to start Python,
    Django and verksam. A setting the module refuses raises its ImproperlyConfigured (which
    the command prints as `verksam: …`, as `run_verksam` shows). This process's environment
    (a `.env` file is read into it) and its settings are left as they were. Not with
    SENTRY_DSN: the module would start error tracking in this process."""
    assert "SENTRY_DSN" not in env, "error tracking starts in a subprocess: use run_verksam"
    module = importlib.util.find_spec("verksam.config.settings")
    assert module is not None
    with (
        mock.patch.dict(os.environ, command_environment(env), clear=True),
        mock.patch("sentry_sdk.init", side_effect=AssertionError("error tracking started")),
    ):
        namespace = runpy.run_path(str(module.origin))
    return {name: value for name, value in namespace.items() if name.isupper()}
