from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "verksam.economy"
    label = "economy"
    verbose_name = _("Economy")

    def ready(self) -> None:
        """A closed round's snapshot freezes its economy with its reports (the follow-up
        report of a closed round prints it from there)."""
        # The reads use the models, which exist only once the app registry is ready.
        from verksam.economy.reporting import economy_of
        from verksam.followup.reporting import add_snapshot_part

        add_snapshot_part("economy", lambda period: economy_of(period).as_data())
