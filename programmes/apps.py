from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self):
        from forums import hooks

        from .responses.official import OfficialResponses

        hooks.official_replies_set(OfficialResponses())
