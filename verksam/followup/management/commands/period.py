"""`verksam period …`: the follow-up rounds of a plan from the command line."""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from verksam.core.validation import year_argument
from verksam.followup import reporting, services, tallies
from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Plan


def actor(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("No user «%(username)s»") % {"username": username}) from None


def find_period(key: str) -> ReportingPeriod:
    try:
        return ReportingPeriod.objects.select_related("plan").get(key=key)
    except ReportingPeriod.DoesNotExist:
        raise CommandError(
            _("No reporting period %(key)s (see: verksam period list).") % {"key": key}
        ) from None


class Command(BaseCommand):
    help = (
        "Follow-up rounds: list, create (the year's standard rounds), open, board, remind, "
        "checks, acknowledge, close (freezes a snapshot), reopen (with a reason), snapshot "
        "(print as JSON)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The periods, with status and deadline.")
        listing.add_argument("--year", type=year_argument)
        create = sub.add_parser("create", help="Create the year's rounds of a board's plan.")
        create.add_argument("plan", help="The board's plan, e.g. KS-2022.")
        create.add_argument("--user", required=True)
        opening = sub.add_parser("open", help="Open a period for reporting.")
        opening.add_argument("period", help="e.g. KS-2022-t1")
        opening.add_argument("--deadline", type=date.fromisoformat)
        opening.add_argument("--user", required=True)
        for name, text in (
            ("checks", "The consistency findings of a period."),
            ("board", "Who has reported, what is missing, days overdue."),
        ):
            sub.add_parser(name, help=text).add_argument("period")
        acknowledge = sub.add_parser("acknowledge", help="Accept a finding, with a note.")
        acknowledge.add_argument("period")
        acknowledge.add_argument("--check", required=True, help="The finding's check code.")
        acknowledge.add_argument("--item", required=True, help="The finding's item id.")
        acknowledge.add_argument("--note", required=True)
        acknowledge.add_argument("--user", required=True)
        closing = sub.add_parser("close", help="Close a period and freeze its reports.")
        closing.add_argument("period")
        closing.add_argument("--user", required=True)
        reopen = sub.add_parser("reopen", help="Reopen a closed period.")
        reopen.add_argument("period")
        reopen.add_argument("--reason", required=True)
        reopen.add_argument("--user", required=True)
        remind = sub.add_parser("remind", help="E-mail the reporters of units with items missing.")
        remind.add_argument("period")
        remind.add_argument("--user", required=True)
        snapshot = sub.add_parser("snapshot", help="Print a frozen report as JSON.")
        snapshot.add_argument("period")
        snapshot.add_argument("--number", type=int, help="Default: the latest.")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error) or _("Not permitted.")]
            raise CommandError(" ".join(messages)) from None
        except services.ClosingBlocked as blocked:
            lines = [str(blocked)] + [
                f"  {f.code} {f.subject}: {f.message}" for f in blocked.findings
            ]
            raise CommandError("\n".join(lines)) from None

    def do_list(self, *, year: int | None, **options) -> None:
        periods = ReportingPeriod.objects.select_related("plan").order_by("plan__key", "as_of")
        if year:
            periods = periods.filter(plan__year=year)
        # One period a line, its status as the key (planned, open, closed) for scripts.
        deadline = _("deadline")
        for p in periods:
            self.stdout.write(f"{p.key:16} {p.as_of} {deadline} {p.deadline} {p.status:8} {p}")

    def do_create(self, *, plan: str, user: str, **options) -> None:
        try:
            board = Plan.objects.get(key=plan)
        except Plan.DoesNotExist:
            raise CommandError(_("No plan %(key)s.") % {"key": plan}) from None
        deadline = _("deadline")
        for p in services.create_periods(board, actor=actor(user)):
            self.stdout.write(f"{p.key:16} {p.as_of} {deadline} {p.deadline} {p.status}")

    def do_open(self, *, period: str, deadline: date | None, user: str, **options) -> None:
        found = find_period(period)
        services.open_period(found, actor=actor(user), deadline=deadline)
        self.stdout.write(
            self.style.SUCCESS(
                _("%(period)s is open, deadline %(deadline)s.")
                % {"period": found.key, "deadline": found.deadline}
            )
        )

    def do_checks(self, *, period: str, **options) -> None:
        findings = reporting.findings(find_period(period))
        for f in findings:
            if f.acknowledgement:
                state = _("acknowledged: %(note)s") % {"note": f.acknowledgement.note}
            else:
                state = pgettext("a finding", "open")
            self.stdout.write(f"{f.code} {f.subject}: {f.message} [{state}]")
        unresolved = sum(1 for f in findings if not f.acknowledgement)
        self.stdout.write(
            ngettext("%(count)s unresolved finding.", "%(count)s unresolved findings.", unresolved)
            % {"count": unresolved}
        )

    def do_board(self, *, period: str, **options) -> None:
        board = tallies.board(find_period(period), on=timezone.localdate())
        missing = _("missing")
        for p in board:
            if p.submission:
                submitted = _("submitted")
            else:
                submitted = ngettext(
                    "%(late)s day overdue", "%(late)s days overdue", p.days_overdue
                ) % {"late": p.days_overdue}
            counts = f"{p.reported:3}/{p.expected:<3} {missing} {len(p.missing):3}"
            self.stdout.write(f"{p.unit.code:28} {counts} {submitted}")

    def do_acknowledge(
        self, *, period: str, check: str, item: str, note: str, user: str, **options
    ) -> None:
        services.acknowledge_finding(
            find_period(period), actor=actor(user), code=check, subject=item, note=note
        )
        self.stdout.write(_("%(check)s %(item)s: acknowledged.") % {"check": check, "item": item})

    def do_close(self, *, period: str, user: str, **options) -> None:
        snapshot = services.close_period(find_period(period), actor=actor(user))
        self.stdout.write(
            self.style.SUCCESS(
                _("%(period)s is closed; snapshot %(number)s taken.")
                % {"period": period, "number": snapshot.number}
            )
        )

    def do_reopen(self, *, period: str, reason: str, user: str, **options) -> None:
        services.reopen_period(find_period(period), actor=actor(user), reason=reason)
        self.stdout.write(self.style.SUCCESS(_("%(period)s is open again.") % {"period": period}))

    def do_remind(self, *, period: str, user: str, **options) -> None:
        sent = services.send_reminders(
            find_period(period), actor=actor(user), on=timezone.localdate()
        )
        self.stdout.write(
            ngettext("%(n)d reminder sent.", "%(n)d reminders sent.", sent) % {"n": sent}
        )

    def do_snapshot(self, *, period: str, number: int | None, **options) -> None:
        snapshots = find_period(period).snapshots.order_by("-number")
        found = snapshots.filter(number=number).first() if number else snapshots.first()
        if found is None:
            raise CommandError(_("%(period)s has no such snapshot.") % {"period": period})
        self.stdout.write(json.dumps(found.data, ensure_ascii=False, indent=2))
