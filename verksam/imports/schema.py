"""The shape of a plan's data files (docs/data-format.md), as pydantic models.

The YAML sources and the JSON export share these shapes. The export adds a
`normalised` block to some items (parsed dates and numbers); it is derived, so
`load-plan` accepts it and recomputes it.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Number = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]


def limited(max_length: int, min_length: int = 0) -> Any:
    """A text that fits a database column of `max_length` characters."""
    constraints = StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length
    )
    return Annotated[str, constraints]


UnitName = limited(200, min_length=1)
ShortName = limited(60)
Reference = limited(100)
UnitLabel = limited(40)


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: Id


class OrgUnitIn(Item):
    name: UnitName
    short_name: ShortName = ""
    kind: Literal[
        "municipality", "council", "board", "committee", "office", "department", "unit", "external"
    ]
    parent: Id | None = None


class PlanIn(Item):
    owner: Id
    year: int = Field(ge=1900, le=2200)
    parent: Id | None = None
    title: Required
    status: Literal["draft", "decided", "archived"] = "draft"
    decision_reference: Reference = ""
    horizon_start: int = Field(ge=1900, le=2200)
    horizon_end: int = Field(ge=1900, le=2200)


class SectionIn(Item):
    plan: Id
    kind: Literal[
        "purpose",
        "concepts",
        "idea",
        "direction",
        "conditions",
        "employer",
        "contribution",
        "core_mission",
        "organisation",
        "governing_documents",
        "other",
    ]
    goal_area: Id | None = None
    objective: Id | None = None
    heading: Text = ""
    body: Text = ""


class GoverningDocumentIn(Item):
    plan: Id
    category: Text = ""
    title: Required
    notes: list[Text] = []


class GoalAreaIn(Item):
    plan: Id
    number: Number
    title: Required
    ambition: Text = ""


class ObjectiveIn(Item):
    goal_area: Id
    number: Number
    title: Required


class FocusAreaIn(Item):
    number: Number
    title: Required


class StrategyIn(Item):
    title: Required
    kind: Literal["strategy", "action_programme"] = "strategy"
    focus_areas: list[FocusAreaIn] = []


class AssignmentIn(Item):
    plan: Id
    goal_area: Id
    objectives: list[Id] = []
    kind: Literal["council", "board_initiative", "office_initiative", "action_programme", "other"]
    kind_label: Text = ""
    title: Required
    description: Text = ""
    origin: Text = ""
    focus_areas: list[Id] = []
    notes: list[Text] = []


class ResponsibleUnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: Id
    role: Literal["lead", "contributing", "responsible"] = "responsible"


class ResponsibleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    raw: Text = ""
    units: list[ResponsibleUnitIn] = []


class ActionIn(Item):
    plan: Id
    goal_area: Id
    objective: Id | None = None
    assignment: Id | None = None
    text: Required
    completion_criterion: Text = ""
    responsible: ResponsibleIn = ResponsibleIn()
    start: Text = ""
    end: Text = ""
    focus_areas: list[Id] = []
    notes: list[Text] = []
    normalised: dict[str, Any] | None = None


class IndicatorValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: Required
    kind: Literal["baseline", "outcome", "forecast", "target"]
    year: int = Field(ge=1900, le=2200)
    raw: Text
    women: Text = ""
    men: Text = ""
    normalised: dict[str, Any] | None = None


class IndicatorIn(Item):
    plan: Id
    goal_area: Id | None = None
    objective: Id | None = None
    table: Text = ""
    name: Required
    origin: Literal["council", "board"]
    unit: UnitLabel = ""
    direction: Literal["higher", "lower", "target", "qualitative"]
    responsible: ResponsibleIn = ResponsibleIn()
    source: Text = ""
    interval: Text = ""
    notes: list[Text] = []
    values: list[IndicatorValueIn] = []


class CarriedOverIn(Item):
    plan: Id
    goal_area: Id
    title: Required
    origin: Required
    origin_inferred: bool = False
    assignment: Id | None = None


class BudgetColumnIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: Required
    kind: Literal["outcome", "forecast", "budget", "plan"]
    year: int = Field(ge=1900, le=2200)
    kind_inferred: bool = False


class BudgetRowIn(Item):
    label: Required
    kind: Literal["amount", "part", "subtotal", "total", "change", "change_percent", "heading"]
    part_of: Id | None = None
    unit: Id | None = None
    notes: list[Text] = []
    values: dict[int, Text] = {}
    normalised: dict[str, Any] | None = None


class BudgetTableIn(Item):
    plan: Id
    kind: Literal["operating", "departments", "changes", "investments"]
    heading: Text = ""
    title: Required
    intro: Text = ""
    commentary: Text = ""
    notes: list[Text] = []
    columns: list[BudgetColumnIn]
    rows: list[BudgetRowIn] = []


class RiskIn(Item):
    title: Text = ""
    description: Required
    measures_label: Text = ""
    measures: Text = ""
    probability: int | None = Field(default=None, ge=1, le=4)
    consequence: int | None = Field(default=None, ge=1, le=4)


class RiskAnalysisIn(Item):
    plan: Id
    heading: Required
    intro: Text = ""
    risks: list[RiskIn] = []


class ControlPointIn(Item):
    risk: Required
    control: Required
    method: Text = ""
    responsible: Text = ""
    responsible_units: list[Id] = []
    frequency: Text = ""
    reporting: Text = ""


class InternalControlAreaIn(Item):
    plan: Id
    title: Required
    origin: Literal["council", "board", "office"]
    description: Text = ""
    points: list[ControlPointIn] = []


# The kinds of a data file, in the order they are written to the database.
KINDS: dict[str, type[Item]] = {
    "org_units": OrgUnitIn,
    "strategies": StrategyIn,
    "plans": PlanIn,
    "goal_areas": GoalAreaIn,
    "objectives": ObjectiveIn,
    "sections": SectionIn,
    "governing_documents": GoverningDocumentIn,
    "assignments": AssignmentIn,
    "actions": ActionIn,
    "indicators": IndicatorIn,
    "carried_over": CarriedOverIn,
    "budget_tables": BudgetTableIn,
    "risk_analyses": RiskAnalysisIn,
    "internal_control_areas": InternalControlAreaIn,
}
