"""Read API for a plan's risk analyses and the internal-control areas that apply to it."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Router, Schema

from verksam.core.validation import get_by_key
from verksam.plans.models import Plan
from verksam.risks.models import InternalControlArea, RiskAnalysis

router = Router(tags=["risks"])


class RiskOut(Schema):
    id: str
    title: str
    description: str
    measures_label: str
    measures: str
    probability: int | None
    consequence: int | None
    value: int | None


class RiskAnalysisOut(Schema):
    id: str
    plan: str
    heading: str
    intro: str
    risks: list[RiskOut]


class ControlPointOut(Schema):
    id: str
    risk: str
    control: str
    method: str
    responsible: str
    responsible_units: list[str]
    frequency: str
    reporting: str


class InternalControlAreaOut(Schema):
    id: str
    plan: str
    title: str
    origin: str
    description: str
    points: list[ControlPointOut]


class RisksOut(Schema):
    plan: str
    analyses: list[RiskAnalysisOut]
    internal_control_areas: list[InternalControlAreaOut]


@router.get("/{key}", response=RisksOut)
def get_risks(request: HttpRequest, key: str) -> RisksOut:
    """The plan's (and its parts') risk analyses and the internal-control areas that apply."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_by_key(visible, key)
    family = visible.family(plan)
    analyses = (
        RiskAnalysis.objects.filter(plan__in=family)
        .select_related("plan")
        .prefetch_related("risks")
        .in_document_order()
    )
    areas = (
        InternalControlArea.objects.filter(Q(plan__in=family) | Q(plan=plan.parent_id))
        .select_related("plan")
        .prefetch_related("points__responsible_units")
        .in_document_order()
    )
    return RisksOut(
        plan=plan.key,
        analyses=[
            RiskAnalysisOut(
                id=a.key,
                plan=a.plan.key,
                heading=a.heading,
                intro=a.intro,
                risks=[
                    RiskOut(
                        id=r.key,
                        title=r.title,
                        description=r.description,
                        measures_label=r.measures_label,
                        measures=r.measures,
                        probability=r.probability,
                        consequence=r.consequence,
                        value=r.value,
                    )
                    for r in a.risks.all()
                ],
            )
            for a in analyses
        ],
        internal_control_areas=[
            InternalControlAreaOut(
                id=a.key,
                plan=a.plan.key,
                title=a.title,
                origin=a.origin,
                description=a.description,
                points=[
                    ControlPointOut(
                        id=p.key,
                        risk=p.risk,
                        control=p.control,
                        method=p.method,
                        responsible=p.responsible_raw,
                        responsible_units=[u.code for u in p.responsible_units.all()],
                        frequency=p.frequency,
                        reporting=p.reporting,
                    )
                    for p in a.points.all()
                ],
            )
            for a in areas
        ],
    )
