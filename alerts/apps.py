from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """E-mail alerts.  The workflow (``releases``) knows nothing of alerts:
    every transition writes an ``AuditLogEntry``, and :mod:`alerts.receivers`
    listens for those rows being created; anymail's ``tracking`` signal feeds
    the suppression list (:mod:`alerts.webhooks`)."""

    name = "alerts"
    verbose_name = "E-mail alerts"

    def ready(self) -> None:
        from alerts import receivers, webhooks

        receivers.connect()
        webhooks.connect()
