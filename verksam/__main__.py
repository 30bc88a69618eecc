"""The `verksam` command: Django's management commands with verksam's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verksam.config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["verksam", *sys.argv[1:]])
    except ImproperlyConfigured as error:
        # A setting missing or wrong: say which, without a traceback.
        sys.exit(f"verksam: {error}")


if __name__ == "__main__":
    main()
