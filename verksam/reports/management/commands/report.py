import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from verksam.plans.models import Plan
from verksam.reports.formats import FORMATS, plan_report

STEPS = {"read": "läser planen / reading the plan", "write": "skriver / writing"}


class Command(BaseCommand):
    help = "Write a report as PDF, Word or Excel: `report plan --year 2022 --format pdf -o FILE`."

    def add_arguments(self, parser: CommandParser) -> None:
        # One sub-command per report, each made by the method of its name in `handle`;
        # the follow-up report is added beside `plan`.
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        plan = reports.add_parser(
            "plan", help="The verksamhetsplan (a board's with its offices' parts)."
        )
        plan.add_argument("--year", type=int, required=True)
        plan.add_argument(
            "--owner", metavar="CODE", help="Org unit code, e.g. KSK (default: the board)."
        )
        plan.add_argument("--format", dest="format_name", choices=sorted(FORMATS), required=True)
        plan.add_argument("-o", "--output", type=Path, required=True, help="File to write.")

    def handle(self, *args: Any, report: str, output: Path, **options: Any) -> None:
        self.started = time.perf_counter()
        make = {"plan": self.plan}[report]
        content = make(**options)
        output.write_bytes(content)
        self.stderr.write(
            f"Skrev / wrote {output} ({len(content) / 1024:.0f} kB, {self.elapsed:.1f} s)"
        )

    def plan(self, *, year: int, owner: str | None, format_name: str, **options: Any) -> bytes:
        plan = find_plan(year, owner)
        label = FORMATS[format_name].label
        self.stderr.write(f"{plan.title} ({plan.owner.code} {plan.year}), {label}")
        return plan_report(plan, format_name, visible=Plan.objects.all(), progress=self.progress)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def progress(self, step: str) -> None:
        self.stderr.write(f"  {self.elapsed:5.1f} s  {STEPS[step]} …")


def find_plan(year: int, owner: str | None) -> Plan:
    """The owner's plan of the year; without an owner, the year's only board plan."""
    plans = Plan.objects.filter(year=year).select_related("owner", "parent")
    if owner is not None:
        plan = plans.filter(owner__code__iexact=owner).first()
        if plan is None:
            raise CommandError(f"Ingen plan för {owner} år {year} / no plan for {owner} in {year}")
        return plan
    roots = list(plans.filter(parent__isnull=True))
    if not roots:
        raise CommandError(f"Ingen plan för år {year} / no plan for {year}")
    if len(roots) > 1:
        owners = ", ".join(p.owner.code for p in roots)
        raise CommandError(
            f"Ange --owner: år {year} har planer för {owners} / "
            f"give --owner: {year} has plans for {owners}"
        )
    return roots[0]
