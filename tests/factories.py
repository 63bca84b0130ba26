import factory
from django.contrib.auth.models import Group
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    """A resident with a confirmed email. Use `unverified=True` for one who has not confirmed yet."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email_verified = True
    password = factory.django.Password("a-good-long-password")

    class Params:
        unverified = factory.Trait(email_verified=False)

    @factory.post_generation
    def email_address(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=obj.email_verified)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        _add_roles(obj, create, extracted)


class ModeratorFactory(UserFactory):
    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        _add_roles(obj, create, extracted or [Role.MODERATOR])


class StaffFactory(UserFactory):
    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        _add_roles(obj, create, extracted or [Role.STAFF])


def _add_roles(user, create, roles):
    if create and roles:
        user.groups.add(*Group.objects.filter(name__in=[Role(r).group_name for r in roles]))
