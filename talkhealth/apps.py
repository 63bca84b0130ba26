from django.apps import AppConfig


class TalkHealthConfig(AppConfig):
    name = "talkhealth"
    verbose_name = "Talk Health"
