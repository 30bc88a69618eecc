import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from verksam.core.files import check_output_file, write_output_file
from verksam.core.validation import year_argument
from verksam.imports.export import PlanNotFound, export_plan


class Command(BaseCommand):
    help = (
        "Write a year's plan (or one owner's part) as JSON, in the format of docs/data-format.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=year_argument, required=True)
        parser.add_argument("--owner", metavar="CODE", help="Org unit code, e.g. KSK.")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(self, *args, year: int, owner: str | None, output: Path | None, **options) -> None:
        if output is not None:
            check_output_file(output)
        try:
            data = export_plan(year=year, owner=owner)
        except PlanNotFound as error:
            raise CommandError(str(error)) from error
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            write_output_file(output, text.encode())
            self.stderr.write(_("Wrote %(file)s") % {"file": output})
