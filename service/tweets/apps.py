from django.apps import AppConfig


class TweetsConfig(AppConfig):
    name = "tweets"
    verbose_name = "Tweets, replies and likes"
