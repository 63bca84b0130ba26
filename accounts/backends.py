import rules
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class RulesDecideMixin:
    """Django's own permissions, except for names django-rules defines.

    For those the rules alone decide, so a refused check ("may this resident lock the thread?")
    costs no queries for user and group permissions that could never grant it.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)


class ModelBackend(RulesDecideMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(RulesDecideMixin, AllauthBackend):
    """allauth's email sign-in (a ModelBackend too), with the same permission rule."""
