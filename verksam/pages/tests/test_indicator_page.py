"""The indicator page, and indicator tables as the goal area pages print them, on the seed plan."""

import pytest
from django.urls import reverse
from django.utils.text import capfirst
from pytest_django.asserts import assertContains, assertNotContains

from verksam.indicators.models import Indicator, IndicatorValue
from verksam.plans.models import Plan
from verksam.testing import assert_accessible_structure, sv

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

# 1 the indicator, 2 its values, 3 its responsible units, 4 the outcomes for the chart and
# 5 for the table.
INDICATOR_QUERIES = 5
LOAN_DEBT = "ksk-2022-1.1-i5"  # Låneskuld (i kommun), kr per invånare
SAFE_AT_SCHOOL = "tsk-2022-4.2-i1"  # Andel elever som känner sig trygga i skolan (F/P split)


def indicator_url(key: str) -> str:
    return reverse("pages:indicator_detail", args=[key])


def test_indicator_page_shows_the_indicator_and_every_value_in_swedish_format(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(INDICATOR_QUERIES):
        response = client.get(indicator_url(LOAN_DEBT))
    assertContains(response, "<h1>Låneskuld (i kommun), kr per invånare</h1>")
    assertContains(response, "7\u00a0191")  # Prognos 2021 as read, thousands separated
    assertContains(response, "<td>7 191</td>")  # as printed
    assertContains(response, '<th scope="row">Prognos 2021</th>')
    assertContains(response, f"<td>{capfirst(sv('forecast'))}</td>")
    assertContains(response, "KSK Ekonomi")
    assertContains(response, "<li>Ekonomiavdelningen</li>")
    assertContains(response, "Indikatorer till inriktningsmål en ekonomi i balans")
    assert_accessible_structure(response.content.decode())


def test_indicator_page_lists_its_values_in_printed_order(client):
    html = client.get(indicator_url(LOAN_DEBT)).content.decode()
    labels = IndicatorValue.objects.filter(indicator__key=LOAN_DEBT).order_by("position")
    positions = [html.index(f'<th scope="row">{v.label}</th>') for v in labels]
    assert len(positions) == 6
    assert positions == sorted(positions)


def test_indicator_page_shows_a_split_value_with_the_labels_the_plan_prints(client):
    response = client.get(indicator_url(SAFE_AT_SCHOOL))
    assertContains(response, "<td>F 54 %<br>P 61 %</td>")
    assertContains(response, '<td class="num">F 54 %<br>P 61 %</td>')
    assertContains(response, '<td class="num">F –<br>P –</td>')
    assertContains(response, sv("F/P: girls/boys"))


def test_goal_area_table_prints_a_gender_split_as_the_plan_does(client):
    response = client.get(reverse("pages:goalarea_detail", args=["2022-ma4"]))
    assertContains(response, "<td>F 54 %<br>P 61 %</td><td>–<br>–</td>", html=False)
    assertContains(response, f'<p class="table-note">{sv("F/P: girls/boys")}</p>')
    assertNotContains(response, "K 54")


def test_indicator_without_values_shows_its_note_instead(client):
    indicator = Indicator.objects.get(key="ksk-2022-1.1-i3")
    assert not indicator.values.exists()
    response = client.get(indicator.get_absolute_url())
    assertContains(response, indicator.notes[0])
    assertContains(response, sv("The plan gives no values for this indicator."))


def test_indicator_page_gives_the_plan_context_as_breadcrumbs(client):
    html = client.get(indicator_url(LOAN_DEBT)).content.decode()
    trail = [
        reverse("pages:plan_detail", args=["KS-2022"]),
        reverse("pages:plan_detail", args=["KSK-2022"]),
        reverse("pages:goalarea_detail", args=["2022-ma1"]) + "?office=KSK",
        reverse("pages:objective_detail", args=["2022-1.1"]) + "?office=KSK",
    ]
    start = html.index('<nav class="breadcrumbs')
    nav = html[start : html.index("</nav>", start)]
    positions = [nav.index(f'href="{link}"') for link in trail]
    assert positions == sorted(positions)


def test_plan_wide_indicator_without_goal_area_has_a_page(client):
    response = client.get(indicator_url("ks-2022-i1"))
    assertContains(response, "<h1>Personalomsättning</h1>")
    assertContains(response, "8,2 (nollmätning)")


def test_indicator_page_query_count_does_not_grow_with_its_values(
    client, django_assert_max_num_queries
):
    indicator = Indicator.objects.get(key=LOAN_DEBT)
    with django_assert_max_num_queries(INDICATOR_QUERIES) as before:
        client.get(indicator.get_absolute_url())
    for year in range(2025, 2035):
        IndicatorValue.objects.create(
            indicator=indicator, kind="target", year=year, label=f"Mål {year}", raw=f"{year} 000"
        )
    with django_assert_max_num_queries(INDICATOR_QUERIES) as after:
        response = client.get(indicator.get_absolute_url())
    assert len(after.captured_queries) == len(before.captured_queries)
    assertContains(response, '<th scope="row">Mål 2034</th>')


def test_unknown_indicator_is_not_found(client):
    assert client.get(indicator_url("no-such-indicator")).status_code == 404


def test_indicator_page_refuses_a_post_with_405(client):
    assert client.post(indicator_url(LOAN_DEBT)).status_code == 405


def test_indicator_of_a_draft_plan_is_not_found_for_anonymous_visitors(client):
    Plan.objects.filter(key="KSK-2022").update(status=Plan.Status.DRAFT)
    assert client.get(indicator_url(LOAN_DEBT)).status_code == 404
    goal_area = client.get(reverse("pages:goalarea_detail", args=["2022-ma1"]))
    assertNotContains(goal_area, indicator_url(LOAN_DEBT))


def test_indicator_of_a_draft_board_plan_is_not_found_for_anonymous_visitors(client):
    Plan.objects.filter(key="KS-2022").update(status=Plan.Status.DRAFT)
    assert client.get(indicator_url("ks-2022-i1")).status_code == 404
    assert client.get(indicator_url(LOAN_DEBT)).status_code == 404


def test_indicator_of_a_draft_plan_is_visible_to_a_logged_in_user(client, admin_user):
    Plan.objects.filter(key__in=["KS-2022", "KSK-2022"]).update(status=Plan.Status.DRAFT)
    client.force_login(admin_user)
    assertContains(client.get(indicator_url(LOAN_DEBT)), "Låneskuld (i kommun), kr per invånare")


# --- The chart ------------------------------------------------------------------------------


def test_indicator_page_draws_its_numbers_as_an_svg_chart_with_a_table_of_the_same_figures(
    client,
):
    response = client.get(indicator_url(LOAN_DEBT))
    html = response.content.decode()
    chart = html[
        html.index('<section class="chart"') : html.index(
            "</section>", html.index('<section class="chart"')
        )
    ]
    assert '<svg class="chart__svg" role="img" aria-label="' in chart
    assert "<title>" in chart
    numbers = IndicatorValue.objects.filter(indicator__key=LOAN_DEBT, number__isnull=False)
    assert chart.count("<rect ") == numbers.values("kind", "year").distinct().count() > 0
    assert '<text class="chart__value"' in chart
    assert "7\u00a0191</text>" in chart  # the forecast's bar says its value
    assert '<td class="num">7\u00a0191</td>' in chart  # and so does the table
    assert '<th scope="row">2021</th>' in chart


def test_the_chart_shows_the_latest_follow_up_outcome_of_the_year(client, admin_user, settings):
    from verksam.followup.examples import load_example_round
    from verksam.followup.models import IndicatorOutcome

    period = load_example_round(settings.DEMO_FOLLOWUP_FILE).period
    outcome = IndicatorOutcome.objects.filter(period=period, number__isnull=False).first()
    client.force_login(admin_user)
    response = client.get(indicator_url(outcome.indicator.key))
    assertContains(response, 'class="chart__bar chart__bar--followup"')
    assertContains(response, f"{outcome.display()}</text>")


def test_an_indicator_without_numbers_has_no_chart(client):
    indicator = Indicator.objects.get(key=LOAN_DEBT)
    indicator.values.all().delete()
    assertNotContains(client.get(indicator_url(LOAN_DEBT)), 'class="chart"')
