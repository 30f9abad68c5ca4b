from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        from core.http import set_last_change_source
        from core.memo import set_state_token_source
        from newsroom import signals
        from newsroom.caching import last_change_query, state_token

        signals.connect()
        # Facet counts and totals (search) are remembered per content state.
        set_state_token_source(state_token)
        # The API dates its answers by every public change, deletions included.
        set_last_change_source(last_change_query)
