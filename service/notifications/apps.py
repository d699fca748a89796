from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications of replies, mentions, likes and follows"

    def ready(self) -> None:
        from notifications import signals  # noqa: F401  (records notifications as things happen)
