"""Word and Excel files that are the same bytes for the same data.

Both are zip packages whose entries the libraries date with the current time (and
openpyxl also stamps the workbook's "modified" property with it). Reports of closed
periods must reproduce identically later, so every entry is dated `FIXED_TIME` instead.
"""

import io
import zipfile
from datetime import datetime

# The zip format cannot date anything before 1980.
FIXED_TIME = datetime(2000, 1, 1)


def reproducible(package: bytes) -> bytes:
    """The same package with every entry dated `FIXED_TIME`, in the same order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry))
    return out.getvalue()
