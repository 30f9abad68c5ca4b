from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from core.memo import set_state_token_source
        from newsroom import signals
        from newsroom.caching import state_token

        signals.connect()
        # Facet counts and totals (search) are remembered per content state.
        set_state_token_source(state_token)
