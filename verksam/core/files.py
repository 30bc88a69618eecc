"""Files that commands write (`report -o`, `export-plan -o`): refused before any work when
they cannot be written, and a failed write is a message, not a traceback."""

import os
from pathlib import Path

from django.core.management.base import CommandError


def check_output_file(path: Path) -> None:
    """Refuse a path that is a folder, lies in a folder that does not exist, or may not be
    written, so that a command says so before it spends time rendering."""
    if path.is_dir():
        raise CommandError(
            f"-o {path}: en mapp; ange en fil i den / a folder; give a file in it, "
            f"e.g. {path / 'plan.pdf'}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise CommandError(
            f"-o {path}: mappen {folder} finns inte / the folder {folder} does not exist"
        )
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise CommandError(f"-o {path}: får inte skriva där / no permission to write there")


def write_output_file(path: Path, content: bytes) -> None:
    """Write the command's result; a disk that is full or gone is a message."""
    try:
        path.write_bytes(content)
    except OSError as error:
        raise CommandError(
            f"-o {path}: kunde inte skriva / could not write: {error.strerror}"
        ) from error
