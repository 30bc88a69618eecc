"""`verksam user …`: manage users and their roles from the command line."""

import json
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from verksam.accounts import services
from verksam.accounts.models import Membership, Role
from verksam.organisation.models import OrgUnit


class Command(BaseCommand):
    help = "Manage users and roles."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--email", default="")
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input (without it: single sign-on only, "
            "or --send-link)",
        )
        create.add_argument(
            "--send-link",
            action="store_true",
            help="e-mail the person a link to choose their password (needs --email)",
        )
        grant = commands.add_parser("grant", help="give a user a role at a unit")
        grant.add_argument("username")
        grant.add_argument("role", choices=Role.values)
        grant.add_argument("unit", help="unit code, e.g. KSK")
        revoke = commands.add_parser("revoke", help="take away a user's role at a unit")
        revoke.add_argument("username")
        revoke.add_argument("unit")
        commands.add_parser("list", help="list users and their roles")
        export = commands.add_parser("export", help="a user's personal data as JSON (GDPR)")
        export.add_argument("username")
        remove = commands.add_parser("remove", help="erase a user's personal data (GDPR)")
        remove.add_argument("username")
        token = commands.add_parser("token", help="make a personal API token (printed once)")
        token.add_argument("username")
        token.add_argument("--name", default="verksam user token")
        token.add_argument(
            "--revoke", action="store_true", help="revoke the user's tokens of that name instead"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, f"do_{action}")(**options)
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error

    def do_create(
        self, *, username: str, password_stdin: bool, send_link: bool, **options: Any
    ) -> None:
        if send_link and not options["email"]:
            raise CommandError(_("--send-link needs --email"))
        password = self.stdin_password() if password_stdin else None
        user = services.create_user(
            actor=None,
            username=username,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            password=password,
        )
        self.stdout.write(_("Created %(username)s") % {"username": user.username})
        if send_link:
            services.send_password_link(actor=None, user=user)
            self.stdout.write(_("Link sent to %(email)s") % {"email": user.email})

    def do_grant(self, *, username: str, role: str, unit: str, **options: Any) -> None:
        membership = services.grant_role(
            actor=None, user=find_user(username), unit=find_unit(unit), role=Role(role)
        )
        self.stdout.write(f"{membership.user.username}: {membership.role} @ {unit}")

    def do_revoke(self, *, username: str, unit: str, **options: Any) -> None:
        services.revoke_role(actor=None, user=find_user(username), unit=find_unit(unit))
        self.stdout.write(f"{username}: - @ {unit}")

    def do_list(self, **options: Any) -> None:
        users = User.objects.order_by("username").prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("unit"))
        )
        inactive = _("inactive")
        for user in users:
            roles = ", ".join(f"{m.role}@{m.unit.code}" for m in user.memberships.all())
            flags = "" if user.is_active else f" ({inactive})"
            self.stdout.write(f"{user.username}{flags}\t{roles or '-'}")

    def do_export(self, *, username: str, **options: Any) -> None:
        data = services.export_user_data(find_user(username))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def do_remove(self, *, username: str, **options: Any) -> None:
        pseudonym = services.remove_user(actor=None, user=find_user(username))
        self.stdout.write(f"{username} → {pseudonym}")

    def do_token(self, *, username: str, name: str, revoke: bool, **options: Any) -> None:
        user = find_user(username)
        if not revoke:
            _token, secret = services.create_api_token(actor=None, user=user, name=name)
            self.stdout.write(secret)
            return
        tokens = list(user.api_tokens.filter(name=name))
        if not tokens:
            raise CommandError(
                _("%(username)s has no token «%(name)s»") % {"username": username, "name": name}
            )
        for token in tokens:
            services.revoke_api_token(actor=None, token=token)
        self.stdout.write(
            ngettext(
                "%(username)s: %(count)s token «%(name)s» revoked",
                "%(username)s: %(count)s tokens «%(name)s» revoked",
                len(tokens),
            )
            % {"username": username, "count": len(tokens), "name": name}
        )

    def stdin_password(self) -> str:
        import sys

        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError(_("No password on standard input"))
        return password


def find_user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(_("No user «%(username)s»") % {"username": username}) from None


def find_unit(code: str) -> OrgUnit:
    try:
        return OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        raise CommandError(_("No unit «%(code)s»") % {"code": code}) from None
