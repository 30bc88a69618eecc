"""One meaning of "late" (docs/followup.md, "Late"): the end, read with its precision, has
passed and the item is not reported done or cancelled as of the day asked. The overview,
the lists and their filter, the follow-up, its API, its report and the item pages agree."""

import pytest
from django.urls import reverse
from django.utils import timezone

from verksam.followup import reporting, services
from verksam.followup.models import ReportingPeriod, StatusReport
from verksam.plans.models import Action, Assignment, ended_before
from verksam.reports.followup_document import fetch_followup_data
from verksam.testing import example_controller, example_round, sv

pytestmark = pytest.mark.django_db


def test_the_april_rounds_late_actions_agree_everywhere(client, monkeypatch):
    period = example_round()
    day = period.as_of
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    client.force_login(example_controller())
    actions = Action.objects.filter(plan__in=period.plans())
    late = set(actions.late(on=day).values_list("key", flat=True))
    finished = set(
        StatusReport.objects.filter(period=period, status__in=["done", "cancelled"])
        .exclude(action=None)
        .values_list("action__key", flat=True)
    )
    past_end = set(actions.filter(ended_before(day)).values_list("key", flat=True))
    # The round has actions past their end that were reported done: they are not late.
    assert past_end & finished
    assert late == past_end - finished

    rows = {r.key for r in reporting.rows_for(period) if r.kind == "action" and r.late}
    assert rows == late
    overview = client.get(reverse("pages:plan_overview", args=[period.plan.key]))
    assert overview.context["late_total"].count == len(late)
    shown = {a.key for a in overview.context["late"]}
    assert shown <= late
    listed = client.get(reverse("pages:action_list"), {"plan": period.plan.key, "late": "on"})
    assert listed.context["page"].paginator.count == len(late)
    reports = client.get(f"/api/followup/periods/{period.key}/status-reports").json()
    assert {r["item"] for r in reports if r["late"] and r["item_kind"] == "action"} == (
        late & {r["item"] for r in reports}
    )
    document = fetch_followup_data(period).data
    assert {i["key"] for i in document["items"] if i["kind"] == "action" and i["late"]} == late


def test_an_action_reported_done_is_not_late_on_its_page_or_in_the_list(client, monkeypatch):
    period = example_round()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: period.as_of)
    done = (
        Action.objects.filter(
            ended_before(period.as_of),
            status_reports__period=period,
            status_reports__status="done",
        )
        .order_by("pk")
        .first()
    )
    client.force_login(example_controller())
    tag = f'<span class="tag tag--late">{sv("late")}</span>'
    listed = client.get(reverse("pages:action_list"), {"plan": period.plan.key}).content.decode()
    row = listed[listed.index(done.get_absolute_url()) :]
    assert tag not in row[: row.index("</tr>")]
    page = client.get(done.get_absolute_url())
    assert page.context["followup"].rows == [(done.status_reports.get(), False)]


def test_a_draft_report_of_done_tells_nothing_to_those_who_may_not_read_it(client, monkeypatch):
    """An open round's reports are drafts (docs/security.md): until it closes, "done" in it
    does not take an action off the public's late list; a reader at the board sees it."""
    from django.contrib.auth.models import AnonymousUser

    from verksam.testing import close_round, make_user

    period = example_round()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: period.as_of)
    actions = Action.objects.filter(plan__in=period.plans())
    done = set(
        actions.filter(
            ended_before(period.as_of),
            status_reports__period=period,
            status_reports__status="done",
        ).values_list("key", flat=True)
    )
    assert done

    def late_for(user) -> set[str]:
        return set(actions.late(on=period.as_of, reader=user).values_list("key", flat=True))

    def overview_figure() -> int:
        page = client.get(reverse("pages:plan_overview", args=[period.plan.key]))
        return page.context["late_total"].count

    assert done <= late_for(AnonymousUser())
    assert overview_figure() == len(late_for(AnonymousUser()))
    reader = make_user("ks-reader", reader="KS")
    assert not done & late_for(reader)
    client.force_login(reader)
    assert overview_figure() == len(late_for(reader))
    close_round(period, actor=example_controller())
    assert not done & late_for(AnonymousUser())
    client.logout()
    listed = client.get(reverse("pages:action_list"), {"plan": period.plan.key, "late": "on"})
    assert listed.context["page"].paginator.count == len(late_for(AnonymousUser()))


@pytest.mark.parametrize("kind", ["action", "assignment"])
def test_an_item_reported_in_several_rounds_has_its_page(client, kind):
    # Its lateness on each round's as-of date is one union query; the model's default
    # ordering must not reach the union (an error on SQLite, found by bench/dataset.py's
    # years of rounds).
    period = example_round()
    controller = example_controller()
    services.create_periods(period.plan, actor=controller)
    services.open_period(period, actor=controller)
    later = ReportingPeriod.objects.filter(plan=period.plan, as_of__gt=period.as_of)[0]
    model = {"action": Action, "assignment": Assignment}[kind]
    item = model.objects.filter(plan__in=period.plans()).order_by("pk")[0]
    for round_ in (period, later):
        StatusReport.objects.create(period=round_, status="on_track", **{kind: item})
    client.force_login(controller)
    assert client.get(item.get_absolute_url()).status_code == 200
