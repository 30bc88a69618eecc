"""Planning API: make a plan, take it through its life, edit its items and amend it, with
a personal API token (or a session), through `planning.services` with its permissions and
checks. A decided plan's items answer 409 (it changes only by an amendment), as does a
stale `version` (someone else saved the item since it was read)."""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.security import SessionAuth

from verksam.accounts.api_auth import ApiTokenAuth
from verksam.organisation.models import OrgUnit
from verksam.planning import review, services
from verksam.planning.authoring import item_fields, items_of, with_relations
from verksam.planning.diff import diff_states, plan_state, state_at
from verksam.planning.models import ReviewComment
from verksam.plans.api import PlanOut, plan_out
from verksam.plans.models import Plan, PlanLocked, PlanSnapshot

router = Router(tags=["planning"], auth=[ApiTokenAuth(), SessionAuth()])


class CurrentOut(Schema):
    """The item as someone else saved it since it was read (a 409's `current`)."""

    kind: str
    id: str
    version: int
    saved_by: str
    saved_at: datetime | None
    fields: dict[str, Any]


class PlanningError(Schema):
    """What went wrong; for input that does not validate, the messages per field; for a
    stale version (409), the item as it is now (`current`, null when it was deleted)."""

    detail: str
    errors: dict[str, list[str]] = {}
    current: CurrentOut | None = None


ERRORS = {403: PlanningError, 404: PlanningError, 409: PlanningError, 422: PlanningError}


class PlanIn(Schema):
    owner: str = Field(max_length=40)
    year: int = Field(strict=True)
    from_year: int | None = Field(None, strict=True)
    title: str = ""


class DecisionIn(Schema):
    decided_by: str
    decided_on: date
    reference: str


class ItemIn(Schema):
    """An item's fields (see `planning.services.KINDS`): texts, choices and links by id."""

    fields: dict[str, Any]


class ItemUpdateIn(ItemIn):
    version: int = Field(strict=True)  # the version read


class ItemOut(Schema):
    kind: str
    id: str
    version: int


class ItemDetailOut(ItemOut):
    """An item with its fields as `POST …/items/{kind}` and `PATCH` take them: texts,
    choices, links by id, responsible units, values."""

    plan: str
    fields: dict[str, Any]


class MoveIn(Schema):
    """Where to move the item: another goal area, objective or assignment of its plan (by id)."""

    version: int = Field(strict=True)
    goal_area: str | None = None
    objective: str | None = None
    assignment: str | None = None


class OrderItemIn(Schema):
    id: str
    version: int = Field(strict=True)  # the version read


class OrderIn(Schema):
    """Items of one kind in one plan, in the order they are to print, each with the version
    read (as `GET …/items` gives them); a stale one: 409, nothing reordered."""

    items: list[OrderItemIn]


class EditIn(Schema):
    """One change of an amendment: create (`fields` with `plan`), update or delete the item
    of `kind` with `id`; `version` is the version read (`GET …/items`), so that a change
    of an item someone amended since is a 409 (omitted: the item as it is now)."""

    op: str
    kind: str
    id: str = ""
    fields: dict[str, Any] = {}
    version: int | None = Field(default=None, strict=True)


class AmendmentIn(Schema):
    reason: str
    reference: str
    decided_on: date
    changes: list[EditIn]


class AmendmentOut(Schema):
    plan: str
    number: int
    reason: str
    reference: str
    decided_on: date
    changes: list[dict[str, Any]]


class FieldChangeOut(Schema):
    name: str
    before: Any
    after: Any


class ChangeOut(Schema):
    kind: str
    id: str
    change: str
    title: str
    fields: list[FieldChangeOut]


def refused(error: Exception) -> JsonResponse:
    """The documented error for a refusal of the services."""
    if isinstance(error, PermissionDenied):
        return JsonResponse({"detail": "You may not do this here.", "errors": {}}, status=403)
    if isinstance(error, services.ItemConflict):
        return JsonResponse(conflict_body(error), status=409)
    if isinstance(error, PlanLocked | services.EditConflict):
        return JsonResponse(
            {
                "detail": str(error.messages[0] if isinstance(error, PlanLocked) else error),
                "errors": {},
            },
            status=409,
        )
    assert isinstance(error, ValidationError)
    errors = error.message_dict if hasattr(error, "error_dict") else {}
    return JsonResponse({"detail": " ".join(error.messages), "errors": errors}, status=422)


REFUSALS = (PermissionDenied, PlanLocked, services.EditConflict, ValidationError)


def conflict_body(error: "services.ItemConflict") -> dict[str, Any]:
    """A 409 for a stale version: what happened, and the other person's version."""
    current = None
    if error.current is not None:
        row = with_relations(error.kind, type(error.current)._default_manager.all()).get(
            pk=error.current.pk
        )
        who, when = error.saved_by()
        current = CurrentOut(
            kind=error.kind,
            id=error.key,
            version=row.version,
            saved_by=who,
            saved_at=when,
            fields=item_fields(row),
        ).model_dump(mode="json")
    return {"detail": str(error), "errors": {}, "current": current}


def editable_plan(request: HttpRequest, key: str) -> Plan:
    """A plan the caller may read (else 404)."""
    return get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("owner", "parent"), key=key
    )


def item_out(kind: str, row: Model) -> ItemOut:
    return ItemOut(kind=kind, id=row.key, version=row.version)  # type: ignore[attr-defined]  # every edited kind is versioned


def detail_out(kind: str, row: Model) -> ItemDetailOut:
    return ItemDetailOut(
        kind=kind,
        id=row.key,  # type: ignore[attr-defined]  # every kind has a key
        version=row.version,  # type: ignore[attr-defined]  # every edited kind is versioned
        plan=services.plan_of(row).key,
        fields=item_fields(row),
    )


def visible_item(request: HttpRequest, kind: str, key: str) -> Model:
    spec = services.KINDS.get(kind)
    if spec is None:
        raise Http404
    rows = with_relations(kind, spec.model._default_manager.all()).filter(
        **{
            "goal_area__plan__in" if kind == "objective" else "plan__in": Plan.objects.visible_to(
                request.user
            )
        }
    )
    return get_object_or_404(rows, key=key)


@router.post("/plans", response={201: PlanOut, **ERRORS})
def create_plan(request: HttpRequest, payload: PlanIn):
    """A draft plan for a year: empty, or from the owner's plan of `from_year` (its frame
    and the items decided to carry over)."""
    owner = get_object_or_404(OrgUnit, code=payload.owner)
    source = None
    if payload.from_year is not None:
        source = get_object_or_404(
            Plan.objects.visible_to(request.user), owner=owner, year=payload.from_year
        )
    try:
        made = services.create_plan(
            actor=request.user,
            owner=owner,
            year=payload.year,
            title=payload.title,
            from_plan=source,
        )
    except REFUSALS as error:
        return refused(error)
    return Status(201, plan_out(made.plan))


def _life(request: HttpRequest, key: str, verb: Any, **kwargs: Any):
    plan = editable_plan(request, key)
    try:
        verb(plan, actor=request.user, **kwargs)
    except REFUSALS as error:
        return refused(error)
    plan.refresh_from_db()
    return plan_out(plan)


@router.post("/plans/{key}/review", response={200: PlanOut, **ERRORS})
def send_to_review(request: HttpRequest, key: str):
    """Draft → in review (the board's plan with its parts)."""
    return _life(request, key, services.send_to_review)


@router.post("/plans/{key}/draft", response={200: PlanOut, **ERRORS})
def return_to_draft(request: HttpRequest, key: str):
    """In review → draft."""
    return _life(request, key, services.return_to_draft)


@router.post("/plans/{key}/decide", response={200: PlanOut, **ERRORS})
def decide_plan(request: HttpRequest, key: str, payload: DecisionIn):
    """In review → decided, with the decision's body, date and reference."""
    return _life(
        request,
        key,
        services.decide_plan,
        decided_by=payload.decided_by,
        decided_on=payload.decided_on,
        reference=payload.reference,
    )


@router.post("/plans/{key}/archive", response={200: PlanOut, **ERRORS})
def archive_plan(request: HttpRequest, key: str):
    """Decided → archived."""
    return _life(request, key, services.archive_plan)


@router.post("/plans/{key}/amendments", response={201: AmendmentOut, **ERRORS})
def amend_plan(request: HttpRequest, key: str, payload: AmendmentIn):
    """Amend a decided plan: the changes (create, update, delete of items) all or nothing,
    recorded with the reason and the decision."""
    plan = editable_plan(request, key)
    edits = [services.Edit(e.op, e.kind, e.id, e.fields, e.version) for e in payload.changes]
    try:
        amendment = services.amend_plan(
            plan,
            actor=request.user,
            reason=payload.reason,
            reference=payload.reference,
            decided_on=payload.decided_on,
            edits=edits,
        )
    except REFUSALS as error:
        return refused(error)
    return Status(
        201,
        AmendmentOut(
            plan=plan.root.key,
            number=amendment.number,
            reason=amendment.reason,
            reference=amendment.decision_reference,
            decided_on=amendment.decided_on,
            changes=amendment.changes,
        ),
    )


@router.get("/plans/{key}/diff", response={200: list[ChangeOut], **ERRORS})
def diff_plan(request: HttpRequest, key: str, against: str):
    """What changed from `against` (another plan's id, `review` or `decision`: this plan's
    stored state at that step, or `KEY@step`) to this plan now."""
    plan = editable_plan(request, key)
    ref = f"{key}@{against}" if against in PlanSnapshot.Event.values else against
    try:
        before = state_at(ref, plans=Plan.objects.visible_to(request.user))
    except ValidationError as error:  # no such plan or stored step: nothing to compare with
        return Status(
            404,
            PlanningError(
                detail=" ".join(error.messages), errors={"query.against": error.messages}
            ),
        )
    return [change_out(c) for c in diff_states(before, plan_state(plan))]


def change_out(change: Any) -> ChangeOut:
    fields = [FieldChangeOut(name=f.name, before=f.before, after=f.after) for f in change.fields]
    return ChangeOut(
        kind=change.kind, id=change.key, change=change.change, title=change.title, fields=fields
    )


@router.post("/plans/{key}/items/{kind}", response={201: ItemOut, **ERRORS})
def create_item(request: HttpRequest, key: str, kind: str, payload: ItemIn):
    """A new item of `kind` (goal_area, objective, section, governing_document, assignment,
    action, indicator) in a draft or a plan in review."""
    plan = editable_plan(request, key)
    try:
        row = services.create_item(kind, plan, actor=request.user, fields=payload.fields)
    except REFUSALS as error:
        return refused(error)
    return Status(201, item_out(kind, row))


@router.patch("/items/{kind}/{item_key}", response={200: ItemOut, **ERRORS})
def update_item(request: HttpRequest, kind: str, item_key: str, payload: ItemUpdateIn):
    """Change an item's fields; `version` is the version read (a stale one: 409)."""
    row = visible_item(request, kind, item_key)
    try:
        row = services.update_item(
            row, actor=request.user, expected_version=payload.version, fields=payload.fields
        )
    except REFUSALS as error:
        return refused(error)
    return item_out(kind, row)


@router.delete("/items/{kind}/{item_key}", response={204: None, **ERRORS})
def delete_item(request: HttpRequest, kind: str, item_key: str, version: int):
    """Delete an item of a draft; `version` is the version read."""
    row = visible_item(request, kind, item_key)
    try:
        services.delete_item(row, actor=request.user, expected_version=version)
    except REFUSALS as error:
        return refused(error)
    return Status(204, None)


@router.get("/plans/{key}/items", response={200: list[ItemDetailOut], **ERRORS})
def list_items(request: HttpRequest, key: str, kind: str | None = None):
    """The plan's items (of one `kind`, or all: goal areas and objectives are the board's
    plan's), each with its version and its fields as the writes take them."""
    plan = editable_plan(request, key)
    if kind is not None and kind not in services.KINDS:
        return Status(404, PlanningError(detail=f"No kind {kind}.", errors={"query.kind": [kind]}))
    kinds = [kind] if kind else list(services.KINDS)
    return [detail_out(k, row) for k in kinds for row in items_of(k, plan)]


@router.get("/items/{kind}/{item_key}", response={200: ItemDetailOut, **ERRORS})
def get_item(request: HttpRequest, kind: str, item_key: str):
    """One item with its version and fields."""
    return detail_out(kind, visible_item(request, kind, item_key))


@router.post("/items/{kind}/{item_key}/move", response={200: ItemOut, **ERRORS})
def move_item(request: HttpRequest, kind: str, item_key: str, payload: MoveIn):
    """Move an item to another goal area, objective or assignment of its plan."""
    row = visible_item(request, kind, item_key)
    try:
        row = services.move_item(
            row,
            actor=request.user,
            expected_version=payload.version,
            goal_area=payload.goal_area,
            objective=payload.objective,
            assignment=payload.assignment,
        )
    except REFUSALS as error:
        return refused(error)
    return item_out(kind, row)


@router.post("/plans/{key}/order/{kind}", response={204: None, **ERRORS})
def order_items(request: HttpRequest, key: str, kind: str, payload: OrderIn):
    """Number the listed items of `kind` 1, 2, … in the given order (the plan's other items
    of the kind keep their positions)."""
    plan = editable_plan(request, key)
    if kind not in services.KINDS:
        raise Http404
    ids = [i.id for i in payload.items]
    rows = {r.key: r for r in items_of(kind, plan).filter(key__in=ids)}
    missing = [k for k in ids if k not in rows]
    if missing:
        return Status(
            422,
            PlanningError(
                detail=f"Not items of {plan.key}: {', '.join(missing)}",
                errors={"body.payload.items": missing},
            ),
        )
    try:
        services.reorder_items(
            [rows[k] for k in ids], actor=request.user, versions=[i.version for i in payload.items]
        )
    except REFUSALS as error:
        return refused(error)
    return Status(204, None)


# --- Review comments ---------------------------------------------------------------------


class CommentIn(Schema):
    text: str


class AnswerIn(Schema):
    answer: str
    close: str = Field("", description='"", "resolved" or "acknowledged"')


class CommentOut(Schema):
    id: int
    plan: str
    kind: str
    item: str
    item_title: str
    text: str
    author: str | None
    created_at: datetime
    status: str
    answer: str
    answered_by: str | None
    answered_at: datetime | None
    closed_by: str | None
    closed_at: datetime | None


def comment_out(comment: ReviewComment) -> CommentOut:
    def name(user: Any) -> str | None:
        return user.username if user is not None else None

    return CommentOut(
        id=comment.pk,
        plan=comment.plan.key,
        kind=comment.item_kind,
        item=comment.item_key,
        item_title=comment.item_title,
        text=comment.text,
        author=name(comment.author),
        created_at=comment.created_at,
        status=comment.status,
        answer=comment.answer,
        answered_by=name(comment.answered_by),
        answered_at=comment.answered_at,
        closed_by=name(comment.closed_by),
        closed_at=comment.closed_at,
    )


@router.get("/plans/{key}/comments", response={200: list[CommentOut], **ERRORS})
def list_comments(
    request: HttpRequest,
    key: str,
    status: Literal["", "open", "resolved", "acknowledged"] = "",
):
    """The review comments on a plan and its parts (open first), for people with a role at
    its owner; `status` (open, resolved, acknowledged) filters."""
    plan = editable_plan(request, key)
    if not request.user.has_perm("verksam.view_review", plan):
        return Status(404, PlanningError(detail="Not found."))
    comments = ReviewComment.objects.visible_to(request.user).of_family(plan).for_list()
    if status:
        comments = comments.filter(status=status)
    return [comment_out(c) for c in comments]


@router.post("/items/{kind}/{item_key}/comments", response={201: CommentOut, **ERRORS})
def add_comment(request: HttpRequest, kind: str, item_key: str, payload: CommentIn):
    """Comment on an item (goal_area, objective, section, assignment, action, indicator) of
    a plan in review, with a role at its units."""
    if kind not in ReviewComment.Kind.values:
        raise Http404
    row = visible_item(request, kind, item_key)
    try:
        comment = review.add_comment(row, actor=request.user, text=payload.text)
    except REFUSALS as error:
        return refused(error)
    return Status(201, comment_out(comment))


def visible_comment(request: HttpRequest, pk: int) -> ReviewComment:
    return get_object_or_404(
        ReviewComment.objects.visible_to(request.user).select_related(
            "plan", "author", "answered_by", "closed_by"
        ),
        pk=pk,
    )


@router.post("/comments/{pk}/answer", response={200: CommentOut, **ERRORS})
def answer_comment(request: HttpRequest, pk: int, payload: AnswerIn):
    """A controller of the plan answers a comment; `close` also resolves or acknowledges
    it."""
    comment = visible_comment(request, pk)
    try:
        comment = review.answer_comment(
            comment, actor=request.user, answer=payload.answer, close=payload.close
        )
    except REFUSALS as error:
        return refused(error)
    return comment_out(comment)


class CloseIn(Schema):
    status: str = Field(description='"resolved" or "acknowledged"')


@router.post("/comments/{pk}/close", response={200: CommentOut, **ERRORS})
def close_comment(request: HttpRequest, pk: int, payload: CloseIn):
    """Resolve or acknowledge a comment (acknowledging needs an answer saying why)."""
    comment = visible_comment(request, pk)
    try:
        comment = review.close_comment(comment, actor=request.user, status=payload.status)
    except REFUSALS as error:
        return refused(error)
    return comment_out(comment)


@router.post("/comments/{pk}/reopen", response={200: CommentOut, **ERRORS})
def reopen_comment(request: HttpRequest, pk: int):
    """Open a closed comment again."""
    comment = visible_comment(request, pk)
    try:
        comment = review.reopen_comment(comment, actor=request.user)
    except REFUSALS as error:
        return refused(error)
    return comment_out(comment)
