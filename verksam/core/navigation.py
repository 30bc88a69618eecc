"""The breadcrumb trail every page shows above its heading, and the request type of pages
that htmx loads in parts."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.text import Truncator
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CRUMB_LENGTH = 60


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumb trail; the last one (without url) is the current page."""

    label: "StrOrPromise"
    url: str = ""


def short(text: object) -> str:
    """A title cut to fit a breadcrumb."""
    return Truncator(str(text)).chars(CRUMB_LENGTH)


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it (for type checking views)."""

    htmx: HtmxDetails
