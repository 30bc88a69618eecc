from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.imports.workbook import WorkbookError, import_workbook


class Command(BaseCommand):
    help = (
        "Import a plan from an Excel workbook in the template's shape (the organisation, "
        "goal areas, objectives, assignments, actions, indicators with values), all or "
        "nothing, through the same checks as load-plan. --dry-run says what would be created "
        "and changed and saves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE.xlsx")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and preview; save nothing."
        )

    def handle(self, *args, path: Path, dry_run: bool = False, **options) -> None:
        try:
            result = import_workbook(path, dry_run=dry_run)
        except WorkbookError as error:
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
        for kind, statuses in result.items.items():
            if not statuses:
                continue
            counts = {
                "created": result.created[kind],
                "updated": result.updated[kind],
                "unchanged": result.unchanged[kind],
            }
            self.stdout.write(
                f"{kind}: "
                + _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % counts
            )
            if dry_run:
                for key, status in statuses.items():
                    if status != "unchanged":
                        label = _("new") if status == "created" else _("changed")
                        self.stdout.write(f"  {label}: {key}")
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Done.") if result.changed else _("Done, nothing changed."))
            )
