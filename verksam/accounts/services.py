"""Writes to users and roles. Pages, the API and the `verksam user` command all call these,
so that the rule on who may grant what, and the audit trail, are the same everywhere.

`actor` is the person doing it; None means the server's operator at the command line.
"""

from typing import Any

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from simple_history.models import HistoricalChanges

from verksam.accounts.models import ApiToken, Membership, Role, token_digest
from verksam.accounts.rules import forget_scopes
from verksam.organisation.models import OrgUnit


def check_may_manage(actor: User | None, unit: OrgUnit) -> None:
    """Administrators manage roles at their units and below; the operator everywhere."""
    if actor is not None and not actor.has_perm("verksam.manage_users", unit):
        raise PermissionDenied(_("You may not manage roles at %(unit)s.") % {"unit": unit.name})


def check_manages_person(actor: User | None, user: User) -> None:
    """Administrators manage the people who hold a role at one of their units; people
    without any role and superusers, only superusers (`rules.users_managed_by`)."""
    if actor is not None and not actor.has_perm("verksam.manage_person", user):
        raise PermissionDenied(
            _("%(user)s holds no role at your units: only a superuser may manage them.")
            % {"user": user.username}
        )


def sync_staff(user: User, *, actor: User | None) -> None:
    """Controllers and administrators edit plan structure in the admin site, so they are
    staff; other roles are not. Also drops the user's cached scopes."""
    staff = (
        user.is_superuser or user.memberships.filter(role__in=Role.CONTROLLER.and_above()).exists()
    )
    if user.is_staff != staff:
        user.is_staff = staff
        user._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
        user.save(update_fields=["is_staff"])
    forget_scopes(user)


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    unit: OrgUnit | None = None,
    role: Role | None = None,
    password: str | None = None,
) -> User:
    """A new account. An administrator creates it with its first role, at one of their
    units, so that it is theirs to manage; without a role only a superuser or the operator
    may. People choose their own password from a set-password link (`send_password_link`);
    only the operator's command sets one. Single sign-on accounts have none."""
    if actor is not None and not actor.has_perm("verksam.manage_users"):
        raise PermissionDenied(_("Only administrators may create users."))
    if actor is not None and password:
        raise PermissionDenied(_("People choose their own password, from the link sent to them."))
    if unit is None or role is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("Give the new account a role at one of your units."))
    else:
        check_may_manage(actor, unit)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    user.save()
    if unit is not None and role is not None:
        membership = Membership(user=user, unit=unit, role=role)
        membership._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
        membership.save()
        sync_staff(user, actor=actor)
    return user


def send_password_link(*, actor: User | None, user: User) -> None:
    """E-mail the person a link to set their password (Django's password-reset token: valid
    for PASSWORD_RESET_TIMEOUT, once, and void once the password changes)."""
    check_manages_person(actor, user)
    if not user.email:
        raise ValidationError(
            _("%(user)s has no e-mail address to send the link to.") % {"user": user.username}
        )
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": settings.SITE_URL + path, "site_url": settings.SITE_URL}
    subject = render_to_string("accounts/email/password_set_subject.txt", context)
    body = render_to_string("accounts/email/password_set_email.txt", context)
    # Not PasswordResetForm.send_mail: it logs a failure and carries on; the page says it.
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def grant_role(*, actor: User | None, user: User, unit: OrgUnit, role: Role) -> Membership:
    """Give `user` the role at `unit` (replacing another role the user held there)."""
    check_manages_person(actor, user)
    check_may_manage(actor, unit)
    membership = Membership.objects.filter(user=user, unit=unit).first() or Membership(
        user=user, unit=unit
    )
    membership.role = role
    membership._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    membership.save()
    sync_staff(user, actor=actor)
    return membership


@transaction.atomic
def revoke_role(*, actor: User | None, user: User, unit: OrgUnit) -> None:
    """Take away the role `user` holds at `unit`."""
    check_manages_person(actor, user)
    check_may_manage(actor, unit)
    membership = Membership.objects.filter(user=user, unit=unit).first()
    if membership is None:
        raise ValidationError(
            _("%(user)s holds no role at %(unit)s.") % {"user": user.username, "unit": unit.name}
        )
    membership._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    membership.delete()
    sync_staff(user, actor=actor)


def audited_models() -> list[type[HistoricalChanges]]:
    """The history tables that record who made a change (all but the link tables)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
        and any(field.name == "history_user" for field in model._meta.fields)
    ]


def export_user_data(user: User) -> dict[str, Any]:
    """Everything verksam keeps about a person (GDPR art. 15): the account, the roles and
    the changes the person made, as recorded in the audit trail."""
    changes = []
    for history in audited_models():
        for row in history.objects.filter(history_user=user):
            changes.append(
                {
                    "when": row.history_date.isoformat(),
                    "what": str(history.instance_type._meta.verbose_name),
                    "object": str(row.instance),
                    "change": {"+": "created", "~": "changed", "-": "deleted"}[row.history_type],
                }
            )
    changes.sort(key=lambda change: change["when"])
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "is_active": user.is_active,
        "roles": [
            {"unit": m.unit.code, "role": m.role} for m in user.memberships.select_related("unit")
        ],
        "api_tokens": [
            {"name": t.name, "created": t.created.isoformat()} for t in user.api_tokens.all()
        ],
        "changes": changes,
    }


@transaction.atomic
def remove_user(*, actor: User | None, user: User) -> str:
    """Erase a person's data (GDPR art. 17) but keep the audit trail: the account stays as a
    pseudonym that the history rows still point to. Returns the pseudonym.

    An administrator removes only people whose every role is at units they manage; people
    without any role, and superusers, only a superuser removes."""
    check_manages_person(actor, user)
    memberships = list(user.memberships.select_related("unit"))
    for membership in memberships:
        check_may_manage(actor, membership.unit)
    pseudonym = f"removed-{user.pk}"
    for membership in memberships:
        membership._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
        membership.delete()
    user.api_tokens.all().delete()
    user.sessions.all().delete()
    AccessAttempt.objects.filter(username=user.username).delete()
    user.username = pseudonym
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    user.save()
    # The account's own history held the name and address too.
    User.history.filter(id=user.pk).update(  # type: ignore[attr-defined]  # simple-history's manager, made at run time
        username=pseudonym, first_name="", last_name="", email=""
    )
    forget_scopes(user)
    return pseudonym


def check_is_self(actor: User | None, user: User) -> None:
    """Sessions and API tokens are personal: a person manages their own; the operator all."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You may only manage your own sessions and API tokens."))


def end_sessions(*, actor: User | None, user: User) -> int:
    """Log `user` out on every device ("log out everywhere"). Returns how many sessions ended."""
    check_is_self(actor, user)
    deleted, _counts = user.sessions.all().delete()
    return deleted


@transaction.atomic
def create_api_token(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A personal API token. Only its hash is kept, so the token is returned this once."""
    check_is_self(actor, user)
    secret = ApiToken.new_secret()
    token = ApiToken(user=user, name=name, digest=token_digest(secret))
    token.full_clean()
    token._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    token.save()
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: User | None, token: ApiToken) -> None:
    """Delete a token; the API refuses it from the next request on."""
    check_is_self(actor, token.user)
    token._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook for who changed it
    token.delete()
