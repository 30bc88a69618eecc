"""Layers only point down (docs/architecture.md, "Floors").

Every import in verksam's source, module-level or inside a function, is read with `ast` (no
module is imported). An app may import apps on lower floors, and apps on its own floor as long
as no two of them import each other; never an app on a higher floor. Production code never
imports test code. Test code (`tests/` packages, `conftest.py`, `verksam.testing`) may import
any app's production code and `verksam.testing`, but no other test module. Templates include
and extend only templates of their own floor and below (the site's layout, `templates/`, is on
the ground floor).
"""

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import verksam

pytestmark = pytest.mark.xdist_group("layers")  # one worker reads the tree for all

ROOT = Path(verksam.__file__).parent

# Lowest first. A new app gets its floor here and in docs/architecture.md.
FLOORS: list[set[str]] = [
    {"core"},
    {"organisation"},
    {"accounts"},
    {"audit"},
    {"plans", "indicators", "budget", "risks"},
    {"followup"},
    {"planning", "economy"},
    {"search", "imports", "reports"},
    {"pages"},
    {"config"},
]
FLOOR = {app: n for n, apps in enumerate(FLOORS) for app in apps}
# Modules of the package itself (`python -m verksam`) stand with config, on top.
ROOT_APP = "config"
TEST_SUPPORT = "verksam.testing"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported verksam module
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_test_code(module: str) -> bool:
    parts = module.split(".")
    return (
        "tests" in parts
        or parts[-1] == "conftest"
        or module == TEST_SUPPORT
        or module.startswith(TEST_SUPPORT + ".")
    )


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (ROOT / parts[1]).is_dir() else ROOT_APP


def targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The verksam modules an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".")
            package = package if is_package else package[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, *filter(None, [base])])
        # `from verksam.followup import services` names the module verksam.followup.services.
        names = [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"] or [base]
    return [name for name in names if name == "verksam" or name.startswith("verksam.")]


@cache
def all_imports() -> tuple[Import, ...]:
    """Every `verksam` import in the tree (read once per worker; the tests share a worker)."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in targets(node, module, path.name == "__init__.py"):
                    found.append(Import(module, target, node.lineno))
    return tuple(found)


def floor_problem(imp: Import) -> str | None:
    """Why a production module's import breaks the layers, or None."""
    if is_test_code(imp.target):
        return "production code imports test code"
    source, target = app_of(imp.module), app_of(imp.target)
    for app in (source, target):
        if app not in FLOOR:
            return f"the app {app!r} has no floor (add it to FLOORS and the architecture doc)"
    if FLOOR[target] > FLOOR[source]:
        return f"{source} (floor {FLOOR[source]}) imports {target} (floor {FLOOR[target]})"
    return None


def test_production_code_imports_only_its_own_floor_and_the_floors_below():
    problems = [
        f"{imp}: {problem}"
        for imp in all_imports()
        if not is_test_code(imp.module) and (problem := floor_problem(imp))
    ]
    assert problems == []


def test_no_two_apps_import_each_other():
    uses: dict[tuple[str, str], Import] = {}
    for imp in all_imports():
        if is_test_code(imp.module) or is_test_code(imp.target):
            continue
        source, target = app_of(imp.module), app_of(imp.target)
        if source != target:
            uses.setdefault((source, target), imp)
    pairs = [
        f"{uses[(a, b)]} and {uses[(b, a)]}" for a, b in sorted(uses) if a < b and (b, a) in uses
    ]
    assert pairs == []


def test_no_view_imports_another_apps_views():
    """Views share reads through QuerySet methods and services, not through each other."""
    problems = [
        str(imp)
        for imp in all_imports()
        if imp.module.split(".")[-1] == "views"
        and ".views" in imp.target
        and app_of(imp.module) != app_of(imp.target)
    ]
    assert problems == []


TEMPLATE_TAG = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def template_homes() -> dict[str, str]:
    """Each template name and the app whose `templates/` holds it (the site's own: core)."""
    homes = {}
    for directory in ROOT.glob("**/templates"):
        app = directory.parent.name if directory.parent != ROOT else "core"
        for path in directory.rglob("*.html"):
            homes[path.relative_to(directory).as_posix()] = app
    return homes


def test_templates_include_only_their_own_floor_and_the_floors_below():
    homes = template_homes()
    problems = []
    for directory in ROOT.glob("**/templates"):
        app = directory.parent.name if directory.parent != ROOT else "core"
        for path in sorted(directory.rglob("*.html")):
            for name in TEMPLATE_TAG.findall(path.read_text(encoding="utf-8")):
                target = homes.get(name)
                if target is None:
                    problems.append(f"{path.relative_to(ROOT)} includes {name}: no such template")
                elif FLOOR[target] > FLOOR[app]:
                    problems.append(f"{path.relative_to(ROOT)} ({app}) includes {name} ({target})")
    assert problems == []


def test_test_code_imports_no_other_test_module():
    problems = [
        str(imp)
        for imp in all_imports()
        if is_test_code(imp.module)
        and is_test_code(imp.target)
        and not imp.target.startswith(TEST_SUPPORT)
        and imp.target != imp.module
    ]
    assert problems == []


def test_the_walk_reads_function_level_and_relative_imports():
    source = "from . import sibling\ndef f():\n    from verksam.pages import views\n"
    tree = ast.parse(source)
    names = [
        target
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for target in targets(node, "verksam.search.views", is_package=False)
    ]
    assert names == ["verksam.search.sibling", "verksam.pages.views"]
    assert floor_problem(Import("verksam.search.views", "verksam.pages.views", 3)) == (
        "search (floor 7) imports pages (floor 8)"
    )
    assert floor_problem(Import("verksam.plans.models", "verksam.core.tests.scale", 1)) == (
        "production code imports test code"
    )
