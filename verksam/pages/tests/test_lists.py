"""The lists of assignments, actions and indicators: filters, sorting and pages in the URL."""

from collections import Counter
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.followup.models import IndicatorOutcome, ReportingPeriod, StatusChoice, StatusReport
from verksam.followup.reporting import assessed_outcomes
from verksam.indicators.models import Indicator
from verksam.pages.lists import PAGE_SIZE, WHOLE_PLAN
from verksam.plans.models import Action, Assignment, Plan
from verksam.testing import (
    assert_accessible_structure,
    close_round,
    example_controller,
    make_draft,
    matches,
    multiply_seed,
    sv,
)

pytestmark = pytest.mark.django_db

# Anonymous: the filter menus (1 plans, 2 units, 3 goal areas, 4 objectives, 5 follow-up
# periods), 6 the count of matches, 7 the page of rows (units, plan and goal area joined in);
# assignments and actions: 8 the page's latest status reports the visitor may read;
# indicators: 8 their values (the targets) and 9 their outcomes the visitor may read.
LIST_QUERIES = 7
EXTRA_QUERIES = {"pages:assignment_list": 1, "pages:action_list": 1, "pages:indicator_list": 2}
LISTS = ["pages:assignment_list", "pages:action_list", "pages:indicator_list"]
HYRES = "Se över hyressättningsmodellen"


def get(client, name: str, **params: str):
    return client.get(reverse(name), params)


def rows(response) -> int:
    return response.content.decode().count('<th scope="row">')


@pytest.mark.parametrize("name", LISTS)
def test_list_page_is_accessible_and_refuses_a_post(client, name):
    response = get(client, name)
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    assert client.post(reverse(name)).status_code == 405


def test_list_query_count_is_the_same_at_ten_times_the_seed(client, django_assert_num_queries):
    """Every list at the seed, then every list at ten times it (multiplied once for all)."""
    params = {"sort": "-goal_area", "unit": "KSK"}
    small = {}
    for name in LISTS:
        with django_assert_num_queries(LIST_QUERIES + EXTRA_QUERIES[name], info=name):
            small[name] = get(client, name, **params)
    multiply_seed(10)
    for name in LISTS:
        with django_assert_num_queries(LIST_QUERIES + EXTRA_QUERIES[name], info=name):
            large = get(client, name, **params)
        assert rows(small[name]) <= rows(large) == PAGE_SIZE, name


def test_list_query_count_for_a_logged_in_user_adds_only_the_session_and_user(
    client, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    # + 1 the session, 2 the user, 3 the units for the role scopes (units below each role); the
    # superuser holds no memberships, so none are read.
    with django_assert_num_queries(LIST_QUERIES + 1 + 3):
        get(client, "pages:action_list")


def test_assignment_list_shows_every_assignment_with_kind_office_and_action_count(client):
    response = get(client, "pages:assignment_list")
    assertContains(response, matches(Assignment.objects.count()))
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    assertContains(response, f'<a href="{assignment.get_absolute_url()}">{HYRES}')
    assert rows(response) == PAGE_SIZE < Assignment.objects.count()


def test_assignment_list_filters_by_kind_goal_area_and_objective(client):
    response = get(client, "pages:assignment_list", kind="council", objective="2022-1.1")
    expected = Assignment.objects.filter(kind="council", objectives__key="2022-1.1")
    assert rows(response) == expected.count() > 0
    response = get(client, "pages:assignment_list", goal_area="2022-ma5")
    assert rows(response) == Assignment.objects.filter(goal_area__key="2022-ma5").count()


def test_assignment_list_filters_by_office_and_by_plan(client):
    response = get(client, "pages:assignment_list", office="SBK")
    assert rows(response) == Assignment.objects.filter(plan__key="SBK-2022").count()
    assertNotContains(response, HYRES)
    board = get(client, "pages:assignment_list", plan="KS-2022")
    assertContains(board, matches(Assignment.objects.count()))


def test_unit_filter_includes_the_units_below_it(client):
    below_stab = ["KSK-STAB", "KSK-JURIDIK", "KSK-KANSLI", "KSK-STRATEGISK-ANALYS"]
    expected = Action.objects.filter(responsibilities__unit__code__in=below_stab).distinct()
    only_stab = Action.objects.filter(responsibilities__unit__code="KSK-STAB")
    assert expected.count() > only_stab.count()
    response = get(client, "pages:action_list", unit="KSK-STAB")
    assertContains(response, matches(expected.count()))
    # KSK stab contributes to the rent model action.
    assertContains(response, reverse("pages:action_detail", args=["ksk-2022-1.1-u1-a1"]))


def test_unit_filter_on_an_office_includes_its_own_plans_items(client):
    own = Indicator.objects.filter(plan__owner__code="KSK").count()
    shared = Indicator.objects.exclude(plan__owner__code="KSK").filter(
        responsibilities__unit__code__startswith="KSK"
    )
    response = get(client, "pages:indicator_list", unit="KSK")
    assertContains(response, matches(own + shared.distinct().count()))


def test_action_list_marks_and_filters_late_actions(client):
    today = date.today()
    late = Action.objects.late(on=today)
    response = get(client, "pages:action_list", late="on")
    assertContains(response, matches(late.count()))
    assertContains(response, f'<span class="tag tag--late">{sv("late")}</span>')
    on_time = Action.objects.exclude(pk__in=late).first()
    if on_time is not None:
        assertNotContains(response, on_time.get_absolute_url())


def test_assignment_list_filters_to_assignments_with_late_actions(client):
    Action.objects.update(end_raw="2999-12-31", end_date=date(2999, 12, 31), end_precision="day")
    Action.objects.filter(key="ksk-2022-1.1-u1-a1").update(end_date=date(2000, 1, 1))
    response = get(client, "pages:assignment_list", late="on")
    assert rows(response) == 1
    assertContains(response, HYRES)


def test_indicator_list_filters_by_origin_and_goal_area(client):
    response = get(client, "pages:indicator_list", origin="council", goal_area="2022-ma1")
    expected = Indicator.objects.filter(origin="council", goal_area__key="2022-ma1")
    assert rows(response) == expected.count() > 0


def test_sorting_by_a_column_in_both_directions_and_aria_sort(client):
    up = get(client, "pages:assignment_list", sort="title").content.decode()
    down = get(client, "pages:assignment_list", sort="-title").content.decode()
    first = Assignment.objects.order_by("title").first().get_absolute_url()
    last = Assignment.objects.order_by("-title").first().get_absolute_url()
    assert up.index('<th scope="row">') < up.index(first)
    assert first not in down
    assert down.index('<th scope="row">') < down.index(last) < down.index("</tr>", down.index(last))
    assert 'aria-sort="ascending"' in up
    assert '<a href="?sort=-title">' in up  # a second click sorts descending
    assert 'aria-sort="descending"' in down


def test_an_unknown_sort_falls_back_to_the_plans_order(client):
    response = get(client, "pages:assignment_list", sort="password")
    assert response.status_code == 200
    assertNotContains(response, "aria-sort")


def test_pages_keep_the_filters_and_the_sort(client):
    multiply_seed(2)
    response = get(client, "pages:action_list", office="KSK", sort="end", page="2")
    assertContains(response, 'href="?office=KSK&amp;sort=end&amp;page=1" rel="prev"')
    assertContains(response, '<span aria-current="page">')


def test_an_unknown_filter_value_is_a_bad_request_with_the_field_named(client):
    response = get(client, "pages:action_list", goal_area="no-such-area")
    assert response.status_code == 400
    assertContains(response, 'id="id_goal_area_error"', status_code=400)
    assertNotContains(response, "<table", status_code=400)


def test_htmx_gets_only_the_results_and_caches_tell_them_apart(client):
    response = client.get(reverse("pages:action_list"), {"office": "TSK"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert '<input type="hidden" name="sort" id="sort-field" value="" hx-swap-oob="true">' in html
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        reverse("pages:action_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_lists_leave_out_items_of_a_draft_plan_for_anonymous_visitors(client, admin_user):
    make_draft("KSK-2022")
    assertNotContains(get(client, "pages:assignment_list"), HYRES)
    client.force_login(admin_user)
    assertContains(get(client, "pages:assignment_list"), HYRES)


def test_lists_mark_plan_content_as_swedish_when_the_interface_is_english(client):
    client.cookies["django_language"] = "en"
    response = get(client, "pages:assignment_list")
    assertContains(response, '<html lang="en">')
    assertContains(response, f'lang="sv">{HYRES}')


def test_empty_fields_of_a_submitted_form_are_left_out_of_the_address(client):
    response = get(client, "pages:action_list", plan="", office="TSK", sort="")
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:action_list") + "?office=TSK"
    htmx = client.get(
        reverse("pages:action_list"), {"office": "TSK", "plan": ""}, HTTP_HX_REQUEST="true"
    )
    assert htmx["HX-Push-Url"] == reverse("pages:action_list") + "?office=TSK"


# --- Status in a follow-up period ----------------------------------------------------------


@pytest.fixture
def april(db, example_round_once) -> ReportingPeriod:
    """The demo's example April round (open) (loaded once for the module)."""
    return ReportingPeriod.objects.get(pk=example_round_once)


@pytest.mark.parametrize("name", ["pages:action_list", "pages:assignment_list"])
def test_lists_filter_by_status_in_a_period_and_by_not_reported(client, admin_user, april, name):
    client.force_login(admin_user)
    kind = "action" if name == "pages:action_list" else "assignment"
    reports = StatusReport.objects.filter(period=april, **{f"{kind}__isnull": False})
    status = reports.values_list("status", flat=True).first()
    assert status in StatusChoice.values
    chosen = get(client, name, plan="KS-2022", period=april.key, status=status)
    assertContains(chosen, matches(reports.filter(status=status).count()))
    total = (Action if kind == "action" else Assignment).objects.filter(
        plan__in=Plan.objects.family(april.plan)
    )
    unreported = get(client, name, plan="KS-2022", period=april.key, status="not_reported")
    assertContains(unreported, matches(total.count() - reports.count()))


def test_a_status_without_a_period_is_a_located_error(client, admin_user, april):
    client.force_login(admin_user)
    response = get(client, "pages:action_list", status="done")
    assert response.status_code == 400
    assertContains(response, sv("Choose the period whose status to show."), status_code=400)


def test_the_indicator_list_filters_by_assessment_in_a_period_and_by_no_outcome(
    client, admin_user, april
):
    client.force_login(admin_user)
    outcomes = IndicatorOutcome.objects.filter(period=april)
    assessed = Counter(attainment for _outcome, attainment in assessed_outcomes(outcomes, april))
    assert len(assessed) > 1  # the round's outcomes are assessed more than one way
    for attainment, n in assessed.items():
        chosen = get(client, "pages:indicator_list", period=april.key, assessment=attainment)
        assertContains(chosen, matches(n))
    total = Indicator.objects.filter(plan__in=Plan.objects.family(april.plan)).count()
    none = get(client, "pages:indicator_list", period=april.key, assessment="no_outcome")
    assertContains(none, matches(total - outcomes.count()))


def test_an_assessment_without_a_period_is_a_located_error(client, admin_user, april):
    client.force_login(admin_user)
    response = get(client, "pages:indicator_list", assessment="met")
    assert response.status_code == 400
    assertContains(response, sv("Choose the period whose assessment to show."), status_code=400)


def test_the_assessment_filter_runs_the_same_queries_at_ten_times_the_seed(
    client, april, django_assert_num_queries
):
    # The list's queries (anonymous: the closed round is readable) and 2 the round's outcomes
    # of the filtered indicators, 3 their printed values, to assess them.
    close_round(april, actor=example_controller())
    params = {"period": april.key, "assessment": "met"}
    expected = LIST_QUERIES + EXTRA_QUERIES["pages:indicator_list"] + 2
    with django_assert_num_queries(expected):
        small = get(client, "pages:indicator_list", **params)
    assert rows(small) > 0
    multiply_seed(10)
    with django_assert_num_queries(expected):
        get(client, "pages:indicator_list", **params)


@pytest.mark.parametrize("name", LISTS)
def test_a_goal_area_filter_of_the_plan_as_a_whole_keeps_the_items_in_no_goal_area(client, name):
    model = {"pages:assignment_list": Assignment, "pages:action_list": Action}.get(name, Indicator)
    response = get(client, name, goal_area=WHOLE_PLAN)
    assertContains(response, matches(model.objects.filter(goal_area__isnull=True).count()))


class Links(HTMLParser):
    """Each link's address and whether htmx boosts it (an `hx-boost="true"` around it), every
    id, and the number of `<main>` elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.boost: list[str | None] = []
        self.links: list[tuple[str, bool]] = []
        self.ids: Counter[str] = Counter()
        self.mains = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1  # type: ignore[index]  # HTMLParser's attributes are (name, value | None)
        self.mains += tag == "main"
        boosted = next((b for b in reversed(self.boost) if b is not None), None) == "true"
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], boosted))  # type: ignore[arg-type]  # HTMLParser's attributes are (name, value | None)
        if tag not in self.VOID:
            self.boost.append(attributes.get("hx-boost"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.boost:
            self.boost.pop()


@pytest.mark.parametrize("name", LISTS)
def test_a_boosted_link_in_the_results_swaps_in_results_not_a_whole_page(client, name):
    """htmx swaps what a boosted link answers into the results: the sort and page links
    answer the results only; an item's link is not boosted (it opens the item's page), so
    the list never gets a second header, `<main>` or duplicate ids."""
    address = reverse(name)
    page = client.get(address).content.decode()
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true", "HTTP_HX_TARGET": "results"}
    fragment = Links(client.get(address, **htmx).content.decode())
    whole = Links(page)
    boosted = [href for href, is_boosted in whole.links if is_boosted]
    assert any("sort=" in href for href in boosted)  # the sort links still swap the results
    assert any("page=" in href for href in boosted)  # and so do the page links
    item_links = [href for href, _ in whole.links if href.startswith(address) and href != address]
    assert item_links
    assert not [href for href in item_links if href in boosted]
    for href in boosted:
        target = href if href.startswith("/") else address + href
        swapped = Links(client.get(target, **htmx).content.decode())
        assert whole.mains - fragment.mains + swapped.mains == 1, href
        ids = whole.ids - fragment.ids + swapped.ids
        assert [i for i, n in ids.items() if n > 1] == [], href


def test_action_and_assignment_lists_show_the_latest_status_the_visitor_may_read(
    client, make_user, april
):
    from verksam.followup.models import StatusReport

    report = StatusReport.objects.filter(period=april, action__isnull=False).first()
    action = report.action
    params = {"plan": "KS-2022", "period": april.key, "status": report.status}
    # Anonymous visitors read no open round's drafts.
    html = get(client, "pages:action_list", **params).content.decode()
    assert "status status--" not in html.split("<tbody>")[-1]
    client.force_login(make_user("clara", controller="KS"))
    response = get(client, "pages:action_list", **params)
    assertContains(response, action.get_absolute_url())
    assertContains(response, str(april))
