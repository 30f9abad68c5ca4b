from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    """Media Updates: dated bundles of releases, as a communications office compiles them."""

    name = "bulletins"
    verbose_name = "Bulletins"
