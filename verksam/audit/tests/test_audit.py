"""The audit trail: recorded for every change, shown on item pages to people with a role
there, searchable by controllers within their units, never written through the app."""

import pytest
from django.contrib.auth.models import User

from verksam.accounts import services as accounts
from verksam.accounts.models import Role
from verksam.organisation.models import OrgUnit
from verksam.plans.models import Action

# These tests set up their cases by editing the decided seed directly.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_editable")]


def edit(action: Action, user: User, text: str) -> None:
    action.text = text
    action._history_user = user  # type: ignore[attr-defined]  # simple-history's hook
    action.save()


@pytest.fixture
def ksk_action() -> Action:
    return Action.objects.filter(plan__key="KSK-2022").earliest("position")


def test_a_change_is_recorded_with_who_and_before_and_after(ksk_action, make_user):
    controller = make_user("kontroller", controller="KSK")
    before = ksk_action.text
    edit(ksk_action, controller, "Ny formulering")
    record = ksk_action.history.first()
    assert (record.history_type, record.history_user, record.text) == (
        "~",
        controller,
        "Ny formulering",
    )
    assert record.prev_record.text == before


def test_the_item_page_shows_the_history_to_people_with_a_role(client, ksk_action, make_user):
    edit(ksk_action, make_user("kontroller", controller="KSK"), "Ny formulering")
    client.force_login(make_user("lasare", reader="KSK"))
    page = client.get(ksk_action.get_absolute_url())
    changes = page.context["changes"]
    assert changes[0].who == "kontroller"
    assert [(f.after) for f in changes[0].fields if f.after == "Ny formulering"]
    assert "History of changes" in page.text or "Ändringshistorik" in page.text


def test_the_history_reads_as_a_sentence_in_swedish(client, ksk_action, make_user):
    """ "kontroller · ändrade åtgärd": a verb after who did it, never an adjective that would
    have to agree with the item ("skapad uppdrag")."""
    edit(ksk_action, make_user("kontroller", controller="KSK"), "Ny formulering")
    client.force_login(make_user("lasare", reader="KSK"))
    page = client.get(ksk_action.get_absolute_url()).content.decode()
    assert " · kontroller · ändrade " in page
    assert "skapad " not in page


def test_anonymous_visitors_and_other_units_do_not_see_who_changed_what(
    client, ksk_action, make_user
):
    edit(ksk_action, make_user("kontroller", controller="KSK"), "Ny formulering")
    page = client.get(ksk_action.get_absolute_url())
    assert page.context["changes"] is None
    assert "kontroller" not in page.text
    client.force_login(make_user("sbk-lasare", reader="SBK"))
    assert client.get(ksk_action.get_absolute_url()).context["changes"] is None


def test_controllers_search_the_trail_of_their_own_units_only(client, ksk_action, make_user):
    sbk_action = Action.objects.filter(plan__key="SBK-2022").first()
    author = make_user("skribent", controller="KS")
    edit(ksk_action, author, "KSK ändrad")
    edit(sbk_action, author, "SBK ändrad")
    client.force_login(make_user("ksk-controller", controller="KSK"))
    found = client.get("/audit/", {"who": "skribent"}).context["changes"]
    assert [c.label for c in found] == [ksk_action.key]
    client.force_login(make_user("ks-controller", controller="KS"))
    found = client.get("/audit/", {"who": "skribent"}).context["changes"]
    assert {c.label for c in found} == {ksk_action.key, sbk_action.key}


def test_the_search_filters_by_kind_item_and_dates(client, ksk_action, make_user):
    edit(ksk_action, make_user("skribent", controller="KSK"), "ändrad")
    client.force_login(make_user("ksk-controller", controller="KSK"))
    found = client.get("/audit/", {"kind": "action", "item": ksk_action.key[-6:]}).context[
        "changes"
    ]
    assert found
    assert all(c.what == str(Action._meta.verbose_name) for c in found)
    assert not client.get("/audit/", {"since": "2099-01-01"}).context["changes"]


def test_a_bad_date_range_is_explained(client, make_user):
    client.force_login(make_user("ksk-controller", controller="KSK"))
    page = client.get("/audit/", {"since": "2022-05-01", "until": "2022-04-01"})
    assert page.status_code == 200
    assert "until" in page.context["form"].errors


def test_reporters_and_anonymous_cannot_search_the_trail(client, make_user):
    assert client.get("/audit/").status_code == 302
    client.force_login(make_user("rapportor", reporter="KSK"))
    assert client.get("/audit/").status_code == 403


def test_the_search_takes_the_same_number_of_queries_however_long_the_trail(
    client, ksk_action, make_user, django_assert_max_num_queries
):
    user = make_user("ksk-controller", controller="KSK")
    client.force_login(user)
    client.get("/audit/")
    # 55: 1 the session, 2 the user, 3 units and 4 memberships for the role scopes, then one
    # query per audited history table (37) and a second one for each table with matching
    # rows (14 in the seed), for the people who made the changes.
    with django_assert_max_num_queries(55) as few:
        client.get("/audit/")
    for n in range(30):
        edit(ksk_action, user, f"version {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/audit/")


def test_administrators_search_role_changes_in_their_units(client, make_user):
    admin = make_user("admin-tsk", admin="TSK")
    accounts.grant_role(
        actor=admin,
        user=make_user("ny", reader="TSK"),  # an administrator manages people at their units
        unit=OrgUnit.objects.get(code="TSK-TINK"),
        role=Role.REPORTER,
    )
    client.force_login(admin)
    found = client.get("/audit/", {"kind": "membership"}).context["changes"]
    assert [(c.who, c.kind) for c in found][:1] == [("admin-tsk", "+")]
