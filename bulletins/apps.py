from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    """Media Updates: dated bundles of releases, as sent to journalists."""

    name = "bulletins"
    verbose_name = "Bulletins"
