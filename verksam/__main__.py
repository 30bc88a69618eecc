"""The `verksam` command: Django's management commands with verksam's settings.

Commands speak Swedish, or English where the usual locale variables ask for it
(`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, in gettext's order: `LANG=en_GB.UTF-8`)."""

import os
import sys
from collections.abc import Mapping


def command_language(environ: Mapping[str, str] = os.environ) -> str:
    """The language the locale variables ask for: `en` or `sv` (the default)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            first = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return first if first in ("en", "sv") else "sv"
    return "sv"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.utils import translation

    try:
        django.setup()
        translation.activate(command_language())
        execute_from_command_line(["verksam", *sys.argv[1:]])
    except ImproperlyConfigured as error:
        # A setting missing or wrong: say which, without a traceback.
        sys.exit(f"verksam: {error}")


if __name__ == "__main__":
    main()
