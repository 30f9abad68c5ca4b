from django.apps import AppConfig


class JournalistsConfig(AppConfig):
    default = True
    name = "journalists"
    verbose_name = "Journalists"

    def ready(self) -> None:
        """Plug the yearly re-confirmation into the worker's sweep (``alerts.sweeps``)."""
        from alerts import sweeps
        from journalists import reconfirm

        sweeps.register("journalists", reconfirm.run)
