"""Pages about the site itself."""

from datetime import date

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_guid.context import guid

from verksam.core.identity import identity
from verksam.core.navigation import Crumb

# When the statement was last checked against the site (the law asks for the date).
STATEMENT_REVIEWED = date(2026, 11, 26)


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Tillgänglighetsredogörelse, as the law on accessible public digital services requires
    (lag 2018:1937), following DIGG's model statement."""
    return render(
        request,
        "core/accessibility_statement.html",
        {
            "organisation": settings.ORGANISATION_NAME,
            "email": settings.ACCESSIBILITY_EMAIL,
            "phone": settings.ACCESSIBILITY_PHONE,
            "reviewed": STATEMENT_REVIEWED,
            "breadcrumbs": [
                Crumb(_("Home"), reverse("pages:home")),
                Crumb(_("Accessibility statement")),
            ],
        },
    )


# A year: the address carries the identity's version (`?v=`), which changes with it.
IDENTITY_MAX_AGE = 365 * 24 * 60 * 60


@require_safe
def identity_css(request: HttpRequest) -> HttpResponse:
    """The municipality's colours as CSS custom properties, a stylesheet of its own because the
    Content-Security-Policy allows no inline style."""
    site = identity()
    css = f":root {{ --header: {site.accent}; --header-text: {site.accent_text}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={IDENTITY_MAX_AGE}"
    return response


@require_safe
def identity_logo(request: HttpRequest) -> FileResponse:
    """The logo, when VERKSAM_LOGO names a file outside the static files."""
    site = identity()
    if site.logo_path is None:
        raise Http404
    response = FileResponse(site.logo_path.open("rb"), content_type=site.logo_type)
    response["Cache-Control"] = f"public, max-age={IDENTITY_MAX_AGE}"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """`/favicon.ico`, which browsers ask for on pages without a link (a PDF, the API)."""
    return HttpResponseRedirect(static("verksam/favicon.ico"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request's context processors so that it needs no
    database (which may be what failed), with the request id to quote to support."""
    html = loader.get_template("500.html").render(
        {"request_id": guid.get() or "", "identity": identity()}
    )
    return HttpResponseServerError(html)
