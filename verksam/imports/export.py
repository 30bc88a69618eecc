"""The JSON export of a plan (docs/data-format.md): the data files' shapes in one document.

The output is deterministic (items in document order, keys in schema order), so an
export loaded into an empty database and exported again gives identical output.
"""

from typing import Any

from django.db.models import Model, Prefetch, Q
from django.utils.translation import gettext as _

from verksam.budget.models import BudgetCell, BudgetRow, BudgetTable
from verksam.core.dates import PartialDate
from verksam.economy.models import Forecast, Outcome
from verksam.followup.models import ReportingPeriod
from verksam.indicators.models import Indicator, IndicatorResponsibility
from verksam.organisation.models import OrgUnit
from verksam.plans.models import (
    Action,
    ActionResponsibility,
    Assignment,
    CarriedOverAssignment,
    GoalArea,
    GoverningDocument,
    Objective,
    Plan,
    PlanSection,
    Strategy,
)
from verksam.risks.models import InternalControlArea, InternalControlPoint, RiskAnalysis

FORMAT = "verksam-plan"
VERSION = 1


class PlanNotFound(LookupError):
    pass


def export_plan(*, year: int, owner: str | None = None) -> dict[str, Any]:
    """The plans of `year` (or only `owner`'s plan and its parts) with everything in them."""
    plans = list(Plan.objects.filter(year=year).select_related("owner", "parent"))
    if owner is not None:
        chosen = [p for p in plans if p.owner.code == owner]
        if not chosen:
            raise PlanNotFound(
                _("No plan for %(owner)s in %(year)s") % {"owner": owner, "year": year}
            )
        chosen += [p for p in plans if p.parent_id == chosen[0].pk]
        content_plans = chosen
        header_plans = [p for p in plans if p.pk == chosen[0].parent_id] + chosen
    else:
        if not plans:
            raise PlanNotFound(_("No plan for %(year)s") % {"year": year})
        content_plans = header_plans = plans
    roots = {p.parent_id or p.pk for p in header_plans}
    header_plans.sort(key=lambda p: (p.position, p.key))
    in_content = Q(plan__in=content_plans)

    return {
        "format": FORMAT,
        "version": VERSION,
        "org_units": [
            _org_unit(u)
            for u in OrgUnit.objects.select_related("parent").order_by("position", "code")
        ],
        "strategies": [
            {
                "id": s.key,
                "title": s.title,
                "kind": s.kind,
                "focus_areas": [
                    {"id": f.key, "number": f.number, "title": f.title} for f in s.focus_areas.all()
                ],
            }
            for s in Strategy.objects.order_by("position", "key").prefetch_related("focus_areas")
        ],
        "plans": [_plan(p) for p in header_plans],
        "goal_areas": [
            {
                "id": g.key,
                "plan": g.plan.key,
                "number": g.number,
                "title": g.title,
                "ambition": g.ambition,
            }
            for g in GoalArea.objects.filter(plan__in=roots)
            .select_related("plan")
            .order_by("plan__key", "position")
        ],
        "objectives": [
            {"id": o.key, "goal_area": o.goal_area.key, "number": o.number, "title": o.title}
            for o in Objective.objects.filter(goal_area__plan__in=roots)
            .select_related("goal_area")
            .order_by("goal_area__plan__key", "goal_area__position", "position")
        ],
        "sections": [
            {
                "id": s.key,
                "plan": s.plan.key,
                "kind": s.kind,
                "goal_area": _key(s.goal_area),
                "objective": _key(s.objective),
                "heading": s.heading,
                "body": s.body,
            }
            for s in PlanSection.objects.filter(in_content)
            .in_document_order()
            .select_related("plan", "goal_area", "objective")
        ],
        "governing_documents": [
            {
                "id": d.key,
                "plan": d.plan.key,
                "category": d.category,
                "title": d.title,
                "notes": d.notes,
            }
            for d in GoverningDocument.objects.filter(in_content)
            .in_document_order()
            .select_related("plan")
        ],
        "assignments": [
            {
                "id": a.key,
                "plan": a.plan.key,
                "goal_area": a.goal_area.key,
                "objectives": [o.key for o in a.objectives.all()],
                "kind": a.kind,
                "kind_label": a.kind_label,
                "title": a.title,
                "description": a.description,
                "origin": a.origin,
                "focus_areas": [f.key for f in a.focus_areas.all()],
                "notes": a.notes,
            }
            for a in Assignment.objects.filter(in_content)
            .in_document_order()
            .select_related("plan", "goal_area")
            .prefetch_related("objectives", "focus_areas")
        ],
        "actions": [
            _action(a)
            for a in Action.objects.filter(in_content)
            .in_document_order()
            .select_related("plan", "goal_area", "objective", "assignment")
            .prefetch_related(_responsibilities(ActionResponsibility), "focus_areas")
        ],
        "indicators": [
            _indicator(i)
            for i in Indicator.objects.filter(in_content)
            .in_document_order()
            .select_related("plan", "goal_area", "objective")
            .prefetch_related(_responsibilities(IndicatorResponsibility), "values")
        ],
        "carried_over": [
            {
                "id": c.key,
                "plan": c.plan.key,
                "goal_area": c.goal_area.key,
                "title": c.title,
                "origin": c.origin,
                "origin_inferred": c.origin_inferred,
                "assignment": _key(c.assignment),
            }
            for c in CarriedOverAssignment.objects.filter(in_content)
            .in_document_order()
            .select_related("plan", "goal_area", "assignment")
        ],
        "budget_tables": [
            _budget_table(t)
            for t in BudgetTable.objects.filter(in_content)
            .in_document_order()
            .select_related("plan")
            .prefetch_related(
                "columns",
                Prefetch(
                    "rows",
                    queryset=BudgetRow.objects.select_related("part_of", "unit").prefetch_related(
                        Prefetch("cells", queryset=BudgetCell.objects.select_related("column"))
                    ),
                ),
            )
        ],
        "economy": _economy(content_plans),
        "risk_analyses": [
            {
                "id": a.key,
                "plan": a.plan.key,
                "heading": a.heading,
                "intro": a.intro,
                "risks": [
                    {
                        "id": r.key,
                        "title": r.title,
                        "description": r.description,
                        "measures_label": r.measures_label,
                        "measures": r.measures,
                        "probability": r.probability,
                        "consequence": r.consequence,
                    }
                    for r in a.risks.all()
                ],
            }
            for a in RiskAnalysis.objects.filter(in_content)
            .in_document_order()
            .select_related("plan")
            .prefetch_related("risks")
        ],
        "internal_control_areas": [
            {
                "id": a.key,
                "plan": a.plan.key,
                "title": a.title,
                "origin": a.origin,
                "description": a.description,
                "points": [
                    {
                        "id": p.key,
                        "risk": p.risk,
                        "control": p.control,
                        "method": p.method,
                        "responsible": p.responsible_raw,
                        "responsible_units": [u.code for u in p.responsible_units.all()],
                        "frequency": p.frequency,
                        "reporting": p.reporting,
                    }
                    for p in a.points.all()
                ],
            }
            for a in InternalControlArea.objects.filter(in_content)
            .in_document_order()
            .select_related("plan")
            .prefetch_related(
                Prefetch(
                    "points",
                    queryset=InternalControlPoint.objects.prefetch_related("responsible_units"),
                )
            )
        ],
    }


def _key(obj: Any) -> str | None:
    return obj.key if obj is not None else None


def _org_unit(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent else None,
    }


def _plan(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.key,
        "owner": plan.owner.code,
        "year": plan.year,
        "parent": _key(plan.parent),
        "title": plan.title,
        "status": plan.status,
        "decided_by": plan.decided_by,
        "decided_on": plan.decided_on.isoformat() if plan.decided_on else None,
        "decision_reference": plan.decision_reference,
        "horizon_start": plan.horizon_start,
        "horizon_end": plan.horizon_end,
    }


def _responsibilities(model: type[Model]) -> Prefetch:
    return Prefetch("responsibilities", queryset=model._default_manager.select_related("unit"))


def _responsible(item: Action | Indicator) -> dict[str, Any]:
    return {
        "raw": item.responsible_raw,
        "units": [{"unit": r.unit.code, "role": r.role} for r in item.responsibilities.all()],
    }


def _date(partial: PartialDate) -> dict[str, Any]:
    return {
        "date": partial.value.isoformat() if partial.value else None,
        "precision": partial.precision,
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        "id": action.key,
        "plan": action.plan.key,
        "goal_area": action.goal_area.key,
        "objective": _key(action.objective),
        "assignment": _key(action.assignment),
        "text": action.text,
        "completion_criterion": action.completion_criterion,
        "responsible": _responsible(action),
        "start": action.start_raw,
        "end": action.end_raw,
        "focus_areas": [f.key for f in action.focus_areas.all()],
        "notes": action.notes,
        "normalised": {"start": _date(action.start), "end": _date(action.end)},
    }


def _indicator(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.key,
        "plan": indicator.plan.key,
        "goal_area": _key(indicator.goal_area),
        "objective": _key(indicator.objective),
        "table": indicator.table,
        "name": indicator.name,
        "origin": indicator.origin,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "responsible": _responsible(indicator),
        "source": indicator.source,
        "interval": indicator.interval,
        "notes": indicator.notes,
        "values": [
            {
                "label": v.label,
                "kind": v.kind,
                "year": v.year,
                "raw": v.raw,
                "split_labels": v.split_labels or None,
                "women": v.women_raw,
                "men": v.men_raw,
                "normalised": {
                    "number": _decimal(v.number),
                    "suffix": v.suffix,
                    "text": v.text,
                    "women": _decimal(v.women),
                    "men": _decimal(v.men),
                },
            }
            for v in indicator.values.all()
        ],
    }


def _decimal(value: Any) -> str | None:
    """Decimals as strings in JSON (no float rounding), without the column's padding zeros."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def _economy(plans: list[Plan]) -> list[dict[str, Any]]:
    """Per follow-up round, the outcome and forecasts of the plans' budget rows (tkr as exact
    decimal strings), beside the budget tables; read-only (docs/economy.md)."""
    rounds: dict[str, dict[str, Any]] = {}

    def entry(period: ReportingPeriod) -> dict[str, Any]:
        return rounds.setdefault(
            period.key,
            {"period": period.key, "as_of": period.as_of.isoformat(), "status": period.status,
             "outcomes": [], "forecasts": []},
        )  # fmt: skip

    in_plans = {"row__table__plan__in": plans}
    order = ("period__as_of", "period__key", "row__table__position", "row__position")
    for outcome in (
        Outcome.objects.filter(**in_plans).select_related("period", "row").order_by(*order)
    ):
        entry(outcome.period)["outcomes"].append(
            {"row": outcome.row.key, "amount": _decimal(outcome.amount)}
        )
    for forecast in (
        Forecast.objects.filter(**in_plans).select_related("period", "row").order_by(*order)
    ):
        entry(forecast.period)["forecasts"].append(
            {
                "row": forecast.row.key,
                "amount": _decimal(forecast.amount),
                "basis": forecast.basis,
                "comment": forecast.comment,
            }
        )
    return sorted(rounds.values(), key=lambda r: (r["as_of"], r["period"]))


def _budget_table(table: BudgetTable) -> dict[str, Any]:
    """A table with its rows' printed figures; `normalised` adds the numbers read from them
    and, for computed rows, the computation (which the loader does again)."""
    figures = table.figures()
    return {
        "id": table.key,
        "plan": table.plan.key,
        "kind": table.kind,
        "heading": table.heading,
        "title": table.title,
        "intro": table.intro,
        "commentary": table.commentary,
        "notes": table.notes,
        "columns": [
            {"label": c.label, "kind": c.kind, "year": c.year, "kind_inferred": c.kind_inferred}
            for c in table.columns.all()
        ],
        "rows": [
            {
                "id": row.key,
                "label": row.label,
                "kind": row.kind,
                "part_of": _key(row.part_of),
                "unit": row.unit.code if row.unit else None,
                "notes": row.notes,
                "values": {str(c.column.year): c.raw for c in row.cells.all()},
                "normalised": {
                    "numbers": {str(c.column.year): _decimal(c.number) for c in row.cells.all()},
                    "computed": {
                        str(year): _decimal(figure.computed)
                        for year, figure in figures[row.key].items()
                        if row.is_computed
                    },
                },
            }
            for row in table.rows.all()
        ],
    }
