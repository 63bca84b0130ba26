from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes"

    def ready(self):
        from forums import hooks

        from .responses.official import OfficialResponses

        hooks.official_replies_set(OfficialResponses())
        hooks.words_taken_down_listen(_evidence_packs_forget)


def _evidence_packs_forget(keys: list[str]) -> None:
    from .evidence.services import evidence_packs_words_taken_down

    evidence_packs_words_taken_down(keys=keys)
