"""Read API for plans: what is public on the web is public here, drafts need a login."""

from django.http import HttpRequest
from ninja import Router, Schema

from verksam.core.validation import Year, get_by_key
from verksam.plans.models import Plan

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: str
    owner: str
    year: int
    parent: str | None
    title: str
    status: str
    horizon_start: int
    horizon_end: int


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        id=plan.key,
        owner=plan.owner.code,
        year=plan.year,
        parent=plan.parent.key if plan.parent else None,
        title=plan.title,
        status=plan.status,
        horizon_start=plan.horizon_start,
        horizon_end=plan.horizon_end,
    )


def visible_plans(request: HttpRequest):
    return Plan.objects.visible_to(request.user).select_related("owner", "parent")


@router.get("", response=list[PlanOut])
def list_plans(request: HttpRequest, year: Year | None = None) -> list[PlanOut]:
    plans = visible_plans(request)
    if year is not None:
        plans = plans.filter(year=year)
    return [plan_out(p) for p in plans]


@router.get("/{key}", response=PlanOut)
def get_plan(request: HttpRequest, key: str) -> PlanOut:
    return plan_out(get_by_key(visible_plans(request), key))
