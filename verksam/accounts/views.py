"""Signing in and out, the person's own account page, and the administrators' pages for
users and roles. Every change goes through `verksam.accounts.services`, which checks that
the administrator manages the unit; a refused change is a 403 and changes nothing."""

import json
from collections.abc import Callable
from functools import wraps
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from verksam.accounts import services
from verksam.accounts.forms import ApiTokenForm, RoleGrantForm, UnitForm, UserCreateForm
from verksam.accounts.models import ApiToken, Membership, Role
from verksam.accounts.rules import unit_ids_with_role
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
    """Active people holding a role at one of the administrator's units, and people holding
    none (new accounts wait there for their first role). Superusers only for superusers."""
    units = unit_ids_with_role(request.user, Role.ADMIN)
    users = User.objects.filter(
        Q(memberships__unit__in=units) | Q(memberships__isnull=True), is_active=True
    )
    if not request.user.is_superuser:
        users = users.filter(is_superuser=False)
    return User.objects.filter(pk__in=users.values("pk")).prefetch_related(
        Prefetch("memberships", Membership.objects.select_related("unit"))
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
    """A new account without roles; the next page grants them."""
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=signed_in(request), **form.cleaned_data)
        except ValidationError as error:
            # full_clean names the fields; password validation does not.
            form.add_error(None if hasattr(error, "error_dict") else "password", error)
        else:
            messages.success(request, _("%(user)s is created.") % {"user": user.username})
            return redirect("accounts:user_detail", pk=user.pk)
    status = 400 if form.errors else 200
    return render(request, "accounts/user_create.html", {"form": form}, status=status)


def render_user_detail(
    request: HttpRequest, user: User, grant_form: RoleGrantForm, status: int = 200
) -> HttpResponse:
    mine = unit_ids_with_role(request.user, Role.ADMIN)
    roles = [(m, m.unit_id in mine) for m in user.memberships.all()]  # type: ignore[attr-defined]
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
