"""No value takes a page down (issue 10 §2): hostile values fed through every text and number
field of the reporting forms and the API, and hostile values written straight to the database
as an older version could have stored them (on a second set of items, so that one round holds
both); then every page and document of the round, the history and the snapshot render, and the
documents open."""

import io
from decimal import Decimal
from typing import Any

import docx
import openpyxl
import pypdf
import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from verksam.followup import services
from verksam.followup.models import (
    IndicatorOutcome,
    Judgement,
    ReportingPeriod,
    StatusReport,
)
from verksam.indicators.models import Indicator
from verksam.plans.models import Action, Assignment, Objective
from verksam.testing import HOSTILE_NUMBERS, HOSTILE_TEXTS, close_round, deviation

pytestmark = pytest.mark.django_db

STATUS_TEXTS = ("cause", "remedy", "new_forecast", "comment")
OUTCOME_TEXTS = ("raw", "source", "comment")
OUTCOME_NUMBERS = ("raw", "women", "men")


@pytest.fixture
def indicator(db) -> Indicator:
    """An indicator of KSK with a number as its 2022 target."""
    return Indicator.objects.get(key="ksk-2022-1.1-i1")


@pytest.fixture
def objective(db) -> Objective:
    return Objective.objects.get(key="2022-1.1")


@pytest.fixture
def stored_items(db) -> dict[str, Any]:
    """The items that get the values an older version stored: other ones than the forms'."""
    return {
        "action": Action.objects.get(key="ksk-2022-1.1-u1-a1"),
        "assignment": Assignment.objects.get(key="ksk-2022-1.2-u3"),
        "indicator": Indicator.objects.get(key="ksk-2022-1.1-i2"),
        "objective": Objective.objects.get(key="2022-1.2"),
    }


def sendable(value: str) -> bool:
    """Whether a browser can send the value in a form (it replaces a lone surrogate)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def version_of(rows: Any) -> str:
    return str(rows.values_list("version", flat=True).first() or 0)


def post(client: Any, url: str, data: dict[str, Any]) -> None:
    """A form post must give the form back with its errors (200) or save and redirect."""
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, data, response.status_code)


def round_pages(
    period: ReportingPeriod, item_sets: list[dict[str, Any]], objectives: list[Objective]
) -> list[str]:
    """Every page that shows the round's reports, the items' pages with their history, the
    lists filtered by the round, and the audit search."""
    key = period.key
    pages = [
        reverse("followup:period_detail", args=[key]),
        reverse("followup:period_attainment", args=[key]),
        reverse("pages:plan_detail", args=["KS-2022"]),
        reverse("pages:plan_detail", args=["KSK-2022"]),
        reverse("pages:plan_overview", args=["KS-2022"]),
        reverse("pages:action_list") + f"?period={key}&status=delayed",
        reverse("pages:assignment_list") + f"?period={key}",
        reverse("pages:indicator_list"),
        reverse("audit:search"),
        reverse("search:search") + "?q=%00NUL%0B",
        f"/api/followup/periods/{key}/status-reports",
    ]
    for objective in objectives:
        pages += [
            reverse("followup:judgement_edit", args=[key, "objective", objective.pk]),
            reverse("pages:objective_detail", args=[objective.key]),
        ]
    if period.is_open:
        pages += [
            reverse("followup:report_list"),
            reverse("followup:period_board", args=[key]),
            reverse("followup:period_checks", args=[key]),
        ]
    for items in item_sets:
        if period.is_open:
            pages.append(reverse("followup:outcome_assess", args=[key, items["indicator"].key]))
            pages += [
                reverse("followup:report_edit", args=[key, kind, item.key])
                for kind, item in items.items()
            ]
        for kind, item in items.items():
            pages.append(reverse(f"pages:{kind}_detail", args=[item.key]))
    for snapshot in period.snapshots.all():
        pages.append(snapshot.get_absolute_url())
    return pages


def assert_round_renders(
    client: Any,
    period: ReportingPeriod,
    item_sets: list[dict[str, Any]],
    objectives: list[Objective],
) -> None:
    period.refresh_from_db()
    for page in round_pages(period, item_sets, objectives):
        assert client.get(page).status_code == 200, page
    # The whole round's documents (an office's print the same values, fewer of them).
    for format_name, opens in (("pdf", open_pdf), ("docx", open_docx), ("xlsx", open_xlsx)):
        url = reverse("reports:followup_download", args=[period.key, format_name])
        response = client.get(url)
        assert response.status_code == 200, url
        opens(b"".join(response.streaming_content) if response.streaming else response.content)


def open_pdf(content: bytes) -> None:
    assert pypdf.PdfReader(io.BytesIO(content)).pages


def open_docx(content: bytes) -> None:
    assert docx.Document(io.BytesIO(content)).paragraphs


def open_xlsx(content: bytes) -> None:
    assert openpyxl.load_workbook(io.BytesIO(content)).worksheets


def post_hostile_values(
    client: Any, april: ReportingPeriod, items: dict[str, Any], objective: Objective
) -> None:
    """Every hostile text through every text field of the status, outcome, assessment and
    judgement forms and of the status API, every hostile number through every number field;
    each form comes back with its errors or saves, the API accepts or refuses (422)."""
    stab_action, hyres, indicator = items["action"], items["assignment"], items["indicator"]
    texts = [v for v in HOSTILE_TEXTS if sendable(v)]
    for kind, item in (("action", stab_action), ("assignment", hyres)):
        url = reverse("followup:report_edit", args=[april.key, kind, item.key])
        rows = StatusReport.objects.for_item(item)
        for field in STATUS_TEXTS:
            for value in texts:
                post(client, url, {**deviation(**{field: value}), "version": version_of(rows)})
    url = reverse("followup:report_edit", args=[april.key, "indicator", indicator.key])
    outcomes = IndicatorOutcome.objects.filter(indicator=indicator)
    for field, values in [
        *((f, texts) for f in OUTCOME_TEXTS),
        *((f, HOSTILE_NUMBERS) for f in OUTCOME_NUMBERS),
    ]:
        for value in values:
            data = {"raw": "2,4 %", field: value}
            post(client, url, {**data, "version": version_of(outcomes)})
    assess = reverse("followup:outcome_assess", args=[april.key, indicator.key])
    judge = reverse("followup:judgement_edit", args=[april.key, "objective", objective.pk])
    judgements = Judgement.objects.filter(objective=objective)
    for value in texts:
        data = {"attainment": "partly", "motivation": value}
        post(client, assess, {**data, "version": version_of(outcomes)})
        post(client, judge, {**data, "version": version_of(judgements)})
    api = f"/api/followup/periods/{april.key}/action/{stab_action.key}/status"
    rows = StatusReport.objects.for_item(stab_action)
    for field in STATUS_TEXTS:
        for value in HOSTILE_TEXTS:
            body = {**deviation(**{field: value}), "version": int(version_of(rows))}
            response = client.put(api, body, content_type="application/json")
            assert response.status_code in (200, 422), (field, value[:20], response.content)
    # What was accepted is in the reports now; every page and document shows it.
    assert StatusReport.objects.for_item(stab_action).get().version > 1


def stored_values() -> tuple[str, Decimal | None]:
    """A text and a number an older version could store: NUL and a number beyond 11 digits
    only in SQLite (PostgreSQL refuses both)."""
    if connection.vendor == "sqlite":
        return "Word\x0bbrytning NUL\x00 escape\x1b" + "y" * 30_000, Decimal("123456789012345")
    return "Word\x0bbrytning escape\x1b\x7f" + "y" * 30_000, None


def store_hostile_values(
    april: ReportingPeriod, controller: Any, items: dict[str, Any], objective: Objective
) -> None:
    """The items' reports written with hostile values straight to the database (and their
    history), as an older version could have stored them."""
    action, assignment, indicator = items["action"], items["assignment"], items["indicator"]
    for item in (action, assignment):
        services.submit_status(april, item, actor=controller, expected_version=0, **deviation())
    services.record_outcome(april, indicator, actor=controller, expected_version=0, raw="12")
    services.judge(april, objective, actor=controller, expected_version=0,
                   attainment="met", motivation="Bra.")  # fmt: skip
    text, number = stored_values()
    model: Any
    for model in (StatusReport, StatusReport.history.model):
        model.objects.filter(Q(action=action) | Q(assignment=assignment)).update(
            cause=text, remedy=text, new_forecast=text, comment=text
        )
    for model in (IndicatorOutcome, IndicatorOutcome.history.model):
        rows = model.objects.filter(indicator=indicator)
        rows.update(source=text, comment=text)
        if number is not None:
            rows.update(raw=str(number), number=number, women=number, men=-number)
    for model in (Judgement, Judgement.history.model):
        model.objects.filter(objective=objective).update(motivation=text)
    Action.objects.filter(pk=action.pk).update(completion_criterion=text)
    Assignment.objects.filter(pk=assignment.pk).update(title=f"{assignment.title} {text[:40]}")


def test_hostile_values_from_the_forms_and_an_older_version_take_no_page_down(
    client, april, controller, stab_action, hyres, indicator, objective, stored_items
):
    """The forms' and the API's values on one set of items, an older version's on another:
    the round renders with both, open and closed (rendered once for both sets)."""
    client.force_login(controller)
    posted = {"action": stab_action, "assignment": hyres, "indicator": indicator}
    post_hostile_values(client, april, posted, objective)
    stored = {kind: stored_items[kind] for kind in ("action", "assignment", "indicator")}
    store_hostile_values(april, controller, stored, stored_items["objective"])
    objectives = [objective, stored_items["objective"]]
    assert_round_renders(client, april, [posted, stored], objectives)
    close_round(april, actor=controller)
    assert_round_renders(client, april, [posted, stored], objectives)
