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
        # "Embargoed for you" on the journalist's account page (journalists/panels.py):
        # journalists is below pressroom and cannot import it, so the panel plugs in here.
        from journalists import panels
        from pressroom.panels import embargoed_panel

        panels.register(embargoed_panel)
