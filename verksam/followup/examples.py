"""The demo's example follow-up round (data/examples/followup-2022-april.yaml): invented
reports on the seed plan, written through the services by example personas, and marked
as example data so that the pages say so. Loading it again changes nothing."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from verksam.accounts.models import Membership
from verksam.followup import services
from verksam.followup.models import ITEMS, IndicatorOutcome, ReportingPeriod, Submission
from verksam.indicators.models import Indicator
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Objective, Plan


@dataclass
class ExampleRound:
    period: ReportingPeriod
    loaded: bool


def decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value).replace(",", "."))


@transaction.atomic
def load_example_round(path: Path) -> ExampleRound:
    """Create the personas, the year's periods and the example reports; skip everything
    if the period already holds reports (the demo is run again)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    users = {}
    for person in data["users"]:
        user, created = get_user_model().objects.get_or_create(
            username=person["username"],
            defaults={"first_name": person["first_name"], "last_name": person["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(
            user=user,
            unit=OrgUnit.objects.get(code=person["unit"]),
            defaults={"role": person["role"]},
        )
        users[person["username"]] = user

    key = data["period"]
    board = Plan.objects.get(key=key.rsplit("-", 1)[0])
    controller = users[data["opened_by"]]
    services.create_periods(board, actor=controller)
    period = ReportingPeriod.objects.get(key=key)
    if period.is_example or period.status_reports.exists():
        return ExampleRound(period, loaded=False)
    period.is_example = True
    period.save(update_fields=["is_example"])
    services.open_period(period, actor=controller, deadline=date(2022, 5, 16))

    for entry in data["statuses"]:
        kind = "action" if "action" in entry else "assignment"
        model = ITEMS[kind]
        fields = {
            name: entry[name]
            for name in ("status", "cause", "remedy", "new_forecast", "comment", "progress")
            if name in entry
        }
        if "new_end_date" in entry:
            fields["new_end_date"] = entry["new_end_date"]
        services.submit_status(
            period,
            model.objects.get(key=entry[kind]),
            actor=users[entry["by"]],
            expected_version=0,
            **fields,
        )
    for entry in data["outcomes"]:
        services.record_outcome(
            period,
            Indicator.objects.get(key=entry["indicator"]),
            actor=users[entry["by"]],
            expected_version=0,
            raw=entry["raw"],
            women=decimal(entry.get("women")),
            men=decimal(entry.get("men")),
            source=entry.get("source", ""),
            comment=entry.get("comment", ""),
        )
    for entry in data["assessments"]:
        outcome = IndicatorOutcome.objects.get(period=period, indicator__key=entry["indicator"])
        services.assess_outcome(
            outcome,
            actor=users[entry["by"]],
            expected_version=outcome.version,
            attainment=entry["attainment"],
            motivation=entry["motivation"],
        )
    for entry in data["judgements"]:
        services.judge(
            period,
            Objective.objects.get(key=entry["objective"]),
            actor=users[entry["by"]],
            expected_version=0,
            attainment=entry["attainment"],
            motivation=entry["motivation"],
        )
    for entry in data["submissions"]:
        submission = services.submit_unit_report(
            period, OrgUnit.objects.get(code=entry["unit"]), actor=users[entry["by"]]
        )
        if "at" in entry:
            # The example shows a 2022 round: its submission is dated in 2022, not on the
            # day the demo was loaded (reports print the date).
            at = datetime.combine(entry["at"], time(12), tzinfo=UTC)
            Submission.objects.filter(pk=submission.pk).update(submitted_at=at)
    return ExampleRound(period, loaded=True)
