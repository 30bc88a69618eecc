"""Documents follow the plan's state: a draft says "Utkast" on every page and its state on
the cover, a decided plan's cover carries the decision, amendments are listed, and the
changes since another state print when asked."""

import io
from datetime import date

import docx
import pytest
from django.contrib.auth.models import User

from verksam.planning import services
from verksam.planning.diff import diff_states, plan_state, printable
from verksam.plans.models import GoalArea, Plan
from verksam.reports.formats import plan_report
from verksam.reports.pdf import render_pdf
from verksam.reports.plan_document import fetch_plan_content, plan_document
from verksam.testing import board_controller, pdf_pages

pytestmark = pytest.mark.django_db


def document(plan: Plan, **kwargs):
    return plan_document(fetch_plan_content(plan, visible=Plan.objects.all()), **kwargs)


@pytest.fixture
def draft() -> Plan:
    clara = board_controller()
    ks = Plan.objects.get(key="KS-2022")
    return services.create_plan(actor=clara, owner=ks.owner, year=2023, from_plan=ks).plan


@pytest.mark.parametrize(("review", "state"), [(False, "Utkast"), (True, "Under granskning")])
def test_a_draft_says_utkast_on_every_page_and_its_state_on_the_cover(draft, review, state):
    if review:
        services.send_to_review(draft, actor=User.objects.get(username="clara"))
        draft.refresh_from_db()
    printed = document(draft)
    assert printed["draft_mark"] == "Utkast"
    assert ["Status", state] in printed["facts"]
    # The PDF's pages are all set up alike (verksam/reports/typst/plan.typ: the mark is every
    # page's background, and in the running header after the cover), so the draft's first
    # three chapters show it as well as all of its pages (37) would, in less time.
    chapters = [n for n, b in enumerate(printed["blocks"]) if b.get("level") == 1]
    content = render_pdf({**printed, "blocks": printed["blocks"][: chapters[3]]})
    pages = pdf_pages(content)
    assert len(pages) > 3
    assert [
        n for n, page in enumerate(pages, 1) if "UTKAST" not in page and "Utkast" not in page
    ] == []
    word = docx.Document(io.BytesIO(plan_report(draft, "docx", visible=Plan.objects.all())))
    assert word.sections[0].first_page_header.paragraphs[0].text == "UTKAST"
    assert word.sections[0].header.paragraphs[0].text.endswith("(Utkast)")


def test_a_decided_plan_carries_its_decision_and_its_amendments():
    clara = board_controller()
    plan = Plan.objects.get(key="KS-2022")
    area = GoalArea.objects.filter(plan=plan).first()
    services.amend_plan(
        plan, actor=clara, reason="Ny formulering.", reference="KS 2022/77 §3",
        decided_on=date(2022, 6, 1),
        edits=[services.Edit("update", "goal_area", area.key, {"title": "Ny titel"})],
    )  # fmt: skip
    printed = document(plan)
    assert printed["draft_mark"] == ""
    facts = dict(printed["facts"])
    assert facts["Beslutad av"] == "KS"
    assert facts["Reviderad"] == "2022-06-01 (KS 2022/77 §3)"
    amendments = next(
        b for b in printed["blocks"] if b.get("caption") == "Revideringar av den beslutade planen"
    )
    assert amendments["rows"] == [
        ["1", "2022-06-01, KS 2022/77 §3", "Ny formulering.", f"{area.key} (ändrad)"]
    ]


def test_the_changes_since_the_review_print_when_asked(draft):
    changes = printable(diff_states(plan_state(Plan.objects.get(key="KS-2022")), plan_state(draft)))
    printed = document(draft, changes=("Ändringar sedan 2022", changes))
    table = next(b for b in printed["blocks"] if b.get("caption") == "Ändringar sedan 2022")
    assert len(table["rows"]) == len(changes) > 0


def test_the_report_adds_the_changes_since_the_decision(tmp_path):
    from django.core.management import call_command

    output = tmp_path / "plan.docx"
    call_command(
        "report", "plan", "--year", "2022", "--format", "docx", "-o", str(output),
        "--changes-since", "KS-2022",
    )  # fmt: skip
    texts = [p.text for p in docx.Document(str(output)).paragraphs]
    assert "Ändringar sedan KS-2022" in texts
    assert "Inga ändringar." in texts
