from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts: profiles and follows"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (connects the profile-creation receiver)
