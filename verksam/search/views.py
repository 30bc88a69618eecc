"""The search page: words in titles, texts and notes of assignments, actions, indicators and
risks, grouped by kind, with the matching words marked."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from verksam.core.navigation import Crumb
from verksam.core.validation import without_refused
from verksam.plans.models import Plan
from verksam.search.fulltext import HIGHLIGHT_END, HIGHLIGHT_START, Hit, search, words
from verksam.search.models import SearchDocument

PER_KIND = 25
MAX_QUERY_LENGTH = 200
URL_NAMES: dict[str, str] = {
    SearchDocument.Kind.ASSIGNMENT: "pages:assignment_detail",
    SearchDocument.Kind.ACTION: "pages:action_detail",
    SearchDocument.Kind.INDICATOR: "pages:indicator_detail",
}


def result_url(hit: Hit) -> str:
    """An item's own page; a risk's place on its plan's risk page."""
    if hit.kind == SearchDocument.Kind.RISK:
        return f"{reverse('risks:plan_risks', args=[hit.plan_key])}#risk-{hit.key}"
    return reverse(URL_NAMES[hit.kind], args=[hit.key])


def marked(text: str) -> SafeString:
    """The text escaped, then the database's match marks turned into <mark>."""
    html = escape(text).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>")
    return mark_safe(html)


@dataclass(frozen=True)
class Result:
    url: str
    title: SafeString
    excerpt: SafeString
    office: str


@dataclass
class Group:
    """The matches of one kind: the best of them, and how many there are in all."""

    kind: str
    label: str
    total: int
    results: list[Result]


def grouped(hits: list[Hit]) -> list[Group]:
    groups = {kind: Group(kind, str(label), 0, []) for kind, label in SearchDocument.Kind.choices}
    for hit in hits:
        group = groups[hit.kind]
        group.total = hit.total_in_kind
        group.results.append(
            Result(
                url=result_url(hit),
                title=marked(hit.title),
                excerpt=marked(hit.excerpt),
                office=hit.office,
            )
        )
    return [g for g in groups.values() if g.results]


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    """Search documents of plans the user may read (a part of a hidden board plan is hidden)."""
    # Control characters can mean nothing in a search (and PostgreSQL refuses NUL).
    query = without_refused(request.GET.get("q", "")).strip()[:MAX_QUERY_LENGTH]
    visible = Plan.objects.visible_to(request.user)
    readable = visible.filter(Q(parent__isnull=True) | Q(parent__in=visible))
    groups = grouped(search(query, readable, per_kind=PER_KIND)) if words(query) else []
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "searched": bool(words(query)),
            "groups": groups,
            "per_kind": PER_KIND,
            "breadcrumbs": [Crumb(_("Home"), reverse("pages:home")), Crumb(_("Search"))],
        },
    )
