"""`verksam plan …`: make a year's plan and take it through its life from the command line,
through the same services as the pages and the API."""

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.planning.diff import diff_states, state_at
from verksam.plans.models import Plan


def actor(username: str) -> Any:
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No user «%(username)s»") % {"username": username}) from None


def find_plan(key: str) -> Plan:
    try:
        return Plan.objects.select_related("owner", "parent").get(key=key)
    except Plan.DoesNotExist:
        raise CommandError(_("No plan %(key)s.") % {"key": key}) from None


def read_edits(path: Path) -> list[services.Edit]:
    """An amendment's edits from YAML: a list of {op, kind, id, fields, version}, the
    version being the one read (optional: the item as it is now)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CommandError(f"{path}: {error}") from None
    if not isinstance(data, list):
        raise CommandError(
            _("%(file)s: a list of changes, each with op, kind, id and fields.") % {"file": path}
        )
    edits = []
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fields", {}), dict):
            raise CommandError(
                _("%(file)s: change %(number)s is not op, kind, id and fields.")
                % {"file": path, "number": n}
            )
        version = entry.get("version")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise CommandError(
                _("%(file)s: change %(number)s: the version is a whole number.")
                % {"file": path, "number": n}
            )
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
                    getattr(error, "messages", None) or [str(error) or _("Not permitted.")]
                )
            raise CommandError(text) from None

    def do_create(
        self, *, year: int, owner: str, from_year: int | None, title: str, user: str, **options: Any
    ) -> None:
        unit = OrgUnit.objects.filter(code=owner).first()
        if unit is None:
            raise CommandError(_("No unit «%(code)s»") % {"code": owner})
        source = None
        if from_year is not None:
            source = Plan.objects.filter(owner=unit, year=from_year).first()
            if source is None:
                raise CommandError(
                    _("%(owner)s has no plan for %(year)s.") % {"owner": owner, "year": from_year}
                )
        made = services.create_plan(
            actor=actor(user), owner=unit, year=year, title=title, from_plan=source
        )
        self.stdout.write(
            ngettext(
                "%(plan)s: draft, %(count)s plan made.",
                "%(plan)s: draft, %(count)s plans made.",
                len(made.plans),
            )
            % {"plan": made.plan.key, "count": len(made.plans)}
        )
        if made.carried is not None:
            self.stdout.write(
                _("Carried over: %(carried)s; unfinished without a decision: %(undecided)s.")
                % {"carried": len(made.carried.carried), "undecided": len(made.carried.undecided)}
            )

    def do_review(self, *, plan: str, user: str, **options: Any) -> None:
        services.send_to_review(find_plan(plan), actor=actor(user))
        self.stdout.write(_("%(plan)s: in review.") % {"plan": plan})

    def do_draft(self, *, plan: str, user: str, **options: Any) -> None:
        services.return_to_draft(find_plan(plan), actor=actor(user))
        self.stdout.write(_("%(plan)s: draft.") % {"plan": plan})

    def do_decide(
        self, *, plan: str, body: str, date: date, reference: str, user: str, **options: Any
    ) -> None:
        services.decide_plan(
            find_plan(plan),
            actor=actor(user),
            decided_by=body,
            decided_on=date,
            reference=reference,
        )
        self.stdout.write(
            _("%(plan)s: decided (%(body)s %(date)s, %(reference)s).")
            % {"plan": plan, "body": body, "date": date.isoformat(), "reference": reference}
        )

    def do_archive(self, *, plan: str, user: str, **options: Any) -> None:
        services.archive_plan(find_plan(plan), actor=actor(user))
        self.stdout.write(_("%(plan)s: archived.") % {"plan": plan})

    def do_amend(
        self,
        *,
        plan: str,
        reason: str,
        reference: str,
        date: date,
        file: Path,
        user: str,
        **options: Any,
    ) -> None:
        amendment = services.amend_plan(
            find_plan(plan), actor=actor(user), reason=reason, reference=reference,
            decided_on=date, edits=read_edits(file),
        )  # fmt: skip
        self.stdout.write(
            ngettext(
                "%(plan)s: amendment %(number)s, %(count)s item changed.",
                "%(plan)s: amendment %(number)s, %(count)s items changed.",
                len(amendment.changes),
            )
            % {"plan": plan, "number": amendment.number, "count": len(amendment.changes)}
        )

    def do_diff(self, *, a: str, b: str, **options: Any) -> None:
        changes = diff_states(state_at(a), state_at(b))
        if not changes:
            self.stdout.write(_("No changes."))
        for change in changes:
            # The change and kind in words (`changed goal area`), the id and title as stored.
            words = f"{change.change_label} {change.kind_label}"
            self.stdout.write(f"{words} {change.key}: {change.title}")
            for f in change.fields:
                self.stdout.write(f"    {f.label}: {f.before!r} → {f.after!r}")
