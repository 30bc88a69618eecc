"""The plan's life: every transition allowed and refused, a decided plan read-only through
the services, the model and the loader, amendments recorded, the diff."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from verksam.imports.services import load_plan
from verksam.imports.sources import DataError
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.planning.diff import diff_states, plan_state
from verksam.planning.models import ReviewComment
from verksam.planning.review import add_comment, close_comment
from verksam.plans.models import (
    Action,
    Amendment,
    Assignment,
    GoalArea,
    Objective,
    Plan,
    PlanLocked,
    PlanSection,
    PlanSnapshot,
)
from verksam.search.models import SearchDocument
from verksam.testing import board_controller, make_draft, multiply_seed

# Messages are matched in English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DECISION = {"decided_by": "KS", "decided_on": date(2022, 12, 14), "reference": "KS 2022/123 §45"}


@pytest.fixture
def clara():
    return board_controller()


@pytest.fixture
def draft(clara) -> Plan:
    """KS's 2023 plan, made from 2022: a draft with the frame of the board's plan."""
    ks = OrgUnit.objects.get(code="KS")
    return services.create_plan(
        actor=clara, owner=ks, year=2023, from_plan=Plan.objects.get(key="KS-2022")
    ).plan


def test_a_plan_made_from_last_year_has_its_frame_and_empty_targets(draft):
    assert (draft.key, draft.status) == ("KS-2023", Plan.Status.DRAFT)
    # The horizon moves on a year and keeps its length (Mål och budget 2022–2024 → 2023–2025).
    assert set(Plan.objects.filter(year=2023).values_list("horizon_start", "horizon_end")) == {
        (2023, 2025)
    }
    assert set(Plan.objects.filter(year=2023).values_list("key", flat=True)) == {
        "KS-2023",
        "KSK-2023",
        "SBK-2023",
        "TSK-2023",
    }
    assert (
        GoalArea.objects.filter(plan=draft).count()
        == GoalArea.objects.filter(plan__key="KS-2022").count()
    )
    assert (
        Objective.objects.filter(goal_area__plan=draft).count()
        == Objective.objects.filter(goal_area__plan__key="KS-2022").count()
    )
    assert (
        PlanSection.objects.filter(plan__year=2023).count()
        == PlanSection.objects.filter(plan__year=2022).count()
    )
    assert (
        Indicator.objects.filter(plan__year=2023).count()
        == Indicator.objects.filter(plan__year=2022).count()
    )
    new_targets = IndicatorValue.objects.filter(
        indicator__plan__year=2023, kind="target", year=2023, raw=""
    )
    assert (
        new_targets.count()
        == Indicator.objects.filter(plan__year=2022)
        .exclude(values__kind="target", values__year=2023)
        .count()
    )
    assert not Assignment.objects.filter(plan__year=2023).exists()  # nothing decided to carry over


def test_the_frame_is_copied_with_its_values_history_and_search_documents(draft, clara):
    old = Indicator.objects.get(key="ksk-2022-1.1-i1")
    new = Indicator.objects.get(key="ksk-2023-1.1-i1")
    assert (new.name, new.unit, new.plan.key) == (old.name, old.unit, "KSK-2023")
    fields = ("kind", "year", "label", "raw", "number", "women", "men")
    assert (
        list(old.values.values_list(*fields))
        == [row for row in new.values.values_list(*fields) if row[:2] != ("target", 2023)]
        or old.values.filter(kind="target", year=2023).exists()
    )
    assert list(new.responsibilities.values_list("unit", "role")) == list(
        old.responsibilities.values_list("unit", "role")
    )
    for row in (new, new.values.first(), PlanSection.objects.filter(plan=draft).first()):
        assert row.history.get().history_user == clara  # one record each: "created by Clara"
    assert SearchDocument.objects.filter(indicator=new).exists()


def test_making_a_plan_from_last_year_runs_the_same_queries_whatever_the_size(clara):
    """The frame is written in bulk: a few queries per kind, not per indicator or value."""
    ks, board = OrgUnit.objects.get(code="KS"), Plan.objects.get(key="KS-2022")

    def queries() -> list[str]:
        with CaptureQueriesContext(connection) as made, transaction.atomic():
            services.create_plan(actor=clara, owner=ks, year=2023, from_plan=board)
            transaction.set_rollback(True)
        return [q["sql"] for q in made]

    at_one = queries()
    multiply_seed(3)
    assert len(queries()) == len(at_one), "\n".join(at_one)


def test_a_second_plan_for_the_same_owner_and_year_is_refused(draft, clara):
    with pytest.raises(ValidationError, match="already has a plan"):
        services.create_plan(actor=clara, owner=draft.owner, year=2023)


def test_a_reader_cannot_make_a_plan(make_user):
    reader = make_user("lasse", reader="KS")
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=reader, owner=OrgUnit.objects.get(code="KS"), year=2023)


def test_the_whole_life_moves_the_board_plan_and_its_parts(draft, clara):
    services.send_to_review(draft, actor=clara)
    assert set(Plan.objects.filter(year=2023).values_list("status", flat=True)) == {"review"}
    services.return_to_draft(draft, actor=clara)
    services.send_to_review(draft, actor=clara)
    services.decide_plan(draft, actor=clara, **DECISION)
    part = Plan.objects.get(key="KSK-2023")
    assert (part.status, part.decided_by, part.decided_on, part.decision_reference) == (
        "decided",
        "KS",
        date(2022, 12, 14),
        "KS 2022/123 §45",
    )
    assert list(PlanSnapshot.objects.filter(plan=draft).values_list("event", flat=True)) == [
        "review",
        "review",
        "decision",
    ]
    services.archive_plan(draft, actor=clara)
    assert Plan.objects.get(key="KS-2023").status == "archived"
    assert draft.history.first().history_user == clara


@pytest.mark.parametrize(
    ("status", "verb"),
    [
        ("draft", "decide"),
        ("draft", "archive"),
        ("draft", "draft"),
        ("review", "review"),
        ("review", "archive"),
        ("decided", "review"),
        ("decided", "draft"),
        ("decided", "decide"),
        ("archived", "review"),
        ("archived", "draft"),
        ("archived", "decide"),
        ("archived", "archive"),
    ],
)
def test_a_move_the_plans_life_does_not_allow_is_refused_and_changes_nothing(clara, status, verb):
    # An empty plan: the moves do not depend on the content (and it is quick to make).
    draft = services.create_plan(actor=clara, owner=OrgUnit.objects.get(code="KS"), year=2023).plan
    Plan.objects.filter(year=2023).update(status=status)
    do = {
        "review": lambda: services.send_to_review(draft, actor=clara),
        "draft": lambda: services.return_to_draft(draft, actor=clara),
        "decide": lambda: services.decide_plan(draft, actor=clara, **DECISION),
        "archive": lambda: services.archive_plan(draft, actor=clara),
    }[verb]
    with pytest.raises(ValidationError, match="cannot become"):
        do()
    assert set(Plan.objects.filter(year=2023).values_list("status", flat=True)) == {status}


def test_a_decision_needs_body_date_and_reference(draft, clara):
    services.send_to_review(draft, actor=clara)
    with pytest.raises(ValidationError) as refused:
        services.decide_plan(draft, actor=clara, decided_by="", decided_on=None, reference="a\nb")
    assert set(refused.value.message_dict) == {"decided_by", "decided_on", "reference"}
    assert Plan.objects.get(key="KS-2023").status == "review"


def test_items_are_created_edited_moved_and_deleted_in_a_draft(draft, clara):
    ksk = Plan.objects.get(key="KSK-2023")
    area = GoalArea.objects.filter(plan=draft).first()
    assignment = services.create_item(
        "assignment",
        ksk,
        actor=clara,
        fields={"title": "Nytt uppdrag", "kind": "office_initiative", "goal_area": area.key},
    )
    action = services.create_item(
        "action",
        ksk,
        actor=clara,
        fields={
            "text": "Ny åtgärd",
            "goal_area": area.key,
            "assignment": assignment.key,
            "end_raw": "31 mars 2023",
            "responsible_units": [{"unit": "KSK", "role": "lead"}],
        },
    )
    assert (action.end_date, action.end_precision) == (date(2023, 3, 31), "day")
    updated = services.update_item(
        action, actor=clara, expected_version=1, fields={"text": "Ändrad"}
    )
    assert (updated.text, updated.version) == ("Ändrad", 2)
    with pytest.raises(services.EditConflict):
        services.update_item(action, actor=clara, expected_version=1, fields={"text": "Sent"})
    assert Action.objects.get(pk=action.pk).text == "Ändrad"
    other = Objective.objects.filter(goal_area=area).first()
    moved = services.move_item(updated, actor=clara, expected_version=2, objective=other.key)
    assert moved.objective == other
    services.delete_item(moved, actor=clara, expected_version=3)
    assert not Action.objects.filter(pk=action.pk).exists()


def test_bad_input_is_refused_by_field_and_nothing_is_written(draft, clara):
    ksk = Plan.objects.get(key="KSK-2023")
    with pytest.raises(ValidationError) as refused:
        services.create_item(
            "assignment",
            ksk,
            actor=clara,
            fields={"title": "", "kind": "nonsense", "goal_area": "finns-inte", "colour": "röd"},
        )
    assert set(refused.value.message_dict) == {"title", "kind", "goal_area", "colour"}
    assert not Assignment.objects.filter(plan=ksk).exists()


def test_a_decided_plan_refuses_edits_through_the_services_and_the_model(clara):
    action = Action.objects.filter(plan__key="KSK-2022").first()
    with pytest.raises(PlanLocked):
        services.update_item(
            action, actor=clara, expected_version=action.version, fields={"text": "x"}
        )
    with pytest.raises(PlanLocked):
        services.create_item("action", action.plan, actor=clara, fields={"text": "x"})
    action.text = "Direkt ändrad"
    with pytest.raises(PlanLocked):
        action.save()
    with pytest.raises(PlanLocked):
        action.delete()
    plan = Plan.objects.get(key="KS-2022")
    plan.title = "Ny titel"
    with pytest.raises(PlanLocked):
        plan.save()


def test_an_amendment_changes_a_decided_plan_and_records_what_it_changed(clara):
    action = Action.objects.filter(plan__key="KSK-2022").first()
    plan = Plan.objects.get(key="KS-2022")
    amendment = services.amend_plan(
        plan,
        actor=clara,
        reason="Ny tidplan.",
        reference="KS 2022/200 §7",
        decided_on=date(2022, 6, 1),
        edits=[services.Edit("update", "action", action.key, {"end_raw": "31 dec 2022"})],
    )
    action.refresh_from_db()
    assert action.end_raw == "31 dec 2022"
    assert (amendment.number, amendment.made_by) == (1, clara)
    assert amendment.changes == [
        {
            "kind": "action",
            "key": action.key,
            "change": "changed",
            "title": action.text,
            "fields": {
                "end_raw": [Action.history.filter(id=action.pk).last().end_raw, "31 dec 2022"]
            },
        }
    ]
    assert amendment.snapshot.event == "amendment"


def test_an_amendment_that_fails_or_changes_nothing_leaves_no_trace(clara):
    plan = Plan.objects.get(key="KS-2022")
    action = Action.objects.filter(plan__key="KSK-2022").first()
    with pytest.raises(ValidationError, match="Change 2"):
        services.amend_plan(
            plan,
            actor=clara,
            reason="R",
            reference="KS 1",
            decided_on=date(2022, 6, 1),
            edits=[
                services.Edit("update", "action", action.key, {"text": "Ändrad"}),
                services.Edit("update", "action", action.key, {"text": ""}),
            ],
        )
    action.refresh_from_db()
    assert action.text != "Ändrad"
    with pytest.raises(ValidationError, match="changes nothing"):
        services.amend_plan(
            plan, actor=clara, reason="R", reference="KS 1", decided_on=date(2022, 6, 1), edits=[]
        )
    assert not Amendment.objects.exists()


def test_the_diff_finds_items_added_removed_and_changed_field_by_field(draft, clara):
    before = plan_state(draft)
    ksk = Plan.objects.get(key="KSK-2023")
    area = GoalArea.objects.filter(plan=draft).first()
    services.create_item(
        "assignment",
        ksk,
        actor=clara,
        fields={
            "id": "ksk-2023-ny",
            "title": "Nytt",
            "kind": "office_initiative",
            "goal_area": area.key,
        },
    )
    services.update_item(area, actor=clara, expected_version=1, fields={"title": "Ny rubrik"})
    section = PlanSection.objects.filter(plan=ksk).last()
    services.delete_item(section, actor=clara, expected_version=1)
    changes = {(c.kind, c.key, c.change): c for c in diff_states(before, plan_state(draft))}
    assert set(changes) == {
        ("assignment", "ksk-2023-ny", "added"),
        ("goal_area", area.key, "changed"),
        ("section", section.key, "removed"),
    }
    field = changes["goal_area", area.key, "changed"].fields[0]
    assert (field.name, field.after) == ("title", "Ny rubrik")


def test_two_years_plans_compare_item_by_item(draft):
    changes = diff_states(plan_state(Plan.objects.get(key="KS-2022")), plan_state(draft))
    kinds = {(c.kind, c.change) for c in changes}
    # 2023 has the frame but not the assignments and actions; the targets gained a year.
    assert {("assignment", "removed"), ("action", "removed")} <= kinds
    assert not {k for k in kinds if k[0] in ("goal_area", "objective", "section")}
    changed = {f.name for c in changes if c.change == "changed" for f in c.fields}
    assert changed == {"title", "status", "decided_by", "horizon_start", "horizon_end", "values"}


SEED = Path(settings.DEMO_PLAN_DIR)


def test_the_loader_reloads_a_decided_plan_unchanged_and_refuses_a_change(tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    assert not load_plan([folder]).changed
    path = folder / "sbk.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["actions"][0]["text"] = "Ändrad åtgärd"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_plan([folder])
    message = str(refused.value)
    assert "sbk.yaml:" in message
    assert data["actions"][0]["id"] in message
    assert "verksam plan amend" in message
    assert not Action.objects.filter(text="Ändrad åtgärd").exists()


@pytest.mark.parametrize(
    ("file", "old", "new", "key"),
    [
        ("budget.yaml", '2020: "83 174"', '2020: "83 175"', "ksk-2022-operating-income"),
        ("risks.yaml", "title: Hög arbetsbelastning", "title: Låg arbetsbelastning",
         "ksk-2022-risk1"),
        ("risks.yaml", "title: Informationssäkerhet,", "title: IT-säkerhet,", "ks-2022-ic2"),
    ],
)  # fmt: skip
def test_the_loader_refuses_a_change_to_a_decided_plans_budget_and_risks_at_the_item(
    tmp_path, file, old, new, key
):
    """Budget rows and risks are items of tables and analyses: the refusal names them."""
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_plan([folder])
    message = str(refused.value)
    assert f"{file}:" in message
    assert key in message
    assert "verksam plan amend" in message


FAMILY = ["KS-2022", "KSK-2022", "SBK-2022", "TSK-2022"]


def statuses() -> set[str]:
    return set(Plan.objects.filter(key__in=FAMILY).values_list("status", flat=True))


def test_the_loader_moves_a_stored_plan_only_along_its_life(tmp_path, clara):
    """A file's status is a step of the plan's life like the services': a stored draft is
    not decided without a review, nor with a review comment open; each step is stored."""
    for key in FAMILY:
        make_draft(key)
    with pytest.raises(DataError) as refused:
        load_plan([SEED])  # the files say decided
    assert "cannot become decided (allowed: in review)" in str(refused.value)
    assert "plan.yaml" in str(refused.value)
    assert statuses() == {"draft"}
    folder = tmp_path / "plan"
    shutil.copytree(SEED, folder)
    path = folder / "plan.yaml"
    decided = path.read_text(encoding="utf-8")
    path.write_text(decided.replace("status: decided", "status: review"), encoding="utf-8")
    load_plan([folder])
    assert statuses() == {"review"}
    ks = Plan.objects.get(key="KS-2022")
    assert ks.snapshots.get().event == PlanSnapshot.Event.REVIEW
    comment = add_comment(GoalArea.objects.filter(plan=ks).first(), actor=clara, text="Varför?")
    path.write_text(decided, encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load_plan([folder])
    assert "1 review comment is open" in str(refused.value)
    assert statuses() == {"review"}
    close_comment(comment, actor=clara, status=ReviewComment.Status.RESOLVED)
    load_plan([folder])
    assert statuses() == {"decided"}
    assert [s.event for s in ks.snapshots.order_by("pk")] == ["review", "decision"]
