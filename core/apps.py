from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: no models; an app only so its template tags are found."""

    name = "core"
    verbose_name = "Core"
