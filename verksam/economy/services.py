"""Writes of the economy: importing a period's outcome, saving forecasts and recording the
decision on an investment carry-over. Each checks the actor's permission, runs in one
transaction and leaves history (django-simple-history), like `followup.services`.

An import is read → map → compare → write: the file is read into ledger lines
(`economy.ledger`), each line counts in the rows its mapping names, the result is compared
with the period's stored outcome (the preview), and only then, if asked, written, all or
nothing. The same file imported again finds nothing to change and writes nothing.
"""

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Case, Q, QuerySet, When
from django.utils.translation import gettext as _

from verksam.budget.models import BudgetRow, BudgetTable
from verksam.core.validation import clean_number, clean_text
from verksam.economy import figures
from verksam.economy.ledger import (
    Ledger,
    LedgerError,
    LedgerLine,
    Problem,
    at_line,
    format_of,
    not_an_account,
    read_ledger,
)
from verksam.economy.models import (
    FIGURE_KINDS,
    FOLLOWED_TABLES,
    CarryOver,
    Forecast,
    Outcome,
    OutcomeImport,
    OutcomeMapping,
)
from verksam.followup.models import ReportingPeriod
from verksam.followup.services import Actor, record_actor, require, require_open, save_version
from verksam.plans.models import Plan

DEFAULT_COMMENT_THRESHOLD = Decimal(1)


def comment_threshold() -> Decimal:
    """The deviation from budget (in % of it) above which a forecast must be explained
    (setting `VERKSAM_FORECAST_COMMENT_THRESHOLD`, default 1 %)."""
    value = str(getattr(settings, "VERKSAM_FORECAST_COMMENT_THRESHOLD", DEFAULT_COMMENT_THRESHOLD))
    try:
        threshold = Decimal(value.replace(",", "."))
    except ArithmeticError:
        raise ImproperlyConfigured(
            f"VERKSAM_FORECAST_COMMENT_THRESHOLD must be a percentage, not {value!r}."
        ) from None
    if not threshold.is_finite() or threshold < 0:
        raise ImproperlyConfigured(
            f"VERKSAM_FORECAST_COMMENT_THRESHOLD must be a percentage, not {value!r}."
        )
    return threshold


def followed(period: ReportingPeriod) -> QuerySet[BudgetRow]:
    """The budget rows a round follows up: rows with figures of their own in the operating,
    per-department and investment tables of the round's plans."""
    return BudgetRow.objects.filter(
        table__plan__in=period.plans(),
        table__kind__in=FOLLOWED_TABLES,
        kind__in=FIGURE_KINDS,
    )


# The rows that add up to a table's total: amounts, and the parts of a subtotal (a "varav"
# of an amount is already in that amount).
IN_TOTAL = Q(kind=BudgetRow.Kind.AMOUNT) | Q(part_of__kind=BudgetRow.Kind.SUBTOTAL)


def followed_rows(period: ReportingPeriod) -> list[BudgetRow]:
    """The `followed` rows in document order, with their tables, plans, owners and units,
    and whether each adds up to its table's total (`in_total`, by `IN_TOTAL`)."""
    return list(
        followed(period)
        .select_related("table__plan__owner", "unit", "part_of")
        .annotate(in_total=Case(When(IN_TOTAL, then=True), default=False))
        .order_by("table__plan__position", "table__plan__key", "table__position", "position")
    )


# --- Import -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A row's outcome before and after the import (None: none stored / none in the file)."""

    row: BudgetRow
    before: Decimal | None
    after: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))

    @property
    def kind(self) -> str:
        if self.before is None:
            return "created"
        if self.after is None:
            return "removed"
        return "unchanged" if self.before == self.after else "changed"


@dataclass
class ImportPreview:
    """What an import would do (or did): every followed row's outcome before and after."""

    period: ReportingPeriod
    file_name: str
    sha256: str
    format: str
    ledger: Ledger
    changes: list[Change] = field(default_factory=list)
    record: OutcomeImport | None = None

    def counts(self) -> dict[str, int]:
        counted = {"created": 0, "changed": 0, "removed": 0, "unchanged": 0}
        for change in self.changes:
            counted[change.kind] += 1
        return {**counted, "lines": len(self.ledger.lines), "later": self.ledger.later}

    @property
    def changes_anything(self) -> bool:
        return any(c.kind != "unchanged" for c in self.changes)


def mappings_by_table(period: ReportingPeriod) -> dict[int, list[OutcomeMapping]]:
    """The period's mappings per budget table, most specific first."""
    by_table: dict[int, list[OutcomeMapping]] = defaultdict(list)
    for mapping in OutcomeMapping.objects.filter(plan__in=period.plans()).select_related(
        "row__table", "row__part_of"
    ):
        by_table[mapping.row.table_id].append(mapping)
    for mappings in by_table.values():
        mappings.sort(key=lambda m: m.specificity, reverse=True)
    return by_table


def matches(mapping: OutcomeMapping, line: LedgerLine) -> bool:
    """Every value given is a prefix of the line's; a mapping that names no account matches
    result accounts only (balance accounts count only where a mapping names them)."""
    return (
        (line.is_result_account or bool(mapping.account))
        and line.account.startswith(mapping.account)
        and line.cost_centre.startswith(mapping.cost_centre)
        and line.activity.startswith(mapping.activity)
        and line.project.startswith(mapping.project)
    )


def map_ledger(period: ReportingPeriod, ledger: Ledger, file_name: str) -> dict[int, Decimal]:
    """Each followed row's outcome in tkr: per table, every line counts in the row of its
    most specific matching mapping, and in the row that row is a part of when that one is an
    amount (a capital cost is also a cost). A result account (BAS classes 3–8) that no
    mapping reaches, or a line two equally specific mappings claim, is refused."""
    by_table = mappings_by_table(period)
    tables = {t.pk: t for t in BudgetTable.objects.filter(pk__in=by_table)}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    problems = []
    for line in ledger.lines:
        mapped = ambiguous = False
        for table_id, mappings in by_table.items():
            found = [m for m in mappings if matches(m, line)]
            if not found:
                continue
            best = found[0]
            rivals = [
                m
                for m in found[1:]
                if m.specificity == best.specificity and m.row_id != best.row_id
            ]
            if rivals:
                problems.append(
                    Problem(
                        file_name,
                        line.where.split(", ", 1)[-1],
                        _("two equally specific mappings (%(first)s; %(second)s)")
                        % {
                            "first": f"{best.describe()} → {best.row.key}",
                            "second": f"{rivals[0].describe()} → {rivals[0].row.key}",
                        },
                    )
                )
                ambiguous = True
                continue
            mapped = True
            # Kronor, with the table's sign; converted to tkr once per row, below.
            kronor = figures.as_printed(line.amount, figures.sign_of(tables[table_id].kind))
            totals[best.row_id] += kronor
            parent = best.row.part_of
            if parent is not None and parent.kind == BudgetRow.Kind.AMOUNT:
                totals[parent.pk] += kronor
        if not (mapped or ambiguous) and line.is_result_account:
            dims = ", ".join(
                f"{label} {value}"
                for label, value in (
                    ("ansvar", line.cost_centre),
                    ("verksamhet", line.activity),
                    ("projekt", line.project),
                )
                if value
            )
            problems.append(
                Problem(
                    file_name,
                    line.where.split(", ", 1)[-1],
                    _(
                        "account %(account)s%(objects)s has no mapping to a budget row: unknown "
                        "account or cost centre"
                    )
                    % {"account": line.account, "objects": f" ({dims})" if dims else ""},
                )
            )
    if problems:
        raise LedgerError(problems)
    return {row_id: figures.tkr(kronor) for row_id, kronor in totals.items()}


def preview_outcome(
    period: ReportingPeriod, file_name: str, content: bytes, *, actor: Actor
) -> ImportPreview:
    """What importing the file would change in the period's outcome, without writing;
    `LedgerError` with every located problem, `ValidationError` when the period is closed."""
    require(actor, "verksam.assess", period.plan)
    if period.is_closed:
        raise ValidationError(
            _("The period %(period)s is closed: its outcome cannot be changed.")
            % {"period": period}
        )
    ledger = read_ledger(file_name, content, year=period.year, until=period.as_of)
    totals = map_ledger(period, ledger, file_name)
    stored = dict(Outcome.objects.filter(period=period).values_list("row_id", "amount"))
    preview = ImportPreview(
        period, file_name, hashlib.sha256(content).hexdigest(), format_of(file_name), ledger
    )
    for row in followed_rows(period):
        before, after = stored.get(row.pk), totals.get(row.pk)
        if before is not None or after is not None:
            preview.changes.append(Change(row, before, after))
    return preview


@transaction.atomic
def import_outcome(
    period: ReportingPeriod, file_name: str, content: bytes, *, actor: Actor
) -> ImportPreview:
    """Replace the period's outcome with the file's, all or nothing: every followed row gets
    the file's figure, rows the file no longer reaches lose theirs. Records the import (who,
    when, file, SHA-256, counts) when it changed something; the same file again changes and
    records nothing."""
    require_open_or_planned(period)
    preview = preview_outcome(period, file_name, content, actor=actor)
    if not preview.changes_anything:
        return preview
    record = OutcomeImport(
        period=period,
        imported_by=actor if isinstance(actor, User) else None,
        file_name=file_name[:255],
        sha256=preview.sha256,
        format=preview.format,
        counts=preview.counts(),
    )
    record_actor(record, actor)
    record.save()
    stored = {o.row_id: o for o in Outcome.objects.filter(period=period).select_for_update()}
    for change in preview.changes:
        outcome = stored.get(change.row.pk)
        if change.kind == "unchanged":
            continue
        if change.after is None:
            assert outcome is not None
            record_actor(outcome, actor)
            outcome.delete()
            continue
        if outcome is None:
            outcome = Outcome(period=period, row=change.row)
        outcome.amount = clean_number(change.after)
        outcome.source = record
        record_actor(outcome, actor)
        outcome.save()
    preview.record = record
    return preview


def require_open_or_planned(period: ReportingPeriod) -> None:
    """Lock the period's row and refuse a closed one (its report is frozen)."""
    status = (
        ReportingPeriod.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=period.pk)
    )
    if status == ReportingPeriod.Status.CLOSED:
        raise ValidationError(
            _("The period %(period)s is closed: its outcome cannot be changed.")
            % {"period": period}
        )


# --- Forecast ---------------------------------------------------------------------------


def forecast_row(period: ReportingPeriod, key: str) -> BudgetRow:
    """A row the round takes forecasts for (per department, or an investment) by its id;
    `BudgetRow.DoesNotExist` for any other."""
    return BudgetRow.objects.select_related("table__plan__owner", "unit").get(
        key=key,
        table__plan__in=period.plans(),
        table__kind__in=("departments", "investments"),
        kind__in=FIGURE_KINDS,
    )


def budget_of(row: BudgetRow, year: int) -> Decimal:
    """The row's budget for the year (its Budget column; 0 when it prints none)."""
    cell = row.cells.filter(column__year=year).values_list("number", flat=True).first()
    return cell if cell is not None else Decimal(0)


def outcome_of(period: ReportingPeriod, row: BudgetRow) -> Decimal:
    amount = Outcome.objects.filter(period=period, row=row).values_list("amount", flat=True)
    return amount.first() or Decimal(0)


def save_forecast(
    period: ReportingPeriod,
    row: BudgetRow,
    *,
    actor: Actor,
    expected_version: int,
    choice: str,
    amount: Decimal | None,
    comment: str,
) -> Forecast:
    """Save the full-year forecast of a row: the automatic proposal accepted (`choice`
    "proposal") or the person's own figure ("own"), never without a choice. A forecast that
    deviates from the budget by more than the threshold needs a comment. Reporters of the
    row's unit and controllers; only in an open round; optimistic locking."""
    probe = Forecast(period=period, row=row)
    require(actor, "verksam.report", probe)
    require_open(period)
    budget = budget_of(row, period.year)
    if choice == Forecast.Basis.PROPOSAL:
        amount = figures.proposal(budget, outcome_of(period, row), period.as_of.month)
    elif choice == Forecast.Basis.OWN:
        if amount is None:
            raise ValidationError({"amount": _("Give the forecast in tkr.")})
        try:
            amount = clean_number(amount)
        except ValueError as error:
            raise ValidationError({"amount": str(error)}) from None
    else:
        raise ValidationError({"choice": _("Accept the proposal or give your own forecast.")})
    try:
        comment = clean_text(comment.strip(), max_length=5000)
    except ValueError as error:
        raise ValidationError({"comment": str(error)}) from None
    threshold = comment_threshold()
    if figures.needs_comment(budget, amount, threshold) and not comment:
        raise ValidationError(
            {
                "comment": _(
                    "The forecast deviates from the budget by more than %(threshold)s %%: "
                    "explain why."
                )
                % {"threshold": threshold}
            }
        )
    figure = amount

    def change(forecast: Forecast) -> None:
        forecast.amount = figure
        forecast.basis = choice
        forecast.comment = comment
        forecast.author = actor if isinstance(actor, User) else None

    return save_version(
        Forecast.objects.filter(period=period, row=row),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: Forecast(period=period, row=row),
    )


# --- Investment carry-over --------------------------------------------------------------


def decide_carry_over(
    period: ReportingPeriod,
    row: BudgetRow,
    *,
    actor: Actor,
    expected_version: int,
    decision: str,
    approved: Decimal | None,
    note: str,
) -> CarryOver:
    """Record the decision on carrying an investment's unspent funds over to next year
    (ombudgetering): the proposal is the budget less the forecast; an approval names the
    amount (at most the proposal). Controllers of the board's plan, in an open round."""
    require(actor, "verksam.carry_over", period.plan)
    require_open(period)
    if row.table.kind != "investments":
        raise ValidationError(_("Only investments are carried over."))
    forecast = Forecast.objects.filter(period=period, row=row).first()
    if forecast is None:
        raise ValidationError(_("The investment has no forecast in this round yet."))
    proposed = figures.unspent(budget_of(row, period.year), forecast.amount)
    errors: dict[str, Any] = {}
    if decision not in CarryOver.Decision.values:
        errors["decision"] = _("Choose a decision.")
    if decision == CarryOver.Decision.APPROVED:
        if approved is None or approved < 0 or approved > proposed:
            errors["approved"] = _(
                "Give the approved amount, from 0 to the proposed %(p)s tkr."
            ) % {"p": figures.round_tkr(proposed)}
    else:
        approved = None
    if errors:
        raise ValidationError(errors)

    def change(carry_over: CarryOver) -> None:
        carry_over.proposed = proposed
        carry_over.decision = decision
        carry_over.approved = approved
        carry_over.note = note.strip()
        carry_over.author = actor if isinstance(actor, User) else None

    return save_version(
        CarryOver.objects.filter(period=period, row=row),
        expected_version=expected_version,
        actor=actor,
        change=change,
        new=lambda: CarryOver(period=period, row=row, proposed=proposed),
    )


# --- Mapping ----------------------------------------------------------------------------

MAPPING_COLUMNS = ("konto", "ansvar", "verksamhet", "projekt", "rad")


@transaction.atomic
def load_mapping(plan: Plan, file_name: str, content: bytes, *, actor: Actor) -> int:
    """Replace the mapping of a board's plan with a CSV file's (columns konto, ansvar,
    verksamhet, projekt, rad: the budget row's id), all or nothing; `LedgerError` with every
    located problem. Controllers of the plan. Returns the number of mappings."""
    require(actor, "verksam.edit_plan", plan)
    rows = {
        r.key: r
        for r in BudgetRow.objects.filter(
            table__plan__in=Plan.objects.family(plan),
            table__kind__in=FOLLOWED_TABLES,
            kind__in=FIGURE_KINDS,
        )
    }
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LedgerError([Problem(file_name, "", _("the file is not UTF-8"))]) from None
    lines = text.splitlines()
    delimiter = max(";,\t", key=lines[0].count) if lines else ";"
    problems: list[Problem] = []
    mappings: list[OutcomeMapping] = []
    seen: dict[tuple[str, ...], str] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        where = at_line(number)
        if number == 1:
            heading = [c.strip().lower() for c in cells]
            if heading != list(MAPPING_COLUMNS):
                problems.append(
                    Problem(
                        file_name,
                        where,
                        _("the headings must be %(columns)s")
                        % {"columns": ";".join(MAPPING_COLUMNS)},
                    )
                )
                break
            continue
        if not any(c.strip() for c in cells):
            continue
        values = dict(zip(MAPPING_COLUMNS, [c.strip() for c in cells], strict=False))
        key = values.get("rad", "")
        if key not in rows:
            problems.append(
                Problem(
                    file_name,
                    where,
                    _("«%(key)s» is no budget row with amounts in the plan") % {"key": key[:80]},
                )
            )
            continue
        account = values.get("konto", "")
        if account and not account.isdigit():
            problems.append(Problem(file_name, where, not_an_account(account)))
            continue
        mapping = OutcomeMapping(
            plan=plan,
            account=account[:20],
            cost_centre=values.get("ansvar", "")[:40],
            activity=values.get("verksamhet", "")[:40],
            project=values.get("projekt", "")[:40],
            row=rows[key],
        )
        if not mapping.describe():
            problems.append(Problem(file_name, where, _("an account or an object is required")))
            continue
        same = (mapping.describe(), str(rows[key].table_id))
        if same in seen:
            problems.append(
                Problem(file_name, where, _("duplicate of %(where)s") % {"where": seen[same]})
            )
            continue
        seen[same] = where
        mappings.append(mapping)
    if problems:
        raise LedgerError(problems)
    OutcomeMapping.objects.filter(plan=plan).delete()
    for mapping in mappings:
        record_actor(mapping, actor)
        mapping.save()
    return len(mappings)
