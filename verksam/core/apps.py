from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verksam.core"
    label = "core"

    def ready(self) -> None:
        from django.urls import register_converter

        from verksam.core import checks  # noqa: F401  (registers the deploy checks)
        from verksam.core.validation import KeyConverter

        register_converter(KeyConverter, "key")  # `<key:key>` in the apps' addresses
