"""Budgetföljsamhet computed from the forecast and assessed by the follow-up's rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from verksam.economy import compliance, services
from verksam.economy.reporting import economy_of
from verksam.followup.models import IndicatorOutcome
from verksam.testing import sv

pytestmark = pytest.mark.django_db
D = Decimal

SBK_BUDGET = {  # 2022, as printed: -36 799 in total
    "sbk-2022-departments-stadsarkitekt": D("-2423"),
    "sbk-2022-departments-plan": D("-23714"),
    "sbk-2022-departments-naturvard": D("-870"),
    "sbk-2022-departments-mex": D("-4476"),
    "sbk-2022-departments-hamn": D("-5316"),
}


@pytest.fixture
def sbk_forecast(april, controller):
    for key, budget in SBK_BUDGET.items():
        amount = D("-24000") if key.endswith("plan") else budget
        services.save_forecast(april, services.forecast_row(april, key), actor=controller,
                               expected_version=0, choice="own", amount=amount,
                               comment="Fler konsultuppdrag.")  # fmt: skip


def by_key(items):
    return {item.indicator.key: item for item in items}


def test_an_offices_compliance_is_its_forecast_deviation_assessed_against_zero(april, sbk_forecast):
    items = by_key(compliance.compliance_of(economy_of(april)))
    sbk = items["sbk-2022-1.1-i1"]
    # -286 / 36 799 = -0,78 % → -0,8 %: outside ±0,5, within ±1,0 → partly met.
    assert sbk.raw == "-0,8 %"
    assert sbk.assessment.attainment == "partly"
    assert sbk.assessment.rule == (
        "mål 0, utfall -0,8 %, bäst vid målvärdet, tolerans 0,5 % → delvis uppfyllt"
    )
    # The board's ("per nämnd") needs every department's forecast; the municipality's is
    # not in verksam.
    assert items["ksk-2022-1.1-i1"].raw == ""
    assert items["ksk-2022-1.1-i1"].why_not == sv("not every department has a forecast yet")
    assert items["ksk-2022-1.1-i2"].why_not == sv(
        "the whole municipality's budget is not in verksam: report by hand"
    )


def test_recording_makes_the_figure_the_indicators_outcome_once(april, controller, sbk_forecast):
    saved = compliance.record_compliance(economy_of(april), actor=controller)
    assert [(o.indicator.key, o.raw) for o in saved] == [("sbk-2022-1.1-i1", "-0,8 %")]
    assert compliance.record_compliance(economy_of(april), actor=controller) == []
    assert IndicatorOutcome.objects.get(indicator__key="sbk-2022-1.1-i1").version == 1


def test_recording_needs_the_right_to_report_the_indicator(april, reporter, sbk_forecast):
    with pytest.raises(PermissionDenied):
        compliance.record_compliance(economy_of(april), actor=reporter)
    assert not IndicatorOutcome.objects.exists()
