import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from accounts import services
from accounts.roles import Role
from accounts.rules import is_moderator, is_partnership_staff
from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_groups_exist_from_the_data_migration(django_user_model):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Moderators", "Partnership staff"}


@pytest.mark.parametrize(("role", "predicate"), [("moderator", is_moderator), ("staff", is_partnership_staff)])
def test_grant_role_command_gives_and_takes_the_role(resident, role, predicate):
    call_command("grant_role", resident.email.upper(), role)
    assert predicate(User.objects.get(pk=resident.pk))

    call_command("grant_role", resident.email, role, "--revoke")
    assert not predicate(User.objects.get(pk=resident.pk))


def test_grant_role_for_an_unknown_email_says_so():
    with pytest.raises(CommandError, match="No account has the email address"):
        call_command("grant_role", "nobody@example.com", "moderator")


def test_only_superusers_grant_roles_through_the_service(resident, moderator):
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=moderator, user=resident, role=Role.STAFF)

    admin = UserFactory(is_superuser=True, is_staff=True)
    services.role_grant(actor=admin, user=resident, role=Role.STAFF)
    assert is_partnership_staff(User.objects.get(pk=resident.pk))


def test_roles_granted_in_django_admin_count(admin_client, resident):
    from django.contrib.auth.models import Group

    moderators = Group.objects.get(name="Moderators")
    response = admin_client.post(
        f"/admin/accounts/user/{resident.pk}/change/",
        {
            "email": resident.email,
            "display_name": resident.display_name,
            "borough": "",
            "email_verified": "on",
            "is_active": "on",
            "groups": [moderators.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_moderator(User.objects.get(pk=resident.pk))
