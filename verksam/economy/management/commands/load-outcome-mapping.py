"""`verksam load-outcome-mapping FILE --plan KEY --user NAME`: the mapping of accounts and
cost centres to budget rows of a board's plan, replaced by a CSV file's."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.economy import services
from verksam.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Replace a board plan's outcome mapping with a CSV file's (konto;ansvar;verksamhet;"
        "projekt;rad), all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True, help="The board plan's id.")
        parser.add_argument("--user", required=True, help="Who loads it (a controller).")

    def handle(self, *args, file: Path, plan: str, user: str, **options):
        try:
            board = Plan.objects.get(key=plan, parent__isnull=True)
        except Plan.DoesNotExist:
            raise CommandError(_("No board plan %(key)s") % {"key": plan}) from None
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user «%(username)s»") % {"username": user}) from None
        try:
            count = services.load_mapping(board, file.name, file.read_bytes(), actor=actor)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except services.LedgerError as error:
            raise CommandError("\n" + "\n".join(str(p) for p in error.problems)) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(
            ngettext(
                "%(count)s mapping loaded for %(plan)s",
                "%(count)s mappings loaded for %(plan)s",
                count,
            )
            % {"count": count, "plan": board.key}
        )
