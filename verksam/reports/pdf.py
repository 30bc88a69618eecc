"""The plan and follow-up documents as a tagged PDF (PDF/UA-1), typeset by Typst.

The document goes to the template as JSON in `sys.inputs`, never as Typst markup, so no
text in a plan can change how the document is built. Only the fonts that come with
Typst are used (no system fonts), so the same data gives the same PDF on every machine.
"""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typst

TEMPLATE = Path(__file__).parent / "typst" / "plan.typ"


def render_pdf(document: dict[str, Any], *, timestamp: datetime | None = None) -> bytes:
    """Typeset `document` (from plan_document or followup_document). `timestamp` is the
    PDF's creation date; the default (the epoch) keeps the output the same for the same data."""
    return typst.compile(
        TEMPLATE,
        sys_inputs={"document": json.dumps(document, ensure_ascii=False)},
        pdf_standards="ua-1",
        ignore_system_fonts=True,
        timestamp=timestamp or datetime.fromtimestamp(0, UTC),
    )
