"""The risk page of a plan: its analyses, the internal-control areas, bounded queries."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.plans.models import Plan
from verksam.risks.models import InternalControlArea, InternalControlPoint, Risk
from verksam.testing import sv

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

# 1 the plan, 2 the family's risk analyses, 3 risks, 4 internal-control areas, 5 points;
# 6 the points' responsible units when there are points.
RISK_QUERIES = 5
RISK_QUERIES_WITH_POINTS = 6


def url(key: str) -> str:
    return reverse("risks:plan_risks", args=[key])


def test_an_office_page_shows_its_risks_and_the_boards_internal_control_areas(client):
    response = client.get(url("SBK-2022"))
    assert response.status_code == 200
    assertContains(response, "Team-känslan och därmed samverkan mellan avdelningarna")
    assertContains(response, "<strong>Åtgärder:</strong>")
    assertContains(response, "Ekonomi och hushållning av kommunens resurser")
    assertContains(
        response,
        sv(
            "No control points yet: the board decides its internal-control plan as a "
            "separate document."
        ),
        count=3,
    )
    assertNotContains(response, "Externa chocker.")


def test_the_board_plan_shows_every_offices_analysis(client):
    response = client.get(url("KS-2022"))
    assertContains(response, '<li id="risk-', count=16)


def test_the_office_plan_page_links_to_its_risks(client):
    response = client.get(reverse("pages:plan_detail", args=["TSK-2022"]))
    assertContains(response, f'href="{url("TSK-2022")}"')


def test_the_risk_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(RISK_QUERIES):
        client.get(url("KS-2022"))
    analysis = Risk.objects.filter(analysis__plan__key="KSK-2022").first().analysis
    for n in range(20):
        Risk.objects.create(key=f"extra-{n}", analysis=analysis, description=f"Risk {n}")
    area = InternalControlArea.objects.first()
    for n in range(5):
        point = InternalControlPoint.objects.create(
            key=f"k{n}", area=area, risk="Risk", control="Kontroll"
        )
        point.responsible_units.set(area.plan.owner.children.all()[:2])
    with django_assert_num_queries(RISK_QUERIES_WITH_POINTS):
        response = client.get(url("KS-2022"))
    assertContains(response, '<li id="risk-', count=36)
    assertContains(response, sv("Control points: %(area)s") % {"area": area.title})


def test_a_valued_risk_shows_its_risk_value(client):
    Risk.objects.filter(key="tsk-2022-risk3").update(probability=3, consequence=2)
    valuation = sv(
        "Probability %(probability)s, consequence %(consequence)s, risk value %(value)s"
    ) % {"probability": 3, "consequence": 2, "value": 6}
    assertContains(client.get(url("TSK-2022")), valuation)


def test_an_unknown_plan_is_not_found_and_a_post_is_refused(client):
    assert client.get(url("NOPE-1999")).status_code == 404
    assert client.post(url("KSK-2022")).status_code == 405


def test_a_draft_plans_risks_need_a_login(client):
    Plan.objects.filter(key="KSK-2022").update(status=Plan.Status.DRAFT)
    assert client.get(url("KSK-2022")).status_code == 404
