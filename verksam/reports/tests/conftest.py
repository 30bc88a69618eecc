"""Fixtures for the report tests: the seed plan's document and files, made once per module
(the seed is loaded once per session and not changed by these fixtures), the seed's budget
rows and risks as texts to look for, and plan items full of hostile text."""

from collections import Counter
from typing import Any

import pytest

from verksam.budget.models import BudgetRow
from verksam.plans.models import Action, Assignment, Plan
from verksam.reports.plan_document import fetch_plan_content, plan_document
from verksam.risks.models import Risk, RiskAnalysis
from verksam.testing import FORMULA, HOSTILE, LONG_WORD, letters


@pytest.fixture(scope="module")
def seed_document(django_db_setup: None, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        plan = Plan.objects.select_related("owner").get(key="KS-2022")
        return plan_document(fetch_plan_content(plan, visible=Plan.objects.all()))


@pytest.fixture
def hostile_action(db: None, seed_editable: None) -> Action:
    """An action of KSK's first assignment with hostile texts and empty fields."""
    assignment = Assignment.objects.get(key="ksk-2022-1.1-u1")
    return Action.objects.create(
        key="hostile",
        plan=assignment.plan,
        goal_area=assignment.goal_area,
        assignment=assignment,
        text=HOSTILE,
        completion_criterion=f"{LONG_WORD} {FORMULA}",
        responsible_raw="",
        start_raw="",
        end_raw="+46 @ -1",
        position=999,
    )


@pytest.fixture
def budget_rows(db: None) -> Counter[str]:
    """Every budget row of the seed as its label and its figures as printed, letters and
    digits only (so `12,0%` matches `12,0 %` and `- 6 406` matches `-6 406`)."""
    rows = BudgetRow.objects.prefetch_related("cells")
    return Counter(letters(" ".join([r.label, *(c.raw for c in r.cells.all())])) for r in rows)


@pytest.fixture
def risk_texts(db: None) -> Counter[str]:
    """Every risk of the seed as the seed prints it ("Title. Description", "Risk: Description"
    with "Åtgärd: Measures"), letters and digits only."""
    texts: Counter[str] = Counter()
    for risk in Risk.objects.all():
        label = risk.title or ("Risk:" if risk.measures else "")
        texts[letters(f"{label} {risk.description}")] += 1
        if risk.measures:
            texts[letters(f"{risk.measures_label} {risk.measures}")] += 1
    return texts


@pytest.fixture
def hostile_risk(db: None, seed_editable: None) -> Risk:
    """A risk of KSK's analysis with hostile texts."""
    return Risk.objects.create(
        key="hostile-risk",
        analysis=RiskAnalysis.objects.get(key="ksk-2022-risk-analysis"),
        title=FORMULA,
        description=HOSTILE,
        measures_label="@Åtgärd:",
        measures=f"{LONG_WORD} -1+2",
        position=999,
    )
