"""Reading plan data files (YAML sources or a JSON export) into validated items.

Everything here is read-only: it turns files into a `Dataset` or a list of
located `Problem`s. Writing to the database is `imports.services.load_plan`'s job.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from verksam.imports.schema import KINDS, Item

DATA_SUFFIXES = {".yaml", ".yml", ".json"}
# libyaml's parser where PyYAML was built with it (its wheels are): the same data, ten times
# faster than the pure-Python one, which took most of a load of the seed plan.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
META_KEYS = {"format", "version"}  # the JSON export's header


# (kind, index) → the line an item starts on; (kind, index, field, index) → a nested item's.
Lines = dict[tuple, int]


@dataclass(frozen=True)
class Problem:
    """Something wrong or odd in the data, located by file, item and field."""

    file: str
    message: str
    kind: str = ""
    item: str = ""
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        if self.item:
            where += f": {self.kind} «{self.item}»"
        elif self.kind:
            where += f": {self.kind}"
        if self.field:
            where += f", fält/field «{self.field}»"
        return f"{where}: {self.message}"


class DataError(Exception):
    """The data cannot be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Located:
    """An item and where it was read: file, line, index in the file's list (its position),
    and the lines of its nested items (a table's rows) by field and index."""

    item: Item
    file: str
    line: int | None
    index: int
    nested_lines: dict[tuple[str, int], int] = field(default_factory=dict)

    def line_of(self, name: str, index: int) -> int | None:
        """The line of a nested item, e.g. `("rows", 3)`, else the item's own line."""
        return self.nested_lines.get((name, index), self.line)


@dataclass
class Dataset:
    """All items of the files read, per kind, in file order."""

    items: dict[str, list[Located]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def __getitem__(self, kind: str) -> list[Located]:
        return self.items[kind]


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for its data files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in DATA_SUFFIXES))
        else:
            files.append(path)
    return files


def read_dataset(paths: list[Path]) -> Dataset:
    """Parse and validate the shape of every item; raise DataError listing every problem."""
    dataset = Dataset()
    problems: list[Problem] = []
    files = expand_paths(paths)
    if not files:
        raise DataError([Problem(", ".join(map(str, paths)), "inga datafiler / no data files")])
    for path in files:
        problems.extend(_read_file(path, dataset))
    if problems:
        raise DataError(problems)
    return dataset


def _read_file(path: Path, dataset: Dataset) -> list[Problem]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(name, f"kan inte läsas / cannot be read: {error}")]
    try:
        data, lines = _parse(text, path.suffix)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        detail = " ".join(filter(None, [error.context, error.problem]))
        return [Problem(name, f"ogiltig YAML / invalid YAML: {detail}", line=line)]
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        return [Problem(name, f"ogiltig {path.suffix[1:].upper()} / invalid syntax: {error}")]
    if data is None:
        return []
    if not isinstance(data, dict):
        return [
            Problem(name, "ska vara en mappning av typer till listor / must map kinds to lists")
        ]
    problems = []
    for kind, entries in data.items():
        if kind in META_KEYS:
            continue
        if kind not in KINDS:
            known = ", ".join(KINDS)
            problems.append(Problem(name, f"okänd typ / unknown kind (known: {known})", kind=kind))
            continue
        if not isinstance(entries, list):
            problems.append(Problem(name, "ska vara en lista / must be a list", kind=kind))
            continue
        for index, entry in enumerate(entries):
            problems.extend(_validate(entry, kind, index, name, lines, dataset))
    return problems


def _validate(
    entry: Any, kind: str, index: int, file: str, lines: Lines, dataset: Dataset
) -> list[Problem]:
    line = lines.get((kind, index))
    label = str(entry.get("id") or f"#{index + 1}") if isinstance(entry, dict) else f"#{index + 1}"
    if not isinstance(entry, dict):
        return [Problem(file, "ska vara en mappning / must be a mapping", kind, label, line=line)]
    nested = {
        (key[2], key[3]): nested_line
        for key, nested_line in lines.items()
        if len(key) == 4 and key[:2] == (kind, index)
    }
    try:
        item = KINDS[kind].model_validate(entry)
    except ValidationError as error:
        return [
            Problem(
                file,
                e["msg"],
                kind,
                label,
                ".".join(str(p) for p in e["loc"]),
                nested.get(tuple(e["loc"][:2]), line),
            )
            for e in error.errors()
        ]
    dataset[kind].append(Located(item, file, line, index, nested))
    return []


def _parse(text: str, suffix: str) -> tuple[Any, Lines]:
    """The data and, for YAML, the line each item and nested item starts on (for messages)."""
    if suffix == ".json":
        return json.loads(text), {}
    data = yaml.load(text, Loader=SAFE_LOADER)
    lines: Lines = {}
    root = yaml.compose(text, Loader=SAFE_LOADER)
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(value_node, yaml.SequenceNode):
                for index, item_node in enumerate(value_node.value):
                    lines[(key_node.value, index)] = item_node.start_mark.line + 1
                    if isinstance(item_node, yaml.MappingNode):
                        for field_node, field_value in item_node.value:
                            if isinstance(field_value, yaml.SequenceNode):
                                for sub, sub_node in enumerate(field_value.value):
                                    key = (key_node.value, index, field_node.value, sub)
                                    lines[key] = sub_node.start_mark.line + 1
    return data, lines
