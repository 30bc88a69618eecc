"""Follow-up API: periods, a period's status reports, and submitting a status. Reads
follow the pages (closed periods of decided plans are public); writing needs a session
login and goes through `services.submit_status` with its checks and version."""

from datetime import date, datetime
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import field_validator

from verksam.core.validation import LongText, Title, Year, get_by_key
from verksam.followup import reporting, services
from verksam.followup.models import ITEMS, ReportingPeriod, StatusChoice, StatusReport
from verksam.plans.models import Action, Assignment

router = Router(tags=["follow-up"])


class PeriodOut(Schema):
    id: str
    plan: str
    kind: str
    as_of: date
    deadline: date
    status: str
    example_data: bool


class StatusOut(Schema):
    item_kind: str
    item: str
    status: str
    late: bool
    cause: str
    remedy: str
    new_forecast: str
    new_end_date: date | None
    analysis: str
    comment: str
    progress: int | None
    author: str
    updated_at: datetime
    version: int


class StatusIn(Schema):
    """A status report. Beyond these types: a deviating status (deviation, delayed,
    postponed) needs cause, remedy and a new forecast or end date; done means progress 100."""

    version: int = Field(strict=True)  # strict: JSON's true is not the number 1
    status: StatusChoice
    cause: LongText = ""
    remedy: LongText = ""
    new_forecast: Title = ""
    new_end_date: date | None = None
    analysis: LongText = ""
    comment: LongText = ""
    progress: int | None = Field(None, ge=0, le=100, strict=True)

    @field_validator("new_end_date", mode="before")
    @classmethod
    def date_as_text(cls, value: object) -> object:
        """A date is ISO text (2022-12-31); pydantic alone takes the number 0 as 1970-01-01."""
        if value is not None and not isinstance(value, str):
            raise ValueError("Give the date as text, e.g. 2022-12-31.")
        return value


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
    current: StatusOut | None = None


def period_out(period: ReportingPeriod) -> PeriodOut:
    return PeriodOut(
        id=period.key,
        plan=period.plan.key,
        kind=period.kind,
        as_of=period.as_of,
        deadline=period.deadline,
        status=period.status,
        example_data=period.is_example,
    )


def status_out(report: StatusReport, late: bool, *, show_author: bool = True) -> StatusOut:
    """A report as the API gives it; `show_author` only for callers with a role at the item
    (`verksam.view_author`), else the author is empty."""
    return StatusOut(
        item_kind=report.item_kind,
        item=report.item.key,
        status=report.status,
        late=late,
        cause=report.cause,
        remedy=report.remedy,
        new_forecast=report.new_forecast,
        new_end_date=report.new_end_date,
        analysis=report.analysis,
        comment=report.comment,
        progress=report.progress,
        author=report.author.get_username() if report.author and show_author else "",
        updated_at=report.updated_at,
        version=report.version,
    )


def visible_period(request: HttpRequest, key: str) -> ReportingPeriod:
    return get_by_key(ReportingPeriod.objects.visible_to(request.user).select_related("plan"), key)


@router.get("/periods", response=list[PeriodOut])
def list_periods(request: HttpRequest, year: Year | None = None) -> list[PeriodOut]:
    periods = ReportingPeriod.objects.visible_to(request.user).select_related("plan")
    if year is not None:
        periods = periods.filter(plan__year=year)
    return [period_out(p) for p in periods.order_by("plan__key", "as_of")]


@router.get("/periods/{key}/status-reports", response=list[StatusOut])
def list_status_reports(request: HttpRequest, key: str) -> list[StatusOut]:
    """The action's and assignment's reports in the period that the caller may read (an
    open round's only with a role at the item; a closed round's also on items of public
    plans), with "late" derived; the author only for callers with a role at the item."""
    period = visible_period(request, key)
    allowed = reporting.readable(period, request.user)
    return [
        status_out(row.report, row.late, show_author=allowed.author(row.kind, row.key))  # type: ignore[arg-type]  # a row's kind fixes its report's type
        for row in reporting.rows_for(period)
        if row.kind != "indicator" and row.report is not None and allowed.item(row.kind, row.key)
    ]


@router.put(
    "/periods/{key}/{kind}/{item_key}/status",
    response={200: StatusOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=django_auth,
)
def submit_status(request: HttpRequest, key: str, kind: str, item_key: str, payload: StatusIn):
    """Report a status; `version` is the version read (0 for a new report). A stale
    version gets 409 with the current report, and nothing is saved."""
    period = visible_period(request, key)
    model = ITEMS.get(kind)
    if model is None:
        raise HttpError(404, "Unknown item kind.")
    item = cast(
        Action | Assignment, get_by_key(model.objects.filter(plan__in=period.plans()), item_key)
    )
    data = payload.dict()
    try:
        report = services.submit_status(
            period, item, actor=request.user, expected_version=data.pop("version"), **data
        )
    except PermissionDenied:
        return error_response(403, ErrorOut(detail="You may not report on this item."))
    except services.EditConflict as conflict:
        late = reporting.is_late(period, item)
        current = status_out(conflict.current, late) if conflict.current else None
        return error_response(409, ErrorOut(detail=str(conflict), current=current))
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {}
        return error_response(422, ErrorOut(detail=" ".join(error.messages), errors=errors))
    return status_out(report, reporting.is_late(period, item))


def error_response(status: int, body: ErrorOut) -> JsonResponse:
    """An error with its documented body (a plain response works on every django-ninja)."""
    return JsonResponse(body.model_dump(mode="json"), status=status)
