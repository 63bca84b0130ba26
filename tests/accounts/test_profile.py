import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_page_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_person_changes_their_display_name_and_borough(client, resident):
    client.force_login(resident)

    response = client.post(reverse("accounts:profile"), {"display_name": "  Fresh   Name ", "borough": "brent"})

    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.borough) == ("Fresh Name", "brent")


def test_person_can_clear_their_borough(client):
    person = UserFactory(borough="brent")
    client.force_login(person)
    client.post(reverse("accounts:profile"), {"display_name": person.display_name, "borough": ""})
    person.refresh_from_db()
    assert person.borough == ""


def test_keeping_your_own_name_in_another_case_is_allowed(client, resident):
    client.force_login(resident)
    response = client.post(reverse("accounts:profile"), {"display_name": resident.display_name.upper(), "borough": ""})
    assert response.status_code == 302


def test_someone_elses_name_is_refused_and_the_typed_text_is_kept(client, resident):
    UserFactory(display_name="Taken Name")
    client.force_login(resident)

    response = client.post(reverse("accounts:profile"), {"display_name": "taken name", "borough": "brent"})

    assert response.status_code == 200
    assert "That display name is already taken" in response.content.decode()
    assert 'value="taken name"' in response.content.decode()
    resident.refresh_from_db()
    assert resident.display_name != "taken name"


def test_service_refuses_to_change_another_persons_profile(resident):
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_update_profile(actor=resident, user=other, display_name="Hijacked", borough="")
