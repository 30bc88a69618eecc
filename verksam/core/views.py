"""Pages about the site itself."""

from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_guid.context import guid

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


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request's context processors so that it needs no
    database (which may be what failed), with the request id to quote to support."""
    html = loader.get_template("500.html").render({"request_id": guid.get() or ""})
    return HttpResponseServerError(html)
