"""Reading plan data files (YAML sources or a JSON export) into validated items.

Everything here is read-only: it turns files into a `Dataset` or a list of
located `Problem`s. Writing to the database is `imports.services.load_plan`'s job.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from verksam.imports.schema import KINDS

DATA_SUFFIXES = {".yaml", ".yml", ".json"}
# libyaml's parser where PyYAML was built with it (its wheels are): the same data, ten times
# faster than the pure-Python one, which took most of a load of the seed plan.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
META_KEYS = {"format", "version"}  # the JSON export's header
# What the export adds for reading only: a round's outcome and forecasts come from the finance
# system and the units (`verksam import-outcome`, the forecast form), never from a plan file.
EXPORT_ONLY_KEYS = {"economy"}
# Limits that keep a hostile file from exhausting the process (docs/data-format.md):
# the whole Norrtälje 2022 plan is 0.3 MB in YAML, about 1 MB as a JSON export.
MAX_FILE_BYTES = 5_000_000
MAX_NODES = 500_000  # values in one YAML document, aliases expanded


def too_deep() -> str:
    return _("nested too deeply or too many elements (at most %(limit)s)") % {"limit": MAX_NODES}


# (kind, index) → the line an item starts on; (kind, index, field, index) → a nested item's.
Lines = dict[tuple[Any, ...], int]


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
            where += ", " + _("field «%(field)s»") % {"field": self.field}
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

    item: Any  # the pydantic model of its kind (imports.schema)
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
        raise DataError([Problem(", ".join(map(str, paths)), _("no data files"))])
    for path in files:
        problems.extend(_read_file(path, dataset))
    if problems:
        raise DataError(problems)
    return dataset


def _read_file(path: Path, dataset: Dataset) -> list[Problem]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [
                Problem(
                    name,
                    _(
                        "too large: %(size)s bytes, at most %(limit)s (split the plan into "
                        "several files)"
                    )
                    % {"size": size, "limit": MAX_FILE_BYTES},
                )
            ]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(name, _("cannot be read: %(error)s") % {"error": error})]
    try:
        data, lines = _parse(text, path.suffix)
    except yaml.MarkedYAMLError as error:
        if "nesting depth" in (error.problem or ""):  # libyaml's own limit
            return [Problem(name, too_deep())]
        line = error.problem_mark.line + 1 if error.problem_mark else None
        detail = " ".join(filter(None, [error.context, error.problem]))
        return [Problem(name, _("invalid YAML: %(detail)s") % {"detail": detail}, line=line)]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "?"
        message = _("the character %(char)s is not allowed") % {"char": char}
        return [Problem(name, message, line=line)]
    except json.JSONDecodeError as error:
        return [
            Problem(name, _("invalid JSON: %(detail)s") % {"detail": error.msg}, line=error.lineno)
        ]
    except DuplicateKey as error:
        return [Problem(name, _("invalid JSON: %(detail)s") % {"detail": error})]
    except yaml.YAMLError as error:
        return [Problem(name, _("invalid YAML: %(detail)s") % {"detail": error})]
    except (RecursionError, TooLarge):
        return [Problem(name, too_deep())]
    except ValueError as error:  # e.g. an integer of more than 4 300 digits
        syntax = "JSON" if path.suffix == ".json" else "YAML"
        return [
            Problem(name, _("invalid %(syntax)s: %(detail)s") % {"syntax": syntax, "detail": error})
        ]
    return validate_data(data, name, lines, dataset)


def validate_data(data: Any, name: str, lines: Lines, dataset: Dataset) -> list[Problem]:
    """Validate the shape of parsed data (kind → list of items) read from the file `name`
    (a data file, or a workbook converted to the same shape: `imports.workbook`), adding
    its items to `dataset`; `lines` locates items and nested items for the messages."""
    if data is None:
        return []
    if not isinstance(data, dict):
        return [Problem(name, _("must map kinds to lists"))]
    problems = []
    for kind, entries in data.items():
        if kind in META_KEYS or kind in EXPORT_ONLY_KEYS:
            continue
        if kind not in KINDS:
            known = ", ".join(KINDS)
            problems.append(
                Problem(
                    name, _("unknown kind (known: %(known)s)") % {"known": known}, kind=str(kind)
                )
            )
            continue
        if not isinstance(entries, list):
            problems.append(Problem(name, _("must be a list"), kind=kind))
            continue
        for index, entry in enumerate(entries):
            problems.extend(_validate(entry, kind, index, name, lines, dataset))
    return problems


def _validate(
    entry: Any, kind: str, index: int, file: str, lines: Lines, dataset: Dataset
) -> list[Problem]:
    line = lines.get((kind, index))
    label = f"#{index + 1}"
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        label = _shown(entry["id"])
    if not isinstance(entry, dict):
        return [Problem(file, _("must be a mapping"), kind, label, line=line)]
    nested: Lines = {
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
                _message(e),
                kind,
                label,
                ".".join(str(p) for p in e["loc"]),
                nested.get(tuple(e["loc"][:2]), line),
            )
            for e in error.errors()
        ]
    dataset[kind].append(Located(item, file, line, index, nested))
    return []


def _message(error: Any) -> str:
    """pydantic's message, with our own rules' messages as they are written and a hint
    where YAML read a value as a number, a truth value or a date instead of text."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "string_unicode":
        return _("the text holds a lone surrogate (U+D800–U+DFFF)")
    if error["type"] == "string_type" and isinstance(error["input"], int | float | bool):
        return _('%(message)s: quote the text, e.g. "%(value)s"') % {
            "message": error["msg"],
            "value": error["input"],
        }
    return error["msg"]


def _shown(value: str) -> str:
    """An id for a message: short, its invisible characters made visible."""
    shown = "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in value[:80])
    return shown + ("…" if len(value) > 80 else "")


class TooLarge(ValueError):
    """A document that expands (through YAML aliases) to more than MAX_NODES values."""


class _Loader(SAFE_LOADER):  # type: ignore[valid-type,misc]  # chosen at import
    """PyYAML's safe loader, except that a date stays the text it is (`end: 2024-12-31`
    is the cell as printed, not a date object) and a key written twice is an error."""


TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:
            continue  # an unhashable key: construct_mapping reports it
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("the key «%(key)s» is written twice, first on line %(line)s")
                % {"key": key, "line": first},
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(text: str, suffix: str) -> tuple[Any, Lines]:
    """The data and, for YAML, the line each item and nested item starts on (for messages)."""
    if suffix == ".json":
        return json.loads(text, object_pairs_hook=_json_object), {}
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}
        _check_size(root)
        data = loader.construct_document(root)
    finally:
        loader.dispose()
    lines: Lines = {}
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


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when it names a key twice."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKey(_("the key «%(key)s» is written twice") % {"key": _shown(key)})
        data[key] = value
    return data


class DuplicateKey(ValueError):
    """A JSON object that names a key twice."""


def _check_size(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it beyond MAX_NODES values ("billion
    laughs") or make it recursive: aliases share nodes, so each node's expanded size is
    counted once, bottom-up, without recursion."""
    size: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            visiting.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for c in _children(node))
            if size[id(node)] > MAX_NODES:
                raise TooLarge
        elif id(node) not in size:
            if id(node) in visiting:
                raise TooLarge  # an alias inside the node it refers to
            visiting.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
