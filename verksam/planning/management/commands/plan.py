"""`verksam plan …`: make a year's plan and take it through its life from the command line,
through the same services as the pages and the API."""

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.planning.diff import diff_states, state_at
from verksam.plans.models import Plan


def actor(username: str) -> Any:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user {username!r}.") from None


def find_plan(key: str) -> Plan:
    try:
        return Plan.objects.select_related("owner", "parent").get(key=key)
    except Plan.DoesNotExist:
        raise CommandError(f"No plan {key!r}.") from None


def read_edits(path: Path) -> list[services.Edit]:
    """An amendment's edits from YAML: a list of {op, kind, id, fields, version}, the
    version being the one read (optional: the item as it is now)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: {error}") from None
    if not isinstance(data, list):
        raise CommandError(f"{path}: a list of changes, each with op, kind, id and fields.")
    edits = []
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fields", {}), dict):
            raise CommandError(f"{path}: change {n} is not op, kind, id and fields.")
        version = entry.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise CommandError(f"{path}: change {n}: the version is a whole number.")
        edits.append(
            services.Edit(
                op=str(entry.get("op", "update")),
                kind=str(entry.get("kind", "")),
                key=str(entry.get("id", "")),
                fields=entry.get("fields", {}),
                version=version,
            )
        )
    return edits


class Command(BaseCommand):
    help = (
        "A year's plan: create (empty or --from an earlier year), review, draft (back from "
        "review), decide, archive, amend (a decided plan, with reason and reference), diff."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a draft plan for a year.")
        create.add_argument("--year", type=int, required=True)
        create.add_argument("--owner", default="KS", help="The owner's code (default KS).")
        create.add_argument("--from", dest="from_year", type=int, help="Copy this year's plan.")
        create.add_argument("--title", default="")
        create.add_argument("--user", required=True)
        for name, text in (
            ("review", "Send a draft to review."),
            ("draft", "Send a plan in review back to draft."),
            ("archive", "Archive a decided plan."),
        ):
            verb = sub.add_parser(name, help=text)
            verb.add_argument("plan")
            verb.add_argument("--user", required=True)
        decide = sub.add_parser("decide", help="Record the decision of a plan in review.")
        decide.add_argument("plan")
        decide.add_argument("--body", default="KS", help="Who decided (default KS).")
        decide.add_argument("--date", type=date.fromisoformat, required=True)
        decide.add_argument("--reference", required=True, help='e.g. "KS 2022/123 §45"')
        decide.add_argument("--user", required=True)
        amend = sub.add_parser("amend", help="Amend a decided plan.")
        amend.add_argument("plan")
        amend.add_argument("--reason", required=True)
        amend.add_argument("--reference", required=True)
        amend.add_argument("--date", type=date.fromisoformat, required=True)
        amend.add_argument("--file", type=Path, required=True, help="The changes (YAML).")
        amend.add_argument("--user", required=True)
        diff = sub.add_parser("diff", help="What changed from A to B (KEY or KEY@decision).")
        diff.add_argument("a")
        diff.add_argument("b")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except (ValidationError, PermissionDenied, services.EditConflict) as error:
            messages = getattr(error, "message_dict", None)
            if messages:
                text = "; ".join(f"{k}: {' '.join(v)}" for k, v in messages.items())
            else:
                text = " ".join(
                    getattr(error, "messages", None) or [str(error) or "Not permitted."]
                )
            raise CommandError(text) from None

    def do_create(
        self, *, year: int, owner: str, from_year: int | None, title: str, user: str, **_: Any
    ) -> None:
        unit = OrgUnit.objects.filter(code=owner).first()
        if unit is None:
            raise CommandError(f"No org unit {owner!r}.")
        source = None
        if from_year is not None:
            source = Plan.objects.filter(owner=unit, year=from_year).first()
            if source is None:
                raise CommandError(f"{owner} has no plan for {from_year}.")
        made = services.create_plan(
            actor=actor(user), owner=unit, year=year, title=title, from_plan=source
        )
        self.stdout.write(f"{made.plan.key}: draft, {len(made.plans)} plan(s) made.")
        if made.carried is not None:
            self.stdout.write(
                f"Carried over: {len(made.carried.carried)}; unfinished without a decision: "
                f"{len(made.carried.undecided)}."
            )

    def do_review(self, *, plan: str, user: str, **_: Any) -> None:
        services.send_to_review(find_plan(plan), actor=actor(user))
        self.stdout.write(f"{plan}: in review.")

    def do_draft(self, *, plan: str, user: str, **_: Any) -> None:
        services.return_to_draft(find_plan(plan), actor=actor(user))
        self.stdout.write(f"{plan}: draft.")

    def do_decide(
        self, *, plan: str, body: str, date: date, reference: str, user: str, **_: Any
    ) -> None:
        services.decide_plan(
            find_plan(plan),
            actor=actor(user),
            decided_by=body,
            decided_on=date,
            reference=reference,
        )
        self.stdout.write(f"{plan}: decided ({body} {date.isoformat()}, {reference}).")

    def do_archive(self, *, plan: str, user: str, **_: Any) -> None:
        services.archive_plan(find_plan(plan), actor=actor(user))
        self.stdout.write(f"{plan}: archived.")

    def do_amend(
        self, *, plan: str, reason: str, reference: str, date: date, file: Path, user: str, **_: Any
    ) -> None:
        amendment = services.amend_plan(
            find_plan(plan), actor=actor(user), reason=reason, reference=reference,
            decided_on=date, edits=read_edits(file),
        )  # fmt: skip
        self.stdout.write(
            f"{plan}: amendment {amendment.number}, {len(amendment.changes)} item(s) changed."
        )

    def do_diff(self, *, a: str, b: str, **_: Any) -> None:
        changes = diff_states(state_at(a), state_at(b))
        if not changes:
            self.stdout.write("No changes.")
        for change in changes:
            self.stdout.write(f"{change.change} {change.kind} {change.key}: {change.title}")
            for f in change.fields:
                self.stdout.write(f"    {f.name}: {f.before!r} → {f.after!r}")
