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


# The roles table: one row for each kind of person a permission can meet. Permission tests take
# their people from here, so "suspended" or "moderator out of scope" means the same everywhere.
ROLES = (
    "visitor",
    "unverified",
    "resident",
    "author",
    "suspended",
    "moderator_in_scope",
    "moderator_out_of_scope",
    "moderator",
    "staff",
    "superuser",
)


def person_as(role: str, content):
    """A person in `role` towards `content` (a thread or comment): its author, a moderator scoped to
    its programme or to another one, an author whose posting is suspended, ..."""
    from django.contrib.auth.models import AnonymousUser

    from forums.moderation import services as moderation
    from forums.moderation.models import ModeratorScope
    from programmes.models import Programme

    thread = getattr(content, "thread", content)
    programme_id = thread.board.programme_id
    match role:
        case "visitor":
            return AnonymousUser()
        case "unverified":
            return UserFactory(unverified=True)
        case "resident":
            return UserFactory()
        case "author":
            return User.objects.get(pk=content.author_id)
        case "suspended":
            moderation.user_suspend(actor=ModeratorFactory(), user=content.author, days=7, reason="House rule 2")
            return User.objects.get(pk=content.author_id)
        case "moderator_in_scope" | "moderator_out_of_scope":
            moderator = ModeratorFactory()
            programmes = Programme.objects.order_by("pk")
            if role == "moderator_in_scope":
                programme = programmes.get(pk=programme_id)
            else:
                programme = programmes.exclude(pk=programme_id).first()
            ModeratorScope.objects.create(moderator=moderator, programme=programme)
            return moderator
        case "moderator":
            return ModeratorFactory()
        case "staff":
            return StaffFactory()
        case "superuser":
            return UserFactory(is_superuser=True)
    raise AssertionError(f"not in the roles table: {role}")
