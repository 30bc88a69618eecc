"""Forms of the authoring pages. They only read and check input and turn it into the
fields `planning.services` takes (`ItemEditor.fields()`); the services check the rest (the
links, the permission, the plan's state, the version) and their errors land on the forms
by field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from verksam.core.validation import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    YEAR_MAX,
    FormText,
)
from verksam.indicators.models import Indicator, IndicatorValue
from verksam.planning.authoring import Choices
from verksam.planning.models import ReviewComment
from verksam.plans.models import ActionResponsibility, Assignment, PlanSection

NONE = [("", _("– none –"))]
CHOOSE = [("", _("Choose…"))]


def one_line(label: Any, *, max_length: int = SHORT_TEXT_MAX, **kwargs: Any) -> FormText:
    return FormText(label=label, max_length=max_length, multiline=False, required=False, **kwargs)


def lines(label: Any, *, max_length: int = TITLE_MAX, rows: int = 2, **kwargs: Any) -> FormText:
    return FormText(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def title(label: Any) -> FormText:
    return FormText(label=label, max_length=TITLE_MAX, widget=forms.Textarea(attrs={"rows": 2}))


def choice(label: Any, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=(CHOOSE if required else NONE) + list(choices), required=required
    )


def several(label: Any, choices: Any, *, checkboxes: bool = False) -> forms.MultipleChoiceField:
    widget = forms.CheckboxSelectMultiple if checkboxes else forms.SelectMultiple(attrs={"size": 6})
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=widget)


def number() -> FormText:
    return FormText(label=_("Number"), max_length=10, multiline=False)


PROSE_HELP = _(
    "Paragraphs are separated by an empty line; a line starting with • is a bullet, "
    "and bullets one after another make a list."
)
DATE_HELP = _("As the plan writes it: 31 mars 2023, 2023-03, Q2 2023, 2023, Pågår.")


class PlanCreateForm(forms.Form):
    """A new year's plan: whose, for which year, empty or from the owner's latest plan."""

    owner = forms.ChoiceField(label=_("Owner"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=YEAR_MAX)
    start = forms.ChoiceField(
        label=_("Start from"),
        widget=forms.RadioSelect,
        choices=[
            (
                "previous",
                _(
                    "the owner's plan of an earlier year: its frame and the items "
                    "decided to carry over"
                ),
            ),
            ("empty", _("an empty plan")),
        ],
        error_messages={"required": _("Choose how the plan starts.")},
    )
    title = one_line(_("Title"), max_length=TITLE_MAX, help_text=_("Only for an empty plan."))

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = CHOOSE + owners  # type: ignore[attr-defined]  # a ChoiceField


class DecisionForm(forms.Form):
    decided_by = FormText(
        label=_("Decided by"), max_length=100, multiline=False, help_text=_("The body, e.g. KS.")
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("As 2022-12-14."),
    )
    reference = FormText(
        label=_("Decision reference"),
        max_length=100,
        multiline=False,
        help_text=_("E.g. KS 2021/123 §45."),
    )


class AmendmentForm(forms.Form):
    """The decision behind an amendment of a decided plan: one for all its changes."""

    reason = FormText(label=_("Reason for the amendment"), max_length=LONG_TEXT_MAX)
    reference = FormText(
        label=_("Decision reference"),
        max_length=100,
        multiline=False,
        help_text=_("E.g. KS 2023/45 §12."),
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("As 2023-03-14."),
    )


class ResponsibilityForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ActionResponsibility.Role.choices,
        required=False,
        initial=ActionResponsibility.Role.RESPONSIBLE,
    )

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = NONE + units  # type: ignore[attr-defined]  # a ChoiceField


class ValueForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=NONE + IndicatorValue.Kind.choices, required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=YEAR_MAX, required=False)
    label = one_line(_("Column as printed"), help_text=None)
    raw = one_line(_("Value as printed"))
    split_labels = forms.ChoiceField(
        label=_("Gender split"),
        choices=NONE + IndicatorValue.SplitLabels.choices,
        required=False,
    )
    women = one_line(_("Women (F/K) as printed"))
    men = one_line(_("Men (P/M) as printed"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if any(data.get(n) for n in ("raw", "label", "women", "men")) and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of the value."))
        if data.get("kind") and not data.get("year"):
            self.add_error("year", _("Give the year of the value."))
        return data


ResponsibilityFormSet = forms.formset_factory(ResponsibilityForm, extra=2, can_delete=True)
ValueFormSet = forms.formset_factory(ValueForm, extra=2, can_delete=True)


def item_form_fields(kind: str, choices: Choices) -> dict[str, forms.Field]:
    """The fields of the form of `kind`, named as `services.KINDS` names them."""
    areas, objectives = choices.goal_areas, choices.objectives
    if kind == "goal_area":
        return {
            "number": number(),
            "title": title(_("Title")),
            "ambition": lines(_("Ambition 2030"), max_length=LONG_TEXT_MAX, rows=4),
        }
    if kind == "objective":
        return {
            "goal_area": choice(_("Goal area"), areas),
            "number": number(),
            "title": title(_("Title")),
        }
    if kind == "section":
        return {
            "heading": FormText(label=_("Heading"), max_length=TITLE_MAX, multiline=False),
            "kind": choice(_("Kind of text"), PlanSection.Kind.choices),
            "goal_area": choice(_("Goal area"), areas, required=False),
            "objective": choice(_("Objective"), objectives, required=False),
            "body": lines(_("Text"), max_length=LONG_TEXT_MAX, rows=10, help_text=PROSE_HELP),
        }
    if kind == "governing_document":
        return {
            "category": one_line(_("Category")),
            "title": FormText(label=_("Title"), max_length=TITLE_MAX, multiline=False),
        }
    if kind == "assignment":
        return {
            "title": title(_("Assignment")),
            "kind": choice(_("Kind"), Assignment.Kind.choices),
            "kind_label": one_line(_("Kind as printed"), help_text=_("E.g. Uppdrag från KF.")),
            "origin": one_line(_("Origin"), help_text=_("E.g. MoB 2023.")),
            "goal_area": choice(_("Goal area"), areas),
            "objectives": several(_("Objectives served"), objectives, checkboxes=True),
            "focus_areas": several(_("Focus areas"), choices.focus_areas),
            "description": lines(
                _("Description"), max_length=LONG_TEXT_MAX, rows=5, help_text=PROSE_HELP
            ),
        }
    if kind == "action":
        return {
            "text": title(pgettext_lazy("plan item", "Action")),
            "completion_criterion": lines(_("Completion criterion")),
            "goal_area": choice(_("Goal area"), areas),
            "objective": choice(_("Objective"), objectives, required=False),
            "assignment": choice(_("Assignment"), choices.assignments, required=False),
            "start_raw": one_line(_("Start"), help_text=DATE_HELP),
            "end_raw": one_line(_("End"), help_text=DATE_HELP),
            "responsible_raw": lines(
                _("Responsible as printed"),
                max_length=SHORT_TEXT_MAX,
                help_text=_("E.g. TKN huvudansvarig, KSK stab bidrar."),
            ),
            "focus_areas": several(_("Focus areas"), choices.focus_areas),
        }
    if kind == "indicator":
        return {
            "name": title(_("Indicator")),
            "origin": choice(_("KF or own"), Indicator.Origin.choices),
            "direction": choice(_("Direction"), Indicator.Direction.choices),
            "unit": one_line(
                _("Unit of measure"), max_length=40, help_text=_("E.g. %, kr, antal.")
            ),
            "goal_area": choice(_("Goal area"), areas, required=False),
            "objective": choice(_("Objective"), objectives, required=False),
            "table": one_line(
                _("Table heading"),
                help_text=_("The heading of the table it prints in, if not its goal area's."),
            ),
            "source": one_line(_("Source"), max_length=TITLE_MAX),
            "interval": one_line(_("Measurement interval")),
            "responsible_raw": lines(_("Responsible as printed"), max_length=SHORT_TEXT_MAX),
        }
    raise AssertionError(kind)


class ItemForm(forms.Form):
    """An item's fields (made per kind by `item_form_fields`) and the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, kind: str, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields.update(item_form_fields(kind, choices))
        self.order_fields([n for n in self.fields if n != "version"])


class ItemEditor:
    """The form of one item with its lists (responsible units, values); `fields()` gives
    them as the services take them. (For a decided plan the change goes into the amendment
    being put together, whose decision is asked once, when it is recorded.)"""

    def __init__(
        self,
        kind: str,
        choices: Choices,
        *,
        data: Any = None,
        initial: dict[str, Any] | None = None,
        version: int | None = None,
    ) -> None:
        initial = dict(initial or {})
        self.kind = kind
        form_initial = {
            k: v for k, v in initial.items() if k not in ("responsible_units", "values")
        }
        form_initial["version"] = version
        self.form = ItemForm(data, kind=kind, choices=choices, initial=form_initial)
        self.responsible: Any = None
        self.values: Any = None
        if kind in ("action", "indicator"):
            self.responsible = ResponsibilityFormSet(
                data,
                prefix="responsible",
                initial=initial.get("responsible_units", []),
                form_kwargs={"units": choices.units},
            )
        if kind == "indicator":
            self.values = ValueFormSet(data, prefix="values", initial=initial.get("values", []))
        self.list_errors: dict[str, list[str]] = {}

    @property
    def parts(self) -> list[Any]:
        return [p for p in (self.form, self.responsible, self.values) if p]

    def is_valid(self) -> bool:
        return all([p.is_valid() for p in self.parts])  # every part, for all errors at once

    @property
    def version(self) -> int:
        return self.form.cleaned_data.get("version") or 0

    def fields(self) -> dict[str, Any]:
        data = {k: v for k, v in self.form.cleaned_data.items() if k != "version"}
        if self.responsible is not None:
            data["responsible_units"] = [
                {"unit": row["unit"], "role": row["role"] or "responsible"}
                for row in self.responsible.cleaned_data
                if row and row.get("unit") and not row.get("DELETE")
            ]
        if self.values is not None:
            data["values"] = [
                {
                    k: row[k]
                    for k in ("kind", "year", "label", "raw", "split_labels", "women", "men")
                }
                for row in self.values.cleaned_data
                if row and row.get("kind") and not row.get("DELETE")
            ]
        return data

    def add_error(self, error: ValidationError) -> None:
        """The services' refusal, on its fields (the lists' errors above their tables)."""
        if not hasattr(error, "error_dict"):
            self.form.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            if name in self.form.fields and name != "version":
                self.form.add_error(name, messages)
            elif name in ("responsible_units", "values"):
                self.list_errors.setdefault(name, []).extend(messages)
            else:
                self.form.add_error(None, messages)

    def focus_first_error(self) -> None:
        """`autofocus` on the first field with an error (htmx focuses it after a swap)."""
        if self.form.non_field_errors():
            return
        for name in self.form.fields:
            if name in self.form.errors:
                self.form.fields[name].widget.attrs["autofocus"] = True
                return


# --- Review ---------------------------------------------------------------------------


class CommentForm(forms.Form):
    text = FormText(
        label=_("Your comment"),
        max_length=LONG_TEXT_MAX,
        error_messages={"required": _("Write the comment.")},
    )


class AnswerForm(forms.Form):
    answer = FormText(
        label=_("Answer"),
        max_length=LONG_TEXT_MAX,
        error_messages={"required": _("Write the answer.")},
    )
    # Which button was pressed: save the answer only, or also close the comment.
    close = forms.ChoiceField(
        required=False,
        choices=[
            ("", ""),
            (ReviewComment.Status.RESOLVED, _("Resolve")),
            (ReviewComment.Status.ACKNOWLEDGED, pgettext_lazy("review comment", "Acknowledge")),
        ],
    )
