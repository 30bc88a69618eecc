"""The budget page: computed rows, disagreements in words, Swedish numbers, bounded queries."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.budget.models import BudgetCell, BudgetColumn, BudgetTable
from verksam.plans.models import Plan
from verksam.testing import multiply_seed, sv

pytestmark = pytest.mark.django_db

# 1 the plan, 2 its family, 3 tables, 4 columns, 5 rows (with units), 6 cells: the same for one
# table or a hundred.
BUDGET_QUERIES = 6
NBSP = "\u00a0"


def url(key: str) -> str:
    return reverse("budget:plan_budget", args=[key])


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def test_an_office_budget_page_shows_its_tables_with_computed_rows_in_swedish_format(client):
    response = client.get(url("KSK-2022"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Driftbudget, tkr",
        "Driftbudget per avdelning, netto, tkr",
        "Kommunstyrelsens investeringar, tkr",
        f"-152{NBSP}445",
        f"613{NBSP}825",
        "12,0 %",
        "Hos stabs- och planeringschef ingår verksamheter",
    ]:
        assert text in html, text
    assertNotContains(response, sv("Printed figures that disagree with the computation:"))


def test_the_page_has_captioned_tables_scoped_headers_and_one_h1(client):
    page = Tags()
    page.feed(client.get(url("TSK-2022")).content.decode())
    assert len(page.all("h1")) == 1
    assert len(page.all("table")) == len(page.all("caption")) == 4
    assert all(th.get("scope") in {"col", "row"} for th in page.all("th"))


def test_figures_that_cannot_be_computed_are_shown_as_printed_and_said_so(client):
    response = client.get(url("TSK-2022"))
    # A figure that is not computed is shown as printed (its digit groups kept together).
    assertContains(response, f"-94{NBSP}481")
    assertContains(response, sv("as printed; cannot be computed"), count=5)


def test_a_printed_figure_that_disagrees_is_flagged_in_words(client):
    BudgetCell.objects.filter(row__key="sbk-2022-operating-net", column__year=2022).update(
        raw="-36 800"
    )
    response = client.get(url("SBK-2022"))
    assertContains(response, sv("Printed figures that disagree with the computation:"))
    disagreement = sv("%(row)s, %(column)s: printed %(printed)s, computed %(computed)s") % {
        "row": "Netto",
        "column": "Budget 2022",
        "printed": f"-36{NBSP}800",
        "computed": f"-36{NBSP}799",
    }
    assertContains(response, disagreement)
    assertContains(response, sv("printed: %(printed)s") % {"printed": f"-36{NBSP}800"})


def test_the_board_plan_shows_each_offices_tables(client):
    response = client.get(url("KS-2022"))
    for office in [
        "Kommunstyrelsekontoret",
        "Samhällsbyggnadskontoret",
        "Trygghets- och säkerhetskontoret",
    ]:
        assertContains(response, f">{office}</h2>")


def test_the_office_plan_page_links_to_its_budget(client):
    response = client.get(reverse("pages:plan_detail", args=["SBK-2022"]))
    assertContains(response, f'href="{url("SBK-2022")}"')


def test_the_budget_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(BUDGET_QUERIES):
        client.get(url("KS-2022"))
    multiply_seed(4)
    assert BudgetColumn.objects.filter(table__plan__key="KSK-2022").count() == 4 * 13
    with django_assert_num_queries(BUDGET_QUERIES):
        response = client.get(url("KS-2022"))
    # KSK and TSK each print a table of that title: four of each now.
    assert response.content.decode().count("Driftbudget per avdelning, netto, tkr") == 2 * 4


def test_an_unknown_plan_is_not_found(client):
    assert client.get(url("NOPE-1999")).status_code == 404


def test_the_page_refuses_a_post(client):
    assert client.post(url("KSK-2022")).status_code == 405


def test_a_draft_plans_budget_is_read_only_by_readers_of_its_office(client, make_user):
    Plan.objects.filter(key="TSK-2022").update(status=Plan.Status.DRAFT)
    assert client.get(url("TSK-2022")).status_code == 404
    client.force_login(make_user("sbk-reader", reader="SBK"))
    assert client.get(url("TSK-2022")).status_code == 404
    client.force_login(make_user("tsk-reader", reader="TSK"))
    assert client.get(url("TSK-2022")).status_code == 200


def test_a_plan_without_tables_says_so(client):
    BudgetTable.objects.filter(plan__key="SBK-2022").delete()
    assertContains(client.get(url("SBK-2022")), sv("This plan has no budget tables."))


def test_a_printed_figure_keeps_its_sign(client):
    # Gruppledare föräldrastöd, Plan 2023: the seed prints "+200".
    assertContains(client.get(url("TSK-2022")), '<td class="num">+200</td>')
