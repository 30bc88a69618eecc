"""Plan items as an Excel workbook: one sheet per kind, with filters, a frozen header
row and Swedish number formats.

Every text from a plan is stored as a text cell, so a text that starts with `=`, `+`,
`-` or `@` stays text and is never evaluated as a formula.
"""

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from verksam.core.validation import printable
from verksam.reports.ooxml import FIXED_TIME, reproducible

HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Number formats are written in Excel's neutral notation; a Swedish Excel shows them with
# a space between thousands and a decimal comma (`-152 445`, `3,0`).
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


def number_format(value: Decimal, *, percent: bool = False) -> str:
    """As many decimals as the value was printed with (`3,0` stays `3,0`); a percentage
    keeps its value as printed (3,0, not 0,03) and shows ` %` after it."""
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    code = INTEGER_FORMAT + ("." + "0" * decimals if decimals else "")
    return code + '" %"' if percent else code


def render_xlsx(workbook: dict[str, Any]) -> bytes:
    """Write `workbook` (from plan_workbook) as a .xlsx file."""
    workbook = printable(workbook)
    book = Workbook()
    book.remove(book.active)
    book.properties.title = workbook["title"]
    book.properties.creator = "verksam"
    for sheet_data in workbook["sheets"]:
        sheet = book.create_sheet(_sheet_title(sheet_data["title"]))
        columns = sheet_data["columns"]
        sheet.append([column["label"] for column in columns])
        for cell in sheet[1]:
            cell.font = HEADER_FONT
            cell.alignment = WRAP
        for row in sheet_data["rows"]:
            sheet.append(
                [_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)]
            )
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column["width"]
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    # openpyxl's save() stamps the workbook with the current time; its writer does not.
    book.properties.created = book.properties.modified = FIXED_TIME
    out = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return reproducible(out.getvalue())


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def _cell(sheet: Any, value: Any, column: dict[str, Any]) -> Cell | None:
    if value is None or value == "":
        return None
    cell = Cell(sheet)
    kind = column["kind"]
    if kind == "number":
        number = Decimal(value["value"])
        cell.value = number
        cell.number_format = number_format(number, percent=value["unit"] == "%")
    elif kind == "int":
        cell.value = int(value)
    elif kind == "date":
        cell.value = date.fromisoformat(value)
        cell.number_format = DATE_FORMAT
    else:
        cell.value = str(value)
        # openpyxl stores a text starting with "=" as a formula; force it to text.
        cell.data_type = "s"
        cell.alignment = WRAP
    return cell
