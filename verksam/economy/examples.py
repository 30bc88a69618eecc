"""The demo's example economy (data/examples/economy-2022-april.yaml) for the example April
round: the mapping, the outcome from a SIE 4 file, forecasts and a carry-over proposal,
written through the services by the example personas. The round is already marked as
example data (`followup.examples`). Loading it again changes nothing."""

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from verksam.economy import services
from verksam.economy.ledger import parse_amount
from verksam.economy.models import Forecast
from verksam.followup.models import ReportingPeriod


@dataclass
class ExampleEconomy:
    period: ReportingPeriod
    loaded: bool


@transaction.atomic
def load_example_economy(path: Path) -> ExampleEconomy:
    """Load the example economy into its (open) round unless it holds forecasts already."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    period = ReportingPeriod.objects.select_related("plan").get(key=data["period"])
    if Forecast.objects.filter(period=period).exists():
        return ExampleEconomy(period, loaded=False)
    users = get_user_model().objects.in_bulk(field_name="username")
    controller = users[data["imported_by"]]
    mapping = path.parent / data["mapping"]
    services.load_mapping(period.plan, mapping.name, mapping.read_bytes(), actor=controller)
    outcome = path.parent / data["outcome"]
    services.import_outcome(period, outcome.name, outcome.read_bytes(), actor=controller)
    for entry in data["forecasts"]:
        services.save_forecast(
            period,
            services.forecast_row(period, entry["row"]),
            actor=users[entry["by"]],
            expected_version=0,
            choice=entry["choice"],
            amount=parse_amount(entry["amount"]) if "amount" in entry else None,
            comment=entry.get("comment", ""),
        )
    for entry in data["carry_overs"]:
        services.decide_carry_over(
            period,
            services.forecast_row(period, entry["row"]),
            actor=users[entry["by"]],
            expected_version=0,
            decision=entry["decision"],
            approved=parse_amount(entry["approved"]) if "approved" in entry else None,
            note=entry.get("note", ""),
        )
    return ExampleEconomy(period, loaded=True)
