"""Shared test setup: the Norrtälje 2022 seed plan is loaded once per test session (per
worker under pytest-xdist).

Every test runs in a transaction that is rolled back, so tests see the seed as loaded and can
change it freely. A transactional test (a browser test with `live_server`) commits, and
pytest-django empties the database after it; the seed is then copied back from a snapshot
taken after loading it, so that every later test finds it again.
"""

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation

from verksam import testing

SNAPSHOT = pytest.StashKey[tuple[testing.SeedSnapshot, Any]]()


def pytest_configure(config: pytest.Config) -> None:
    """Collect garbage less often. A test makes hundreds of thousands of short-lived objects
    (model instances, template nodes), and Python's default (a young collection every 2 000
    allocations, each walking what the imports left) took a tenth of the suite's CPU. The
    imports are frozen out of the collector's sight and the young generation is 25 times
    larger: 223 s → 203 s of CPU for the tests without a browser (docs/operations.md)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1_000)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, django_db_blocker
) -> Iterator[None]:
    """Runs just before pytest-django sets up the test database: its migration is the kept
    migrated database's copy when there is one (`testing.reused_migrations`)."""
    with testing.reused_migrations(django_db_blocker):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    with django_db_blocker.unblock():
        testing.load_seed()
        request.config.stash[SNAPSHOT] = (testing.SeedSnapshot(), django_db_blocker)
    yield
    with django_db_blocker.unblock():
        testing.end_other_sessions()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests first: they are the longest (up to half a minute each), and
    pytest-xdist hands tests out in this order, so a run no longer ends with one worker in a
    long browser test while the other waits. pytest-django has put transactional tests
    after the others; the seed's restore after each of them (below) makes any order safe."""
    give_every_test_its_own_id(items, grouped=getattr(config.option, "loadgroup", False))
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


def give_every_test_its_own_id(items: list[pytest.Item], *, grouped: bool) -> None:
    """pytest 9.2 keeps a test's id in a structured form, and two plugins still write the
    old string form, which it ignores: schemathesis (its tests' ids lack the operation, so
    pytest-xdist, which hands out tests by id, ran 2 of the 51 API schema tests) and
    pytest-xdist's `loadgroup` (the `@group` suffix that keeps an `xdist_group` on one
    worker). Both are put back here, and a run whose ids still collide stops."""
    for item in items:
        nodeid = item.nodeid
        if not nodeid.endswith(item.name) and item.parent is not None:
            nodeid = f"{item.parent.nodeid}::{item.name}"
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        if grouped and groups and nodeid.rfind("@") <= nodeid.rfind("]"):
            nodeid = f"{nodeid}@{'_'.join(groups)}"
        if nodeid != item.nodeid:
            item._id = type(item.id).parse(nodeid)  # pytest's own parser of ids
    seen = Counter(item.nodeid for item in items)
    if clashes := [nodeid for nodeid, count in seen.items() if count > 1]:
        raise pytest.UsageError(
            "Tests share an id (pytest-xdist would run one): " + ", ".join(clashes)
        )


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a transactional test's fixtures (and pytest-django's flush), restore the seed,
    unless the session ends (then the test database is gone)."""
    result = yield
    if nextitem is not None and is_transactional(item) and SNAPSHOT in item.config.stash:
        snapshot, blocker = item.config.stash[SNAPSHOT]
        with blocker.unblock():
            snapshot.restore()
    return result


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 takes half a second a password by design; tests hash with a fast hasher
    (verksam/accounts/tests/test_login.py checks that the project's first is Argon2)."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(scope="module")
def example_round_once(django_db_blocker) -> Iterator[int]:
    """The demo's example April round (`testing.example_round`), loaded once for a module's
    tests rather than once a test: 0.15 s of CPU each, 80 times a run. It lives in a
    transaction rolled back after the module's last test (`testing.rolled_back`), and each
    test's own changes are rolled back to a savepoint inside it. Every test of the module
    run after the first that asks for it sees the round too, so it is for modules whose
    tests are about the round. Gives the round's primary key: a test reads its own copy."""
    with testing.rolled_back(django_db_blocker):
        yield testing.example_round().pk


@pytest.fixture
def make_user() -> Callable[..., Any]:
    """`testing.make_user`: a user holding the given roles, e.g.
    `make_user("anna", reporter="KSK-EKONOMI")`."""
    return testing.make_user


@pytest.fixture
def seed_editable() -> Iterator[None]:
    """The decided seed's content may be written directly in this test (`testing.seed_editable`):
    for tests that set up their cases by editing it."""
    with testing.seed_editable():
        yield


@pytest.fixture
def english():
    """Messages in English, as `LANG=en_…` gives commands and a chosen language the web."""
    with translation.override("en"):
        yield
