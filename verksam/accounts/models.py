"""Who may do what: a user's roles, each held at one organisational unit and inherited
by everything below it in the tree."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

from verksam.organisation.models import OrgUnit


class Role(models.TextChoices):
    """Roles from least to most; each includes what the ones before it may do."""

    READER = "reader", _("reader")
    REPORTER = "reporter", _("reporter")
    CONTROLLER = "controller", _("controller")
    ADMIN = "admin", _("administrator")

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def and_above(self) -> list["Role"]:
        return [role for role in Role if role.rank >= self.rank]


class Membership(models.Model):
    """A role a user holds at a unit, and so at every unit below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role)
    history = HistoricalRecords()

    owner_path = "unit"

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user__username", "unit__position", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class Session(AbstractBaseSession):
    """A signed-in browser session, stored with its user so that all of a user's sessions
    can be ended at once ("log out everywhere"); see `verksam.accounts.sessions`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.CASCADE,
        related_name="sessions",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls) -> type:
        from verksam.accounts.sessions import SessionStore

        return SessionStore


TOKEN_PREFIX = "verksam_"


def token_digest(secret: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_secret(self, secret: str) -> "ApiToken | None":
        """The token an API caller presents, if it exists and its user may still sign in."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        return (
            self.filter(digest=token_digest(secret), user__is_active=True)
            .select_related("user")
            .first()
        )


class ApiToken(models.Model):
    """A personal token for the API (`Authorization: Bearer …`). Only its hash is stored;
    the token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["digest"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["user", "-created"]

    def __str__(self) -> str:
        return f"{self.user} – {self.name}"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


# Changes to user accounts are audited like plan data; the password hash and the login
# time are not kept in the history.
register(User, app="verksam.accounts", excluded_fields=["password", "last_login"])
