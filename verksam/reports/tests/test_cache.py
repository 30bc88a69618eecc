"""Documents of decided plans and closed rounds come from the cache, keyed by their
content: a second download does not typeset again, a change to the data does."""

from unittest import mock

import pytest

from verksam.plans.models import Action, Plan
from verksam.reports import formats

pytestmark = pytest.mark.django_db


def counted() -> mock.MagicMock:
    """render_docx, wrapped to count its calls (Word: fast enough to make twice)."""
    return mock.MagicMock(wraps=formats.render_docx)


def test_a_decided_plan_is_typeset_once_and_again_after_a_change(seed_editable: None) -> None:
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    assert plan.is_locked
    docx = counted()
    with mock.patch.object(formats, "render_docx", docx):
        first = formats.plan_report(plan, "docx", visible=Plan.objects.all())
        again = formats.plan_report(plan, "docx", visible=Plan.objects.all())
        assert docx.call_count == 1
        assert again == first
        action = Action.objects.filter(plan=plan).earliest("pk")
        action.text = "Ny text"
        action.save()
        changed = formats.plan_report(plan, "docx", visible=Plan.objects.all())
    assert docx.call_count == 2
    assert changed != first


def test_a_draft_is_never_cached(seed_editable: None) -> None:
    Plan.objects.filter(key="KSK-2022").update(status=Plan.Status.DRAFT)
    plan = Plan.objects.select_related("owner").get(key="KSK-2022")
    docx = counted()
    with mock.patch.object(formats, "render_docx", docx):
        formats.plan_report(plan, "docx", visible=Plan.objects.all())
        formats.plan_report(plan, "docx", visible=Plan.objects.all())
    assert docx.call_count == 2
