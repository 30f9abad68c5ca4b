from django.apps import AppConfig


class PressroomConfig(AppConfig):
    """The embargoed press room; plugs itself into apps below it at start-up.

    ``releases`` and ``alerts`` may not import this app (the dependency rule),
    so the release admin's advance-access and access-log panels and the
    worker's sweep are attached here.
    """

    default = True
    name = "pressroom"
    verbose_name = "Press room (embargoed access)"

    def ready(self) -> None:
        from alerts import sweeps
        from pressroom import admin as pressroom_admin
        from pressroom import notices, tasks

        pressroom_admin.attach_to_release_admin()
        sweeps.register("pressroom", notices.run_sweep, repeatable=[tasks.send_advance_notices])
        try:  # the journalists' account page, once the accounts work is merged
            from journalists import panels  # type: ignore[attr-defined]
        except ImportError:
            return
        from pressroom.panels import embargoed_panel

        register = getattr(panels, "register", None)
        if register is not None:
            register("pressroom", embargoed_panel)
