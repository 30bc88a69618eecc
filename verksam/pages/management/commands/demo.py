from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from verksam.accounts import services as accounts
from verksam.accounts.models import Role
from verksam.economy.examples import load_example_economy
from verksam.followup.examples import load_example_round
from verksam.imports.services import load_plan
from verksam.organisation.models import OrgUnit

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "verksam-demo"
# One login per role, to try what each may see and do (same password as the demo login).
DEMO_PERSONAS = [
    ("controller", Role.CONTROLLER, "KS"),
    ("rapportor", Role.REPORTER, "KSK-STAB"),
    ("lasare", Role.READER, "KSK"),
    ("politiker", Role.READER, "KS"),
]


class Command(BaseCommand):
    help = (
        "Prepare the demo: migrate the database, load the Norrtälje 2022 plan, create the demo "
        "login; then serve it on http://127.0.0.1:8000 unless --no-serve. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Prepare only.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool, addrport: str, **options) -> None:
        if not settings.DEVELOPMENT:
            # The demo's logins have a published password: never on a production server.
            raise CommandError(
                _(
                    "The demo creates logins with a known password: run it in development "
                    "mode (VERKSAM_ENV=development, as ./run demo does)"
                )
            )
        call_command("migrate", interactive=False, verbosity=0)
        result = load_plan([settings.DEMO_PLAN_DIR])
        created = sum(result.created.values())
        self.stdout.write(
            _(
                "Plan %(plan)s: %(created)s new items, %(updated)s updated, %(anomalies)s data "
                "anomalies (list them with: verksam load-plan %(folder)s)"
            )
            % {
                "plan": settings.DEMO_PLAN_DIR.name,
                "created": created,
                "updated": sum(result.updated.values()),
                "anomalies": len(result.anomalies),
                "folder": settings.DEMO_PLAN_DIR,
            }
        )
        example = load_example_round(settings.DEMO_FOLLOWUP_FILE)
        self.stdout.write(
            _("Example data: %(period)s (%(state)s)")
            % {
                "period": example.period,
                "state": _("loaded") if example.loaded else _("already loaded"),
            }
        )
        economy = load_example_economy(settings.DEMO_ECONOMY_FILE)
        self.stdout.write(
            _("Example data, economy: %(period)s (%(state)s)")
            % {
                "period": economy.period,
                "state": _("loaded") if economy.loaded else _("already loaded"),
            }
        )
        user, new = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for username, role, unit in DEMO_PERSONAS:
            persona = User.objects.filter(username=username).first() or accounts.create_user(
                actor=None, username=username, password=DEMO_PASSWORD
            )
            accounts.grant_role(
                actor=None, user=persona, unit=OrgUnit.objects.get(code=unit), role=role
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo login: %(username)s / %(password)s (%(url)s)")
                % {
                    "username": DEMO_USERNAME,
                    "password": DEMO_PASSWORD,
                    "url": f"http://{addrport}/accounts/login/",
                }
            )
        )
        personas = ", ".join(
            f"{name} ({role.label} @ {unit})" for name, role, unit in DEMO_PERSONAS
        )
        self.stdout.write(_("Roles, the same password: %(personas)s") % {"personas": personas})
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
