from django.apps import AppConfig


class MedialistsConfig(AppConfig):
    """The journalists' side of the address book, sends to media lists, and their reports.

    ``releases`` and ``alerts`` are below this app and never import it, so
    it plugs in at start-up: a "Send to media lists" action on the release
    list, a receiver on the workflow's audit log (a release published or
    scheduled plans its waiting sends for its instant), a receiver on
    django-anymail's ``tracking`` signal, and a sweep on the worker's clock.
    """

    name = "medialists"
    verbose_name = "Media lists"

    def ready(self) -> None:
        from medialists import receivers

        receivers.connect()
