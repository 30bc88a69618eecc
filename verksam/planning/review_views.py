"""The review pages of a plan: the comments on its items and their parts' (open ones, or
all), the controllers' answers, resolving and acknowledging (`planning.review`), and the way
to the decision, which open comments block."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verksam.core.navigation import Crumb, HtmxHttpRequest
from verksam.planning import review, services
from verksam.planning.forms import AnswerForm, CommentForm
from verksam.planning.models import ReviewComment
from verksam.plans.models import Plan


def reviewed_plan(request: HttpRequest, key: str) -> Plan:
    """A plan whose review the user reads (`verksam.view_review`), else 404."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("owner", "parent"), key=key
    )
    if not request.user.has_perm("verksam.view_review", plan):
        raise Http404
    return plan


def visible_comment(request: HttpRequest, pk: int) -> ReviewComment:
    return get_object_or_404(
        ReviewComment.objects.visible_to(request.user).select_related("plan__parent"), pk=pk
    )


def commented_item(request: HttpRequest, kind: str, key: str) -> Model:
    """An item of a plan the user reads, by kind and id, else 404."""
    if kind not in ReviewComment.Kind.values:
        raise Http404
    model = services.KINDS[kind].model
    plans = Plan.objects.visible_to(request.user)
    lookup = "goal_area__plan__in" if kind == "objective" else "plan__in"
    related = "goal_area__plan__owner" if kind == "objective" else "plan__owner"
    return get_object_or_404(
        model._default_manager.select_related(related).filter(**{lookup: plans}), key=key
    )


def back_to(request: HttpRequest, fallback: str) -> str:
    """The page the form came from (`next`, on this site), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def review_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    show = request.GET.get("show", "open")
    comments = ReviewComment.objects.visible_to(request.user).of_family(plan).for_list()
    counts = dict(
        ReviewComment.objects.of_family(plan)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if show != "all":
        show = "open"
        comments = comments.open()
    root = plan.root
    can_answer = request.user.has_perm("verksam.edit_plan", root) and not root.is_locked
    return {
        "plan": plan,
        "root": root,
        "show": show,
        "comments": list(comments),
        "open_count": counts.get(ReviewComment.Status.OPEN, 0),
        "total_count": sum(counts.values()),
        "can_answer": can_answer,
        "can_decide": can_answer and root.status == Plan.Status.REVIEW,
        "breadcrumbs": [
            Crumb(_("Home"), reverse("pages:home")),
            Crumb(plan.title, plan.get_absolute_url()),
            Crumb(_("Review")),
        ],
        **extra,
    }


@login_required
@require_safe
def plan_review(request: HttpRequest, key: str) -> HttpResponse:
    """A plan's review: the comments on its items and their parts' (open ones, or all),
    with the controllers' answer forms, and the decision form while it is in review."""
    plan = reviewed_plan(request, key)
    return render(request, "planning/plan_review.html", review_context(request, plan))


@login_required
@require_http_methods(["GET", "POST"])
def item_comments(request: HtmxHttpRequest, kind: str, key: str) -> HttpResponse:
    """The review comments on one item, and the form to add one (the item pages show the
    same; this page is where their form posts, and works without JavaScript)."""
    item = commented_item(request, kind, key)
    form = CommentForm()
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                review.add_comment(item, actor=request.user, text=form.cleaned_data["text"])
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                if request.htmx:
                    form = CommentForm()
                else:
                    messages.success(request, _("Your comment is saved."))
                    url = getattr(item, "get_absolute_url", None)
                    fallback = url() if url else services.plan_of(item).get_absolute_url()
                    return redirect(back_to(request, fallback) + "#review-comments")
    state = review.item_review(request.user, item)
    if state is None and not request.user.has_perm("verksam.comment_plan", item):
        raise PermissionDenied
    context = {
        "item": item,
        "review": state,
        "comment_form": form,
        "saved": request.method == "POST" and not form.errors,
        "breadcrumbs": [
            Crumb(_("Home"), reverse("pages:home")),
            Crumb(services.plan_of(item).title, services.plan_of(item).get_absolute_url()),
            Crumb(_("Review comments")),
        ],
    }
    status = 400 if form.errors else 200
    if request.htmx:
        return render(request, "planning/_item_comments.html", context, status=status)
    return render(request, "planning/item_comments.html", context, status=status)


@login_required
@require_POST
def comment_answer(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A controller answers a comment, and resolves or acknowledges it (the button)."""
    comment = visible_comment(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            comment = review.answer_comment(
                comment,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                close=form.cleaned_data["close"],
            )
        except ValidationError as refused:
            form.add_error(None, refused)
    if request.htmx:
        context = {
            "comment": comment,
            "answer_form": form,
            "can_answer": True,
            "answer_saved": not form.errors,
        }
        return render(
            request, "planning/_comment.html", context, status=400 if form.errors else 200
        )
    if form.errors:
        for error in form.errors.values():
            messages.error(request, " ".join(str(message) for message in error))
    else:
        messages.success(request, _("The answer is saved."))
    target = reverse("planning:plan_review", args=[comment.plan.root.key])
    return redirect(back_to(request, target) + f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_reopen(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Open a closed comment again."""
    comment = visible_comment(request, pk)
    error = ""
    try:
        comment = review.reopen_comment(comment, actor=request.user)
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if request.htmx:
        context = {
            "comment": comment,
            "answer_form": AnswerForm(),
            "can_answer": True,
            "error": error,
        }
        return render(request, "planning/_comment.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    target = reverse("planning:plan_review", args=[comment.plan.root.key])
    return redirect(back_to(request, target) + f"#comment-{comment.pk}")
