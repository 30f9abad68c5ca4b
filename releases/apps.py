from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: AppConfig, **kwargs) -> None:
    """Keep the role groups' permissions complete after every migrate.

    The roles migration runs before later migrations add models; syncing
    after migrate gives e.g. the Administrator group their permissions too.
    """
    from django.apps import apps as global_apps

    from releases.roles import sync_roles

    # migrate passes its historical apps; flush (test teardown) passes none.
    sync_roles(kwargs.get("apps") or global_apps)


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from releases.roles import staff_status_follows_roles

        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="releases.sync_roles")
        m2m_changed.connect(
            staff_status_follows_roles,
            sender=get_user_model().groups.through,
            dispatch_uid="releases.staff_status_follows_roles",
        )
