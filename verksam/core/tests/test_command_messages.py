"""Commands speak through gettext, as the web does: no command prints words of its own.

The guard reads the commands' source with `ast` and fails on a string literal with words
passed directly, or as an f-string, to `self.stdout.write`, `self.stderr.write`,
`CommandError`, `print` or `sys.exit`. A message built in a variable first is not seen:
write it through gettext all the same."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the `verksam` package
SOURCES = [*sorted(ROOT.glob("*/management/commands/*.py")), ROOT / "__main__.py"]

# Words a command may print as they are, in both languages.
ALLOWED_WORDS = {
    "verksam": "the program's name, before a message (`verksam: DATABASE_URL …`)",
    "tkr": "thousand kronor, the unit of amounts in Swedish and in English",
    "kB": "the unit of a written file's size",
    "s": "seconds, the unit of the time a report took",
}
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext", "gettext_lazy"}
# `%(name)s`, `%s`, `%d`, `%.1f` in a format string are placeholders, and addresses
# (`http://…`, `/accounts/login/`) are the same in every language: neither has words.
PLACEHOLDER = re.compile(
    r"%(\(\w+\))?[-#0 +]*\d*(\.\d+)?[sdfr]|(?:^|(?<=\s))(?:https?:/)?/[\w/.-]*"
)
WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    """The words of a literal that are not placeholders nor allowed as they are."""
    return [w for w in WORD.findall(PLACEHOLDER.sub("", text)) if w not in ALLOWED_WORDS]


def is_output(call: ast.Call) -> bool:
    """A call that puts text before a person: the command's output, its error, print."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("CommandError", "print")
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "write" and isinstance(func.value, ast.Attribute):
        return func.value.attr in ("stdout", "stderr")
    return func.attr == "exit" and isinstance(func.value, ast.Name) and func.value.id == "sys"


def untranslated(node: ast.AST) -> list[str]:
    """The literals with words in an argument, outside gettext calls, dict keys, names given
    to `getattr` and subscripts (`options["email"]`): those are keys, not text."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        found = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                found += untranslated(part)
            elif isinstance(part, ast.FormattedValue):
                found += untranslated(part.value)  # not its format spec (`:16`, `.1f`)
        return [ast.unparse(node)] if found else []
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in GETTEXT or name == "getattr":
            return []
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in untranslated(value)]
    if isinstance(node, ast.Subscript):
        return untranslated(node.value)
    return [text for child in ast.iter_child_nodes(node) for text in untranslated(child)]


def problems(source: str, name: str = "<source>") -> list[str]:
    """Each literal with words given straight to an output call: `file:line: literal`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and is_output(node):
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                for text in untranslated(argument):
                    found.append(f"{name}:{node.lineno}: {text!r}")
    return found


def test_the_guard_reads_every_command():
    names = {path.stem for path in SOURCES}
    assert {"plan", "period", "carry-over", "user", "load-plan", "report", "__main__"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_commands_print_no_words_outside_gettext(path):
    assert problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(
    "source",
    [
        'self.stdout.write("No changes.")',
        'self.stderr.write(f"{plan}: in review.")',
        'raise CommandError(f"No user {username!r}.")',
        'print("done")',
        'sys.exit("verksam: no settings")',
        'self.stdout.write(self.style.SUCCESS(f"{period} is open again."))',
        'self.stdout.write(_("Wrote %(file)s") % {"file": f} + " in a hurry")',
        'self.stdout.write(f"{key:16} deadline {deadline}")',
    ],
)
def test_the_guard_finds_words_printed_outside_gettext(source):
    assert len(problems(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        'self.stdout.write(_("No changes."))',
        'self.stdout.write(ngettext("%(n)s plan", "%(n)s plans", n) % {"n": n})',
        'raise CommandError(_("No user «%(username)s»") % {"username": username})',
        "self.stdout.write(f\"{key:16} {as_of} {_('deadline')} {status:8}\")",
        "self.stdout.write(f\"{username}\\t{roles or '-'}\")",
        'raise CommandError("; ".join(getattr(error, "messages", [str(error)])))',
        'self.stderr.write(f"  {elapsed:5.1f} s  {steps[step]} …")',
        "self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))",
        "self.stdout.write(f\" ({_('inactive')})\")",
        'self.stdout.write(_("Demo login: %(url)s") % {"url": f"http://{addrport}/accounts/login/"})',
    ],
)
def test_the_guard_lets_gettext_keys_and_machine_output_pass(source):
    assert problems(source) == []
