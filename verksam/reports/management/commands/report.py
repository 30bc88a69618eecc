import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from verksam.core.files import check_output_file, write_output_file
from verksam.core.validation import year_argument
from verksam.followup.models import ReportingPeriod
from verksam.plans.models import Plan
from verksam.reports.formats import FORMATS, followup_report, plan_report

WRITING = gettext_lazy("writing")
STEPS = {
    "plan": {"read": gettext_lazy("reading the plan"), "write": WRITING},
    "followup": {"read": gettext_lazy("reading the period"), "write": WRITING},
}


class Command(BaseCommand):
    help = (
        "Write a report as PDF, Word or Excel: `report plan --year 2022 --format pdf -o FILE`, "
        "`report followup --year 2022 [--period KEY] --format pdf -o FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # One sub-command per report, each made by the method of its name in `handle`.
        reports = parser.add_subparsers(dest="report", required=True, metavar="REPORT")
        plan = reports.add_parser(
            "plan", help="The verksamhetsplan (a board's with its offices' parts)."
        )
        followup = reports.add_parser(
            "followup",
            help="A follow-up round (a closed one from its snapshot): delårsrapport, "
            "årsredovisning.",
        )
        plan.add_argument(
            "--changes-since",
            metavar="REF",
            help="Add a section of what changed since REF: a plan (KS-2022) or a step of this "
            "plan's life (review, decision, amendment-N).",
        )
        followup.add_argument(
            "--period",
            metavar="KEY",
            help="Period id, e.g. KS-2022-t1 (default: the open period, else the latest closed).",
        )
        for sub, owner_help in (
            (plan, "Org unit code, e.g. KSK (default: the board)."),
            (followup, "Office code, e.g. KSK: only its items (default: all)."),
        ):
            sub.add_argument("--year", type=year_argument, required=True)
            sub.add_argument("--owner", metavar="CODE", help=owner_help)
            sub.add_argument("--format", dest="format_name", choices=sorted(FORMATS), required=True)
            sub.add_argument("-o", "--output", type=Path, required=True, help="File to write.")

    def handle(self, *args: Any, report: str, output: Path, **options: Any) -> None:
        check_output_file(output)
        self.started = time.perf_counter()
        self.steps = STEPS[report]
        make = {"plan": self.plan, "followup": self.followup}[report]
        content = make(**options)
        write_output_file(output, content)
        self.stderr.write(
            _("Wrote %(file)s") % {"file": output}
            + f" ({len(content) / 1024:.0f} kB, {self.elapsed:.1f} s)"
        )

    def plan(
        self,
        *,
        year: int,
        owner: str | None,
        format_name: str,
        changes_since: str | None = None,
        **options: Any,
    ) -> bytes:
        plan = find_plan(year, owner)
        label = FORMATS[format_name].label
        self.stderr.write(f"{plan.title} ({plan.owner.code} {plan.year}), {label}")
        try:
            return plan_report(
                plan,
                format_name,
                visible=Plan.objects.all(),
                progress=self.progress,
                changes_since=changes_since,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    def followup(
        self, *, year: int, owner: str | None, period: str | None, format_name: str, **options: Any
    ) -> bytes:
        found = find_period(year, period)
        if owner is not None:
            owner = owner.upper()
            codes = Plan.objects.family(found.plan).values_list("owner__code", flat=True)
            if owner not in codes:
                raise CommandError(
                    _("%(owner)s has no plan in %(plan)s")
                    % {"owner": owner, "plan": found.plan.key}
                )
        source = _("snapshot") if found.is_closed else _("open")
        label = FORMATS[format_name].label
        self.stderr.write(f"{found} ({found.key}, {source}), {label}")
        return followup_report(found, format_name, owner=owner, progress=self.progress)

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def progress(self, step: str) -> None:
        self.stderr.write(f"  {self.elapsed:5.1f} s  {self.steps[step]} …")


def find_plan(year: int, owner: str | None) -> Plan:
    """The owner's plan of the year; without an owner, the year's only board plan."""
    plans = Plan.objects.filter(year=year).select_related("owner", "parent")
    if owner is not None:
        plan = plans.filter(owner__code__iexact=owner).first()
        if plan is None:
            raise CommandError(
                _("No plan for %(owner)s in %(year)s") % {"owner": owner, "year": year}
            )
        return plan
    roots = list(plans.filter(parent__isnull=True))
    if not roots:
        raise CommandError(_("No plan for %(year)s") % {"year": year})
    if len(roots) > 1:
        owners = ", ".join(p.owner.code for p in roots)
        raise CommandError(
            _("Give --owner: %(year)s has plans for %(owners)s") % {"year": year, "owners": owners}
        )
    return roots[0]


def find_period(year: int, key: str | None) -> ReportingPeriod:
    """The period `key` of the year; without a key, the year's open period, else its
    latest closed one."""
    periods = ReportingPeriod.objects.filter(plan__year=year).select_related("plan__owner")
    if key is not None:
        period = ReportingPeriod.objects.select_related("plan__owner").filter(key=key).first()
        if period is None:
            raise CommandError(_("No period %(key)s") % {"key": key})
        if period.year != year:
            raise CommandError(
                _("Period %(key)s belongs to %(period_year)s, not %(year)s")
                % {"key": key, "period_year": period.year, "year": year}
            )
        return period
    found = (
        periods.open().first()
        or periods.filter(status=ReportingPeriod.Status.CLOSED).order_by("-as_of").first()
    )
    if found is None:
        raise CommandError(_("No open or closed period in %(year)s") % {"year": year})
    return found
