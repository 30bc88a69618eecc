"""Signing in and out, the person's own account page, and the administrators' pages for
users and roles. Every change goes through `verksam.accounts.services`, which checks that
the administrator manages the unit; a refused change is a 403 and changes nothing."""

import json
from collections.abc import Callable
from functools import wraps
from smtplib import SMTPException
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from verksam.accounts import services
from verksam.accounts.forms import ApiTokenForm, RoleGrantForm, UnitForm, UserCreateForm
from verksam.accounts.models import ApiToken, Membership, Role
from verksam.accounts.rules import unit_ids_with_role, users_managed_by
from verksam.organisation.models import OrgUnit

manages_users = permission_required("verksam.manage_users", raise_exception=True)


def signed_in(request: HttpRequest) -> User:
    """The person making the request, in views behind `login_required`."""
    return cast(User, request.user)


# --- Signing in and out ------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in with our page, and a single sign-on button when it is configured."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return super().get_context_data(
            sso_provider=settings.SSO_PROVIDER_NAME if settings.SSO_ENABLED else "",
            sso_failed="sso" in self.request.GET,
            **kwargs,
        )


def sso_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Single sign-on pages exist only when single sign-on is configured."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not settings.SSO_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# mozilla-django-oidc's views: off to the provider, and back with the code.
sso_start = sso_only(OIDCAuthenticationRequestView.as_view())
sso_callback = sso_only(OIDCAuthenticationCallbackView.as_view())


def lockout(request: HttpRequest, *axes_details: object) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: a page saying how long to wait (429).
    (axes also passes the refused response and the credentials; neither is shown.)"""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)


# --- Passwords: the person's own, and a forgotten or new account's (Django's views) -------


class InvalidIs400:
    """A form sent back with errors answers 400, as verksam's other forms do."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]  # the view's mixin provides it
        response.status_code = 400
        return response


class PasswordChangeView(InvalidIs400, SuccessMessageMixin, auth_views.PasswordChangeView):
    """Change one's own password; the other sessions end (Django's session check)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:my_account")
    success_message = gettext_lazy(
        "Your password is changed. You are logged out on your other devices."
    )


class PasswordResetView(InvalidIs400, auth_views.PasswordResetView):
    """Ask for a link by e-mail address. The answer is the same whether an account has the
    address or not; accounts without a password (single sign-on) get no link."""

    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Links are built on SITE_URL, not on the Host header the request came with.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(InvalidIs400, auth_views.PasswordResetConfirmView):
    """The link's page: choose a password (a new account's first one, or a new one)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


# --- The person's own account --------------------------------------------------------------


def render_my_account(
    request: HttpRequest, token_form: ApiTokenForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    user = signed_in(request)
    return render(
        request,
        "accounts/my_account.html",
        {
            "memberships": Membership.objects.filter(user=user).select_related("unit"),
            "tokens": ApiToken.objects.filter(user=user),
            "token_form": token_form,
            "new_token": new_token,
        },
        status=status,
    )


@require_safe
@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """The person's roles, API tokens, data download and "log out everywhere"."""
    return render_my_account(request, ApiTokenForm())


@require_safe
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything verksam keeps about the person, as a JSON file (GDPR art. 15)."""
    data = services.export_user_data(signed_in(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="verksam-my-data.json"'
    return response


@require_POST
@login_required
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of the person, on every device, this one included."""
    services.end_sessions(actor=signed_in(request), user=signed_in(request))
    logout(request)
    messages.success(request, _("You have been logged out on every device."))
    return redirect(settings.LOGIN_URL)


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a personal API token and show it once (it is not stored, so not redirected to)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render_my_account(request, form, status=400)
    _token, secret = services.create_api_token(
        actor=signed_in(request),
        user=signed_in(request),
        name=form.cleaned_data["name"],
    )
    return render_my_account(request, ApiTokenForm(), new_token=secret)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=signed_in(request), pk=pk)
    services.revoke_api_token(actor=signed_in(request), token=token)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("accounts:my_account")


# --- Administrators: users and roles ------------------------------------------------------


def managed_units(request: HttpRequest) -> QuerySet[OrgUnit]:
    """The units where the user is an administrator, directly or inherited."""
    return OrgUnit.objects.filter(pk__in=unit_ids_with_role(request.user, Role.ADMIN))


def managed_users(request: HttpRequest) -> QuerySet[User]:
    """The active people the administrator manages (`rules.users_managed_by`)."""
    return (
        users_managed_by(request.user)
        .filter(is_active=True)
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("unit")))
    )


@require_safe
@login_required
@manages_users
def user_list(request: HttpRequest) -> HttpResponse:
    users = managed_users(request).order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@manages_users
def user_create(request: HttpRequest) -> HttpResponse:
    """A new account with its first role; the person gets a link to choose a password."""
    form = UserCreateForm(
        request.POST or None, units=managed_units(request), sso=settings.SSO_ENABLED
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=signed_in(request),
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                unit=data["unit"],
                role=Role(data["role"]),
            )
        except ValidationError as error:
            form.add_error(None, error)  # full_clean's errors name their fields
        else:
            messages.success(request, _("%(user)s is created.") % {"user": user.username})
            if form.wants_link:
                send_link(request, user)
            return redirect("accounts:user_detail", pk=user.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


def send_link(request: HttpRequest, user: User) -> None:
    """Send the set-password link and say how it went: a refusal or an e-mail server that
    does not answer is a message on the page, not an error page."""
    try:
        services.send_password_link(actor=signed_in(request), user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (SMTPException, OSError):
        messages.error(
            request,
            _("The link could not be sent: the e-mail server did not answer. Try again later."),
        )
    else:
        messages.success(
            request,
            _("A link to choose a password has been sent to %(email)s.") % {"email": user.email},
        )


@require_POST
@login_required
@manages_users
def user_send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the person a new set-password link (the first one expired or went astray)."""
    user = get_object_or_404(managed_users(request), pk=pk)
    send_link(request, user)
    return redirect("accounts:user_detail", pk=user.pk)


def render_user_detail(
    request: HttpRequest, user: User, grant_form: RoleGrantForm, status: int = 200
) -> HttpResponse:
    mine = unit_ids_with_role(request.user, Role.ADMIN)
    roles = [(m, m.unit_id in mine) for m in user.memberships.all()]
    return render(
        request,
        "accounts/user_detail.html",
        {"person": user, "roles": roles, "grant_form": grant_form},
        status=status,
    )


@require_safe
@login_required
@manages_users
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's roles, with forms to grant and revoke them at the administrator's units."""
    user = get_object_or_404(managed_users(request), pk=pk)
    return render_user_detail(request, user, RoleGrantForm(units=managed_units(request)))


@require_POST
@login_required
@manages_users
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(managed_users(request), pk=pk)
    form = RoleGrantForm(request.POST, units=managed_units(request))
    if not form.is_valid():
        return render_user_detail(request, user, form, status=400)
    unit, role = form.cleaned_data["unit"], Role(form.cleaned_data["role"])
    services.grant_role(actor=signed_in(request), user=user, unit=unit, role=role)
    messages.success(
        request,
        _("%(user)s is %(role)s at %(unit)s.")
        % {"user": user.username, "role": role.label, "unit": unit.name},
    )
    return redirect("accounts:user_detail", pk=user.pk)


@require_POST
@login_required
@manages_users
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(managed_users(request), pk=pk)
    form = UnitForm(request.POST)
    if not form.is_valid():
        return render_user_detail(
            request, user, RoleGrantForm(units=managed_units(request)), status=400
        )
    unit = form.cleaned_data["unit"]
    try:
        services.revoke_role(actor=signed_in(request), user=user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(user)s no longer has a role at %(unit)s.")
            % {"user": user.username, "unit": unit.name},
        )
    return redirect("accounts:user_detail", pk=user.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@manages_users
def user_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a person's personal data (GDPR art. 17) after a confirmation page; the audit
    trail keeps a pseudonym."""
    user = get_object_or_404(managed_users(request), pk=pk)
    if request.method == "POST":
        username = user.username
        services.remove_user(actor=signed_in(request), user=user)
        messages.success(request, _("%(user)s is removed.") % {"user": username})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_remove.html", {"person": user})
