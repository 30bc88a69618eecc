"""`verksam carry-over --from 2022 --to 2023`: next year's plan with the continued items."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from verksam.core.validation import year_argument
from verksam.followup import carry_over
from verksam.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Carry a board's unfinished work into next year's plan: every item a controller "
        "decided to continue or replace. Finished items are never carried; running it "
        "again carries nothing twice. Lists unfinished items still without a decision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_year", type=year_argument, required=True)
        parser.add_argument("--to", dest="to_year", type=year_argument, required=True)
        parser.add_argument("--owner", default="KS", help="The board's unit code (default KS).")
        parser.add_argument("--user", required=True, help="Who carries over (a controller).")

    def handle(self, *args, from_year: int, to_year: int, owner: str, user: str, **options):
        try:
            board = Plan.objects.get(owner__code=owner, year=from_year, parent__isnull=True)
        except Plan.DoesNotExist:
            raise CommandError(
                _("No board plan of %(owner)s for %(year)s.") % {"owner": owner, "year": from_year}
            ) from None
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user «%(username)s»") % {"username": user}) from None
        try:
            result = carry_over.carry_over_plan(board, actor=actor, to_year=to_year)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        for plan in result.plans:
            self.stdout.write(_("new plan %(plan)s (draft)") % {"plan": plan.key})
        for item in result.carried:
            self.stdout.write(_("carried %(key)s") % {"key": item.key})
        # The carry-over page's summary.
        self.stdout.write(result.summary())
        for item in result.undecided:
            self.stdout.write("  " + _("undecided: %(key)s") % {"key": item.key})
