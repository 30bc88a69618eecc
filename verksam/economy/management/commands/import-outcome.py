"""`verksam import-outcome FILE --period KEY --user NAME [--dry-run]`: a period's outcome
from the finance system (SIE 4, CSV or XLSX), through the outcome mapping."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from verksam.economy import services
from verksam.economy.reporting import tkr
from verksam.followup.models import ReportingPeriod


class Command(BaseCommand):
    help = (
        "Import a reporting period's outcome (cumulative from 1 January to the period's end) "
        "from a SIE 4, CSV or XLSX file, through the outcome mapping: all or nothing, every "
        "problem located. --dry-run shows what would change and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--period", required=True, help="The reporting period's id.")
        parser.add_argument("--user", required=True, help="Who imports (a controller).")
        parser.add_argument("--dry-run", action="store_true", help="Show, write nothing.")

    def handle(self, *args, file: Path, period: str, user: str, dry_run: bool, **options):
        try:
            round_ = ReportingPeriod.objects.select_related("plan").get(key=period)
        except ReportingPeriod.DoesNotExist:
            raise CommandError(f"No reporting period {period!r}.") from None
        try:
            actor = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {user!r}.") from None
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        run = services.preview_outcome if dry_run else services.import_outcome
        try:
            preview = run(round_, file.name, content, actor=actor)
        except services.LedgerError as error:
            raise CommandError("\n" + "\n".join(str(p) for p in error.problems)) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        for change in preview.changes:
            if change.kind != "unchanged":
                self.stdout.write(
                    f"{change.kind:9} {change.row.key}: {tkr(change.before) or '–'} → "
                    f"{tkr(change.after) or '–'} tkr"
                )
        counts = preview.counts()
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        if dry_run:
            self.stdout.write(f"dry run, nothing written: {summary}")
        elif preview.record is None:
            self.stdout.write(f"nothing changed: {summary}")
        else:
            self.stdout.write(f"imported: {summary}")
