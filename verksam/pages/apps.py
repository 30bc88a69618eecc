from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "verksam.pages"
    label = "pages"
