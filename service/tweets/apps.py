from django.apps import AppConfig


class TweetsConfig(AppConfig):
    name = "tweets"
    verbose_name = "Tweets, replies and likes"

    def ready(self) -> None:
        from tweets import signals  # noqa: F401  (connects the timeline cache's invalidation)
