"""Files that commands write (`report -o`, `export-plan -o`): refused before any work when
they cannot be written, and a failed write is a message, not a traceback."""

import os
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def check_output_file(path: Path) -> None:
    """Refuse a path that is a folder, lies in a folder that does not exist, or may not be
    written, so that a command says so before it spends time rendering."""
    if path.is_dir():
        raise CommandError(
            f"-o {path}: "
            + _("a folder; give a file in it, e.g. %(example)s") % {"example": path / "plan.pdf"}
        )
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(
            f"-o {path}: " + _("the folder %(folder)s does not exist") % {"folder": folder}
        )
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise CommandError(f"-o {path}: " + _("no permission to write there"))


def write_output_file(path: Path, content: bytes) -> None:
    """Write the command's result; a disk that is full or gone is a message."""
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(
            f"-o {path}: " + _("could not write: %(error)s") % {"error": error.strerror}
        ) from error
