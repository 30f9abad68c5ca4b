from django.apps import AppConfig


class JournalistsConfig(AppConfig):
    default = True
    name = "journalists"
    verbose_name = "Journalists"
