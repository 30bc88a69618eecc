"""The key of the kept migrated test database (`testing.reused_migrations`): it must change
whenever what `migrate` builds could, or a run would test against a stale schema."""

from pathlib import Path

from django.conf import settings

from verksam.testing import migrations_key, verksam_imports

VERKSAM = Path(settings.PROJECT_DIR) / "verksam"


def test_the_key_changes_with_any_migration_file_and_with_the_database(monkeypatch):
    key = migrations_key("sqlite")
    assert migrations_key("sqlite") == key
    assert migrations_key("postgresql") != key
    changed = VERKSAM / "plans" / "migrations" / "0001_initial.py"
    read_bytes = Path.read_bytes
    monkeypatch.setattr(
        Path, "read_bytes", lambda path: read_bytes(path) + (b"#" if path == changed else b"")
    )
    assert migrations_key("sqlite") != key


def test_the_key_covers_the_verksam_modules_a_migration_imports(tmp_path):
    migration = tmp_path / "0009_example.py"
    migration.write_text(
        "from django.db import migrations\n"
        "from verksam.search import fulltext\n"
        "def index(apps, schema_editor):\n"
        "    from verksam.search.services import SOURCES\n"
    )
    search = VERKSAM / "search"
    assert verksam_imports(migration) == {
        search / "__init__.py",
        search / "fulltext.py",
        search / "services.py",
    }
