from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
                f"{len(error.problems)} fel, inget har sparats / "
                f"{len(error.problems)} errors, nothing was saved."
            ) from error
        if result.anomalies:
            self.stdout.write(f"Avvikelser i data / data anomalies: {len(result.anomalies)}")
            if not quiet_anomalies:
                for anomaly in result.anomalies:
                    self.stdout.write(f"  {anomaly}")
        kinds = sorted(set(result.created) | set(result.updated) | set(result.unchanged))
        for kind in kinds:
            self.stdout.write(
                f"{kind}: {result.created[kind]} nya/created, {result.updated[kind]} "
                f"ändrade/updated, {result.unchanged[kind]} oförändrade/unchanged"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Klart / done."
                if result.changed
                else "Klart, inget ändrat / done, nothing changed."
            )
        )
