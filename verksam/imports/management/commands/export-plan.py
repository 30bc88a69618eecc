import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from verksam.core.files import check_output_file, write_output_file
from verksam.core.validation import year_argument
from verksam.imports.export import PlanNotFound, export_plan
from verksam.imports.workbook import write_workbook


class Command(BaseCommand):
    help = (
        "Write a year's plan (or one owner's part) as JSON, in the format of docs/data-format.md, "
        "or as a workbook in the shape of the import template (--format xlsx)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=year_argument, required=True)
        parser.add_argument("--owner", metavar="CODE", help="Org unit code, e.g. KSK.")
        parser.add_argument(
            "--format",
            choices=["json", "xlsx"],
            default="json",
            help="json (the data format) or xlsx (the import template's shape; needs -o).",
        )
        parser.add_argument("-o", "--output", type=Path, help="File to write (default: stdout).")

    def handle(
        self, *args, year: int, owner: str | None, output: Path | None, format: str, **options
    ) -> None:
        if format == "xlsx" and output is None:
            raise CommandError(_("Give the file to write the workbook to (-o FILE.xlsx)."))
        if output is not None:
            check_output_file(output)
        try:
            data = export_plan(year=year, owner=owner)
        except PlanNotFound as error:
            raise CommandError(str(error)) from error
        if format == "xlsx":
            assert output is not None
            write_output_file(output, write_workbook(data))
            self.stderr.write(_("Wrote %(file)s") % {"file": output})
            return
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
        else:
            write_output_file(output, text.encode())
            self.stderr.write(_("Wrote %(file)s") % {"file": output})
