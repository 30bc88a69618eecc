"""Who may do what: a user's roles, each held at one organisational unit and inherited
by everything below it in the tree."""

from django.conf import settings
from django.contrib.auth.models import User
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


# Changes to user accounts are audited like plan data; the password hash and the login
# time are not kept in the history.
register(User, app="verksam.accounts", excluded_fields=["password", "last_login"])
