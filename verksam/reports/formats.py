"""The report formats and the functions that produce a plan or follow-up report in any
of them.

Views and the `report` command both go through `plan_report` and `followup_report`, so a
page download and a file made on the command line are the same bytes.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from verksam.economy.reporting import economy_of
from verksam.followup.models import ReportingPeriod
from verksam.planning.diff import diff_states, plan_state, printable, state_at
from verksam.plans.models import Plan, PlanQuerySet
from verksam.reports.economy_document import economy_blocks, economy_sheet
from verksam.reports.excel import render_xlsx
from verksam.reports.followup_document import (
    fetch_followup_data,
    followup_document,
    followup_workbook,
)
from verksam.reports.pdf import render_pdf
from verksam.reports.plan_document import fetch_plan_content, plan_document
from verksam.reports.plan_workbook import plan_workbook
from verksam.reports.word import render_docx


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str


FORMATS = {
    "pdf": Format("pdf", "application/pdf", "PDF"),
    "docx": Format(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": Format(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
}


# Documents of decided plans and closed rounds are kept this long in the cache.
CACHE_SECONDS = 60 * 60 * 24 * 30
# What makes the bytes besides the data: the writers and the template.
WRITERS = ("pdf.py", "word.py", "excel.py", "ooxml.py", "typst/plan.typ")


def _writers_version() -> str:
    digest = hashlib.sha256()
    for name in WRITERS:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


WRITERS_VERSION = _writers_version()


def rendered(
    data: dict[str, Any],
    format_name: str,
    render: Callable[[dict[str, Any]], bytes],
    *,
    cacheable: bool,
) -> bytes:
    """`render(data)`, from the cache when `cacheable` (a decided plan, a closed round):
    keyed by the data itself, the format and the writers' version, so a change to anything
    printed, or to how it is printed, makes a new key and nothing stale is served;
    repeated downloads of a public document do not typeset it again."""
    if not cacheable:
        return render(data)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(f"{WRITERS_VERSION}:{format_name}:{text}".encode()).hexdigest()
    key = f"verksam-document:{digest}"
    found = cache.get(key)
    if found is None:
        found = render(data)
        cache.set(key, found, CACHE_SECONDS)
    return found


def plan_filename(plan: Plan, format_name: str) -> str:
    """E.g. `verksamhetsplan-KS-2022.pdf`."""
    return f"verksamhetsplan-{plan.owner.code}-{plan.year}.{FORMATS[format_name].extension}"


def plan_report(
    plan: Plan,
    format_name: str,
    *,
    visible: PlanQuerySet,
    progress: Callable[[str], None] = lambda step: None,
    changes_since: str | None = None,
) -> bytes:
    """The plan (with its parts among `visible`) as a PDF, Word document or workbook.
    `progress` is told each step as it starts (the command prints them). `changes_since`:
    a plan's id or a step of this plan's life (`review`, `decision`, `amendment-N`) whose
    differences to the plan now make a last section (`planning.diff`; ValidationError for
    an unknown one)."""
    progress("read")
    content = fetch_plan_content(plan, visible=visible)
    changes = None
    if changes_since:
        events = {"review", "decision"}
        ref = (
            f"{plan.key}@{changes_since}"
            if changes_since in events or changes_since.startswith("amendment-")
            else changes_since
        )
        before = state_at(ref, plans=visible)
        with translation.override("sv"):  # the documents' language
            found = diff_states(before, plan_state(plan))
            title = _("Changes since %(ref)s") % {"ref": ref}
            changes = (title, printable(found))
    progress("write")
    cacheable = plan.is_locked and changes is None
    if format_name == "xlsx":
        return rendered(plan_workbook(content), "xlsx", render_xlsx, cacheable=cacheable)
    document = plan_document(content, changes=changes)
    render = render_pdf if format_name == "pdf" else render_docx
    return rendered(document, format_name, render, cacheable=cacheable)


def followup_filename(period: ReportingPeriod, format_name: str, owner: str | None = None) -> str:
    """E.g. `uppfoljning-KS-2022-t1.pdf`, `uppfoljning-KS-2022-t1-KSK.docx`."""
    name = "-".join(filter(None, ["uppfoljning", period.key, owner]))
    return f"{name}.{FORMATS[format_name].extension}"


def followup_report(
    period: ReportingPeriod,
    format_name: str,
    *,
    owner: str | None = None,
    reader: User | AnonymousUser | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> bytes:
    """The period's follow-up (a closed period's from its snapshot) as a PDF, Word document
    or workbook; `owner` limits it to an office's items, `reader` to what that person may
    read of the round (None: everything, for the operator's command)."""
    progress("read")
    source = fetch_followup_data(period, owner=owner, reader=reader)
    economy = source.economy
    if economy is None:  # an open round, or a snapshot older than the economy
        figures = economy_of(period)
        if reader is not None and not (
            period.is_closed or reader.has_perm("verksam.view_internal", period)
        ):
            # An open round's forecasts are drafts, as on the economy page and in its API.
            figures.hide_drafts(figures.rows_forecast_by(reader))
        economy = figures.as_data()
        source = replace(source, economy=economy)  # the summary's figures too
    progress("write")
    cacheable = period.is_closed
    if format_name == "xlsx":
        workbook = followup_workbook(source)
        sheet = economy_sheet(economy, owner=owner)
        if sheet["rows"]:
            workbook["sheets"].append(sheet)
        return rendered(workbook, "xlsx", render_xlsx, cacheable=cacheable)
    document = followup_document(source, economy_blocks(economy, owner=owner))
    render = render_pdf if format_name == "pdf" else render_docx
    return rendered(document, format_name, render, cacheable=cacheable)
