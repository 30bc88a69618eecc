from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verksam.core"
    label = "core"

    def ready(self) -> None:
        from verksam.core import checks  # noqa: F401  (registers the deploy checks)
