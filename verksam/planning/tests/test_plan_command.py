"""`verksam plan`: the life of a plan from the command line, and clear refusals."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from verksam.plans.models import Amendment, GoalArea, Plan
from verksam.testing import board_controller

# Messages are matched in English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def plan(*args: str) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_make_review_decide_and_compare_a_plan_from_the_command_line():
    board_controller()
    assert "KS-2023: draft, 4 plans made." in plan(
        "create", "--year", "2023", "--from", "2022", "--user", "clara"
    )
    plan("review", "KS-2023", "--user", "clara")
    out = plan(
        "decide", "KS-2023", "--date", "2022-12-14", "--reference", "KS 2022/1 §2",
        "--user", "clara",
    )  # fmt: skip
    assert "decided (KS 2022-12-14, KS 2022/1 §2)" in out
    assert Plan.objects.get(key="KSK-2023").status == "decided"
    assert plan("diff", "KS-2023@review", "KS-2023@decision").count("changed plan") == 4
    assert "removed assignment" in plan("diff", "KS-2022", "KS-2023")


def test_an_amendment_from_a_file(tmp_path):
    board_controller()
    changes = tmp_path / "changes.yaml"
    changes.write_text(
        "- {op: update, kind: goal_area, id: 2022-ma1, fields: {title: Ny titel}}\n",
        encoding="utf-8",
    )
    out = plan(
        "amend", "KS-2022", "--reason", "Ny titel", "--reference", "KS 2022/9 §1",
        "--date", "2022-05-01", "--file", str(changes), "--user", "clara",
    )  # fmt: skip
    assert "KS-2022: amendment 1, 1 item changed." in out
    assert Amendment.objects.get().changes[0]["fields"]["title"][1] == "Ny titel"


def test_an_amendment_file_names_the_version_read_and_a_stale_one_is_refused(tmp_path):
    board_controller()
    area = GoalArea.objects.get(key="2022-ma1")
    changes = tmp_path / "changes.yaml"

    def amend(title: str, version: object) -> str:
        changes.write_text(
            f"- {{op: update, kind: goal_area, id: 2022-ma1, version: {version},"
            f" fields: {{title: {title}}}}}\n",
            encoding="utf-8",
        )
        return plan(
            "amend", "KS-2022", "--reason", "Ny titel", "--reference", "KS 2022/9 §1",
            "--date", "2022-05-01", "--file", str(changes), "--user", "clara",
        )  # fmt: skip

    assert "amendment 1" in amend("Första", area.version)
    with pytest.raises(CommandError, match="since you read it"):
        amend("Andra", area.version)
    with pytest.raises(CommandError, match="the version is a whole number"):
        amend("Andra", "två")
    assert Amendment.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "KS-2022", "--user", "clara"], "cannot become"),
        (["review", "NO-1999", "--user", "clara"], "No plan NO-1999"),
        (["create", "--year", "2023", "--from", "2019", "--user", "clara"], "no plan for 2019"),
        (["create", "--year", "2023", "--owner", "XX", "--user", "clara"], "No unit «XX»"),
        (["archive", "KS-2022", "--user", "nobody"], "No user «nobody»"),
        (["diff", "KS-2022@decision", "KS-2022"], "no stored state at that step"),
        (["diff", "KS-2022@later", "KS-2022"], "after @ comes"),
        (["diff", "KS-1999", "KS-2022"], "No plan KS-1999"),
    ],
)
def test_bad_arguments_get_a_clear_message(args, message):
    board_controller()
    with pytest.raises(CommandError, match=message):
        plan(*args)


def test_the_command_speaks_swedish_by_default():
    board_controller()
    with translation.override("sv"):
        assert "KS-2023: utkast, 4 planer skapade." in plan(
            "create", "--year", "2023", "--from", "2022", "--user", "clara"
        )
        assert "KS-2023: under granskning." in plan("review", "KS-2023", "--user", "clara")
        assert "Inga ändringar." in plan("diff", "KS-2023@review", "KS-2023")
        with pytest.raises(CommandError, match="Användaren «nobody» finns inte"):
            plan("draft", "KS-2023", "--user", "nobody")
