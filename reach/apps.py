from django.apps import AppConfig


class ReachConfig(AppConfig):
    """A release's reach without spying: page views and downloads per day,
    counted server-side (no cookie, no address kept), buffered in Redis and
    flushed into daily rows by the worker's sweep; shown in the admin."""

    name = "reach"
    verbose_name = "Reach"

    def ready(self) -> None:
        from alerts import sweeps
        from reach import counting, panel

        sweeps.register("reach", counting.flush)
        panel.plug_release_admin()
