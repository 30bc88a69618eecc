"""The plan as a tree: goal area → objective → assignment → action."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.plans.models import Action, Assignment, GoalArea
from verksam.testing import assert_accessible_structure, make_draft, multiply_seed

pytestmark = pytest.mark.django_db

# 1 the plan, 2 its family (the plan and its office parts), 3 goal areas, 4 their objectives,
# 5 the family's assignments, 6 their objectives, 7 their actions, 8 actions without an
# assignment.
TREE_QUERIES = 8
TREE = reverse("pages:plan_tree", args=["KS-2022"])


def position(html: str, item) -> int:
    return html.index(f'href="{item.get_absolute_url()}"')


def test_tree_is_accessible_and_refuses_a_post(client):
    response = client.get(TREE)
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    assert client.post(TREE).status_code == 405


def test_tree_nests_actions_under_assignments_under_objectives_under_goal_areas(client):
    html = client.get(TREE).content.decode()
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    action = Action.objects.get(key="ksk-2022-1.1-u1-a1")
    goal_area = GoalArea.objects.get(key="2022-ma1")
    objective = goal_area.objectives.get(number="1.1")
    next_objective = goal_area.objectives.get(number="1.2")
    order = [goal_area, objective, assignment, action, next_objective]
    assert [position(html, item) for item in order] == sorted(position(html, i) for i in order)
    assert html.count('class="tree"') == GoalArea.objects.count()


def test_tree_shows_every_assignment_and_action(client):
    html = client.get(TREE).content.decode()
    for item in [*Assignment.objects.all(), *Action.objects.all()]:
        assert f'href="{item.get_absolute_url()}"' in html, item.key


def test_tree_filtered_to_an_office_shows_only_its_items(client):
    response = client.get(TREE + "?office=TSK")
    assertContains(response, Action.objects.get(key="tsk-2022-ma5-a1").get_absolute_url())
    assertNotContains(response, Assignment.objects.get(key="ksk-2022-1.1-u1").get_absolute_url())
    assert client.get(TREE + "?office=NOPE").status_code == 404


def test_tree_query_count_is_the_same_at_ten_times_the_seed(client, django_assert_num_queries):
    with django_assert_num_queries(TREE_QUERIES):
        client.get(TREE)
    multiply_seed(10)
    with django_assert_num_queries(TREE_QUERIES):
        response = client.get(TREE)
    assertContains(response, "ksk-2022-1.1-u1-a1-x")


def test_tree_of_a_draft_plan_is_not_found_for_anonymous_visitors(client):
    make_draft("KS-2022")
    assert client.get(TREE).status_code == 404


def test_plan_page_links_to_the_tree(client):
    assertContains(client.get(reverse("pages:plan_detail", args=["KS-2022"])), TREE)
