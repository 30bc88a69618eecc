from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.imports.services import load_plan
from verksam.imports.sources import DataError


class Command(BaseCommand):
    help = (
        "Validate plan data files (YAML sources or a JSON export; a folder means its files), "
        "then load them in one transaction. Loading the same files again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--quiet-anomalies",
            action="store_true",
            help="Count data anomalies instead of listing them.",
        )

    def handle(self, *args, paths: list[Path], quiet_anomalies: bool = False, **options) -> None:
        try:
            result = load_plan(paths)
        except DataError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "%(count)s error, nothing was saved.",
                    "%(count)s errors, nothing was saved.",
                    len(error.problems),
                )
                % {"count": len(error.problems)}
            ) from error
        if result.anomalies:
            self.stdout.write(_("Data anomalies: %(count)s") % {"count": len(result.anomalies)})
            if not quiet_anomalies:
                for anomaly in result.anomalies:
                    self.stdout.write(f"  {anomaly}")
        kinds = sorted(set(result.created) | set(result.updated) | set(result.unchanged))
        for kind in kinds:
            counts = {
                "created": result.created[kind],
                "updated": result.updated[kind],
                "unchanged": result.unchanged[kind],
            }
            self.stdout.write(
                f"{kind}: "
                + _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % counts
            )
        self.stdout.write(
            self.style.SUCCESS(_("Done.") if result.changed else _("Done, nothing changed."))
        )
