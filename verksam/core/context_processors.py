"""Template context that every page needs."""

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from verksam.core.identity import Identity, identity

# Plans, their items and the organisation's names are written in Swedish.
CONTENT_LANGUAGE = "sv"


def content_language(request: HttpRequest) -> dict[str, SafeString]:
    """`content_lang`: a ` lang="sv"` attribute for elements that show plan content, when the
    interface is in another language, so that screen readers read the content as Swedish."""
    if (get_language() or "").split("-")[0] == CONTENT_LANGUAGE:
        return {"content_lang": mark_safe("")}
    return {"content_lang": mark_safe(f' lang="{CONTENT_LANGUAGE}"')}


def site_identity(request: HttpRequest) -> dict[str, Identity]:
    """`identity`: the municipality's name, logo and colours (core/identity.py)."""
    return {"identity": identity()}
