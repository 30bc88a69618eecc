"""The changes page of a plan: what changed since another state of it (the review draft,
the decision, an amendment) or another year's plan, item by item and field by field, and
the plan's amendments."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verksam.accounts.rules import Role, unit_ids_with_role
from verksam.core.dates import PartialDate, Precision, normalise_date
from verksam.core.navigation import Crumb, HtmxHttpRequest
from verksam.organisation.models import OrgUnit
from verksam.planning import services
from verksam.planning.amendment_draft import AmendmentDraft
from verksam.planning.authoring import choices_for, editing_content, item_fields, with_relations
from verksam.planning.diff import diff_states, plan_state, state_at
from verksam.planning.forms import AmendmentForm, DecisionForm, ItemEditor, PlanCreateForm
from verksam.planning.services import EditConflict
from verksam.plans.models import Action, Plan, PlanLocked, PlanSnapshot


def default_since(plan: Plan) -> str:
    """What a plan is compared with unless asked: its decision, else what was sent to
    review, else the owner's plan of the year before (else itself)."""
    events = set(PlanSnapshot.objects.filter(plan=plan.root).values_list("event", flat=True))
    for event in (PlanSnapshot.Event.DECISION, PlanSnapshot.Event.REVIEW):
        if event in events:
            return f"{plan.key}@{event}"
    earlier = Plan.objects.filter(owner=plan.owner_id, year__lt=plan.year).order_by("-year").first()
    return earlier.key if earlier is not None else plan.key


@require_safe
def plan_changes(request: HttpRequest, key: str) -> HttpResponse:
    """`?since=REF`: a plan's id, or `KEY@review`, `KEY@decision`, `KEY@amendment-N`."""
    visible = Plan.objects.visible_to(request.user)
    plan = get_object_or_404(visible.select_related("owner", "parent"), key=key)
    since = request.GET.get("since", "").strip() or default_since(plan)
    changes, error, status = [], "", 200
    try:
        changes = diff_states(state_at(since, plans=visible), plan_state(plan))
    except ValidationError as refused:
        error, status = " ".join(refused.messages), 400
    breadcrumbs = [
        Crumb(_("Home"), reverse("pages:home")),
        Crumb(plan.title, plan.get_absolute_url()),
        Crumb(_("Changes")),
    ]
    context = {
        "plan": plan,
        "since": since,
        "error": error,
        "changes": changes,
        "amendments": plan.root.amendments.select_related("made_by"),
        "snapshots": PlanSnapshot.objects.filter(plan=plan.root).select_related("amendment"),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "planning/plan_changes.html", context, status=status)


# --- Authoring -----------------------------------------------------------------------------
# A controller of a plan (`verksam.edit_plan`) makes and edits it here; every write goes
# through `planning.services`, which checks the permission, the plan's state and the
# version again. A decided plan's items are changed by an amendment: the same forms with
# the decision's reason, reference and date.

LIFE = {
    "review": services.send_to_review,
    "draft": services.return_to_draft,
    "archive": services.archive_plan,
}
REFUSALS = (PlanLocked, EditConflict, ValidationError)


def plan_for_editing(request: HttpRequest, key: str) -> Plan:
    """A plan the user may read (else 404) and edit (else 403)."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("owner", "parent"), key=key
    )
    if not request.user.has_perm("verksam.edit_plan", plan):
        raise PermissionDenied
    return plan


def item_for_editing(request: HttpRequest, kind: str, key: str) -> Model:
    """An item of a plan the user may read (else 404) and edit (else 403), with what its
    form and its row read."""
    if kind not in services.KINDS:
        raise Http404
    model = services.KINDS[kind].model
    plans = Plan.objects.visible_to(request.user)
    where = {"goal_area__plan__in": plans} if kind == "objective" else {"plan__in": plans}
    rows = with_relations(kind, model._default_manager.filter(**where))
    if kind == "assignment":
        rows = rows.prefetch_related(
            Prefetch(
                "actions",
                queryset=with_relations("action", Action.objects.order_by("position", "pk")),
            )
        )
    row = get_object_or_404(rows, key=key)
    if not request.user.has_perm("verksam.edit_plan", services.plan_of(row)):
        raise PermissionDenied
    return row


def edit_url(row: Model) -> str:
    plan = services.plan_of(row)
    return reverse("planning:plan_edit", args=[plan.key]) + f"#{services.kind_of(row)}-{row.key}"  # type: ignore[attr-defined]  # every kind has a key


def editing_crumbs(plan: Plan, *last: Crumb) -> list[Crumb]:
    return [
        Crumb(_("Home"), reverse("pages:home")),
        Crumb(plan.title, plan.get_absolute_url()),
        Crumb(_("Edit"), reverse("planning:plan_edit", args=[plan.key]) if last else ""),
        *last,
    ]


def row_context(plan: Plan, request: HttpRequest | None = None) -> dict[str, Any]:
    """What an item's row on the editing page needs to know of its plan (and, for a decided
    plan, which items the amendment being put together changes)."""
    amending = plan.status == Plan.Status.DECIDED
    return {
        "plan": plan,
        "editable": not plan.is_locked,
        "amending": amending,
        "deletable": plan.status == Plan.Status.DRAFT,
        "pending": AmendmentDraft(request, plan).pending_anchors()
        if amending and request is not None
        else set(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    """Make a year's plan: empty, or from the owner's latest earlier plan (its frame and
    the items decided to carry over)."""
    controlled = unit_ids_with_role(request.user, Role.CONTROLLER)
    owners = [
        (u.code, f"{u.code} – {u.name}")
        for u in OrgUnit.objects.filter(pk__in=controlled, kind__in=PLAN_OWNERS).order_by("code")
    ]
    if not owners:
        raise PermissionDenied
    initial = {k: request.GET[k] for k in ("owner", "year", "start") if k in request.GET}
    form = PlanCreateForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = OrgUnit.objects.get(code=data["owner"])
        source = None
        if data["start"] == "previous":
            source = (
                Plan.objects.filter(owner=owner, parent__isnull=True, year__lt=data["year"])
                .order_by("-year")
                .first()
            )
            if source is None:
                form.add_error(
                    "start",
                    _("%(owner)s has no earlier plan to start from.") % {"owner": owner.code},
                )
        if source is not None or data["start"] == "empty":
            try:
                made = services.create_plan(
                    actor=request.user,
                    owner=owner,
                    year=data["year"],
                    title=data["title"],
                    from_plan=source,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The plan %(plan)s is made, as a draft.") % {"plan": made.plan.key},
                )
                return redirect("planning:plan_edit", key=made.plan.key)
    return render(
        request,
        "planning/plan_new.html",
        {
            "form": form,
            "breadcrumbs": [Crumb(_("Home"), reverse("pages:home")), Crumb(_("New plan"))],
        },
        status=400 if form.errors else 200,
    )


PLAN_OWNERS = (OrgUnit.Kind.BOARD, OrgUnit.Kind.COMMITTEE, OrgUnit.Kind.OFFICE)


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: by field where the form has the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_safe
def plan_edit(request: HttpRequest, key: str) -> HttpResponse:
    """The editing page of a plan: every text and item in its place, each with its edit,
    move and delete buttons, and the buttons to add one."""
    plan = plan_for_editing(request, key)
    content = editing_content(plan)
    return render(
        request,
        "planning/plan_edit.html",
        {
            **row_context(plan, request),
            **draft_context(request, plan),
            "content": content,
            "is_board": plan.parent_id is None,
            "parts": list(plan.parts.select_related("owner").order_by("position", "key"))
            if plan.parent_id is None
            else [],
            "breadcrumbs": editing_crumbs(plan),
            # After a move up or down: the moved item's button keeps the focus.
            "moved": request.GET.get("moved", ""),
            "moved_direction": request.GET.get("direction", ""),
        },
    )


def date_previews(editor: ItemEditor, plan: Plan) -> dict[str, Any]:
    """The start and end as verksam reads them (shown beside the fields, updated as one
    types through `date_preview`)."""
    if editor.kind != "action":
        return {}
    form = editor.form
    url = reverse("planning:date_preview", args=[plan.key])
    previews = {}
    for name in ("start_raw", "end_raw"):
        raw = form[name].value() or ""
        widget = form.fields[name].widget
        widget.attrs.update(
            {
                "hx-get": url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{form[name].auto_id}-parsed",
                "aria-describedby": f"{form[name].auto_id}_helptext {form[name].auto_id}-parsed",
            }
        )
        previews[name] = read_date(raw, plan.year)
    return previews


@dataclass(frozen=True)
class DateReading:
    raw: str
    date: PartialDate
    precision_label: str


def read_date(raw: str, year: int) -> DateReading:
    parsed = normalise_date(raw, plan_year=year)
    return DateReading(raw, parsed, str(Precision(parsed.precision).label))


@login_required
@require_safe
def date_preview(request: HttpRequest, key: str) -> HttpResponse:
    """How verksam reads a start or end as typed (`?start_raw=` or `?end_raw=`): the date,
    its precision and what is odd about it."""
    plan = plan_for_editing(request, key)
    raw = request.GET.get("start_raw", request.GET.get("end_raw", ""))[:200]
    return render(request, "planning/_date_preview.html", {"reading": read_date(raw, plan.year)})


def editor_for(
    request: HttpRequest, kind: str, plan: Plan, *, row: Model | None = None, data: Any = None
) -> ItemEditor:
    initial: dict[str, Any] = (
        item_fields(row)
        if row is not None
        else {
            name: request.GET[name]
            for name in ("goal_area", "objective", "assignment")
            if name in request.GET
        }
    )
    if kind == "assignment" and row is None and "objective" in initial:
        initial["objectives"] = [initial.pop("objective")]
    version = row.version if row is not None else 0  # type: ignore[attr-defined]  # every kind is versioned
    if row is not None and plan.status == Plan.Status.DECIDED:
        # The amendment being put together changes it already: start from that change.
        pending = AmendmentDraft(request, plan).pending(kind, row.key)  # type: ignore[attr-defined]  # every kind has a key
        if pending is not None and pending.op == "update":
            initial |= pending.fields
            version = pending.version or version
    return ItemEditor(kind, choices_for(plan), data=data, initial=initial, version=version)


def save_editor(
    editor: ItemEditor, plan: Plan, *, request: HttpRequest, op: str, row: Model | None
) -> Model | None:
    """Save the item through the services: an edit of a draft or a plan in review; for a
    decided plan, a change added to the amendment being put together (checked, not yet
    written: `AmendmentDraft`), None."""
    kind = editor.kind
    fields = editor.fields()
    if fields.get("objective") and not fields.get("goal_area"):
        fields.pop("goal_area")  # the objective's goal area
    if plan.status == Plan.Status.DECIDED:
        key = row.key if row is not None else ""  # type: ignore[attr-defined]  # every kind has a key
        edit = services.Edit(
            op,
            kind,
            key,
            {"plan": plan.key, **fields} if op == "create" else fields,
            editor.version if op != "create" else None,
        )
        AmendmentDraft(request, plan).add(edit, actor=request.user)
        return None
    if op == "create":
        return services.create_item(kind, plan, actor=request.user, fields=fields)
    assert row is not None
    return services.update_item(
        row, actor=request.user, expected_version=editor.version, fields=fields
    )


def conflict_fields(row: Model | None) -> list[tuple[str, Any]]:
    """The other person's version, field by field, as the page shows it."""
    if row is None:
        return []
    spec = services.KINDS[services.kind_of(row)]
    return [
        (str(getattr(type(row)._meta.get_field(name), "verbose_name", name)), getattr(row, name))
        for name in [*spec.texts, *spec.choices]
    ]


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HtmxHttpRequest, key: str, kind: str) -> HttpResponse:
    """Add an item of `kind` to the plan (`?goal_area=`, `?objective=`, `?assignment=`
    choose its place)."""
    if kind not in services.KINDS:
        raise Http404
    plan = plan_for_editing(request, key)
    if plan.status == Plan.Status.ARCHIVED:
        raise PermissionDenied
    editor = editor_for(
        request, kind, plan, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and editor.is_valid():
        try:
            row = save_editor(editor, plan, request=request, op="create", row=None)
        except REFUSALS as error:
            editor.add_error(
                error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            if row is None:  # a change of the amendment being put together
                messages.success(request, _("The new item is added to the amendment."))
                return HttpResponseRedirect(
                    reverse("planning:plan_edit", args=[plan.key]) + "#amendment"
                )
            messages.success(request, _("Added: %(item)s") % {"item": str(row)[:80]})
            return HttpResponseRedirect(edit_url(row))
    editor.focus_first_error()
    return render(
        request,
        "planning/item_new.html",
        {
            **row_context(plan, request),
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "title": ADD_TITLES[kind],
            "editor": editor,
            "previews": date_previews(editor, plan),
            "breadcrumbs": editing_crumbs(plan, Crumb(ADD_TITLES[kind])),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HtmxHttpRequest, kind: str, key: str) -> HttpResponse:
    """Edit an item: in its row on the editing page (htmx) or as a page of its own. A
    stale save shows the other person's version and keeps what the user typed."""
    row = item_for_editing(request, kind, key)
    plan = services.plan_of(row)
    if plan.status == Plan.Status.ARCHIVED:
        raise PermissionDenied
    conflict: Model | None = None
    if request.method == "POST":
        editor = editor_for(request, kind, plan, row=row, data=request.POST)
        if editor.is_valid():
            try:
                saved_row = save_editor(editor, plan, request=request, op="update", row=row)
            except EditConflict as error:
                conflict = error.current
                data = request.POST.copy()
                data["version"] = str(conflict.version if conflict else 0)
                editor = editor_for(request, kind, plan, row=row, data=data)
                editor.is_valid()
            except ValidationError as error:  # PlanLocked too
                editor.add_error(error)
            else:
                saved = item_for_editing(request, kind, key)
                if request.htmx:
                    return render(
                        request,
                        "planning/_item_row.html",
                        {
                            **row_context(plan, request),
                            "kind": kind,
                            "item": saved,
                            "saved": saved_row is not None,
                            "added_to_amendment": saved_row is None,
                        },
                    )
                if saved_row is None:
                    messages.success(
                        request,
                        _("The change is added to the amendment: %(item)s")
                        % {"item": str(saved)[:80]},
                    )
                else:
                    messages.success(request, _("Saved: %(item)s") % {"item": str(saved)[:80]})
                return HttpResponseRedirect(edit_url(saved))
        editor.focus_first_error()
    else:
        editor = editor_for(request, kind, plan, row=row)
    context = {
        **row_context(plan, request),
        "kind": kind,
        "kind_label": KIND_LABELS[kind],
        "item": row,
        "editor": editor,
        "conflict": conflict,
        "conflict_fields": conflict_fields(conflict),
        "previews": date_previews(editor, plan),
        "breadcrumbs": editing_crumbs(plan, Crumb(str(row)[:60])),
    }
    template = "planning/_item_form.html" if request.htmx else "planning/item_edit.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@require_safe
def item_row(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """An item's row on the editing page (htmx: cancel an inline edit)."""
    row = item_for_editing(request, kind, key)
    plan = services.plan_of(row)
    return render(
        request,
        "planning/_item_row.html",
        {**row_context(plan, request), "kind": kind, "item": row},
    )


def conflict_text(error: services.ItemConflict) -> str:
    """A refused write's conflict in words, with who saved the other version and when."""
    who, when = error.saved_by()
    if not who and when is None:
        return str(error)
    return _("%(conflict)s (Saved by %(who)s, %(when)s.)") % {
        "conflict": error,
        "who": who or _("someone"),
        "when": date_format(localtime(when), "DATETIME_FORMAT") if when else "",
    }


@login_required
@require_POST
def item_shift(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Move an item one place up or down among the items printed with it, if it is still
    the version the page showed (`version`); else the editing page says who changed it
    and shows the order as it is now. With htmx the editing page's content is swapped in
    (the form's `hx-select`) and the moved item's button keeps the focus."""
    row = item_for_editing(request, kind, key)
    by = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if by is None:
        return HttpResponse(_("Say up or down."), status=400)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse(_("Say which version you read."), status=400)
    moved = ""
    try:
        if services.shift_item(row, actor=request.user, by=by, expected_version=version):
            moved = request.POST["direction"]
    except services.ItemConflict as error:
        messages.error(request, conflict_text(error))
    except ValidationError as error:  # PlanLocked too
        messages.error(request, " ".join(error.messages))
    plan = services.plan_of(row)
    query = f"?moved={kind}-{key}&direction={moved}" if moved else ""
    return HttpResponseRedirect(
        reverse("planning:plan_edit", args=[plan.key]) + query + f"#{kind}-{key}"
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Delete an item of a draft after asking; of a decided plan, add its removal to the
    amendment being put together."""
    row = item_for_editing(request, kind, key)
    plan = services.plan_of(row)
    amending = plan.status == Plan.Status.DECIDED
    error = ""
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            return HttpResponse(_("Say which version you read."), status=400)
        try:
            if amending:
                AmendmentDraft(request, plan).add(
                    services.Edit("delete", kind, key, version=version), actor=request.user
                )
            else:
                services.delete_item(row, actor=request.user, expected_version=version)
        except services.ItemConflict as stale:
            error = conflict_text(stale) + " " + _("Look at it again before deleting it.")
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            if amending:
                messages.success(
                    request,
                    _("Its removal is added to the amendment: %(item)s") % {"item": str(row)[:80]},
                )
                return HttpResponseRedirect(
                    reverse("planning:plan_edit", args=[plan.key]) + "#amendment"
                )
            messages.success(request, _("Deleted: %(item)s") % {"item": str(row)[:80]})
            return redirect("planning:plan_edit", key=plan.key)
    return render(
        request,
        "planning/item_delete.html",
        {
            **row_context(plan, request),
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "item": row,
            "error": error,
            "breadcrumbs": editing_crumbs(plan, Crumb(_("Delete"))),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The amendment being put together ---------------------------------------------------


def draft_context(request: HttpRequest, plan: Plan, form: Any = None) -> dict[str, Any]:
    """The amendment being put together, for a decided plan's editing page: its changes
    and the form of its decision (reason, reference, date)."""
    if plan.status != Plan.Status.DECIDED:
        return {}
    draft = AmendmentDraft(request, plan)
    return {
        "draft_changes": draft.listed(),
        "draft_plan": draft.plan,
        "amendment_form": form or AmendmentForm(prefix="amendment"),
    }


def decided_board_plan(request: HttpRequest, key: str) -> Plan:
    plan = plan_for_editing(request, key)
    if plan.status != Plan.Status.DECIDED:
        raise Http404
    return plan


@login_required
@require_POST
def amendment_record(request: HttpRequest, key: str) -> HttpResponse:
    """Record the amendment put together: its changes, all or nothing, with one reason,
    decision reference and date (`services.amend_plan`)."""
    plan = decided_board_plan(request, key)
    draft = AmendmentDraft(request, plan)
    form = AmendmentForm(request.POST, prefix="amendment")
    error = ""
    if not draft.edits:
        error = _("The amendment has no changes yet: change the plan's items first.")
    elif form.is_valid():
        try:
            amendment = services.amend_plan(
                plan, actor=request.user, edits=draft.edits, **form.cleaned_data
            )
        except services.ItemConflict as stale:
            error = (
                conflict_text(stale)
                + " "
                + _("Remove that change from the amendment and make it again from their version.")
            )
        except ValidationError as refused:
            add_errors(form, refused)
        else:
            draft.clear()
            messages.success(
                request,
                ngettext(
                    "Amendment %(number)d is recorded with %(n)d change.",
                    "Amendment %(number)d is recorded with %(n)d changes.",
                    len(amendment.changes),
                )
                % {"number": amendment.number, "n": len(amendment.changes)},
            )
            return redirect(plan.get_absolute_url())
    if error:
        form.add_error(None, error)
    context = {
        **row_context(plan, request),
        **draft_context(request, plan, form),
        "content": editing_content(plan),
        "is_board": plan.parent_id is None,
        "parts": list(plan.parts.select_related("owner").order_by("position", "key"))
        if plan.parent_id is None
        else [],
        "breadcrumbs": editing_crumbs(plan),
    }
    return render(request, "planning/plan_edit.html", context, status=400)


@login_required
@require_POST
def amendment_change_remove(request: HttpRequest, key: str, number: int) -> HttpResponse:
    """Take a change out of the amendment being put together."""
    plan = decided_board_plan(request, key)
    AmendmentDraft(request, plan).remove(number)
    messages.success(request, _("The change is taken out of the amendment."))
    return HttpResponseRedirect(reverse("planning:plan_edit", args=[plan.key]) + "#amendment")


@login_required
@require_POST
def amendment_discard(request: HttpRequest, key: str) -> HttpResponse:
    """Drop the amendment being put together (nothing of it was written)."""
    plan = decided_board_plan(request, key)
    AmendmentDraft(request, plan).clear()
    messages.success(request, _("The amendment is discarded; the plan is as decided."))
    return HttpResponseRedirect(reverse("planning:plan_edit", args=[plan.key]))


@login_required
@require_POST
def plan_move(request: HttpRequest, key: str, verb: str) -> HttpResponse:
    """Send the plan to review, back to draft, or archive it."""
    plan = plan_for_editing(request, key)
    if verb not in LIFE:
        raise Http404
    try:
        LIFE[verb](plan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        plan.refresh_from_db()
        messages.success(
            request,
            _("The plan %(plan)s is now %(status)s.")
            % {"plan": plan.key, "status": plan.get_status_display()},
        )
    return redirect(plan.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def plan_decide(request: HttpRequest, key: str) -> HttpResponse:
    """Decide a plan in review: the body, the date and the reference of the decision."""
    plan = plan_for_editing(request, key)
    form = DecisionForm(request.POST or None, initial={"decided_by": plan.owner.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_plan(plan, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The plan %(plan)s is decided.") % {"plan": plan.key})
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "planning/plan_decide.html",
        {
            "plan": plan,
            "form": form,
            "breadcrumbs": [
                Crumb(_("Home"), reverse("pages:home")),
                Crumb(plan.title, plan.get_absolute_url()),
                Crumb(_("Decide")),
            ],
        },
        status=400 if form.errors else 200,
    )


KIND_LABELS = {
    "goal_area": _("goal area"),
    "objective": _("objective"),
    "section": _("text"),
    "governing_document": _("governing document"),
    "assignment": _("assignment"),
    "action": pgettext_lazy("plan item", "action"),
    "indicator": _("indicator"),
}
ADD_TITLES = {
    "goal_area": _("Add a goal area"),
    "objective": _("Add an objective"),
    "section": _("Add a text"),
    "governing_document": _("Add a governing document"),
    "assignment": _("Add an assignment"),
    "action": _("Add an action"),
    "indicator": _("Add an indicator"),
}
