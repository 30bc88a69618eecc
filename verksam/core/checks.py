"""verksam's own `check --deploy` warnings: settings that Django cannot know are wrong."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Set-password links and reminders are e-mailed with SITE_URL in them."""
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL}: links in e-mails (set-password links, "
            "reminders) would point there.",
            hint="Set SITE_URL to the https:// address people reach verksam at.",
            id="verksam.W001",
        )
    ]


@register("identity")
def check_identity(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The municipality's name, logo and accent colour (core/identity.py): a colour without
    enough contrast, or a logo that cannot be shown, is refused; say so at every start."""
    from verksam.core.identity import identity_problems

    return [
        Warning(
            problem,
            hint="See docs/operations.md, Identity.",
            id="verksam.W002",
        )
        for problem in identity_problems()
    ]
