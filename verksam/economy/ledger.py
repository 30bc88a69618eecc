"""Reading a finance system's export into ledger lines: SIE 4, CSV and XLSX.

Read-only: a file becomes a list of `LedgerLine`s (account, cost centre, activity, project,
amount in kronor, debit positive) for one year up to a date, or a list of located
`Problem`s. Which budget row a line counts in is `economy.services`' job. Formats and rules:
docs/economy.md.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from verksam.core.validation import clean_number

MAX_FILE_BYTES = 20_000_000
# The SIE dimensions verksam reads (SIE 4: 1 kostnadsställe, 2 kostnadsbärare, 6 projekt).
SIE_DIMENSIONS = {"1": "cost_centre", "2": "activity", "6": "project"}
# The columns of a CSV or XLSX file, by their (case-insensitive) heading.
COLUMNS = {
    "konto": "account",
    "ansvar": "cost_centre",
    "verksamhet": "activity",
    "projekt": "project",
    "belopp": "amount",
}
REQUIRED_COLUMNS = ("konto", "belopp")
DIMENSION_NAMES = {
    "cost_centre": "ansvar/cost centre",
    "activity": "verksamhet/activity",
    "project": "projekt/project",
}
AMOUNT_PATTERN = re.compile(r"[+\-−]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?")
ACCOUNT_PATTERN = re.compile(r"\d{1,10}")
# Result accounts (BAS: 3–8) must be mapped; balance accounts count only where mapped.
RESULT_ACCOUNT_FIRST_DIGITS = set("345678")


@dataclass(frozen=True)
class Problem:
    """What is wrong in an outcome file, and where: file, line (or sheet, row, column)."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}{', ' + self.where if self.where else ''}: {self.message}"


class LedgerError(Exception):
    """The file cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LedgerLine:
    """An amount of the ledger: kronor, debit positive, with its account and dimensions."""

    account: str
    amount: Decimal
    where: str
    cost_centre: str = ""
    activity: str = ""
    project: str = ""

    @property
    def is_result_account(self) -> bool:
        return self.account[:1] in RESULT_ACCOUNT_FIRST_DIGITS


@dataclass
class Ledger:
    """What a file says for the year up to a date: its lines, and what was left out."""

    lines: list[LedgerLine] = field(default_factory=list)
    later: int = 0  # transactions dated after the period's end, left out
    source: str = ""  # which records were read (SIE: #VER, #PSALDO or #RES)


def read_ledger(name: str, content: bytes, *, year: int, until: date) -> Ledger:
    """The ledger lines of a file (by its suffix: .se/.si/.sie, .csv, .xlsx) for `year` up
    to `until`; LedgerError with every problem found."""
    if len(content) > MAX_FILE_BYTES:
        raise LedgerError(
            [Problem(name, "", f"filen är för stor, högst {MAX_FILE_BYTES} byte / too large")]
        )
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in ("se", "si", "sie"):
        return SieReader(name, year, until).read(content)
    if suffix == "csv":
        return read_table(name, csv_rows(name, content))
    if suffix == "xlsx":
        return read_table(name, xlsx_rows(name, content))
    raise LedgerError(
        [Problem(name, "", "okänt filformat: .se (SIE 4), .csv eller .xlsx / unknown format")]
    )


def format_of(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower()
    return "sie" if suffix in ("se", "si", "sie") else suffix


def parse_amount(text: str) -> Decimal:
    """An amount in kronor as a file writes it (`-1 234,50`, `1234.50`, `−200`); ValueError
    when it is no number or does not fit."""
    cleaned = text.strip()
    if not AMOUNT_PATTERN.fullmatch(cleaned):
        raise ValueError(f"«{cleaned[:40]}» är inget belopp / is not an amount")
    digits = re.sub(r"[ \u00a0\u202f]", "", cleaned).replace("−", "-").replace(",", ".")
    try:
        return clean_number(Decimal(digits))
    except InvalidOperation:
        raise ValueError(f"«{cleaned[:40]}» är inget belopp / is not an amount") from None


# --- CSV and XLSX --------------------------------------------------------------------------

# A table file's rows: (where, {column: text}) after the heading; or the problems.
Rows = list[tuple[str, dict[str, str]]]


def header_columns(name: str, where: str, heading: list[str]) -> dict[int, str]:
    names = [h.strip().lower() for h in heading]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [h for h in names if h and h not in COLUMNS]
    problems = []
    if missing:
        problems.append(
            Problem(name, where, f"kolumn saknas / missing column: {', '.join(missing)}")
        )
    if unknown:
        problems.append(
            Problem(
                name,
                where,
                f"okänd kolumn / unknown column: {', '.join(unknown)} (konto, ansvar, "
                "verksamhet, projekt, belopp)",
            )
        )
    duplicated = [h for h, n in Counter(names).items() if h and n > 1]
    if duplicated:
        problems.append(Problem(name, where, f"kolumn två gånger / twice: {duplicated[0]}"))
    if problems:
        raise LedgerError(problems)
    return {i: COLUMNS[h] for i, h in enumerate(names) if h}


def csv_rows(name: str, content: bytes) -> Rows:
    """The rows of a CSV file: UTF-8 (with or without BOM) or else Windows-1252 (what Excel
    saves), separated by `;`, `,` or tab (read from the heading line)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    lines = text.splitlines()
    if not lines:
        raise LedgerError([Problem(name, "", "filen är tom / the file is empty")])
    delimiter = max(";,\t", key=lines[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: Rows = []
    columns: dict[int, str] = {}
    for number, cells in enumerate(reader, start=1):
        where = f"rad/line {number}"
        if number == 1:
            columns = header_columns(name, where, cells)
            continue
        if not any(c.strip() for c in cells):
            continue
        rows.append((where, {columns[i]: c for i, c in enumerate(cells) if i in columns}))
    return rows


def xlsx_rows(name: str, content: bytes) -> Rows:
    """The rows of the first sheet of an Excel workbook, headings in its first row."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise LedgerError(
            [Problem(name, "", "ingen läsbar Excel-fil (.xlsx) / not a readable workbook")]
        ) from None
    sheet = book.worksheets[0]
    rows: Rows = []
    columns: dict[int, str] = {}
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number == 1:
            columns = header_columns(
                name,
                f"blad/sheet «{sheet.title}», rad/row 1",
                ["" if v is None else str(v) for v in values],
            )
            continue
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {}
        for i, value in enumerate(values):
            if i in columns:
                row[columns[i]] = "" if value is None else str(value)
        cells = ",".join(
            f"{columns[i]}={letters[i] if i < len(letters) else i + 1}" for i in columns
        )
        rows.append((f"blad/sheet «{sheet.title}», rad/row {number} [{cells}]", row))
    book.close()
    return rows


def read_table(name: str, rows: Rows) -> Ledger:
    """Ledger lines from a CSV or XLSX file's rows, one line per row; a row repeating the
    account and dimensions of another is refused (the file would count it twice)."""
    ledger = Ledger(source="table")
    problems = []
    seen: dict[tuple[str, ...], str] = {}
    for where, row in rows:
        located = where.split(" [", 1)[0]
        account = row.get("account", "").strip()
        if not ACCOUNT_PATTERN.fullmatch(account):
            problems.append(
                Problem(name, column_at(where, "account"), f"«{account[:40]}» är inget konto")
            )
            continue
        try:
            amount = parse_amount(row.get("amount", ""))
        except ValueError as error:
            problems.append(Problem(name, column_at(where, "amount"), str(error)))
            continue
        dims = {d: row.get(d, "").strip() for d in ("cost_centre", "activity", "project")}
        key = (account, *dims.values())
        if key in seen:
            problems.append(
                Problem(
                    name,
                    located,
                    f"dubblett av {seen[key]} (samma konto och objekt) / duplicate row",
                )
            )
            continue
        seen[key] = located
        ledger.lines.append(LedgerLine(account, amount, f"{name}, {located}", **dims))
    if problems:
        raise LedgerError(problems)
    return ledger


def column_at(where: str, column: str) -> str:
    """The location of a cell: a CSV line, or an XLSX row with the cell's column letter."""
    if " [" not in where:
        return where
    located, cells = where.rstrip("]").split(" [", 1)
    letter = dict(c.split("=") for c in cells.split(",")).get(column, "?")
    return f"{located}, kolumn/column {letter}"


# --- SIE 4 ---------------------------------------------------------------------------------

Token = str | list[str]


def sie_tokens(line: str) -> list[Token]:
    """A SIE line's fields: words, quoted strings (`\\"` an escaped quote) and object lists
    in braces (`{1 "100" 6 "20"}` as a list of its words)."""
    tokens: list[Token] = []
    group: list[str] | None = None
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char in " \t":
            i += 1
            continue
        if char == "{":
            group = []
            i += 1
            continue
        if char == "}":
            tokens.append(group or [])
            group = None
            i += 1
            continue
        if char == '"':
            i += 1
            word = []
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n:
                    i += 1
                word.append(line[i])
                i += 1
            i += 1
            value = "".join(word)
        else:
            start = i
            while i < n and line[i] not in ' \t{}"':
                i += 1
            value = line[start:i]
        if group is not None:
            group.append(value)
        else:
            tokens.append(value)
    if group is not None:
        tokens.append(group)
    return tokens


def sie_date(text: str) -> date:
    if not re.fullmatch(r"\d{8}", text):
        raise ValueError(f"«{text}» är inget datum ÅÅÅÅMMDD / not a date YYYYMMDD")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"«{text}» är inget datum / not a date") from None


class SieReader:
    """One SIE 4 file (types 1–4, 4E and 4I) read for `year` up to `until`.

    The text is IBM PC 8-bit (code page 437, `#FORMAT PC8`) as the format prescribes.
    The year is the `#RAR` whose first day is in `year` (a file holds several). Amounts
    come from the transactions (`#VER`/`#TRANS`, dated up to `until`), else from the period
    balances (`#PSALDO`, months up to `until`), else from the result balances (`#RES`, when
    `#OMFATTN` is `until`). Accounts must be declared by `#KONTO` and objects by `#OBJEKT`
    when the file declares any."""

    def __init__(self, name: str, year: int, until: date) -> None:
        self.name = name
        self.year = year
        self.until = until
        self.problems: list[Problem] = []
        self.years: dict[str, tuple[date, date]] = {}
        self.accounts: set[str] = set()
        self.objects: set[tuple[str, str]] = set()
        self.coverage: date | None = None
        self.transactions: list[tuple[int, list[Token]]] = []
        self.balances: list[tuple[int, list[Token]]] = []
        self.results: list[tuple[int, list[Token]]] = []
        self.vouchers: dict[tuple[str, str], int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, f"rad/line {line}", message))

    def read(self, content: bytes) -> Ledger:
        text = (
            content[3:].decode("utf-8", errors="replace")
            if content.startswith(b"\xef\xbb\xbf")
            else content.decode("cp437")
        )
        voucher: tuple[int, date | None] | None = None  # (line, date) inside #VER { … }
        for number, raw in enumerate(text.splitlines(), start=1):
            tokens = sie_tokens(raw)
            if not tokens:
                continue
            label = tokens[0]
            if isinstance(label, list):  # the "{" or "}" of a voucher
                if voucher and raw.strip() == "}":
                    voucher = None
                continue
            try:
                voucher = self.record(number, label.upper(), tokens[1:], voucher)
            except (ValueError, IndexError) as error:
                message = str(error) if isinstance(error, ValueError) else "fält saknas"
                self.problem(number, f"{label}: {message} / field missing or wrong")
        return self.finish()

    def record(
        self, number: int, label: str, fields: list[Token], voucher: tuple[int, date | None] | None
    ) -> tuple[int, date | None] | None:
        if label == "#RAR":
            self.years[str(fields[0])] = (sie_date(str(fields[1])), sie_date(str(fields[2])))
        elif label == "#KONTO":
            self.accounts.add(str(fields[0]))
        elif label == "#OBJEKT":
            self.objects.add((str(fields[0]), str(fields[1])))
        elif label == "#OMFATTN":
            self.coverage = sie_date(str(fields[0]))
        elif label == "#VER":
            key = (str(fields[0]), str(fields[1]))
            if key in self.vouchers:
                self.problem(
                    number,
                    f"verifikation {' '.join(key)} finns redan på rad {self.vouchers[key]} / "
                    "duplicate voucher",
                )
            self.vouchers[key] = number
            return (number, sie_date(str(fields[2])))
        elif label == "#TRANS":
            if voucher is None:
                raise ValueError("#TRANS utanför #VER / outside a voucher")
            day = voucher[1]
            if len(fields) > 3 and isinstance(fields[3], str) and fields[3]:
                day = sie_date(fields[3])
            self.transactions.append((number, [*fields[:3], day.isoformat() if day else ""]))
        elif label == "#PSALDO":
            self.balances.append((number, fields))
        elif label == "#RES":
            self.results.append((number, fields))
        return voucher

    def finish(self) -> Ledger:
        index = next(
            (i for i, (first, _last) in self.years.items() if first.year == self.year), None
        )
        if not self.years:
            self.problem(1, "#RAR saknas: filen anger inget räkenskapsår / no financial year")
        elif index is None:
            spans = ", ".join(f"{a:%Y-%m-%d}–{b:%Y-%m-%d}" for a, b in self.years.values())
            self.problems.append(
                Problem(
                    self.name,
                    "#RAR",
                    f"filen gäller {spans}, inte {self.year} / the file is for another year",
                )
            )
        if index is None:
            raise LedgerError(self.problems)
        ledger = Ledger()
        if self.transactions:
            ledger.source = "#VER/#TRANS"
            self.read_transactions(ledger, self.years[index])
        elif self.balances:
            ledger.source = "#PSALDO"
            self.read_balances(ledger, index)
        elif self.results:
            ledger.source = "#RES"
            self.read_results(ledger, index)
        else:
            self.problem(1, "inga #TRANS, #PSALDO eller #RES / no amounts in the file")
        if self.problems:
            raise LedgerError(self.problems)
        return ledger

    def line(self, number: int, account: Token, objects: Token, amount: Token) -> LedgerLine | None:
        account = str(account)
        if self.accounts and account not in self.accounts:
            self.problem(number, f"okänt konto {account}: inget #KONTO / unknown account")
            return None
        dims: dict[str, str] = {}
        pairs = objects if isinstance(objects, list) else []
        for dim, obj in zip(pairs[::2], pairs[1::2], strict=False):
            if self.objects and (dim, obj) not in self.objects:
                self.problem(
                    number,
                    f"okänt objekt {obj} i dimension {dim}: inget #OBJEKT / unknown cost centre",
                )
                return None
            if dim in SIE_DIMENSIONS:
                dims[SIE_DIMENSIONS[dim]] = obj
        try:
            kronor = parse_amount(str(amount))
        except ValueError as error:
            self.problem(number, str(error))
            return None
        return LedgerLine(account, kronor, f"{self.name}, rad/line {number}", **dims)

    def read_transactions(self, ledger: Ledger, span: tuple[date, date]) -> None:
        first, last = span
        for number, (account, objects, amount, day) in self.transactions:
            on = date.fromisoformat(str(day))
            if not first <= on <= last:
                self.problem(
                    number,
                    f"datum {on} ligger utanför räkenskapsåret {first}–{last} / outside the year",
                )
                continue
            if on > self.until:
                ledger.later += 1
                continue
            if line := self.line(number, account, objects, amount):
                ledger.lines.append(line)

    def read_balances(self, ledger: Ledger, index: str) -> None:
        seen: dict[tuple[str, str, tuple[str, ...]], int] = {}
        broken_down: dict[str, set[str]] = {}
        for number, fields in self.balances:
            year, month, account, objects = str(fields[0]), str(fields[1]), fields[2], fields[3]
            pairs = tuple(objects) if isinstance(objects, list) else ()
            key = (month, str(account), pairs)
            if year != index:
                continue
            if key in seen:
                self.problem(number, f"samma #PSALDO som rad {seen[key]} / duplicate balance")
                continue
            seen[key] = number
            if pairs:
                broken_down.setdefault(str(account), set()).add(" ".join(pairs[::2]))
        for account, dims in broken_down.items():
            if len(dims) > 1:
                self.problem(
                    1,
                    f"#PSALDO för konto {account} delas upp på olika dimensioner "
                    f"({', '.join(sorted(dims))}) och kan inte summeras / broken down by "
                    "different dimensions",
                )
        last_month = f"{self.until:%Y%m}"
        for number, fields in self.balances:
            year, month, account, objects = str(fields[0]), str(fields[1]), fields[2], fields[3]
            # Object breakdowns replace the account's total where the file gives both.
            if year != index or month > last_month:
                continue
            if bool(objects) != (str(account) in broken_down):
                continue
            if line := self.line(number, account, objects, fields[4]):
                ledger.lines.append(line)

    def read_results(self, ledger: Ledger, index: str) -> None:
        if self.coverage != self.until:
            self.problem(
                1,
                f"#RES gäller saldot per {self.coverage or 'okänt datum'} (#OMFATTN), perioden "
                f"slutar {self.until} / the balances are not at the period's end",
            )
            return
        for number, fields in self.results:
            if str(fields[0]) == index and (line := self.line(number, fields[1], [], fields[2])):
                ledger.lines.append(line)
