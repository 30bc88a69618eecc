"""Search: Swedish words in titles, texts and notes, grouped by kind, marked, and only what the
visitor may read; the index follows every save and delete."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from verksam.plans.models import Action, Assignment
from verksam.risks.models import Risk
from verksam.search.models import SearchDocument
from verksam.search.services import rebuild_index
from verksam.search.views import PER_KIND
from verksam.testing import assert_accessible_structure, make_draft, multiply_seed

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]

# One query finds (full-text match), ranks, groups per kind, marks the words and checks that
# the item's plan is visible; an anonymous visitor has no session or user to read.
SEARCH_QUERIES = 1
RENT = "ksk-2022-1.1-u1"  # Se över hyressättningsmodellen …
RENT_ACTION = "ksk-2022-1.1-u1-a1"  # its action; the criterion names the rent model


def search(client, query: str):
    return client.get(reverse("search:search"), {"q": query})


def found(response, key: str, kind: str = "assignment", plan: str = "") -> bool:
    if kind == "risk":
        url = f"{reverse('risks:plan_risks', args=[plan])}#risk-{key}"
    else:
        url = reverse(f"pages:{kind}_detail", args=[key])
    return f'href="{url}"' in response.content.decode()


def add_assignment(title: str, **fields: object) -> Assignment:
    """A new assignment in Kommunstyrelsekontoret's plan, saved like any other."""
    template = Assignment.objects.get(key=RENT)
    return Assignment.objects.create(
        key=f"test-{abs(hash(title))}",
        plan=template.plan,
        goal_area=template.goal_area,
        kind=template.kind,
        title=title,
        **fields,
    )


def test_search_page_is_accessible_and_refuses_a_post(client):
    response = search(client, "hyressättning")
    assert response.status_code == 200
    assert_accessible_structure(response.content.decode())
    assert client.post(reverse("search:search")).status_code == 405


def test_a_word_finds_items_by_title_and_by_text_marked_and_grouped_by_kind(client):
    response = search(client, "hyressättningsmodellen")
    assert found(response, RENT)
    assert found(response, RENT_ACTION, "action")
    assertContains(response, "Se över <mark>hyressättningsmodellen</mark>")
    html = response.content.decode()
    assert html.index('id="group-assignment"') < html.index('id="group-action"')


def test_a_word_matches_the_beginning_of_longer_words(client):
    assert found(search(client, "hyressättning"), RENT)


def test_upper_case_and_swedish_letters_match_and_a_is_not_a_ring(client):
    boats = add_assignment("Fler båtplatser i Grisslehamn")
    assert found(search(client, "BÅTPLATSER"), boats.key)
    assert not found(search(client, "batplatser"), boats.key)


def test_every_word_must_match(client):
    assert found(search(client, "hyressättningsmodellen idrottshallar"), RENT)
    assert not found(search(client, "hyressättningsmodellen brandskydd"), RENT)


def test_notes_are_searched(client):
    add_assignment("Ett uppdrag", notes=["Kommentar: avvaktar besked från Trafikverket"])
    response = search(client, "Trafikverket avvaktar")
    assertContains(response, "<mark>avvaktar</mark>")


def test_indicators_are_found_by_name(client):
    response = search(client, "låneskuld")
    assert found(response, "ksk-2022-1.1-i5", "indicator")


def test_risks_are_found_by_description_and_measures_and_link_to_the_risk_page(client):
    # sbk-2022-risk3: "Hanteringen av klimatförändringar, speciellt skyfall, är utmanande."
    response = search(client, "skyfall")
    assert found(response, "sbk-2022-risk3", "risk", "SBK-2022")
    assertContains(response, 'id="group-risk"')
    assertContains(response, "speciellt <mark>skyfall</mark>")
    assert found(search(client, "kommunövergripande"), "sbk-2022-risk3", "risk", "SBK-2022")


def test_saving_a_risk_updates_its_document_and_a_draft_plans_risks_are_hidden(client):
    risk = Risk.objects.select_related("analysis__plan").get(key="tsk-2022-risk3")
    risk.title = "Översvämning vid Norrtäljeån"
    risk.save()
    plan = risk.analysis.plan.key
    assert found(search(client, "översvämning norrtäljeån"), risk.key, "risk", plan)
    make_draft(plan)
    assert not found(search(client, "översvämning norrtäljeån"), risk.key, "risk", plan)
    risk.delete()
    assert not SearchDocument.objects.filter(kind="risk", key=risk.key).exists()


def test_the_text_is_escaped_and_only_the_marks_become_tags(client):
    add_assignment("<script>alert(1)</script> Bryggor & kajer")
    response = search(client, "bryggor")
    assertNotContains(response, "<script>alert(1)")
    assertContains(response, "<mark>Bryggor</mark> &amp; kajer")


def test_a_query_without_words_searches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # punctuation only: no search, and no session to read
        response = search(client, ' "*) ( - ')
    assert response.status_code == 200
    assertNotContains(response, 'role="status"')


def test_query_syntax_of_the_database_is_read_as_plain_words(client):
    response = search(client, 'NOT "hyres* OR title:x NEAR(a b) & !')
    assert response.status_code == 200
    assertContains(response, 'role="status"')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL")
def test_postgresql_finds_other_forms_of_a_word(client):
    # "uppdragen" (the assignments) and "uppdraget" share the stem of "uppdrag".
    response = search(client, "uppdragen")
    assertContains(response, "<mark>uppdraget</mark>")


def test_items_of_a_draft_plan_are_not_found_by_anonymous_visitors(client, admin_user):
    make_draft("KSK-2022")
    assert not found(search(client, "hyressättningsmodellen"), RENT)
    client.force_login(admin_user)
    assert found(search(client, "hyressättningsmodellen"), RENT)


def test_parts_of_a_draft_board_plan_are_hidden_too(client):
    make_draft("KS-2022")
    assert not found(search(client, "hyressättningsmodellen"), RENT)


def test_saving_an_item_updates_its_document_and_deleting_it_removes_it(client):
    assignment = Assignment.objects.get(key=RENT)
    assignment.title = "Se över fjärrvärmeavtalen"
    assignment.save()
    assert found(search(client, "fjärrvärmeavtalen"), RENT)
    assert SearchDocument.objects.get(key=RENT).title == "Se över fjärrvärmeavtalen"
    action = Action.objects.get(key=RENT_ACTION)
    action.delete()
    assert not SearchDocument.objects.filter(key=RENT_ACTION).exists()
    assert not found(search(client, "hyressättningsmodell"), RENT_ACTION, "action")


def test_the_seed_is_indexed_and_a_rebuild_gives_the_same_documents(capsys):
    counted = Assignment.objects.count() + Action.objects.count() + Risk.objects.count()
    before = set(SearchDocument.objects.values_list("kind", "key", "title", "body"))
    assert len(before) > counted
    call_command("rebuild-search-index")
    assert set(SearchDocument.objects.values_list("kind", "key", "title", "body")) == before
    assert str(len(before)) in capsys.readouterr().out


def test_search_runs_one_query_at_ten_times_the_seed_and_shows_the_best_per_kind(
    client, django_assert_num_queries
):
    with django_assert_num_queries(SEARCH_QUERIES):
        search(client, "trygghet")
    multiply_seed(10)
    rebuild_index()
    with django_assert_num_queries(SEARCH_QUERIES):
        response = search(client, "trygghet")
    groups = response.context["groups"]
    assert all(len(group.results) <= PER_KIND for group in groups)
    assert max(group.total for group in groups) > PER_KIND
