from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "verksam.core"
    label = "core"
