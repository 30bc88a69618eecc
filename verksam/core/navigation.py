"""The breadcrumb trail every page shows above its heading."""

from dataclasses import dataclass

from django.utils.text import Truncator

CRUMB_LENGTH = 60


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb trail; the last one (without url) is the current page."""

    label: str
    url: str = ""


def short(text: object) -> str:
    """A title cut to fit a breadcrumb."""
    return Truncator(str(text)).chars(CRUMB_LENGTH)
