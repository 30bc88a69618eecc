"""The shape of a plan's data files (docs/data-format.md), as pydantic models.

The YAML sources and the JSON export share these shapes. The export adds a
`normalised` block to some items (parsed dates and numbers); it is derived, so
`load-plan` accepts it and recomputes it.
"""

from datetime import date
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator

from verksam.core.numbers import parse_value
from verksam.core.validation import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Code,
    Key,
    LongText,
    RequiredTitle,
    ShortText,
    TextRule,
    Title,
    Year,
    clean_number,
)

# Texts by kind (verksam.core.validation): ids and org unit codes, one-line short texts
# (names, labels, cells), titles and notes, long texts (bodies, descriptions).
Id = Key
Number = Annotated[str, TextRule(10, multiline=False, required=True)]
RequiredShort = Annotated[str, TextRule(SHORT_TEXT_MAX, multiline=False, required=True)]
RequiredLong = Annotated[str, TextRule(LONG_TEXT_MAX, required=True)]
# An indicator cell: one line, or one line per part where it is split by gender.
Cell = Annotated[str, TextRule(SHORT_TEXT_MAX)]


UnitName = Annotated[str, TextRule(200, multiline=False, required=True)]  # OrgUnit.name
ShortName = Annotated[str, TextRule(60, multiline=False)]  # OrgUnit.short_name
Reference = Annotated[str, TextRule(100, multiline=False)]  # Plan.decision_reference
UnitLabel = Annotated[str, TextRule(40, multiline=False)]  # Indicator.unit


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: Id


class OrgUnitIn(Item):
    id: Code
    name: UnitName
    short_name: ShortName = ""
    kind: Literal[
        "municipality", "council", "board", "committee", "office", "department", "unit", "external"
    ]
    parent: Code | None = None


class PlanIn(Item):
    owner: Code
    year: Year
    parent: Id | None = None
    title: RequiredTitle
    status: Literal["draft", "review", "decided", "archived"] = "draft"
    decided_by: Reference = ""
    decided_on: date | None = None
    decision_reference: Reference = ""
    horizon_start: Year
    horizon_end: Year


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
    heading: Title = ""
    body: LongText = ""


class GoverningDocumentIn(Item):
    plan: Id
    category: Title = ""
    title: RequiredTitle
    notes: list[Title] = []


class GoalAreaIn(Item):
    plan: Id
    number: Number
    title: RequiredTitle
    ambition: Title = ""


class ObjectiveIn(Item):
    goal_area: Id
    number: Number
    title: RequiredTitle


class FocusAreaIn(Item):
    number: Number
    title: RequiredTitle


class StrategyIn(Item):
    title: RequiredTitle
    kind: Literal["strategy", "action_programme"] = "strategy"
    focus_areas: list[FocusAreaIn] = []


class AssignmentIn(Item):
    plan: Id
    goal_area: Id
    objectives: list[Id] = []
    kind: Literal["council", "board_initiative", "office_initiative", "action_programme", "other"]
    kind_label: ShortText = ""
    title: RequiredTitle
    description: LongText = ""
    origin: ShortText = ""
    focus_areas: list[Id] = []
    notes: list[Title] = []


class ResponsibleUnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: Code
    role: Literal["lead", "contributing", "responsible"] = "responsible"


class ResponsibleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    raw: ShortText = ""
    units: list[ResponsibleUnitIn] = []


class ActionIn(Item):
    plan: Id
    goal_area: Id
    objective: Id | None = None
    assignment: Id | None = None
    text: RequiredTitle
    completion_criterion: Title = ""
    responsible: ResponsibleIn = ResponsibleIn()
    start: ShortText = ""
    end: ShortText = ""
    focus_areas: list[Id] = []
    notes: list[Title] = []
    normalised: dict[str, Any] | None = None


class IndicatorValueIn(BaseModel):
    """A cell; one split by gender holds its two parts and the labels the plan prints for
    them (`F/P` flickor/pojkar, `K/M` kvinnor/män), and `raw` is the parts as printed,
    one per line, with their labels where the cell prints them."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: RequiredShort
    kind: Literal["baseline", "outcome", "forecast", "target"]
    year: Year
    raw: Cell
    split_labels: Literal["F/P", "K/M"] | None = None
    women: ShortText = ""
    men: ShortText = ""
    normalised: dict[str, Any] | None = None

    @model_validator(mode="after")
    def check_split_and_numbers(self) -> "IndicatorValueIn":
        if bool(self.split_labels) != bool(self.women or self.men):
            raise ValueError(
                _(
                    "a value split by gender gives its parts (women, men) and their labels "
                    "(split_labels: F/P or K/M), any other value neither"
                )
            )
        if self.split_labels:
            first, second = self.split_labels.split("/")
            lines = self.raw.split("\n")
            printed = ([self.women, self.men], [f"{first} {self.women}", f"{second} {self.men}"])
            if lines not in printed:
                shown = " / ".join(f"«{line}»" for line in printed[1])
                raise ValueError(
                    _(
                        "raw must be the parts as printed, one per line, with or without "
                        "their labels: %(parts)s"
                    )
                    % {"parts": shown}
                )
        elif "\n" in self.raw:
            raise ValueError(_("raw must be one line"))
        for text in (self.raw, self.women, self.men):
            number = parse_value(text).number
            if number is not None:
                clean_number(number)
        return self


class IndicatorIn(Item):
    plan: Id
    goal_area: Id | None = None
    objective: Id | None = None
    table: Title = ""
    name: RequiredTitle
    origin: Literal["council", "board"]
    unit: UnitLabel = ""
    direction: Literal["higher", "lower", "target", "qualitative"]
    responsible: ResponsibleIn = ResponsibleIn()
    source: ShortText = ""
    interval: ShortText = ""
    notes: list[Title] = []
    values: list[IndicatorValueIn] = []


class CarriedOverIn(Item):
    plan: Id
    goal_area: Id
    title: RequiredTitle
    origin: RequiredShort
    origin_inferred: bool = False
    assignment: Id | None = None


class BudgetColumnIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    label: RequiredShort
    kind: Literal["outcome", "forecast", "budget", "plan"]
    year: Year
    kind_inferred: bool = False


class BudgetRowIn(Item):
    label: RequiredShort
    kind: Literal["amount", "part", "subtotal", "total", "change", "change_percent", "heading"]
    part_of: Id | None = None
    unit: Code | None = None
    notes: list[Title] = []
    values: dict[Year, ShortText] = {}
    normalised: dict[str, Any] | None = None


class BudgetTableIn(Item):
    plan: Id
    kind: Literal["operating", "departments", "changes", "investments"]
    heading: ShortText = ""
    title: RequiredTitle
    intro: LongText = ""
    commentary: LongText = ""
    notes: list[Title] = []
    columns: list[BudgetColumnIn]
    rows: list[BudgetRowIn] = []


class RiskIn(Item):
    title: Title = ""
    description: RequiredLong
    measures_label: ShortText = ""
    measures: LongText = ""
    probability: int | None = Field(default=None, ge=1, le=4)
    consequence: int | None = Field(default=None, ge=1, le=4)


class RiskAnalysisIn(Item):
    plan: Id
    heading: RequiredShort
    intro: LongText = ""
    risks: list[RiskIn] = []


class ControlPointIn(Item):
    risk: RequiredLong
    control: RequiredLong
    method: LongText = ""
    responsible: ShortText = ""
    responsible_units: list[Code] = []
    frequency: ShortText = ""
    reporting: ShortText = ""


class InternalControlAreaIn(Item):
    plan: Id
    title: RequiredTitle
    origin: Literal["council", "board", "office"]
    description: LongText = ""
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
